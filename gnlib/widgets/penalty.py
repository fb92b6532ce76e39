"""Explorables for the penalty lesson (filled in with that lesson)."""

__all__: list[str] = []
