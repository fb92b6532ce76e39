"""Hostile input for gnlib.adam and gnlib.optim (issue 15): clear errors naming the argument,
nothing changed before an error, correct steps at the ends of the float range, iterables read once."""

from __future__ import annotations

import numpy as np
import pytest

from gnlib.adam import Adam, RMSProp
from gnlib.functions import quartic, rosenbrock
from gnlib.optim import (
    MAX_STEPS,
    clipped_gradient_descent,
    cycle_amplitude,
    distances,
    gradient_descent,
    normalized_gradient_descent,
    run_methods,
    step_lengths,
    summarize_runs,
    trajectory_losses,
)

pytestmark = pytest.mark.filterwarnings("error")  # a leaked RuntimeWarning fails the test

OPTIMIZERS = [Adam, RMSProp]


def snapshot(opt):
    """Everything a step may change: the parameters, the moments and the step count."""
    moments = [np.copy(a) for a in (opt.m if isinstance(opt, Adam) else [])] + [np.copy(a) for a in opt.v]
    return [p.copy() for p in opt.params], moments, opt.t


def assert_unchanged(opt, before):
    params, moments, t = snapshot(opt)
    assert opt.t == before[2] == t
    for a, b in zip(params + moments, before[0] + before[1]):
        np.testing.assert_array_equal(a, b)


# --------------------------------------------------------------------------- params


@pytest.mark.parametrize("cls", OPTIMIZERS)
@pytest.mark.parametrize("params, error, message", [
    (np.ones(3), TypeError, "params must be a list.*wrap it"),
    (np.ones((2, 2)), TypeError, "params must be a list.*wrap it"),
    (np.array(1.0), TypeError, "params must be a list.*wrap it"),
    (None, TypeError, "params must be a list"),
    ("theta", TypeError, "params must be a list"),
    ([], ValueError, "params must hold at least one array"),
    ([[1.0, 2.0]], TypeError, r"params\[0\] must be a numpy array"),
    ([np.ones(2), 3.0], TypeError, r"params\[1\] must be a numpy array"),
    ([np.ones(2, int)], TypeError, r"params\[0\] must have dtype float32 or float64, got int64"),
    ([np.ones(2, bool)], TypeError, r"params\[0\] must have dtype"),
    ([np.ones(2, complex)], TypeError, r"params\[0\] must have dtype"),
    ([np.ones(2, np.float16)], TypeError, r"params\[0\] must have dtype"),
    ([np.ones(2, np.longdouble)], TypeError, r"params\[0\] must have dtype"),
    ([np.array([1.0, np.nan])], ValueError, r"params\[0\] must be finite"),
    ([np.array([np.inf])], ValueError, r"params\[0\] must be finite"),
])
def test_bad_params_are_refused_naming_them(cls, params, error, message):
    with pytest.raises(error, match=message):
        cls(params)


@pytest.mark.parametrize("cls", OPTIMIZERS)
def test_read_only_and_shared_params_are_refused(cls):
    frozen = np.ones(2)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match=r"params\[0\] must be writeable"):
        cls([frozen])
    p = np.ones(4)
    for params in ([p, p], [p, p[:2]], [np.ones(1), p[::2], p[1::-1]]):
        with pytest.raises(ValueError, match="share memory"):
            cls(params)
    cls([p[::2], p[1::2]])  # interleaved views share no element: allowed


@pytest.mark.parametrize("cls", OPTIMIZERS)
@pytest.mark.parametrize("make_params", [
    lambda: [np.array(2.0)],                       # 0-d array
    lambda: (np.full(3, 2.0), np.full((2, 2), 2.0)),  # tuple
    lambda: (p for p in [np.full(3, 2.0, np.float32)]),  # generator, read once
])
def test_every_accepted_container_updates_the_callers_arrays(cls, make_params):
    params = list(make_params())
    opt = cls(iter(params), learning_rate=0.1)
    opt.step([np.ones(p.shape) for p in params])
    for p in params:
        assert (p < 2.0).all()
        assert opt.t == 1


