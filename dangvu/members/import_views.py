"""Pages to import and export member lists. Thin: the work is in ``imports`` and ``exports``.

Import is two steps: the upload is kept (in the session when small, otherwise in
``VAR_DIR/uploads`` under a random name), checked and previewed; the confirmation checks it
again and writes it. The kept file is deleted after a successful import, a new upload or a
cancellation, and any left behind is swept after a day.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
import time
from pathlib import Path, PurePath
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from dangvu.access import scope
from dangvu.core.exceptions import NotPermitted, OutOfScope
from dangvu.core.forms import ScopedForm, ScopedModelChoiceField
from dangvu.core.text import format_number
from dangvu.core.views import ScopedMixin, ScopedTemplateView
from dangvu.members import exports, imports
from dangvu.orgs.models import Organization

SESSION_KEY = "dangvu_member_import"
SESSION_INLINE_LIMIT = 2 * 1024 * 1024
UPLOAD_LIFETIME_SECONDS = 24 * 3600
PREVIEW_ROWS = 20
SHOWN_ERRORS = 1000
_TOKEN = re.compile(r"[0-9a-f]{32}")


# --- keeping the upload between the two steps ------------------------------------------------


def _upload_dir() -> Path:
    return Path(settings.VAR_DIR) / "uploads"


def _stash(request: HttpRequest, filename: str, data: bytes) -> None:
    _drop(request)
    entry: dict[str, Any] = {
        "name": PurePath(filename).name[:200],
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    if len(data) <= SESSION_INLINE_LIMIT:
        entry["data"] = base64.b64encode(data).decode("ascii")
    else:
        folder = _upload_dir()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _sweep(folder)
        token = secrets.token_hex(16)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        descriptor = os.open(folder / f"import-{token}.upload", flags, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        entry["token"] = token
    request.session[SESSION_KEY] = entry


def _load(request: HttpRequest) -> tuple[str, bytes] | None:
    entry = request.session.get(SESSION_KEY)
    if not isinstance(entry, dict):
        return None
    if "data" in entry:
        data = base64.b64decode(entry["data"])
    else:
        path = _stored_path(entry)
        if path is None or not path.is_file():
            return None
        data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        return None
    return str(entry.get("name", "")), data


def _drop(request: HttpRequest) -> None:
    entry = request.session.pop(SESSION_KEY, None)
    if isinstance(entry, dict):
        path = _stored_path(entry)
        if path is not None:
            path.unlink(missing_ok=True)


def _stored_path(entry: dict[str, Any]) -> Path | None:
    token = str(entry.get("token", ""))
    return _upload_dir() / f"import-{token}.upload" if _TOKEN.fullmatch(token) else None


def _sweep(folder: Path) -> None:
    """Delete uploads abandoned for more than a day (a closed tab never confirms)."""
    oldest = time.time() - UPLOAD_LIFETIME_SECONDS
    for path in folder.glob("import-*.upload"):
        try:
            if path.stat().st_mtime < oldest:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- forms -----------------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp danh sách",
        help_text=f"Tệp Excel (.xlsx) hoặc CSV (UTF-8), đến "
        f"{imports.MAX_UPLOAD_BYTES // (1024 * 1024)} MB, theo đúng các cột của tệp mẫu.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class OrganizationChoiceField(ScopedModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} — {obj.name}"


class ExportForm(ScopedForm):
    org = OrganizationChoiceField(
        Organization.objects.all(),
        action="members.export",
        label="Tổ chức",
        help_text="Xuất các đảng viên hiện đang sinh hoạt trong tổ chức này và các tổ chức "
        "trực thuộc.",
    )
    format = forms.ChoiceField(
        label="Định dạng",
        choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV (UTF-8)")],
        initial="xlsx",
    )


# --- import ----------------------------------------------------------------------------------


@method_decorator(csrf_exempt, name="dispatch")
class ImportUploadView(ScopedTemplateView):
    """The upload form. The declared size is checked before Django reads the body (a big
    upload would otherwise be spooled to disk first), so the CSRF check, which reads the body,
    comes right after it, in ``post``: Django's documented pattern for upload limits."""

    action = "members.import"
    template_name = "members/io/upload.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", UploadForm())
        kwargs.setdefault("pending", _load(self.request) is not None)
        kwargs.setdefault("can_export", scope.has_any(self.request.user, "members.export"))
        return super().get_context_data(**kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > imports.MAX_UPLOAD_BYTES + _FORM_OVERHEAD:
            # Nothing is read or changed, so answering before the CSRF check is safe.
            context = self.get_context_data(refused=_too_big())
            return self.render_to_response(context, status=413)
        response: HttpResponse = csrf_protect(self._upload)(request)
        return response

    def _upload(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                data = self._read(upload)
                imports.file_kind(upload.name, data, upload.content_type or "")
            except imports.UploadRefused as exc:
                form.add_error("file", exc.message)
            else:
                _stash(request, upload.name, data)
                return HttpResponseRedirect(reverse("member_io:preview"))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    @staticmethod
    def _read(upload: Any) -> bytes:
        if upload.size > imports.MAX_UPLOAD_BYTES:
            raise imports.UploadRefused(_too_big())
        return bytes(upload.read())


_FORM_OVERHEAD = 64 * 1024  # multipart boundaries, the CSRF token, the file name


def _too_big() -> str:
    return (
        f"Tệp quá lớn; chỉ nhận tệp đến {imports.MAX_UPLOAD_BYTES // (1024 * 1024)} MB. Hãy chia "
        "thành nhiều tệp nhỏ hơn."
    )


class ImportPreviewView(ScopedTemplateView):
    """The checked file: what would be written, or every error (nothing is written here)."""

    action = "members.import"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pending = _load(request)
        if pending is None:
            messages.info(request, "Hãy chọn tệp danh sách để nhập.")
            return HttpResponseRedirect(reverse("member_io:upload"))
        filename, data = pending
        analysis = imports.analyze(actor=request.user, filename=filename, data=data)
        return render_analysis(self, analysis)


def render_analysis(view: ScopedTemplateView, analysis: imports.Analysis) -> HttpResponse:
    if analysis.errors:
        view.template_name = "members/io/report.html"
        context = view.get_context_data(
            analysis=analysis,
            errors=analysis.errors[:SHOWN_ERRORS],
            more_errors=max(len(analysis.errors) - SHOWN_ERRORS, 0),
        )
    else:
        view.template_name = "members/io/preview.html"
        context = view.get_context_data(
            analysis=analysis,
            per_cell=analysis.per_cell(),
            rows=analysis.rows[:PREVIEW_ROWS],
            warnings=analysis.warnings[:SHOWN_ERRORS],
        )
    return view.render_to_response(context)


class ImportConfirmView(ScopedTemplateView):
    """Check the kept file again and write it, all or nothing."""

    action = "members.import"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pending = _load(request)
        if pending is None:
            messages.warning(request, "Tệp đã được nhập hoặc đã hết hạn; hãy tải lên lại.")
            return HttpResponseRedirect(reverse("member_io:upload"))
        filename, data = pending
        result = imports.import_members(actor=request.user, filename=filename, data=data)
        if result.refused:
            return render_analysis(self, result.analysis)
        _drop(request)
        messages.success(
            request,
            f"Đã nhập {format_number(result.created)} đảng viên từ tệp {filename}.",
        )
        return HttpResponseRedirect(reverse("member_io:upload"))


class ImportCancelView(ScopedMixin, View):
    action = "members.import"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _drop(request)
        messages.info(request, "Đã hủy; tệp tải lên đã được xóa.")
        return HttpResponseRedirect(reverse("member_io:upload"))


class ImportReportDownloadView(ScopedMixin, View):
    """The error report of the kept file as an .xlsx (the file is checked again)."""

    action = "members.import"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pending = _load(request)
        if pending is None:
            raise Http404("Không có tệp nào đang chờ nhập.")
        filename, data = pending
        analysis = imports.analyze(actor=request.user, filename=filename, data=data)
        if not analysis.errors:
            return HttpResponseRedirect(reverse("member_io:preview"))
        stem = re.sub(r"[^\w-]+", "-", PurePath(filename).stem, flags=re.ASCII).strip("-")
        return _attachment(
            imports.error_report_xlsx(analysis.errors),
            f"bao-cao-loi-{stem or 'tep-nhap'}.xlsx",
            exports.FORMATS["xlsx"],
        )


class TemplateDownloadView(ScopedMixin, View):
    """The empty list to fill in, with its guide sheet (no personal data)."""

    action = "members.import"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _attachment(
            exports.template_xlsx(), "mau-danh-sach-dang-vien.xlsx", exports.FORMATS["xlsx"]
        )


# --- export ----------------------------------------------------------------------------------


class ExportView(ScopedTemplateView):
    """``?org=<id>&format=xlsx|csv`` downloads the list; without them, the choice page."""

    action = "members.export"
    template_name = "members/io/export.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "org" not in request.GET:
            form = ExportForm(actor=request.user)
            choices = cast(OrganizationChoiceField, form.fields["org"]).queryset
            if choices is not None:
                form.initial["org"] = choices.first()  # the top of the scope
            return self.render_to_response(self.get_context_data(form=form))
        form = ExportForm(request.GET, actor=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            result = exports.export_file(
                actor=request.user,
                organization=form.cleaned_data["org"],
                file_format=form.cleaned_data["format"],
            )
        except OutOfScope as exc:
            raise Http404(exc.message) from exc
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        return _attachment(result.content, result.filename, result.content_type)
