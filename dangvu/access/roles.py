"""Built-in roles: the bundles of actions most offices need, kept in step with the code.

They are rows of ``Role`` (so grants can point at them and administrators can add their own
roles beside them) and are rewritten from this table after every ``migrate``.
"""

from __future__ import annotations

from typing import Any

VIEWER = "viewer"
CELL = "cell"
GRASSROOTS = "grassroots"
COMMITTEE_OFFICE = "committee_office"

_REVIEW_WORK = ["reviews.view", "reviews.rate", "reviews.decide"]
_MEMBER_WORK = [
    "members.view",
    "members.add",
    "members.change",
    "members.transfer",
    "members.import",
    "members.export",
]

BUILTIN_ROLES: dict[str, tuple[str, list[str]]] = {
    VIEWER: ("Chỉ xem", ["orgs.view", "members.view", "reviews.view", "audit.view"]),
    CELL: (
        "Chi bộ (bí thư, chi ủy)",
        [
            "orgs.view",
            "members.view",
            "members.export",
            "reviews.view",
            "reviews.rate",
            "audit.view",
        ],
    ),
    GRASSROOTS: (
        "Văn phòng đảng ủy cơ sở",
        [
            "orgs.view",
            "orgs.add",
            "orgs.change",
            *_MEMBER_WORK,
            *_REVIEW_WORK,
            "audit.view",
            "access.manage",
        ],
    ),
    COMMITTEE_OFFICE: (
        "Văn phòng cấp ủy cấp trên",
        [
            "orgs.view",
            "orgs.add",
            "orgs.change",
            "orgs.move",
            *_MEMBER_WORK,
            *_REVIEW_WORK,
            "audit.view",
            "access.manage",
        ],
    ),
}


def sync_builtin_roles(**kwargs: Any) -> None:
    """Create or update the built-in roles (connected to ``post_migrate``)."""
    from dangvu.access.models import Role

    for code, (name, actions) in BUILTIN_ROLES.items():
        Role.objects.update_or_create(
            code=code, defaults={"name": name, "actions": sorted(actions), "builtin": True}
        )
