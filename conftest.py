"""Repository-wide pytest configuration.

Learner exercise notebooks are stored without outputs, so nbval would pass them
vacuously; they are executed by tests/test_notebooks.py instead (which checks
that they run top to bottom without an error). `_build/` holds the website and
its copies of the notebooks.
"""

collect_ignore_glob = ["exercises/*/exercises.ipynb", ".venv/*", "benchmarks/*", "_build/*"]
