"""Template filters that write numbers and dates the Vietnamese way, whatever the locale.

A builtin of the template engine (see ``TEMPLATES`` in settings), so templates need no
``{% load %}``. Like Django's own ``floatformat``, a filter never raises while a page renders:
``None`` and values that are not numbers or dates give an empty string.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django import template
from django.utils import timezone

from dangvu.core import text

register = template.Library()


def _number(value: object) -> text.Number | None:
    """``value`` as a number the text helpers accept, or ``None`` if it is not one.

    Strings are accepted because template variables often are (query parameters, JSON).
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal | Fraction):
        return value
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return None
    return None


def _decimals(arg: object, default: int) -> int | None:
    """The filter argument as a count of decimals, ``None`` if it is not one."""
    if arg is None or arg == "":
        return default
    try:
        decimals = int(str(arg))
    except ValueError:
        return None
    return decimals if decimals >= 0 else None


@register.filter
def vn_number(value: object, decimals: object = None) -> str:
    """``{{ 5600000|vn_number }}`` → ``5.600.000``; ``{{ x|vn_number:1 }}`` → ``1.234,5``."""
    number = _number(value)
    places = _decimals(decimals, 0)
    if number is None or places is None:
        return ""
    try:
        return text.format_number(number, places)
    except ValueError:  # NaN or infinity
        return ""


@register.filter
def vn_percent(value: object, decimals: object = None) -> str:
    """``{{ 0.9835|vn_percent }}`` → ``98,35%``; ``{{ 0.986|vn_percent:1 }}`` → ``98,6%``."""
    number = _number(value)
    places = _decimals(decimals, 2)
    if number is None or places is None:
        return ""
    try:
        return text.format_percent(number, places)
    except ValueError:
        return ""


def _local_date(value: object) -> date | None:
    """The calendar date of ``value`` where the user is: aware datetimes in the current zone."""
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    return None


@register.filter
def vn_date(value: object) -> str:
    """``{{ d|vn_date }}`` → ``18/01/2021``."""
    d = _local_date(value)
    return "" if d is None else text.format_date(d)


@register.filter
def vn_date_long(value: object) -> str:
    """``{{ d|vn_date_long }}`` → ``ngày 18 tháng 01 năm 2021``."""
    d = _local_date(value)
    return "" if d is None else text.format_date_long(d)


@register.filter
def vn_roman(value: object) -> str:
    """``6|vn_roman`` → ``VI`` (congress and term numbers); "" for what is not 1..3999."""
    try:
        return text.roman(int(str(value)))
    except (TypeError, ValueError):
        return ""


@register.filter
def vn_user(user: object) -> str:
    """A user's name family-first (Django keeps the given name in ``first_name``)."""
    family = str(getattr(user, "last_name", "") or "")
    given = str(getattr(user, "first_name", "") or "")
    return text.person_display_name(family, given) or str(getattr(user, "username", ""))
