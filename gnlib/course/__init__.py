"""Course tools: what authors, instructors and CI use around the lessons.

- :mod:`gnlib.course.config`    -- the declared home and lesson list (``course.toml``)
- :mod:`gnlib.course.links`     -- find the course's links, move them to a new home, check them
- :mod:`gnlib.course.generated` -- the README sections generated from ``course.toml``
- :mod:`gnlib.course.set_home`  -- ``python -m gnlib.course.set_home``: move the course, regenerate its links
"""
