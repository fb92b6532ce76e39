"""One declared home: every course link, the README's lesson table and the times agree with course.toml.

``course.toml`` declares where the course lives and which lessons it has.
These tests check that every link to the course in the repository points
there, that the generated sections (the README's, the workshop kit's) are
what ``python -m gnlib.course.set_home`` would write, that moving the course
to another home and back changes nothing, and that the lesson times quoted by
the notebooks and the instructor guide are the ones in course.toml.
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gnlib.course.config import Home, load_course
from gnlib.course.generated import EXAMPLE_HUB, regenerate, section_names
from gnlib.course.links import find_links, link_problems
from gnlib.course.set_home import course_text_files, main, planned_changes

ROOT = Path(__file__).resolve().parents[1]
COURSE = load_course(ROOT)
GITHUB, RAW = "https://github.com", "https://raw.githubusercontent.com"
# A home that no link in the repository points at (checked below), for moving there and back.
# URLs in this file are assembled from pieces, so that they are not links the checks would see.
FAKE = Home(f"{GITHUB}/fork-check-owner/fork-check-course", "fork-check-branch", "https://binder.example.org")


def exists(path: str) -> bool:
    return (ROOT / path).exists()


def copy_course(destination: Path) -> Path:
    """The course's files (as set_home sees them) copied to ``destination``."""
    for path in course_text_files(ROOT) + [ROOT / "course.toml"]:
        target = destination / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return destination


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- every link agrees with the declared home ---------------------------------------------------------

def test_every_course_link_in_the_repository_agrees_with_the_declared_home():
    files = course_text_files(ROOT)
    assert ROOT / "README.md" in files and any(p.suffix == ".ipynb" for p in files)
    problems = []
    for path in files:
        for problem in link_problems(path.read_text(encoding="utf-8"), COURSE.home, exists):
            problems.append(f"{path.relative_to(ROOT)}: {problem}")
    assert not problems, "run python -m gnlib.course.set_home, or fix by hand:\n" + "\n".join(problems)


def test_the_readme_launches_every_notebook_from_the_declared_home():
    links = [link for link in find_links((ROOT / "README.md").read_text(encoding="utf-8")) if link.kind == "binder"]
    assert {link.path for link in links} == set(COURSE.notebooks())
    assert {(link.owner, link.name, link.branch) for link in links} == {(*COURSE.home.owner_and_name.split("/"),
                                                                         COURSE.home.branch)}


@pytest.mark.parametrize("stale", [
    "[![Binder](x)]({binder}/v2/gh/someone-else/other-repo/main?urlpath=lab/tree/lessons/00_start_here.ipynb)",
    "{github}/{owner}/{name}/blob/old-branch/lessons/00_start_here.ipynb",
    "{raw}/someone-else/fork/main/lessons/01_vector_norms.ipynb",
    "{github}/someone-else/{name}",
    "{hub}/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2F{owner}%2F{name}"
    "&branch={branch}&urlpath=lab%2Ftree%2Fwrong-folder%2Flessons%2F00_start_here.ipynb",
    "{hub}/v2/gh/{owner}/{name}/{branch}?urlpath=lab/tree/lessons/00_start_here.ipynb",
    "{binder}/v2/gh/{owner}/{name}/{branch}?urlpath=lab/tree/lessons/99_removed_lesson.ipynb",
])
def test_the_link_check_catches_a_stale_link(stale):
    owner, name = COURSE.home.owner_and_name.split("/")
    link = stale.format(owner=owner, name=name, branch=COURSE.home.branch, binder=COURSE.home.binderhub,
                        github=GITHUB, raw=RAW, hub="https://hub.example.edu")
    assert link_problems(f"A file with a link: {link}\n", COURSE.home, exists)


def test_links_to_other_projects_are_not_course_links():
    text = (f"nbclient's missed wake-up: {GITHUB}/jupyter/nbclient/issues/312, "
            f"its source {GITHUB}/jupyter/nbclient/blob/main/README.md")
    assert len(find_links(text)) == 2
    example = f"{COURSE.home.binderhub}/v2/gh/a/b/main?urlpath=lab"  # a documentation example: opens no course file
    assert link_problems(text + " " + example, COURSE.home, exists) == []
    assert link_problems(text, COURSE.home, exists) == []


# --- generated sections ----------------------------------------------------------------------------

@pytest.mark.parametrize("path, names", [
    ("README.md", ["binder-badge", "lessons"]),
    ("workshop/README.md", ["hub-links"]),
    ("workshop/values.yaml", ["hub-values"]),
])
def test_each_file_has_its_generated_sections(path, names):
    assert section_names((ROOT / path).read_text(encoding="utf-8")) == names


