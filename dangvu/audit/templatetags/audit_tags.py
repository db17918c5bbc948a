from django import template

from dangvu.audit.actions import label

register = template.Library()


@register.filter
def audit_label(code: str) -> str:
    return label(code)
