"""The parameters of tanh RNNs kept as a stack: their names, list and dict forms, and each model's gradient norm.

:mod:`gnlib.models.vector_rnn` stores a network as a dict of arrays keyed by
:data:`PARAM_NAMES`; a leading axis on every array makes a stack of ``K``
models that train together. The optimizers want a list of the same arrays
(:func:`params_to_list`), and clipping wants one global gradient norm per
model (:func:`model_norms`). :mod:`gnlib.models.vector_rnn` re-exports all four names.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from .._validation import as_float_array, check_int
from ._numerics import row_norms

__all__ = ["PARAM_NAMES", "model_norms", "params_to_list", "list_to_params"]

#: The parameters, in the order :func:`params_to_list` uses.
PARAM_NAMES: tuple[str, ...] = ("W_xh", "W_hh", "b", "w_out", "c")


def model_norms(grads: dict[str, np.ndarray], n_lead: int = 0) -> np.ndarray | float:
    """The global Euclidean norm of each model's gradient (over all its arrays).

    Overflow-safe: each model's arrays are scaled by a power of two near their
    largest absolute entry before squaring, so finite gradients never report ``inf``.

    Parameters
    ----------
    grads : dict of str to numpy.ndarray
        Arrays with ``n_lead`` leading model axes.
    n_lead : int
        0 for one model, 1 for a stack of ``K`` models.

    Returns
    -------
    float or numpy.ndarray
        One norm per model.

    Raises
    ------
    ValueError
        If ``grads`` is empty, or ``n_lead`` exceeds an array's dimensions or
        the arrays' leading axes differ.
    TypeError
        If ``grads`` is not a dict of real arrays.

    Examples
    --------
    >>> print(f'{model_norms({"a": np.array([3e200]), "b": np.array([[4e200]])}):.6g}')
    5e+200
    >>> model_norms({"a": np.array([1e308]), "b": np.array([1.0])})
    1e+308
    """
    n_lead = check_int(n_lead, "n_lead", high=64)  # numpy arrays have at most 64 axes
    if not isinstance(grads, Mapping):
        raise TypeError(f"grads must be a dict of arrays, got {type(grads).__name__}")
    if not grads:
        raise ValueError("grads must hold at least one array, got an empty dict")
    arrays = [as_float_array(g, f"grads[{k!r}]") for k, g in grads.items()]
    if any(a.ndim < n_lead for a in arrays) or len({a.shape[:n_lead] for a in arrays}) > 1:
        shapes = {k: a.shape for k, a in zip(grads, arrays)}
        raise ValueError(f"n_lead = {n_lead} must count leading model axes that every array shares, "
                         f"got shapes {shapes}")
    lead = arrays[0].shape[:n_lead]
    flat = np.concatenate([a.reshape(lead + (-1,)).astype(np.float64) for a in arrays], axis=-1)
    norms = row_norms(flat.reshape(math.prod(lead), flat.shape[-1])).reshape(lead)
    return float(norms) if norms.ndim == 0 else norms


def params_to_list(params: dict[str, np.ndarray]) -> list[np.ndarray]:
    """The arrays in :data:`PARAM_NAMES` order (the same objects: optimizers update them in place)."""
    if not isinstance(params, Mapping) or any(k not in params for k in PARAM_NAMES):
        raise TypeError(f"params must be a dict with the keys {list(PARAM_NAMES)}, got {type(params).__name__}")
    return [params[k] for k in PARAM_NAMES]


def list_to_params(arrays: list[np.ndarray]) -> dict[str, np.ndarray]:
    """The inverse of :func:`params_to_list`."""
    if isinstance(arrays, (str, bytes, Mapping)) or not isinstance(arrays, Sequence):
        raise TypeError(f"arrays must be a list of {len(PARAM_NAMES)} arrays, got {type(arrays).__name__}")
    if len(arrays) != len(PARAM_NAMES):
        raise ValueError(f"arrays must hold {len(PARAM_NAMES)} arrays ({', '.join(PARAM_NAMES)}), got {len(arrays)}")
    return dict(zip(PARAM_NAMES, arrays))
