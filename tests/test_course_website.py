"""What the website adds to the stored pages (gnlib.course.website), without building it.

The built site itself, in a browser, is tests/test_site.py.
"""

from pathlib import Path

import pytest

from gnlib.course import website
from gnlib.course.config import Home, load_course

ROOT = Path(__file__).resolve().parents[1]

SMALL_COURSE = """
[home]
repository = "https://github.com/alice/gn-fork"
branch = "spring"

[[lesson]]
number = "01"
title = "Norms first"
notebook = "lessons/01_vector_norms.ipynb"
summary = "only norms"
minutes = 15
exercises = "exercises/01_vector_norms"
exercise_minutes = 10

[[lesson]]
number = "07"
title = "A lesson without exercises"
notebook = "lessons/07_extra.ipynb"
summary = "extra"
minutes = 50
"""


@pytest.fixture
def small_course(tmp_path):
    (tmp_path / "course.toml").write_text(SMALL_COURSE, encoding="utf-8")
    return load_course(tmp_path)


def test_titles_tell_exercises_from_solutions():
    assert website.page_title("Exercises 02 · Gradients", "exercises") == "Exercises 02 · Gradients"
    assert website.page_title("Exercises 02 · Gradients", "solutions") == "Worked solutions 02 · Gradients"
    assert website.page_title("Gradients practice", "exercises") == "Exercises: Gradients practice"
    assert website.page_title("Gradients practice", "solutions") == "Worked solutions: Gradients practice"
    assert website.page_title(" 02 · Gradients ", "lesson") == "02 · Gradients"
    with pytest.raises(ValueError, match="kind"):
        website.page_title("x", "answers")


def test_notebook_kinds_follow_the_course_order(small_course):
    assert list(website.notebook_kinds(small_course).items()) == [
        ("lessons/01_vector_norms.ipynb", "lesson"),
        ("exercises/01_vector_norms/exercises.ipynb", "exercises"),
        ("exercises/01_vector_norms/solutions.ipynb", "solutions"),
        ("lessons/07_extra.ipynb", "lesson"),
    ]


def test_lesson_table_is_the_course_lesson_list(small_course):
    table = website.lesson_table(small_course, "README.md").split("\n")
    assert table[2] == ("| 01 | [Norms first](lessons/01_vector_norms.ipynb) | only norms | 15 + 10 min | "
                        "[exercises](exercises/01_vector_norms/exercises.ipynb) · "
                        "[worked solutions](exercises/01_vector_norms/solutions.ipynb) |")
    assert table[3] == "| 07 | [A lesson without exercises](lessons/07_extra.ipynb) | extra | 50 min | – |"
    assert "about 1 h 15 min" in table[-1]
    nested = website.lesson_table(small_course, "instructors/guide.md")
    assert "(../lessons/01_vector_norms.ipynb)" in nested


def test_readme_table_is_replaced_and_everything_else_kept(small_course):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = website.lesson_table(small_course)
    replaced = website.replace_lesson_table(readme, table)
    assert table in replaced
    assert "| 02 |" not in replaced  # the README's own rows are gone
    before, after = readme.split("| # | Lesson", 1)
    assert replaced.startswith(before)
    assert replaced.endswith(after[after.index("\n\n"):])
    with pytest.raises(ValueError, match="no lesson table"):
        website.replace_lesson_table("# A page\n\n| a | b |\n|---|---|\n", table)


def test_badges_become_text_links():
    text = ("[![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/a/b/main?urlpath=lab) "
            "and ![a figure](figure.png)")
    assert website.text_badges(text) == ("[Binder](https://mybinder.org/v2/gh/a/b/main?urlpath=lab) "
                                         "and ![a figure](figure.png)")


def test_launch_bar_links_come_from_the_home():
    home = Home("https://github.com/alice/gn-fork", "spring")
    path = "exercises/01_vector_norms/solutions.ipynb"
    bar = website.launch_bar(home, path)
    assert f'href="{home.binder_url(path)}"' in bar
    assert 'href="solutions.ipynb" download="solutions.ipynb"' in bar
    suffix = website.hub_link_suffix(home, path)
    assert f'data-hub-suffix="{suffix.replace("&", "&amp;")}"' in bar
    for hub in ("https://hub.example.edu", "https://hub.example.edu/", "http://127.0.0.1:8000/jh"):
        assert hub.rstrip("/") + suffix == home.nbgitpuller_url(hub, path)  # what course-launch.js builds
    assert "\n" not in bar  # one HTML block for MyST's raw directive


def test_sidebar_lists_solutions_right_after_their_exercises(small_course):
    toc = website.sidebar_toctree(small_course, [("Glossary", "GLOSSARY")])
    assert ":caption: Lessons" in toc and ":caption: Reference" in toc
    entries = [line for line in toc.split("\n") if line and not line.startswith((":", "```"))]
    assert entries == ["lessons/01_vector_norms", "lessons/07_extra", "exercises/01_vector_norms/exercises",
                       "exercises/01_vector_norms/solutions", "Glossary <GLOSSARY>"]


def test_lesson_links_from_a_nested_page(small_course):
    links = website.lesson_links(small_course, "benchmarks/README.md")
    assert "[01 Norms first](../lessons/01_vector_norms.ipynb)" in links
    assert "[07 A lesson without exercises](../lessons/07_extra.ipynb)" in links
