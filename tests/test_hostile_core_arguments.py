"""The core math under hostile arguments (issue 15): one section per class of defect.

Every test runs with warnings turned into errors: a leaked RuntimeWarning is
a failure. Each class is checked over several inputs, not only the one that
revealed it, against references computed exactly with ``fractions.Fraction``
where a number is expected.
"""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gnlib.clip import clip_by_global_norm, clip_by_norm, clip_by_value
from gnlib.functions import (Objective, hill_and_pit, plateau, quadratic_bowl, quadratic_plus_quartic, quartic,
                             rosenbrock, saddle)
from gnlib.gradcheck import (check_gradient, directional_derivative, finite_difference_errors,
                             forward_difference_gradient, numerical_gradient, rel_error, unit_vector)
from gnlib.angles import angle_between
from gnlib.norms import global_norm, l2_norm, lp_norm, scaled_global_norm
from gnlib.optim import gradient_descent

pytestmark = pytest.mark.filterwarnings("error")

BIGGEST = float(np.finfo(np.float64).max)


def total(v):
    return float(np.sum(v))


def identity(v):
    return np.array(v, dtype=float)


# --- angles between vectors of any finite magnitude (finding 1) ----------------

@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(-8, 8), st.integers(-8, 8)), min_size=1, max_size=6),
       st.integers(-1074, 1020), st.integers(-1074, 1020))
def test_the_angle_does_not_depend_on_the_scale_of_either_vector(pairs, k, j):
    """Small integers times 2**k are exact down to the subnormals and up to the overflow of the norm."""
    a = np.array([p[0] for p in pairs], dtype=float)
    b = np.array([p[1] for p in pairs], dtype=float)
    assert angle_between(np.ldexp(a, k), np.ldexp(b, j)) == angle_between(a, b)


@pytest.mark.parametrize("u, v, expected", [
    ([1.7e308, 1.7e308], [1.7e308, -1.7e308], 90.0),     # was 0.0: both norms overflowed
    ([1.7e308, 1.7e308], [1.0, 0.0], 45.0),
    ([BIGGEST, BIGGEST, BIGGEST], [-BIGGEST, -BIGGEST, -BIGGEST], 180.0),
    ([1.0, 0.0], [5e-324, 5e-324], 45.0),                 # was 48.19: the subnormal norm lost digits
    ([1.0, 0.0], [5e-324, 1.5e-323], math.degrees(math.atan2(3, 1))),
    ([0.0, -1e-310], [1.0, 0.0], 90.0),
    ([5e-324, 0.0], [1.7e308, 1.7e308], 45.0),
])
def test_reported_angles_at_the_ends_of_the_float_range(u, v, expected):
    assert angle_between(u, v) == pytest.approx(expected, rel=1e-14)
    assert angle_between(v, u) == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
@pytest.mark.parametrize("which", ["u", "v"])
def test_angles_with_non_finite_entries_raise_naming_the_vector(bad, which):
    vectors = {"u": [bad, 1.0], "v": [1.0, 1.0]} if which == "u" else {"u": [1.0, 1.0], "v": [1.0, bad]}
    with pytest.raises(ValueError, match=rf"^{which} has an infinite or NaN entry"):
        angle_between(**vectors)


# --- extended precision is refused wherever arrays are accepted (finding 3) -------

LONG = np.array([np.longdouble("1e400"), np.longdouble(1)])
SMALL_LONG = np.array([3, 4], dtype=np.longdouble)  # refused too: the class is the dtype, not the value

