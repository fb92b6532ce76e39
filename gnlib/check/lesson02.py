"""Checkers for exercises/02_gradients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..gradcheck import numerical_gradient, rel_error
from ._core import Case, CheckReport, close_to, run_cases

__all__ = [
    "check_central_difference",
    "check_analytic_gradient",
    "check_logistic_gradient",
    "check_directional_derivative",
]


def _close_to_numerical(f: Callable[[np.ndarray], Any], x: np.ndarray, tol: float = 1e-6) -> Callable[[Any], bool]:
    """Accept a gradient of the right shape within ``tol`` (rel_error) of central differences."""
    reference = numerical_gradient(f, x)

    def accept(result: Any) -> bool:
        got = np.asarray(result, dtype=np.float64)
        return got.shape == reference.shape and rel_error(got, reference) < tol

    return accept


def check_central_difference(central_difference: Callable, *, quiet: bool = False) -> CheckReport:
    """Check a learner's ``central_difference(f, x, h=1e-5)``: the gradient of ``f`` at ``x``, any shape."""
    cube = np.array([1.0, -2.0, 0.5])
    weights = np.arange(1.0, 7.0).reshape(2, 3)
    matrix = np.array([[0.1, -0.4, 2.0], [1.5, 0.0, -1.0]])
    block = np.linspace(-1.0, 1.0, 8).reshape(2, 2, 2)
    untouched = np.array([0.3, -0.7, 1.1])
    original = untouched.copy()

    def unchanged(result: Any) -> bool:
        return np.array_equal(untouched, original) and close_to(2.0 * original, rtol=1e-6, atol=1e-8)(result)

    cases = [
        Case("f(x) = sum(x**3) on a vector", (lambda x: np.sum(x**3), cube), close_to(3.0 * cube**2, rtol=1e-8, atol=1e-8),
             "use the central difference (f(x + h e_i) - f(x - h e_i)) / (2h): the forward one is far less accurate."),
        Case("a matrix x of shape (2, 3)", (lambda x: np.sum(np.sin(x) * weights), matrix),
             close_to(np.cos(matrix) * weights, rtol=1e-7, atol=1e-9),
             "return an array shaped like x, with one partial derivative per entry (loop over x.reshape(-1) of a copy)."),
        Case("a 3-D array x of shape (2, 2, 2)", (lambda x: 0.5 * np.sum(x**2) + np.sum(x), block),
             close_to(block + 1.0, rtol=1e-7, atol=1e-9), "every entry of x, whatever the shape, gets a partial derivative."),
        Case("x is left unchanged", (lambda x: np.sum(x**2), untouched), unchanged,
             "nudge a float copy of x, or put each entry back after nudging it."),
        Case("integer x (np.array([1, 2, 3]))", (lambda x: np.sum(x**2), np.array([1, 2, 3])),
             close_to([2.0, 4.0, 6.0], rtol=1e-6), "an integer array cannot hold x + h: convert x to float64 first."),
        Case("the step h is a parameter (h = 1e-3)", (lambda x: np.sum(x**3), cube),
             close_to(numerical_gradient(lambda x: np.sum(x**3), cube, 1e-3), rtol=1e-9),
             "use the h you are given, not a fixed number.", kwargs={"h": 1e-3}),
    ]
    return run_cases("central_difference", central_difference, cases, quiet=quiet)


def _exercise_function(theta: np.ndarray) -> float:
    """The function of the analytic-gradient exercise: ``theta_1^2 theta_2 + sin(theta_1 theta_2)``."""
    return float(theta[0] ** 2 * theta[1] + np.sin(theta[0] * theta[1]))


def check_analytic_gradient(grad_J: Callable, *, quiet: bool = False) -> CheckReport:
    """Check ``grad_J(theta)`` for ``J(theta) = theta_1^2 theta_2 + sin(theta_1 theta_2)`` against central differences."""
    rng = np.random.default_rng(2)
    random_points = rng.uniform(-2.0, 2.0, size=(3, 2))
    hint = "∂J/∂θ₁ needs the product rule on θ₁²θ₂ and the chain rule on sin(θ₁θ₂); ∂J/∂θ₂ likewise."
    points = [("at θ = (1, 0)", np.array([1.0, 0.0])), ("at θ = (0, 1)", np.array([0.0, 1.0])),
              ("at θ = (-1.5, 2)", np.array([-1.5, 2.0]))]
    points += [(f"at random point {i + 1}", p) for i, p in enumerate(random_points)]
    cases = [Case(label, (p.copy(),), _close_to_numerical(_exercise_function, p), hint) for label, p in points]
    return run_cases("grad_J", grad_J, cases, quiet=quiet)


