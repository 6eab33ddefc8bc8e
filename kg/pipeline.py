"""The order of the stages, and nothing else.

read list → identify → sources (bundled snapshot, then Semantic Scholar) → graph →
analysis (PageRank, insights) → Turtle → validation → HTML → both replace the previous pair
at once (the kg.ttl replaced kept as ``previous/kg.ttl``; a graph that fails its shapes goes
to ``invalid/`` instead, replacing nothing) → what changed since the previous build.
``kg render`` runs the last part on a Turtle file: read RDF → analysis → HTML, with the
same code; ``kg insights`` reads RDF and analyses it, ``kg diff`` reads two files and
compares them. Each stage lives in its own module; this one wires them and reports progress
through a callback the CLI fills with progress bars.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.analysis.diff import FieldDiff, field_diff
from kg.analysis.insights import InsightSettings, add_insights
from kg.analysis.pagerank import add_pagerank
from kg.errors import KgError
from kg.files import Outputs, output_error
from kg.identify.entries import identify_entries
from kg.map.page import write_html
from kg.map.reduce import MapLimits, Reduction
from kg.model.build import build_graph
from kg.model.graph import KnowledgeGraph
from kg.model.iris import check_base_iri
from kg.model.kinds import KindTable
from kg.model.ontology import load_ontology
from kg.model.records import Corpus
from kg.model.vocab import DEFAULT_BASE_IRI
from kg.progress import Progress, Silent
from kg.rdf.read import read_graph
from kg.rdf.validate import ValidationReport, validate_graph
from kg.rdf.write import write_turtle
from kg.read.extensions import apply_extensions
from kg.read.library import TopicSource, read_any_list
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
    "analyse",
    "compare",
    "PREVIOUS",
    "INVALID",
]

log = logging.getLogger(__name__)

PREVIOUS = Path("previous") / "kg.ttl"
"""Where, in the output directory, a build keeps the kg.ttl it replaces."""
INVALID = Path("invalid")
"""Where, in the output directory, a build that fails its own shapes writes its outputs
instead of replacing the previous ones."""


@dataclass(frozen=True)
class BuildSettings:
    list_path: Path = DEFAULT_LIST
    """A Markdown list, or a reference manager's library (.bib, .ris, .json: kg.read.library)."""
    topics: TopicSource = "keywords"
    """What a library's topics are: its items' keywords, its collections, or none."""
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
    insights: InsightSettings | None = field(default_factory=InsightSettings)
    """What the insights stage computes (stored in the Turtle, drawn on the map); None: skip it."""

    def __post_init__(self) -> None:
        check_base_iri(self.base_iri)  # ValueError: every minted IRI would be broken


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
    previous: Path | None = None
    """The kg.ttl this build replaced, kept (None when there was none)."""
    change: FieldDiff | None = None
    """What changed since the previous build (None without one, or when it could not be read)."""
    kept_aside: Path | None = None
    """Where the outputs went when the graph failed its own shapes (``out/invalid/``): the
    previous kg.ttl and kg.html were left as they were. None when they were replaced."""




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
            read_any_list(settings.list_path, settings.topics), settings.extensions, base_iri=settings.base_iri
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
    if settings.insights is not None:
        with _timed(seconds, "insights", progress):
            add_insights(graph, settings.insights)
    turtle_path = settings.out_dir / "kg.ttl"
    html_path = settings.out_dir / "kg.html" if settings.html else None
    report = None
    unvalidated = None
    reduction = None
    previous = None
    kept_aside = None
    # kg.ttl and kg.html go together: both are written to temporaries, then both replace
    # the previous pair, or (on an error, or a graph that fails its own shapes) neither.
    with Outputs() as outputs:
        with _timed(seconds, "turtle", progress):
            triples = outputs.write(turtle_path, lambda staged: write_turtle(graph, staged, kinds))
            staged_turtle = outputs.staged(turtle_path)
        if settings.validate and triples > settings.validate_limit:
            unvalidated = (
                f"not SHACL-validated: {triples:,} triples is more than {settings.validate_limit:,} "
                f"(it would take minutes); run `kg validate {turtle_path}` to check it"
            )
            log.info("%s", unvalidated)
        elif settings.validate:
            with _timed(seconds, "validate", progress):
                report = validate_graph(Graph().parse(staged_turtle, format="turtle"), ontology)
        if html_path is not None:
            reduction = outputs.write(
                html_path, lambda staged: _write_map(graph, staged, None, settings.map_limits, kinds, seconds, progress)
            )
        if report is not None and not report.conforms:
            kept_aside = settings.out_dir / INVALID
            moved = outputs.move_to(kept_aside)
            turtle_path, html_path = moved[0], (moved[1] if html_path is not None else None)
            log.info("the graph fails its shapes: the previous outputs are kept, this build is in %s", kept_aside)
        else:
            previous = _stage_previous(outputs, turtle_path)
            outputs.commit()
    change = None
    if previous is not None:
        with _timed(seconds, "changes", progress):
            change = _change(previous, graph, kinds)
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
        previous=previous,
        change=change,
        kept_aside=kept_aside,
    )


def _stage_previous(outputs: Outputs, turtle_path: Path) -> Path | None:
    """Stage a copy of the kg.ttl about to be replaced as ``previous/kg.ttl`` beside it
    (replaced with the new pair, so a failed build leaves the last one in place too)."""
    if not turtle_path.is_file():
        return None
    kept = turtle_path.parent / PREVIOUS
    staged = outputs.stage(kept)
    try:
        shutil.copyfile(turtle_path, staged)
    except OSError as err:
        raise output_error(err, kept) from err
    return kept


def _change(previous: Path, graph: KnowledgeGraph, kinds: KindTable) -> FieldDiff | None:
    """What changed since the previous build; None (logged) when its file cannot be read."""
    try:
        return field_diff(read_graph(previous, kinds=kinds), graph)
    except KgError as err:
        log.warning("the previous build (%s) could not be compared: %s", previous, err)
        return None


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
    insights: InsightSettings = field(default_factory=InsightSettings)
    """The insights drawn on the map: computed again from the data (a file edited by SPARQL
    or made elsewhere may hold none, or stale ones)."""


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
        add_insights(graph, settings.insights)
    reduction = _write_map(graph, settings.out, settings.title, settings.map_limits, kinds, seconds, progress)
    return RenderResult(graph, settings.out, reduction, seconds)


def analyse(
    data: Sequence[Path], settings: InsightSettings | None = None, extensions: Sequence[Path] = ()
) -> KnowledgeGraph:
    """Read an RDF graph and compute its insights again (``graph.insights``): the file may
    have been edited since they were stored, or hold none."""
    kinds = KindTable.from_ontology(load_ontology(extensions))
    graph = read_graph(*data, kinds=kinds)
    add_insights(graph, settings)
    return graph


def compare(old: Path, new: Path, extensions: Sequence[Path] = ()) -> tuple[KnowledgeGraph, KnowledgeGraph, FieldDiff]:
    """Read two builds and say what changed (:func:`kg.analysis.diff.field_diff`)."""
    kinds = KindTable.from_ontology(load_ontology(extensions))
    before, after = read_graph(old, kinds=kinds), read_graph(new, kinds=kinds)
    return before, after, field_diff(before, after)

