"""Every figure of the course fits its notebook column and keeps its text on the canvas.

Two views of the same promise:

- the PNGs stored in the notebooks (static figures and explorable frames
  alike) are at most 900 px wide, so JupyterLab, GitHub and nbviewer show them
  at their true size instead of shrinking their tick labels;
- every figure gnlib builds (each public figure builder of ``gnlib.figures``
  and each explorable at its start values and at both ends of every slider)
  is at most 900 px wide, and every piece of text lies inside the canvas: a
  title or label that runs past the edge is cut off in the saved PNG.
"""

from __future__ import annotations

import base64
import functools
import importlib
import inspect
import pkgutil
import struct
from pathlib import Path

import nbformat
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

import gnlib.figures
import gnlib.widgets

ROOT = Path(__file__).resolve().parents[1]
MAX_WIDTH_PX = 900
NOTEBOOKS = sorted(ROOT.glob("lessons/*.ipynb")) + sorted(ROOT.glob("exercises/*/*.ipynb"))


def _png_size(data: str) -> tuple[int, int]:
    raw = base64.b64decode(data)
    assert raw[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", raw[16:24])


def _stored_pngs(path: Path):
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                yield index, _png_size(data["image/png"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_stored_figures_fit_the_column(path):
    too_wide = [(index, width) for index, (width, _) in _stored_pngs(path) if width > MAX_WIDTH_PX]
    assert not too_wide, f"{path.name}: cells with figures wider than {MAX_WIDTH_PX} px (cell, width): {too_wide}"


def test_the_notebooks_do_store_figures():
    assert sum(1 for path in NOTEBOOKS for _ in _stored_pngs(path)) >= 20  # the check above has something to check


def _outside(box, canvas) -> bool:
    return (box.x0 < canvas.x0 - 1 or box.y0 < canvas.y0 - 1
            or box.x1 > canvas.x1 + 1 or box.y1 > canvas.y1 + 1)


def text_outside_canvas(fig: Figure) -> list[str]:
    """Texts whose drawn extent leaves the figure (after a full draw, so layouts have run).

    Tick labels are judged through their axis' tight bbox, which holds only the
    ticks matplotlib draws (an axis also keeps labels for ticks outside the view).
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    canvas = fig.bbox
    outside, tick_texts = [], set()
    for ax in fig.axes:
        for axis in ax._axis_map.values() if hasattr(ax, "_axis_map") else (ax.xaxis, ax.yaxis):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                tick_texts.update({id(tick.label1), id(tick.label2)})
            box = axis.get_tightbbox(renderer)
            if box is not None and _outside(box, canvas):
                outside.append(f"{axis.axis_name}-axis of {ax.get_title()!r} at x {box.x0:.0f}..{box.x1:.0f}, "
                               f"y {box.y0:.0f}..{box.y1:.0f}")
    for text in fig.findobj(Text):
        if (id(text) in tick_texts or not text.get_visible() or not text.get_text().strip()
                or text.figure is None):
            continue
        box = text.get_window_extent(renderer)
        if _outside(box, canvas):
            outside.append(f"{text.get_text()!r} at x {box.x0:.0f}..{box.x1:.0f}, y {box.y0:.0f}..{box.y1:.0f}")
    if outside:
        outside.append(f"(canvas {canvas.width:.0f} x {canvas.height:.0f} px)")
    return outside


def assert_fits(fig: Figure, what: str) -> None:
    width = fig.get_figwidth() * fig.dpi
    assert width <= MAX_WIDTH_PX + 0.5, f"{what}: {width:.0f} px wide, more than {MAX_WIDTH_PX}"
    outside = text_outside_canvas(fig)
    assert not outside, f"{what}: text outside the canvas: {outside}"


# Arguments for the builders that have required ones (the shapes the lessons use).
@functools.lru_cache(maxsize=1)
def _required_arguments() -> dict:
    from gnlib.figures.clipping import cliff_runs
    from gnlib.functions import plateau
    from gnlib.models.adding_problem import DEMO_SETTINGS, train_adding
    from gnlib.models.mlp import init_mlp

    rng = np.random.default_rng(0)
    critic = init_mlp([2, 16, 16, 1], rng)
    gd, clipped = cliff_runs(0.5, 1.0, 40, theta0=[5.5, -2.0])
    taus = [0.1, 0.25, 0.5, 2.0, 4.0, 8.0, 16.0]  # lesson 03b's run: 13 networks
    run = train_adding([0, 1, 2] * 2 + [0] * len(taus), clip=[None] * 3 + [1.0] * 3 + taus, **DEMO_SETTINGS)
    return {
        "plot_loss_curves": (run, [0, 1, 2], [3, 4, 5]),
        "plot_gradient_norms": (run, 0, 3),
        "plot_state_gradients": (run, 0, 3, [0, 2, 3, 4, 5, 6]),
        "threshold_figure": (run, 0),
        "plot_global_vs_per_tensor": ([rng.normal(size=(8, 8)) * 5.0, rng.normal(size=8) * 0.05,
                                       rng.normal(size=(8, 2)) * 0.3], 1.0),
        "plot_grad_norm_monitor": ({"plain GD": gd, "clipped GD (τ = 1)": clipped},),
        "plot_race_1d": (plateau(), 5.05, 0.1, 100),
        "plot_critic_surface": ({"gradient penalty": critic, "weight clipping": critic},
                                rng.normal(size=(50, 2))),
        "plot_generator_snapshots": ({k: rng.normal(size=(100, 2)) for k in (0, 250, 500, 750, 1000)},),
        "plot_grad_norm_histograms": ({"gradient penalty": rng.uniform(0.5, 1.5, 200),
                                       "weight clipping": rng.uniform(1e-5, 3e-5, 200)},),
        "plot_weight_histograms": ({"gradient penalty": critic, "weight clipping (c = 0.01)": critic},),
    }


def _figure_builders():
    found = []
    for info in pkgutil.iter_modules(gnlib.figures.__path__):
        module = importlib.import_module(f"gnlib.figures.{info.name}")
        for name, obj in vars(module).items():
            if (inspect.isfunction(obj) and obj.__module__ == module.__name__ and not name.startswith("_")
                    and "Figure" in str(inspect.signature(obj).return_annotation)
                    and name != "new_figure"):
                found.append(pytest.param(obj, id=f"{info.name}.{name}"))
    return found


@pytest.mark.parametrize("builder", _figure_builders())
def test_figure_builders_fit_and_keep_text_on_the_canvas(builder):
    required = [p for p in inspect.signature(builder).parameters.values()
                if p.default is p.empty and p.kind is not p.VAR_KEYWORD and p.kind is not p.VAR_POSITIONAL]
    arguments = _required_arguments()
    if required:
        assert builder.__name__ in arguments, f"add arguments for {builder.__name__} to this test"
    result = builder(*arguments.get(builder.__name__, ()))
    fig = result[0] if isinstance(result, tuple) else result
    assert isinstance(fig, Figure)
    assert_fits(fig, builder.__name__)


def _explorer_builders():
    found = []
    for name in gnlib.widgets.__all__:
        obj = getattr(gnlib.widgets, name)
        if inspect.isfunction(obj) and "Explorable" in str(inspect.signature(obj).return_annotation):
            found.append(pytest.param(obj, id=name))
    return found


def _ends(control) -> list:
    options = getattr(control, "options", None)
    if options:
        values = [o[1] if isinstance(o, tuple) else o for o in options]
        return [values[0], values[-1]]
    if hasattr(control, "base"):
        return [control.base**control.min, control.base**control.max]
    return [control.min, control.max]


@pytest.mark.parametrize("build", _explorer_builders())
def test_explorable_frames_fit_and_keep_text_on_the_canvas(build):
    ex = build()
    assert_fits(ex.figure, f"{build.__name__} at its start values")
    start = dict(ex.values)
    for name, control in ex.controls.items():
        for value in _ends(control):
            ex.set(**{**start, name: value})
            assert_fits(ex.figure, f"{build.__name__} with {name} = {value}")
    ex.set(**start)
