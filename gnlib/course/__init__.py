"""Course tools: what authors, instructors and CI use around the lessons.

- :mod:`gnlib.course.config` -- the declared home and lesson list (``course.toml``)
- :mod:`gnlib.course.website` -- what the course website adds to the stored pages
"""
