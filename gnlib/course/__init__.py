"""Course tools: the machinery around the notebooks, not part of what a learner calls.

May import anything in gnlib. This package's import stays light (no numpy or
matplotlib at ``import gnlib.course``); import a module by name.

- :mod:`gnlib.course.authoring` -- execute notebooks with a reliable kernel client, make learner versions
- :mod:`gnlib.course.config`    -- the declared home and lesson list, read from ``course.toml`` (standard library only)
- :mod:`gnlib.course.doctor`    -- the preflight check run by ``python -m gnlib.doctor``
- :mod:`gnlib.course.generated` -- the README sections generated from ``course.toml``
- :mod:`gnlib.course.links`     -- find the course's links, move them to a new home, check them
- :mod:`gnlib.course.safe_nbconvert` -- ``jupyter nbconvert`` execution with the course client's reliable waits
- :mod:`gnlib.course.set_home`  -- ``python -m gnlib.course.set_home``: move the course, regenerate its links
- :mod:`gnlib.course.website`   -- what the course website adds to the stored pages (standard library only)
"""
