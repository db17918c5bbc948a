"""Password rules with Vietnamese messages (ASVS 6.2: length over composition, no common ones).

Django's Vietnamese translation lags its English messages (the too-short message is not
translated in 5.2), so the messages are written here rather than left to the catalogue.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import password_validation as django_validation
from django.core.exceptions import ValidationError

_TRAILING_NOISE = re.compile(r"[\d\W_]+$")


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự."

    def get_help_text(self) -> str:
        return f"Mật khẩu cần ít nhất {self.min_length} ký tự; một câu dễ nhớ là lựa chọn tốt."


class UserAttributeSimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return "Mật khẩu quá giống với %(verbose_name)s."

    def validate(self, password: str, user: Any = None) -> None:
        try:
            super().validate(password, user)
        except ValidationError as exc:
            params = dict(exc.params or {})
            params["verbose_name"] = str(params.get("verbose_name", "")).lower()
            raise ValidationError(self.get_error_message(), code=exc.code, params=params) from exc


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    """Django's 20,000 common passwords, also with trailing digits and symbols removed, so
    "password123456789" is as weak as "password" (the usual way people lengthen one)."""

    def validate(self, password: str, user: Any = None) -> None:
        lowered = password.lower().strip()
        stem = _TRAILING_NOISE.sub("", lowered)
        if lowered in self.passwords or (len(stem) >= 4 and stem in self.passwords):
            raise ValidationError(self.get_error_message(), code="password_too_common")

    def get_error_message(self) -> str:
        return "Mật khẩu này quá phổ biến, dễ bị đoán."

    def get_help_text(self) -> str:
        return "Không dùng mật khẩu phổ biến (kể cả khi thêm số ở cuối)."


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "Mật khẩu không được chỉ gồm chữ số."

    def get_help_text(self) -> str:
        return "Mật khẩu không được chỉ gồm chữ số."
