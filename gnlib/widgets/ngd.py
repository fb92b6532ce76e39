"""Explorables for the ngd lesson (filled in with that lesson)."""

__all__: list[str] = []
