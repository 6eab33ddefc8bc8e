"""Where the files that ship with kg live: the default list, the bundled facts, the ontology.

An installed wheel carries the ontology inside the package (``kg/ontology``); a source
checkout keeps it at the top of the repository (``ontology/``), which is the copy to edit.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "DATA_DIR",
    "DEFAULT_LIST",
    "DEFAULT_OUT_DIR",
    "DEFAULT_DATA",
    "SEED_FACTS",
    "ontology_dir",
    "ontology_files",
    "shapes_file",
]

_PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = _PACKAGE_DIR / "data"
DEFAULT_LIST = DATA_DIR / "deep-learning-theory.md"
"""The deep-learning-theory reading list (foocker/deeplearningtheory, early 2021)."""
DEFAULT_OUT_DIR = Path("outputs")
"""Where ``kg build`` writes, relative to the current directory."""
DEFAULT_DATA = DEFAULT_OUT_DIR / "kg.ttl"
"""The graph the other commands read when given none."""
SEED_FACTS = DATA_DIR / "seed-facts.json"
"""Public bibliographic facts about the default list's resources, each with its source."""


def ontology_dir() -> Path:
    """The directory holding ``kg.ttl``, ``shapes.ttl`` and ``extensions/``."""
    installed = _PACKAGE_DIR / "ontology"
    if (installed / "kg.ttl").is_file():
        return installed
    return _PACKAGE_DIR.parent / "ontology"


def ontology_files() -> list[Path]:
    """The ontology proper (classes and properties), without the shapes."""
    return [ontology_dir() / "kg.ttl"]


def shapes_file() -> Path:
    """SHACL shapes every graph kg writes must conform to."""
    return ontology_dir() / "shapes.ttl"
