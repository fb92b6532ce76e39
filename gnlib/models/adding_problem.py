"""The adding problem, and training tanh RNNs on it with and without clipping.

**The task** (Hochreiter & Schmidhuber 1997; used by Pascanu et al. 2013 to
test clipping). Each time step carries two numbers: a value drawn from
``U[0, 1]`` and a marker, 1 at exactly two steps and 0 elsewhere. One marked
step lies in the first half of the sequence, the other in the second half.
The target is the sum of the two marked values. Predicting the mean, 1,
always gives a mean squared error of ``Var(u1 + u2) = 1/6 ≈ 0.167``
(:data:`BASELINE_MSE`): a network beats it only by carrying the first value
across half the sequence.

**Training.** :func:`train_adding` trains ``K`` networks at once (one per
entry of ``seeds``; see :mod:`gnlib.models.vector_rnn`). Each step draws a
fresh batch, computes the loss and BPTT gradient, measures each network's
global gradient norm, clips it to ``tau`` if asked (**before** the optimizer,
as ``torch.nn.utils.clip_grad_norm_`` is called before ``optimizer.step()``),
then lets SGD, SGD with momentum or Adam take the step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from .._validation import check_int, check_scalar
from ._numerics import MAX_SAMPLES, MAX_STEPS, MAX_WIDTH, check_total, float_dtype
from .update_rules import OPTIMIZERS, make_optimizer, spike_response
from .vector_rnn import PARAM_NAMES, init_rnn, model_norms, rnn_loss_and_grads

__all__ = ["BASELINE_MSE", "DEMO_SETTINGS", "OPTIMIZERS", "adding_problem", "AddingRun", "train_adding",
           "spike_response"]

#: The mean squared error of always answering 1 (the variance of a sum of two U[0, 1]).
BASELINE_MSE: float = 1.0 / 6.0

#: The settings of the lesson's comparison: with them, plain SGD overflows on
#: every seed we tried while SGD with the global norm clipped at tau = 1 learns
#: (a test checks seeds 0-2). T = 10 keeps the run short enough for a notebook.
DEMO_SETTINGS: dict = dict(learning_rate=0.3, seq_len=10, hidden=16, batch_size=20, recurrent_scale=1.5,
                           n_updates=500)


def adding_problem(n: int, n_steps: int, rng: np.random.Generator, dtype: Any = np.float64
                   ) -> tuple[np.ndarray, np.ndarray]:
    """A batch of the adding problem.

    Parameters
    ----------
    n : int
        Sequences in the batch (>= 1).
    n_steps : int
        Sequence length T (>= 2).
    rng : numpy.random.Generator
    dtype : numpy dtype, default float64
        A floating-point dtype; integer, boolean or complex raise ``TypeError``
        (the values in ``[0, 1)`` would be truncated to 0).

    Returns
    -------
    (x, target)
        ``x`` of shape ``(n, T, 2)`` (value, marker) and ``target`` of shape ``(n,)``.

    Examples
    --------
    >>> x, y = adding_problem(3, 10, np.random.default_rng(0))
    >>> x.shape, x[..., 1].sum(axis=1).tolist()
    ((3, 10, 2), [2.0, 2.0, 2.0])
    >>> bool(np.allclose(y, (x[..., 0] * x[..., 1]).sum(axis=1)))
    True
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    n = check_int(n, "n", low=1, high=MAX_SAMPLES)
    n_steps = check_int(n_steps, "n_steps", low=2, high=MAX_SAMPLES)
    check_total(n * n_steps * 2, "n and n_steps", "the sequences")
    dtype = float_dtype(dtype)
    half = n_steps // 2
    x = np.zeros((n, n_steps, 2), dtype=dtype)
    x[..., 0] = rng.uniform(size=(n, n_steps))
    rows = np.arange(n)
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, n_steps, size=n)
    x[rows, first, 1] = 1.0
    x[rows, second, 1] = 1.0
    target = (x[rows, first, 0] + x[rows, second, 0]).astype(dtype)
    return x, target


