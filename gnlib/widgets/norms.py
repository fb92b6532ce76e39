"""Explorables for the norms lesson (filled in with that lesson)."""

__all__: list[str] = []
