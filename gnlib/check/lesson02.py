"""Checkers for the lesson-02 exercises (filled in with that lesson)."""

__all__: list[str] = []
