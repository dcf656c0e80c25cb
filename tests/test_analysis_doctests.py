"""The examples in the analysis modules' docstrings stay true."""

import doctest
import importlib

import pytest

MODULES = ["money", "fx", "merge", "_names"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"analysis.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
