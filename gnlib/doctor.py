"""Entry point of ``python -m gnlib.doctor``: runs :func:`gnlib.course.doctor.main`.

The preflight check itself lives in :mod:`gnlib.course.doctor`; this module
only keeps the command learners are told to type working. It imports nothing
else.
"""

from .course.doctor import main

__all__ = ["main"]

if __name__ == "__main__":
    raise SystemExit(main())