def _logistic_loss(theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    """Mean logistic loss ``mean(log(1 + exp(-y_i x_i . theta)))``, computed stably."""
    return float(np.mean(np.logaddexp(0.0, -y * (X @ theta))))


def check_logistic_gradient(logistic_gradient: Callable, *, quiet: bool = False) -> CheckReport:
    """Check a fixed ``logistic_gradient(theta, X, y)`` against central differences of the mean logistic loss."""
    rng = np.random.default_rng(7)
    cases = []
    hint = ("run check_gradient on your version: d/dm log(1 + e^(-m)) = -e^(-m) / (1 + e^(-m)); "
            "write that with a sigmoid and compare the sign inside the exponential.")
    for label, n, d, scale in [("8 samples, 3 features, θ = 0", 8, 3, 0.0), ("8 samples, 3 features", 8, 3, 1.0),
                               ("a single sample", 1, 2, 1.0), ("20 samples, 5 features, larger θ", 20, 5, 3.0)]:
        X = rng.normal(size=(n, d))
        y = np.where(rng.uniform(size=n) < 0.5, -1.0, 1.0)
        theta = scale * rng.normal(size=d)
        accept = _close_to_numerical(lambda t, X=X, y=y: _logistic_loss(t, X, y), theta)
        cases.append(Case(label, (theta.copy(), X, y), accept, hint))
    return run_cases("logistic_gradient", logistic_gradient, cases, quiet=quiet)


def check_directional_derivative(directional_derivative: Callable, *, quiet: bool = False) -> CheckReport:
    """Check ``directional_derivative(grad_f, theta, u)``: ``grad f(theta) . u / ||u||``; zero ``u`` raises ValueError."""

    def grad_f(theta: np.ndarray) -> np.ndarray:  # gradient of f = theta_1^2 + 3 theta_1 theta_2
        return np.array([2.0 * theta[0] + 3.0 * theta[1], 3.0 * theta[0]])

    def grad_3d(theta: np.ndarray) -> np.ndarray:  # gradient of f = 0.5 ||theta||^2
        return np.asarray(theta, dtype=np.float64)

    theta = np.array([1.0, 2.0])  # grad_f(theta) = (8, 3)
    g = grad_f(theta)
    cases = [
        Case("u = (1, 0), a unit vector", (grad_f, theta, np.array([1.0, 0.0])), close_to(8.0, rtol=1e-12),
             "D_u f = ∇f(θ) · u: evaluate the gradient at θ, then take the dot product."),
        Case("u = (3, 4) is not a unit vector", (grad_f, theta, np.array([3.0, 4.0])), close_to(36.0 / 5.0, rtol=1e-12),
             "divide u by its length before the dot product: only the direction counts."),
        Case("u along the gradient gives the largest rate", (grad_f, theta, g.copy()),
             close_to(np.sqrt(73.0), rtol=1e-12), "along ∇f the directional derivative equals ‖∇f‖."),
        Case("u along a contour line gives 0", (grad_f, theta, np.array([-3.0, 8.0])), close_to(0.0, atol=1e-12),
             "a direction perpendicular to ∇f has ∇f · u = 0."),
        Case("a 3-D example", (grad_3d, np.array([1.0, -2.0, 2.0]), np.array([0.0, 0.0, -2.0])),
             close_to(-2.0, rtol=1e-12), "the same formula works in any dimension."),
        Case("u = 0 is refused with ValueError", (grad_f, theta, np.zeros(2)), raises=ValueError,
             hint="the zero vector has no direction: raise ValueError('u must not be the zero vector')."),
    ]
    return run_cases("directional_derivative", directional_derivative, cases, quiet=quiet)
