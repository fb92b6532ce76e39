"""The Explorable pattern and lesson 00's explorable, driven without a browser."""

import ipywidgets as widgets
import numpy as np
import pytest

from gnlib.figures.style import new_figure
from gnlib.widgets import Explorable, describe_learning_rate, learning_rate_explorer
from gnlib.widgets.intro import ETA_VALUES


def test_learning_rate_slider_redraws_with_new_data():
    ex = learning_rate_explorer()
    eta = ex.controls["eta"]
    assert [v for _, v in eta.options] == list(ETA_VALUES)
    seen = []
    for value in (ETA_VALUES[0], 0.5, ETA_VALUES[-1]):
        before = ex.redraws
        ex.controls["eta"].value = value
        assert ex.redraws == before + 1
        assert ex.finite()
        seen.append(ex.data["iterates"].copy())
        # the plotted line is the data (artists updated in place)
        line = ex.figure.axes[0].lines[1]
        np.testing.assert_array_equal(line.get_xdata(), ex.data["iterates"])
    assert not np.allclose(seen[0], seen[1]) and not np.allclose(seen[1], seen[2])
    # theta_t = (1 - 2 eta)^t theta_0: the explorable computes the real thing
    t = np.arange(len(seen[2]))
    np.testing.assert_allclose(seen[2], (1 - 2 * ETA_VALUES[-1]) ** t, rtol=1e-12)
    assert "diverges" in ex.figure.axes[0].get_title()
    assert ex.render_png().startswith(b"\x89PNG")


def test_describe_learning_rate_boundaries():
    assert describe_learning_rate(0.25) == "converges smoothly"
    assert "zig-zag" in describe_learning_rate(0.75)
    assert "bounces" in describe_learning_rate(1.0)
    assert "diverges" in describe_learning_rate(1.2)


def test_explorable_set_moves_several_sliders_with_one_redraw():
    fig, ax = new_figure()
    (line,) = ax.plot([], [])

    def update(a: float, b: float) -> dict:
        x = np.linspace(0, 1, 5)
        line.set_data(x, a * x + b)
        return {"y": a * x + b}

    ex = Explorable(fig, {"a": widgets.FloatSlider(value=1.0), "b": widgets.FloatSlider(value=0.0)}, update)
    assert ex.redraws == 1
    data = ex.set(a=2.0, b=1.0)
    assert ex.redraws == 2
    np.testing.assert_allclose(data["y"], 2 * np.linspace(0, 1, 5) + 1)
    with pytest.raises(ValueError, match="unknown control"):
        ex.set(c=1.0)
    with pytest.raises(ValueError, match="controls must name"):
        Explorable(fig, {}, update)


def test_finite_detects_nan():
    fig, _ = new_figure()
    ex = Explorable(fig, {"a": widgets.FloatSlider(value=1.0)}, lambda a: {"y": np.array([a, np.nan])})
    assert not ex.finite()


def test_display_bundle_carries_a_still_frame_for_static_viewers():
    """Jupyter gets the live widget; nbviewer and nbconvert get the current frame as a PNG."""
    import base64

    ex = learning_rate_explorer()
    ex.controls["eta"].value = 0.9
    bundle = ex._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.widget.model_id
    png = base64.b64decode(bundle["image/png"])
    assert png == ex.render_png()  # the frame the sliders show now, not a stale one
    assert "learning rate η" in bundle["text/plain"]
