"""Checkers for the lesson-04 exercises (filled in with that lesson)."""

__all__: list[str] = []
