"""The graph kg writes as Turtle reads back as the same graph, record for record, and the
two maps (the one ``kg build`` draws, the one ``kg render outputs/kg.ttl`` draws) are the
same bytes: on the seed list (bundled facts, offline) and on a synthetic online field
(a local server speaking the Semantic Scholar API, ``tests/s2server.py``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from graphs import assert_same_graph, payload_text
from rdflib import Graph
from s2server import FakeS2Server, SyntheticApi
from test_build import rdfs_report

from kg.analysis.pagerank import add_pagerank
from kg.map.page import render_html
from kg.model.graph import KnowledgeGraph
from kg.model.nodes import Cites, Creator, WorkNode
from kg.model.ontology import load_ontology
from kg.pipeline import BuildResult, BuildSettings, RenderSettings, build, render
from kg.rdf.read import read_graph
from kg.rdf.validate import validate_graph
from kg.sources.http import NetworkPolicy
from kg.sources.semantic_scholar import S2Settings

FIELD = """\
# Synthetic online field (a test list; every id here is made up)

A synthetic introduction.

## Papers
- [Deep synthetic networks](https://arxiv.org/abs/2101.00001) the big one ([code](https://example.org/code/deep_nets?x=1&y=2), [slides](https://example.org/slides/deep%20nets.pdf))
- [Shallow synthetic networks](https://arxiv.org/pdf/2101.00002v3.pdf) 一个合成的笔记
- [A synthetic journal article](https://doi.org/10.5555/SYNTH.LIST.3) (2019)
- [A Synthetic Paper Known Only By Its Title](https://example.org/files/paper.pdf)
- **Synthetic depth barriers** (2020), A. Synthetic et al., ICML 2020 [[pdf]](https://arxiv.org/pdf/2101.00006.pdf)
- [A synthetic conference paper](https://example.org/papers/conf.pdf) - C. Sample et al., NeurIPS 2021

## Courses
- [A synthetic course](https://example.org/courses/dl) - Ada Synthetic and Bo Example, 2019 [mirror](https://example.org/mirror/dl)
"""


def read_back(result: BuildResult) -> KnowledgeGraph:
    """What ``kg render`` makes of the Turtle: read, then the same analysis as the build."""
    graph = read_graph(result.turtle_path)
    add_pagerank(graph)
    return graph


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(BuildSettings(out_dir=tmp_path_factory.mktemp("seed"), validate=False))


@pytest.fixture(scope="module")
def online(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = tmp_path_factory.mktemp("online")
    path = root / "synthetic.md"
    path.write_text(FIELD, encoding="utf-8")
    unmatched = frozenset({"A synthetic course", "A synthetic conference paper"})
    api = SyntheticApi(pool=400, big_every=10**9, typical=40, unmatched=unmatched)
    policy = NetworkPolicy(rate=float("inf"), backoff_base=0.01, backoff_cap=0.05, timeout=5)
    with FakeS2Server(api) as server:
        s2 = S2Settings(mode="online", api_url=server.url, cache_dir=root / "cache", network=policy)
        return build(BuildSettings(list_path=path, out_dir=root / "out", validate=False, s2=s2))


def test_the_seed_reads_back_as_the_graph_it_was_written_from(seed: BuildResult) -> None:
    assert_same_graph(seed.graph, read_back(seed))


def test_a_synthetic_online_field_reads_back_as_the_graph_it_was_written_from(online: BuildResult) -> None:
    graph = online.graph
    # The field has what an online build brings, so the comparison covers it.
    works = list(graph.works())
    assert len(works) > 150 and sum(w.in_list for w in works) == 7
    assert any(w.tldr and w.open_access_pdf and w.publication_types and w.ids.corpus_id for w in works)
    assert any(p.orcid for p in graph.people())
    citations = [e for _, _, e in graph.edges(Cites)]
    assert any(e.is_influential for e in citations) and any(len(e.intents) > 1 for e in citations)
    assert len(graph.sources) > 5 and all(s.retrieved for s in graph.sources.values())
    listed = {w.listing.title: w for w in works if w.listing}
    deep = listed["Deep synthetic networks"]
    assert deep.listing is not None
    assert [(link.text, link.url) for link in deep.listing.related] == [
        ("code", "https://example.org/code/deep_nets?x=1&y=2"),
        ("slides", "https://example.org/slides/deep%20nets.pdf"),
    ]
    assert listed["Shallow synthetic networks"].listing.note_lang == "zh"  # type: ignore[union-attr]
    assert deep.listing.note == "the big one"
    # The list's own words: bylines (partial, or standing where no source has one), venues.
    barriers = listed["Synthetic depth barriers"]
    assert barriers.listing is not None and barriers.listing.et_al and barriers.listing.venue == "ICML"
    assert barriers.listing.authors == ("A. Synthetic",) and barriers.venue and barriers.venue != "ICML"
    assert graph.authors(barriers.iri) and "A. Synthetic" not in {p.label for p in graph.people()}
    talk, course = listed["A synthetic conference paper"], listed["A synthetic course"]
    assert talk.kind == "ConferencePaper" and talk.listing is not None and talk.listing.venue == "NeurIPS"
    assert [graph.node(p).label for p in graph.authors(course.iri)] == ["Ada Synthetic", "Bo Example"]
    assert all(graph.node(p).provenance.notes == ("the list, line 14",) for p in graph.authors(course.iri))
    assert course.title == "A synthetic course"  # no source: the list's words
    assert any(len(graph.authors(w.iri)) > 1 for w in works)
    assert_same_graph(graph, read_back(online))


@pytest.mark.parametrize("name", ["seed", "online"])
def test_the_map_of_the_turtle_is_the_map_of_the_build(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    result: BuildResult = request.getfixturevalue(name)
    assert result.html_path is not None
    rendered = render(RenderSettings(data=[result.turtle_path], out=tmp_path / "render.html"))
    built_page = result.html_path.read_text(encoding="utf-8")
    rendered_page = rendered.html_path.read_text(encoding="utf-8")
    assert payload_text(rendered_page) == payload_text(built_page)
    assert rendered_page == built_page


def test_related_links_keep_their_text_on_the_map_of_the_turtle(online: BuildResult) -> None:
    page = render_html(read_back(online))
    assert '["code","https://example.org/code/deep_nets?x=1\\u0026y=2"]' in payload_text(page)
    assert '["mirror","https://example.org/mirror/dl"]' in payload_text(page)


def test_a_graph_read_back_has_the_typed_records(seed: BuildResult) -> None:
    found = read_back(seed)
    survey = found.node("https://arxiv.org/abs/2012.10931")
    assert isinstance(survey, WorkNode) and survey.kind == "Survey" and survey.listing is not None
    assert survey.listing.note_lang == "zh" and survey.pagerank is not None
    byline = [found.node(p).label for p in found.authors(survey.iri)]
    assert byline == [seed.graph.node(p).label for p in seed.graph.authors(survey.iri)]
    assert all(isinstance(e, Creator) for _, e in found.out_edges(survey.iri, Creator))


def test_the_online_field_conforms_to_the_shapes(online: BuildResult) -> None:
    data = Graph().parse(online.turtle_path)
    report = validate_graph(data, load_ontology())
    assert report.conforms, [str(v) for v in report.violations]
    conforms, text = rdfs_report(data, load_ontology().graph)  # as a store with RDFS rules sees it
    assert conforms, text


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (raptor2-utils) is not installed")
def test_an_independent_parser_reads_the_online_field(online: BuildResult) -> None:
    run = subprocess.run(
        ["rapper", "-i", "turtle", "-o", "ntriples", str(online.turtle_path)],
        capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "https://schema.org/LinkRole" in run.stdout
    found = re.search(r"returned (\d+) triples", run.stderr)
    assert found is not None and int(found.group(1)) == online.triples
