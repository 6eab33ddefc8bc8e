"""``kg build`` (reading list → Turtle and map) and ``kg render`` (RDF → map)."""

from __future__ import annotations

import re
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kg.cli.common import (
    DEFAULT_DATA,
    DEFAULT_OUT_DIR,
    ENGINE_HELP,
    BaseIriOption,
    MapEngine,
    MaxEdgesOption,
    MaxNodesOption,
    err,
    map_limits,
    out,
    print_map,
    print_violations,
    progress_bars,
    run,
    summarize_graph,
)
from kg.model.vocab import DEFAULT_BASE_IRI

if TYPE_CHECKING:
    from kg.model.records import Corpus, Entry
    from kg.sources.semantic_scholar import FetchReport

__all__ = ["build", "render", "LibraryTopics"]


class LibraryTopics(StrEnum):
    """kg.read.library.TopicSource."""

    keywords = "keywords"
    collections = "collections"
    none = "none"


def build(
    reading_list: Annotated[
        Path | None,
        typer.Argument(help="The reading list: Markdown, or a Zotero/Mendeley library exported as BibTeX (.bib), RIS (.ris) "
                            "or CSL-JSON (.json). Default: the deep-learning-theory list shipped with kg."),
    ] = None,
    topics: Annotated[
        LibraryTopics, typer.Option(help="For a library: what becomes its topics (keywords, collections: JabRef's or Mendeley's groups, or none).")
    ] = LibraryTopics.keywords,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Directory for kg.ttl and kg.html.")] = DEFAULT_OUT_DIR,
    online: Annotated[
        bool, typer.Option("--online", help="Fetch from Semantic Scholar what the cache lacks; fail if it cannot be reached.")
    ] = False,
    offline: Annotated[
        bool, typer.Option("--offline", help="Use only the bundled facts and the cache; make no request.")
    ] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Ask Semantic Scholar again for everything, replacing the cache's answers.")
    ] = False,
    max_age: Annotated[
        str | None, typer.Option("--max-age", metavar="AGE", help="Ask again for answers older than AGE (30d, 12h, 90m).")
    ] = None,
    api_url: Annotated[
        str | None, typer.Option("--api-url", metavar="URL", envvar="S2_API_URL", show_default="https://api.semanticscholar.org",
                                 help="Root of a server speaking the Semantic Scholar Graph API (/graph/v1/... is appended).")
    ] = None,
    cache: Annotated[
        Path | None, typer.Option("--cache", metavar="DIR", help="Directory of the response cache. Default: the user cache directory.")
    ] = None,
    max_citations: Annotated[
        int, typer.Option("--max-citations", metavar="N", min=0, help="Citing papers to fetch per work at most; the true total is recorded.")
    ] = 1000,
    rate: Annotated[
        float | None, typer.Option("--rate", metavar="RPS", min=0.01,
                                   help="Requests per second at most. Default: 1 with S2_API_KEY, 0.5 without.")
    ] = None,
    base_iri: BaseIriOption = DEFAULT_BASE_IRI,
    validate: Annotated[bool, typer.Option(help="Check the result against the SHACL shapes.")] = True,
    extensions: Annotated[
        Path | None,
        typer.Option(help="Directory of extension files (*.ttl). Default: ./ontology/extensions if present."),
    ] = None,
    max_nodes: MaxNodesOption = None,
    max_edges: MaxEdgesOption = None,
    engine: Annotated[MapEngine, typer.Option(help=ENGINE_HELP)] = MapEngine.auto,
    insights: Annotated[
        bool, typer.Option(help="Store what the field says about the list (kg insights) in kg.ttl and on the map.")
    ] = True,
) -> None:
    """Build the knowledge graph of a reading list: Turtle (kg.ttl) and an offline map (kg.html).

    Facts come from the bundled snapshot and from Semantic Scholar (references, citations, authors, fields of study), through an on-disk cache. By default kg asks the API for what the cache lacks and goes on offline, with a warning, when the API cannot be reached.
    """
    from kg.analysis.insights import InsightSettings
    from kg.pipeline import BuildSettings
    from kg.pipeline import build as run_build
    from kg.read.extensions import extension_files
    from kg.resources import DEFAULT_LIST
    from kg.sources.http import NetworkPolicy
    from kg.sources.semantic_scholar import DEFAULT_API_URL, Mode, S2Settings

    if online and offline:
        raise typer.BadParameter("choose one of --online and --offline", param_hint="--online")
    if refresh and offline:
        raise typer.BadParameter("--refresh asks the API again; it cannot go with --offline", param_hint="--refresh")
    mode: Mode = "online" if online else "offline" if offline else "auto"
    try:
        s2 = S2Settings(
            mode=mode,
            api_url=api_url or DEFAULT_API_URL,
            cache_dir=cache,
            refresh=refresh,
            max_age=parse_age(max_age) if max_age else None,
            max_citations=max_citations,
            network=NetworkPolicy.from_env(rate=rate),
        )
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--api-url") from None
    settings = BuildSettings(
        list_path=reading_list or DEFAULT_LIST,
        topics=topics.value,
        out_dir=out_dir,
        base_iri=base_iri,
        extensions=run(lambda: extension_files(extensions)),
        validate=validate,
        s2=s2,
        map_limits=map_limits(max_nodes, max_edges, engine),
        insights=InsightSettings() if insights else None,
    )
    with progress_bars() as bars:
        result = run(lambda: run_build(settings, bars))
    out.print(f"{settings.list_path.name}: {summarize_graph(result.graph)}")
    added = [e for e in result.corpus.entries if e.source]
    if added:
        added_topics = sum(1 for e in added if e.is_topic)
        out.print(
            f"extensions added {len(added) - added_topics} resources and {added_topics} topics "
            f"from {len(settings.extensions)} file(s)"
        )
    out.print(f"bundled facts described {result.described} resources")
    if result.fetch is not None:
        _print_fetch(result.fetch, max_citations)
        _print_unresolved(result.corpus)
    out.print(f"wrote {result.turtle_path} ({result.triples} triples)")
    if result.previous is not None:
        change = result.change.summary() if result.change is not None else "could not be compared (see the log)"
        out.print(f"since the previous build (kept as {result.previous}): {change}", highlight=False)
    if result.unvalidated:
        out.print(result.unvalidated, highlight=False, markup=False)
    if result.html_path and result.reduction:
        print_map(result.html_path, result.reduction)
    if result.report is not None and not result.report.conforms:
        print_violations(result.report)
        if result.kept_aside is not None:
            err.print(
                f"the graph fails the kg shapes, so the previous outputs in {settings.out_dir} were left as they "
                f"were; this build is in {result.kept_aside} for a look",
                highlight=False, markup=False,
            )
        raise typer.Exit(1)


