"""The one widget pattern every explorable in the course uses.

An :class:`Explorable` is a matplotlib figure, a few sliders, and an ``update``
function. Moving a slider calls ``update(**slider_values)``, which recomputes
the numbers (with gnlib functions), changes the figure's artists **in place**
(``set_data``, ``set_offsets`` ... rather than re-plotting) and returns the
numbers it plotted as a dict. The figure is then shown again in an
``ipywidgets.Output`` area.

Because the numbers come back from ``update``, a test can drive an explorable
without a browser::

    ex = learning_rate_explorer()
    before = ex.data["iterates"].copy()
    ex.controls["eta"].value = 0.9          # same as moving the slider
    assert not np.allclose(before, ex.data["iterates"])
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
from IPython.display import Image, display
from matplotlib.figure import Figure

from ._render import BlitRenderer

__all__ = ["Explorable", "choice_slider", "float_slider", "int_slider", "log_slider"]


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


def _align_labels(controls: Mapping[str, widgets.Widget]) -> None:
    """Give every control of one explorable the same label width, so the slider tracks line up."""
    described = [c for c in controls.values() if getattr(c, "description", "")]
    if not described:
        return
    width = f"{max(len(c.description) for c in described) + 2}ch"
    for control in described:
        control.style.description_width = width


class Explorable:
    """A figure whose contents follow a set of sliders.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure the ``update`` function draws into (created once).
    controls : mapping of str to ipywidgets.ValueWidget
        The sliders (or other value widgets), keyed by the keyword argument
        of ``update`` they feed.
    update : callable
        ``update(**values) -> dict``: redraws the figure for the given slider
        values and returns the data it plotted (arrays and numbers).
    caption : str, optional
        Text shown under the sliders (what to try).

    Attributes
    ----------
    data : dict
        What the last ``update`` returned.
    redraws : int
        How many times ``update`` has run.
    widget : ipywidgets.VBox
        The sliders, the caption and the figure, as displayed in a notebook.
    """

    def __init__(self, figure: Figure, controls: Mapping[str, widgets.ValueWidget],
                 update: Callable[..., dict[str, Any]], *, caption: str = "") -> None:
        if not controls:
            raise ValueError("controls must name at least one slider")
        self.figure = figure
        self.controls: dict[str, widgets.ValueWidget] = dict(controls)
        _align_labels(self.controls)
        self._update = update
        self.output = widgets.Output()
        self.data: dict[str, Any] = {}
        self.redraws = 0
        parts: list[widgets.Widget] = list(self.controls.values())
        if caption:
            parts.append(widgets.HTML(f"<small>{caption}</small>"))
        parts.append(self.output)
        self.widget = widgets.VBox(parts)
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.refresh()
        self._freeze_layout()
        self._renderer = BlitRenderer(self.figure)
        self._renderer.expect_changes(self._artists_the_sliders_move())

    def _freeze_layout(self) -> None:
        """Run the figure's layout once, then keep it.

        Constrained layout measures every label on every draw, which is most
        of a redraw's cost. The axes of an explorable do not move when a
        slider does, so the layout is computed here once and then switched
        off (engine ``None``: with a placeholder engine, ``savefig`` would
        still draw twice).
        """
        if self.figure.get_layout_engine() is not None:
            self.figure.draw_without_rendering()
            self.figure.set_layout_engine(None)

    def _artists_the_sliders_move(self) -> list:
        """Try each control once at another value and see which artists change.

        ``update`` is called directly (no redraw, no ``redraws`` count), once
        per control and once more to restore the current values, so the
        figure and :attr:`data` end as they started.
        """
        candidates = self._renderer.candidates()
        for artist in candidates:
            artist.stale = False  # nothing is drawn yet; only changes from here on count
        current = self.values
        for name, control in self.controls.items():
            other = _another_value(control)
            if other is not None and other != current[name]:
                self._update(**{**current, name: other})
        moved = [artist for artist in candidates if artist.stale]
        self.data = self._update(**current)
        return moved

    @property
    def values(self) -> dict[str, Any]:
        """The current slider values, by keyword."""
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values: Any) -> dict[str, Any]:
        """Move several sliders at once (one redraw) and return the new data."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; this explorable has {sorted(self.controls)}")
        self._muted = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._muted = False
        return self.refresh()

    _muted = False

    def _on_change(self, change: Any) -> None:
        if not self._muted:
            self.refresh()

    def refresh(self) -> dict[str, Any]:
        """Recompute and redraw for the current slider values; return the data."""
        self.data = self._update(**self.values)
        self.redraws += 1
        self._show()
        return self.data

    _displayed = False

    def _show(self) -> None:
        """Put the rendered figure into the output area, once the widget is on screen.

        The PNG is rendered here (``render_png``, at the figure's dpi) and shown
        as an image, so a redraw costs exactly ``update`` plus ``render_png``:
        what the benchmarks measure.
        """
        if not self._displayed:  # tests and the preflight never display anything
            return
        self._put_frame(self.render_png())

    def _put_frame(self, png: bytes) -> None:
        with self.output:
            self.output.clear_output(wait=True)
            display(Image(data=png, format="png"))

    def render_png(self) -> bytes:
        """Render the figure as PNG at its dpi: what one redraw costs.

        Only the artists the last update changed are redrawn over a cached
        background (see :mod:`gnlib.widgets._render`); the pixels are the
        same as a full redraw's.
        """
        return self._renderer.render_png()

    def finite(self) -> bool:
        """True if every float array and number in :attr:`data` is finite."""
        for value in self.data.values():
            arr = np.asarray(value)
            if arr.dtype.kind in "fc" and not np.isfinite(arr).all():
                return False
        return True

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The widget, with its first frame as a still image for viewers without a kernel.

        Jupyter shows the live widget (its MIME type ranks first). nbviewer,
        nbconvert and other static views cannot, since no widget state is
        saved, and fall back to ``image/png``: the figure at the current slider values.
        """
        bundle = dict(self.widget._repr_mimebundle_(**kwargs))
        bundle["image/png"] = base64.b64encode(self.render_png()).decode("ascii")
        names = ", ".join(control.description for control in self.controls.values())
        bundle["text/plain"] = f"<interactive figure; run the notebook to move its sliders: {names}>"
        return bundle

    def _ipython_display_(self) -> None:
        bundle = self._repr_mimebundle_()
        display(bundle, raw=True)
        self._displayed = True
        self._put_frame(base64.b64decode(bundle["image/png"]))  # the frame just rendered, not a second render


def _another_value(control: widgets.ValueWidget) -> Any:
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
