"""Tests for the vector tanh RNN (hand BPTT) and the adding-problem training with clipping."""

import numpy as np
import pytest

from gnlib.gradcheck import numerical_gradient, rel_error
from gnlib.models.adding_problem import (BASELINE_MSE, DEMO_SETTINGS, adding_problem, spike_response,
                                         train_adding)
from gnlib.models.vector_rnn import (PARAM_NAMES, init_rnn, list_to_params, model_norms, params_to_list,
                                     rnn_forward, rnn_loss, rnn_loss_and_grads)
from gnlib.norms import global_norm


def _problem(seed=0, hidden=5, n=4, steps=7, scale=1.3):
    rng = np.random.default_rng(seed)
    params = init_rnn(hidden, 3, rng=rng, recurrent_scale=scale)
    params["b"] = rng.normal(size=hidden) * 0.3  # non-zero biases, so their gradient is tested too
    params["c"] = np.asarray(0.2)
    return params, rng.normal(size=(n, steps, 3)), rng.normal(size=n)


# --- BPTT against finite differences ----------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bptt_gradient_matches_finite_differences(seed):
    params, x, target = _problem(seed)
    _, grads, _ = rnn_loss_and_grads(params, x, target)
    for name in PARAM_NAMES:
        def loss_at(value, name=name):
            return rnn_loss({**params, name: value}, x, target)
        numeric = numerical_gradient(loss_at, params[name], h=1e-6)
        assert grads[name].shape == params[name].shape
        assert rel_error(grads[name], numeric) < 1e-7, name


def _loss_with_offset(params, x, target, k, offset):
    """Independent plain forward pass that adds ``offset`` to h_k (k = 1..T)."""
    h = np.zeros((x.shape[0], params["W_hh"].shape[0]))
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ params["W_xh"] + h @ params["W_hh"] + params["b"])
        if t + 1 == k:
            h = h + offset
    y = h @ params["w_out"] + params["c"]
    return np.mean((y - target) ** 2)


def test_state_gradient_norms_match_finite_differences():
    params, x, target = _problem(3, steps=6)
    _, _, dh_norms = rnn_loss_and_grads(params, x, target)
    assert dh_norms.shape == (6,)
    for k in range(1, 7):
        numeric = numerical_gradient(lambda d: _loss_with_offset(params, x, target, k, d),
                                     np.zeros((x.shape[0], 5)), h=1e-6)
        assert dh_norms[k - 1] == pytest.approx(np.linalg.norm(numeric), rel=1e-6), k


