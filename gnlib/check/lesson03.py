"""Checkers for exercises/03_gradient_clipping."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..clip import clip_by_global_norm, clip_by_norm
from ..models.rnn import CLIFF_START, rnn_grad_scalar
from ..norms import global_norm, l2_norm
from ._core import Case, CheckReport, Mismatch, Mistake, close_to, fresh_rng, run_cases

__all__ = ["check_clip_by_norm", "check_clip_by_global_norm", "check_rnn_gradient"]


PER_ENTRY_HINT = "multiply the whole vector by one number, max_norm / ||g||; never clip entries one by one."
SAFE_NORM_HINT = ("sqrt(sum(g**2)) overflows to inf for entries near 1e200, and g * (max_norm / inf) is 0: "
                  "compute the norm safely, scaling by the largest |entry| first (lesson 01).")


def _clip_mistakes(g: np.ndarray, max_norm: float) -> tuple[Mistake, ...]:
    norm = l2_norm(g)
    mistakes = [Mistake(close_to(np.clip(g, -max_norm, max_norm)), PER_ENTRY_HINT)]
    if norm > 0:
        mistakes.append(Mistake(close_to(g / norm), "the clipped gradient has length max_norm: "
                                                    "multiply g / ||g|| by max_norm."))
        if norm <= max_norm:
            mistakes.append(Mistake(close_to(g * max_norm / norm), "rescale only when ||g|| > max_norm; "
                                                                   "a shorter gradient is returned as it is."))
    return tuple(mistakes)


def check_clip_by_norm(my_clip_by_norm: Callable, *, quiet: bool = False) -> CheckReport:
    """Check a learner's ``clip_by_norm(g, max_norm)`` (Euclidean norm, direction kept)."""
    rng = np.random.default_rng(3)
    long = rng.normal(size=6) * 10.0
    drawn = fresh_rng().normal(size=5) * 10.0
    matrix = np.array([[3.0, 0.0], [0.0, -4.0]])

    def case(label: str, g: np.ndarray, max_norm: float, hint: str, **kw: Any) -> Case:
        return Case(label, (g, max_norm), close_to(clip_by_norm(g, max_norm)), hint,
                    mistakes=_clip_mistakes(g, max_norm), **kw)

    cases = [
        case("a gradient above the threshold", np.array([3.0, 4.0]), 1.0,
             "when ||g|| > max_norm, rescale g so that its norm becomes max_norm."),
        case("direction is kept (6 random entries)", long, 2.0, PER_ENTRY_HINT),
        case("5 entries drawn afresh at every run", drawn, 2.0, PER_ENTRY_HINT, fresh=True),
        case("below the threshold: unchanged", np.array([0.3, -0.4]), 1.0,
             "a gradient whose norm is at most max_norm is returned as it is."),
        case("exactly at the threshold: unchanged", np.array([3.0, 4.0]), 5.0,
             "use 'greater than' for the test: ||g|| == max_norm needs no clipping.", edge=True),
        case("the zero gradient (no 0/0)", np.zeros(3), 1.0,
             "a zero gradient has norm 0 <= max_norm: return it before dividing by its norm.", edge=True),
        case("a 2-D array counts as one long vector", matrix, 1.0,
             "take the norm over all entries (e.g. of g.ravel()) and keep the shape of g.", edge=True),
        case("max_norm = 0 gives the zero vector", np.array([1.0, 2.0]), 0.0,
             "with max_norm = 0 the rescaled gradient has norm 0.", edge=True),
        case("the input array is not modified in place", np.array([6.0, -8.0]), 1.0,
             "build a new array (g * factor), do not write into g.", edge=True),
        Case("a negative max_norm is refused with ValueError", (np.array([3.0, 4.0]), -1.0),
             raises=ValueError, edge=True,
             hint="a negative threshold would flip the gradient's sign (PyTorch silently does): raise ValueError."),
        case("huge entries (3e200, 4e200) are clipped, not zeroed", np.array([3e200, 4e200]), 1.0, SAFE_NORM_HINT,
             edge=True),
    ]
    return run_cases("clip_by_norm", my_clip_by_norm, cases, quiet=quiet)


