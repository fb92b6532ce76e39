"""Checkers for exercises/03b_clipping_a_real_rnn: clipping inside a training loop.

The learner writes ``train_clipped(params, batches, learning_rate, tau)``,
which runs one SGD step per batch of a :mod:`gnlib.models.vector_rnn` network
with the global gradient norm clipped to ``tau`` first, and returns
``(new_params, losses, clipped_fraction)``. The cases isolate one part at a
time: the plain SGD loop (no clipping can happen), then the losses, then the
clipped fraction, then the clipped parameters, then a fresh random problem.
Typical mistakes (losses after the update, a count instead of a fraction,
each array clipped by its own norm) get their own hints.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..models.adding_problem import adding_problem
from ..models.vector_rnn import PARAM_NAMES, init_rnn, model_norms, rnn_loss_and_grads
from ._core import Case, CheckReport, Mistake, run_cases

__all__ = ["reference_train_clipped", "check_train_clipped"]


def reference_train_clipped(params: dict[str, np.ndarray], batches: list, learning_rate: float, tau: float
                            ) -> tuple[dict[str, np.ndarray], np.ndarray, float]:
    """gnlib's answer: SGD on each batch in turn, the global gradient norm clipped to ``tau`` first.

    Returns
    -------
    (new_params, losses, clipped_fraction)
        ``losses[i]`` is the loss on batch ``i`` before its update; an update
        counts as clipped when ``||g|| > tau``.
    """
    params = {k: np.array(params[k], dtype=np.float64) for k in PARAM_NAMES}
    losses, n_clipped = [], 0
    for x, target in batches:
        loss, grads, _ = rnn_loss_and_grads(params, x, target)
        norm = model_norms(grads)
        factor = 1.0
        if norm > tau:
            factor, n_clipped = tau / norm, n_clipped + 1
        for k in PARAM_NAMES:
            params[k] = params[k] - learning_rate * factor * grads[k]
        losses.append(loss)
    return params, np.array(losses), n_clipped / len(batches)


def _per_array_reference(params: dict[str, np.ndarray], batches: list, learning_rate: float, tau: float
                         ) -> tuple[dict[str, np.ndarray], np.ndarray, float]:
    """The typical mistake: each array clipped by its own norm (what Keras' ``clipnorm`` does)."""
    params = {k: np.array(params[k], dtype=np.float64) for k in PARAM_NAMES}
    losses = []
    for x, target in batches:
        loss, grads, _ = rnn_loss_and_grads(params, x, target)
        for k in PARAM_NAMES:
            norm = float(np.sqrt(np.sum(grads[k] ** 2)))
            factor = tau / norm if norm > tau else 1.0
            params[k] = params[k] - learning_rate * factor * grads[k]
        losses.append(loss)
    return params, np.array(losses), 0.0


def _problem(rng: np.random.Generator, n_batches: int = 4, hidden: int = 4, seq_len: int = 6
             ) -> tuple[dict[str, np.ndarray], list]:
    params = init_rnn(hidden, 2, rng=rng, recurrent_scale=1.5)
    batches = [adding_problem(5, seq_len, rng) for _ in range(n_batches)]
    return params, batches


def _parts(result: Any) -> tuple[dict, np.ndarray, float] | None:
    """The learner's ``(params, losses, fraction)``, or None if it is not shaped like that."""
    if not isinstance(result, tuple) or len(result) != 3 or not isinstance(result[0], dict):
        return None
    try:
        losses = np.asarray(result[1], dtype=np.float64)
        fraction = float(result[2])
    except (TypeError, ValueError):
        return None
    return result[0], losses, fraction


def _params_close(want: dict[str, np.ndarray]) -> Callable[[Any], bool]:
    def accept(result: Any) -> bool:
        parts = _parts(result)
        if parts is None:
            return False
        got = parts[0]
        return all(k in got and np.shape(got[k]) == want[k].shape
                   and np.allclose(np.asarray(got[k], dtype=float), want[k], rtol=1e-8, atol=1e-12)
                   for k in PARAM_NAMES)
    return accept


def _losses_close(want: np.ndarray) -> Callable[[Any], bool]:
    def accept(result: Any) -> bool:
        parts = _parts(result)
        return parts is not None and parts[1].shape == want.shape and bool(np.allclose(parts[1], want, rtol=1e-8))
    return accept


def _fraction_is(want: float) -> Callable[[Any], bool]:
    def accept(result: Any) -> bool:
        parts = _parts(result)
        return parts is not None and abs(parts[2] - want) < 1e-12
    return accept


def _all_of(*accepts: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda result: all(a(result) for a in accepts)


def check_train_clipped(train_clipped: Callable, *, quiet: bool = False) -> CheckReport:
    """Check ``train_clipped(params, batches, learning_rate, tau) -> (new_params, losses, clipped_fraction)``."""
    params, batches = _problem(np.random.default_rng(31))
    norms = [model_norms(rnn_loss_and_grads(params, x, t)[1]) for x, t in batches[:1]]
    no_clip = reference_train_clipped(params, batches, 0.1, 1e9)
    all_clip = reference_train_clipped(params, batches, 0.1, 1e-3)
    tau_mid = 0.5 * norms[0]
    mid = reference_train_clipped(params, batches, 0.5, tau_mid)
    fresh_params, fresh_batches = _problem(np.random.default_rng(), n_batches=5, hidden=3, seq_len=7)
    fresh = reference_train_clipped(fresh_params, fresh_batches, 0.3, 0.2)

    per_array = _per_array_reference(params, batches, 0.1, 1e-3)
    after = [rnn_loss_and_grads(no_clip[0], x, t)[0] for x, t in batches]

    def shaped(result: Any) -> bool:
        return _parts(result) is not None

    cases = [
        Case("returns (new_params, losses, clipped_fraction)", (params, batches, 0.1, 1e9), shaped,
             "return a tuple of three things: a dict with the five arrays, the list of losses and a number."),
        Case("tau = 1e9 (nothing is clipped): the parameters after 4 SGD steps", (params, batches, 0.1, 1e9),
             _params_close(no_clip[0]),
             "without clipping each update is params[k] - learning_rate * grads[k], for every key, "
             "once per batch, each gradient taken at the current parameters."),
        Case("tau = 1e9: one loss per batch, measured before its update", (params, batches, 0.1, 1e9),
             _losses_close(no_clip[1]),
             "append the loss that rnn_loss_and_grads returns for a batch before you update the parameters.",
             mistakes=(Mistake(_losses_close(np.array(after)),
                               "these are the losses after all the updates: record each loss when you compute "
                               "its gradient, before the step."),)),
        Case("tau = 1e9: clipped fraction 0", (params, batches, 0.1, 1e9), _fraction_is(0.0),
             "count an update as clipped only when the global norm is above tau."),
        Case("tau = 0.001: every update is clipped (fraction 1)", (params, batches, 0.1, 1e-3), _fraction_is(1.0),
             "count an update as clipped when its global norm is above tau.",
             mistakes=(Mistake(_fraction_is(float(len(batches))),
                               "that is the number of clipped updates: divide it by the number of batches."),)),
        Case("tau = 0.001: the clipped parameters", (params, batches, 0.1, 1e-3), _params_close(all_clip[0]),
             "multiply every array by the same factor tau / norm, with the global norm of the gradient, before "
             "the SGD step.",
             mistakes=(Mistake(_params_close(per_array[0]),
                               "each array was clipped by its own norm: measure ONE global norm over all five "
                               "arrays, sqrt(sum of every squared entry), and scale them all by tau / norm."),)),
        Case("tau between the gradient norms: fraction and parameters", (params, batches, 0.5, tau_mid),
             _all_of(_fraction_is(mid[2]), _params_close(mid[0])),
             "clip only the updates whose global norm is above tau; leave the others as they are."),
        Case("a new random network and data (different at every run)", (fresh_params, fresh_batches, 0.3, 0.2),
             _all_of(_params_close(fresh[0]), _losses_close(fresh[1]), _fraction_is(fresh[2])),
             "the fixed cases pass but this one does not: do not rely on sizes (hidden size, T, batch) "
             "or values of the cases above.", fresh=True),
    ]
    return run_cases("train_clipped", train_clipped, cases, quiet=quiet)