# --------------------------------------------------------------------------- hyper-parameters


@pytest.mark.parametrize("cls", OPTIMIZERS)
@pytest.mark.parametrize("eps, error", [
    (0, ValueError), (0.0, ValueError), (-1e-8, ValueError), (float("nan"), ValueError),
    (float("inf"), ValueError), (1e-320, ValueError), ("small", TypeError), (None, TypeError),
])
def test_eps_must_be_a_positive_normal_number(cls, eps, error):
    with pytest.raises(error, match="eps"):
        cls([np.ones(2)], eps=eps)


@pytest.mark.parametrize("betas, error", [
    (0.9, TypeError), (None, TypeError), ("ab", TypeError), ((0.9,), ValueError), ((0.5, 0.9, 0.99), ValueError),
    (("a", 0.9), TypeError), ((1.0, 0.9), ValueError), ((0.5, float("nan")), ValueError), ((-0.1, 0.9), ValueError),
])
def test_bad_betas_are_refused_naming_them(betas, error):
    with pytest.raises(error, match="betas"):
        Adam([np.ones(2)], betas=betas)


def test_betas_may_be_any_pair():
    for betas in ([0.5, 0.9], np.array([0.5, 0.9]), (b for b in (0.5, 0.9))):
        opt = Adam([np.ones(2)], betas=betas)
        assert (opt.beta1, opt.beta2) == (0.5, 0.9)


@pytest.mark.parametrize("decay", [1.0, -0.5, float("nan"), "fast", None])
def test_bad_decay_is_refused_naming_it(decay):
    with pytest.raises((TypeError, ValueError), match="decay"):
        RMSProp([np.ones(2)], decay=decay)


# --------------------------------------------------------------------------- gradients


@pytest.mark.parametrize("cls", OPTIMIZERS)
@pytest.mark.parametrize("grads, error, message", [
    (None, TypeError, "grads must be a list"),
    ("ab", TypeError, "grads must be a list"),
    (np.ones((2, 2)), TypeError, "grads must be a list.*one numpy array"),
    ([np.ones(2)], ValueError, r"one array per parameter \(2\), got 1"),
    ([np.ones(2), np.ones(2), np.ones(2)], ValueError, "one array per parameter"),
    ([np.ones(2), np.ones(3)], ValueError, r"grads\[1\] must have the shape of params\[1\]"),
    ([np.ones(2), np.ones((1, 2))], ValueError, r"grads\[1\] must have the shape"),
    ([np.ones(2), 1.0], ValueError, r"grads\[1\] must have the shape"),
    ([np.ones(2), np.ones(2) * 1j], TypeError, r"grads\[1\] must be real-valued"),
    ([np.ones(2), None], TypeError, r"grads\[1\]"),
    ([np.ones(2), ["a", "b"]], TypeError, r"grads\[1\]"),
    ([np.ones(2), [[1.0], [1.0, 2.0]]], TypeError, r"grads\[1\]"),
    ([np.ones(2), np.ones(2, np.longdouble)], TypeError, r"grads\[1\] has dtype .*extended precision"),
])
def test_bad_grads_raise_before_anything_changes(cls, grads, error, message):
    opt = cls([np.full(2, 3.0), np.full(2, -3.0)], learning_rate=0.1)
    opt.step([np.ones(2), np.ones(2)])  # state that must survive the bad step untouched
    before = snapshot(opt)
    with pytest.raises(error, match=message):
        opt.step(grads)
    assert_unchanged(opt, before)


