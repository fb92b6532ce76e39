"""Predict, then reveal: the prediction widget, driven without a browser."""

import html
import math

import numpy as np
import pytest

from gnlib import l2_norm
from gnlib.functions import hill_and_pit
from gnlib.norms import lp_norm
from gnlib.widgets import Prediction, PredictionItem, describe_learning_rate, prediction
from gnlib.widgets.prediction_questions import QUESTIONS


@pytest.mark.parametrize("key", sorted(QUESTIONS))
def test_every_prediction_hides_its_answer_until_every_row_is_chosen(key):
    p = prediction(key)
    static = p.static_html()
    bundle = p._repr_mimebundle_()
    assert bundle["text/html"] == static and "application/vnd.jupyter.widget-view+json" in bundle
    for item in p.items:  # the static form lists every choice, and nothing marks the right one
        assert all(html.escape(option) in static for option in item.options)
    assert p.explanation not in static and "✓" not in static and "answer is" not in static
    assert p.feedback.value == "" and p.choices == [None] * len(p.items)
    if len(p.items) > 1:
        p.choose(0, p.items[0].options[0])
        assert p.reveal() is None and not p.revealed
        assert p.explanation not in p.feedback.value  # a reminder, not the answer


@pytest.mark.parametrize("key", sorted(QUESTIONS))
def test_reveal_marks_each_row(key):
    p = prediction(key)
    wrong = [next(o for o in item.options if o != item.options[item.answer]) for item in p.items]
    for index, option in enumerate(wrong):
        p.choose(index, option)
    assert p.reveal() == [False] * len(p.items)
    assert p.explanation in p.feedback.value
    assert all(html.escape(item.options[item.answer]) in p.feedback.value for item in p.items)
    assert all(chooser.disabled for chooser in p.choosers)
    right = prediction(key)
    for index, item in enumerate(right.items):
        right.choose(index, item.options[item.answer])
    right.button.click()  # the button does the same as reveal()
    assert right.revealed and right.feedback.value.count("✓ as predicted") == len(right.items)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="key must name a prediction.*00-learning-rate"):
        prediction("no-such-key")
    p = prediction("00-learning-rate")
    with pytest.raises(ValueError, match="option must be one of"):
        p.choose(0, "explodes")
    with pytest.raises(IndexError, match="index"):
        p.choose(3, "diverges")
    with pytest.raises(ValueError, match="answer"):
        PredictionItem("?", ("a", "b"), 2)
    with pytest.raises(ValueError, match="options"):
        PredictionItem("?", ("a", "a"), 0)
    with pytest.raises(ValueError, match="items"):
        Prediction("?", [], "")


def _answer(key, index):
    item = prediction(key).items[index]
    return item.options[item.answer]


def test_learning_rate_answers_follow_the_explorable():
    verdicts = {"converges smoothly": "converges smoothly", "converges, zig-zagging": "zig-zag",
                "bounces between two points": "bounces", "diverges": "diverges"}
    for index, eta in enumerate([0.45, 0.7, 1.05]):
        assert verdicts[_answer("00-learning-rate", index)] in describe_learning_rate(eta)


def test_unit_ball_answers():
    x = np.array([1.2, 0.6])
    norms = [lp_norm(x, p) for p in (1, 1.5, 2, 4, math.inf)]
    assert all(a > b for a, b in zip(norms, norms[1:]))  # falls, so the ball grows
    assert (_answer("01-unit-ball", 0), _answer("01-unit-ball", 1)) == ("grows", "falls")
    assert f"{norms[2]:.3f}" in prediction("01-unit-ball").explanation


def test_direction_answers():
    g = hill_and_pit().gradient(np.zeros(2))
    angle = np.degrees(np.arctan2(g[1], g[0]))
    assert _answer("02-direction", 0) == f"{round(angle / 30) * 30}°"
    assert _answer("02-direction", 1).startswith(f"{l2_norm(g):.3f}")
    zeros = sorted(round((angle + s) % 360 / 60) * 60 for s in (90, -90))
    assert _answer("02-direction", 2) == f"{zeros[0]}° and {zeros[1]}°"
    assert f"{angle:.1f}°" in prediction("02-direction").explanation


def test_gradient_field_answer():
    f = hill_and_pit()
    pit = np.array([1.2, -0.6])
    for offset in ([0.3, 0.0], [0.0, -0.3], [-0.2, 0.2]):
        assert f.gradient(pit + offset) @ np.asarray(offset) > 0  # points away from the bottom
    assert _answer("02-gradient-field", 0) == "out of the pit"


def test_cliff_answers_follow_the_explorable():
    from gnlib.widgets import cliff_clipping_explorer

    ex = cliff_clipping_explorer()
    data = ex.set(learning_rate=0.5, max_norm=1000.0)
    np.testing.assert_allclose(data["clipped_thetas"], data["gd_thetas"])
    assert data["clipped_losses"][-1] == pytest.approx(0.09, abs=1e-3)  # the plateau
    data = ex.set(learning_rate=0.05, max_norm=1.0)
    assert data["gd_losses"][-1] == pytest.approx(0.09, abs=1e-3)
    assert _answer("03-cliff", 0).startswith("is thrown onto the plateau")
    assert _answer("03-cliff", 1) == "is still thrown far off the wall"


def test_dirac_answers_follow_the_jacobian():
    from gnlib.models.dirac_gan import dirac_jacobian_eigenvalues, dirac_update_modulus

    complex_for = [g for g in np.linspace(0.0, 2.0, 41) if abs(dirac_jacobian_eigenvalues(g).imag).max() > 1e-12]
    assert max(complex_for) < 1.0 <= min(g for g in np.linspace(0.0, 2.0, 41) if g not in complex_for)
    assert all(dirac_jacobian_eigenvalues(g).real.max() < 0 for g in (0.05, 0.3, 1.0, 1.5, 2.0))
    assert dirac_jacobian_eigenvalues(0.0).real.max() == 0
    assert dirac_update_modulus(0.0, 0.2) > 1.0
    assert [_answer("06-dirac", i) for i in range(3)] == ["γ < 1 = 2f′(0)", "every γ > 0", "grows it"]
    assert f"{dirac_update_modulus(0.0, 0.2):.3f}" in prediction("06-dirac").explanation