def test_yaml_sections_have_comment_markers_and_keep_their_indentation():
    text = ("a: 1\n  # BEGIN GENERATED hub-values (from course.toml)\n  stale: true\n  # END GENERATED hub-values\n"
            "b: 2\n")
    new = regenerate(text, COURSE, "workshop")
    assert new.startswith("a: 1\n  # BEGIN GENERATED hub-values (from course.toml)\n  defaultUrl: ")
    assert new.endswith("|| true\"]\n  # END GENERATED hub-values\nb: 2\n") and "stale" not in new
    assert regenerate(new, COURSE, "workshop") == new
    with pytest.raises(ValueError, match="unbalanced"):
        section_names("a: 1\n# BEGIN GENERATED hub-values\n  x: 1\n<!-- END GENERATED hub-values -->\n")


def test_generated_sections_are_what_set_home_would_write():
    stale = planned_changes(ROOT)
    names = sorted(p.relative_to(ROOT).as_posix() for p in stale)
    assert not stale, f"out of date, run python -m gnlib.course.set_home: {names}"


def test_a_hand_edited_table_is_out_of_date(tmp_path):
    root = copy_course(tmp_path)
    readme = root / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace(COURSE.lessons[1].time_label, "99 min", 1),
                      encoding="utf-8")
    assert planned_changes(root) == {readme: (ROOT / "README.md").read_text(encoding="utf-8")}
    assert main(["--root", str(root), "--check"]) == 1


# --- moving the course ------------------------------------------------------------------------------

def test_set_home_moves_every_link_and_moves_back_to_identical_files(tmp_path, capsys):
    root = copy_course(tmp_path)
    before = snapshot(root)
    fake_owner, fake_name = FAKE.owner_and_name.split("/")
    assert not any((link.owner, link.name) == (fake_owner, fake_name)
                   for data in before.values() for link in find_links(data.decode()))
    assert main([FAKE.repository, "--branch", FAKE.branch, "--binderhub", FAKE.binderhub, "--root", str(root)]) == 0
    moved = snapshot(root)
    assert load_course(root).home == FAKE
    old = COURSE.home.owner_and_name.encode()
    assert [name for name, data in moved.items() if old in data] == []
    assert FAKE.binder_url(COURSE.lessons[0].notebook).encode() in moved["README.md"]
    hub_readme, values = moved["workshop/README.md"].decode(), moved["workshop/values.yaml"].decode()
    for notebook in COURSE.notebooks():  # every hub link of the workshop kit, not only its repository URL
        if not notebook.endswith("solutions.ipynb"):
            assert FAKE.nbgitpuller_url(EXAMPLE_HUB, notebook) in hub_readme, notebook
    assert f"cd ~/{FAKE.name} && python -m gnlib.doctor" in hub_readme
    assert f"gitpuller {FAKE.repository} {FAKE.branch} {FAKE.name} || true" in values
    assert f"defaultUrl: /lab/tree/{FAKE.name}/{COURSE.lessons[0].notebook}" in values
    old_folder = f"/lab/tree/{COURSE.home.name}/"
    assert [name for name, data in moved.items() if name.startswith("workshop/") and old_folder in data.decode()] == []
    for name, data in moved.items():
        if name.endswith((".md", ".ipynb", ".html", ".yaml")):
            assert link_problems(data.decode(), FAKE, lambda p: (root / p).exists()) == [], name
    assert main(["--root", str(root), "--check"]) == 0
    home = COURSE.home
    assert main([home.repository, "--branch", home.branch, "--binderhub", home.binderhub, "--root", str(root)]) == 0
    assert snapshot(root) == before
    assert "updated" in capsys.readouterr().out


def test_a_trimmed_and_reordered_course_regenerates_its_table(tmp_path):
    root = copy_course(tmp_path)
    config = (root / "course.toml").read_text(encoding="utf-8")
    head, *lessons = config.split("\n[[lesson]]\n")
    kept = [lessons[0], lessons[2], lessons[1]]  # drop everything after lesson 02, swap 01 and 02
    kept[1] = re.sub(r"^minutes = \d+", "minutes = 7", kept[1], count=1, flags=re.MULTILINE)
    (root / "course.toml").write_text(head + "".join("\n[[lesson]]\n" + block for block in kept), encoding="utf-8")
    assert main(["--root", str(root)]) == 0
    readme = (root / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d\d) \| \[[^\]\n]+\]\(([^)\n]+)\) \|[^|\n]+\| ([^|\n]+) \|", readme, re.MULTILINE)
    trimmed = load_course(root)
    assert [r[0] for r in rows] == [lesson.number for lesson in trimmed.lessons] == ["00", "02", "01"]
    assert rows[1][2] == "7 + 20 min" and rows[1][1] == trimmed.lessons[1].notebook
    assert COURSE.lessons[-1].notebook not in readme


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gnlib.course.set_home", *args],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


