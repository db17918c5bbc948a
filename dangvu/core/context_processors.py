from __future__ import annotations

from django.http import HttpRequest

from dangvu import __version__


def version(request: HttpRequest) -> dict[str, str]:
    return {"DANGVU_VERSION": __version__}
