"""Tests for lesson 03: figures, explorables, exercise checkers, and clipping against PyTorch."""

import json
import re
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

from gnlib import check
from gnlib.clip import clip_by_global_norm, clip_by_norm, clip_by_value
from gnlib.figures import clipping as cp
from gnlib.models.rnn import rnn_grad_scalar
from gnlib.angles import angle_between
from gnlib.models import rnn
from gnlib.norms import l2_norm
from gnlib.optim import clipped_gradient_descent, gradient_descent
from gnlib.widgets import cliff_clipping_explorer, norm_vs_value_explorer

# --- figures ----------------------------------------------------------------------------------


def test_angle_between():
    assert angle_between([1.0, 0.0], [0.0, 2.0]) == pytest.approx(90.0)
    assert angle_between([1.0, 1.0], [2.0, 2.0]) == pytest.approx(0.0, abs=1e-12)
    assert angle_between([1.0, 0.0], [1.0, 1e-9]) == pytest.approx(np.degrees(1e-9), rel=1e-6)
    assert angle_between([1.0, 0.0], [-1.0, 0.0]) == pytest.approx(180.0)
    assert angle_between([0.0, 0.0], [1.0, 0.0]) == 0.0
    with pytest.raises(ValueError, match="u and v"):
        angle_between([1.0, 0.0], [1.0, 0.0, 0.0])


def test_cliff_surface_shapes():
    s = cp.cliff_surface(n=30)
    assert s["E"].shape == s["grad_norm"].shape == (30, 30)
    assert np.isfinite(s["E"]).all() and (s["grad_norm"] >= 0).all()
    with pytest.raises(ValueError, match="n"):
        cp.cliff_surface(n=1)


def test_cliff_runs_reproduce_the_demo():
    gd, clipped = cp.cliff_runs(0.5, 1.0, 100)
    assert gd.losses.shape == (101,) and clipped.losses.shape == (101,)
    assert gd.losses[-1] == pytest.approx(0.09, abs=1e-9)
    # the clipped run reaches the valley; it then bounces off the wall (the lesson says so), so
    # its last loss depends on rounding: ask for the valley's depth after step 50
    assert np.min(clipped.losses[50:]) < 1e-3 and np.max(clipped.losses[50:]) < 0.05
    assert np.all(np.linalg.norm(np.diff(clipped.thetas, axis=0), axis=1) <= 0.5 + 1e-12)


def lesson_markdown() -> str:
    path = Path(__file__).resolve().parents[1] / "lessons" / "03_gradient_clipping.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def test_lesson_text_matches_the_runs_it_describes():
    """Numbers the prose states without a cell printing them, recomputed."""
    text = lesson_markdown()
    J = rnn.cliff_objective()
    gd, _ = cp.cliff_runs(learning_rate=0.5, max_norm=1.0, n_steps=300)
    assert "exactly zero" not in text
    assert 0 < gd.grad_norms[-1] < 1e-200 and "about $10^{-249}$" in text
    assert f"10^{{{int(np.floor(np.log10(gd.grad_norms[-1])))}}}" in text
    start = [5.5, -2.0]
    tau = 0.5 * gradient_descent(J.gradient, start, 0.5, 29).grad_norms.mean()
    late = clipped_gradient_descent(J.gradient, start, 0.5, tau, 3000).grad_norms[-100:]
    stated = re.search(r"clips (\d+) of the last 100 steps after 3000 steps", text)
    assert stated and int(stated.group(1)) == int(np.sum(late > tau))


@pytest.mark.parametrize("make", [
    lambda: cp.plot_linear_recurrence_gradients(),
    lambda: cp.plot_cliff_surfaces(cp.cliff_surface(n=40)),
    lambda: cp.plot_cliff_slice(5.0, n=201),
    lambda: cp.plot_cliff_trajectories(0.5, 1.0, n_steps=20),
    lambda: cp.plot_norm_vs_value((3.0, 1.0), 1.0),
    lambda: cp.plot_global_vs_per_tensor([np.full(3, 5.0), np.array([0.1, 0.2])], 1.0, ["W", "b"]),
    lambda: cp.plot_grad_norm_monitor(dict(zip(["plain", "clipped"], cp.cliff_runs(0.5, 1.0, 20))), 1.0),
])
def test_figures_build_and_render(make):
    fig = make()
    assert isinstance(fig, Figure)
    assert all(ax.get_title() for ax in fig.axes if ax.get_label() != "<colorbar>")
    fig.canvas.draw()


