"""Dirac-GAN dynamics, the parameter-penalty example, and the lesson-05 explorables."""

import numpy as np
import pytest

from gnlib.models import flat_minima as fm
from gnlib.models.dirac_gan import dirac_jacobian_eigenvalues, dirac_update_modulus, dirac_vector_field, simulate_dirac
from gnlib.gradcheck import check_gradient
from gnlib.widgets import dirac_gan_explorer, param_penalty_explorer, training_progress


def _norm(path, t):
    return float(np.hypot(*path[t]))


def test_required_behaviour_from_1_1_with_step_0_2():
    plain = simulate_dirac(1.0, 1.0, learning_rate=0.2, n_steps=500)
    alt = simulate_dirac(1.0, 1.0, learning_rate=0.2, n_steps=500, method="alternating")
    r1 = simulate_dirac(1.0, 1.0, learning_rate=0.2, n_steps=500, penalty="r1", weight=0.3)
    norms = np.hypot(plain[:, 0], plain[:, 1])
    assert norms[-1] > 2.0 * norms[0]  # spirals out
    assert np.all(np.diff(norms[::50]) > 0)
    alt_norms = np.hypot(alt[:, 0], alt[:, 1])
    assert np.abs(alt_norms / alt_norms[0] - 1).max() < 0.05  # circles
    assert _norm(r1, -1) < 1e-4


def test_reproduces_reference_numbers():
    # the table of section 5 in the course's research notes (reference vector fields)
    plain = simulate_dirac()
    assert [round(_norm(plain, t), 2) for t in (50, 200, 500)] == [1.68, 2.64, 3.10]
    gp = simulate_dirac(game="wgan", penalty="wgan_gp", weight=0.35)  # reference reg = 0.7
    assert [round(_norm(gp, t), 2) for t in (50, 200, 500)] == [1.89, 1.62, 1.80]
    gp_alt = simulate_dirac(game="wgan", penalty="wgan_gp", weight=0.35, method="alternating")
    assert round(_norm(gp_alt, 500), 2) == 1.22
    r1 = simulate_dirac(penalty="r1", weight=0.3)
    assert _norm(r1, 50) == pytest.approx(0.28, abs=0.005)
    assert _norm(r1, 500) == pytest.approx(2.6e-6, rel=0.05)
    assert _norm(simulate_dirac(penalty="r1", weight=0.3, method="alternating"), 500) == pytest.approx(2.3e-7, rel=0.1)
    assert _norm(simulate_dirac(penalty="r1", weight=1.0), 500) < 1e-18


def test_wgan_gp_does_not_settle_at_equilibrium():
    for lam in (0.1, 0.35, 1.0):
        path = simulate_dirac(game="wgan", penalty="wgan_gp", weight=lam)
        assert np.hypot(path[-100:, 0], path[-100:, 1]).min() > 0.3


def test_vector_field_matches_gradients_of_the_game():
    # v_theta = -dL/dtheta, v_psi = dL/dpsi - dR/dpsi with L = f(psi theta), f(t) = -log(1 + e^-t)
    def L(p):
        return -np.log1p(np.exp(-p[0] * p[1]))

    for theta, psi in [(0.7, -1.3), (2.0, 0.5), (-0.4, 0.9)]:
        x = np.array([theta, psi])
        num = check_gradient(L, lambda p: np.array([-dirac_vector_field(*p)[0], dirac_vector_field(*p)[1]]), x)
        assert num < 1e-7
        v1, v2 = dirac_vector_field(theta, psi, penalty="r1", weight=0.4)
        assert v2 == pytest.approx(dirac_vector_field(theta, psi)[1] - 0.4 * psi)
        _, v2gp = dirac_vector_field(theta, psi, game="wgan", penalty="wgan_gp", weight=0.5)
        assert v2gp == pytest.approx(theta - 2 * 0.5 * (abs(psi) - 1) * np.sign(psi))
    grid = np.zeros((3, 4))
    u, v = dirac_vector_field(grid, grid + 1.0)
    assert u.shape == (3, 4) and np.allclose(u, -0.5)


def test_simulation_is_vectorized_field_step():
    path = simulate_dirac(0.3, -0.8, learning_rate=0.1, n_steps=3, penalty="r1", weight=0.5)
    theta, psi = 0.3, -0.8
    for t in range(1, 4):
        v1, v2 = dirac_vector_field(theta, psi, penalty="r1", weight=0.5)
        theta, psi = theta + 0.1 * v1, psi + 0.1 * v2
        assert np.allclose(path[t], [theta, psi])


def test_eigenvalues_and_modulus():
    f0 = 0.5
    for gamma in (0.0, 0.3, 0.9):
        eig = dirac_jacobian_eigenvalues(gamma)
        assert np.allclose(eig.real, -gamma / 2)
        assert np.allclose(np.sort(np.abs(eig.imag)), np.sqrt(f0**2 - gamma**2 / 4))
    eig = dirac_jacobian_eigenvalues(1.5)
    assert np.allclose(np.sort(eig.real), np.sort(-0.75 + np.array([-1, 1]) * np.sqrt(0.75**2 - 0.25)))
    assert dirac_update_modulus(0.0, 0.2) == pytest.approx(np.sqrt(1 + 0.01))
    assert dirac_update_modulus(1.0, 0.2) == pytest.approx(0.9)


