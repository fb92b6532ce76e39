"""``jupyter nbconvert`` execution with the course's reliable kernel waits.

Plain ``jupyter nbconvert --execute`` runs nbclient's asynchronous client,
which can miss the wake-up for a kernel message that has already arrived
(jupyter/nbclient#312): a cell then waits until its timeout, or for ever
without one. :class:`SlicedExecutePreprocessor` is nbconvert's
``ExecutePreprocessor`` with the waits of
:func:`gnlib.course.authoring.slice_kernel_waits`. Use it in place of
``--execute``::

    jupyter nbconvert --to notebook --inplace \\
        --Exporter.preprocessors='["gnlib.course.safe_nbconvert.SlicedExecutePreprocessor"]' \\
        lessons/03_gradient_clipping.ipynb

(To store a lesson, ``python tools/execute_notebooks.py NOTEBOOK`` is
simpler: it also drops widget state and volatile metadata.)
"""

from __future__ import annotations

from typing import Any

from jupyter_core.utils import run_sync
from nbconvert.preprocessors import ExecutePreprocessor

from .authoring import slice_kernel_waits

__all__ = ["SlicedExecutePreprocessor"]


class SlicedExecutePreprocessor(ExecutePreprocessor):
    """nbconvert's ``ExecutePreprocessor``, waiting on the kernel in short slices.

    Every option of ``ExecutePreprocessor`` (``timeout``, ``kernel_name``,
    ``allow_errors``, ...) works as before, configured under this class's
    name, e.g. ``--SlicedExecutePreprocessor.timeout=600``.
    """

    async def async_start_new_kernel_client(self) -> Any:
        """Start the kernel client as nbconvert does, then slice its waits."""
        return slice_kernel_waits(await super().async_start_new_kernel_client())

    start_new_kernel_client = run_sync(async_start_new_kernel_client)
