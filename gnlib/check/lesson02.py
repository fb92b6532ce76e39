"""Checkers for exercises/02_gradients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..gradcheck import numerical_gradient, rel_error
from ._core import Case, CheckReport, Mistake, close_to, fresh_rng, numeric_result, run_cases

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
        return rel_error(numeric_result(result, reference.shape), reference) < tol

    return accept


HALF_STEP_HINT = ("the points x + h e_i and x − h e_i are 2h apart: divide the difference by 2h, not by h.")
FORWARD_HINT = ("use the central difference (f(x + h e_i) − f(x − h e_i)) / (2h): the forward one, "
                "(f(x + h e_i) − f(x)) / h, is far less accurate.")


def _forward_difference(f: Callable[[np.ndarray], Any], x: np.ndarray, h: float) -> np.ndarray:
    x = np.array(x, dtype=np.float64)
    f0, grad = f(x), np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = x.copy()
        step[i] += h
        grad[i] = (f(step) - f0) / h
    return grad


def _difference_case(label: str, f: Callable[[np.ndarray], Any], x: np.ndarray, hint: str, *,
                     h: float = 1e-5, **kw: Any) -> Case:
    """A central-difference case with the typical mistakes (divide by h, forward difference) diagnosed."""
    want = numerical_gradient(f, x, h)
    mistakes = (Mistake(close_to(2.0 * want, rtol=1e-6, atol=1e-8), HALF_STEP_HINT),
                Mistake(close_to(_forward_difference(f, x, h), rtol=1e-9, atol=1e-12), FORWARD_HINT),
                *kw.pop("mistakes", ()))
    kwargs = {"h": h} if h != 1e-5 else {}
    return Case(label, (f, x), close_to(want, rtol=1e-7, atol=1e-9), hint, kwargs=kwargs, mistakes=mistakes, **kw)


def check_central_difference(central_difference: Callable, *, quiet: bool = False) -> CheckReport:
    """Check a learner's ``central_difference(f, x, h=1e-5)``: the gradient of ``f`` at ``x``, any shape."""
    cube = np.array([1.0, -2.0, 0.5])
    weights = np.arange(1.0, 7.0).reshape(2, 3)
    matrix = np.array([[0.1, -0.4, 2.0], [1.5, 0.0, -1.0]])
    block = np.linspace(-1.0, 1.0, 8).reshape(2, 2, 2)
    drawn = fresh_rng().uniform(-2.0, 2.0, size=4)
    loop_hint = "return an array shaped like x, with one partial derivative (f(x + h e_i) − f(x − h e_i)) / (2h) per entry."
    zero_hint = ("an integer array cannot hold x ± h (the nudged value is cut to a whole number): "
                 "convert x to float64 first.")
    cases = [
        _difference_case("f(x) = sum(x**3) on a vector", lambda x: np.sum(x**3), cube, loop_hint),
        _difference_case("f(x) = sum(sin(x)) at a point drawn afresh at every run", lambda x: np.sum(np.sin(x)),
                         drawn, loop_hint, fresh=True),
        _difference_case("a matrix x of shape (2, 3)", lambda x: np.sum(np.sin(x) * weights), matrix,
                         "every entry of x, whatever the shape, gets a partial derivative: loop over "
                         "np.ndindex(x.shape) and return an array shaped like x.", edge=True),
        _difference_case("a 3-D array x of shape (2, 2, 2)", lambda x: 0.5 * np.sum(x**2) + np.sum(x), block,
                         "every entry of x, whatever the shape, gets a partial derivative.", edge=True),
        _difference_case("x is left unchanged", lambda x: np.sum(x**2), np.array([0.3, -0.7, 1.1]), loop_hint,
                         edge=True),
        _difference_case("integer x (np.array([1, 2, 3]))", lambda x: np.sum(x**2), np.array([1, 2, 3]), zero_hint,
                         edge=True, mistakes=(Mistake(lambda r: not np.any(np.asarray(r, dtype=float)), zero_hint),)),
        _difference_case("the step h is a parameter (h = 1e-3)", lambda x: np.sum(x**3), cube,
                         "use the h you are given, not a fixed number.", h=1e-3, edge=True,
                         mistakes=(Mistake(close_to(numerical_gradient(lambda x: np.sum(x**3), cube), rtol=1e-10),
                                           "use the h you are given (here 1e-3), not a fixed number."),)),
    ]
    return run_cases("central_difference", central_difference, cases, quiet=quiet)


