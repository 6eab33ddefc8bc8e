"""The order of the stages, and nothing else.

read list → identify → sources (bundled snapshot, then Semantic Scholar) → graph →
analysis → Turtle → validation → HTML. ``kg render`` runs the last part on a Turtle file:
read RDF → analysis → HTML, with the same code. Each stage lives in its own module; this
one wires them and reports progress through a callback the CLI fills with progress bars.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.analysis.pagerank import add_pagerank
from kg.identify.entries import identify_entries
from kg.map.page import write_html
from kg.map.reduce import MapLimits, Reduction
from kg.model.build import build_graph
from kg.model.graph import KnowledgeGraph
from kg.model.kinds import KindTable
from kg.model.ontology import load_ontology
from kg.model.records import Corpus
from kg.model.vocab import DEFAULT_BASE_IRI
from kg.progress import Progress, Silent
from kg.rdf.read import read_graph
from kg.rdf.validate import ValidationReport, validate_graph
from kg.rdf.write import write_turtle
from kg.read.extensions import apply_extensions
from kg.read.markdown import read_reading_list
from kg.resources import DEFAULT_LIST
from kg.sources.semantic_scholar import FetchReport, S2Settings, SemanticScholarSource
from kg.sources.snapshot import load_snapshot

__all__ = [
    "BuildSettings",
    "BuildResult",
    "RenderSettings",
    "RenderResult",
    "Progress",
    "build",
    "render",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildSettings:
    list_path: Path = DEFAULT_LIST
    out_dir: Path = Path("outputs")
    base_iri: str = DEFAULT_BASE_IRI
    extensions: Sequence[Path] = ()
    """Extension files (``ontology/extensions/*.ttl``): the kinds they declare join the
    ontology, the topics and resources they add join the list before identification."""
    validate: bool = True
    validate_limit: int = 500_000
    """Graphs with more triples are not SHACL-validated by the build: pySHACL takes minutes
    and gigabytes there. ``kg validate`` checks them whole."""
    html: bool = True
    map_limits: MapLimits = MapLimits()
    s2: S2Settings | None = field(default_factory=S2Settings)
    """Semantic Scholar: offline (the cache only) unless told otherwise; None: not at all."""


@dataclass
class BuildResult:
    corpus: Corpus
    graph: KnowledgeGraph
    turtle_path: Path
    html_path: Path | None
    triples: int
    report: ValidationReport | None
    described: int
    """Resources the bundled snapshot had facts about."""
    fetch: FetchReport | None = None
    """What the Semantic Scholar stage did (None when it did not run)."""
    unvalidated: str | None = None
    """Why the graph was not validated although validation was asked for."""
    seconds: dict[str, float] = field(default_factory=dict)
    reduction: Reduction | None = None
    """What the map shows of the graph (None when no map was written)."""




@contextmanager
def _timed(seconds: dict[str, float], name: str, progress: Progress) -> Iterator[None]:
    progress.stage(name)
    start = time.perf_counter()
    yield
    seconds[name] = time.perf_counter() - start
    log.info("%s: %.2f s", name, seconds[name])


def build(settings: BuildSettings, progress: Progress | None = None) -> BuildResult:
    """Build the knowledge graph of a reading list and write it to ``settings.out_dir``."""
    progress = progress or Silent()
    seconds: dict[str, float] = {}
    with _timed(seconds, "read list", progress):
        extended = apply_extensions(
            read_reading_list(settings.list_path), settings.extensions, base_iri=settings.base_iri
        )
        ontology = extended.ontology
        kinds = KindTable.from_ontology(ontology)
    corpus = Corpus(reading_list=extended.reading_list)
    with _timed(seconds, "identify", progress):
        identify_entries(corpus)
    with _timed(seconds, "bundled facts", progress):
        described = load_snapshot().enrich(corpus)
    fetch = None
    if settings.s2 is not None:
        start = time.perf_counter()  # the source reports its own stages
        fetch = SemanticScholarSource(settings.s2).enrich(corpus, progress)
        seconds["semantic scholar"] = time.perf_counter() - start
        log.info("semantic scholar: %.2f s", seconds["semantic scholar"])
    with _timed(seconds, "graph", progress):
        graph = build_graph(corpus, base_iri=settings.base_iri)
        graph.kinds = kinds
    with _timed(seconds, "analysis", progress):
        add_pagerank(graph)
    turtle_path = settings.out_dir / "kg.ttl"
    with _timed(seconds, "turtle", progress):
        triples = write_turtle(graph, turtle_path, kinds)
    report = None
    unvalidated = None
    if settings.validate and triples > settings.validate_limit:
        unvalidated = (
            f"not SHACL-validated: {triples:,} triples is more than {settings.validate_limit:,} "
            f"(it would take minutes); run `kg validate {turtle_path}` to check it"
        )
        log.info("%s", unvalidated)
    elif settings.validate:
        with _timed(seconds, "validate", progress):
            report = validate_graph(Graph().parse(turtle_path, format="turtle"), ontology)
    html_path = None
    reduction = None
    if settings.html:
        html_path = settings.out_dir / "kg.html"
        reduction = _write_map(graph, html_path, None, settings.map_limits, kinds, seconds, progress)
    return BuildResult(
        corpus=corpus,
        graph=graph,
        turtle_path=turtle_path,
        html_path=html_path,
        triples=triples,
        report=report,
        described=described,
        fetch=fetch,
        unvalidated=unvalidated,
        seconds=seconds,
        reduction=reduction,
    )


def _write_map(
    graph: KnowledgeGraph,
    path: Path,
    title: str | None,
    limits: MapLimits,
    kinds: KindTable,
    seconds: dict[str, float],
    progress: Progress,
) -> Reduction:
    """The HTML stage, shared by ``build`` and ``render``."""
    with _timed(seconds, "html", progress):
        return write_html(graph, path, title=title or graph.meta.title, limits=limits, kinds=kinds)


@dataclass(frozen=True)
class RenderSettings:
    data: Sequence[Path]
    """RDF files (Turtle, N-Triples…) read as one graph."""
    out: Path
    title: str | None = None
    """Page title; default: the reading list's title in the data, else the file name."""
    extensions: Sequence[Path] = ()
    """Ontology extensions, for kinds of works they add."""
    map_limits: MapLimits = MapLimits()


@dataclass
class RenderResult:
    graph: KnowledgeGraph
    html_path: Path
    reduction: Reduction
    seconds: dict[str, float] = field(default_factory=dict)


def render(settings: RenderSettings, progress: Progress | None = None) -> RenderResult:
    """Draw the map of an RDF graph (one ``kg build`` wrote, edited, or made elsewhere)."""
    progress = progress or Silent()
    seconds: dict[str, float] = {}
    with _timed(seconds, "read RDF", progress):
        kinds = KindTable.from_ontology(load_ontology(settings.extensions))
        graph = read_graph(*settings.data, kinds=kinds)
    with _timed(seconds, "analysis", progress):
        add_pagerank(graph)
    reduction = _write_map(graph, settings.out, settings.title, settings.map_limits, kinds, seconds, progress)
    return RenderResult(graph, settings.out, reduction, seconds)