def test_a_stack_of_models_equals_the_models_one_by_one():
    rng = np.random.default_rng(4)
    stacked = init_rnn(4, 2, rng=rng, n_models=3, recurrent_scale=1.2)
    x, target = rng.normal(size=(3, 5, 6, 2)), rng.normal(size=(3, 5))
    loss, grads, dh = rnn_loss_and_grads(stacked, x, target)
    assert loss.shape == (3,) and dh.shape == (6, 3)
    for j in range(3):
        one = {k: v[j] for k, v in stacked.items()}
        loss_j, grads_j, dh_j = rnn_loss_and_grads(one, x[j], target[j])
        assert loss_j == pytest.approx(loss[j], rel=1e-12)
        for name in PARAM_NAMES:
            np.testing.assert_allclose(grads_j[name], grads[name][j], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(dh_j, dh[:, j], rtol=1e-10)
    # a batch shared by every model broadcasts
    shared_loss, _, _ = rnn_loss_and_grads(stacked, x[0], target[0])
    assert shared_loss[0] == pytest.approx(loss[0], rel=1e-12)
    assert shared_loss[1] != pytest.approx(loss[1])


def test_forward_shapes_and_zero_initial_state():
    params = init_rnn(3, rng=np.random.default_rng(0))
    y, hs = rnn_forward(params, np.zeros((5, 7, 2)))
    assert y.shape == (5,) and hs.shape == (8, 5, 3)
    assert np.all(hs == 0)  # zero input, zero bias: the state stays at 0
    assert np.allclose(y, params["c"])


def test_init_has_the_requested_singular_values_and_dtype():
    p = init_rnn(6, 2, rng=np.random.default_rng(1), recurrent_scale=1.5, dtype=np.float32)
    assert all(v.dtype == np.float32 for v in p.values())
    np.testing.assert_allclose(np.linalg.svd(p["W_hh"].astype(float), compute_uv=False), 1.5, rtol=1e-6)
    a = init_rnn(4, rng=np.random.default_rng(7))
    b = init_rnn(4, rng=np.random.default_rng(7))
    assert all(np.array_equal(a[k], b[k]) for k in PARAM_NAMES)


def test_model_norms_is_the_global_norm_and_does_not_overflow():
    rng = np.random.default_rng(0)
    grads = {"a": rng.normal(size=(3, 4)), "b": rng.normal(size=(3,)), "c": rng.normal(size=(3, 2, 2))}
    per_model = model_norms(grads, n_lead=1)
    for j in range(3):
        assert per_model[j] == pytest.approx(global_norm([g[j] for g in grads.values()]), rel=1e-12)
    assert model_norms({"a": np.array([3e200]), "b": np.array([[4e200]])}) == pytest.approx(5e200)
    assert model_norms({"a": np.array([np.inf, 1.0])}) == np.inf
    assert model_norms({"a": np.zeros(3)}) == 0.0


def test_params_list_round_trip_keeps_the_same_arrays():
    p = init_rnn(3, rng=np.random.default_rng(0))
    arrays = params_to_list(p)
    assert [a is p[k] for a, k in zip(arrays, PARAM_NAMES)] == [True] * 5
    assert list_to_params(arrays) == p
    with pytest.raises(ValueError, match="arrays"):
        list_to_params(arrays[:2])


@pytest.mark.parametrize("change, match", [
    (lambda p, x, t: ({k: v for k, v in p.items() if k != "b"}, x, t), "missing"),
    (lambda p, x, t: ({**p, "W_hh": p["W_hh"][:2]}, x, t), r"params\['W_hh'\]"),
    (lambda p, x, t: (p, x[..., :2], t), "x must have shape"),
    (lambda p, x, t: (p, x[0], t), "x must have shape"),
    (lambda p, x, t: (p, x, t[:2]), "target"),
])
def test_bad_input_names_the_argument(change, match):
    params, x, target = _problem()
    before = {k: v.copy() for k, v in params.items()}
    p, xx, tt = change(params, x, target)
    with pytest.raises(ValueError, match=match):
        rnn_loss_and_grads(p, xx, tt)
    assert all(np.array_equal(before[k], params[k]) for k in PARAM_NAMES)


def test_init_rejects_bad_arguments():
    with pytest.raises(TypeError, match="rng"):
        init_rnn(3, rng=0)
    with pytest.raises(ValueError, match="recurrent_scale"):
        init_rnn(3, rng=np.random.default_rng(0), recurrent_scale=0.0)
    with pytest.raises(ValueError, match="hidden"):
        init_rnn(0, rng=np.random.default_rng(0))


# --- the adding problem ---------------------------------------------------------------------

def test_adding_problem_has_one_marker_in_each_half_and_the_sum_as_target():
    x, target = adding_problem(200, 11, np.random.default_rng(0))
    markers = x[..., 1]
    assert np.all(markers.sum(axis=1) == 2)
    assert np.all(markers[:, :5].sum(axis=1) == 1) and np.all(markers[:, 5:].sum(axis=1) == 1)
    np.testing.assert_allclose(target, (x[..., 0] * markers).sum(axis=1))
    assert np.all((x[..., 0] >= 0) & (x[..., 0] < 1))
    # always answering 1 scores about the baseline 1/6
    assert np.mean((target - 1.0) ** 2) == pytest.approx(BASELINE_MSE, rel=0.2)
    with pytest.raises(ValueError, match="n_steps"):
        adding_problem(3, 1, np.random.default_rng(0))


def test_training_is_deterministic_and_no_clipping_equals_infinite_tau():
    kw = dict(n_updates=8, seq_len=6, hidden=4, learning_rate=0.1)
    a = train_adding([0, 1], clip=None, **kw)
    b = train_adding([0, 1], clip=np.inf, **kw)
    np.testing.assert_array_equal(a.losses, b.losses)
    assert not a.clipped.any()


def test_one_clipped_sgd_step_is_eta_times_the_clipped_bptt_gradient():
    tau, eta = 0.05, 0.2
    run = train_adding([3], clip=tau, n_updates=1, seq_len=6, hidden=4, learning_rate=eta, dtype=np.float64)
    start = init_rnn(4, 2, rng=np.random.default_rng(3), recurrent_scale=1.0)
    x, target = adding_problem(20, 6, np.random.default_rng([3, 1]))
    _, grads, _ = rnn_loss_and_grads(start, x, target)
    norm = model_norms(grads)
    assert run.grad_norms[0, 0] == pytest.approx(norm)
    assert norm > tau and run.clipped[0, 0]
    for name in PARAM_NAMES:
        np.testing.assert_allclose(run.params[name][0], start[name] - eta * tau / norm * grads[name], atol=1e-12)


def test_demo_settings_plain_sgd_blows_up_and_clipped_sgd_trains():
    """The lesson's headline: the same seeds, with and without clipping at tau = 1."""
    seeds = [0, 1, 2]
    run = train_adding(seeds * 2, clip=[None] * 3 + [1.0] * 3, **DEMO_SETTINGS)
    assert run.blew_up[:3].all()
    assert not np.isfinite(run.losses[:3, -1]).any()  # the unclipped runs end in overflow (NaN)
    assert np.nanmax(run.grad_norms[:3]) > 1e15
    assert not run.blew_up[3:].any()
    assert (run.final_loss(100)[3:] < 0.75 * BASELINE_MSE).all()  # clearly better than always answering 1
    assert (run.clipped_fraction[3:] > 0.1).all() and (run.clipped_fraction[3:] < 0.9).all()


def test_train_adding_rejects_bad_arguments():
    with pytest.raises(ValueError, match="optimizer"):
        train_adding([0], optimizer="rmsprop", n_updates=1)
    with pytest.raises(ValueError, match="clip"):
        train_adding([0, 1], clip=[1.0, 2.0, 3.0], n_updates=1)
    with pytest.raises(ValueError, match="clip"):
        train_adding([0], clip=-1.0, n_updates=1)
    with pytest.raises(ValueError, match="seeds"):
        train_adding([], n_updates=1)


# --- clipping before the optimizer ----------------------------------------------------------

def test_spike_response_momentum_carries_the_spike_and_clipping_stops_it():
    raw = spike_response("momentum", clip=None)
    clipped = spike_response("momentum", clip=1.0)
    assert raw.max() > 100 * clipped.max()
    assert clipped.max() <= 0.1 * 1.0 / (1 - 0.9) + 1e-12  # eta * tau / (1 - mu) bounds every step


def test_spike_response_adam_bounds_the_spike_step_but_remembers_it():
    raw = spike_response("adam", clip=None)
    clipped = spike_response("adam", clip=1.0)
    spike = 20
    assert raw[spike] < 4 * 0.1  # Adam's normalisation bounds the spike's own step (about 3.2 eta)
    # ... but its second moment remembers the spike: the next 100 steps shrink
    assert raw[spike + 1:spike + 101].mean() < 0.1 * clipped[spike + 1:spike + 101].mean()