def _exercise_function(theta: np.ndarray) -> float:
    """The function of the analytic-gradient exercise: ``theta_1^2 theta_2 + sin(theta_1 theta_2)``."""
    return float(theta[0] ** 2 * theta[1] + np.sin(theta[0] * theta[1]))


def check_analytic_gradient(grad_J: Callable, *, quiet: bool = False) -> CheckReport:
    """Check ``grad_J(theta)`` for ``J(theta) = theta_1^2 theta_2 + sin(theta_1 theta_2)`` against central differences."""
    rng = np.random.default_rng(2)
    hint = "∂J/∂θ₁ needs the product rule on θ₁²θ₂ and the chain rule on sin(θ₁θ₂); ∂J/∂θ₂ likewise."

    def case(label: str, p: np.ndarray, **kw: Any) -> Case:
        t1, t2 = p
        c = np.cos(t1 * t2)
        no_inner = np.array([2 * t1 * t2 + c, t1**2 + c])
        swapped = np.array([t1**2 + t1 * c, 2 * t1 * t2 + t2 * c])
        mistakes = (Mistake(close_to(no_inner, rtol=1e-9, atol=1e-12),
                            "the chain rule on sin(θ₁θ₂) multiplies cos(θ₁θ₂) by the inner derivative: "
                            "θ₂ for ∂/∂θ₁ and θ₁ for ∂/∂θ₂."),
                    Mistake(close_to(swapped, rtol=1e-9, atol=1e-12),
                            "the entries are swapped: entry 0 is ∂J/∂θ₁, entry 1 is ∂J/∂θ₂."))
        return Case(label, (p,), _close_to_numerical(_exercise_function, p), hint, mistakes=mistakes, **kw)

    points = [("at θ = (-1.5, 2)", np.array([-1.5, 2.0]))]
    points += [(f"at random point {i + 1}", p) for i, p in enumerate(rng.uniform(-2.0, 2.0, size=(3, 2)))]
    cases = [case(label, p) for label, p in points]
    cases.append(case("at a point drawn afresh at every run", fresh_rng().uniform(-2.0, 2.0, size=2), fresh=True))
    cases += [case("at θ = (1, 0), on an axis", np.array([1.0, 0.0]), edge=True),
              case("at θ = (0, 1), on an axis", np.array([0.0, 1.0]), edge=True)]
    return run_cases("grad_J", grad_J, cases, quiet=quiet)