_AGE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_age(text: str) -> timedelta:
    """``30d``, ``12h``, ``90m``, ``2w`` (a bare number is days).

    >>> parse_age("90m"), parse_age("2")
    (datetime.timedelta(seconds=5400), datetime.timedelta(days=2))
    """
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", text.lower())
    if not match:
        raise typer.BadParameter(f"{text!r}: write an age such as 30d, 12h or 90m", param_hint="--max-age")
    try:
        return timedelta(seconds=float(match.group(1)) * _AGE_UNITS[match.group(2) or "d"])
    except OverflowError:  # past timedelta's 999,999,999 days
        raise typer.BadParameter(f"{text!r} is too long: at most 999999999d", param_hint="--max-age") from None


def _print_fetch(report: FetchReport, max_citations: int) -> None:
    """The closing summary of the Semantic Scholar stage."""
    if report.fallback:
        err.print(
            f"[yellow]warning:[/] Semantic Scholar cannot be reached ({report.fallback}); "
            "built offline from the cache and the bundled facts",
            highlight=False,
        )
    where = f"cache {report.cache}" if report.cache else "no cache yet"
    how = "online" if report.mode == "online" else "offline: cache and bundled facts only"
    out.print(f"Semantic Scholar ({how}; {where}):", highlight=False)
    out.print(
        f"  resolved {report.resolved}/{report.resources} resources; {report.papers} papers, "
        f"{report.authors} authors, {report.citations} citation edges",
        highlight=False,
    )
    retried = f" ({report.retries} of them retries)" if report.retries else ""
    out.print(f"  {report.requests} requests made{retried}, {report.cache_hits} cache hits"
              + (f", {report.not_cached} answers not in the cache" if report.not_cached else ""),
              highlight=False)
    if report.partial:
        shown = "; ".join(
            f"{p.label[:60]} ({p.fetched} of {p.total if p.total is not None else '?'})"
            for p in report.partial[:5]
        )
        more = f"; … and {len(report.partial) - 5} more" if len(report.partial) > 5 else ""
        out.print(
            f"  partial: citations of {len(report.partial)} work(s) not all fetched "
            f"(--max-citations {max_citations}): {shown}{more}",
            highlight=False,
        )


