"""Loading exported RDF into a SPARQL engine (pyoxigraph) and asking it things.

pyoxigraph parses Turtle about ten times faster than rdflib and answers aggregate queries
tens of times faster, so every command that reads a graph file goes through here
(:func:`load_store`; ``kg validate`` too, through :func:`load_rdflib_graph`), and
``kg serve`` checks its files with :func:`check_rdf_file` before its server loads them.

Reading a file never fetches anything nor grows without bound, so some files are refused:

- what is not a regular file (a directory, a FIFO, ``/dev/zero``): said, never opened;
- RDF/XML with a DTD (``<!DOCTYPE …>``): its entities can nest, and an 800-byte file of
  them expands to gigabytes ("billion laughs"); pyoxigraph would expand them. The DTD is
  looked for with expat, in the prolog only, before the parser sees the file;
- JSON-LD whose ``@context`` is a URL: pyoxigraph is given no loader, so it never fetches
  one, and the error says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from xml.parsers import expat

import pyoxigraph as ox

from kg.errors import DataError
from kg.files import atomic_write, not_a_file
from kg.model.vocab import PREFIXES

if TYPE_CHECKING:
    import rdflib

__all__ = ["check_rdf_file", "load_rdflib_graph", "load_store", "rdf_format", "save_store"]

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


def check_rdf_file(path: Path) -> None:
    """Raise DataError unless ``path`` is a regular file kg may hand to an RDF parser: not
    a directory, FIFO or device (told from its metadata), and no RDF/XML with a DTD."""
    path = Path(path)
    problem = not_a_file(path)
    if problem == "no such file":
        raise DataError(f"{path}: no such file (build one with `kg build`)")
    if problem is not None:
        raise DataError(f"{path}: {problem}: give the path of an RDF file")
    if rdf_format(path) == ox.RdfFormat.RDF_XML:
        _refuse_dtd(path)


class _RootReached(Exception):
    """The prolog is over: no DTD can follow."""


def _refuse_dtd(path: Path) -> None:
    """Raise DataError when the XML at ``path`` has a document type declaration.

    expat reads the prolog only (it stops at the root element) and is given no handler
    that would expand an entity or fetch anything.
    """

    def doctype(name: str, *_: object) -> None:
        raise DataError(
            f"{path}: line {parser.CurrentLineNumber}: RDF/XML with a DTD (<!DOCTYPE {name} …>) is refused: "
            "its entities can expand without limit; remove the DOCTYPE (write the IRIs out) "
            "or convert the file to Turtle"
        )

    def root(*_: object) -> None:
        raise _RootReached

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _RootReached:
        return
    except expat.ExpatError as err:
        raise DataError(f"{path}: line {err.lineno}, column {err.offset + 1}: not valid RDF/XML: "
                        f"{expat.errors.messages[err.code]}") from err
    except OSError as err:
        raise DataError(f"{path}: cannot be read: {err.strerror or err}") from err


def load_store(*paths: Path) -> ox.Store:
    """An in-memory store holding the triples of ``paths`` in its default graph.

    Raises DataError naming the file (and the line, for a syntax error) when one cannot
    be read or is refused (:func:`check_rdf_file`); the files are only ever read.
    """
    store = ox.Store()
    for path in paths:
        check_rdf_file(Path(path))
        try:
            store.bulk_load(path=str(path), format=rdf_format(Path(path)))
        except SyntaxError as err:
            if "LoadDocumentCallback" in str(err):  # pyoxigraph was given no loader: nothing is fetched
                raise DataError(
                    f"{path}: refused: its JSON-LD @context is given by address, and kg fetches nothing "
                    "while reading a file: put the context in the file itself"
                ) from err
            raise DataError(f"{path}: not valid RDF: {err}") from err
        except MemoryError as err:
            if "buffer maximal size" in str(err):  # pyoxigraph holds one term in at most 16 MiB
                raise DataError(
                    f"{path}: a single literal or IRI is longer than 16 MiB, more than kg's RDF "
                    "parser takes: shorten it"
                ) from err
            raise DataError(f"{path}: not enough memory to load it ({_size(Path(path))})") from err
        except (OSError, ValueError) as err:
            raise DataError(f"{path}: cannot be read: {err}") from err
    return store


def _size(path: Path) -> str:
    try:
        return f"{path.stat().st_size / 1e6:,.0f} MB"
    except OSError:
        return "size unknown"


def load_rdflib_graph(*paths: Path) -> rdflib.Graph:
    """The triples of RDF files, as they are, in an rdflib graph, read through
    :func:`load_store` (what it refuses, this refuses; rdflib's own JSON-LD parser would
    fetch a remote context). Sorted: rdflib keeps insertion order, and exports must not
    depend on the files' order of statements."""
    import rdflib

    store = load_store(*paths)
    lines = sorted(str(q.triple) + " .\n" for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    graph = rdflib.Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph.parse(data="".join(lines), format="nt")


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
