"""Domain errors raised by services and mapped to HTTP answers by the base views and the API.

Messages are Vietnamese, written for the person who made the request.
"""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """A business rule refused the operation; nothing was written.

    ``field_errors`` maps a form field name to its message so forms can show it next to the field.
    """

    status_code = 400

    def __init__(self, message: str, *, field_errors: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = dict(field_errors or {})


class OutOfScope(DomainError):
    """The object is outside the actor's subtree; answered exactly like a missing object (404)."""

    status_code = 404

    def __init__(self, message: str = "Không tìm thấy đối tượng.") -> None:
        super().__init__(message)


class NotPermitted(DomainError):
    """The actor sees the object but may not do this to it (403)."""

    status_code = 403

    def __init__(self, message: str = "Bạn không có quyền thực hiện thao tác này.") -> None:
        super().__init__(message)


class StaleEdit(DomainError):
    """Someone saved the record after this edit was opened; the edit must be redone (409)."""

    status_code = 409

    def __init__(self, changed: Mapping[str, object] | None = None) -> None:
        names = ", ".join(sorted(changed)) if changed else ""
        detail = f" Các trường đã thay đổi: {names}." if names else ""
        super().__init__(
            "Bản ghi đã được người khác sửa sau khi bạn mở nó; thay đổi của bạn chưa được lưu."
            f"{detail} Hãy tải lại trang và nhập lại."
        )
        self.changed = dict(changed or {})
