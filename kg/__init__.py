"""kg: turn a curated reading list into a knowledge graph of its field.

The public Python API (see :mod:`kg.api` and the README's "Python API"):

- :func:`build` a reading list into Turtle and an offline map;
- :func:`load` a Turtle file as the typed :class:`KnowledgeGraph`, which converts with
  ``to_networkx()``, ``to_rdflib()``, ``to_pyoxigraph()``;
- :func:`render` the map of a graph; :func:`query` it with SPARQL (read-only).

Importing kg does nothing else: no logging set up, no file read or written, no request, and
the stages' libraries (rdflib, networkx, pyoxigraph…) load only when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "build",
    "load",
    "render",
    "query",
    "Answer",
    "BuildResult",
    "KnowledgeGraph",
    "KgError",
]

if TYPE_CHECKING:
    from kg.api import Answer, build, load, query, render
    from kg.errors import KgError
    from kg.model.graph import KnowledgeGraph
    from kg.pipeline import BuildResult

_LAZY = {
    "build": "kg.api",
    "load": "kg.api",
    "render": "kg.api",
    "query": "kg.api",
    "Answer": "kg.api",
    "BuildResult": "kg.pipeline",
    "KnowledgeGraph": "kg.model.graph",
    "KgError": "kg.errors",
}


def __getattr__(name: str) -> Any:
    """The public names, imported on first use (so ``import kg`` and ``kg --help`` stay quick)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
