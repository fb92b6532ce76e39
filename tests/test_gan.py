"""WGAN-GP / WGAN in numpy: loss gradients, a full training run, the clipping contrast."""

import numpy as np
import pytest

from gnlib.models.gan import (critic_loss_and_grads, generator_loss_and_grads, interpolates, mode_coverage, train_critic,
                       train_wgan)
from gnlib.gradcheck import numerical_gradient
from gnlib.models.mlp import init_mlp
from gnlib.models.toy_data import eight_gaussian_centres, eight_gaussians


def _setup(activation="softplus"):
    rng = np.random.default_rng(0)
    critic = init_mlp([2, 6, 5, 1], rng, activation=activation)
    generator = init_mlp([2, 5, 2], rng, activation=activation)
    real, fake = eight_gaussians(7, rng), rng.normal(size=(7, 2))
    return critic, generator, real, fake, rng.uniform(size=7), rng


def test_interpolates():
    real, fake = np.ones((3, 2)), -np.ones((3, 2))
    x_hat = interpolates(real, fake, np.array([0.0, 0.5, 1.0]))
    assert np.allclose(x_hat, [[-1, -1], [0, 0], [1, 1]])
    with pytest.raises(ValueError, match="eps"):
        interpolates(real, fake, np.ones(2))
    with pytest.raises(ValueError, match="real and fake"):
        interpolates(real, fake[:2], np.ones(3))


@pytest.mark.parametrize("lam", [0.0, 10.0])
def test_critic_loss_gradient_matches_finite_differences(lam):
    critic, _, real, fake, eps, _ = _setup()
    parts, grads, slopes = critic_loss_and_grads(critic, real, fake, eps, lam)
    flat = critic.get_flat()

    def loss(theta):
        critic.set_flat(theta)
        value = critic_loss_and_grads(critic, real, fake, eps, lam)[0]["loss"]
        critic.set_flat(flat)
        return value

    assert np.allclose(np.concatenate([g.ravel() for g in grads]), numerical_gradient(loss, flat, h=1e-6),
                       rtol=1e-6, atol=1e-8)
    assert parts["loss"] == pytest.approx(-parts["wasserstein"] + lam * parts["penalty"])
    assert np.allclose(slopes, np.linalg.norm(critic.input_gradient(interpolates(real, fake, eps)), axis=1))


def test_generator_gradient_matches_finite_differences_and_has_no_penalty():
    critic, generator, _, _, _, rng = _setup()
    z = rng.normal(size=(6, 2))
    value, grads = generator_loss_and_grads(generator, critic, z)
    assert value == pytest.approx(-critic(generator(z)).mean())
    flat = generator.get_flat()

    def loss(theta):
        generator.set_flat(theta)
        v = -critic(generator(z)).mean()
        generator.set_flat(flat)
        return v

    assert np.allclose(np.concatenate([g.ravel() for g in grads]), numerical_gradient(loss, flat), rtol=1e-6, atol=1e-9)


def test_critic_loss_against_torch():
    torch = pytest.importorskip("torch")
    critic, _, real, fake, eps, _ = _setup()
    parts, grads, _ = critic_loss_and_grads(critic, real, fake, eps, 10.0)
    params = [torch.tensor(p, requires_grad=True) for p in critic.params]

    def D(x):
        h = x
        for i in range(0, len(params) - 2, 2):
            h = torch.nn.functional.softplus(h @ params[i] + params[i + 1])
        return h @ params[-2] + params[-1]

    tr, tf, te = torch.tensor(real), torch.tensor(fake), torch.tensor(eps)[:, None]
    x_hat = (te * tr + (1 - te) * tf).requires_grad_(True)
    (g,) = torch.autograd.grad(D(x_hat).sum(), x_hat, create_graph=True)
    loss = D(tf).mean() - D(tr).mean() + 10.0 * ((g.norm(dim=1) - 1) ** 2).mean()
    tgrads = torch.autograd.grad(loss, params)
    assert parts["loss"] == pytest.approx(loss.item(), rel=1e-10)
    for mine, theirs in zip(grads, tgrads):
        np.testing.assert_allclose(mine, theirs.numpy(), rtol=1e-9, atol=1e-12)


def test_mode_coverage():
    rng = np.random.default_rng(1)
    real = eight_gaussians(2000, rng)
    shares = mode_coverage(real)
    assert shares.sum() == 1.0 and shares.min() > 0.1
    collapsed = np.repeat(eight_gaussian_centres()[:1], 50, axis=0)
    assert mode_coverage(collapsed)[0] == 1.0 and mode_coverage(collapsed)[1:].sum() == 0
    assert mode_coverage(np.zeros((10, 2))).sum() == 0  # the middle is far from every mode
    with pytest.raises(ValueError, match="radius"):
        mode_coverage(real, radius=0.0)


def test_wgan_gp_training_reaches_the_targets():
    # the lesson's run: every mode gets >= 5% of 2,000 samples, and ||grad D|| ~ 1 at interpolates
    run = train_wgan(n_iters=1000, snapshot_at=[1000], seed=0)
    shares = mode_coverage(run.snapshots[1000])
    assert shares.min() >= 0.05, shares
    assert abs(run.grad_norms[-1] - 1.0) < 0.15
    assert abs(run.grad_norms[-50:].mean() - 1.0) < 0.15


def test_training_is_deterministic_and_reports_progress():
    seen = []
    a = train_wgan(n_iters=6, n_critic=2, width=8, batch_size=32, seed=3, snapshot_at=[6],
                   callback=lambda i, info: seen.append(i), callback_every=2)
    b = train_wgan(n_iters=6, n_critic=2, width=8, batch_size=32, seed=3, snapshot_at=[6])
    assert np.array_equal(a.snapshots[6], b.snapshots[6]) and seen == [2, 4, 6]
    assert a.settings["lam"] == 1.0 and a.grad_norms.shape == (6,)


def test_weight_clipping_contrast():
    clip_critic, clip_slopes = train_critic("clip", n_steps=150)
    gp_critic, gp_slopes = train_critic("gp", n_steps=150)
    weights = np.concatenate([w.ravel() for w in clip_critic.weights])
    assert np.abs(weights).max() <= 0.01
    assert np.mean(np.abs(weights) > 0.0099) > 0.5  # piled at +-c
    assert clip_slopes.mean() < 0.1  # far below 1
    assert abs(gp_slopes.mean() - 1.0) < 0.3


def test_bad_inputs():
    with pytest.raises(ValueError, match="mode"):
        train_wgan(mode="lsgan")
    with pytest.raises(ValueError, match="lam"):
        train_wgan(lam=-1.0)
    with pytest.raises(ValueError, match="n_critic"):
        train_wgan(n_critic=0)
    with pytest.raises(ValueError, match="clip"):
        train_critic("clip", clip=0.0)
    with pytest.raises(ValueError, match="name"):
        train_wgan("moons", n_iters=1)
