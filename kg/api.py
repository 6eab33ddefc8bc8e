"""The Python API: what a notebook or a script calls, the same stages ``kg`` runs.

``kg.build`` makes the graph of a reading list (Turtle and map), ``kg.load`` reads any Turtle
in kg's vocabularies back as the typed :class:`~kg.model.graph.KnowledgeGraph`,
``kg.render`` draws the map of a graph, ``kg.query`` asks SPARQL of it (read-only).

>>> import kg, pathlib, tempfile
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> built = kg.build(out_dir=out, mode="offline", validate=False)
>>> graph = kg.load(out / "kg.ttl")
>>> sum(1 for w in graph.works() if w.in_list)
27
>>> answer = kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://xmlns.com/foaf/0.1/Person> }", graph)
>>> answer.rows[0]["n"] == sum(1 for _ in graph.people())
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox

from kg.errors import DataError
from kg.map.page import write_html
from kg.map.reduce import Engine, MapLimits
from kg.model.graph import KnowledgeGraph
from kg.model.kinds import KindTable
from kg.model.ontology import load_ontology
from kg.model.vocab import DEFAULT_BASE_IRI
from kg.pipeline import BuildResult, BuildSettings
from kg.pipeline import build as run_build
from kg.progress import Progress
from kg.rdf.read import read_graph
from kg.rdf.store import load_store
from kg.read.extensions import extension_files
from kg.read.library import TopicSource
from kg.resources import DEFAULT_DATA, DEFAULT_LIST, DEFAULT_OUT_DIR
from kg.sources.semantic_scholar import Mode, S2Settings
from kg.sparql.engine import DEFAULT_MEMORY, DEFAULT_TIMEOUT, bind_parameters, load_query, run_query

__all__ = ["build", "load", "render", "query", "Answer", "Value"]

Value = str | int | float | bool | None
"""A SPARQL value as Python sees it: an IRI or text as ``str``, numbers and booleans by their
datatype, an unbound variable as ``None``."""

PathLike = str | Path


def build(
    reading_list: PathLike | None = None,
    *,
    out_dir: PathLike = DEFAULT_OUT_DIR,
    mode: Mode = "auto",
    extensions: PathLike | None = None,
    base_iri: str = DEFAULT_BASE_IRI,
    validate: bool = True,
    html: bool = True,
    engine: Engine = "auto",
    cache_dir: PathLike | None = None,
    api_url: str | None = None,
    max_citations: int = 1000,
    refresh: bool = False,
    progress: Progress | None = None,
    topics: TopicSource = "keywords",
) -> BuildResult:
    """Build the knowledge graph of ``reading_list`` (default: the shipped list) into
    ``out_dir``: ``kg.ttl`` and, with ``html``, ``kg.html``, as ``kg build`` does.

    ``mode``: ``"auto"`` asks Semantic Scholar for what the cache lacks and goes on offline
    when it cannot be reached; ``"online"`` fails then; ``"offline"`` makes no request.
    ``extensions`` is a directory of extension files (default: ``./ontology/extensions``
    when it exists). The result holds the typed graph (``.graph``), the paths written, the
    validation report and what each source did. ``reading_list`` may be a reference
    manager's library (``.bib``, ``.ris``, ``.json``); ``topics`` says what its topics are
    (its items' ``"keywords"``, its ``"collections"``, or ``"none"``).
    """
    s2 = S2Settings(
        mode=mode,
        cache_dir=Path(cache_dir) if cache_dir is not None else None,
        refresh=refresh,
        max_citations=max_citations,
    )
    if api_url:
        s2 = replace(s2, api_url=api_url)
    settings = BuildSettings(
        list_path=Path(reading_list) if reading_list is not None else DEFAULT_LIST,
        topics=topics,
        out_dir=Path(out_dir),
        base_iri=base_iri,
        extensions=extension_files(Path(extensions) if extensions is not None else None),
        validate=validate,
        html=html,
        map_limits=MapLimits(engine=engine),
        s2=s2,
    )
    return run_build(settings, progress)


def load(*paths: PathLike, extensions: PathLike | None = None) -> KnowledgeGraph:
    """The typed graph of one or more RDF files (default: ``outputs/kg.ttl``): one kg wrote,
    the same after SPARQL edits, or one made elsewhere in the vocabularies kg reads.

    ``extensions`` (default: ``./ontology/extensions`` when it exists) declares kinds of
    works the files use. Raises :class:`~kg.errors.DataError` naming a file that cannot be
    read.
    """
    files = [Path(p) for p in paths] or [DEFAULT_DATA]
    return read_graph(*files, kinds=_kinds(extensions))


def render(
    graph: KnowledgeGraph | PathLike = DEFAULT_DATA,
    out: PathLike | None = None,
    *,
    title: str | None = None,
    engine: Engine = "auto",
    max_nodes: int | None = None,
    max_edges: int | None = None,
) -> Path:
    """Draw the offline map of ``graph`` (a loaded graph, or an RDF file) and return the
    page's path: ``out``, by default the file's name with ``.html`` (for a loaded graph,
    ``outputs/kg.html``)."""
    if not isinstance(graph, KnowledgeGraph):
        source = Path(graph)
        graph = load(source)
        default_out = source.with_suffix(".html")
    else:
        default_out = DEFAULT_OUT_DIR / "kg.html"
    defaults = MapLimits()
    limits = MapLimits(
        max_nodes=max_nodes or defaults.max_nodes,
        max_edges=max_edges or defaults.max_edges,
        engine=engine,
    )
    path = Path(out) if out is not None else default_out
    write_html(graph, path, title=title, limits=limits)
    return path


@dataclass(frozen=True)
class Answer:
    """What a query returned: ``rows`` for SELECT (each a dict variable → value), ``boolean``
    for ASK, ``triples`` for CONSTRUCT and DESCRIBE. Iterating an answer gives its rows."""

    variables: tuple[str, ...] = ()
    rows: list[dict[str, Value]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)

    def __iter__(self) -> Iterator[dict[str, Value]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def query(
    sparql: str,
    data: KnowledgeGraph | PathLike | Sequence[PathLike] = DEFAULT_DATA,
    *,
    params: Mapping[str, str] | None = None,
    allow_remote: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    memory: float | None = DEFAULT_MEMORY,
) -> Answer:
    """Run a SPARQL query on ``data`` (a loaded graph, or RDF files) and return its answer.

    ``sparql`` is query text, a ``.rq`` file or the name of a query shipped with kg
    (``kg query --list``); ``params`` sets its declared parameters (``# param k = 2``).
    Read-only, as ``kg query``: updates are refused, and so are ``SERVICE`` and ``LOAD``
    (they send requests to other servers) unless ``allow_remote``. A query still running
    after ``timeout`` seconds (default 60; ``None`` or 0: no limit), or needing more than
    ``memory`` GiB (default: half of this machine's; ``None`` or 0: no limit), is stopped
    with a :class:`~kg.errors.QueryError`.
    """
    text, source = load_query(sparql)
    text = bind_parameters(text, dict(params or {}))
    outcome = run_query(_store(data), text, allow_remote=allow_remote, source=source, timeout=timeout, memory=memory)
    result = outcome.result
    if isinstance(result, ox.QueryBoolean):
        return Answer(boolean=bool(result))
    if isinstance(result, list):
        return Answer(triples=result)
    assert isinstance(result, ox.QuerySolutions)
    names = tuple(v.value for v in result.variables)
    rows = [{name: _value(solution[name]) for name in names} for solution in result]
    return Answer(variables=names, rows=rows)


def _store(data: KnowledgeGraph | PathLike | Sequence[PathLike]) -> Callable[[], ox.Store]:
    """What makes the store: called where the query runs (see ``run_query``)."""
    if isinstance(data, KnowledgeGraph):
        return data.to_pyoxigraph
    paths = [Path(data)] if isinstance(data, str | Path) else [Path(p) for p in data]
    if not paths:
        raise DataError("no data to query: give a graph or at least one RDF file")
    return lambda: load_store(*paths)


_NUMBERS: Mapping[str, type[int] | type[float]] = {
    **{
        f"http://www.w3.org/2001/XMLSchema#{name}": int
        for name in (
            "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
            "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
        )
    },
    **{f"http://www.w3.org/2001/XMLSchema#{name}": float for name in ("decimal", "double", "float")},
}  # fmt: skip
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> Value:
    """A term as a plain Python value (see :data:`Value`); a literal that does not read as
    its datatype stays text."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype == _BOOLEAN:
            return term.value in ("true", "1")
        if (number := _NUMBERS.get(datatype)) is not None:
            try:
                return number(term.value)
            except ValueError:
                return term.value
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def _kinds(extensions: PathLike | None) -> KindTable:
    directory = Path(extensions) if extensions is not None else None
    return KindTable.from_ontology(load_ontology(extension_files(directory)))

