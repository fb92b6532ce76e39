"""The controls of an explorable: the course's sliders, and the values each can show (private to widgets).

Every slider has the course's layout (a wide label, continuous updates).
:func:`value_for_control` is what :meth:`Explorable.set` checks a value with:
ipywidgets would clamp a slider's value into its range without a word, or
raise its own ``TraitError`` for a value a selection does not offer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np

__all__ = ["choice_slider", "float_slider", "int_slider", "log_slider", "value_for_control", "another_value"]


def _decimals(step: float) -> str:
    """A fixed-point readout format with as many decimals as ``step`` has: 0.05 -> ".2f"."""
    text = f"{step:.10f}".rstrip("0")
    return f".{len(text.split('.')[1])}f"


def float_slider(description: str, value: float, low: float, high: float, step: float,
                 *, readout_format: str | None = None) -> widgets.FloatSlider:
    """A float slider with the course's layout (wide description, continuous updates).

    The readout shows every position with the same number of decimals as
    ``step`` (0.05 -> "0.00", "0.05", ... "1.00") unless ``readout_format`` says otherwise.
    """
    readout_format = _decimals(step) if readout_format is None else readout_format
    return widgets.FloatSlider(
        value=value, min=low, max=high, step=step, description=description,
        readout_format=readout_format, continuous_update=True,
        style={"description_width": "initial"}, layout=widgets.Layout(width="420px"),
    )


def int_slider(description: str, value: int, low: int, high: int, step: int = 1) -> widgets.IntSlider:
    """An integer slider with the course's layout."""
    return widgets.IntSlider(
        value=value, min=low, max=high, step=step, description=description,
        continuous_update=True, style={"description_width": "initial"},
        layout=widgets.Layout(width="420px"),
    )


def log_slider(description: str, value: float, low_exp: float, high_exp: float,
               step: float = 0.1, *, readout_format: str = ".3g") -> widgets.FloatLogSlider:
    """A slider over ``10**low_exp ... 10**high_exp`` (for step sizes, thresholds, h)."""
    return widgets.FloatLogSlider(
        value=value, base=10, min=low_exp, max=high_exp, step=step, description=description,
        readout_format=readout_format, continuous_update=True,
        style={"description_width": "initial"}, layout=widgets.Layout(width="420px"),
    )


def choice_slider(description: str, value: float, values: Sequence[float], fmt: str = "g",
                  name: str = "value") -> widgets.SelectionSlider:
    """A slider over exactly ``values``, each shown as ``format(v, fmt)``.

    Use it where the text names values a slider must hit (``eta = 0.05``,
    ``tau = 1``): a float or log slider's grid of ``low + k * step`` or
    ``10**(low + k * step)`` misses them (``10**-1.3`` reads 0.0501), while here
    the value *is* the number from the list and every position is read out in
    one format.

    Parameters
    ----------
    description : str
        The label.
    value : float
        The starting value, one of ``values``.
    values : sequence of float
        The positions, in increasing order.
    fmt : str, default "g"
        Format spec for every readout.
    name : str, default "value"
        The caller's argument name, used in the error message.

    Returns
    -------
    ipywidgets.SelectionSlider

    Raises
    ------
    ValueError
        If ``values`` is empty or not increasing, or ``value`` is not in it.

    Examples
    --------
    >>> choice_slider("learning rate η", 0.05, [0.01, 0.02, 0.05, 0.1]).label
    '0.05'
    """
    values = [float(v) for v in values]
    if not values or any(b <= a for a, b in zip(values, values[1:])):
        raise ValueError(f"values must be a non-empty increasing sequence, got {values}")
    if float(value) not in values:
        raise ValueError(f"{name} must be one of the slider's values {values}, got {value!r}")
    return widgets.SelectionSlider(
        options=[(format(v, fmt), v) for v in values], value=float(value), description=description,
        continuous_update=True, style={"description_width": "initial"}, layout=widgets.Layout(width="420px"),
    )


def value_for_control(name: str, control: widgets.ValueWidget, value: Any) -> Any:
    """``value`` as ``control`` holds it, or an error if the control cannot show it (it would be changed).

    ipywidgets clamps a slider's value into its range without a word and
    raises its own ``TraitError`` for a value a selection does not offer;
    this refuses both with a message naming the control.

    Examples
    --------
    >>> value_for_control("eta", float_slider("η", 0.5, 0.05, 1.5, 0.05), 0.25)
    0.25
    >>> value_for_control("eta", float_slider("η", 0.5, 0.05, 1.5, 0.05), 5.0)
    Traceback (most recent call last):
    ...
    ValueError: eta (slider 'η') must be between 0.05 and 1.5, got 5.0
    """
    label = f"{name} (slider {control.description!r})" if getattr(control, "description", "") else name
    options = getattr(control, "options", None)
    if options is not None:
        pairs = [o if isinstance(o, tuple) else (str(o), o) for o in options]
        for _, option in pairs:
            try:
                same_kind = isinstance(option, (bool, np.bool_)) == isinstance(value, (bool, np.bool_))
                if option is value or (same_kind and bool(option == value)):
                    return option
            except Exception:  # an array or an object whose == fails is no option
                continue
        shown = ", ".join(text for text, _ in pairs)
        raise ValueError(f"{label} must be one of its values {shown}, got {value!r}")
    if isinstance(control, (widgets.FloatSlider, widgets.FloatLogSlider, widgets.IntSlider)):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError(f"{label} must be a real number, got {type(value).__name__} {value!r}")
        if isinstance(control, widgets.FloatLogSlider):
            low, high = control.base**control.min, control.base**control.max
        else:
            low, high = control.min, control.max
        number = float(value)
        # 10**-14.0 and 1e-14 may differ in the last bit: each end has a relative slack of 1e-12
        above_low = number >= low or math.isclose(number, low, rel_tol=1e-12)
        below_high = number <= high or math.isclose(number, high, rel_tol=1e-12)
        if not (above_low and below_high):
            raise ValueError(f"{label} must be between {low:g} and {high:g}, got {value!r}")
        if isinstance(control, widgets.IntSlider):
            if not number.is_integer():
                raise ValueError(f"{label} must be a whole number between {low} and {high}, got {value!r}")
            return int(number)
        return min(max(number, low), high)
    return value


def another_value(control: widgets.ValueWidget) -> Any:
    """A value of ``control`` other than its current one (None if it has no other)."""
    if isinstance(control, widgets.FloatLogSlider):
        low, high = control.base**control.min, control.base**control.max
        return high if control.value != high else low
    if isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
        return control.max if control.value != control.max else control.min
    options = getattr(control, "options", None)
    if options:
        values = [o[1] if isinstance(o, tuple) else o for o in options]
        others = [v for v in values if v != control.value]
        return others[0] if others else None
    return None
