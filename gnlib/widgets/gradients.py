"""Explorables for the gradients lesson (filled in with that lesson)."""

__all__: list[str] = []
