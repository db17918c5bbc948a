"""dangvu: records and figures of party-building work for a tree of party organizations."""

__version__ = "0.1.0"
