"""The MLP's hand-derived gradients: forward/backward, input gradient, double backprop."""

import numpy as np
import pytest

from gnlib.adam import Adam, RMSProp
from gnlib.gradcheck import numerical_gradient, rel_error
from gnlib.models.mlp import MLP, init_mlp
from gnlib.models.toy_data import (EIGHT_GAUSSIANS_STD, eight_gaussian_centres, eight_gaussians, sample_toy,
                            swiss_roll, twentyfive_gaussians)
from torch_reference import softplus_penalty_reference

SIZES = [[2, 5, 1], [2, 7, 5, 1], [3, 4, 6, 5, 1]]


def _net(sizes, activation, seed=0):
    rng = np.random.default_rng(seed)
    net = init_mlp(sizes, rng, activation=activation)
    for b in net.biases:  # nonzero biases so every term of the derivation matters
        b[...] = 0.3 * rng.normal(size=b.shape)
    x = rng.normal(size=(6, sizes[0]))
    return net, x


def _close(analytic, numeric):
    # relative error on the entries that are not tiny, absolute on the rest
    assert np.allclose(analytic, numeric, rtol=1e-6, atol=1e-8), rel_error(analytic, numeric)


@pytest.mark.parametrize("activation", ["tanh", "softplus", "relu"])
@pytest.mark.parametrize("sizes", SIZES)
def test_backward_matches_finite_differences(sizes, activation):
    net, x = _net(sizes, activation)
    out, cache = net.forward(x)
    dout = np.random.default_rng(1).normal(size=out.shape)
    grads, dx = net.backward(cache, dout)
    flat = net.get_flat()

    def loss(theta):
        net.set_flat(theta)
        value = np.sum(net(x) * dout)
        net.set_flat(flat)
        return value

    _close(np.concatenate([g.ravel() for g in grads]), numerical_gradient(loss, flat))
    _close(dx, numerical_gradient(lambda xx: np.sum(net(xx) * dout), x))


@pytest.mark.parametrize("activation", ["tanh", "softplus", "relu"])
@pytest.mark.parametrize("sizes", SIZES)
def test_input_gradient_matches_finite_differences(sizes, activation):
    net, x = _net(sizes, activation)
    g = net.input_gradient(x)
    numeric = np.stack([numerical_gradient(lambda xi: net(xi[None])[0, 0], row) for row in x])
    _close(g, numeric)


@pytest.mark.parametrize("target", [1.0, 0.0, 0.5])
@pytest.mark.parametrize("activation", ["tanh", "softplus", "relu"])
@pytest.mark.parametrize("sizes", SIZES)
def test_penalty_gradient_double_backprop(sizes, activation, target):
    net, x = _net(sizes, activation)
    value, grads, g = net.penalty_and_grad(x, target)
    assert value == pytest.approx(net.penalty(x, target), rel=1e-12)
    flat = net.get_flat()

    def penalty(theta):
        net.set_flat(theta)
        p = net.penalty(x, target)
        net.set_flat(flat)
        return p

    numeric = numerical_gradient(penalty, flat, h=1e-6)
    _close(np.concatenate([q.ravel() for q in grads]), numeric)
    assert np.all(grads[-1] == 0.0)  # the output bias does not change grad_x D


def test_relu_penalty_has_zero_hidden_bias_gradient():
    # sigma'' = 0 for ReLU, so the penalty cannot depend on the hidden biases except via the kinks
    net, x = _net([2, 7, 5, 1], "relu")
    _, grads, _ = net.penalty_and_grad(x)
    assert np.all(grads[1] == 0.0) and np.all(grads[3] == 0.0)


def test_smooth_activation_needs_second_derivative_term():
    net, x = _net([2, 7, 5, 1], "tanh")
    _, grads, _ = net.penalty_and_grad(x)
    assert np.abs(grads[1]).max() > 1e-3  # hidden-bias gradient exists only through sigma''


def test_linear_critic_penalty_closed_form():
    # one tanh unit at z = 0, where tanh' = 1: grad_x D = W1 w2 = (3e-4, 0) exactly
    net = MLP([np.array([[1e-4], [0.0]]), np.array([[3.0]])], [np.zeros(1), np.zeros(1)], "tanh")
    assert net.penalty(np.zeros((1, 2))) == pytest.approx((3e-4 - 1.0) ** 2)