def _global_ok(grads: Sequence[np.ndarray], max_norm: float, *, rtol: float = 1e-9) -> Callable[[Any], bool]:
    want, want_total = clip_by_global_norm(grads, max_norm)

    def accept(result: Any) -> bool:
        if not isinstance(result, tuple) or len(result) != 2:
            raise Mismatch("return a tuple (clipped_list, total_norm), e.g. `return clipped, total`.")
        clipped, total = result
        try:
            clipped = list(clipped)
        except TypeError:
            raise Mismatch("the first item of the tuple is the list of clipped arrays.") from None
        if len(clipped) != len(want):
            raise Mismatch(f"return one clipped array per input array ({len(want)} here); yours has {len(clipped)}.")
        return close_to(want_total, rtol=rtol)(total) and all(
            close_to(w, rtol=rtol, atol=1e-300)(c) for c, w in zip(clipped, want))

    return accept


def _global_mistakes(grads: Sequence[np.ndarray], max_norm: float) -> tuple[Mistake, ...]:
    want, total = clip_by_global_norm(grads, max_norm)
    per_array = [clip_by_norm(g, max_norm) for g in grads]

    def clipped_like(expected: Sequence[np.ndarray]) -> Callable[[Any], bool]:
        return lambda r: len(r[0]) == len(expected) and all(close_to(e, rtol=1e-9)(c) for c, e in zip(r[0], expected))

    def total_is(value: float) -> Callable[[Any], bool]:
        return lambda r: close_to(value, rtol=1e-9)(r[1])

    mistakes = [Mistake(clipped_like(per_array), "one factor max_norm / total_norm for every array: clipping each "
                                                 "array by its own norm turns the direction.")]
    if total > max_norm:
        mistakes.append(Mistake(total_is(global_norm(want)), "report the total norm measured before clipping "
                                                             "(what you would log), not after."))
    return tuple(mistakes)


def check_clip_by_global_norm(my_clip_by_global_norm: Callable, *, quiet: bool = False) -> CheckReport:
    """Check ``clip_by_global_norm(grads, max_norm) -> (clipped_list, total_norm_before)``."""
    rng = np.random.default_rng(5)
    groups = [rng.normal(size=s) for s in [(5,), (3, 4), (2, 2, 2)]]
    fresh = fresh_rng()
    drawn = [fresh.normal(size=s) * 3.0 for s in [(4,), (2, 3)]]
    lopsided = [np.array([30.0, -40.0]), np.array([0.1, 0.2, -0.2])]
    small = [np.array([0.1]), np.array([[0.2, -0.2]])]
    huge = [np.array([3e200, 0.0]), np.array([[4e200]])]

    def case(label: str, grads: list[np.ndarray], max_norm: float, hint: str, **kw: Any) -> Case:
        return Case(label, (grads, max_norm), _global_ok(grads, max_norm), hint,
                    mistakes=_global_mistakes(grads, max_norm), **kw)

    cases = [
        case("two one-entry arrays, [3] and [4], threshold 1", [np.array([3.0]), np.array([4.0])], 1.0,
             "total_norm is the norm of all entries together; every array is multiplied by max_norm / total_norm."),
        case("three arrays of different shapes", groups, 1.0,
             "one factor max_norm / total_norm for every array; keep each array's shape."),
        case("two arrays drawn afresh at every run", drawn, 1.0,
             "one factor max_norm / total_norm for every array; keep each array's shape.", fresh=True),
        case("one big and one small array: direction kept", lopsided, 1.0,
             "clipping each array by its own norm shrinks the big one only and turns the direction."),
        case("the returned norm is measured before clipping", groups, 0.5,
             "report the total norm of the gradients you were given, as PyTorch's clip_grad_norm_ does."),
        case("below the threshold: unchanged", small, 1.0,
             "if the total norm is at most max_norm, return the arrays as they are (and the total norm).", edge=True),
        case("all-zero gradients (no 0/0)", [np.zeros(2), np.zeros((2, 2))], 1.0,
             "a total norm of 0 needs no clipping: do not divide by it.", edge=True),
        case("an empty list", [], 1.0, "no gradients: return an empty list and a total norm of 0.0.", edge=True),
        case("the input arrays are not modified in place", [np.array([3.0, 0.0]), np.array([[4.0]])], 1.0,
             "return new arrays (g * factor); g *= factor would change the caller's gradients.", edge=True),
        case("huge entries (3e200, 4e200) are clipped, not zeroed", huge, 1.0,
             "sqrt(sum(a**2)) overflows to inf for entries near 1e200: take each array's norm safely (scale by "
             "its largest |entry|, lesson 01), then the safe norm of those norms.", edge=True),
    ]
    return run_cases("clip_by_global_norm", my_clip_by_global_norm, cases, quiet=quiet)


def _sigmoid(x: float) -> float:
    return 0.5 * (1.0 + math.tanh(0.5 * x))


