"""``{% can "orgs.change" org as allowed %}``: show an action only to who may take it.

Hiding a button is a courtesy, never the control: the view and the service check again.
"""

from __future__ import annotations

from typing import Any

from django import template

from dangvu.access import scope

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: dict[str, Any], action: str, organization: Any) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    path = getattr(organization, "path", None)
    return path is not None and scope.covers(user, action, path)