@dataclass
class AddingRun:
    """What :func:`train_adding` returns; every per-step array has one row per network.

    Attributes
    ----------
    losses : numpy.ndarray
        ``(K, n_updates)``: the training loss of each step's batch (before its update).
    grad_norms : numpy.ndarray
        ``(K, n_updates)``: the global gradient norm ``||g||`` before clipping.
    clipped : numpy.ndarray
        ``(K, n_updates)`` booleans: True where ``||g|| > tau`` and the gradient was scaled down.
    dh_norms : numpy.ndarray
        ``(n_updates, T, K)``: ``||dE/dh_k||`` for every step ``k`` of the sequence, at every update.
    params : dict of str to numpy.ndarray
        The final parameters (leading axis K): the last finite ones for a network that diverged.
    settings : dict
        The arguments of the run.
    diverged : numpy.ndarray
        ``(K,)`` booleans: True for a network whose loss, gradient norm or
        parameters stopped being finite. Like the optimizers of
        :mod:`gnlib.optim` (``Trajectory.diverged``), such a network stops
        there: its losses, gradient norms and ``dh_norms`` after index
        ``n_steps`` are NaN (updates not taken) and its parameters stay at the last finite values.
    n_steps : numpy.ndarray
        ``(K,)`` integers: the updates each network took (``n_updates`` unless it diverged).
    """

    losses: np.ndarray
    grad_norms: np.ndarray
    clipped: np.ndarray
    dh_norms: np.ndarray
    params: dict[str, np.ndarray]
    settings: dict = field(default_factory=dict)
    diverged: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    n_steps: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))

    @property
    def clipped_fraction(self) -> np.ndarray:
        """The share of updates each network clipped."""
        return self.clipped.mean(axis=1)

    def final_loss(self, last: int = 50) -> np.ndarray:
        """Each network's mean loss over its last ``last`` updates (NaN-aware: a NaN loss stays NaN)."""
        last = check_int(last, "last", low=1, high=MAX_STEPS)
        return self.losses[:, -last:].mean(axis=1)

    @property
    def blew_up(self) -> np.ndarray:
        """True for a network whose loss became non-finite or rose above 10 x its first loss."""
        with np.errstate(invalid="ignore"):
            bad = ~np.isfinite(self.losses) | (self.losses > 10 * self.losses[:, :1])
        return bad.any(axis=1)


def _taus(clip: Any, k: int) -> np.ndarray:
    """One threshold per network: None and inf mean no clipping; NaN, 0, negatives and non-numbers are refused."""
    if clip is None:
        return np.full(k, np.inf)
    values = [clip] * k if np.ndim(clip) == 0 else list(clip)
    if len(values) != k:
        raise ValueError(f"clip must be None, one threshold or one per seed ({k}), got {len(values)} values")
    taus = np.array([np.inf if v is None else check_scalar(v, "clip", low=0.0, low_inclusive=False, allow_inf=True)
                     for v in values])
    return taus


