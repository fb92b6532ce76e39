"""Self-check quizzes: grading, the widget driven like a click, and the answer keys."""

import math

import numpy as np
import pytest

from gnlib.clip import clip_by_global_norm, clip_by_norm, clip_by_value
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
    assert quiz.respond(0, "b") == "Correct. because"
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


def test_a_wrong_answer_gets_another_try_before_the_explanation():
    quiz = self_check([Question("pick b", 1, "b is the second letter", options=("a", "b", "c")),
                       Question("2+2", 4, "count on your fingers")])
    first = quiz.respond(0, "a")
    assert first.startswith("Not quite") and "second letter" not in first and "Try again" in first
    assert "✗" in quiz._feedback[0].value and "#D55E00" in quiz._feedback[0].value
    second = quiz.respond(0, "c")
    assert second == "Not quite. b is the second letter"  # after a second try: the explanation
    assert quiz.attempts == [2, 0]
    assert quiz.explain(1) == "Explanation: count on your fingers"  # on request, before any try
    assert quiz.respond(1, 4) == "Correct. count on your fingers"
    assert "✓" in quiz._feedback[1].value and "#009E73" in quiz._feedback[1].value


@pytest.mark.parametrize("lesson", sorted(QUIZZES))
def test_every_quiz_has_a_static_form_without_answers(lesson):
    quiz = lesson_quiz(lesson)
    bundle = quiz._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    page, text = bundle["text/html"], bundle["text/plain"]
    assert "VBox" not in text and "children" not in text
    for i, q in enumerate(quiz.questions, start=1):
        assert q.prompt in page and f"{i}. " in text
        assert q.explanation not in page and q.explanation not in text
        for option in q.options or ():
            assert f"<li>{option}</li>" in page
    assert "run the notebook" in text


def test_quiz_and_checker_outputs_as_a_notebook_stores_them(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    from gnlib.course.authoring import execute_notebook, new_notebook

    nb = new_notebook([("code", "from gnlib.check.quizzes import lesson_quiz\nlesson_quiz('02')"),
                       ("code", "from gnlib import check\ncheck.check_safe_l2_norm(lambda x: -1.0)")])
    path = tmp_path / "quiz.ipynb"
    nbformat.write(nb, path)
    quiz, checker = (cell.outputs for cell in execute_notebook(path).cells)
    assert len(quiz) == 1 and quiz[0].output_type == "display_data"
    assert "steepest ascent" in quiz[0].data["text/html"]  # readable without a kernel
    assert quiz[0].data["text/plain"].startswith("Check your understanding (lesson 02)")
    assert len(checker) == 1 and checker[0].output_type == "display_data"  # shown once, not twice
    from nbconvert import HTMLExporter  # what nbviewer and static sites render: no kernel, no widget state

    body, _ = HTMLExporter().from_notebook_node(nbformat.read(path, as_version=4))
    assert "steepest ascent" in body and "VBox(" not in body
    assert checker[0].data["text/plain"].startswith("✗ safe_l2_norm: some checks failed.")
    assert "#D55E00" in checker[0].data["text/html"] and "-1 (float)" in checker[0].data["text/html"]


def test_lesson03_quiz_has_no_filler_and_its_global_clipping_answer_holds():
    q03 = QUIZZES["03"]
    assert not any("stand for" in q.prompt for q in q03)
    ratio = q03[0]
    assert "‖g₁‖ / ‖g₂‖" in ratio.prompt and ratio.options[ratio.answer] == "it stays the same"
    grads = [np.array([30.0, -40.0]), np.array([0.1, 0.2])]
    clipped, _ = clip_by_global_norm(grads, 1.0)
    assert l2_norm(clipped[0]) / l2_norm(clipped[1]) == pytest.approx(l2_norm(grads[0]) / l2_norm(grads[1]))


def test_ngd_question_states_its_eta_and_the_run_cycles():
    q = QUIZZES["04"][2]
    assert "η = 0.1" in q.prompt and "θ₀ = 1.05" in q.prompt
    thetas = normalized_gradient_descent(lambda th: 2 * th, [1.05], 0.1, 200).thetas[:, 0]
    assert np.allclose(np.abs(thetas[-20:]), 0.05) and not np.any(thetas == 0.0)
    assert "between 0.05 and −0.05" in q.options[q.answer]
    for eta in (0.15,):  # lands exactly on 0 and stays, as the explanation says
        assert normalized_gradient_descent(lambda th: 2 * th, [1.05], eta, 50).thetas[-1, 0] == 0.0
