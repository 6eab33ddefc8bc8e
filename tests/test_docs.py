"""The examples in the docstrings of the Semantic Scholar stage and what it touches run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "kg.sources.http",
    "kg.sources.cache",
    "kg.sources.semantic_scholar",
    "kg.graph",
    "kg.records",
    "kg.identifiers",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples to run"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