LONGDOUBLE_CALLS = {
    "l2_norm": (lambda x: l2_norm(x), "x"),
    "lp_norm": (lambda x: lp_norm(x, 3), "x"),
    "global_norm": (lambda x: global_norm([np.ones(2), x]), r"arrays\[1\]"),
    "scaled_global_norm": (lambda x: scaled_global_norm([x]), r"arrays\[0\]"),
    "clip_by_norm": (lambda x: clip_by_norm(x, 1.0), "g"),
    "clip_by_global_norm": (lambda x: clip_by_global_norm([np.ones(2), x], 1.0), r"grads\[1\]"),
    "clip_by_value": (lambda x: clip_by_value(x, 1.0), "g"),
    "angle_between": (lambda x: angle_between(np.ones(2), x), "v"),
    "rel_error": (lambda x: rel_error(x, np.ones(2)), "a"),
    "numerical_gradient": (lambda x: numerical_gradient(total, x), "x"),
    "check_gradient": (lambda x: check_gradient(total, lambda v: x, np.ones(2)), r"grad_f\(x\)"),
    "directional_derivative": (lambda x: directional_derivative(x, [0.6, 0.8]), "gradient"),
    "unit_vector": (lambda x: unit_vector(x), "angle_deg"),
    "objective": (lambda x: quadratic_bowl().value(x), "x"),
}


@pytest.mark.skipif(np.dtype(np.longdouble).char != "g", reason="no extended-precision dtype")
@pytest.mark.parametrize("array", [LONG, SMALL_LONG], ids=["1e400", "3-4"])
@pytest.mark.parametrize("call", LONGDOUBLE_CALLS)
def test_longdouble_arrays_are_refused_naming_the_argument(call, array):
    function, name = LONGDOUBLE_CALLS[call]
    before = array.copy()
    with pytest.raises(TypeError, match=rf"^{name} has dtype float\d+ \(extended precision\)"):
        function(array)
    np.testing.assert_array_equal(array, before)


def test_float16_32_64_and_integer_arrays_are_still_accepted():
    for dtype in (np.float16, np.float32, np.float64, np.int8, np.int64, np.uint16, bool):
        assert l2_norm(np.array([3, 4], dtype=dtype) if dtype is not bool else [True, True]) > 0


# --- numbers beyond the float range (finding 14) ----------------------------------

HUGE = [10**400, -10**400, 10**5000, Fraction(10**400, 3), np.longdouble("-1e400")]  # 10**5000: too long for str()

FINITE_ONLY = {
    "clip_by_norm max_norm": (lambda v: clip_by_norm(np.ones(2), v), "max_norm"),
    "clip_by_global_norm max_norm": (lambda v: clip_by_global_norm([np.ones(2)], v), "max_norm"),
    "clip_by_value clip_value": (lambda v: clip_by_value(np.ones(2), v), "clip_value"),
    "numerical_gradient h": (lambda v: numerical_gradient(total, [1.0], v), "h"),
    "forward_difference_gradient h": (lambda v: forward_difference_gradient(total, [1.0], v), "h"),
    "check_gradient h": (lambda v: check_gradient(total, np.ones_like, [1.0], v), "h"),
    "quadratic_bowl": (lambda v: quadratic_bowl(v), "condition_number"),
    "rosenbrock": (lambda v: rosenbrock(a=v), "a"),
    "hill_and_pit": (lambda v: hill_and_pit(depth=v), "depth"),
    "gradient_descent": (lambda v: gradient_descent(identity, [1.0], v, 1), "learning_rate"),
}


@pytest.mark.parametrize("value", HUGE, ids=["1e400", "-1e400", "1e5000", "fraction", "longdouble"])
@pytest.mark.parametrize("call", FINITE_ONLY)
def test_numbers_beyond_the_float_range_raise_value_error_naming_the_argument(call, value):
    function, name = FINITE_ONLY[call]
    described = r"(an integer of about -?10\*\*\d+|a Fraction|-1e\+400 \(\w+\))"
    with pytest.raises(ValueError, match=rf"^{name} must be finite, got {described}, beyond the float range"):
        function(value)


@pytest.mark.parametrize("p", [10**400, 10**5000, Fraction(10**401, 7), np.longdouble("1e400")],
                         ids=["1e400", "1e5000", "fraction", "longdouble"])