@pytest.mark.parametrize("args, message", [
    (["https://gitlab.com/owner/repo"], "repository must look like https://github.com/OWNER/REPO"),
    (["https://github.com/owner"], "repository must look like"),
    (["https://github.com/owner/repo", "--branch", "a..b"], "branch must be a plain git branch name"),
    (["https://github.com/owner/repo", "--branch", "has space"], "branch must be a plain git branch name"),
    (["https://github.com/owner/repo", "--binderhub", "mybinder.org"], "binderhub must be an http(s) URL"),
])
def test_bad_arguments_get_one_clear_line_and_exit_2(tmp_path, args, message):
    root = copy_course(tmp_path)
    before = snapshot(root)
    result = run_cli(*args, "--root", str(root))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and message in result.stderr
    assert snapshot(root) == before


def test_a_lesson_that_does_not_exist_is_refused_before_anything_changes(tmp_path):
    root = copy_course(tmp_path)
    (root / COURSE.lessons[-1].notebook).unlink()
    before = snapshot(root)
    result = run_cli(FAKE.repository, "--root", str(root))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert COURSE.lessons[-1].notebook in result.stderr
    assert snapshot(root) == before


def test_pasted_url_forms_are_accepted(tmp_path):
    root = copy_course(tmp_path)
    assert main([f"git@github.com:{FAKE.owner_and_name}.git", "--root", str(root)]) == 0
    assert load_course(root).home.repository == FAKE.repository
    assert main([FAKE.repository + "/", "--root", str(root), "--check"]) == 0


# --- one list of lessons and one set of times -------------------------------------------------------

def first_cell(notebook: str) -> str:
    return "".join(json.loads((ROOT / notebook).read_text(encoding="utf-8"))["cells"][0]["source"])


def test_every_stored_notebook_is_a_lesson_of_course_toml():
    stored = {p.relative_to(ROOT).as_posix() for p in ROOT.glob("lessons/*.ipynb")}
    stored |= {p.relative_to(ROOT).as_posix() for p in ROOT.glob("exercises/*/*.ipynb")}
    assert stored == set(COURSE.notebooks()), "list each lesson in course.toml, or delete the notebooks of a dropped one"


@pytest.mark.parametrize("lesson", COURSE.lessons, ids=lambda lesson: lesson.number)
def test_each_lesson_states_the_times_of_course_toml(lesson):
    match = re.search(r"\*Time: about (\d+) minutes(?:, plus (\d+) minutes for the exercises)?", first_cell(lesson.notebook))
    assert match, f"{lesson.notebook}: no '*Time: about N minutes...' line in its first cell"
    assert (int(match[1]), int(match[2] or 0)) == (lesson.minutes, lesson.exercise_minutes), lesson.notebook


def guide_glance_rows() -> list[tuple[str, str, str]]:
    guide = (ROOT / "instructors" / "guide.md").read_text(encoding="utf-8")
    table = guide.split("## 2. The lessons at a glance", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| (\d\w*) \| `[^`]+` \| (\d+) min \| (–|\d+) ?(?:min)?[^|]*\|", table, re.MULTILINE)


def test_the_instructor_guide_lists_the_lessons_and_times_of_course_toml():
    rows = guide_glance_rows()
    expected = [(lesson.number, str(lesson.minutes), str(lesson.exercise_minutes) if lesson.exercises else "–")
                for lesson in COURSE.lessons]
    assert rows == expected, "the guide's 'lessons at a glance' table disagrees with course.toml"
    guide = (ROOT / "instructors" / "guide.md").read_text(encoding="utf-8")
    headings = re.findall(r"^### Lesson (\d\w*) · .*\((\d+) min teaching, (?:(\d+) min exercises|no exercises)\)",
                          guide, re.MULTILINE)
    assert [(n, int(t), int(e or 0)) for n, t, e in headings] == [
        (lesson.number, lesson.minutes, lesson.exercise_minutes) for lesson in COURSE.lessons]


def test_the_course_map_of_lesson_00_lists_the_lessons_of_course_toml():
    cells = json.loads((ROOT / COURSE.lessons[0].notebook).read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
    course_map = re.split(r"^#+ [^\n]*[Cc]ourse map", text, maxsplit=1, flags=re.MULTILINE)[1]
    rows = re.findall(r"^\| (\d\w*) \| \[[^\]]+\]\(([^)]+)\)", course_map, re.MULTILINE)
    assert rows == [(lesson.number, Path(lesson.notebook).name) for lesson in COURSE.lessons]
