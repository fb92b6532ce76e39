"""Course tools: what authors, instructors and CI use around the lessons.

- :mod:`gnlib.course.config` -- the declared home and lesson list (``course.toml``)
"""
