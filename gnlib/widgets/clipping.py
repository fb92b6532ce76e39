"""Explorables for the clipping lesson (filled in with that lesson)."""

__all__: list[str] = []
