"""Every Examples section in gnlib's docstrings runs and prints what it claims."""

import doctest
import importlib
import pkgutil

import numpy as np
import pytest

import gnlib

MODULES = sorted(m.name for m in pkgutil.walk_packages(gnlib.__path__, "gnlib.") if not m.name.endswith("__main__"))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, extraglobs={"np": np}, optionflags=doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
