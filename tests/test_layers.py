"""gnlib's layers, read from the modules' import statements (nothing is imported).

Layers, and what each may import from gnlib:

- core     (top-level modules and the ``gnlib.optim`` package): core only
- models   (``gnlib.models``): core and models
- figures  (``gnlib.figures``): core, models and figures
- widgets  (``gnlib.widgets``): core, models, figures and widgets
- check    (``gnlib.check``): core, models and check
- course   (``gnlib.course``): anything

Two modules are placed explicitly: the package ``gnlib/__init__.py`` re-exports
core names only, so it is core (``import gnlib`` stays light and cannot
depend on a subpackage); ``gnlib/doctor.py`` is only the entry point of
``python -m gnlib.doctor`` and runs :mod:`gnlib.course.doctor`, so it is course.

Private names: no ``from X import _name`` and no ``X._name`` across modules
(dunders such as ``__all__`` are not private). A module whose own name starts
with ``_`` is a private helper of its package: modules of that package may
import it, and ``gnlib._validation`` (argument checks) may be imported by
every layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GNLIB = Path(__file__).resolve().parents[1] / "gnlib"

ALLOWED = {
    "core": {"core"},
    "models": {"core", "models"},
    "figures": {"core", "models", "figures"},
    "widgets": {"core", "models", "figures", "widgets"},
    "check": {"core", "models", "check"},
    "course": {"core", "models", "figures", "widgets", "check", "course"},
}
SUBPACKAGE_LAYERS = {"optim": "core", "models": "models", "figures": "figures", "widgets": "widgets",
                     "check": "check", "course": "course"}
EXPLICIT = {"gnlib": "core", "gnlib.doctor": "course"}
EVERY_LAYER_MAY_IMPORT = {"gnlib._validation"}


def module_name(path: Path, root: Path = GNLIB) -> str:
    parts = ["gnlib", *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def gnlib_modules(root: Path = GNLIB) -> dict[str, Path]:
    return {module_name(p, root): p for p in sorted(root.rglob("*.py"))}


def is_package(name: str, modules: dict[str, Path]) -> bool:
    return modules[name].name == "__init__.py"


def layer_of(name: str) -> str:
    """The layer of a gnlib module; a module no rule places fails the test, so new code gets a place."""
    if name in EXPLICIT:
        return EXPLICIT[name]
    parts = name.split(".")
    if len(parts) == 2:
        return SUBPACKAGE_LAYERS.get(parts[1], "core")  # a top-level module is core math
    if parts[1] in SUBPACKAGE_LAYERS:
        return SUBPACKAGE_LAYERS[parts[1]]
    raise AssertionError(f"{name}: no layer for the subpackage gnlib.{parts[1]}; add it to SUBPACKAGE_LAYERS")


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def package_of(name: str, modules: dict[str, Path]) -> str:
    return name if is_package(name, modules) else name.rpartition(".")[0]


def imports(name: str, source: str, modules: dict[str, Path]):
    """Yield ``(line, target module, imported name or None, local alias)`` for every gnlib import."""
    package = package_of(name, modules)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "gnlib":
                    local = alias.asname or alias.name.split(".")[0]
                    yield node.lineno, alias.name if alias.asname else "gnlib", None, local
                    if not alias.asname:  # `import gnlib.a.b` also imports every parent
                        parts = alias.name.split(".")
                        for i in range(2, len(parts) + 1):
                            yield node.lineno, ".".join(parts[:i]), None, None
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "gnlib":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in modules:  # `from package import module`
                    yield node.lineno, sub, None, alias.asname or alias.name
                else:
                    yield node.lineno, target, alias.name, alias.asname or alias.name


def dotted(node: ast.AST) -> list[str] | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return [node.id, *reversed(parts)]


def violations(name: str, source: str, modules: dict[str, Path]) -> list[str]:
    """Every layer or privacy rule the module ``name`` with this ``source`` breaks."""
    found = []
    layer = layer_of(name)
    package = package_of(name, modules)
    module_aliases: dict[str, str] = {}
    for line, target, imported, local in imports(name, source, modules):
        if target not in modules:
            found.append(f"{name}:{line} imports {target}, which is not a gnlib module")
            continue
        if target == name:
            continue
        target_layer = layer_of(target)
        if target_layer not in ALLOWED[layer]:
            found.append(f"{name}:{line} ({layer}) imports {target} ({target_layer})")
        own = target.rpartition(".")[2]
        if is_private(own) and target not in EVERY_LAYER_MAY_IMPORT and target.rpartition(".")[0] != package:
            found.append(f"{name}:{line} imports {target}, a private module of another package")
        if imported is not None and is_private(imported):
            found.append(f"{name}:{line} imports the private name {imported} from {target}")
        if imported is None and local is not None:
            module_aliases[local] = target
    for node in ast.walk(ast.parse(source)):
        chain = dotted(node) if isinstance(node, ast.Attribute) else None
        if not chain or chain[0] not in module_aliases:
            continue
        target = module_aliases[chain[0]]
        for attr in chain[1:]:
            if f"{target}.{attr}" in modules:
                target = f"{target}.{attr}"
                continue
            if is_private(attr) and target != name:
                found.append(f"{name}:{node.lineno} uses the private name {target}.{attr}")
            break
    return sorted(set(found))


MODULES = gnlib_modules()


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_follow_the_layers(name):
    assert violations(name, MODULES[name].read_text(encoding="utf-8"), MODULES) == []


def test_every_module_has_a_layer_and_the_map_is_complete():
    layers = {name: layer_of(name) for name in MODULES}
    assert layers["gnlib.norms"] == layers["gnlib.optim.compare"] == "core"
    assert layers["gnlib.models.rnn"] == "models" and layers["gnlib.figures.style"] == "figures"
    assert layers["gnlib.doctor"] == "course"
    docstring = ast.get_docstring(ast.parse((GNLIB / "__init__.py").read_text(encoding="utf-8")))
    top_level = {name for name in MODULES if name.count(".") == 1}
    missing = [name for name in top_level if f":mod:`{name}`" not in docstring]
    assert not missing, f"the package docstring does not map {missing}"
    for package in {name for name in MODULES if name.count(".") == 1 and is_package(name, MODULES)}:
        doc = ast.get_docstring(ast.parse(MODULES[package].read_text(encoding="utf-8")))
        members = [n for n in MODULES if n.startswith(package + ".")]
        unmapped = [n for n in members if f":mod:`{n}`" not in doc and not n.startswith(f"{package}.lesson0")]
        assert not unmapped, f"the docstring of {package} does not map {unmapped}"


# The checker itself must fail on a violation: each rule, broken once in a made-up module.
BROKEN = [
    ("gnlib.norms", "from .figures.style import new_figure", "(core) imports gnlib.figures.style (figures)"),
    ("gnlib.optim.descent", "from ..models import rnn", "(core) imports gnlib.models.rnn (models)"),
    ("gnlib.models.rnn", "import gnlib.figures.style", "(models) imports gnlib.figures (figures)"),
    ("gnlib.figures.ngd", "from ..widgets.ngd import LandscapeComparison", "(figures) imports gnlib.widgets.ngd"),
    ("gnlib.check.lesson03", "from ..figures import clipping", "(check) imports gnlib.figures.clipping"),
    ("gnlib", "from .widgets import Explorable", "(core) imports gnlib.widgets (widgets)"),
    ("gnlib.clip", "from .norms import _fast_sum_of_squares", "private name _fast_sum_of_squares"),
    ("gnlib.widgets.clipping", "from ..figures import clipping as cp\ncp._wall(None, (0, 1))",
     "private name gnlib.figures.clipping._wall"),
    ("gnlib.figures.penalty", "import gnlib.models.flat_minima\ngnlib.models.flat_minima._Q",
     "private name gnlib.models.flat_minima._Q"),
    ("gnlib.figures.ngd", "from ..widgets._render import encode_png", "private module of another package"),
    ("gnlib.figures.ngd", "def f():\n    from ..widgets import ngd", "(figures) imports gnlib.widgets.ngd"),
]


@pytest.mark.parametrize("name, source, message", BROKEN)
def test_the_rules_catch_a_violation(name, source, message):
    found = violations(name, source, MODULES)
    assert any(message in v for v in found), found


def test_allowed_imports_pass():
    allowed = [
        ("gnlib.widgets.ngd", "from ..figures.landscapes import LandscapeComparison\nfrom ._explorable import Explorable"),
        ("gnlib.check.lesson03", "from ..models.rnn import CLIFF_START\nfrom ._core import Case"),
        ("gnlib.models.gan", "from .._validation import check_int\nfrom ..adam import Adam"),
        ("gnlib.course.doctor", "from ..widgets import learning_rate_explorer"),
        ("gnlib.optim", "from . import compare\n__all__ = [*compare.__all__]"),
    ]
    for name, source in allowed:
        assert violations(name, source, MODULES) == [], name
