"""Numerical gradients and gradient checking (in the style of CS231n).

Every hand-derived gradient in gnlib is compared against
:func:`numerical_gradient` in the tests; learners use the same tools to check
their own derivations. Lesson 02's directional derivatives
(:func:`unit_vector`, :func:`directional_derivative`) and its study of
forward versus central differences (:func:`finite_difference_errors`) live
here too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._differences import call_gradient, checked_point, difference_gradient
from ._validation import as_float_array, check_callable, check_same_shape, check_scalar

__all__ = ["numerical_gradient", "forward_difference_gradient", "rel_error", "check_gradient", "unit_vector",
           "directional_derivative", "finite_difference_errors"]


def numerical_gradient(f: Callable[[np.ndarray], Any], x: Any, h: float = 1e-5) -> np.ndarray:
    """Gradient of a scalar function by central differences.

    ``df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / (2h)``, with truncation error
    O(h^2) and round-off error O(eps / h); ``h = 1e-5`` balances the two for
    smooth functions with values of order one.

    Parameters
    ----------
    f : callable
        Maps an array shaped like ``x`` to a scalar.
    x : array_like
        The point, any shape. It is not modified: ``f`` gets a fresh float64
        copy at every call, so an ``f`` that changes its argument in place
        cannot change the result.
    h : float, default 1e-5
        Step size, > 0, small enough that ``x ± h`` stays finite.

    Returns
    -------
    numpy.ndarray
        Float64 array with the shape of ``x``. A difference of ``f`` values
        or a step ``2h`` beyond the float range is halved first, so
        ``numerical_gradient(sum, [1.0, 2.0], h=1e308)`` is ``[1, 1]``; an
        inf or NaN value of ``f`` propagates.

    Raises
    ------
    ValueError
        If ``h <= 0``, ``x ± h`` overflows, ``x`` has an inf or NaN entry,
        or ``f`` does not return a scalar.
    TypeError
        If ``f`` is not callable or returns something other than a real
        number (None, a string, a complex number), or ``x`` is not numeric.

    Examples
    --------
    >>> g = numerical_gradient(lambda x: np.sum(x**2), np.array([1.0, -2.0]))
    >>> np.round(g, 6)
    array([ 2., -4.])
    """
    return difference_gradient(f, x, h, central=True)


def forward_difference_gradient(
    f: Callable[[np.ndarray], Any], x: Any, h: float = 1e-8
) -> np.ndarray:
    """Gradient by forward differences ``(f(x + h e_i) - f(x)) / h``.

    Error O(h) + O(eps / h): less accurate than :func:`numerical_gradient`,
    shown in lesson 02 for comparison. Same parameters and errors.

    Examples
    --------
    >>> g = forward_difference_gradient(lambda x: np.sum(x**2), np.array([1.0]))
    >>> bool(abs(g[0] - 2.0) < 1e-6)
    True
    """
    return difference_gradient(f, x, h, central=False)


def rel_error(a: Any, b: Any) -> float:
    """Largest relative error ``|a - b| / max(1e-8, |a| + |b|)``, entry-wise.

    The CS231n convention: about 1e-7 or less means two gradients agree;
    around 1e-2 or more means a bug.

    Parameters
    ----------
    a, b : array_like
        Same shape.

    Returns
    -------
    float
        The maximum over entries (0.0 for empty arrays). NaN anywhere gives
        NaN. Computed without overflow: ``rel_error([1.5e308], [1.6e308])``
        is 0.032 and ``rel_error([1e308], [-1e308])`` is 1.0.

    Raises
    ------
    ValueError
        If the shapes differ.

    Examples
    --------
    >>> rel_error([1.0, 2.0], [1.0, 2.0])
    0.0
    >>> round(rel_error([1.0], [1.1]), 4)
    0.0476
    """
    a = as_float_array(a, "a").astype(np.float64)
    b = as_float_array(b, "b").astype(np.float64)
    check_same_shape(a, b, "a", "b")
    if a.size == 0:
        return 0.0
    with np.errstate(invalid="ignore", under="ignore", over="ignore"):
        err = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))
        huge = np.isinf(np.abs(a) + np.abs(b)) & np.isfinite(a) & np.isfinite(b)
        if huge.any():  # halved (exact for such entries) so that neither a - b nor |a| + |b| overflows
            ah, bh = a[huge] / 2, b[huge] / 2
            err[huge] = np.abs(ah - bh) / (np.abs(ah) + np.abs(bh))
    if np.isnan(err).any():
        return float("nan")
    return float(err.max())


def check_gradient(
    f: Callable[[np.ndarray], Any],
    grad_f: Callable[[np.ndarray], Any],
    x: Any,
    h: float = 1e-5,
) -> float:
    """Compare an analytic gradient with central differences at ``x``.

    Parameters
    ----------
    f : callable
        Scalar function of an array shaped like ``x``.
    grad_f : callable
        Claimed gradient of ``f``; must return an array shaped like ``x``.
    x : array_like
        The point to check at.
    h : float, default 1e-5
        Finite-difference step.

    Returns
    -------
    float
        ``rel_error(grad_f(x), numerical_gradient(f, x, h))``.

    Raises
    ------
    ValueError
        If ``grad_f(x)`` does not have the shape of ``x``, or as
        :func:`numerical_gradient`.
    TypeError
        If ``f`` or ``grad_f`` is not callable, or ``grad_f(x)`` is not an
        array of real numbers (None, strings, complex), or as
        :func:`numerical_gradient`.

    Examples
    --------
    >>> err = check_gradient(lambda x: np.sum(x**3), lambda x: 3 * x**2, np.array([1.0, 2.0]))
    >>> bool(err < 1e-7)
    True
    """
    check_callable(f, "f")
    check_callable(grad_f, "grad_f")
    x = checked_point(x, check_scalar(h, "h", low=0.0, low_inclusive=False), central=True)
    return rel_error(call_gradient(grad_f, x), numerical_gradient(f, x, h))


def unit_vector(angle_deg: Any) -> np.ndarray:
    """The unit vector ``u = (cos phi, sin phi)`` at angle ``phi`` (degrees, from the theta_1 axis).

    Parameters
    ----------
    angle_deg : float or array_like
        Angle(s) in degrees, measured anticlockwise.

    Returns
    -------
    numpy.ndarray
        Shape ``(..., 2)``: one unit vector per angle.

    Examples
    --------
    >>> np.round(unit_vector(90.0), 12)
    array([0., 1.])
    >>> unit_vector([0.0, 180.0]).shape
    (2, 2)
    """
    phi = np.deg2rad(as_float_array(angle_deg, "angle_deg").astype(np.float64))
    if not np.isfinite(phi).all():
        raise ValueError("angle_deg must be finite")
    return np.stack([np.cos(phi), np.sin(phi)], axis=-1)


def directional_derivative(gradient: Any, u: Any) -> np.ndarray | float:
    """The directional derivative ``D_u f = grad f . u`` along unit vector(s) ``u``.

    A scalar per direction: the rate at which ``f`` changes when you move
    from the point along ``u``. It is largest, equal to ``||grad f||``, when
    ``u`` points along the gradient (steepest ascent), ``-||grad f||`` along
    ``-grad f`` (steepest descent) and 0 along a contour line.

    Parameters
    ----------
    gradient : array_like
        The gradient ``grad f`` at the point, shape ``(dim,)``.
    u : array_like
        A unit vector of shape ``(dim,)`` or a stack of them, ``(..., dim)``.

    Returns
    -------
    float or numpy.ndarray
        A float for one direction, shape ``(...)`` for a stack. Computed
        without intermediate overflow: ``inf`` only when the directional
        derivative of a finite gradient is beyond the float range; an inf or
        NaN in the gradient propagates (NaN where it meets a zero component
        of ``u``).

    Raises
    ------
    ValueError
        If the last dimension of ``u`` differs from the gradient's length or
        some ``u`` does not have length 1 (within 1e-9).

    Examples
    --------
    >>> directional_derivative([3.0, 4.0], [0.6, 0.8])  # along the gradient: its norm
    5.0
    >>> round(directional_derivative([3.0, 4.0], [0.8, -0.6]), 12)  # along a contour line
    0.0
    """
    g = as_float_array(gradient, "gradient").astype(np.float64)
    u = as_float_array(u, "u").astype(np.float64)
    if g.ndim != 1:
        raise ValueError(f"gradient must be a vector of shape (dim,), got {g.shape}")
    if u.ndim == 0 or u.shape[-1] != g.shape[0]:
        raise ValueError(f"u must have shape (..., {g.shape[0]}) like the gradient, got {u.shape}")
    with np.errstate(over="ignore", under="ignore"):
        lengths = np.sqrt(np.sum(u * u, axis=-1))
    if not np.all(np.abs(lengths - 1.0) <= 1e-9):
        raise ValueError("u must be a unit vector (length 1); divide it by its norm first")
    with np.errstate(over="ignore", invalid="ignore"):
        result = u @ g
        if np.isfinite(g).all() and not np.isfinite(result).all():
            # partial sums are at most ||u|| ||g|| <= (1 + 1e-9) sqrt(dim) max|g|: scale g below that
            shift = math.frexp(math.sqrt(g.size))[1] + 1
            result = np.ldexp(u @ np.ldexp(g, -shift), shift)  # inf only if the result is beyond the range
    return float(result) if np.ndim(result) == 0 else result


def finite_difference_errors(f: Callable[[np.ndarray], Any], grad_f: Callable[[np.ndarray], Any],
                             x: Any, hs: Sequence[float] | np.ndarray) -> dict[str, np.ndarray]:
    """Relative errors of forward and central differences for each step ``h``.

    For every ``h`` in ``hs``, compares :func:`gnlib.gradcheck.forward_difference_gradient`
    and :func:`gnlib.gradcheck.numerical_gradient` (central) at ``x`` with the
    analytic gradient, using :func:`gnlib.gradcheck.rel_error`. Large ``h``:
    truncation error, O(h) forward and O(h^2) central. Tiny ``h``: round-off
    error, about eps / h for both.

    Parameters
    ----------
    f : callable
        Scalar function of an array shaped like ``x``.
    grad_f : callable
        Its analytic gradient.
    x : array_like
        The point.
    hs : sequence of float
        Steps, each > 0.

    Returns
    -------
    dict
        ``"h"``, ``"forward"``, ``"central"``: float arrays of the same length.
        Errors are floored at 1e-17 so that a lucky exact 0 still shows on a log axis.

    Raises
    ------
    ValueError
        If ``hs`` is empty, some ``h <= 0``, or ``grad_f(x)`` does not have
        the shape of ``x``; or as :func:`numerical_gradient`.
    TypeError
        If ``f`` or ``grad_f`` is not callable, or ``grad_f(x)`` is not an
        array of real numbers (None, strings, complex); or as
        :func:`numerical_gradient`.

    Examples
    --------
    >>> from gnlib.functions import hill_and_pit
    >>> f = hill_and_pit()
    >>> errs = finite_difference_errors(f.value, f.gradient, [0.3, -0.2], [1e-3])
    >>> bool(errs["central"][0] < errs["forward"][0])
    True
    """
    check_callable(f, "f")
    check_callable(grad_f, "grad_f")
    hs = as_float_array(hs, "hs").astype(np.float64).reshape(-1)
    if hs.size == 0:
        raise ValueError("hs must contain at least one step h")
    if not np.all(hs > 0) or not np.isfinite(hs).all():
        raise ValueError("hs must contain finite steps h > 0")
    x = checked_point(x, float(hs.max()), central=True)
    exact = call_gradient(grad_f, x)
    forward = np.array([rel_error(forward_difference_gradient(f, x, h), exact) for h in hs])
    central = np.array([rel_error(numerical_gradient(f, x, h), exact) for h in hs])
    return {"h": hs, "forward": np.maximum(forward, 1e-17), "central": np.maximum(central, 1e-17)}
