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
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
from IPython.display import Image, display
from matplotlib.figure import Figure

from ._controls import another_value, choice_slider, float_slider, int_slider, log_slider, value_for_control
from ._render import BlitRenderer

__all__ = ["Explorable", "choice_slider", "float_slider", "int_slider", "log_slider", "value_for_control"]


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
            other = another_value(control)
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
        """Move several sliders at once (one redraw) and return the new data.

        Raises
        ------
        ValueError
            If a name is not one of :attr:`controls`, or a value is one its
            control cannot show (outside a slider's range, not one of a
            choice slider's values, not a whole number for an integer
            slider); the message names the control and what it allows.
            Nothing is moved then.
        TypeError
            If a slider is given something other than a real number.
        """
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; this explorable has {sorted(self.controls)}")
        checked = {name: value_for_control(name, self.controls[name], value) for name, value in values.items()}
        self._muted = True
        try:
            for name, value in checked.items():
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