@pytest.mark.parametrize("cls", OPTIMIZERS)
def test_gradients_as_lists_integers_generators_or_the_parameter_itself(cls):
    a, b = [np.array([3.0, -2.0])], [np.array([3.0, -2.0])]
    opt_a, opt_b = cls(a, learning_rate=0.1), cls(b, learning_rate=0.1)
    opt_a.step([[3, -2]])                          # nested list of ints
    opt_b.step(g for g in [b[0]])                  # a generator yielding the parameter array itself
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], [3.0, -2.0])


@pytest.mark.parametrize("cls", OPTIMIZERS)
def test_an_update_leaving_the_float_range_raises_and_changes_nothing(cls):
    params = [np.ones(2), np.array([-1.7e308, 1.0])]
    opt = cls(params, learning_rate=1e307)  # steps of 1e307 (Adam) and 3.2e307 (RMSProp)
    before = snapshot(opt)
    with pytest.raises(ValueError, match=r"params\[1\].*float range"):
        opt.step([np.ones(2), np.ones(2)])
    assert_unchanged(opt, before)
    f32 = [np.ones(2, np.float32)]
    opt = cls(f32, learning_rate=1e39)  # a float64 number, beyond float32
    with pytest.raises(ValueError, match=r"params\[0\].*float range"):
        opt.step([np.ones(2, np.float32)])
    np.testing.assert_array_equal(f32[0], 1.0)


@pytest.mark.parametrize("cls", OPTIMIZERS)
def test_a_nan_gradient_entry_propagates_to_its_parameter_only(cls):
    p = np.ones(3)
    cls([p], learning_rate=0.1).step([np.array([np.nan, np.inf, 1.0])])
    assert np.isnan(p[0]) and not np.isfinite(p[1]) and p[2] < 1.0


# --------------------------------------------------------------------------- range


@pytest.mark.parametrize("dtype, big", [
    (np.float64, 1e200), (np.float64, 1.7976931348623157e308), (np.float64, 2.0**511),
    (np.float32, 1e30), (np.float32, 3.4e38), (np.float32, 2.0**61),
])
def test_adams_first_step_is_eta_sign_g_for_huge_gradients(dtype, big):
    p = np.ones(4, dtype)
    Adam([p], learning_rate=0.1).step([np.array([big, -big, 1.0, 0.0], dtype)])
    np.testing.assert_allclose(p, [0.9, 1.1, 0.9, 1.0], rtol=1e-6 if dtype == np.float32 else 1e-8)  # eps: 1e-9


@pytest.mark.parametrize("cls", OPTIMIZERS)
@pytest.mark.parametrize("dtype, exponent", [
    (np.float64, 600), (np.float64, 1000), (np.float64, -600), (np.float64, -1000),
    (np.float32, 70), (np.float32, 100), (np.float32, -70), (np.float32, -100),
])
def test_scaling_the_gradient_and_eps_by_a_power_of_two_leaves_every_step_unchanged(cls, dtype, exponent):
    """m_hat / (sqrt(v_hat) + eps) is unchanged when g and eps are both scaled by s: a run at the
    ends of the float range must take the same steps as the same run near 1 (whose arithmetic is plain)."""
    rng = np.random.default_rng(exponent % 97)
    grads = [rng.standard_normal((6, 3)) * 10.0 ** rng.uniform(-3, 3, size=(6, 3)) for _ in range(12)]
    scale = 2.0 ** exponent
    reference, scaled = [np.zeros((6, 3), dtype)], [np.zeros((6, 3), dtype)]
    opt_ref = cls(reference, learning_rate=0.01, eps=1e-3)
    opt_scaled = cls(scaled, learning_rate=0.01, eps=1e-3 * scale)
    for g in grads:
        opt_ref.step([g.astype(dtype)])
        opt_scaled.step([(g * scale).astype(dtype)])
    if dtype == np.float32:  # the reference rounds every step to float32; the wide form works in float64
        np.testing.assert_allclose(scaled[0], reference[0], rtol=1e-5, atol=1e-7)
    else:
        np.testing.assert_allclose(scaled[0], reference[0], rtol=1e-12, atol=0)


