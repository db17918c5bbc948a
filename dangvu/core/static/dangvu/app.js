// dangvu's own small script: no inline handlers in templates, so a strict CSP can apply.
document.addEventListener("submit", function (event) {
  // Destructive or far-reaching forms ask first: <form data-confirm="…">.
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
document.addEventListener("htmx:responseError", function (event) {
  var box = document.getElementById("htmx-error");
  if (box) {
    box.textContent = "Không tải được dữ liệu (mã " + event.detail.xhr.status + "). Hãy thử lại.";
    box.hidden = false;
  }
});
