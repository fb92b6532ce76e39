"""Checkers for exercises/03_gradient_clipping."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..clip import clip_by_global_norm, clip_by_norm
from ..models.rnn import CLIFF_START, rnn_grad_scalar
from ..norms import global_norm
from ._core import Case, CheckReport, close_to, run_cases

__all__ = ["check_clip_by_norm", "check_clip_by_global_norm", "check_rnn_gradient"]


def _unchanged(originals: Sequence[np.ndarray], copies: Sequence[np.ndarray]) -> Callable[[Any], bool]:
    """Accept any result as long as the inputs still hold their original values."""

    def accept(result: Any) -> bool:
        return all(np.array_equal(a, c) for a, c in zip(originals, copies))

    return accept


def check_clip_by_norm(my_clip_by_norm: Callable, *, quiet: bool = False) -> CheckReport:
    """Check a learner's ``clip_by_norm(g, max_norm)`` (Euclidean norm, direction kept)."""
    rng = np.random.default_rng(3)
    long = rng.normal(size=6) * 10.0
    matrix = np.array([[3.0, 0.0], [0.0, -4.0]])
    g_in = np.array([6.0, -8.0])
    cases = [
        Case("a gradient above the threshold", (np.array([3.0, 4.0]), 1.0),
             close_to(clip_by_norm(np.array([3.0, 4.0]), 1.0)),
             "when ||g|| > max_norm, rescale g so that its norm becomes max_norm."),
        Case("direction is kept (6 random entries)", (long, 2.0), close_to(clip_by_norm(long, 2.0)),
             "multiply the whole vector by one number, max_norm / ||g||; never clip entries one by one."),
        Case("below the threshold: unchanged", (np.array([0.3, -0.4]), 1.0), close_to([0.3, -0.4]),
             "a gradient whose norm is at most max_norm is returned as it is."),
        Case("exactly at the threshold: unchanged", (np.array([3.0, 4.0]), 5.0), close_to([3.0, 4.0]),
             "use 'greater than' for the test: ||g|| == max_norm needs no clipping."),
        Case("the zero gradient (no 0/0)", (np.zeros(3), 1.0), close_to(np.zeros(3)),
             "a zero gradient has norm 0 <= max_norm: return it before dividing by its norm."),
        Case("a 2-D array counts as one long vector", (matrix, 1.0), close_to(clip_by_norm(matrix, 1.0)),
             "take the norm over all entries (e.g. of g.ravel()) and keep the shape of g."),
        Case("max_norm = 0 gives the zero vector", (np.array([1.0, 2.0]), 0.0), close_to([0.0, 0.0]),
             "with max_norm = 0 the rescaled gradient has norm 0."),
        Case("the input array is not modified in place", (g_in, 1.0),
             _unchanged([g_in], [g_in.copy()]),
             "build a new array (g * factor), do not write into g (g *= factor changes the caller's data)."),
        Case("a negative max_norm is refused with ValueError", (np.array([3.0, 4.0]), -1.0),
             raises=ValueError,
             hint="a negative threshold would flip the gradient's sign (PyTorch silently does): raise ValueError."),
        Case("huge entries (3e200, 4e200) are clipped, not zeroed", (np.array([3e200, 4e200]), 1.0),
             close_to(clip_by_norm(np.array([3e200, 4e200]), 1.0)),
             "sqrt(sum(g**2)) overflows to inf and g * (1/inf) is 0: compute the norm safely (lesson 01)."),
    ]
    return run_cases("clip_by_norm", my_clip_by_norm, cases, quiet=quiet)


def _global_ok(grads: Sequence[np.ndarray], max_norm: float, *, rtol: float = 1e-9) -> Callable[[Any], bool]:
    want, want_total = clip_by_global_norm(grads, max_norm)

    def accept(result: Any) -> bool:
        if not isinstance(result, tuple) or len(result) != 2:
            return False
        clipped, total = result
        clipped = list(clipped)
        if len(clipped) != len(want):
            return False
        return close_to(want_total, rtol=rtol)(total) and all(
            close_to(w, rtol=rtol, atol=1e-300)(c) for c, w in zip(clipped, want))

    return accept