def test_figure_bad_input():
    with pytest.raises(ValueError, match="max_steps"):
        cp.plot_linear_recurrence_gradients(max_steps=1)
    with pytest.raises(ValueError, match="half_width"):
        cp.plot_cliff_slice(5.0, half_width=0.0)
    with pytest.raises(ValueError, match="max_norm"):
        cp.plot_norm_vs_value((3.0, 1.0), 0.0)
    with pytest.raises(ValueError, match="max_norm"):
        cp.plot_global_vs_per_tensor([np.ones(2)], -1.0)


# --- explorables ------------------------------------------------------------------------------


def _sweep(ex, name, values, key):
    seen = []
    for v in values:
        ex.controls[name].value = v
        assert ex.finite()
        seen.append(np.array(ex.data[key], dtype=float).copy())
    assert ex.render_png()[:8] == b"\x89PNG\r\n\x1a\n"
    return seen


def test_cliff_explorer_sliders():
    ex = cliff_clipping_explorer(n_steps=40)
    assert set(ex.controls) == {"learning_rate", "max_norm"}
    assert ex.controls["learning_rate"].description == "learning rate η"
    assert ex.controls["max_norm"].description == "threshold τ"
    lr = ex.controls["learning_rate"]
    seen = _sweep(ex, "learning_rate", [lr.min, (lr.min + lr.max) / 2, lr.max], "clipped_thetas")
    assert not np.allclose(seen[0], seen[-1])
    ex.set(learning_rate=0.5)
    tau = ex.controls["max_norm"]
    taus = [value for _, value in tau.options]
    seen = _sweep(ex, "max_norm", [taus[0], 1.0, taus[-1]], "clipped_thetas")
    assert not np.allclose(seen[0], seen[1])
    # tau = 1000 is above the start's gradient norm (828): clipping never acts, like plain GD
    assert np.allclose(ex.data["clipped_thetas"], ex.data["gd_thetas"])
    ex.set(learning_rate=0.5, max_norm=1.0)
    assert ex.data["clipped_losses"][-1] < ex.data["gd_losses"][-1] / 5


def test_norm_vs_value_explorer():
    ex = norm_vs_value_explorer((3.0, 1.0))
    tau = ex.controls["max_norm"]
    assert tau.description == "threshold τ"
    _sweep(ex, "max_norm", [tau.min, 1.0, tau.max], "by_value")
    for value in [tau.min, 1.0, 2.0]:
        data = ex.set(max_norm=value)
        assert data["angle_norm"] == pytest.approx(0.0, abs=1e-6)
        assert data["norm_by_norm"] == pytest.approx(value)
        assert data["angle_value"] > 5.0
        np.testing.assert_allclose(data["by_value"], clip_by_value(np.array([3.0, 1.0]), value))
    data = ex.set(max_norm=tau.max)  # above ||g|| = 3.16: neither clipping acts
    np.testing.assert_allclose(data["by_norm"], [3.0, 1.0])
    np.testing.assert_allclose(data["by_value"], [3.0, 1.0])
    assert data["angle_value"] == pytest.approx(0.0, abs=1e-6)


def test_explorer_bad_input():
    with pytest.raises(ValueError, match="n_steps"):
        cliff_clipping_explorer(n_steps=0)
    with pytest.raises(ValueError, match="g must be"):
        norm_vs_value_explorer((0.0, 0.0))
    with pytest.raises(ValueError, match="g must be"):
        norm_vs_value_explorer((1.0, 2.0, 3.0))


# --- checkers ---------------------------------------------------------------------------------


def _stub(*args, **kwargs):
    raise NotImplementedError


def _reference_rnn_gradient(w, b, n_steps=50, x0=0.5, target=0.7):
    return rnn_grad_scalar(w, b, n_steps, x0, target)[1:]


def _in_place_clip(g, max_norm):
    norm = l2_norm(g)  # a safe norm: this version's only bugs are the in-place write and no sign check
    if norm > max_norm:
        g *= max_norm / norm
    return g


def _value_clip(g, max_norm):
    if max_norm < 0:
        raise ValueError("max_norm")
    return np.clip(g, -max_norm, max_norm)


def _per_tensor(grads, max_norm):
    with np.errstate(over="ignore"):  # a naive total overflows on the checker's huge case, as a learner's would
        total = float(np.sqrt(sum(np.sum(np.square(g)) for g in grads)))
    return [clip_by_norm(g, max_norm) for g in grads], total


def _post_clip_norm(grads, max_norm):
    clipped, _ = clip_by_global_norm(grads, max_norm)
    return clipped, float(np.sqrt(sum(np.sum(np.square(c)) for c in clipped)))