def test_a_tiny_gradient_with_a_tiny_eps_keeps_adams_step_length():
    p = np.zeros(3)
    Adam([p], learning_rate=0.5, eps=1e-300).step([np.array([1e-170, -1e-250, 1.0])])
    np.testing.assert_allclose(p, [-0.5, 0.5, -0.5], rtol=1e-12)


def test_torch_agrees_in_the_usual_range_and_takes_a_zero_step_where_gnlib_does_not():
    """Cross-check against the installed PyTorch: the same iterates for ordinary gradients,
    and PyTorch's documented-here zero step (v = inf) for a gradient whose square overflows."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    grads = [rng.standard_normal(5) for _ in range(20)]
    for ours_cls, make in ((Adam, lambda q: torch.optim.Adam([q], lr=0.05, betas=(0.5, 0.9), eps=1e-8)),
                           (RMSProp, lambda q: torch.optim.RMSprop([q], lr=0.05, alpha=0.9, eps=1e-10))):
        ours = np.ones(5)
        opt = ours_cls([ours], 0.05)
        theirs = torch.ones(5, dtype=torch.float64, requires_grad=True)
        topt = make(theirs)
        for g in grads:
            opt.step([g])
            theirs.grad = torch.from_numpy(g.copy())
            topt.step()
        np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=1e-12)
    for dtype, tdtype, big in ((np.float64, torch.float64, 1e200), (np.float32, torch.float32, 1e30)):
        theirs = torch.ones(2, dtype=tdtype, requires_grad=True)
        topt = torch.optim.Adam([theirs], lr=0.1, betas=(0.5, 0.9))
        theirs.grad = torch.full((2,), big, dtype=tdtype)
        topt.step()
        assert theirs.detach().numpy().tolist() == [1.0, 1.0]  # PyTorch: v = inf, step 0
        ours = np.ones(2, dtype)
        Adam([ours], learning_rate=0.1).step([np.full(2, big, dtype)])
        np.testing.assert_allclose(ours, 0.9, rtol=1e-6)


# --------------------------------------------------------------------------- gnlib.optim.compare


@pytest.mark.parametrize("make_methods", [
    lambda: (m for m in ["gd", "clipped"]),
    lambda: iter(["gd", "clipped"]),
    lambda: map(str, ["gd", "clipped"]),
    lambda: {"gd": 1, "clipped": 2}.keys(),
])
def test_run_methods_reads_any_iterable_of_methods_once(make_methods):
    runs = run_methods(lambda th: 2 * th, [1.0], 0.25, 0.5, 3, methods=make_methods())
    assert list(runs) == ["gd", "clipped"]
    expected = run_methods(lambda th: 2 * th, [1.0], 0.25, 0.5, 3, methods=["gd", "clipped"])
    for name in runs:
        np.testing.assert_array_equal(runs[name].thetas, expected[name].thetas)


@pytest.mark.parametrize("methods, error", [
    (3, TypeError), (None, TypeError), ("gd", ValueError), (iter([]), ValueError), ([1], ValueError),
    (["gd", None], ValueError), (["GD"], ValueError),
])
def test_run_methods_refuses_bad_methods_naming_them(methods, error):
    with pytest.raises(error, match="methods"):
        run_methods(lambda th: 2 * th, [1.0], 0.25, 0.5, 3, methods=methods)


MEASURES = [
    ("step_lengths", lambda tr: step_lengths(tr)),
    ("trajectory_losses", lambda tr: trajectory_losses(quartic(), tr)),
    ("distances", lambda tr: distances(tr, [0.0])),
    ("cycle_amplitude", lambda tr: cycle_amplitude(tr, [0.0])),
]


@pytest.mark.parametrize("name, measure", MEASURES, ids=[m[0] for m in MEASURES])
@pytest.mark.parametrize("trajectory, error", [
    (np.array(1.0), ValueError), (2.5, ValueError), (np.zeros((0, 1)), ValueError), ([], ValueError),
    (None, TypeError), ("path", TypeError), (np.ones((3, 1)) * 1j, TypeError), ([[1.0], [1.0, 2.0]], TypeError),
])
def test_trajectory_measures_name_the_trajectory(name, measure, trajectory, error):
    with pytest.raises(error, match="trajectory"):
        measure(trajectory)


@pytest.mark.parametrize("objective, thetas", [
    (quartic(), np.zeros((3, 2))), (quartic(), np.zeros((3, 1, 2))), (rosenbrock(), np.zeros((3, 1))),
    (rosenbrock(), np.zeros(4)), (rosenbrock(), np.zeros((2, 3))),
])
def test_trajectory_losses_needs_iterates_of_the_objectives_dimension(objective, thetas):
    with pytest.raises(ValueError, match=rf"trajectory must hold iterates of {objective.dim} entries"):
        trajectory_losses(objective, thetas)


def test_trajectory_measures_still_take_runs_and_plain_iterates():
    run = gradient_descent(lambda th: 2 * th, [1.0, -1.0], 0.25, 3)
    np.testing.assert_allclose(trajectory_losses(rosenbrock(), run), rosenbrock().value(run.thetas))
    np.testing.assert_allclose(step_lengths(run.thetas), step_lengths(run))
    assert step_lengths(np.array([[1.0, 2.0]])).shape == (0,)


@pytest.mark.parametrize("objective, runs, message", [
    ("quartic", {}, "objective"),
    (quartic(), [1, 2], "runs must be a dict"),
    (quartic(), None, "runs must be a dict"),
    (quartic(), {"gd": np.zeros((3, 1))}, r"runs\['gd'\] must be a Trajectory"),
])
def test_summarize_runs_refuses_what_run_methods_does_not_return(objective, runs, message):
    with pytest.raises(TypeError, match=message):
        summarize_runs(objective, runs)


@pytest.mark.parametrize("call, name", [
    (lambda gen: gradient_descent(lambda th: 2 * th, gen, 0.1, 2), "theta0"),
    (lambda gen: run_methods(lambda th: 2 * th, gen, 0.1, 1.0, 2), "theta0"),
    (lambda gen: distances(np.zeros((3, 2)), gen), "point"),
    (lambda gen: step_lengths(gen), "trajectory"),
])
def test_a_generator_of_numbers_is_refused_naming_the_argument_not_read_as_empty(call, name):
    with pytest.raises(TypeError, match=name):
        call(x for x in [1.0, 2.0])


@pytest.mark.parametrize("point", [[np.nan], [np.inf], [-np.inf]])
def test_distances_refuse_a_point_that_is_not_finite(point):
    with pytest.raises(ValueError, match="point must be finite"):
        distances(np.zeros((3, 1)), point)
    with pytest.raises(ValueError, match="point must be finite"):
        cycle_amplitude(np.zeros((3, 1)), point)


@pytest.mark.parametrize("cls", OPTIMIZERS)
def test_a_dict_of_params_gets_a_hint(cls):
    with pytest.raises(TypeError, match=r"got dict; pass list\(params.values\(\)\)"):
        cls({"w": np.ones(2)})


@pytest.mark.parametrize("optimizer", [
    lambda n: gradient_descent(lambda t: 2 * t, [1.0], 0.1, n),
    lambda n: normalized_gradient_descent(lambda t: 2 * t, [1.0], 0.1, n),
    lambda n: clipped_gradient_descent(lambda t: 2 * t, [1.0], 0.1, 1.0, n),
])
@pytest.mark.parametrize("n_steps", [10**400, 10**19, MAX_STEPS + 1])
def test_a_huge_step_count_is_refused_before_any_step(optimizer, n_steps):
    with pytest.raises(ValueError, match=r"n_steps must be <= 1000000"):
        optimizer(n_steps)
