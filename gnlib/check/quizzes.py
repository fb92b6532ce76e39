"""The self-check questions that close each lesson (see :mod:`gnlib.check.quiz`).

Numeric answers are written as the computation that produces them, and the
tests recompute them with gnlib, so an answer key cannot silently drift.
"""

from __future__ import annotations

import math

from .quiz import Question, SelfCheck, self_check

__all__ = ["QUIZZES", "lesson_quiz"]

QUIZZES: dict[str, tuple[Question, ...]] = {
    "00": (
        Question("Gradient descent on J(θ) = θ² multiplies θ by (1 − 2η) at every step. For which learning "
                 "rates η does it converge?", 1,
                 "It converges exactly when |1 − 2η| < 1, that is 0 < η < 1; for η > 1/2 it zig-zags across "
                 "the minimum on the way.",
                 options=("0 < η < 1/2 only", "0 < η < 1", "every η > 0")),
        Question("With η = 0.7, by what factor does the distance to the minimum shrink at each step?",
                 abs(1 - 2 * 0.7),
                 "|1 − 2 · 0.7| = 0.4: the sign flips every step (zig-zag) and the size shrinks by 0.4."),
        Question("The step gradient descent takes is η ∇J(θ). What else besides η sets its length?", 0,
                 "The gradient's norm ‖∇J(θ)‖: the step is η times it. The rest of the course is about that norm.",
                 options=("the gradient's norm ‖∇J(θ)‖", "the loss J(θ)", "nothing: every step has length η")),
    ),
    "01": (
        Question("What is the Euclidean norm ‖(3, −4, 12)‖₂?", math.sqrt(9 + 16 + 144),
                 "√(9 + 16 + 144) = √169 = 13."),
        Question("What does <code>numpy.linalg.norm([3e200, 4e200])</code> return in float64?", 1,
                 "It squares first: (3e200)² = 9e400 overflows to inf, so the norm is inf although the "
                 "true value 5e200 is representable. gnlib.l2_norm rescales by a power of two first.",
                 options=("5e200", "inf", "0.0", "it raises an error")),
        Question("Which chain of inequalities holds for every vector x?", 0,
                 "The largest entry is at most the Euclidean length, which is at most the sum of absolute "
                 "values (and ‖x‖₁ ≤ √n ‖x‖₂).",
                 options=("‖x‖∞ ≤ ‖x‖₂ ≤ ‖x‖₁", "‖x‖₁ ≤ ‖x‖₂ ≤ ‖x‖∞", "‖x‖₂ ≤ ‖x‖∞ ≤ ‖x‖₁")),
        Question("Two gradient arrays, g₁ = (1, 2) and g₂ = (2). What is their global norm?", 3.0,
                 "The global norm is the norm of all entries together: √(1 + 4 + 4) = 3."),
    ),
    "02": (
        Question("The gradient ∇f(x) points in the direction of …", 1,
                 "… steepest ascent. Its negative, −∇f(x), is the direction of steepest descent, which is "
                 "why gradient descent subtracts it.",
                 options=("steepest descent", "steepest ascent", "the nearest minimum", "no change in f")),
        Question("f(x, y) = x² + 3y. What is the directional derivative at (1, 2) along u = (0.6, 0.8)?",
                 2 * 1 * 0.6 + 3 * 0.8,
                 "D_u f = ∇f · u = (2x, 3) · u = (2, 3) · (0.6, 0.8) = 1.2 + 2.4 = 3.6."),
        Question("For the same f at (1, 2), what is the largest directional derivative over all unit vectors u?",
                 math.hypot(2, 3),
                 "The largest directional derivative is ‖∇f‖ = ‖(2, 3)‖ = √13 ≈ 3.606, reached when u points "
                 "along the gradient."),
        Question("Central differences (f(x+h) − f(x−h)) / 2h have a truncation error of order …", 1,
                 "The h terms cancel, leaving O(h²); forward differences are only O(h). Round-off adds "
                 "O(ε/h), so h cannot be made arbitrarily small.",
                 options=("h", "h²", "1/h", "ε (machine precision)")),
    ),
    "03": (
        Question("Global-norm clipping with τ = 1 rescales the gradient list (g₁, g₂) = ((30, −40), (0.1, 0.2)). "
                 "What happens to the ratio ‖g₁‖ / ‖g₂‖?", 0,
                 "One common factor τ/‖g‖ multiplies every array, so the ratio, and the direction of the whole "
                 "update, are kept. Clipping each array by its own norm would shrink g₁ from 50 to 1 and leave g₂ "
                 "(norm 0.22) alone: the update would turn towards g₂.",
                 options=("it stays the same", "it becomes 1 (both arrays end with norm τ)", "it grows")),
        Question("Clip g = (3, 4) by norm with threshold τ = 1. What is the first entry of the result?", 3 / 5,
                 "‖g‖ = 5 > τ, so g becomes g·τ/‖g‖ = (0.6, 0.8): same direction, length τ."),
        Question("Clip g = (3, 0.5) by value with threshold 1. What happens to its direction?", 1,
                 "Element-wise clipping gives (1, 0.5): the first entry shrank, the second did not, so the "
                 "direction changed. Clipping by norm would keep it.",
                 options=("it is kept", "it changes", "the gradient becomes zero")),
        Question("What does PyTorch's <code>clip_grad_norm_</code> return?", 1,
                 "The total norm measured before clipping (as tf.clip_by_global_norm does); it clips the "
                 ".grad tensors in place.",
                 options=("the total norm after clipping", "the total norm before clipping",
                          "the clipping coefficient", "nothing")),
        Question("Linear recurrence x_t = w x_{t−1}, x₀ = 1, w = 1.1. What is dx_T/dw for T = 50?",
                 50 * 1.1**49,
                 "dx_T/dw = T x₀ w^(T−1) = 50 · 1.1⁴⁹ ≈ 5.3e3: the gradient grows exponentially in T when |w| > 1."),
    ),
    "03b": (
        Question("In a training step with clipping, where does the clipping go?", 1,
                 "Between the backward pass and the optimizer: clip the gradient g, then let SGD, momentum or "
                 "Adam use the clipped g. (PyTorch: loss.backward(); clip_grad_norm_(...); optimizer.step().)",
                 options=("before the backward pass", "after the backward pass, before the optimizer's step",
                          "after the optimizer's step, on the parameters")),
        Question("SGD with momentum μ = 0.9 and η = 0.1 gets gradients clipped to τ = 1 before the update. "
                 "What is the longest step ‖Δθ‖ it can ever take?", 0.1 * 1.0 / (1 - 0.9),
                 "The velocity v ← μv + g is a sum of clipped gradients, each of norm at most τ, so "
                 "‖v‖ ≤ τ(1 + μ + μ² + …) = τ/(1 − μ) and the step η‖v‖ ≤ ητ/(1 − μ) = 0.1 · 1 / 0.1 = 1."),
        Question("Adam divides each coordinate by √v, so one huge gradient cannot make its own step huge. "
                 "Why clip before Adam anyway?", 2,
                 "The spike enters v as (1 − β₂)g²; with β₂ = 0.999, v forgets it only over about a thousand "
                 "steps, and every step in between is divided by its square root: training all but stops.",
                 options=("Adam cannot take gradients above 1", "clipping makes Adam's steps exactly η",
                          "a spike stays in v and shrinks the following steps for about 1/(1 − β₂) steps")),
        Question("At one update of the unclipped run, ‖g‖ ≈ 8 × 10² while ‖∂E/∂h₁‖/‖∂E/∂h_T‖ ≈ 10⁻²¹. "
                 "What does this show?", 0,
                 "The total norm can explode (here through the readout and the weights) while the components "
                 "that carry information across many time steps vanish: watch the per-step norms, not only ‖g‖.",
                 options=("a huge total gradient norm can hide vanishing long-range gradients",
                          "the gradient explodes along the time steps", "the finite-difference check failed")),
    ),
    "04": (
        Question("Normalized gradient descent divides the gradient by …", 1,
                 "… the norm of the gradient, ‖∇J(θ)‖, so every step has length η. Dividing by the loss ‖J‖ "
                 "would be a different (and dimensionally odd) method.",
                 options=("‖J(θ)‖", "‖∇J(θ)‖", "‖θ‖", "η")),
        Question("With η = 0.1 and a non-zero gradient, how long is every NGD step?", 0.1,
                 "θ moves by η ∇J/‖∇J‖, a vector of length exactly η."),
        Question("NGD with constant η = 0.1 on J(θ) = θ² from θ₀ = 1.05 ends …", 1,
                 "Steps never shrink: after ten steps of 0.1 θ = 0.05, then it jumps to −0.05 and back for ever, a "
                 "cycle of width η around 0. Whether NGD hits the minimum depends on θ₀ and η (from 1.05, "
                 "η = 0.05, 0.15 or 0.35 would land exactly on 0). A decaying η_t (e.g. η₀/√(t+1)) removes the cycle.",
                 options=("exactly at 0", "in a cycle between 0.05 and −0.05", "diverging to infinity")),
        Question("Far from the optimum, where ‖∇J‖ ≫ τ, clipped GD with learning rate η behaves like …", 1,
                 "There every gradient is rescaled to length τ, so each step has length ητ: normalized GD. "
                 "Near the optimum, where ‖∇J‖ ≤ τ, it is plain GD.",
                 options=("GD with learning rate η", "NGD with step length η·τ", "it stops moving")),
    ),
    "05": (
        Question("The WGAN-GP penalty is …", 1,
                 "λ E[(‖∇ₓD(x̂)‖ − 1)²]: the critic's gradient with respect to its input, at interpolates "
                 "x̂ between real and generated samples. It is not a penalty on ‖∇_θ J‖².",
                 options=("λ‖∇_θ J(θ)‖² on the critic's parameters",
                          "λ E[(‖∇ₓD(x̂)‖ − 1)²] on the critic's input gradient at interpolates",
                          "a clip of the critic's weights to ±c")),
        Question("The gradient penalty is added to …", 1,
                 "… the critic's loss only. The generator's loss is unchanged (−E[D(G(z))]).",
                 options=("the generator's loss", "the critic's loss only", "both losses")),
        Question("f is 1-Lipschitz and ‖x − y‖ = 0.5. What is the largest possible |f(x) − f(y)|?", 0.5,
                 "1-Lipschitz means |f(x) − f(y)| ≤ 1 · ‖x − y‖; for differentiable f this is ‖∇f‖ ≤ 1 everywhere."),
        Question("Which penalty favours flat minima of the training loss?", 0,
                 "λ‖∇_θ J(θ)‖² penalizes steep slopes of the loss in parameter space; the input-gradient "
                 "penalty of WGAN-GP bounds how fast the critic changes with its input x instead.",
                 options=("λ‖∇_θ J(θ)‖², on the parameter gradient",
                          "λ E[(‖∇ₓD(x̂)‖ − 1)²], on the input gradient", "both equally")),
    ),
    "06": (
        Question("Dirac-GAN with f(t) = −log(1 + e^{−t}): the zero-centred penalty γψ²/2 converges fastest at "
                 "γ = 2 f′(0). What is that γ?", 2 * 0.5,
                 "f′(t) = 1/(1 + eᵗ), so f′(0) = 1/2 and the critical γ is 1."),
        Question("The Jacobian at an equilibrium has eigenvalues −0.1 ± 0.5i. What do the iterates of the "
                 "continuous dynamics do near it?", 1,
                 "The imaginary part 0.5 makes them rotate, the negative real part −0.1 makes them shrink: "
                 "they spiral in. (Gradient steps of size η also need |1 + ηλ| < 1.)",
                 options=("circle forever", "spiral in", "spiral out", "move straight in")),
        Question("A critic is trained with weight clipping at c = 0.01 (width 32). Its mean ‖∇ₓD(x̂)‖ at the "
                 "interpolates is about …", 0,
                 "Each layer's gain is at most c × width = 0.32 here, so three layers shrink the gradient to "
                 "around 10⁻⁵: far from the norm 1 that a 1-Lipschitz critic could use.",
                 options=("10⁻⁵", "1", "10³")),
    ),
}


def lesson_quiz(lesson: str) -> SelfCheck:
    """The self-check widget for a lesson: ``"00"`` ... ``"06"``, or ``"03b"``.

    Raises
    ------
    ValueError
        If there is no quiz for ``lesson``.
    """
    if lesson not in QUIZZES:
        raise ValueError(f"lesson must be one of {sorted(QUIZZES)}, got {lesson!r}")
    return self_check(QUIZZES[lesson], title=f"Check your understanding (lesson {lesson})")
