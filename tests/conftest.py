"""Shared test configuration: deterministic Hypothesis runs, no GUI backend."""

import os

import matplotlib
from hypothesis import HealthCheck, settings

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")

# Same examples every run (CI must be reproducible); no per-example deadline,
# since a loaded 2-core machine makes timings meaningless.
settings.register_profile(
    "course", derandomize=True, deadline=None, max_examples=200,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("course")