def test_a_norm_order_beyond_the_float_range_is_the_max_norm(p):
    x = np.array([3.0, -4.0, 1e300, -2e-300])
    assert lp_norm(x, p) == lp_norm(x, np.inf) == 1e300
    assert global_norm([x[:2], x[2:]], p) == 1e300
    np.testing.assert_array_equal(clip_by_norm(x, 1.0, p=p), clip_by_norm(x, 1.0, p=np.inf))


@pytest.mark.parametrize("entries", [[3, 10**400], [[1.0], [-(10**309)]], [Fraction(10**400), 1]])
def test_array_entries_beyond_the_float_range_raise_naming_the_array(entries):
    with pytest.raises(ValueError, match=r"^x has an entry beyond the float range"):
        l2_norm(entries)


@pytest.mark.parametrize("make", [quadratic_bowl, lambda dim: quartic(dim), lambda dim: plateau(dim),
                                  lambda dim: Objective("f", dim, total, np.ones_like)])
@pytest.mark.parametrize("dim", [2**63, 10**400, 10**5000], ids=["2**63", "1e400", "1e5000"])
def test_dimensions_no_array_can_have_raise_naming_dim(make, dim):
    with pytest.raises(ValueError, match=r"^dim must be <= \d+, got (an integer of about 10\*\*\d+|\d+)$"):
        make(dim=dim)


@pytest.mark.parametrize("dim", [-(10**5000), -(2**64), 0], ids=["-1e5000", "-2**64", "0"])
def test_negative_dimensions_of_any_size_raise_naming_dim(dim):
    with pytest.raises(ValueError, match=r"^dim must be >= 1, got (an integer of about -10\*\*\d+|-?\d+)$"):
        quadratic_bowl(dim=dim)


def test_python_integers_beyond_int64_are_numbers():
    assert l2_norm([3 * 2**64, 4 * 2**64]) == 5 * 2.0**64
    assert lp_norm([2**70, -(2**70)], 1) == 2.0**71
    assert l2_norm([Fraction(3), Fraction(4)]) == 5.0


# --- finite differences with huge steps (finding 7) ---------------------------------

@pytest.mark.parametrize("h", [1e300, 8.99e307, 1e308, BIGGEST / 2, BIGGEST])
@pytest.mark.parametrize("difference", [numerical_gradient, forward_difference_gradient])
def test_a_step_whose_double_overflows_still_gives_the_slope_of_a_linear_function(difference, h):
    for scale in (1.0, 0.25, 1e-300):
        got = difference(lambda v: scale * total(v), [1.0, 2.0, -3.0], h)
        np.testing.assert_allclose(got, [scale] * 3, rtol=1e-15)


def exact_slope(f_high, f_low, step):
    return float((Fraction(f_high) - Fraction(f_low)) / Fraction(step))


@pytest.mark.parametrize("x, h", [(0.0, 10.0), (0.5, 3.0), (-1.0, 0.75), (0.0, 1e300)])
def test_differences_of_f_beyond_the_float_range_are_halved_not_inf(x, h):
    def f(v):
        return 1.5e308 * math.tanh(v[0])

    central = numerical_gradient(f, [x], h)[0]
    assert central == pytest.approx(exact_slope(f([x + h]), f([x - h]), 2 * h), rel=1e-15)
    forward = forward_difference_gradient(f, [x - h], 2 * h)[0]  # f(x - h) to f(x + h): the same two values
    assert forward == pytest.approx(exact_slope(f([x + h]), f([x - h]), 2 * h), rel=1e-15)


@pytest.mark.parametrize("x, h, central_only", [
    ([1e308], 1e308, False), ([0.0, 1.7e308], 1e307, False),
    ([-1e308], 1e308, True), ([[1.0], [-BIGGEST]], 1e300, True),
])
def test_a_step_that_overflows_x_plus_or_minus_h_raises_naming_h(x, h, central_only):
    with pytest.raises(ValueError, match=r"^h = .* is too large: x\[[\d, ]+\] ± h overflows"):
        numerical_gradient(total, x, h)
    with pytest.raises(ValueError, match=r"^h = .* is too large"):
        check_gradient(total, np.ones_like, x, h)
    if central_only:
        assert np.all(np.isfinite(forward_difference_gradient(total, x, h)))
    else:
        with pytest.raises(ValueError, match=r"^h = .* is too large"):
            forward_difference_gradient(total, x, h)


