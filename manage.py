#!/usr/bin/env python
"""Django's command-line utility for administrative tasks (same as the ``dangvu`` script)."""

from dangvu.__main__ import main

if __name__ == "__main__":
    main()
