"""The ``dangvu`` console script: Django's management commands under one name.

Two words are joined with an underscore when a command of that name exists, so
``dangvu demo load`` runs ``demo_load`` and ``dangvu import members FILE`` runs
``import_members``; everything else goes to Django unchanged.
"""

from __future__ import annotations

import os
import sys


def _join_subcommand(argv: list[str]) -> list[str]:
    if len(argv) < 3 or argv[1].startswith("-") or argv[2].startswith("-"):
        return argv
    from django.core.management import get_commands

    joined = f"{argv[1]}_{argv[2]}"
    if joined in get_commands():
        return [argv[0], joined, *argv[3:]]
    return argv


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    execute_from_command_line(_join_subcommand(sys.argv))


if __name__ == "__main__":
    main()