def _logistic_loss(theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    """Mean logistic loss ``mean(log(1 + exp(-y_i x_i . theta)))``, computed stably."""
    return float(np.mean(np.logaddexp(0.0, -y * (X @ theta))))


def _logistic_case(label: str, theta: np.ndarray, X: np.ndarray, y: np.ndarray, **kw: Any) -> Case:
    hint = ("run check_gradient on your version: d/dm log(1 + e^(-m)) = -e^(-m) / (1 + e^(-m)); "
            "write that with a sigmoid and compare the sign inside the exponential.")
    true = -(X.T @ (y / (1.0 + np.exp(y * (X @ theta))))) / len(y)
    colleague = -(X.T @ (y / (1.0 + np.exp(-y * (X @ theta))))) / len(y)
    mistakes = (Mistake(close_to(colleague, rtol=1e-9, atol=1e-12),
                        "this is still the colleague's gradient: σ(+m) = 1/(1 + e^(−m)) where σ(−m) = 1/(1 + e^(m)) belongs."),
                Mistake(close_to(-true, rtol=1e-9, atol=1e-12),
                        "the sign of the whole gradient is flipped: the loss grows along your vector."),
                Mistake(close_to(len(y) * true, rtol=1e-9, atol=1e-12),
                        "the loss is a mean over the n samples: divide the sum by n = len(y)."))
    accept = _close_to_numerical(lambda t: _logistic_loss(t, X, y), theta)
    return Case(label, (theta, X, y), accept, hint, mistakes=mistakes, **kw)


def check_logistic_gradient(logistic_gradient: Callable, *, quiet: bool = False) -> CheckReport:
    """Check a fixed ``logistic_gradient(theta, X, y)`` against central differences of the mean logistic loss."""
    rng = np.random.default_rng(7)

    def data(n: int, d: int, scale: float, gen: np.random.Generator = rng) -> tuple[np.ndarray, ...]:
        X = gen.normal(size=(n, d))
        y = np.where(gen.uniform(size=n) < 0.5, -1.0, 1.0)
        return scale * gen.normal(size=d), X, y

    cases = [
        _logistic_case("8 samples, 3 features", *data(8, 3, 1.0)),
        _logistic_case("20 samples, 5 features, larger θ", *data(20, 5, 3.0)),
        _logistic_case("12 samples, 4 features, drawn afresh at every run", *data(12, 4, 1.0, fresh_rng()), fresh=True),
        _logistic_case("a single sample", *data(1, 2, 1.0), edge=True),
        _logistic_case("θ = 0 (every margin is 0)", *data(8, 3, 0.0), edge=True),
    ]
    return run_cases("logistic_gradient", logistic_gradient, cases, quiet=quiet)


def check_directional_derivative(directional_derivative: Callable, *, quiet: bool = False) -> CheckReport:
    """Check ``directional_derivative(grad_f, theta, u)``: ``grad f(theta) . u / ||u||``; zero ``u`` raises ValueError."""

    def grad_f(theta: np.ndarray) -> np.ndarray:  # gradient of f = theta_1^2 + 3 theta_1 theta_2
        return np.array([2.0 * theta[0] + 3.0 * theta[1], 3.0 * theta[0]])

    def grad_3d(theta: np.ndarray) -> np.ndarray:  # gradient of f = 0.5 ||theta||^2
        return np.asarray(theta, dtype=np.float64)

    def case(label: str, grad: Callable, theta: np.ndarray, u: np.ndarray, hint: str, **kw: Any) -> Case:
        g = grad(theta)
        length = float(np.sqrt(np.sum(u**2)))
        mistakes = (Mistake(close_to(float(g @ u), rtol=1e-12), "divide u by its length before the dot product: "
                                                               "only the direction counts."),
                    Mistake(close_to(float(g @ u) / length**2, rtol=1e-12), "divide by the length ‖u‖ once, "
                                                                          "not by ‖u‖²."))
        if abs(length - 1.0) < 1e-12:
            mistakes = ()
        return Case(label, (grad, theta, u), close_to(float(g @ u) / length, rtol=1e-12, atol=1e-12), hint,
                    mistakes=mistakes, **kw)

    theta = np.array([1.0, 2.0])  # grad_f(theta) = (8, 3)
    rng = fresh_rng()
    cases = [
        case("u = (1, 0), a unit vector", grad_f, theta, np.array([1.0, 0.0]),
             "D_u f = ∇f(θ) · u: evaluate the gradient at θ, then take the dot product."),
        case("u = (3, 4) is not a unit vector", grad_f, theta, np.array([3.0, 4.0]),
             "divide u by its length before the dot product: only the direction counts."),
        case("θ and u drawn afresh at every run", grad_f, rng.uniform(-2, 2, size=2), rng.uniform(0.5, 3, size=2),
             "D_u f = ∇f(θ) · u/‖u‖, with the gradient evaluated at the θ you are given.", fresh=True),
        case("u along the gradient gives the largest rate", grad_f, theta, grad_f(theta),
             "along ∇f the directional derivative equals ‖∇f‖.", edge=True),
        case("u along a contour line gives 0", grad_f, theta, np.array([-3.0, 8.0]),
             "a direction perpendicular to ∇f has ∇f · u = 0.", edge=True),
        case("a 3-D example", grad_3d, np.array([1.0, -2.0, 2.0]), np.array([0.0, 0.0, -2.0]),
             "the same formula works in any dimension.", edge=True),
        Case("u = 0 is refused with ValueError", (grad_f, theta, np.zeros(2)), raises=ValueError, edge=True,
             hint="the zero vector has no direction: raise ValueError('u must not be the zero vector')."),
    ]
    return run_cases("directional_derivative", directional_derivative, cases, quiet=quiet)
