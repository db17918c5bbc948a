"""The shape every regulation takes in code: cited, dated, pure.

A rule is a pure function (no database) that returns ``Violation`` objects, each carrying a
Vietnamese message and the ``Citation`` it comes from. Where a regulation changed over time,
the versions are registered in a ``Versioned`` table and the one in force on a date is picked
with ``.on(day)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Generic, TypeVar

from dangvu.core.exceptions import DomainError


@dataclass(frozen=True)
class Citation:
    """Where a rule comes from: the document and, where known, the article."""

    document: str
    article: str = ""

    def __str__(self) -> str:
        return f"{self.document}, {self.article}" if self.article else self.document


class Severity(StrEnum):
    ERROR = "error"  # the write is refused
    WARNING = "warning"  # the write goes through and the warning is shown and recorded


@dataclass(frozen=True)
class Violation:
    code: str
    message: str
    citation: Citation
    severity: Severity = Severity.ERROR
    field: str = ""

    def __str__(self) -> str:
        return f"{self.message} ({self.citation})"


class RuleViolation(DomainError):
    """A hard rule refused the write; carries every violation found."""

    def __init__(self, violations: list[Violation]) -> None:
        super().__init__(
            " ".join(str(v) for v in violations),
            field_errors={v.field: str(v) for v in violations if v.field},
        )
        self.violations = violations


def enforce(violations: list[Violation]) -> list[Violation]:
    """Raise for errors; return the warnings so the service can record them."""
    errors = [v for v in violations if v.severity is Severity.ERROR]
    if errors:
        raise RuleViolation(errors)
    return [v for v in violations if v.severity is Severity.WARNING]


T = TypeVar("T", bound=Callable[..., object])


@dataclass(frozen=True)
class Version(Generic[T]):
    valid_from: date
    valid_to: date | None
    rule: T
    citation: Citation


class Versioned(Generic[T]):
    """The versions of one rule over time; ``on(day)`` returns the one in force that day."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.versions: list[Version[T]] = []

    def register(
        self, valid_from: date, valid_to: date | None, citation: Citation
    ) -> Callable[[T], T]:
        def decorator(rule: T) -> T:
            self.versions.append(Version(valid_from, valid_to, rule, citation))
            self.versions.sort(key=lambda v: v.valid_from)
            return rule

        return decorator

    def on(self, day: date) -> T:
        for version in self.versions:
            if version.valid_from <= day and (version.valid_to is None or day <= version.valid_to):
                return version.rule
        raise LookupError(f"No version of rule {self.name!r} is in force on {day.isoformat()}")
