"""Adam and RMSProp for lists of numpy arrays, updated in place.

Used by :mod:`gnlib.models.gan` to train the critic and generator MLPs. Adam keeps
running averages of the gradient (``m``) and of its square (``v``)::

    m <- beta1 m + (1 - beta1) g,    v <- beta2 v + (1 - beta2) g^2
    theta <- theta - eta * m_hat / (sqrt(v_hat) + eps)

with the bias corrections ``m_hat = m / (1 - beta1^t)``, ``v_hat = v / (1 - beta2^t)``.
RMSProp (used by the original WGAN with weight clipping) keeps only ``v``.

Range. Squaring a gradient overflows long before the gradient does (``g^2`` is
``inf`` for ``|g| > 1.3e154`` in float64, ``1.8e19`` in float32). PyTorch squares
directly, so there ``v`` becomes ``inf`` and the step is silently zero. Here an
array whose gradient is that large (or an ``eps`` or ``learning_rate`` far from
1) switches for good to a wide form: ``sqrt(v)`` kept in float64 and updated
with ``hypot``, so the step stays correct (Adam's first step is ``eta sign(g)``
for any finite ``g``). In the usual range the arithmetic is exactly the
formulas above in the parameters' dtype.

A NaN or infinite gradient entry makes its parameter entry NaN or infinite, as
in PyTorch: the caller decides what a diverged run means. A finite update whose
result leaves the float range raises ``ValueError`` and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from ._validation import as_float_array, check_scalar

__all__ = ["Adam", "RMSProp"]

_MAX64 = float(np.finfo(np.float64).max)
# Where the plain formulas are exact to rounding: |g|, eps and eta inside these
# bounds keep every square and product of a step inside the dtype's normal range.
_PLAIN_RANGE = {
    np.dtype(np.float32): {"grad": 2.0**60, "eps": (2.0**-39, 2.0**60), "lr": (2.0**-100, 2.0**60)},
    np.dtype(np.float64): {"grad": 2.0**500, "eps": (2.0**-458, 2.0**500), "lr": (2.0**-1000, 2.0**500)},
}


def _check_params(params: Iterable[np.ndarray]) -> list[np.ndarray]:
    """The arrays to update in place, as a list, or a TypeError/ValueError naming ``params``."""
    if isinstance(params, np.ndarray):
        raise TypeError("params must be a list of numpy arrays (each updated in place), got one numpy "
                        "array; wrap it in a list: [theta]")
    if isinstance(params, (str, bytes, Mapping)) or not isinstance(params, Iterable):
        hint = "; pass list(params.values())" if isinstance(params, Mapping) else ""
        raise TypeError(f"params must be a list of numpy arrays, got {type(params).__name__}{hint}")
    params = list(params)
    if not params:
        raise ValueError("params must hold at least one array, got an empty list")
    for i, p in enumerate(params):
        if not isinstance(p, np.ndarray):
            raise TypeError(f"params[{i}] must be a numpy array (it is updated in place), got {type(p).__name__}")
        if p.dtype not in _PLAIN_RANGE:
            raise TypeError(f"params[{i}] must have dtype float32 or float64, got {p.dtype}")
        if not p.flags.writeable:
            raise ValueError(f"params[{i}] must be writeable, got a read-only array")
        if not np.isfinite(p).all():
            raise ValueError(f"params[{i}] must be finite, got a NaN or inf entry")
        for j in range(i):
            if np.may_share_memory(p, params[j]) and np.shares_memory(p, params[j]):
                raise ValueError(f"params[{j}] and params[{i}] share memory; each array must appear once")
    return params


def _check_grads(params: Sequence[np.ndarray], grads: Any) -> list[np.ndarray]:
    """One real array per parameter, of its shape, or a TypeError/ValueError naming ``grads``."""
    if isinstance(grads, np.ndarray):
        raise TypeError("grads must be a list with one array per parameter, got one numpy array; "
                        "wrap it in a list: [g]")
    if isinstance(grads, (str, bytes)) or not isinstance(grads, Iterable):
        raise TypeError(f"grads must be a list with one array per parameter, got {type(grads).__name__}")
    grads = list(grads)
    if len(grads) != len(params):
        raise ValueError(f"grads must have one array per parameter ({len(params)}), got {len(grads)}")
    checked = []
    for i, (p, g) in enumerate(zip(params, grads)):
        arr = as_float_array(g, f"grads[{i}]")  # refuses extended precision (longdouble) too
        if arr.shape != p.shape:
            raise ValueError(f"grads[{i}] must have the shape of params[{i}], {p.shape}, got {arr.shape}")
        checked.append(arr)
    return checked


def _check_eps(eps: Any) -> float:
    eps = check_scalar(eps, "eps", low=0.0, low_inclusive=False)  # 0 would give 0/0 at a zero gradient
    if eps < np.finfo(np.float64).tiny:
        raise ValueError(f"eps must be at least 2.2e-308 (the smallest normal float64), got {eps:g}")
    return eps


def _clamp_overflow(x: np.ndarray, *inputs: np.ndarray) -> np.ndarray:
    """Replace an ``inf`` that only rounding made (every input finite) by the largest float64."""
    if np.isfinite(x).all():
        return x
    finite_inputs = np.logical_and.reduce([np.isfinite(a) for a in inputs])
    return np.where(np.isinf(x) & finite_inputs, np.copysign(_MAX64, x), x)


def _ratio(m_hat_num: np.ndarray, c1: float, root_v: np.ndarray, c2_root: float, eps: float) -> np.ndarray:
    """``(m / c1) / (root_v / c2_root + eps)`` in float64; a quarter scale where a term reaches the float limit."""
    numerator, denominator = m_hat_num / c1, root_v / c2_root + eps
    if np.isinf(numerator).any() or np.isinf(denominator).any():
        numerator, denominator = (0.25 * m_hat_num) / c1, (0.25 * root_v) / c2_root + 0.25 * eps
    return numerator / denominator


class _InPlaceOptimizer:
    """Checks and the all-or-nothing step shared by Adam and RMSProp."""

    def __init__(self, params: Iterable[np.ndarray], learning_rate: float, eps: float) -> None:
        self.params = _check_params(params)
        self.learning_rate = check_scalar(learning_rate, "learning_rate", low=0.0, low_inclusive=False)
        self.eps = _check_eps(eps)
        self.t = 0

    def _plain(self, p: np.ndarray, g: np.ndarray) -> bool:
        """True if the textbook formulas are exact to rounding for this array and gradient."""
        bounds = _PLAIN_RANGE[p.dtype]
        return (bounds["eps"][0] <= self.eps <= bounds["eps"][1]
                and bounds["lr"][0] <= self.learning_rate <= bounds["lr"][1]
                and not (g.size and float(np.max(np.abs(g))) > bounds["grad"]))

    def step(self, grads: Sequence[np.ndarray]) -> None:
        """One update of every parameter with its gradient; on an error nothing changes.

        Raises
        ------
        TypeError
            If ``grads`` is not a list of real arrays (None, strings, complex).
        ValueError
            If ``grads`` has the wrong length or an array the wrong shape, or
            if a finite update would leave the float range.
        """
        grads = _check_grads(self.params, grads)
        t = self.t + 1
        with np.errstate(all="ignore"):  # NaN gradients propagate; overflow is checked below
            updates = [self._update(i, p, g, t) for i, (p, g) in enumerate(zip(self.params, grads))]
        for i, (p, g, (new_p, _)) in enumerate(zip(self.params, grads, updates)):
            if not np.isfinite(new_p).all() and (np.isfinite(p) & np.isfinite(g) & ~np.isfinite(new_p)).any():
                raise ValueError(f"the update of params[{i}] leaves the float range (learning_rate="
                                 f"{self.learning_rate:g}); nothing was changed")
        self.t = t
        for p, (new_p, state) in zip(self.params, updates):
            p[...] = new_p
            self._commit(state)


class Adam(_InPlaceOptimizer):
    """Adam (Kingma & Ba 2015) over a fixed list of arrays.

    Parameters
    ----------
    params : list of numpy.ndarray
        The arrays to update in place (e.g. ``MLP.params``): float32 or
        float64, writeable, finite, each distinct. One bare array is refused
        (wrap it: ``[theta]``).
    learning_rate : float, default 1e-4
        eta, finite and > 0.
    betas : (float, float), default (0.5, 0.9)
        WGAN-GP's toy-code values (the paper's Algorithm 1 uses beta1 = 0); each in [0, 1).
    eps : float, default 1e-8
        Added to ``sqrt(v_hat)``; finite and at least 2.2e-308 (not 0).

    Raises
    ------
    TypeError
        If ``params`` is not a list of float32/float64 arrays, or ``betas`` is
        not a pair of numbers.
    ValueError
        If an argument is out of range, or a parameter is read-only, not
        finite, or shares memory with another.

    Examples
    --------
    >>> theta = np.array([1.0])
    >>> opt = Adam([theta], learning_rate=0.1)
    >>> opt.step([np.array([5.0])]); theta          # first step has length eta
    array([0.9])
    >>> big = np.array([1.0, 1.0])
    >>> Adam([big], learning_rate=0.1).step([np.array([1e200, -1e200])]); big   # eta sign(g)
    array([0.9, 1.1])
    """

    def __init__(self, params: Iterable[np.ndarray], learning_rate: float = 1e-4,
                 betas: tuple[float, float] = (0.5, 0.9), eps: float = 1e-8) -> None:
        super().__init__(params, learning_rate, eps)
        if isinstance(betas, (str, bytes)) or not isinstance(betas, Iterable):
            raise TypeError(f"betas must be a pair (beta1, beta2), got {type(betas).__name__} {betas!r}")
        betas = tuple(betas)
        if len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {len(betas)} values {betas!r}")
        self.beta1 = check_scalar(betas[0], "betas[0]", low=0.0, high=1.0, high_inclusive=False)
        self.beta2 = check_scalar(betas[1], "betas[1]", low=0.0, high=1.0, high_inclusive=False)
        # per array: [m, v] in the parameter's dtype, or [m, sqrt(v)] in float64 once wide
        self._state = [[np.zeros_like(p), np.zeros_like(p), False] for p in self.params]

    @property
    def m(self) -> list[np.ndarray]:
        """The first-moment estimates, one array per parameter (float64 for a wide array)."""
        return [s[0] for s in self._state]

    @property
    def v(self) -> list[np.ndarray]:
        """The second-moment estimates (``inf`` where a wide array's ``v`` exceeds the float range)."""
        with np.errstate(over="ignore"):
            return [s[1] * s[1] if s[2] else s[1] for s in self._state]

    def _update(self, i: int, p: np.ndarray, g: np.ndarray, t: int) -> tuple[np.ndarray, tuple]:
        m, v, wide = self._state[i]
        b1, b2, lr = self.beta1, self.beta2, self.learning_rate
        c1 = 1.0 - b1 ** t
        c2 = 1.0 - b2 ** t
        if not wide and self._plain(p, g):  # the textbook formulas, in the parameter's dtype
            m, v, new_p = m.copy(), v.copy(), p.copy()
            m *= b1
            m += (1.0 - b1) * g
            v *= b2
            v += (1.0 - b2) * g * g
            new_p -= lr * (m / c1) / (np.sqrt(v / c2) + self.eps)
            return new_p, (i, m, v, False)
        if not wide:
            m, v = m.astype(np.float64), np.sqrt(v.astype(np.float64))
        g = g.astype(np.float64)
        m = _clamp_overflow(b1 * m + (1.0 - b1) * g, m, g)
        root_v = _clamp_overflow(np.hypot(np.sqrt(b2) * v, np.sqrt(1.0 - b2) * g), v, g)
        step = lr * _ratio(m, c1, root_v, np.sqrt(c2), self.eps)
        return (p.astype(np.float64) - step).astype(p.dtype), (i, m, root_v, True)

    def _commit(self, state: tuple) -> None:
        self._state[state[0]] = list(state[1:])


class RMSProp(_InPlaceOptimizer):
    """RMSProp with decay 0.9 and no momentum, over a list of arrays.

    ``v <- decay v + (1 - decay) g^2``, ``theta <- theta - eta g / (sqrt(v) + eps)``:
    ``eps`` is added outside the square root, as in ``torch.optim.RMSprop``
    (TensorFlow 1 added it inside).

    Parameters
    ----------
    params : list of numpy.ndarray
        As for :class:`Adam`.
    learning_rate : float, default 5e-5
        eta, finite and > 0.
    decay : float, default 0.9
        In [0, 1).
    eps : float, default 1e-10
        Finite and at least 2.2e-308.

    Raises
    ------
    TypeError, ValueError
        As for :class:`Adam`.

    Examples
    --------
    >>> theta = np.array([1.0])
    >>> RMSProp([theta], learning_rate=0.01).step([np.array([2.0])])
    >>> bool(theta[0] < 1.0)
    True
    """

    def __init__(self, params: Iterable[np.ndarray], learning_rate: float = 5e-5,
                 decay: float = 0.9, eps: float = 1e-10) -> None:
        super().__init__(params, learning_rate, eps)
        self.decay = check_scalar(decay, "decay", low=0.0, high=1.0, high_inclusive=False)
        self._state = [[np.zeros_like(p), False] for p in self.params]  # v, or sqrt(v) in float64 once wide

    @property
    def v(self) -> list[np.ndarray]:
        """The running averages of ``g^2`` (``inf`` where a wide array's exceeds the float range)."""
        with np.errstate(over="ignore"):
            return [s[0] * s[0] if s[1] else s[0] for s in self._state]

    def _update(self, i: int, p: np.ndarray, g: np.ndarray, t: int) -> tuple[np.ndarray, tuple]:
        v, wide = self._state[i]
        decay, lr = self.decay, self.learning_rate
        if not wide and self._plain(p, g):
            v, new_p = v.copy(), p.copy()
            v *= decay
            v += (1.0 - decay) * g * g
            new_p -= lr * g / (np.sqrt(v) + self.eps)
            return new_p, (i, v, False)
        if not wide:
            v = np.sqrt(v.astype(np.float64))
        g = g.astype(np.float64)
        root_v = _clamp_overflow(np.hypot(np.sqrt(decay) * v, np.sqrt(1.0 - decay) * g), v, g)
        step = lr * _ratio(g, 1.0, root_v, 1.0, self.eps)
        return (p.astype(np.float64) - step).astype(p.dtype), (i, root_v, True)

    def _commit(self, state: tuple) -> None:
        self._state[state[0]] = list(state[1:])