def check_clip_by_global_norm(my_clip_by_global_norm: Callable, *, quiet: bool = False) -> CheckReport:
    """Check ``clip_by_global_norm(grads, max_norm) -> (clipped_list, total_norm_before)``."""
    rng = np.random.default_rng(5)
    groups = [rng.normal(size=s) for s in [(5,), (3, 4), (2, 2, 2)]]
    lopsided = [np.array([30.0, -40.0]), np.array([0.1, 0.2, -0.2])]
    small = [np.array([0.1]), np.array([[0.2, -0.2]])]
    inputs = [np.array([3.0, 0.0]), np.array([[4.0]])]
    copies = [a.copy() for a in inputs]
    cases = [
        Case("two one-entry arrays, [3] and [4], threshold 1", ([np.array([3.0]), np.array([4.0])], 1.0),
             _global_ok([np.array([3.0]), np.array([4.0])], 1.0),
             "return a tuple (clipped_list, total_norm); total_norm is the norm of all entries together."),
        Case("three arrays of different shapes", (groups, 1.0), _global_ok(groups, 1.0),
             "one factor max_norm / total_norm for every array; keep each array's shape."),
        Case("one big and one small array: direction kept", (lopsided, 1.0), _global_ok(lopsided, 1.0),
             "clipping each array by its own norm shrinks the big one only and turns the direction."),
        Case("the returned norm is measured before clipping", (groups, 0.5),
             lambda r: isinstance(r, tuple) and len(r) == 2 and close_to(global_norm(groups))(r[1]),
             "report the total norm of the gradients you were given, as PyTorch's clip_grad_norm_ does."),
        Case("below the threshold: unchanged", (small, 1.0), _global_ok(small, 1.0),
             "if the total norm is at most max_norm, return the arrays as they are (and the total norm)."),
        Case("all-zero gradients (no 0/0)", ([np.zeros(2), np.zeros((2, 2))], 1.0),
             _global_ok([np.zeros(2), np.zeros((2, 2))], 1.0),
             "a total norm of 0 needs no clipping: do not divide by it."),
        Case("an empty list", ([], 1.0), _global_ok([], 1.0),
             "no gradients: return an empty list and a total norm of 0.0."),
        Case("the input arrays are not modified in place", (inputs, 1.0),
             _unchanged(inputs, copies),
             "return new arrays (g * factor); g *= factor would change the caller's gradients."),
    ]
    return run_cases("clip_by_global_norm", my_clip_by_global_norm, cases, quiet=quiet)


def check_rnn_gradient(my_rnn_gradient: Callable, *, quiet: bool = False) -> CheckReport:
    """Check ``rnn_gradient(w, b, n_steps=50, x0=0.5, target=0.7) -> (dE_dw, dE_db)`` (BPTT)."""

    def ok(w: float, b: float, **kw: Any) -> Callable[[Any], bool]:
        _, gw, gb = rnn_grad_scalar(w, b, **kw)
        return close_to([gw, gb], rtol=1e-6, atol=1e-12)

    w5, b5 = CLIFF_START
    cases = [
        Case("one time step (n_steps = 1)", (1.5, -0.3), ok(1.5, -0.3, n_steps=1), kwargs={"n_steps": 1},
             hint="with one step, x_1 = w s(x_0) + b: apply the chain rule to (s(x_1) - target)^2 once."),
        Case("five time steps", (1.5, -0.3), ok(1.5, -0.3, n_steps=5), kwargs={"n_steps": 5},
             hint="w is used at every step: add up delta_t * s(x_{t-1}) over t = 1..T."),
        Case("fifty steps at an ordinary point", (4.0, -2.0), ok(4.0, -2.0),
             "carry delta_{t-1} = delta_t * w * s'(x_{t-1}) backwards, with s' = s (1 - s)."),
        Case("next to the cliff, (5.0, -2.6124)", (w5, b5), ok(w5, b5),
             "a huge gradient here is right; if yours is small, check the backward recursion's factor w."),
        Case("far out on the plateau, (223.5, 349.0)", (223.5, 349.0), ok(223.5, 349.0),
             "sigmoid saturates here: compute it without overflow, e.g. as (1 + tanh(x/2)) / 2."),
        Case("zero time steps: the loss does not depend on w, b", (3.0, 1.0), ok(3.0, 1.0, n_steps=0),
             kwargs={"n_steps": 0}, hint="with n_steps = 0 no step uses w or b, so both derivatives are 0."),
        Case("another start x0 and target", (2.0, 0.5), ok(2.0, 0.5, n_steps=10, x0=-1.0, target=0.2),
             kwargs={"n_steps": 10, "x0": -1.0, "target": 0.2},
             hint="use the x0 and target arguments instead of the defaults 0.5 and 0.7."),
    ]
    return run_cases("rnn_gradient", my_rnn_gradient, cases, quiet=quiet)
