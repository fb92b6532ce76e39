"""The predictions the lessons ask for, with their answers (used by :mod:`gnlib.widgets.prediction`).

Each entry is ``key: (question, [(prompt, options, index of the answer), ...], explanation)``.
The numbers in the explanations are the ones the lessons print; ``tests/test_widgets_prediction.py``
recomputes them with gnlib.
"""

from __future__ import annotations

__all__ = ["QUESTIONS"]

_GD_VERDICTS = ("converges smoothly", "converges, zig-zagging", "bounces between two points", "diverges")

QUESTIONS: dict[str, tuple[str, list[tuple[str, tuple[str, ...], int]], str]] = {
    "00-learning-rate": (
        "Gradient descent on J(θ) = θ² multiplies θ by (1 − 2η) at every step. "
        "What does it do for each learning rate?",
        [("η = 0.45:", _GD_VERDICTS, 0), ("η = 0.7:", _GD_VERDICTS, 1), ("η = 1.05:", _GD_VERDICTS, 3)],
        "The factors 1 − 2η are 0.1, −0.4 and −1.1. A factor of size below 1 shrinks θ at every step; "
        "a negative factor (η > ½) also flips its sign, so the iterates zig-zag across the minimum; a factor "
        "of size above 1 (η > 1) makes every step overshoot further. At η = 1 the factor is −1: θ bounces "
        "between +θ₀ and −θ₀ forever.",
    ),
    "01-unit-ball": (
        "The explorable moves p from 1 to ∞ and keeps the vector x = (1.2, 0.6) fixed.",
        [("The unit ball {x : ‖x‖ₚ ≤ 1}:", ("shrinks", "stays the same", "grows"), 2),
         ("The norm ‖x‖ₚ:", ("rises", "stays the same", "falls"), 2)],
        "The diamond |x₁| + |x₂| ≤ 1 (p = 1) lies inside the disc (p = 2), which lies inside the square "
        "max |xᵢ| ≤ 1 (p = ∞): the ball grows with p. A larger ball needs less blowing up to reach x, "
        "so ‖x‖ₚ falls, from ‖x‖₁ = 1.8 through ‖x‖₂ = 1.342 to ‖x‖∞ = 1.2.",
    ),
    "02-gradient-field": (
        "The next cell draws ∇f(θ) as an arrow at every point of a grid over the hill and the pit.",
        [("Near the pit, the arrows point", ("into the pit", "out of the pit", "along the contour lines"), 1)],
        "The gradient points in the direction of steepest <b>ascent</b>. Around the bottom of a pit, uphill "
        "is away from the bottom, so the arrows point out of it (and around the hill, towards its top). "
        "They cross the contour lines at right angles.",
    ),
    "02-direction": (
        "At θ = (0, 0) the gradient is ∇f = (−0.5385, +0.3052), printed at the start of the lesson. "
        "Turn the unit vector u = (cos φ, sin φ) once around.",
        [("D_u f is largest at φ ≈", ("0°", "90°", "150°", "180°", "330°"), 2),
         ("Its largest value is", ("0.539 = |∂f/∂θ₁|", "0.619 = ‖∇f‖", "0.844 = |∂f/∂θ₁| + |∂f/∂θ₂|",
                                   "1, since u is a unit vector"), 1),
         ("D_u f = 0 at φ ≈", ("0° and 180°", "60° and 240°", "90° and 270°", "150° and 330°"), 1)],
        "D_u f = ∇f·u = ‖∇f‖ cos α, with α the angle between ∇f and u. It is largest along ∇f itself, "
        "whose angle is atan2(0.3052, −0.5385) = 150.5°, and its largest value is ‖∇f‖ = 0.619. It is 0 "
        "at right angles to ∇f, at 60.5° and 240.5°: the direction of the contour line.",
    ),
    "03-cliff": (
        "From (w, b) = (5.0, −2.6124) the first gradient has norm 828. The explorable runs plain and "
        "clipped gradient descent for 100 steps.",
        [("With η = 0.5 and τ = 1000, clipped GD", ("converges, as with τ = 1", "is thrown onto the plateau "
          "like plain GD", "does not move"), 1),
         ("With η = 0.05, the smallest η on the slider, plain GD", ("walks down into the valley",
          "is still thrown far off the wall"), 1)],
        "Clipping acts only when ‖g‖ > τ. With τ = 1000 > 828 the first gradient is left as it is, so the "
        "clipped run takes plain GD's step of 0.5 × 828 = 414 and the two runs coincide. A smaller η shrinks "
        "every step alike: at η = 0.05 the first step is still 0.05 × 828 ≈ 41 long, far past the valley. An η "
        "small enough for the wall would make the ordinary steps, where ‖g‖ is 1e-3 to 1e-1, negligible.",
    ),
    "06-dirac": (
        "The Dirac-GAN with f′(0) = 0.5 and the zero-centred penalty γ has the Jacobian "
        "J = [[0, −f′(0)], [f′(0), −γ]] at its equilibrium. Use the rules above, before the table below.",
        [("Complex eigenvalues (rotation) for", ("no γ", "γ < 1 = 2f′(0)", "every γ"), 1),
         ("A negative real part for", ("no γ", "every γ > 0", "γ > 1 only"), 1),
         ("With γ = 0, one step of simultaneous GD (η = 0.2)", ("shrinks the distance", "keeps it",
                                                                  "grows it"), 2)],
        "The eigenvalues solve λ² + γλ + f′(0)² = 0, so λ = (−γ ± √(γ² − 4f′(0)²))/2: complex for γ < 2f′(0) "
        "= 1, with real part −γ/2 < 0 for every γ > 0 (for γ ≥ 1 both real roots are negative too, e.g. −1.309 "
        "and −0.191 at γ = 1.5). At γ = 0 they are ±0.5i, pure rotation, and a step of size η multiplies the "
        "distance by |1 + 0.5iη| = √(1 + η²/4) = 1.005 at η = 0.2: it spirals out.",
    ),
}