def train_adding(seeds: Sequence[int] = (0,), *, clip: Any = None, optimizer: str = "sgd",
                 learning_rate: float = 0.1, momentum: float = 0.9, n_updates: int = 300, seq_len: int = 30,
                 hidden: int = 16, batch_size: int = 20, recurrent_scale: float = 1.0,
                 dtype: Any = np.float32) -> AddingRun:
    """Train one tanh RNN per seed on the adding problem, all in one vectorised loop.

    Parameters
    ----------
    seeds : sequence of int
        One network per entry. A seed fixes both the initial weights and the
        batches, so two networks with the same seed differ only in ``clip``.
    clip : None, float or sequence of float
        The global-norm threshold tau > 0, for every network or one per seed;
        None or ``inf`` means no clipping (NaN is refused, not read as "no clipping").
    optimizer : {"sgd", "momentum", "adam"}
        The update applied to the (clipped) gradient. ``momentum`` is the
        momentum coefficient mu, and Adam's beta1 (its beta2 is 0.999).
    learning_rate : float
        eta.
    n_updates, seq_len, hidden, batch_size : int
        Training steps, sequence length T, hidden size H and batch size.
    recurrent_scale : float
        The singular values of the initial ``W_hh`` (:func:`~gnlib.models.vector_rnn.init_rnn`).
    dtype : numpy dtype, default float32
        A floating-point dtype.

    Returns
    -------
    AddingRun
        A network whose loss, gradient or parameters overflow stops there,
        with ``diverged`` set (see :class:`AddingRun`); no overflow warning is printed.

    Raises
    ------
    TypeError
        If ``seeds`` is not a sequence of integers, ``dtype`` is not a
        floating-point dtype, or another argument has the wrong type.
    ValueError
        If ``seeds`` is empty, ``clip`` is NaN, not positive or has the wrong
        length, or a number is out of range.

    Examples
    --------
    >>> run = train_adding([0, 0], clip=[None, 1.0], n_updates=5, seq_len=6, hidden=4)
    >>> run.losses.shape, run.clipped.shape, run.dh_norms.shape
    ((2, 5), (2, 5), (5, 6, 2))
    >>> blown = train_adding([0], learning_rate=5.0, n_updates=50, seq_len=10, hidden=4)
    >>> blown.diverged.tolist(), blown.n_steps.tolist(), bool(np.isnan(blown.losses[0, -1]))
    ([True], [12], True)
    """
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
        raise TypeError(f"seeds must be a sequence of integers, got {type(seeds).__name__} {seeds!r}")
    seeds = [check_int(s, "seeds") for s in seeds]
    if not seeds:
        raise ValueError("seeds must name at least one network")
    if not isinstance(optimizer, str) or optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {optimizer!r}")
    k = len(seeds)
    taus = _taus(clip, k)
    learning_rate = check_scalar(learning_rate, "learning_rate", low=0.0, low_inclusive=False)
    momentum = check_scalar(momentum, "momentum", low=0.0, high=1.0, high_inclusive=False)
    n_updates = check_int(n_updates, "n_updates", low=1, high=MAX_STEPS)
    seq_len = check_int(seq_len, "seq_len", low=2, high=MAX_SAMPLES)
    batch_size = check_int(batch_size, "batch_size", low=1, high=MAX_SAMPLES)
    hidden = check_int(hidden, "hidden", low=1, high=MAX_WIDTH)
    check_total(len(seeds) * (seq_len + 1) * batch_size * max(hidden, 2), "seq_len, batch_size, hidden and seeds",
                "the hidden states of one update")
    dtype = float_dtype(dtype)
    inits = [init_rnn(hidden, 2, rng=np.random.default_rng(s), recurrent_scale=recurrent_scale, dtype=dtype)
             for s in seeds]
    params = {name: np.stack([m[name] for m in inits]) for name in PARAM_NAMES}
    arrays = [params[name] for name in PARAM_NAMES]
    opt = make_optimizer(optimizer, arrays, learning_rate, momentum)
    distinct = sorted(set(seeds))
    data_rngs = {s: np.random.default_rng([s, 1]) for s in distinct}
    which = np.array([distinct.index(s) for s in seeds])
    losses = np.full((k, n_updates), np.nan)
    norms = np.full((k, n_updates), np.nan)
    dh_all = np.full((n_updates, seq_len, k), np.nan)
    diverged, n_taken = np.zeros(k, dtype=bool), np.full(k, n_updates)
    # tiny matrices: BLAS threads only add overhead; overflow of a diverging run is recorded, not warned
    with threadpool_limits(limits=1, user_api="blas"), np.errstate(over="ignore", invalid="ignore"):
        for step in range(n_updates):
            batches = [adding_problem(batch_size, seq_len, data_rngs[s], dtype) for s in distinct]
            x = np.stack([b[0] for b in batches])[which]
            target = np.stack([b[1] for b in batches])[which]
            loss, grads, dh = rnn_loss_and_grads(params, x, target, on_overflow="keep")
            total = model_norms(grads, n_lead=1)
            losses[:, step], norms[:, step], dh_all[step] = loss, total, dh
            losses[diverged, step], norms[diverged, step], dh_all[step][:, diverged] = np.nan, np.nan, np.nan
            coef = np.where(total > taus, taus / np.where(total > 0, total, 1.0), 1.0)
            scaled = [grads[name] * coef.reshape((k,) + (1,) * (grads[name].ndim - 1)).astype(dtype)
                      for name in PARAM_NAMES]
            before = [a.copy() for a in arrays]
            opt.step(scaled)
            finite = np.isfinite(loss) & np.isfinite(total)
            for a in arrays:
                finite &= np.isfinite(a.reshape(k, -1)).all(axis=1)
            stop = ~diverged & ~finite
            diverged |= stop
            n_taken[stop] = step
            for a, b in zip(arrays, before):
                a[diverged] = b[diverged]  # a diverged network keeps its last finite parameters
            if diverged.all():
                break
    settings = dict(seeds=seeds, clip=taus.tolist(), optimizer=optimizer, learning_rate=learning_rate,
                    momentum=momentum, n_updates=n_updates, seq_len=seq_len, hidden=hidden,
                    batch_size=batch_size, recurrent_scale=recurrent_scale)
    return AddingRun(losses, norms, norms > taus[:, None], dh_all, params, settings, diverged, n_taken)
