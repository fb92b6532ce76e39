"""Lesson 04 (normalized gradient descent): comparisons, figures, explorable, checkers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gnlib.check import lesson04
from gnlib.figures.landscapes import plot_landscape_comparison
from gnlib.figures.ngd import plot_flat_and_saddle, plot_race_1d, plot_schedule_fix, plot_step_length_rules
from gnlib.functions import plateau, quadratic_bowl, quadratic_plus_quartic, quartic, rosenbrock, saddle
from gnlib.gradcheck import check_gradient
from gnlib.optim import (
    METHODS,
    clipped_gradient_descent,
    cycle_amplitude,
    distances,
    gradient_descent,
    inverse_sqrt_schedule,
    normalized_gradient_descent,
    run_methods,
    step_lengths,
    summarize_runs,
    trajectory_losses,
)
from gnlib.widgets import ngd_comparison_explorer

# --------------------------------------------------------------------------- the numbers


def test_plateau_gd_barely_moves_while_ngd_arrives():
    f = plateau()
    gd = gradient_descent(f.gradient, [5.0], 0.1, 100)
    ngd = normalized_gradient_descent(f.gradient, [5.0], 0.1, 100)
    assert abs(gd.final[0] - 5.0) < 1e-6
    assert not gd.diverged
    assert abs(ngd.final[0]) <= 0.1 + 1e-12
    assert float(f.value(ngd.final)) < 0.011


def test_plateau_clipping_does_not_help():
    f = plateau()
    clipped = clipped_gradient_descent(f.gradient, [5.0], 0.1, 1.0, 100)
    gd = gradient_descent(f.gradient, [5.0], 0.1, 100)
    np.testing.assert_array_equal(clipped.thetas, gd.thetas)


def test_quartic_gd_diverges_within_a_few_steps_ngd_ends_near_zero():
    f = quartic()
    gd = gradient_descent(f.gradient, [10.0], 0.01, 100)
    assert gd.diverged
    assert gd.n_steps <= 8
    assert np.isfinite(gd.thetas).all()
    ngd = normalized_gradient_descent(f.gradient, [10.0], 0.1, 200)
    assert not ngd.diverged
    assert abs(ngd.final[0]) <= 0.1 + 1e-9
    # from 10.03 it ends in the 2-cycle 0.03 / -0.07
    off = normalized_gradient_descent(f.gradient, [10.03], 0.1, 200)
    assert cycle_amplitude(off, [0.0], last=4) == pytest.approx(0.07, abs=1e-9)


def test_quartic_clipped_gd_is_safe_but_slow():
    f = quartic()
    run = clipped_gradient_descent(f.gradient, [10.03], 0.01, 10.0, 1000)
    assert not run.diverged
    assert 0.05 < abs(run.final[0]) < 0.2  # the facts sheet: 0.116 after 1000 steps
    assert abs(run.final[0]) == pytest.approx(0.116, abs=0.002)


def test_constant_eta_ngd_cycles_with_amplitude_eta_while_schedule_converges():
    bowl = quadratic_bowl(dim=1)
    for n in (100, 1000):
        constant = normalized_gradient_descent(bowl.gradient, [1.03], 0.1, n)
        tail = constant.thetas[-6:, 0]
        assert set(np.round(tail, 9)) == {0.03, -0.07}
        assert 0.05 <= cycle_amplitude(constant, [0.0]) <= 0.1 + 1e-12
    decaying = normalized_gradient_descent(bowl.gradient, [1.03], inverse_sqrt_schedule(0.1), 1000)
    assert cycle_amplitude(decaying, [0.0]) < 0.0035
    # after crossing the minimum, |theta_t| <= eta_{t-1}
    sched = inverse_sqrt_schedule(0.1)
    crossed = int(np.argmax(decaying.thetas[:, 0] < 0))
    for t in range(crossed, 1001):
        assert abs(decaying.thetas[t, 0]) <= sched(t - 1) + 1e-12


def test_saddle_ngd_escapes_faster_and_keeps_step_length():
    runs = run_methods(saddle(), [1.5, 1e-3], 0.1, 1.0, 60, methods=("gd", "ngd"))
    escape = {name: int(np.argmax(run.thetas[:, 1] > 1.0)) for name, run in runs.items()}
    assert 0 < escape["ngd"] < escape["gd"]
    np.testing.assert_allclose(step_lengths(runs["ngd"]), 0.1, rtol=1e-9)
    assert step_lengths(runs["gd"]).min() < 0.01


def test_wrong_denominator_blows_up_near_the_minimum():
    bowl = quadratic_bowl(dim=1)
    eta = 0.1
    for theta in [1.0, 0.1, 0.01]:
        x = np.array([theta])
        g, loss = bowl.gradient(x), float(bowl.value(x))
        assert np.linalg.norm(eta * g / np.linalg.norm(g)) == pytest.approx(eta)
        assert np.linalg.norm(eta * g / loss) == pytest.approx(2 * eta / theta)


# --------------------------------------------------------------------------- gnlib.optim


def test_run_methods_matches_the_optimizers():
    f = rosenbrock()
    runs = run_methods(f, [-1.2, 1.0], 0.001, 5.0, 20)
    assert list(runs) == list(METHODS)
    np.testing.assert_array_equal(runs["gd"].thetas, gradient_descent(f.gradient, [-1.2, 1.0], 0.001, 20).thetas)
    np.testing.assert_array_equal(runs["ngd"].thetas,
                                  normalized_gradient_descent(f.gradient, [-1.2, 1.0], 0.001, 20).thetas)
    np.testing.assert_array_equal(runs["clipped"].thetas,
                                  clipped_gradient_descent(f.gradient, [-1.2, 1.0], 0.001, 5.0, 20).thetas)
    # a plain callable works too
    alone = run_methods(f.gradient, [-1.2, 1.0], 0.001, 5.0, 20, methods=["ngd"])
    np.testing.assert_array_equal(alone["ngd"].thetas, runs["ngd"].thetas)


@settings(derandomize=True, deadline=None, max_examples=30)
@given(eta=st.floats(1e-3, 2.0), tau=st.floats(1e-2, 1e2), x=st.floats(-20, 20), y=st.floats(-20, 20))
def test_step_length_rules_hold_for_every_step(eta, tau, x, y):
    f = quadratic_bowl(7.0)
    runs = run_methods(f, [x + 0.5, y - 0.25], eta, tau, 8)
    ngd_steps = step_lengths(runs["ngd"])
    np.testing.assert_allclose(ngd_steps[runs["ngd"].grad_norms[:-1] > 0], eta, rtol=1e-9)
    clipped = runs["clipped"]
    expected = eta * np.minimum(clipped.grad_norms[:-1], tau)
    np.testing.assert_allclose(step_lengths(clipped), expected, rtol=1e-9, atol=1e-300)
    gd = runs["gd"]
    np.testing.assert_allclose(step_lengths(gd), eta * gd.grad_norms[: gd.n_steps], rtol=1e-9)


def test_measurements():
    thetas = np.array([[0.0, 0.0], [3.0, 4.0], [3.0, 5.0]])
    np.testing.assert_allclose(step_lengths(thetas), [5.0, 1.0])
    np.testing.assert_allclose(distances(thetas, [3.0, 4.0]), [5.0, 0.0, 1.0])
    assert cycle_amplitude(thetas, [0.0, 0.0], last=2) == pytest.approx(np.hypot(3, 5))
    assert step_lengths(np.array([[1.0]])).shape == (0,)
    np.testing.assert_allclose(trajectory_losses(quartic(), np.array([[2.0], [1.0]])), [16.0, 1.0])
    with np.errstate(all="raise"):  # huge iterates give inf quietly
        assert trajectory_losses(quartic(), np.array([[1e200]]))[0] == np.inf


def test_summarize_runs_reports_divergence():
    text = summarize_runs(quartic(), run_methods(quartic(), [10.0], 0.01, 10.0, 10))
    lines = text.splitlines()
    assert len(lines) == 4 and lines[0].startswith("method")
    assert "diverged" in lines[1] and "diverged" not in lines[2]


def test_quadratic_plus_quartic_gradient():
    f = quadratic_plus_quartic()
    rng = np.random.default_rng(4)
    for x in rng.uniform(-3, 3, size=(5, 1)):
        assert check_gradient(f.value, f.gradient, x) < 1e-6
    assert float(f.value(np.array([2.0]))) == 6.0


def test_bad_input_raises_with_argument_names():
    f = quartic()
    with pytest.raises(ValueError, match="max_norm"):
        run_methods(f, [1.0], 0.1, 0.0, 3)
    with pytest.raises(ValueError, match="methods"):
        run_methods(f, [1.0], 0.1, 1.0, 3, methods=["adam"])
    with pytest.raises(ValueError, match="methods"):
        run_methods(f, [1.0], 0.1, 1.0, 3, methods="gd")
    with pytest.raises(TypeError, match="grad_fn"):
        run_methods(3.0, [1.0], 0.1, 1.0, 3)
    with pytest.raises(ValueError, match="learning_rate"):
        run_methods(f, [1.0], -0.1, 1.0, 3)
    with pytest.raises(ValueError, match="point"):
        distances(np.zeros((3, 2)), [0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="last"):
        cycle_amplitude(np.zeros((3, 1)), [0.0], last=0)
    with pytest.raises(TypeError, match="objective"):
        trajectory_losses("quartic", np.zeros((2, 1)))
    with pytest.raises(ValueError, match="eta"):
        plot_step_length_rules(eta=0.0)
    with pytest.raises(ValueError, match="max_norm"):
        plot_step_length_rules(max_norm=-1.0)
    with pytest.raises(ValueError, match="objective"):
        plot_race_1d(rosenbrock(), 1.0, 0.1, 5)
    with pytest.raises(ValueError, match="eta"):
        plot_race_1d(quartic(), 1.0, {"gd": 0.1}, 5)
    with pytest.raises(ValueError, match="n_steps"):
        plot_schedule_fix(n_steps=0)
    with pytest.raises(ValueError, match="eta0"):
        plot_schedule_fix(eta0=0.0)


# --------------------------------------------------------------------------- figures


def test_static_figures_have_the_expected_panels():
    assert len(plot_step_length_rules().axes) == 1
    fig = plot_race_1d(quartic(), 10.03, {"gd": 0.01, "ngd": 0.1, "clipped": 0.01}, 30,
                       methods=("gd", "ngd", "clipped"), max_norm=10.0)
    labels = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert any("overflow" in label for label in labels)
    assert len(plot_flat_and_saddle(0.1, 10).axes) == 3
    assert len(plot_schedule_fix(0.1, 1.03, 50).axes) == 2
    assert len(plot_landscape_comparison(n_steps=10).axes) == 2


# --------------------------------------------------------------------------- explorable


@pytest.fixture(scope="module")
def explorer():
    return ngd_comparison_explorer()


def _paths(data):
    return np.concatenate([data[f"{p}_{m}"].ravel() for p in ("bowl", "rosen") for m in METHODS])


SLIDER_VALUES = {
    "eta": ("min", 0.03, "max"),
    "max_norm": ("min", 2.0, "max"),
    "condition_number": ("min", 10.0, "max"),
    "n_steps": ("min", 60, "max"),
}


@pytest.mark.parametrize("name", list(SLIDER_VALUES))
def test_explorer_sliders_change_the_data(explorer, name):
    control = explorer.controls[name]
    defaults = dict(explorer.values)
    try:
        seen = []
        for value in SLIDER_VALUES[name]:
            positions = [v for _, v in control.options] if hasattr(control, "options") else [control.min, control.max]
            target = positions[0] if value == "min" else positions[-1] if value == "max" else value
            control.value = target
            data = explorer.data
            assert explorer.finite()
            assert data["n_steps"] == explorer.values["n_steps"]
            for panel in ("bowl", "rosen"):
                ngd_steps = data[f"{panel}_ngd_steps"]
                np.testing.assert_allclose(ngd_steps, data["eta"], rtol=1e-9)
                assert len(ngd_steps) == data["n_steps"]
                clipped = data[f"{panel}_clipped_steps"]
                assert (clipped <= data["eta"] * data["max_norm"] * (1 + 1e-9)).all()
                assert not data[f"{panel}_diverged"][1:].any()  # NGD and clipped GD never overflow
            seen.append(_paths(data))
            assert explorer.render_png()[:4] == b"\x89PNG"
        for a, b in zip(seen, seen[1:]):
            assert a.shape != b.shape or not np.allclose(a, b)
    finally:
        explorer.set(**defaults)


def test_explorer_shows_gd_instability(explorer):
    defaults = dict(explorer.values)
    try:
        data = explorer.set(eta=0.05, condition_number=30.0, max_norm=1.0, n_steps=100)
        assert not data["bowl_diverged"][0]
        gd_end = data["bowl_gd"][-1]
        assert np.hypot(*gd_end) < 0.1  # stable: 0.05 * 30 < 2
        data = explorer.set(condition_number=70.0)  # 0.05 * 70 > 2: GD's zig-zag grows
        assert np.abs(data["bowl_gd"][-1, 1]) > 2.0
        assert "> 1e6" in data["bowl_summary"] or "overflow" in data["bowl_summary"]
        data = explorer.set(eta=0.3)
        assert data["rosen_diverged"][0]  # GD overflows on Rosenbrock for a large eta
        assert "overflow" in data["rosen_summary"]
    finally:
        explorer.set(**defaults)


def test_explorer_clipping_interpolates(explorer):
    defaults = dict(explorer.values)
    try:
        big = explorer.set(eta=0.01, max_norm=50.0, condition_number=10.0, n_steps=40)
        np.testing.assert_allclose(big["bowl_clipped"], big["bowl_gd"])  # tau above every gradient norm: GD
        small = explorer.set(max_norm=0.1)
        np.testing.assert_allclose(small["bowl_clipped_steps"], 0.01 * 0.1, rtol=1e-9)  # NGD with step eta*tau
    finally:
        explorer.set(**defaults)


def test_explorer_n_steps_slices_cached_runs(explorer):
    defaults = dict(explorer.values)
    try:
        long = explorer.set(eta=0.02, n_steps=200)
        short = explorer.set(n_steps=50)
        np.testing.assert_array_equal(short["bowl_ngd"], long["bowl_ngd"][:51])
        np.testing.assert_array_equal(short["rosen_clipped"], long["rosen_clipped"][:51])
    finally:
        explorer.set(**defaults)


def test_explorer_bad_values():
    from gnlib.widgets.ngd import LandscapeComparison

    panels = LandscapeComparison()
    with pytest.raises(ValueError, match="condition_number"):
        panels.draw(0.1, 1.0, 0.5, 10)
    with pytest.raises(ValueError, match="eta"):
        panels.draw(0.0, 1.0, 2.0, 10)
    with pytest.raises(ValueError, match="n_steps"):
        panels.draw(0.1, 1.0, 2.0, 0)
    with pytest.raises(ValueError, match="rosenbrock_b"):
        LandscapeComparison(rosenbrock_b=0.0)


# --------------------------------------------------------------------------- checkers


def reference_normalized_step(g, eta):
    from gnlib import l2_norm

    g = np.asarray(g, dtype=float)
    norm = l2_norm(g)
    return np.zeros_like(g) if norm == 0 else -eta * g / norm


def reference_ngd(grad_fn, theta0, learning_rate, n_steps):
    theta = np.array(theta0, dtype=float)
    out = [theta.copy()]
    for t in range(n_steps):
        eta = learning_rate(t) if callable(learning_rate) else learning_rate
        theta = theta + reference_normalized_step(grad_fn(theta), eta)
        out.append(theta.copy())
    return np.array(out)


def _stub(*args, **kwargs):
    raise NotImplementedError("Exercise: replace this line with your code")


def test_check_normalized_step():
    assert lesson04.check_normalized_step(reference_normalized_step, quiet=True).passed
    def naive(g, eta):  # NaN at a zero gradient, and the norm underflows at 1e-170
        with np.errstate(all="ignore"):
            return -eta * g / np.linalg.norm(g)

    report = lesson04.check_normalized_step(naive, quiet=True)
    assert report.status == "failed"
    assert sum("✗" in line for line in report.lines) == 2
    by_loss = lambda g, eta: -eta * g  # noqa: E731  plain GD step
    assert not lesson04.check_normalized_step(by_loss, quiet=True).passed
    assert lesson04.check_normalized_step(_stub, quiet=True).status == "not attempted"


def test_check_ngd():
    assert lesson04.check_ngd(reference_ngd, quiet=True).passed

    def constant_only(grad_fn, theta0, learning_rate, n_steps):
        eta = learning_rate(0) if callable(learning_rate) else learning_rate
        return reference_ngd(grad_fn, theta0, eta, n_steps)

    def no_guard(grad_fn, theta0, learning_rate, n_steps):
        theta = np.array(theta0, dtype=float)
        out = [theta.copy()]
        with np.errstate(all="ignore"):
            for t in range(n_steps):
                eta = learning_rate(t) if callable(learning_rate) else learning_rate
                g = grad_fn(theta)
                theta = theta - eta * g / np.linalg.norm(g)
                out.append(theta.copy())
        return np.array(out)

    def in_place(grad_fn, theta0, learning_rate, n_steps):
        out = [theta0.copy()]
        for t in range(n_steps):
            eta = learning_rate(t) if callable(learning_rate) else learning_rate
            theta0 += reference_normalized_step(grad_fn(theta0), eta)
            out.append(theta0.copy())
        return np.array(out)

    def gd_instead(grad_fn, theta0, learning_rate, n_steps):
        return gradient_descent(grad_fn, theta0, learning_rate, n_steps).thetas

    for wrong in (constant_only, no_guard, in_place, gd_instead):
        report = lesson04.check_ngd(wrong, quiet=True)
        assert report.status == "failed", wrong.__name__
    no_guard_lines = lesson04.check_ngd(no_guard, quiet=True).lines
    assert any("zero gradient" in line and "✗" in line for line in no_guard_lines)
    assert lesson04.check_ngd(_stub, quiet=True).status == "not attempted"


def test_prediction_answers_match_what_the_runs_do():
    for key, q in lesson04.NGD_QUESTIONS.items():
        objective = q.objective()
        runs = run_methods(objective, [q.theta0], q.eta, q.tau, q.n_steps)
        losses = {m: (np.inf if r.diverged else float(objective.value(r.final))) for m, r in runs.items()}
        answer = {"A": "gd", "B": "ngd", "C": "clipped"}[q.answer]
        if "lowest loss" in q.text:
            others = [losses[m] for m in METHODS if m != answer]
            assert losses[answer] < 1e-3 * min(others), key
        elif "overflow" in q.text:
            assert [m for m, r in runs.items() if r.diverged] == [answer], key
        else:  # does not converge
            assert losses[answer] > 1e-4 and all(losses[m] < 1e-20 for m in METHODS if m != answer), key


def test_check_ngd_predictions():
    right = {key: q.answer for key, q in lesson04.NGD_QUESTIONS.items()}
    assert lesson04.check_ngd_predictions(right, quiet=True).passed
    assert lesson04.check_ngd_predictions(lambda: right, quiet=True).passed
    names = {"plateau": "ngd", "quartic": "gd", "mixed": "clipped", "bowl": "normalized GD"}
    assert lesson04.check_ngd_predictions(names, quiet=True).passed
    wrong = dict(right, mixed="B")
    report = lesson04.check_ngd_predictions(wrong, quiet=True)
    assert report.status == "failed"
    assert sum(line.lstrip().startswith("✗") for line in report.lines) == 1
    assert any("Why:" in line for line in report.lines)
    missing = lesson04.check_ngd_predictions({"plateau": "B"}, quiet=True)
    assert missing.status == "failed" and sum("no valid prediction" in line for line in missing.lines) == 3
    assert lesson04.check_ngd_predictions(_stub, quiet=True).status == "not attempted"
    listed = lesson04.check_ngd_predictions(["B"], quiet=True)  # a learner's slip: reported, not raised
    assert listed.status == "failed" and "dictionary" in str(listed) and "a list" in str(listed)
    assert "plateau" in lesson04.describe_ngd_questions()


def test_explorer_fast_gradients_match_the_objectives():
    from gnlib.figures.landscapes import LandscapeComparison, _bowl_gradient, _rosenbrock_gradient

    rng = np.random.default_rng(7)
    banana, bowl = rosenbrock(b=10.0), quadratic_bowl(30.0)
    fast_banana, fast_bowl = _rosenbrock_gradient(1.0, 10.0), _bowl_gradient(np.array([1.0, 30.0]))
    for point in rng.uniform(-2.0, 2.0, size=(20, 2)):
        np.testing.assert_array_equal(fast_banana(point), banana.gradient(point))
        np.testing.assert_array_equal(fast_bowl(point), bowl.gradient(point))
    panels = LandscapeComparison()
    data = panels.draw(0.02, 3.0, 30.0, 60)
    for method in METHODS:
        ref = run_methods(banana, [-1.2, 1.0], 0.02, 3.0, 60, methods=[method])[method]
        if not ref.diverged:
            np.testing.assert_array_equal(data[f"rosen_{method}"], ref.thetas)
        ref = run_methods(bowl, [-2.5, 1.5], 0.02, 3.0, 60, methods=[method])[method]
        np.testing.assert_array_equal(data[f"bowl_{method}"], ref.thetas)
