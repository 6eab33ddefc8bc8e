"""Reference-manager libraries as reading lists: a BibTeX, RIS and CSL-JSON export (in the
shapes Zotero writes; tests/data/library/, synthetic) builds into the same graph as the
equivalent Markdown list, duplicates merged; collections as topics; bad files named."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from cli_runs import kg

from kg.errors import ReadingListError
from kg.model.graph import KnowledgeGraph
from kg.model.nodes import Creator, Subject
from kg.pipeline import BuildSettings, build
from kg.read.library import read_any_list

LIBRARY = Path(__file__).parent / "data" / "library"
FORMATS = ("bib", "ris", "json")


def built(path: Path, out: Path, **options: Any) -> KnowledgeGraph:
    settings = BuildSettings(list_path=path, out_dir=out, s2=None, html=False, validate=False, insights=None, **options)
    return build(settings).graph


@pytest.fixture(scope="module")
def markdown(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    return built(LIBRARY / "library.md", tmp_path_factory.mktemp("md"))


def what_it_says(g: KnowledgeGraph) -> dict[str, Any]:
    """The graph's works, topics, people and relations, without provenance or lines."""
    label = {n.iri: n.label for n in g.nodes()}
    return {
        "works": {w.iri: (w.label, w.shown_year, w.shown_venue, w.in_list, w.ids, w.listing.note if w.listing else None)
                  for w in g.works()},  # fmt: skip
        "topics": sorted(t.label for t in g.topics()),
        "people": sorted(p.label for p in g.people()),
        "subjects": sorted((w, label[t]) for w, t, _ in g.edges(Subject)),
        "bylines": {w.iri: [label[p] for p in g.authors(w.iri)] for w in g.works()},
        "creators": sum(1 for _ in g.edges(Creator)),
    }


@pytest.mark.parametrize("form", FORMATS)
def test_a_library_builds_into_the_graph_of_the_same_markdown_list(
    form: str, markdown: KnowledgeGraph, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        g = built(LIBRARY / f"library.{form}", tmp_path)
    assert what_it_says(g) == what_it_says(markdown)
    # The duplicate is one work, filed under all three topics; the item without an
    # address is left out, and the log names it.
    (survey,) = [w for w in g.works() if w.ids.doi == "10.5555/synthetic.0001"]
    assert sorted(g.node(t).label for t, _ in g.out_edges(survey.iri, Subject)) == ["Depth", "Overview", "Surveys"]
    assert any("line" in r.message and "no address" in r.message for r in caplog.records)
    (preprint,) = [w for w in g.works() if w.ids.arxiv == "2212.99001"]
    assert preprint.kind == "Preprint" and survey.kind == "JournalArticle"


def test_collections_or_no_topics(tmp_path: Path) -> None:
    bib = LIBRARY / "library.bib"
    by_collection = read_any_list(bib, "collections")
    assert [e.title for e in by_collection.entries if e.is_topic] == ["Reading group"]
    assert all(e.parent is None for e in read_any_list(bib, "none").entries)
    with pytest.raises(ReadingListError, match=r"library\.ris: no item names a collection"):
        read_any_list(LIBRARY / "library.ris", "collections")


def test_the_command_builds_a_library_and_names_a_broken_one(tmp_path: Path) -> None:
    ran = kg("build", str(LIBRARY / "library.json"), "--out", str(tmp_path / "out"), "--offline",
             "--topics", "none", "--no-validate", "--no-insights")  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert "library.json: 3 resources, 0 topics" in " ".join(ran.stdout.split())
    assert (tmp_path / "out" / "kg.ttl").is_file() and (tmp_path / "out" / "kg.html").is_file()
    broken = tmp_path / "broken.json"
    broken.write_text('[\n {"title": "A synthetic item", "URL": "https://example.org/x"},\n {"title": oops}\n]\n', encoding="utf-8")
    ran = kg("build", str(broken), "--out", str(tmp_path / "b"), "--offline")
    assert ran.returncode == 1 and "broken.json: line 3" in ran.stderr
    bad_bib = tmp_path / "broken.bib"
    bad_bib.write_text("@article{ok, title = {Fine}, url = {https://example.org/a}}\n\n@article{bad, title = {Unclosed\n", encoding="utf-8")
    with pytest.raises(ReadingListError, match=r"broken\.bib: line 3"):
        read_any_list(bad_bib)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("broken.ris", "TY  - JOUR\nTI  - A synthetic paper\nDO  - 10.5555/ER  -\nUR  - https://example.org/p\nER  - \n"),
        ("broken.bib", "@article{k, title = {A synthetic paper}, doi = {10.5555/a b}, url = {https://example.org/p}}\n"),
    ],
)
def test_a_doi_field_that_is_no_doi_is_left_out_and_the_build_conforms(tmp_path: Path, name: str, text: str) -> None:
    """Found by the library fuzz (tests/test_fuzz.py): a DOI with a space in it reached the
    graph and failed its shapes at the end of the build."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = build(BuildSettings(list_path=path, out_dir=tmp_path / "out", s2=None, html=False, insights=None))
    assert result.report is not None and result.report.conforms, result.report.violations
    (work,) = [w for w in result.graph.works() if w.in_list]
    assert work.ids.doi is None and work.url == "https://example.org/p"
