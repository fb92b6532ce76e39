"""gnlib.gradcheck: numerical gradients, rel_error, check_gradient."""

import numpy as np
import pytest

from gnlib.gradcheck import check_gradient, forward_difference_gradient, numerical_gradient, rel_error


def cubic(x):
    return float(np.sum(x**3) + np.prod(np.sin(x)))


def cubic_grad(x):
    s = np.sin(x)
    prod_others = np.array([np.prod(np.delete(s, i)) for i in range(s.size)]).reshape(x.shape)
    return 3 * x**2 + np.cos(x) * prod_others


@pytest.mark.parametrize("shape", [(1,), (5,), (2, 3), (2, 2, 2)])
def test_central_differences_match_analytic_gradient_for_any_shape(shape):
    x = np.random.default_rng(0).normal(size=shape)
    g = numerical_gradient(cubic, x)
    assert g.shape == shape
    assert rel_error(g, cubic_grad(x)) < 1e-8


def test_forward_differences_are_less_accurate():
    x = np.array([0.7, -1.3])
    exact = cubic_grad(x)
    central = rel_error(numerical_gradient(cubic, x, h=1e-4), exact)
    forward = rel_error(forward_difference_gradient(cubic, x, h=1e-4), exact)
    assert forward > 100 * central


def test_x_is_not_modified():
    x = np.array([1.0, 2.0])
    numerical_gradient(cubic, x)
    assert x.tolist() == [1.0, 2.0]


def test_rel_error_values():
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert rel_error([1.0], [1.1]) == pytest.approx(0.1 / 2.1)
    assert rel_error([0.0], [0.0]) == 0.0
    assert rel_error([0.0], [1e-9]) == pytest.approx(1e-9 / 1e-8)  # floor of 1e-8 in the denominator
    assert np.isnan(rel_error([np.nan], [1.0]))
    assert rel_error([], []) == 0.0


def test_check_gradient_catches_a_wrong_gradient():
    x = np.array([0.5, -0.25, 2.0])
    assert check_gradient(cubic, cubic_grad, x) < 1e-7
    assert check_gradient(cubic, lambda x: 2 * x**2, x) > 1e-2


def test_bad_input():
    with pytest.raises(ValueError, match="h must be > 0"):
        numerical_gradient(cubic, [1.0], h=0.0)
    with pytest.raises(ValueError, match="h must be"):
        numerical_gradient(cubic, [1.0], h=-1e-5)
    with pytest.raises(ValueError, match="f must return a scalar"):
        numerical_gradient(lambda x: x, np.ones(2))
    with pytest.raises(TypeError, match="f must be callable"):
        numerical_gradient(3, [1.0])
    with pytest.raises(ValueError, match="same shape"):
        rel_error([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match=r"grad_f\(x\) must have the shape of x"):
        check_gradient(cubic, lambda x: np.ones(5), np.ones(2))
    with pytest.raises(TypeError, match="x must be"):
        numerical_gradient(cubic, "abc")