def test_penalty_at_zero_gradient_is_finite():
    net = MLP([np.zeros((2, 3)), np.zeros((3, 1))], [np.zeros(3), np.zeros(1)], "tanh")
    value, grads, g = net.penalty_and_grad(np.ones((4, 2)))
    assert value == 1.0 and np.all(g == 0.0)
    assert all(np.isfinite(q).all() for q in grads)


def test_torch_autograd_double_backprop():
    torch = pytest.importorskip("torch")
    net, x = _net([2, 7, 5, 1], "softplus")
    value, grads, g = net.penalty_and_grad(x)
    t_value, t_g, t_grads = softplus_penalty_reference(torch, net, x)
    assert value == pytest.approx(t_value, rel=1e-10)
    np.testing.assert_allclose(g, t_g, rtol=1e-10, atol=1e-14)
    for mine, theirs in zip(grads, t_grads):
        np.testing.assert_allclose(mine, theirs, rtol=1e-9, atol=1e-13)


def test_flat_round_trip_and_copy():
    net, _ = _net([2, 4, 1], "relu")
    flat = net.get_flat()
    twin = net.copy()
    net.set_flat(flat + 1.0)
    assert np.allclose(twin.get_flat(), flat) and np.allclose(net.get_flat(), flat + 1.0)


def test_bad_inputs():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="sizes"):
        init_mlp([2, 1], rng)
    with pytest.raises(ValueError, match="sizes"):
        init_mlp([2, 0, 1], rng)
    with pytest.raises(ValueError, match="activation"):
        init_mlp([2, 3, 1], rng, activation="sigmoidish")
    with pytest.raises(TypeError, match="rng"):
        init_mlp([2, 3, 1], 0)
    net = init_mlp([2, 3, 1], rng)
    with pytest.raises(ValueError, match="x"):
        net(np.zeros((4, 3)))
    with pytest.raises(TypeError, match="x"):
        net("data")
    with pytest.raises(ValueError, match="flat"):
        net.set_flat(np.zeros(3))
    with pytest.raises(ValueError, match="target"):
        net.penalty_and_grad(np.zeros((2, 2)), target=-1.0)
    _, cache = net.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="dout"):
        net.backward(cache, np.zeros((3, 1)))
    gen = init_mlp([2, 3, 2], rng)
    with pytest.raises(ValueError, match="one output"):
        gen.input_gradient(np.zeros((1, 2)))


def test_adam_and_rmsprop():
    theta = np.array([3.0, -2.0])
    opt = Adam([theta], learning_rate=0.1, betas=(0.9, 0.999))
    for _ in range(500):
        opt.step([2.0 * theta])
    assert np.abs(theta).max() < 0.05
    theta2 = np.array([1.0])
    rms = RMSProp([theta2], learning_rate=0.01)
    for _ in range(300):
        rms.step([2.0 * theta2])
    assert abs(theta2[0]) < 0.05
    with pytest.raises(ValueError, match="grads"):
        opt.step([])
    with pytest.raises(ValueError, match="learning_rate"):
        Adam([theta], learning_rate=0.0)
    with pytest.raises(ValueError, match="betas"):
        Adam([theta], betas=(1.0, 0.9))


def test_toy_data():
    rng = np.random.default_rng(0)
    x = eight_gaussians(4000, rng)
    centres = eight_gaussian_centres()
    assert np.allclose(np.linalg.norm(centres, axis=1), 2 / 1.414)
    nearest = np.argmin(np.linalg.norm(x[:, None] - centres[None], axis=2), axis=1)
    counts = np.bincount(nearest, minlength=8)
    assert counts.min() > 400  # about 500 per mode
    spread = x - centres[nearest]
    assert spread.std() == pytest.approx(EIGHT_GAUSSIANS_STD, rel=0.05)
    assert twentyfive_gaussians(100, rng).shape == (100, 2)
    assert np.abs(swiss_roll(500, rng)).max() < 2.5
    a = sample_toy("8gaussians", 5, np.random.default_rng(3))
    b = sample_toy("8gaussians", 5, np.random.default_rng(3))
    assert np.array_equal(a, b)
    with pytest.raises(ValueError, match="name"):
        sample_toy("moons", 5, rng)
    with pytest.raises(ValueError, match="n"):
        eight_gaussians(0, rng)
    with pytest.raises(TypeError, match="rng"):
        eight_gaussians(3, 42)
