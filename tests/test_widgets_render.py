"""Every explorable in gnlib.widgets: sliders work, and fast redraws are exact.

For each widget builder and each control, the control is moved to its
minimum, a middle value and its maximum. The data must stay finite, and the
PNG an explorable renders (only changed artists redrawn over a cached
background) must have exactly the pixels of a full matplotlib redraw.
"""

import inspect
import io

import ipywidgets as widgets
import numpy as np
import pytest
from PIL import Image

import gnlib.widgets as gw


def builders():
    found = []
    for name in gw.__all__:
        obj = getattr(gw, name)
        if inspect.isfunction(obj) and "Explorable" in str(inspect.signature(obj).return_annotation):
            found.append(pytest.param(obj, id=name))
    return found


def three_values(control):
    if isinstance(control, widgets.FloatLogSlider):
        return [control.base**control.min, control.base ** ((control.min + control.max) / 2), control.base**control.max]
    if isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
        mid = (control.min + control.max) / 2
        return [control.min, int(mid) if isinstance(control, widgets.IntSlider) else mid, control.max]
    options = [o[1] if isinstance(o, tuple) else o for o in control.options]
    return [options[0], options[len(options) // 2], options[-1]]


def full_redraw_pixels(figure) -> np.ndarray:
    figure.canvas.draw()
    return np.asarray(figure.canvas.buffer_rgba()).copy()


def test_there_is_an_explorable_per_lesson():
    assert len(builders()) >= 6


@pytest.mark.parametrize("builder", builders())
def test_every_control_redraws_exactly(builder):
    ex = builder()
    ex.render_png()
    for name, control in ex.controls.items():
        for value in three_values(control):
            control.value = value
            assert control.value == value
            assert ex.finite(), f"{name}={value!r} gives non-finite data"
            fast = np.asarray(Image.open(io.BytesIO(ex.render_png())).convert("RGBA"))
            full = full_redraw_pixels(ex.figure)
            assert fast.shape == full.shape
            differing = np.any(fast != full, axis=2).mean()
            assert differing == 0.0, f"{name}={value!r}: {differing:.2%} of pixels differ from a full redraw"
            assert_texts_inside(ex.figure, f"{name}={value!r}")
    # The artists the sliders move were found when the explorable was built,
    # so even the first move of each slider redraws only those artists.
    assert ex._renderer.full_draws == 1, f"{ex._renderer.full_draws - 1} slider move(s) redrew the whole figure"
    assert ex._renderer.blits >= 3 * len(ex.controls) - 1


def assert_texts_inside(figure, where: str) -> None:
    """No visible text (title, label, annotation) is cut off by the figure's edge."""
    renderer = figure.canvas.get_renderer()
    box = figure.bbox
    for ax in figure.axes:
        for text in [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label, *ax.texts]:
            if text.get_visible() and text.get_text():
                ext = text.get_window_extent(renderer)
                inside = ext.x0 >= box.x0 - 1 and ext.x1 <= box.x1 + 1 and ext.y0 >= box.y0 - 1 and ext.y1 <= box.y1 + 1
                assert inside, f"{where}: text {text.get_text()!r} is cut off by the figure edge"


@pytest.mark.parametrize("opaque", [True, False])
def test_encode_png_round_trips_every_pixel(opaque):
    from gnlib.widgets._render import encode_png

    rng = np.random.default_rng(3)
    rgba = rng.integers(0, 256, size=(7, 13, 4), dtype=np.uint8)
    if opaque:
        rgba[..., 3] = 255
    decoded = Image.open(io.BytesIO(encode_png(rgba)))
    assert decoded.mode == ("RGB" if opaque else "RGBA")
    np.testing.assert_array_equal(np.asarray(decoded.convert("RGBA")), rgba)


def test_encode_png_refuses_what_is_not_an_rgba_image():
    from gnlib.widgets._render import encode_png

    with pytest.raises(ValueError, match="height x width x 4 uint8"):
        encode_png(np.zeros((4, 4, 3), dtype=np.uint8))
    with pytest.raises(ValueError, match="height x width x 4 uint8"):
        encode_png(np.zeros((4, 4, 4)))
