"""Checkers for the lesson-03 exercises (filled in with that lesson)."""

__all__: list[str] = []