@pytest.mark.parametrize("x", [[np.inf], [1.0, np.nan], [[-np.inf, 0.0]]])
def test_a_point_with_non_finite_entries_raises_naming_x(x):
    for call in (lambda: numerical_gradient(total, x), lambda: forward_difference_gradient(total, x),
                 lambda: check_gradient(total, np.ones_like, x),
                 lambda: finite_difference_errors(total, np.ones_like, x, [1e-3])):
        with pytest.raises(ValueError, match=r"^x must be finite"):
            call()


# --- callbacks that return garbage or are not callable (finding 15) -----------------

BAD_GRADIENTS = [None, "ab", b"ab", np.array([1j, 2.0]), 1j, np.array(["1", "2"]), object(), [1.0, None],
                 {"g": 1.0}]


@pytest.mark.parametrize("value", BAD_GRADIENTS, ids=lambda v: type(v).__name__)
def test_a_grad_f_returning_a_non_number_raises_type_error_naming_it(value):
    with pytest.raises(TypeError, match=r"^grad_f\(x\) must be"):
        check_gradient(total, lambda x: value, np.array([1.0, 2.0]))
    with pytest.raises(TypeError, match=r"^grad_f\(x\) must be"):
        finite_difference_errors(total, lambda x: value, np.array([1.0, 2.0]), [1e-3, 1e-5])


@pytest.mark.parametrize("value", ["1.5", None, 1j, np.array([1.0, 2.0])], ids=lambda v: type(v).__name__)
def test_an_f_returning_a_non_scalar_in_finite_difference_errors_raises_naming_f(value):
    error = ValueError if isinstance(value, np.ndarray) else TypeError
    with pytest.raises(error, match=r"^(the value of )?f must"):
        finite_difference_errors(lambda x: value, np.ones_like, np.array([1.0, 2.0]), [1e-3])


@pytest.mark.parametrize("value", [np.ones(3), np.ones((2, 1)), 1.0, np.ones(0)])
def test_a_grad_f_of_the_wrong_shape_raises_naming_it(value):
    for call in (lambda g: check_gradient(total, g, np.array([1.0, 2.0])),
                 lambda g: finite_difference_errors(total, g, np.array([1.0, 2.0]), [1e-3])):
        with pytest.raises(ValueError, match=r"^grad_f\(x\) must have the shape of x"):
            call(lambda x: value)


NOT_CALLABLE = [None, 3, "f", [total], np.ones(2)]


@pytest.mark.parametrize("thing", NOT_CALLABLE, ids=lambda v: type(v).__name__)
def test_every_callable_argument_is_checked_before_anything_is_called(thing):
    calls = []

    def f(v):
        calls.append("f")
        return total(v)

    def grad_f(v):
        calls.append("grad_f")
        return np.ones_like(v)

    cases = [
        ("f", lambda: numerical_gradient(thing, [1.0])),
        ("f", lambda: forward_difference_gradient(thing, [1.0])),
        ("f", lambda: check_gradient(thing, grad_f, [1.0])),
        ("grad_f", lambda: check_gradient(f, thing, [1.0])),
        ("f", lambda: finite_difference_errors(thing, grad_f, [1.0], [1e-3])),
        ("grad_f", lambda: finite_difference_errors(f, thing, [1.0], [1e-3])),
        ("value", lambda: Objective("bad", 1, thing, grad_f)),
        ("gradient", lambda: Objective("bad", 1, f, thing)),
    ]
    for name, call in cases:
        with pytest.raises(TypeError, match=rf"^{name} must be callable"):
            call()
    assert calls == []


