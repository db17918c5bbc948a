from __future__ import annotations

from django.http import HttpRequest

from dangvu import __version__
from dangvu.access import scope


def version(request: HttpRequest) -> dict[str, object]:
    """The version in the footer, and whether to show the access menu (its pages check again)."""
    user = getattr(request, "user", None)
    return {
        "DANGVU_VERSION": __version__,
        "perms_access_manage": scope.has_any(user, "access.manage"),
        "perms_members_view": scope.has_any(user, "members.view"),
    }
