"""Writes of users and grants: scoped to the granting actor, audited."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from dangvu.access import scope
from dangvu.access.models import Grant, Role
from dangvu.access.scope import Actor
from dangvu.audit.services import record
from dangvu.core.exceptions import DomainError, NotPermitted
from dangvu.orgs.models import Organization


def _covers_role(actor: Actor, role: Role, organization: Organization) -> bool:
    return all(scope.covers(actor, action, organization.path) for action in role.actions)


@transaction.atomic
def grant_create(*, actor: Actor, user: User, role: Role, organization: Organization) -> Grant:
    """Give ``user`` the ``role`` on ``organization``'s subtree.

    The actor must manage access there and hold every action of the role there itself, so
    nobody can hand out more than they have.
    """
    scope.require(actor, "access.manage", organization)
    if not _covers_role(actor, role, organization):
        raise NotPermitted("Bạn không thể trao quyền mà chính bạn không có trên tổ chức này.")
    grant, created = Grant.objects.get_or_create(user=user, role=role, organization=organization)
    if not created:
        raise DomainError(f"{user.get_username()} đã có vai trò này trên {organization}.")
    record(
        actor=actor,
        action="access.grant.create",
        target=grant,
        organization=organization,
        changes={"user": [None, user.get_username()], "role": [None, role.code]},
    )
    return grant


@transaction.atomic
def grant_delete(*, actor: Actor, grant: Grant, reason: str = "") -> None:
    """Take a role back; as with giving, only a role the actor holds there can be taken back."""
    grant = (
        Grant.objects.select_for_update()
        .select_related("user", "role", "organization")
        .get(pk=grant.pk)
    )
    scope.require(actor, "access.manage", grant.organization)
    if not _covers_role(actor, grant.role, grant.organization):
        raise NotPermitted("Bạn không thể thu hồi quyền mà chính bạn không có trên tổ chức này.")
    record(
        actor=actor,
        action="access.grant.delete",
        target=grant,
        organization=grant.organization,
        changes={"user": [grant.user.get_username(), None], "role": [grant.role.code, None]},
        reason=reason,
    )
    grant.delete()


@transaction.atomic
def account_open(
    *,
    actor: Actor,
    username: str,
    full_name: str,
    role: Role,
    organization: Organization,
    email: str = "",
) -> tuple[User, str]:
    """Create an account with a random initial password and its first grant, together.

    The office never chooses a user's password (ASVS 6.4): the generated one is shown once
    to hand over, and the user replaces it on the password page.
    """
    scope.require(actor, "access.manage", organization)
    password = generate_password()
    user = user_create(
        actor=actor, username=username, full_name=full_name, password=password, email=email
    )
    grant_create(actor=actor, user=user, role=role, organization=organization)
    return user, password


def generate_password() -> str:
    """Four groups of five letters and digits, easy to read aloud and to type (≈ 100 bits)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    groups = ["".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4)]
    return "-".join(groups)


@transaction.atomic
def user_create(
    *, actor: Actor, username: str, full_name: str, password: str, email: str = ""
) -> User:
    """Create an account; the password must pass the validators (≥ 15 characters, not common)."""
    if not actor.is_superuser and not scope.has_any(actor, "access.manage"):
        raise NotPermitted()
    user_model = get_user_model()
    username = username.strip()
    if not username:
        raise DomainError(
            "Hãy nhập tên đăng nhập.", field_errors={"username": "Trường này là bắt buộc."}
        )
    if user_model.objects.filter(username__iexact=username).exists():
        raise DomainError(
            f"Tên đăng nhập {username} đã có.", field_errors={"username": "Tên đăng nhập đã có."}
        )
    family, _, given = full_name.strip().rpartition(" ")
    user = user_model(username=username, first_name=given, last_name=family, email=email)
    _validate_password(password, user)
    user.set_password(password)
    user.save()
    record(
        actor=actor,
        action="access.user.create",
        target=user,
        changes={"username": [None, username], "full_name": [None, full_name]},
    )
    return user


@transaction.atomic
def user_set_password(*, actor: Actor, user: User, password: str) -> None:
    """Set a new password (an operator's reset; users change theirs on the password page)."""
    if not actor.is_superuser:
        raise NotPermitted()
    _validate_password(password, user)
    if user.check_password(password):
        return
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor=actor, action="access.user.password", target=user)


def _validate_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        message = " ".join(exc.messages)
        raise DomainError(message, field_errors={"password": message}) from exc