@pytest.mark.parametrize("kwargs, error, message", [
    ({"name": 3}, TypeError, "name must be a string"),
    ({"dim": 0}, ValueError, "dim must be >= 1"),
    ({"dim": 1.5}, TypeError, "dim must be an integer"),
    ({"minimizer": np.zeros(3)}, ValueError, r"minimizer must have shape \(2,\)"),
    ({"minimizer": "origin"}, TypeError, "minimizer must be an array"),
])
def test_objectives_check_their_fields(kwargs, error, message):
    fields = {"name": "bowl", "dim": 2, "value": total, "gradient": np.ones_like, "minimizer": None} | kwargs
    with pytest.raises(error, match=f"^{message}"):
        Objective(**fields)


def test_the_quadratic_plus_quartic_checks_its_points_like_every_objective():
    f = quadratic_plus_quartic()
    with pytest.raises(TypeError, match="^x must be"):
        f.value("3")
    with pytest.raises(ValueError, match=r"^x must have shape \(\.\.\., 1\)"):
        f.gradient(np.ones((2, 2)))
    assert float(f.value(np.array([2.0]))) == 6.0


# --- arguments that should be lists of arrays (finding 19) --------------------------

NOT_A_LIST = [None, 5, 2.5, "ab", b"ab", {"w": np.ones(2)}, np.ones(2)]
LIST_CALLS = {
    "clip_by_global_norm": (lambda a: clip_by_global_norm(a, 1.0), "grads"),
    "global_norm": (lambda a: global_norm(a), "arrays"),
    "scaled_global_norm": (lambda a: scaled_global_norm(a), "arrays"),
}


@pytest.mark.parametrize("arrays", NOT_A_LIST, ids=lambda v: type(v).__name__)
@pytest.mark.parametrize("call", LIST_CALLS)
def test_a_non_list_of_arrays_raises_type_error_naming_it(call, arrays):
    function, name = LIST_CALLS[call]
    with pytest.raises(TypeError, match=rf"^{name} must be a list of arrays, got"):
        function(arrays)


@pytest.mark.parametrize("call", LIST_CALLS)
def test_generators_and_tuples_are_lists_read_once(call):
    function, _ = LIST_CALLS[call]
    arrays = [np.array([3.0]), np.array([[4.0, 12.0]])]
    expected = function(list(arrays))
    for container in (tuple(arrays), (a for a in arrays), iter(arrays)):
        got = function(container)
        if call == "clip_by_global_norm":
            assert got[1] == expected[1]
            for g, e in zip(got[0], expected[0]):
                np.testing.assert_array_equal(g, e)
        else:
            assert got == expected


NONE_CALLS = {
    "l2_norm": (lambda: l2_norm(None), "x"),
    "lp_norm": (lambda: lp_norm(None, 1), "x"),
    "clip_by_norm": (lambda: clip_by_norm(None, 1.0), "g"),
    "clip_by_value": (lambda: clip_by_value(None, 1.0), "g"),
    "clip_by_global_norm element": (lambda: clip_by_global_norm([np.ones(2), None], 1.0), r"grads\[1\]"),
    "global_norm element": (lambda: global_norm([None]), r"arrays\[0\]"),
    "angle_between": (lambda: angle_between([1.0], None), "v"),
    "rel_error": (lambda: rel_error(None, [1.0]), "a"),
    "numerical_gradient": (lambda: numerical_gradient(total, None), "x"),
    "finite_difference_errors hs": (lambda: finite_difference_errors(total, np.ones_like, [1.0], None), "hs"),
    "directional_derivative": (lambda: directional_derivative(None, [1.0]), "gradient"),
    "unit_vector": (lambda: unit_vector(None), "angle_deg"),
    "objective": (lambda: rosenbrock().gradient(None), "x"),
}


@pytest.mark.parametrize("call", NONE_CALLS)
def test_none_for_an_array_raises_type_error_naming_it(call):
    function, name = NONE_CALLS[call]
    with pytest.raises(TypeError, match=rf"^{name} must be an array of real numbers, got None"):
        function()


# --- no leaked warnings, no overflow where the result is representable (finding 20) --