def _forgets_factor_w(w, b, n_steps=50, x0=0.5, target=0.7):
    # a classic BPTT bug: the backward recursion drops the recurrent weight
    s = [1 / (1 + np.exp(-x0))]
    for _ in range(n_steps):
        s.append(1 / (1 + np.exp(-(w * s[-1] + b))))
    delta = 2 * (s[-1] - target) * s[-1] * (1 - s[-1])
    gw = gb = 0.0
    for t in range(n_steps, 0, -1):
        gw += delta * s[t - 1]
        gb += delta
        delta *= s[t - 1] * (1 - s[t - 1])
    return gw, gb


@pytest.mark.parametrize("checker, good, bads", [
    (check.check_clip_by_norm, lambda g, t: clip_by_norm(g, t), [_in_place_clip, _value_clip]),
    (check.check_clip_by_global_norm, lambda gs, t: clip_by_global_norm(gs, t), [_per_tensor, _post_clip_norm]),
    (check.check_rnn_gradient, _reference_rnn_gradient, [_forgets_factor_w]),
])
def test_checkers(checker, good, bads, capsys):
    assert checker(good, quiet=True).status == "passed"
    for bad in bads:
        report = checker(bad, quiet=True)
        assert report.status == "failed", bad.__name__
        assert "✗" in str(report) and "Hint:" in str(report)
    assert checker(_stub, quiet=True).status == "not attempted"
    assert capsys.readouterr().out == ""
    checker(good)
    assert "all checks passed" in capsys.readouterr().out


def test_checkers_never_print_the_answer(capsys):
    check.check_clip_by_norm(lambda g, t: g)  # wrong: never clips
    out = capsys.readouterr().out
    assert "0.6" not in out and "0.8" not in out and "✗" in out


def test_in_place_case_does_not_blame_a_correct_copying_solution():
    report = check.check_clip_by_norm(_in_place_clip, quiet=True)
    failed = [line for line in report.lines if "✗" in line]
    # every case where it writes into g says so; the only other failure is the negative threshold
    assert all("in place" in line or "negative max_norm" in line for line in failed)
    assert sum("in place" in line for line in failed) >= 3
    assert all("✓" in line for line in report.lines if "below the threshold" in line or "zero gradient" in line)


# --- cross-check against PyTorch --------------------------------------------------------------


def test_global_clipping_matches_torch_clip_grad_norm():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2024)
    for trial in range(20):
        shapes = [tuple(rng.integers(1, 5, size=rng.integers(1, 4))) for _ in range(rng.integers(1, 5))]
        grads = [rng.normal(scale=10.0 ** rng.uniform(-2, 2), size=s) for s in shapes]
        max_norm = float(10.0 ** rng.uniform(-1, 1))
        params = [torch.zeros(s, dtype=torch.float64, requires_grad=True) for s in shapes]
        for p, g in zip(params, grads):
            p.grad = torch.tensor(g)
        torch_total = float(torch.nn.utils.clip_grad_norm_(params, max_norm))  # in place on .grad
        ours, total = clip_by_global_norm(grads, max_norm)
        assert total == pytest.approx(torch_total, rel=1e-12)  # both: the norm BEFORE clipping
        torch_grads = [p.grad.numpy() for p in params]
        if total <= max_norm:  # torch multiplies by min(1, coef) = 1: identical
            for a, b in zip(ours, torch_grads):
                np.testing.assert_allclose(a, b, rtol=1e-15)
        else:  # torch: max_norm / (total + 1e-6); gnlib: max_norm / total
            for a, b in zip(ours, torch_grads):
                np.testing.assert_allclose(b, a * total / (total + 1e-6), rtol=1e-12)
            torch_norm = float(np.sqrt(sum(np.sum(b**2) for b in torch_grads)))
            our_norm = float(np.sqrt(sum(np.sum(a**2) for a in ours)))
            assert our_norm == pytest.approx(max_norm, rel=1e-12)
            assert torch_norm < max_norm  # slightly below the threshold ...
            assert max_norm - torch_norm == pytest.approx(max_norm * 1e-6 / (total + 1e-6), rel=1e-6)


def test_zero_gradients_like_torch():
    torch = pytest.importorskip("torch")
    params = [torch.zeros(3, dtype=torch.float64, requires_grad=True)]
    params[0].grad = torch.zeros(3, dtype=torch.float64)
    assert float(torch.nn.utils.clip_grad_norm_(params, 1.0)) == 0.0
    ours, total = clip_by_global_norm([np.zeros(3)], 1.0)
    assert total == 0.0 and np.array_equal(ours[0], params[0].grad.numpy())
