"""Widgets under hostile input (issue 15): start values the pictures cannot show, ``Explorable.set``
with values its sliders cannot show, numpy numbers, and warnings from extreme landscapes.

Every refusal is a TypeError or ValueError naming the argument or control, raised before anything
is moved; every accepted value is honoured exactly.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from gnlib.figures.clipping import plot_norm_vs_value
from gnlib.figures.style import contour_landscape, new_figure
from gnlib.widgets import (cliff_clipping_explorer, dirac_gan_explorer, directional_derivative_explorer,
                           finite_difference_explorer, learning_rate_explorer, ngd_comparison_explorer,
                           norm_vs_value_explorer, param_penalty_explorer, prediction, training_progress,
                           unit_ball_explorer)


@pytest.fixture(scope="module")
def explorables():
    return {"cliff": cliff_clipping_explorer(5), "intro": learning_rate_explorer(),
            "ngd": ngd_comparison_explorer(n_steps=10), "fd": finite_difference_explorer(),
            "ball": unit_ball_explorer(), "dirac": dirac_gan_explorer(20)}


# --- finding 1: the start point of the norm-against-value picture ------------------------------------

@pytest.mark.parametrize("g", [(1.7e308, 8.9e307), (4.0, 1.0), (3.0, 3.6), (-1.0, 1.0), (1.0, -1e-300),
                               (np.nan, 1.0), (np.inf, 1.0), (1e300, 0.0)])
@pytest.mark.parametrize("build", [norm_vs_value_explorer, plot_norm_vs_value])
def test_a_gradient_outside_the_picture_is_refused(build, g):
    with pytest.raises(ValueError, match=r"g must have both entries in \[0, 3.5\]"):
        build(g)


@pytest.mark.parametrize("g, angle_value", [((3.5, 0.0), 0.0), ((0.0, 3.5), 0.0), ((3.0, 1.0), 26.565051177),
                                            ((3.5, 3.5), 0.0), ((np.float32(3.0), np.int64(1)), 26.565051177)])
def test_gradients_in_the_picture_give_the_right_angles(g, angle_value):
    ex = norm_vs_value_explorer(g)
    data = ex.set(max_norm=1.0)
    assert data["angle_norm"] == pytest.approx(0.0, abs=1e-6)
    assert data["angle_value"] == pytest.approx(angle_value, abs=1e-6)


# --- finding 17: Explorable.set refuses what a control cannot show, before moving anything -------------

@pytest.mark.parametrize("key, name, value, message", [
    ("cliff", "learning_rate", 5.0, r"learning_rate \(slider 'learning rate η'\) must be between 0.05 and 1.5"),
    ("cliff", "learning_rate", 0.0, "between 0.05 and 1.5"),
    ("cliff", "learning_rate", float("nan"), "between 0.05 and 1.5"),
    ("cliff", "max_norm", 0.7, "max_norm .* must be one of its values"),
    ("intro", "eta", 0.123, r"eta \(slider 'learning rate η'\) must be one of its values 0.05, 0.10"),
    ("ngd", "n_steps", 1000, "n_steps .* must be between 5 and 200"),
    ("ngd", "n_steps", 7.5, "n_steps .* must be a whole number between 5 and 200"),
    ("ngd", "condition_number", 31.0, "condition_number .* must be one of its values"),
    ("fd", "h", 1e-20, "h .* must be between 1e-14 and 1"),
    ("fd", "h", 10.0, "h .* must be between 1e-14 and 1"),
    ("ball", "p", 0.5, "p .* must be one of its values 1, 1.25"),
    ("dirac", "gamma", -0.1, r"gamma .* must be between 0 and 2"),
])
def test_set_refuses_values_a_control_cannot_show(explorables, key, name, value, message):
    ex = explorables[key]
    before_values, before_redraws = ex.values, ex.redraws
    other = next((n for n in ex.controls if n != name), None)
    with pytest.raises(ValueError, match=message):
        ex.set(**{name: value}, **({other: ex.values[other]} if other else {}))
    assert ex.values == before_values and ex.redraws == before_redraws


@pytest.mark.parametrize("value", ["0.5", None, True, np.bool_(True), [0.5], 0.5 + 0j])
def test_set_refuses_what_is_not_a_number(explorables, value):
    with pytest.raises((TypeError, ValueError), match="learning_rate"):
        explorables["cliff"].set(learning_rate=value)


def test_an_earlier_good_value_is_not_moved_when_a_later_one_is_refused(explorables):
    ex = explorables["cliff"]
    start = ex.values
    with pytest.raises(ValueError, match="max_norm"):
        ex.set(learning_rate=0.3, max_norm=999.0)
    assert ex.values == start


@pytest.mark.parametrize("key, name, value", [
    ("cliff", "learning_rate", 0.37), ("cliff", "learning_rate", np.float32(0.25)), ("cliff", "learning_rate", 1.5),
    ("intro", "eta", np.float64(0.1)), ("ngd", "n_steps", np.int64(7)), ("ngd", "n_steps", 12.0),
    ("fd", "h", 1e-14), ("fd", "h", 1.0), ("ball", "p", np.int64(3)), ("ball", "p", np.inf),
])
def test_set_honours_values_a_control_can_show_exactly(explorables, key, name, value):
    ex = explorables[key]
    ex.set(**{name: value})
    assert ex.values[name] == value


# --- finding 19: numpy numbers, and names of bad keys ---------------------------------------------

NUMPY_INTS = [np.int64, np.int32, np.int16, np.uint8]
NUMPY_FLOATS = [np.float64, np.float32, np.float16]


@pytest.mark.parametrize("kind", NUMPY_INTS + NUMPY_FLOATS)
def test_unit_ball_takes_numpy_numbers_for_p(kind):
    ex = unit_ball_explorer(p=kind(3))
    assert ex.values["p"] == 3.0


@pytest.mark.parametrize("kind", NUMPY_INTS)
def test_training_progress_takes_numpy_integers(kind):
    bar, report = training_progress(kind(5))
    report(kind(3))
    assert bar.total == 5 and type(bar.total) is int and bar.children[0].value == 3


@pytest.mark.parametrize("total", [np.float64(5.0), 5.0, np.bool_(True), True, 0, np.int64(-1), "5"])
def test_training_progress_refuses_what_is_not_a_positive_integer(total):
    with pytest.raises(ValueError, match="total must be a positive integer"):
        training_progress(total)


@pytest.mark.parametrize("build", [
    lambda: cliff_clipping_explorer(np.int64(5)),
    lambda: learning_rate_explorer(theta0=np.float32(1.0), n_steps=np.int16(3)),
    lambda: dirac_gan_explorer(np.int64(20)),
    lambda: param_penalty_explorer(np.int32(20)),
    lambda: ngd_comparison_explorer(condition_number=np.float64(30), n_steps=np.int64(10),
                                    rosenbrock_b=np.float32(10)),
    lambda: norm_vs_value_explorer(np.array([3.0, 1.0], dtype=np.float32)),
    lambda: unit_ball_explorer(x=(np.float32(1.2), np.int64(1))),
    lambda: directional_derivative_explorer(point=(np.float32(0.5), np.int64(0))),
    lambda: finite_difference_explorer(point=np.array([0.3, -0.2], dtype=np.float32)),
])
def test_every_builder_takes_numpy_numbers(build):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ex = build()
    assert ex.finite()


@pytest.mark.parametrize("key", ["nope", "", "00-LEARNING-RATE"])
def test_an_unknown_prediction_key_is_a_value_error_listing_the_keys(key):
    with pytest.raises(ValueError, match=r"key must name a prediction .*'00-learning-rate'"):
        prediction(key)


@pytest.mark.parametrize("key", [3, None, ["00-learning-rate"], b"00-learning-rate"])
def test_a_prediction_key_that_is_not_text_is_a_type_error(key):
    with pytest.raises(TypeError, match="key must be a string"):
        prediction(key)


def test_a_numpy_string_key_works():
    assert prediction(np.str_("00-learning-rate")).items


# --- finding 20: extreme Rosenbrock valleys draw without warnings, or are refused ---------------------

@pytest.mark.parametrize("b", [1e-300, 1e20, 1e100, 1e300])
def test_steep_rosenbrock_valleys_draw_without_warnings(b):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ex = ngd_comparison_explorer(rosenbrock_b=b, n_steps=10)
    assert ex.finite()


@pytest.mark.parametrize("b", [1.7e308, np.inf, np.nan, 0.0, -1.0])
def test_rosenbrock_b_outside_its_range_is_refused(b):
    with pytest.raises(ValueError, match="rosenbrock_b"):
        ngd_comparison_explorer(rosenbrock_b=b)


class _Offset:
    """A landscape whose values are huge but whose differences are not: log contours must not cancel."""

    def __init__(self, offset):
        self.offset = offset

    def value(self, points):
        return self.offset + np.sum(points**2, axis=-1) * self.offset * 1e-3


@pytest.mark.parametrize("offset", [1e17, 1e100, 1e300])
def test_log_contours_of_huge_values_do_not_cancel(offset):
    fig, ax = new_figure()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        contour_landscape(ax, _Offset(offset), (-1.0, 1.0), (-1.0, 1.0), n=20, levels=5, log=True)
    assert ax.collections  # the contours were drawn
