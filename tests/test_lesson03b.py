"""Tests for lesson 03b: the figures, the clipping-threshold explorable and the exercise checker."""

import numpy as np
import pytest

from gnlib.check.lesson03b import check_train_clipped, reference_train_clipped
from gnlib.figures import rnn_training as fig
from gnlib.models.adding_problem import train_adding
from gnlib.models.vector_rnn import PARAM_NAMES, model_norms, rnn_loss_and_grads
from gnlib.widgets import clip_threshold_explorer


@pytest.fixture(scope="module")
def run():
    return train_adding([0, 0, 0, 0], clip=[None, 0.5, 1.0, 2.0], learning_rate=0.3, seq_len=6, hidden=4,
                        n_updates=60, recurrent_scale=1.5)


# --- the learner's loop, right and with typical mistakes ---------------------------------------

def correct(params, batches, learning_rate, tau):
    return reference_train_clipped(params, batches, learning_rate, tau)


def per_array_clipping(params, batches, learning_rate, tau):
    params = {k: v.copy() for k, v in params.items()}
    losses, clipped = [], 0
    for x, t in batches:
        loss, grads, _ = rnn_loss_and_grads(params, x, t)
        hit = False
        for k in PARAM_NAMES:
            n = np.linalg.norm(grads[k])
            if n > tau:
                grads[k] = grads[k] * tau / n
                hit = True
            params[k] = params[k] - learning_rate * grads[k]
        clipped += hit
        losses.append(loss)
    return params, losses, clipped / len(batches)


def in_place(params, batches, learning_rate, tau):
    new, losses, fraction = reference_train_clipped(params, batches, learning_rate, tau)
    for k in PARAM_NAMES:
        params[k][...] = new[k]
    return params, losses, fraction


def count_not_fraction(params, batches, learning_rate, tau):
    new, losses, fraction = reference_train_clipped(params, batches, learning_rate, tau)
    return new, losses, fraction * len(batches)


def loss_after_update(params, batches, learning_rate, tau):
    new, _, fraction = reference_train_clipped(params, batches, learning_rate, tau)
    losses = [rnn_loss_and_grads(new, x, t)[0] for x, t in batches]
    return new, losses, fraction


def replay(params, batches, learning_rate, tau):
    raise NotImplementedError


def _failed(report):
    return [line for line in report.lines if "✗" in line]


def test_a_correct_loop_passes():
    report = check_train_clipped(correct, quiet=True)
    assert report.passed, report.lines


def test_stub_is_not_attempted():
    assert check_train_clipped(replay, quiet=True).status == "not attempted"


@pytest.mark.parametrize("buggy, first_failure", [
    (per_array_clipping, "tau = 0.001: the clipped parameters"),
    (in_place, "returns (new_params, losses, clipped_fraction): your function changed its argument"),
    (count_not_fraction, "tau = 0.001: every update is clipped"),
    (loss_after_update, "tau = 1e9: one loss per batch"),
])
def test_each_mistake_fails_where_it_is_and_gets_its_hint(buggy, first_failure):
    report = check_train_clipped(buggy, quiet=True)
    assert report.status == "failed"
    assert _failed(report)[0].split("✗ ")[1].startswith(first_failure)


def test_reference_counts_clipped_updates():
    from gnlib.models.vector_rnn import init_rnn
    from gnlib.models.adding_problem import adding_problem
    rng = np.random.default_rng(0)
    params = init_rnn(3, rng=rng)
    batches = [adding_problem(4, 5, rng) for _ in range(3)]
    norm0 = model_norms(rnn_loss_and_grads(params, *batches[0])[1])
    new, losses, fraction = reference_train_clipped(params, batches, 0.1, 1e9)
    assert fraction == 0.0 and len(losses) == 3
    _, _, fraction = reference_train_clipped(params, batches, 0.1, norm0 * 1e-6)
    assert fraction == 1.0


# --- figures and explorable ---------------------------------------------------------------------

def test_smoothed_stops_at_the_first_overflow():
    out = fig.smoothed(np.array([2.0, 4.0, 6.0, np.nan, 1.0]), window=2)
    assert out[:3].tolist() == [2.0, 3.0, 5.0] and np.isnan(out[3:]).all()


def test_static_figures_draw_and_fit(run):
    for f in (fig.plot_loss_curves(run, [0], [2]), fig.plot_gradient_norms(run, 0, 2),
              fig.plot_state_gradients(run, 0, 2, [0, 1, 2]), fig.plot_spike_response()):
        assert f.get_size_inches()[0] * f.dpi <= 900
        f.canvas.draw()


def test_threshold_explorer_shows_each_runs_clipped_fraction(run):
    ex = clip_threshold_explorer(run, [1, 2, 3], plain=0)
    seen = {}
    for model in (1, 2, 3):
        ex.controls["model"].value = model
        seen[ex.data["tau"]] = ex.data["clipped_fraction"]
        assert ex.data["clipped_fraction"] == pytest.approx(run.clipped[model].mean())
        assert f"{ex.data['clipped_fraction']:.0%}" in ex.figure.axes[0].get_title()
    assert seen[0.5] >= seen[1.0] >= seen[2.0]  # a lower threshold clips at least as often
    assert [o[0] for o in ex.controls["model"].options] == ["0.5", "1", "2"]


def test_threshold_explorer_rejects_bad_input(run):
    with pytest.raises(TypeError, match="run"):
        clip_threshold_explorer({}, [1], plain=0)
    with pytest.raises(ValueError, match="models"):
        clip_threshold_explorer(run, [7], plain=0)
    with pytest.raises(ValueError, match="finite threshold"):
        clip_threshold_explorer(run, [0, 1], plain=0)


@pytest.mark.parametrize("buggy, hint", [
    (per_array_clipping, "each array was clipped by its own norm"),
    (count_not_fraction, "divide it by the number of batches"),
    (loss_after_update, "losses after all the updates"),
])
def test_hints_follow_the_mistake(buggy, hint):
    report = check_train_clipped(buggy, quiet=True)
    assert hint in "\n".join(report.lines)