def _print_unresolved(corpus: Corpus, shown: int = 8) -> None:
    """The list resources no source resolved, with the reason (alike reasons together)."""
    entries = {entry.key: entry for entry in corpus.entries}
    groups: dict[str, list[Entry]] = {}
    for key, reason in corpus.unresolved.items():
        groups.setdefault(reason, []).append(entries[key])
    if not groups:
        return
    out.print(f"  unresolved {len(corpus.unresolved)}:", highlight=False)
    ordered = sorted(groups.items(), key=lambda group: min(e.line for e in group[1]))
    for reason, members in ordered[:shown]:
        lines = sorted(e.line for e in members)
        if len(members) == 1:
            where = f"line {lines[0]} {members[0].title[:50]!r}"
        else:
            where = f"{len(members)} (lines {', '.join(map(str, lines[:6]))}{', …' if len(lines) > 6 else ''})"
        out.print(f"    {where}: {reason}", highlight=False, markup=False)
    if len(ordered) > shown:
        rest = sum(len(members) for _, members in ordered[shown:])
        out.print(f"    … and {rest} more", highlight=False)


def render(
    data: Annotated[
        Path,
        typer.Argument(
            help="An RDF graph (Turtle, N-Triples…): one kg build wrote, one edited with "
            "SPARQL, or one made elsewhere with DCTerms/CiTO/FOAF/SKOS/schema.org terms."
        ),
    ] = DEFAULT_DATA,
    out_path: Annotated[
        Path | None, typer.Option("--out", "-o", help="The page to write. Default: DATA with .html.")
    ] = None,
    title: Annotated[
        str | None, typer.Option(help="Page title. Default: the list's title in DATA, else its file name.")
    ] = None,
    max_nodes: MaxNodesOption = None,
    max_edges: MaxEdgesOption = None,
    engine: Annotated[MapEngine, typer.Option(help=ENGINE_HELP)] = MapEngine.auto,
    extensions: Annotated[
        Path | None,
        typer.Option(help="Directory of extension files whose kinds the map names. Default: ./ontology/extensions if present."),
    ] = None,
) -> None:
    """Draw the interactive offline map (HTML) of an RDF graph, as kg build does."""
    from kg.pipeline import RenderSettings
    from kg.pipeline import render as run_render
    from kg.read.extensions import extension_files

    settings = RenderSettings(
        data=[data],
        out=out_path or data.with_suffix(".html"),
        title=title,
        extensions=run(lambda: extension_files(extensions)),
        map_limits=map_limits(max_nodes, max_edges, engine),
    )
    with progress_bars() as bars:
        result = run(lambda: run_render(settings, bars))
    out.print(f"{data.name}: {summarize_graph(result.graph)}")
    print_map(result.html_path, result.reduction)
