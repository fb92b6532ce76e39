"""Build the course website: every lesson, exercise and solution page, offline.

    python tools/build_site.py [--out DIR]     # default: _build/site

Sphinx renders the stored notebook outputs (nothing is executed) with the
configuration in ``site/``; warnings are errors. MathJax is served by the site
itself: the npm packages ``mathjax`` and its font are installed once into a
cache folder (``_build/cache`` by default; needs ``npm`` the first time only)
and copied into the site, so math is typeset with no network connection.
Open ``DIR/index.html`` through any static web server, e.g.
``python -m http.server -d _build/site``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONF_DIR = ROOT / "site"
DEFAULT_OUT = ROOT / "_build" / "site"
DEFAULT_CACHE = ROOT / "_build" / "cache"

# Pinned like the Python packages: the site must build the same tomorrow.
MATHJAX_PACKAGES = {"mathjax": "4.1.3", "@mathjax/mathjax-newcm-font": "4.1.3"}
# What the site serves from the `mathjax` package: the combined TeX + CommonHTML
# component and the folders it loads extensions, speech and menus from.
MATHJAX_FILES = ["tex-mml-chtml.js", "core.js", "loader.js", "startup.js", "LICENSE",
                 "a11y", "adaptors", "input", "output", "sre", "ui"]
# From the font package: the CommonHTML font (glyph data and woff2 files).
FONT_FILES = ["chtml.js", "chtml", "package.json"]


def install_mathjax(cache: Path) -> Path:
    """The folder holding ``mathjax/`` and ``mathjax-fonts/`` for the site, installing it if needed.

    Parameters
    ----------
    cache : Path
        Where npm installs the packages (``cache/npm``) and where the files the
        site serves are laid out (``cache/site-assets``).

    Returns
    -------
    Path
        ``cache/site-assets``, given to ``site/conf.py`` as ``GNLIB_SITE_ASSETS``.

    Raises
    ------
    RuntimeError
        If the packages are not installed yet and npm is missing or fails.
    """
    stamp = ",".join(f"{name}@{version}" for name, version in MATHJAX_PACKAGES.items())
    assets = cache / "site-assets"
    if (assets / "VERSIONS").is_file() and (assets / "VERSIONS").read_text() == stamp:
        return assets
    npm_dir = cache / "npm"
    modules = npm_dir / "node_modules"
    installed = all((modules / name / "package.json").is_file() for name in MATHJAX_PACKAGES)
    if not installed or not all(f'"version": "{version}"' in (modules / name / "package.json").read_text()
                                for name, version in MATHJAX_PACKAGES.items()):
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed once to install MathJax for the site (apt-get install npm), "
                               f"or put the packages {stamp} under {modules}")
        npm_dir.mkdir(parents=True, exist_ok=True)
        print(f"installing {stamp} with npm into {npm_dir}", flush=True)
        command = [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(npm_dir),
                   *(f"{name}@{version}" for name, version in MATHJAX_PACKAGES.items())]
        result = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise RuntimeError(f"npm install failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    if assets.exists():
        shutil.rmtree(assets)
    targets = {modules / "mathjax": (assets / "mathjax", MATHJAX_FILES),
               modules / "@mathjax" / "mathjax-newcm-font":
                   (assets / "mathjax-fonts" / "mathjax-newcm-font", FONT_FILES)}
    for source, (target, names) in targets.items():
        target.mkdir(parents=True)
        for name in names:
            if (source / name).is_dir():
                shutil.copytree(source / name, target / name)
            else:
                shutil.copy2(source / name, target / name)
    (assets / "VERSIONS").write_text(stamp)
    return assets


def folder_size(folder: Path) -> int:
    """Bytes in every file under ``folder``."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def build_site(out: Path = DEFAULT_OUT, cache: Path = DEFAULT_CACHE, quiet: bool = True) -> Path:
    """Build the website into ``out`` (replacing what is there), warnings as errors.

    Parameters
    ----------
    out : Path
        The folder the finished site goes to.
    cache : Path
        The MathJax cache (see :func:`install_mathjax`).
    quiet : bool
        Only warnings and errors from Sphinx.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    RuntimeError
        If Sphinx reports a warning or an error (nothing is written to ``out``).
    """
    from sphinx.cmd.build import build_main

    out = Path(out).resolve()
    assets = install_mathjax(Path(cache).resolve())
    os.environ["GNLIB_SITE_ASSETS"] = str(assets)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Sphinx and myst-nb write beside their output folder (doctrees, jupyter_execute):
    # build in a scratch folder and move only the site into place.
    with tempfile.TemporaryDirectory(prefix=".site-build-", dir=out.parent) as scratch:
        html = Path(scratch) / "html"
        argv = ["-b", "html", "-W", "--keep-going", "-E", "-c", str(CONF_DIR),
                "-d", str(Path(scratch) / "doctrees"), str(ROOT), str(html)]
        if quiet:
            argv.insert(0, "-q")
        status = build_main(argv)
        if status != 0:
            raise RuntimeError(f"the site did not build (sphinx exit status {status}); see the messages above")
        (html / ".buildinfo").unlink(missing_ok=True)
        if (html / "_sources").is_dir() and not any((html / "_sources").iterdir()):
            (html / "_sources").rmdir()  # left empty: the site copies no page sources
        if out.exists():
            shutil.rmtree(out)
        shutil.move(html, out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: _build/site)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                        help="where MathJax is installed with npm (default: _build/cache)")
    parser.add_argument("--verbose", action="store_true", help="show Sphinx's progress messages")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        assets = install_mathjax(args.cache.resolve())
        installed = time.perf_counter()
        out = build_site(args.out, args.cache, quiet=not args.verbose)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    end = time.perf_counter()
    pages = sum(1 for page in out.rglob("*.html") if page.relative_to(out).parts[0] != "_static")
    print(f"built {pages} pages into {out} in {end - installed:.1f} s "
          f"(+ {installed - start:.1f} s for MathJax from {assets}); "
          f"site size {folder_size(out) / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
