"""Lesson 01 (vector norms): unit-ball geometry, figures, the p explorable, checkers."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.figure import Figure

from gnlib import check, global_norm, l2_norm, lp_norm
from gnlib.figures.norms import naive_l2_norm, overflow_error_figure, p_label, unit_ball_boundary, unit_balls_figure
from gnlib.widgets import P_VALUES, ball_title, p_slider, unit_ball_explorer

orders = st.one_of(st.floats(min_value=1.0, max_value=200.0), st.just(math.inf))


# --- unit-ball geometry -------------------------------------------------------------

@given(p=orders)
def test_every_boundary_point_has_p_norm_one(p):
    pts = unit_ball_boundary(p)
    norms = np.array([lp_norm(z, p) for z in pts])
    np.testing.assert_allclose(norms, 1.0, rtol=1e-12)


@pytest.mark.parametrize("p", [1.0, 2.0, 3.5, math.inf])
def test_boundary_is_closed_and_counter_clockwise(p):
    pts = unit_ball_boundary(p, 161)
    assert pts.shape == (161, 2)
    np.testing.assert_allclose(pts[0], pts[-1], atol=1e-15)
    np.testing.assert_allclose(pts[0], [1.0, 0.0])
    # Shoelace formula: positive signed area means counter-clockwise.
    area = 0.5 * np.sum(pts[:-1, 0] * pts[1:, 1] - pts[1:, 0] * pts[:-1, 1])
    assert area > 0


def test_corners_and_areas_of_the_diamond_circle_and_square():
    diamond = unit_ball_boundary(1, 9)
    np.testing.assert_allclose(diamond[::2], [[1, 0], [0, 1], [-1, 0], [0, -1], [1, 0]], atol=1e-15)
    square = unit_ball_boundary(math.inf, 9)
    np.testing.assert_allclose(np.abs(square[1::2]), 1.0)  # the four corners (±1, ±1)

    def area(pts):
        return 0.5 * np.sum(pts[:-1, 0] * pts[1:, 1] - pts[1:, 0] * pts[:-1, 1])

    assert area(unit_ball_boundary(1, 801)) == pytest.approx(2.0, rel=1e-12)
    assert area(unit_ball_boundary(2, 2001)) == pytest.approx(math.pi, rel=1e-4)
    assert area(unit_ball_boundary(math.inf, 801)) == pytest.approx(4.0, rel=1e-12)


def test_balls_are_nested_larger_p_contains_smaller():
    # Along every direction the boundary point moves outwards as p grows.
    radii = [np.hypot(*unit_ball_boundary(p).T) for p in (1, 1.5, 2, 4, 10, math.inf)]
    for inner, outer in zip(radii, radii[1:]):
        assert np.all(inner <= outer + 1e-12)


def test_large_p_does_not_overflow():
    pts = unit_ball_boundary(1e6)
    assert np.isfinite(pts).all()
    np.testing.assert_allclose(np.abs(pts).max(axis=1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("bad", [0.5, 0.0, -2.0, math.nan])
def test_boundary_refuses_p_below_one(bad):
    with pytest.raises(ValueError, match="p"):
        unit_ball_boundary(bad)


def test_boundary_bad_arguments():
    with pytest.raises(TypeError, match="p"):
        unit_ball_boundary("2")
    with pytest.raises(ValueError, match="n_points"):
        unit_ball_boundary(2, 5)
    with pytest.raises(TypeError, match="n_points"):
        unit_ball_boundary(2, 10.0)


def test_p_label():
    assert p_label(1) == r"\ell_{1}"
    assert p_label(1.5) == r"\ell_{1.5}"
    assert p_label(np.inf) == r"\ell_{\infty}"
    with pytest.raises(ValueError, match="p"):
        p_label(0.9)


# --- the lesson's claims about norms ------------------------------------------------

vectors = st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=1, max_size=30).map(np.array)


@given(x=vectors)
def test_norm_ordering_shown_in_the_lesson(x):
    n = x.size
    inf, two, one = lp_norm(x, math.inf), lp_norm(x, 2), lp_norm(x, 1)
    slack = 1e-12 * (one + 1e-300)
    assert inf <= two + slack
    assert two <= one + slack
    assert one <= math.sqrt(n) * two + slack


@given(x=vectors, y=vectors, p=orders, alpha=st.floats(min_value=-1e3, max_value=1e3))
def test_norm_axioms(x, y, p, alpha):
    m = min(x.size, y.size)
    x, y = x[:m], y[:m]
    assert lp_norm(x, p) >= 0
    assert (lp_norm(x, p) == 0) == (not x.any())
    assert lp_norm(alpha * x, p) == pytest.approx(abs(alpha) * lp_norm(x, p), rel=1e-9, abs=1e-300)
    assert lp_norm(x + y, p) <= (lp_norm(x, p) + lp_norm(y, p)) * (1 + 1e-12) + 1e-300


def test_naive_norm_fails_where_the_lesson_says():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the teaching helper must stay silent
        assert naive_l2_norm([3.0, 4.0]) == 5.0
        assert naive_l2_norm([3e200, 4e200]) == math.inf
        assert naive_l2_norm([3e-200, 4e-200]) == 0.0
        assert naive_l2_norm(np.array([300.0], dtype=np.float16)) == math.inf
        assert naive_l2_norm(np.array([255.0], dtype=np.float16)) == 255.0
    assert l2_norm([3e200, 4e200]) == pytest.approx(5e200, rel=1e-15)
    with pytest.raises(TypeError, match="x"):
        naive_l2_norm(["a"])


# --- static figures -----------------------------------------------------------------

def _labelled(fig):
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    return ax


def test_unit_balls_figure():
    ax = _labelled(unit_balls_figure())
    labels = ax.get_legend_handles_labels()[1]
    assert labels == ["$p=1$", "$p=1.5$", "$p=2$", "$p=4$", r"$p=\infty$"]
    for line, p in zip(ax.lines, (1, 1.5, 2, 4, math.inf)):
        xy = line.get_xydata()
        assert abs(lp_norm(xy[17], p) - 1.0) < 1e-12


def test_unit_balls_figure_bad_input():
    with pytest.raises(ValueError, match="ps"):
        unit_balls_figure([])
    with pytest.raises(ValueError, match="p"):
        unit_balls_figure([1, 0.5])


def test_overflow_error_figure_shows_the_failure_and_the_fix():
    ax = _labelled(overflow_error_figure(n_points=64))
    naive, safe = (line.get_ydata() for line in ax.lines[-2:])
    expo = ax.lines[-1].get_xdata()
    assert naive[0] == 1.0 and naive[-1] == 1.0  # 0 at the bottom, inf at the top
    middle = (expo > -150) & (expo < 150)
    assert naive[middle].max() < 1e-15
    assert safe.max() < 1e-15  # gnlib.l2_norm is accurate over the whole range
    with pytest.raises(ValueError, match="n_points"):
        overflow_error_figure(n_points=3)


# --- the explorable -----------------------------------------------------------------

def test_p_slider_positions():
    slider = p_slider()
    assert slider.value == 2.0
    assert P_VALUES[0] == 1.0 and P_VALUES[-2] == 10.0 and math.isinf(P_VALUES[-1])
    assert slider.options[-1] == ("∞", math.inf)
    with pytest.raises(ValueError, match="p"):
        p_slider(0.5)
    with pytest.raises(TypeError, match="p"):
        p_slider("inf")


@pytest.mark.parametrize("p", [1.0, 5.5, 10.0, math.inf])
def test_explorer_draws_the_right_ball(p):
    x = np.array([1.2, 0.6])
    ex = unit_ball_explorer(x)
    before = ex.data["ball"].copy()
    ex.controls["p"].value = p  # as if the slider moved
    data = ex.data
    assert ex.finite()
    assert not np.allclose(before, data["ball"])  # the initial p is 2
    norms = np.array([lp_norm(z, p) for z in data["ball"]])
    np.testing.assert_allclose(norms, 1.0, rtol=1e-12)
    # the drawn polygon is the returned data
    drawn = ex.figure.axes[0].patches[0].get_xy()
    np.testing.assert_allclose(drawn[: len(data["ball"])], data["ball"])
    assert data["x_norm"] == pytest.approx(lp_norm(x, p), rel=1e-15)
    assert lp_norm(data["on_ball"], p) == pytest.approx(1.0, rel=1e-12)
    np.testing.assert_allclose(data["on_ball"] * data["x_norm"], x, rtol=1e-15)
    assert data["title"] == ball_title(p, data["x_norm"])
    assert ex.render_png().startswith(b"\x89PNG")


def test_explorer_title_names_the_norm_and_norm_falls_with_p():
    ex = unit_ball_explorer()
    titles, norms = {}, []
    for p in P_VALUES:
        data = ex.set(p=p)
        titles[p] = data["title"]
        norms.append(data["x_norm"])
    assert "ℓ₁ norm" in titles[1.0] and "ℓ₂ norm" in titles[2.0] and "Euclidean" in titles[2.0]
    assert "ℓ∞ norm" in titles[math.inf] and "p = ∞" in titles[math.inf]
    assert "ℓ₃.₅ norm" in titles[3.5]
    assert all(a >= b for a, b in zip(norms, norms[1:]))  # ||x||_p never grows with p
    assert norms[0] == pytest.approx(1.8) and norms[-1] == pytest.approx(1.2)
    assert ex.figure.texts[0].get_text() == titles[math.inf]


def test_explorer_bad_input():
    with pytest.raises(ValueError, match="x"):
        unit_ball_explorer([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="x"):
        unit_ball_explorer([0.0, 0.0])
    with pytest.raises(ValueError, match="x"):
        unit_ball_explorer([math.inf, 1.0])
    with pytest.raises(TypeError, match="x"):
        unit_ball_explorer("ab")
    with pytest.raises(ValueError, match="p"):
        unit_ball_explorer(p=0.5)


# --- checkers -----------------------------------------------------------------------

def _stub(*args, **kwargs):
    raise NotImplementedError("Exercise: replace this line with your code")


def _normalize(x, p=2):
    n = lp_norm(x, p)
    if n == 0:
        raise ValueError("x is zero: no direction")
    return np.asarray(x, dtype=float) / n


def _naive_l2(x):
    return float(np.sqrt(np.sum(np.asarray(x) ** 2)))


REFERENCE = {
    "check_p_norm": lambda x, p: lp_norm(x, p),
    "check_safe_l2_norm": l2_norm,
    "check_global_norm": global_norm,
    "check_normalize": _normalize,
}
WRONG = {
    "check_p_norm": lambda x, p: float(np.sum(np.asarray(x) ** p) ** (1 / p)) if p != np.inf else 0.0,  # no abs
    "check_safe_l2_norm": _naive_l2,  # overflows
    "check_global_norm": lambda arrays: sum(l2_norm(a) for a in arrays),  # adds norms, not squares
    "check_normalize": lambda x, p=2: np.asarray(x) / l2_norm(x),  # ignores p
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_checker_reference_passes(name):
    report = getattr(check, name)(REFERENCE[name], quiet=True)
    assert report.status == "passed", str(report)


@pytest.mark.parametrize("name", sorted(WRONG))
def test_checker_wrong_solution_fails(name):
    with np.errstate(all="ignore"):
        report = getattr(check, name)(WRONG[name], quiet=True)
    assert report.status == "failed"
    assert "✗" in str(report) and "Hint:" in str(report)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_checker_stub_is_not_attempted(name):
    report = getattr(check, name)(_stub, quiet=True)
    assert report.status == "not attempted"
    assert "not attempted yet" in str(report)


def test_safe_norm_checker_reports_the_float16_overflow():
    with np.errstate(all="ignore"):
        report = check.check_safe_l2_norm(_naive_l2, quiet=True)
    failed = [line for line in report.lines if "✗" in line]
    assert any("float16" in line for line in failed)  # 10**2 * 10,000 overflows float16
    assert any("1e200" in line for line in failed)
    assert report.lines[0].startswith("  ✓ ordinary numbers")


def test_checkers_print_no_answers(capsys):
    with np.errstate(all="ignore"):
        check.check_p_norm(WRONG["check_p_norm"])
    out = capsys.readouterr().out
    assert "✗ p_norm" in out
    assert f"{lp_norm([3.0, -4.0, 12.0], 3):.6g}" not in out
