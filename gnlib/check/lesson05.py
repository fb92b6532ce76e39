"""Checkers for the lesson-05 exercises (filled in with that lesson)."""

__all__: list[str] = []
