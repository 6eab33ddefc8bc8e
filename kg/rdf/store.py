"""Loading exported RDF into a SPARQL engine (pyoxigraph) and asking it things.

pyoxigraph parses Turtle about ten times faster than rdflib and answers aggregate queries
tens of times faster, so every command that reads a graph file goes through here.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.errors import DataError
from kg.files import atomic_write
from kg.model.vocab import PREFIXES

__all__ = ["load_store", "rdf_format", "save_store"]

_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}


def rdf_format(path: Path) -> ox.RdfFormat:
    """The RDF syntax of a file, from its extension (Turtle when unknown)."""
    return _FORMATS.get(path.suffix.lower(), ox.RdfFormat.TURTLE)


def load_store(*paths: Path) -> ox.Store:
    """An in-memory store holding the triples of ``paths`` in its default graph.

    Raises DataError naming the file (and the line, for a syntax error) when one cannot
    be read; the files are only ever read.
    """
    store = ox.Store()
    for path in paths:
        if not Path(path).is_file():
            raise DataError(f"{path}: no such file (build one with `kg build`)")
        try:
            store.bulk_load(path=str(path), format=rdf_format(Path(path)))
        except SyntaxError as err:
            raise DataError(f"{path}: not valid RDF: {err}") from err
        except (OSError, ValueError) as err:
            raise DataError(f"{path}: cannot be read: {err}") from err
    return store


def save_store(store: ox.Store, path: Path) -> int:
    """Write the default graph of ``store`` to ``path`` as Turtle, sorted so the same
    triples give the same bytes, atomically; return the number of triples."""
    triples = sorted(
        (quad.triple for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph())),
        key=lambda t: (str(t.subject), str(t.predicate), str(t.object)),
    )
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    assert data is not None  # serialize returns bytes when given no output
    atomic_write(Path(path), data)
    return len(triples)
