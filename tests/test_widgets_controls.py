"""Explorable controls: aligned slider tracks, grids that hit the values the text names, one readout format."""

import inspect
import math
import re

import ipywidgets as widgets
import pytest

import gnlib.widgets
from gnlib.widgets import (choice_slider, cliff_clipping_explorer, directional_derivative_explorer, float_slider,
                           learning_rate_explorer, ngd_comparison_explorer, param_penalty_explorer)


def _builders():
    return [pytest.param(getattr(gnlib.widgets, name), id=name) for name in gnlib.widgets.__all__
            if inspect.isfunction(getattr(gnlib.widgets, name))
            and "Explorable" in str(inspect.signature(getattr(gnlib.widgets, name)).return_annotation)]


@pytest.fixture(scope="module", params=_builders())
def explorable(request):
    return request.param()


def test_one_label_width_per_explorable(explorable):
    widths = {control.style.description_width for control in explorable.controls.values()}
    assert len(widths) == 1, f"label widths differ: {widths}"
    (width,) = widths
    longest = max(len(control.description) for control in explorable.controls.values())
    assert re.fullmatch(r"\d+ch", width) and int(width[:-2]) >= longest  # every label fits
    assert len({control.layout.width for control in explorable.controls.values()}) == 1  # same track length


def _readouts(control) -> list[str]:
    if isinstance(control, widgets.SelectionSlider):
        return [label for label, _ in control.options]
    if isinstance(control, widgets.FloatSlider):
        n = round((control.max - control.min) / control.step)
        return [format(control.min + k * control.step, control.readout_format) for k in range(n + 1)]
    return []


def _shape(label: str) -> str:
    """The format of a readout: digits replaced, so '0.05' and '1.10' share the shape 'd.dd'."""
    return re.sub(r"\d+", "d", label) if "." not in label else re.sub(r"\d", "d", label.split(".")[1])


def test_one_readout_format_per_control(explorable):
    for name, control in explorable.controls.items():
        labels = _readouts(control)
        if isinstance(control, widgets.FloatSlider):
            assert len({len(label.split(".")[1]) if "." in label else 0 for label in labels}) == 1, name
            assert "e" not in control.readout_format and "g" not in control.readout_format, name
        assert len(set(labels)) == len(labels), f"{name}: two positions read the same: {labels}"
        if isinstance(control, widgets.FloatLogSlider):  # only for h: every power of ten is a position
            assert float(control.min).is_integer() and (1.0 / control.step).is_integer(), name
            assert control.readout_format == ".1e", name


# the values each lesson's text and caption name, per control
NAMED = {
    learning_rate_explorer: {"eta": [0.1, 0.45, 0.7, 1.0, 1.05]},
    directional_derivative_explorer: {"angle": [0.0, 60.0, 90.0, 150.0, 240.0, 330.0]},
    cliff_clipping_explorer: {"learning_rate": [0.05, 0.5], "max_norm": [1.0, 1000.0]},
    ngd_comparison_explorer: {"eta": [0.05, 0.1], "max_norm": [1.0], "condition_number": [30.0, 40.0],
                              "n_steps": [100]},
    param_penalty_explorer: {"lam": [0.0, 0.02, 0.04, 0.06], "eta": [0.05]},
}
NAMED_DECADES = {"h": [1e-14, 1e-8, 1e-5, 1.0]}  # finite_difference_explorer, a log slider


@pytest.mark.parametrize("build", list(NAMED), ids=lambda b: b.__name__)
def test_sliders_hit_the_values_the_text_names(build):
    ex = build()
    for name, values in NAMED[build].items():
        control = ex.controls[name]
        for value in values:
            if isinstance(control, widgets.SelectionSlider):
                positions = [v for _, v in control.options]
                assert value in positions, f"{name} = {value} is not a slider position"
                label = control.options[positions.index(value)][0]
                assert float(label) == value  # the readout shows exactly the number the text names
            else:
                k = (value - control.min) / control.step
                assert control.min <= value <= control.max and abs(k - round(k)) < 1e-9, f"{name} = {value}"
                assert float(format(value, control.readout_format)) == value


def test_the_step_slider_hits_every_power_of_ten():
    from gnlib.widgets import finite_difference_explorer

    control = finite_difference_explorer().controls["h"]
    for value in NAMED_DECADES["h"]:
        k = (math.log10(value) - control.min) / control.step
        assert abs(k - round(k)) < 1e-9


def test_angle_moves_15_degrees_per_key_press():
    control = directional_derivative_explorer().controls["angle"]
    assert (control.min, control.max, control.step, control.readout_format) == (0.0, 360.0, 15.0, ".0f")


def test_slider_helpers():
    assert float_slider("a", 0.5, 0.05, 1.5, 0.05).readout_format == ".2f"
    assert float_slider("a", 10.0, 0.0, 360.0, 15.0).readout_format == ".0f"
    assert float_slider("a", 0.0, 0.0, 0.06, 0.002).readout_format == ".3f"
    s = choice_slider("learning rate η", 0.05, [0.01, 0.05, 0.1], ".2f")
    assert s.value == 0.05 and [label for label, _ in s.options] == ["0.01", "0.05", "0.10"]
    with pytest.raises(ValueError, match="value must be one of"):
        choice_slider("η", 0.07, [0.01, 0.05])
    with pytest.raises(ValueError, match="eta must be one of"):
        choice_slider("η", 0.07, [0.01, 0.05], name="eta")
    with pytest.raises(ValueError, match="increasing"):
        choice_slider("η", 0.05, [0.05, 0.01])