def _bptt(w: float, b: float, n_steps: int = 50, x0: float = 0.5, target: float = 0.7, *,
          slope_at_T: bool = True, factor_two: bool = True, w_in_recursion: bool = True) -> list[float]:
    """(dE/dw, dE/db) by BPTT, optionally with one of the typical slips (for the hints)."""
    s = [_sigmoid(x0)]
    for _ in range(n_steps):
        s.append(_sigmoid(w * s[-1] + b))
    delta = (2.0 if factor_two else 1.0) * (s[-1] - target) * (s[-1] * (1.0 - s[-1]) if slope_at_T else 1.0)
    gw = gb = 0.0
    for t in range(n_steps, 0, -1):
        gw += delta * s[t - 1]
        gb += delta
        delta *= (w if w_in_recursion else 1.0) * s[t - 1] * (1.0 - s[t - 1])
    return [gw, gb]


def _rnn_case(label: str, w: float, b: float, hint: str, *, edge: bool = False, fresh: bool = False,
              **kw: Any) -> Case:
    _, gw, gb = rnn_grad_scalar(w, b, **kw)
    slips = [({"slope_at_T": False}, "δ_T = ∂E/∂x_T needs σ′(x_T) = s_T(1 − s_T) as well as 2(s_T − y): "
                                     "E depends on x_T through s_T = σ(x_T)."),
             ({"factor_two": False}, "the derivative of (s_T − y)² is 2(s_T − y): the factor 2 is missing."),
             ({"w_in_recursion": False}, "moving one step back multiplies δ by w σ′(x_{t−1}): the factor w is missing.")]
    mistakes = [Mistake(close_to(_bptt(w, b, **kw, **slip), rtol=1e-6, atol=1e-12), text) for slip, text in slips
                if kw.get("n_steps", 50) > 0]
    mistakes.append(Mistake(close_to([-gw, -gb], rtol=1e-6, atol=1e-12),
                            "the sign is flipped: start from 2(s_T − y), not 2(y − s_T)."))
    if "x0" in kw:
        mistakes.append(Mistake(close_to(_bptt(w, b, kw.get("n_steps", 50)), rtol=1e-6, atol=1e-12),
                                "use the x0 and target arguments instead of the defaults 0.5 and 0.7."))
    return Case(label, (w, b), close_to([gw, gb], rtol=1e-6, atol=1e-12), hint, kwargs=kw, edge=edge,
                mistakes=tuple(mistakes), fresh=fresh)


def check_rnn_gradient(my_rnn_gradient: Callable, *, quiet: bool = False) -> CheckReport:
    """Check ``rnn_gradient(w, b, n_steps=50, x0=0.5, target=0.7) -> (dE_dw, dE_db)`` (BPTT)."""
    w5, b5 = CLIFF_START
    rng = fresh_rng()
    w_drawn, b_drawn = float(rng.uniform(0.5, 3.0)), float(rng.uniform(-1.5, 1.5))
    backward = "carry δ_{t−1} = δ_t · w · s_{t−1}(1 − s_{t−1}) backwards, adding δ_t s_{t−1} to ∂E/∂w and δ_t to ∂E/∂b."
    cases = [
        _rnn_case("one time step (n_steps = 1)", 1.5, -0.3,
                  "with one step, x_1 = w s(x_0) + b: apply the chain rule to (s(x_1) − target)² once.", n_steps=1),
        _rnn_case("five time steps", 1.5, -0.3, "w is used at every step: add up δ_t s_{t−1} over t = 1..T.",
                  n_steps=5),
        _rnn_case("eight steps at (w, b) drawn afresh at every run", w_drawn, b_drawn, backward, n_steps=8,
                  fresh=True),
        _rnn_case("fifty steps at an ordinary point", 4.0, -2.0, backward),
        _rnn_case("next to the cliff, (5.0, -2.6124)", w5, b5,
                  "a huge gradient here is right; if yours is small, check the backward recursion's factor w.",
                  edge=True),
        _rnn_case("far out on the plateau, (223.5, 349.0)", 223.5, 349.0,
                  "sigmoid saturates here: compute it without overflow, e.g. as (1 + tanh(x/2)) / 2.", edge=True),
        _rnn_case("zero time steps: the loss does not depend on w, b", 3.0, 1.0,
                  "with n_steps = 0 no step uses w or b, so both derivatives are 0.", n_steps=0, edge=True),
        _rnn_case("another start x0 and target", 2.0, 0.5,
                  "use the x0 and target arguments instead of the defaults 0.5 and 0.7.",
                  n_steps=10, x0=-1.0, target=0.2, edge=True),
    ]
    return run_cases("rnn_gradient", my_rnn_gradient, cases, quiet=quiet)
