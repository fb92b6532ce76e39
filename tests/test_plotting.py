"""gnlib.figures.style: course figures keep log axes light, and only where that loses nothing."""

import io

import numpy as np
import pytest
from matplotlib.ticker import FixedLocator, LogLocator, NullLocator
from PIL import Image

from gnlib.figures.style import CourseFigure, new_figure


def minor_ticks(axis) -> int:
    return len(axis.get_minorticklocs())


def test_new_figure_makes_course_figures():
    fig, _ = new_figure()
    assert isinstance(fig, CourseFigure)


def test_wide_log_axes_lose_minor_ticks_and_narrow_ones_keep_them():
    fig, (wide, narrow) = new_figure(1, 2)
    wide.semilogy([0, 1], [1e-2, 1e3])
    narrow.semilogy([0, 1], [2.0, 30.0])  # 1.2 decades: the minor ticks are most of the ticks
    assert minor_ticks(wide.yaxis) > 0  # matplotlib's default before the course figure draws
    fig.canvas.draw()
    assert isinstance(wide.yaxis.get_minor_locator(), NullLocator)
    assert minor_ticks(wide.yaxis) == 0
    assert isinstance(narrow.yaxis.get_minor_locator(), LogLocator)
    assert minor_ticks(narrow.yaxis) > 0
    # zooming in below two decades brings the original minor ticks back
    original = wide.yaxis._gnlib_minor_locator
    wide.set_ylim(1.0, 50.0)
    fig.canvas.draw()
    assert wide.yaxis.get_minor_locator() is original
    assert minor_ticks(wide.yaxis) > 0


def test_linear_axes_and_chosen_locators_are_left_alone():
    fig, (lin, chosen) = new_figure(1, 2)
    lin.plot(np.arange(5), np.arange(5) ** 2)
    chosen.loglog([1, 1e6], [1, 1e6])
    chosen.xaxis.set_minor_locator(FixedLocator([3.0, 30.0]))
    before = lin.xaxis.get_minor_locator()
    fig.canvas.draw()
    assert lin.xaxis.get_minor_locator() is before
    assert isinstance(chosen.xaxis.get_minor_locator(), FixedLocator)
    assert isinstance(chosen.yaxis.get_minor_locator(), NullLocator)  # the one left at the default


def test_log_tick_labels_are_plain_text_superscripts():
    from gnlib.figures.style import PlainLogFormatter

    formatter = PlainLogFormatter(labelOnlyBase=False)
    assert [formatter(v) for v in (1e-3, 1.0, 10.0, 1e12)] == ["10⁻³", "10⁰", "10¹", "10¹²"]
    fig, ax = new_figure()
    ax.semilogy([1, 2], [0.2, 0.6])  # under a decade: minor ticks are labelled with mantissas
    fig.canvas.draw()
    assert "2×10⁻¹" in [t.get_text() for t in ax.get_yticklabels(minor=True)]
    fig, ax = new_figure()
    ax.loglog([1e-4, 1e2], [1e-8, 1e4])
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]
    assert labels and not any("$" in label for label in labels)
    assert "10⁻⁴" in labels and "10²" in labels


def test_a_chosen_log_formatter_is_kept():
    from matplotlib.ticker import LogFormatterMathtext

    fig, ax = new_figure()
    ax.semilogy([1, 2], [1e-3, 1e3])
    ax.yaxis.set_major_formatter(LogFormatterMathtext())
    fig.canvas.draw()
    assert type(ax.yaxis.get_major_formatter()) is LogFormatterMathtext


def _course_figures():
    """One call per figure function the lessons show (fast arguments where they have any)."""
    from gnlib.figures import clipping as clipping_plots
    from gnlib.figures import gradients as gradient_plots
    from gnlib.figures import ngd as ngd_plots
    from gnlib.figures import norms as norm_plots
    from gnlib.figures import penalty as penalty_plots
    from gnlib.functions import plateau

    yield "unit_balls_figure", norm_plots.unit_balls_figure
    yield "overflow_error_figure", norm_plots.overflow_error_figure
    yield "gradient_field_figure", gradient_plots.gradient_field_figure
    yield "gradient_norm_figure", gradient_plots.gradient_norm_figure
    yield "plot_linear_recurrence_gradients", clipping_plots.plot_linear_recurrence_gradients
    yield "plot_cliff_slice", clipping_plots.plot_cliff_slice
    yield "plot_cliff_trajectories", clipping_plots.plot_cliff_trajectories
    yield "plot_norm_vs_value", clipping_plots.plot_norm_vs_value
    yield "plot_global_vs_per_tensor", lambda: clipping_plots.plot_global_vs_per_tensor(
        [np.full(3, 0.2), np.full(4, 3.0)], 1.0, names=["small", "large"])
    yield "plot_step_length_rules", ngd_plots.plot_step_length_rules
    yield "plot_race_1d", lambda: ngd_plots.plot_race_1d(plateau(), 5.05, 0.1, 30)
    yield "plot_flat_and_saddle", ngd_plots.plot_flat_and_saddle
    yield "plot_penalized_loss", penalty_plots.plot_penalized_loss
    yield "plot_grad_norm_histograms", lambda: penalty_plots.plot_grad_norm_histograms(
        {"toy": np.random.default_rng(0).normal(1.0, 0.1, 500)})


def _png_pixels(fig, **savefig_kw) -> np.ndarray:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", **savefig_kw)
    return np.asarray(Image.open(io.BytesIO(buffer.getvalue())))


@pytest.mark.parametrize("bbox_inches", [None, "tight"])
def test_layout_only_prepass_saves_the_same_pixels(monkeypatch, bbox_inches):
    """CourseFigure skips the artists in matplotlib's layout pre-pass; no saved pixel may change."""
    import gnlib.figures.style

    for name, make in _course_figures():
        fast = _png_pixels(make(), bbox_inches=bbox_inches)
        with monkeypatch.context() as patch:
            patch.setattr(gnlib.figures.style, "_drawing_is_off", lambda renderer: False)
            reference = _png_pixels(make(), bbox_inches=bbox_inches)
        assert fast.shape == reference.shape, name
        assert np.array_equal(fast, reference), f"{name}: the layout-only pre-pass changed the image"


def test_layout_only_prepass_really_skips_the_artists(monkeypatch):
    """The pre-pass runs the layout and draws no artist; the real draw draws them all."""
    from matplotlib.lines import Line2D

    calls = []
    original = Line2D.draw
    monkeypatch.setattr(Line2D, "draw", lambda self, renderer: calls.append(self) or original(self, renderer))
    fig, ax = new_figure()
    ax.plot([0, 1], [0, 1])
    before = ax.get_position().bounds
    fig.draw_without_rendering()
    assert ax.get_position().bounds != before  # constrained layout moved the axes
    assert calls == []
    fig.canvas.draw()
    assert calls
