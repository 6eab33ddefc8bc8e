"""The order of the stages, and nothing else.

read list → identify → sources (bundled snapshot, then Semantic Scholar) → graph →
Turtle → validation → HTML. Each stage lives in its own module; this one wires them and
reports progress through a callback the CLI fills with progress bars.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from rdflib import Graph

from kg.graph import build_graph
from kg.identifiers import guess_kind, identify_url
from kg.ontology import load_ontology
from kg.progress import Progress, Silent
from kg.rdf import write_turtle
from kg.readinglist import read_reading_list, topic_paths
from kg.records import Corpus
from kg.render import write_html
from kg.resources import DEFAULT_LIST
from kg.sources.semantic_scholar import FetchReport, S2Settings, SemanticScholarSource
from kg.sources.snapshot import load_snapshot
from kg.validate import ValidationReport, validate_graph
from kg.vocab import DEFAULT_BASE_IRI

__all__ = ["BuildSettings", "BuildResult", "Progress", "build", "identify_entries"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildSettings:
    list_path: Path = DEFAULT_LIST
    out_dir: Path = Path("outputs")
    base_iri: str = DEFAULT_BASE_IRI
    extensions: Sequence[Path] = ()
    """Turtle files merged into the ontology (``ontology/extensions/*.ttl``)."""
    validate: bool = True
    validate_limit: int = 500_000
    """Graphs with more triples are not SHACL-validated by the build: pySHACL takes minutes
    and gigabytes there. ``kg validate`` checks them whole."""
    html: bool = True
    s2: S2Settings | None = field(default_factory=S2Settings)
    """Semantic Scholar: offline (the cache only) unless told otherwise; None: not at all."""


@dataclass
class BuildResult:
    corpus: Corpus
    graph: nx.MultiDiGraph
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


def identify_entries(corpus: Corpus) -> None:
    """Identifiers and kind of every resource of the list, from its URL and context."""
    paths = topic_paths(corpus.reading_list)
    for entry in corpus.entries:
        if entry.url is None:
            continue
        ids = identify_url(entry.url)
        corpus.entry_ids[entry.key] = ids
        corpus.entry_kinds[entry.key] = guess_kind(
            entry.url, ids, title=entry.title, topics=paths[entry.key], note=entry.note or ""
        )


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
        reading_list = read_reading_list(settings.list_path)
        ontology = load_ontology(settings.extensions)
    corpus = Corpus(reading_list=reading_list)
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
    turtle_path = settings.out_dir / "kg.ttl"
    with _timed(seconds, "turtle", progress):
        triples = write_turtle(graph, turtle_path, ontology)
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
    if settings.html:
        html_path = settings.out_dir / "kg.html"
        with _timed(seconds, "html", progress):
            write_html(graph, html_path, title=graph.graph.get("title"))
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
    )

