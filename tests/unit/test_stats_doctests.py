"""Run the Examples sections of workbench.stats docstrings as doctests."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["wilson", "percentages", "poisson", "funnel", "spc", "inequality"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(f"workbench.stats.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