@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("clip_value", [1e300, 70000.0, 1e39, BIGGEST])
def test_clip_values_beyond_the_dtype_range_clip_at_its_largest_value(dtype, clip_value):
    info = np.finfo(dtype)
    g = np.array([1.0, -np.inf, np.inf, np.nan, float(info.max), -3.0], dtype=dtype)
    clipped = clip_by_value(g, clip_value)
    assert clipped.dtype == g.dtype
    bound = dtype(min(clip_value, float(info.max)))
    np.testing.assert_array_equal(clipped, [1.0, -bound, bound, np.nan, min(info.max, bound), -3.0])
    assert np.all(np.abs(clipped[np.isfinite(g)].astype(np.float64)) <= clip_value)


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_clip_values_within_the_dtype_range_round_as_before(dtype):
    g = np.array([1.0, -5.0, 0.05], dtype=dtype)
    expected = np.clip(g, dtype(-0.1), dtype(0.1))
    np.testing.assert_array_equal(clip_by_value(g, 0.1), expected)


def exact_dot(g, u) -> tuple[float, float]:
    """The exact ``g . u`` rounded once (inf beyond the range), and the error a float dot product may add."""
    terms = [Fraction(float(a)) * Fraction(float(b)) for a, b in zip(g, u)]
    value = sum(terms, Fraction(0))
    bound = min(Fraction(BIGGEST), len(terms) * Fraction(2) ** -52 * sum(abs(t) for t in terms))
    if abs(value) > Fraction(BIGGEST):
        return (math.inf if value > 0 else -math.inf), float(bound)
    return float(value), float(bound)


UNITS = [[0.6, 0.8], [0.8, -0.6], [1.0, 0.0], [0.6, 0.64, -0.48], [0.36, 0.48, 0.8], [0.0, 0.0, 1.0]]


@pytest.mark.parametrize("u", UNITS)
@pytest.mark.parametrize("magnitude", [1.7e308, BIGGEST, 1e308, 1e300, 5e-324, 1.0])
@pytest.mark.parametrize("signs", [(1, 1, 1), (1, -1, 1), (-1, -1, 1)])
def test_directional_derivatives_of_huge_gradients_overflow_only_when_the_result_does(u, magnitude, signs):
    g = np.array([s * magnitude for s in signs[: len(u)]])
    got = directional_derivative(g, u)
    expected, error_bound = exact_dot(g, u)
    if math.isinf(expected):
        assert got == expected
    else:
        assert abs(got - expected) <= error_bound + 1e-323


def test_stacks_of_directions_along_huge_gradients():
    for g in ([1.7e308, 1.7e308, 1.7e308], [BIGGEST, -BIGGEST, 1.0]):
        for u in (np.array(UNITS[3:6]), unit_vector(np.arange(0, 360, 15)) @ np.array([[1.0, 0, 0], [0, 1.0, 0]])):
            got = directional_derivative(g, u)
            for value, row in zip(got, u):
                expected, error_bound = exact_dot(g, row)
                assert value == expected if math.isinf(expected) else abs(value - expected) <= error_bound


@pytest.mark.parametrize("gradient, u, expected", [
    ([np.inf, 1.0], [0.6, 0.8], np.inf), ([np.inf, 1.0], [-0.6, 0.8], -np.inf),
    ([np.inf, 1.0], [0.0, 1.0], np.nan), ([np.nan, 1.0], [0.6, 0.8], np.nan),
])
def test_non_finite_gradients_propagate_quietly(gradient, u, expected):
    np.testing.assert_array_equal(directional_derivative(gradient, u), expected)


@pytest.mark.parametrize("u", [[1e200, 0.0], [1e-200, 1e-200], [5e-324, 0.0], [1.7e308, 1.7e308], [np.nan, 1.0],
                               [np.inf, 0.0], [[0.6, 0.8], [np.nan, np.nan]]])
def test_far_from_unit_directions_raise_without_warnings(u):
    with pytest.raises(ValueError, match="^u must be a unit vector"):
        directional_derivative([1.0, 2.0], u)


