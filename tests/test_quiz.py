"""Self-check quizzes: grading, the widget driven like a click, and the answer keys."""

import math

import numpy as np
import pytest

from gnlib.clip import clip_by_norm, clip_by_value
from gnlib.norms import global_norm, l2_norm
from gnlib.optim import gradient_descent, normalized_gradient_descent
from gnlib.check.quiz import Question, grade, self_check
from gnlib.check.quizzes import QUIZZES, lesson_quiz


def test_grade_multiple_choice_and_numeric():
    q = Question("pick b", 1, "because", options=("a", "b"))
    assert grade(q, 1) == (True, "Correct. because")
    assert grade(q, "a") == (False, "Not quite. because")
    n = Question("pi?", math.pi, "circle", tolerance=1e-3)
    assert grade(n, 3.1416)[0] and not grade(n, 3.2)[0]
    with pytest.raises(ValueError, match="one of the options"):
        grade(q, "c")
    with pytest.raises(ValueError, match="option index"):
        grade(q, 5)
    with pytest.raises(ValueError, match="must be a number"):
        grade(n, "three")
    with pytest.raises(ValueError, match="answer must be an index"):
        Question("bad", 3, "x", options=("a", "b"))


def test_widget_gives_feedback_and_scores():
    quiz = self_check([Question("pick b", 1, "because", options=("a", "b")), Question("2+2", 4, "count")])
    assert quiz.respond(0, 0).startswith("Not quite")
    assert quiz.results == [False, None]
    assert quiz.respond(0, "b").startswith("Correct")
    assert quiz.respond(1, 4.0).startswith("Correct")
    assert quiz.score == 2
    with pytest.raises(ValueError, match="questions must not be empty"):
        self_check([])


@pytest.mark.parametrize("lesson", sorted(QUIZZES))
def test_every_lesson_quiz_builds_and_right_answers_score_full(lesson):
    quiz = lesson_quiz(lesson)
    for i, q in enumerate(quiz.questions):
        assert quiz.respond(i, q.answer).startswith("Correct")
        wrong = (q.answer + 1) % len(q.options) if q.options else q.answer * 1.5 + 1
        assert quiz.respond(i, wrong).startswith("Not quite")
        quiz.respond(i, q.answer)
    assert quiz.score == len(quiz.questions) >= 3
    with pytest.raises(ValueError, match="lesson must be one of"):
        lesson_quiz("99")


def test_numeric_answer_keys_agree_with_gnlib():
    q00, q01, q02, q03, q04 = QUIZZES["00"], QUIZZES["01"], QUIZZES["02"], QUIZZES["03"], QUIZZES["04"]
    run = gradient_descent(lambda th: 2 * th, [1.0], 0.7, 1)
    assert abs(run.thetas[1, 0]) == pytest.approx(q00[1].answer)
    assert q01[0].answer == pytest.approx(l2_norm([3, -4, 12]))
    assert q01[3].answer == pytest.approx(global_norm([np.array([1.0, 2.0]), np.array([2.0])]))
    grad = np.array([2.0 * 1, 3.0])  # gradient of x^2 + 3y at (1, 2)
    assert q02[1].answer == pytest.approx(grad @ np.array([0.6, 0.8]))
    assert q02[2].answer == pytest.approx(l2_norm(grad))
    assert q03[1].answer == pytest.approx(clip_by_norm(np.array([3.0, 4.0]), 1.0)[0])
    assert clip_by_value(np.array([3.0, 0.5]), 1.0).tolist() == [1.0, 0.5]  # direction changes (answer 1)
    w, T, h = 1.1, 50, 1e-7  # x_T = w**T x_0 with x_0 = 1: differentiate numerically
    numeric = ((w + h) ** T - (w - h) ** T) / (2 * h)
    assert q03[4].answer == pytest.approx(numeric, rel=1e-6)
    run = normalized_gradient_descent(lambda th: 2 * th, [1.0], q04[1].answer, 3)
    assert np.linalg.norm(np.diff(run.thetas, axis=0), axis=1) == pytest.approx(q04[1].answer)