def test_dirac_bad_inputs():
    with pytest.raises(ValueError, match="game"):
        simulate_dirac(game="lsgan")
    with pytest.raises(ValueError, match="penalty"):
        dirac_vector_field(1.0, 1.0, penalty="r2")
    with pytest.raises(ValueError, match="method"):
        simulate_dirac(method="extragradient")
    with pytest.raises(ValueError, match="learning_rate"):
        simulate_dirac(learning_rate=0.0)
    with pytest.raises(ValueError, match="weight"):
        simulate_dirac(penalty="r1", weight=-1.0)
    with pytest.raises(TypeError, match="n_steps"):
        simulate_dirac(n_steps=2.5)
    with pytest.raises(ValueError, match="gamma"):
        dirac_jacobian_eigenvalues(-0.1)


def test_huge_step_does_not_crash():
    path = simulate_dirac(learning_rate=1e6, n_steps=50)
    assert path.shape == (51, 2)


# ----------------------------------------------------------------- flat minima
def test_penalized_gradient_matches_finite_differences():
    for lam in (0.0, 0.03, 0.5):
        x = np.array([-1.7, -1.1, -0.2, 0.9, 2.4])
        assert check_gradient(lambda t: fm.penalized_loss(t, lam).sum(), lambda t: fm.penalized_gradient(t, lam), x) < 1e-7
    assert check_gradient(lambda t: fm.two_minima_loss(t)[1].sum(), lambda t: fm.two_minima_loss(t)[2],
                          np.array([-1.3, 0.2, 1.9])) < 1e-7


def test_penalty_keeps_minima_and_multiplies_curvature():
    mins = fm.minima()
    assert np.allclose(fm.two_minima_loss(mins)[1], 0.0, atol=1e-10)
    assert np.allclose(fm.penalized_gradient(mins, 0.05), 0.0, atol=1e-9)
    k0, k = fm.penalized_curvatures(0.0), fm.penalized_curvatures(0.05)
    assert np.allclose(k, k0 * (1 + 0.1 * k0))
    assert k[0] / k0[0] > 2.5 and k[1] / k0[1] < 1.1  # sharp gets much sharper, flat barely changes
    assert 0.06 < fm.LAM_SPURIOUS < 0.075


def test_gd_settles_in_sharp_minimum_only_while_eta_times_curvature_below_2():
    eta = 0.05
    for lam in (0.0, 0.02, 0.04, 0.055, 0.06):
        path = fm.gd_on_penalized([-1.3, 0.3], lam, eta, n_steps=600)
        stable = eta * fm.penalized_curvatures(lam)[0] < 2
        assert fm.settled(path)[0] == stable
        assert fm.settled(path)[1]  # the flat minimum is always fine
        assert path[-1, 1] == pytest.approx(fm.minima()[1], abs=1e-4)


def test_flat_minima_bad_inputs():
    with pytest.raises(ValueError, match="lam"):
        fm.penalized_loss(0.0, -1.0)
    with pytest.raises(ValueError, match="learning_rate"):
        fm.gd_on_penalized([0.0], 0.0, -0.1)
    with pytest.raises(TypeError, match="theta"):
        fm.two_minima_loss("one")


# ----------------------------------------------------------------- explorables
def _drive(ex, ranges, keys):
    assert ex.finite()
    ex.render_png()
    for name, values in ranges.items():
        for value in values:
            before = {k: np.array(ex.data[k], dtype=float).copy() for k in keys}
            ex.controls[name].value = value
            assert ex.finite(), (name, value)
            assert any(not np.allclose(before[k], np.asarray(ex.data[k], dtype=float), equal_nan=True) for k in keys)
            assert ex.render_png()[:4] == b"\x89PNG"


def test_dirac_gan_explorer():
    ex = dirac_gan_explorer()
    c = ex.controls
    _drive(ex, {"gamma": [c["gamma"].min, c["gamma"].max, 1.0], "lam": [c["lam"].min, c["lam"].max, 0.5],
                "eta": [c["eta"].min, c["eta"].max, 0.2]}, ["r1", "wgan_gp", "plain"])
    ex.set(gamma=0.3, lam=0.35, eta=0.2)
    assert ex.data["final_r1"] < 1e-4 and ex.data["final_plain"] > 2.5 and ex.data["final_wgan_gp"] > 0.5
    ex.set(gamma=0.0)
    assert ex.data["final_r1"] == pytest.approx(ex.data["final_plain"])


def test_param_penalty_explorer():
    ex = param_penalty_explorer()
    c = ex.controls
    lams, etas = ([v for _, v in c[name].options] for name in ("lam", "eta"))
    _drive(ex, {"lam": [lams[-1], lams[0], 0.03], "eta": [etas[-1], etas[0], 0.05]}, ["path", "penalized"])
    ex.set(lam=0.0, eta=0.1)
    assert ex.data["settled"].all()
    ex.set(lam=0.06, eta=0.05)
    assert not ex.data["settled"][0]


def test_training_progress():
    bar, report = training_progress(100)
    report(40, {"loss": 0.5})
    assert bar.children[0].value == 40 and "0.5" in bar.children[1].value
    report(500)
    assert bar.children[0].value == 100
    with pytest.raises(ValueError, match="total"):
        training_progress(0)


def test_training_progress_stores_a_readable_escaped_final_state():
    bar, report = training_progress(10, "GAN <b>")
    report(10, {"<i>norm</i>": 1.0})
    bundle = bar._repr_mimebundle_()
    assert bundle["text/plain"] == "GAN <b>: 10/10 iterations, <i>norm</i> = 1"
    assert "&lt;i&gt;norm&lt;/i&gt;" in bundle["text/html"] and "<i>" not in bundle["text/html"]
    assert "&lt;i&gt;" in bar.children[1].value
    assert "application/vnd.jupyter.widget-view+json" in bundle