@pytest.mark.parametrize("a, b", [([5e-324], [0.0]), ([1e-320], [-3e-320]), ([2.5e-310, 1.0], [0.0, 1.0]),
                                  ([1.5e308], [1.6e308]), ([BIGGEST, 1.0], [-BIGGEST, 2.0]), ([1e-9], [3e-9])])
def test_rel_error_matches_its_formula_for_subnormal_and_huge_entries(a, b):
    expected = max(float(abs(Fraction(x) - Fraction(y)) / max(Fraction(1e-8), abs(Fraction(x)) + abs(Fraction(y))))
                   for x, y in zip(a, b))
    assert rel_error(a, b) == pytest.approx(expected, rel=1e-15, abs=1e-323)


# --- test functions far from the origin: inf where the value overflows, never NaN, no warnings --

OBJECTIVES = [quadratic_bowl(), quadratic_bowl(1e6, dim=3), rosenbrock(), rosenbrock(b=0.0), rosenbrock(-3.0, 1e6),
              plateau(2), quartic(2), saddle(), quadratic_plus_quartic(), hill_and_pit()]
MAGNITUDES = [BIGGEST, -BIGGEST, 1.7e308, -1e200, 1e155, 5e-324, -1e-300, 0.0, 1.0]


@pytest.mark.parametrize("objective", OBJECTIVES, ids=lambda f: f.name)
def test_objectives_at_finite_points_of_any_magnitude_never_give_nan(objective):
    rng = np.random.default_rng(objective.dim)
    grid = rng.choice(MAGNITUDES, size=(200, objective.dim))
    for batch in (grid, grid[0], grid[:, None, :]):
        value, gradient = objective.value(batch), objective.gradient(batch)
        assert np.shape(value) == batch.shape[:-1] and gradient.shape == batch.shape
        assert not np.isnan(value).any() and not np.isnan(gradient).any()


@pytest.mark.parametrize("objective, point, value, gradient", [
    (saddle(), [1e200, 1e200], 0.0, [2e200, -2e200]),
    (saddle(), [1.7e308, -1.7e308], 0.0, [np.inf, np.inf]),
    (saddle(), [1e200, 0.0], np.inf, [2e200, -0.0]),
    (saddle(), [3e300, -4e300], -np.inf, [6e300, 8e300]),
    (rosenbrock(b=0.0), [1e200, 5.0], np.inf, [2e200, 0.0]),
    (rosenbrock(2.0, 0.0), [-1.7e308, 1.7e308], np.inf, [-np.inf, 0.0]),
    (plateau(2), [1.7e308, -1.7e308], 1.0, [0.0, -0.0]),
    (plateau(1), [1e155], 1.0, [0.0]),
])
def test_objectives_far_out_give_their_exact_values(objective, point, value, gradient):
    assert objective.value(np.array(point)) == value
    np.testing.assert_array_equal(objective.gradient(np.array(point)), gradient)


@pytest.mark.parametrize("arrays, error, message", [
    (None, TypeError, "arrays must be a list of arrays, got NoneType"),
    (np.ones(3), TypeError, "arrays must be a list of arrays, got a single numpy.ndarray"),
    ([None], TypeError, r"arrays\[0\] must be an array of real numbers, got None"),
    ([np.ones(2), "ab"], TypeError, r"arrays\[1\] must be an array of real numbers, got a string"),
    ([np.array([1.0, 2.0], dtype=np.longdouble)], TypeError, r"arrays\[0\] has dtype float\d+ \(extended"),
    ([[1.0, 10**400]], ValueError, r"arrays\[0\] has an entry beyond the float range"),
])
def test_the_public_sums_of_squares_checks_its_arguments(arrays, error, message):
    from gnlib.norms import sums_of_squares
    with pytest.raises(error, match=f"^{message}"):
        sums_of_squares(arrays)
    assert sums_of_squares(([3.0, 4.0], np.ones((2, 2), np.float16)))[0] == [25.0, 4.0]
