"""One kinds table, read from the ontology: labels, parents, colours, BibTeX and CSL types;
every module that names a kind names one the table knows; a kind `kg add kind` declares
reaches the map's legend and its BibTeX export."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from graphs import READY, assert_same_graph, payload_of
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kg.analysis.pagerank import add_pagerank
from kg.identify.kinds import KINDS, PAPER_KINDS, guess_kind
from kg.model.build import _kind_from_ids
from kg.model.graph import KnowledgeGraph
from kg.model.kinds import KindTable, shipped_kinds
from kg.model.nodes import GraphMeta, Listing, WorkNode
from kg.model.ontology import load_ontology
from kg.model.records import Identifiers
from kg.model.vocab import KG
from kg.pipeline import BuildResult, BuildSettings, build
from kg.rdf.read import read_graph
from kg.read.additions import Workspace, add_kind, add_resource, add_topic
from kg.read.extensions import extension_files
from kg.read.markdown import read_reading_list
from kg.resources import DEFAULT_LIST, ontology_dir
from kg.sources import snapshot
from kg.sources.semantic_scholar import records

ONTOLOGY = ontology_dir() / "kg.ttl"
CSL_TYPES = set(
    "article article-journal article-magazine article-newspaper bill book broadcast chapter "
    "classic collection dataset document entry entry-dictionary entry-encyclopedia event "
    "figure graphic hearing interview legal_case legislation manuscript map motion_picture "
    "musical_score pamphlet paper-conference patent performance periodical "
    "personal_communication post post-weblog regulation report review review-book software "
    "song speech standard thesis treaty webpage".split()
)
"""The item types of CSL 1.0.2."""
BIBTEX_TYPES = {"article", "book", "booklet", "inbook", "incollection", "inproceedings", "manual",
                "mastersthesis", "misc", "phdthesis", "proceedings", "techreport", "unpublished"}


def test_the_table_is_the_ontologys() -> None:
    onto = Graph().parse(ONTOLOGY)
    ns = str(KG._NS)
    root = URIRef(ns + "Work")
    classes = {root} | set(onto.transitive_subjects(RDFS.subClassOf, root))
    kinds = shipped_kinds()
    assert sorted(kinds.names()) == sorted(str(c).removeprefix(ns) for c in classes)
    for kind in kinds:
        label = onto.value(URIRef(kind.iri), RDFS.label)
        assert isinstance(label, Literal) and kind.label == str(label)
        assert set(kind.parents) == {str(p) for p in onto.objects(URIRef(kind.iri), RDFS.subClassOf)}
        assert kind.iri in kind.superclasses and set(kind.parents) <= set(kind.superclasses)
        assert re.fullmatch(r"#[0-9a-f]{6}", kind.colour)
        assert kind.bibtex in BIBTEX_TYPES and kind.csl in CSL_TYPES
    assert (kinds["JournalArticle"].bibtex, kinds["ConferencePaper"].bibtex, kinds["Book"].bibtex) == (
        "article", "inproceedings", "book")
    # Survey states no types of its own: it exports as its parent, a Paper.
    assert (onto.value(URIRef(ns + "Survey"), URIRef(KG.bibtexType))) is None
    assert (kinds["Survey"].bibtex, kinds["Survey"].csl) == (kinds["Paper"].bibtex, kinds["Paper"].csl)
    assert "http://purl.org/ontology/bibo/AcademicArticle" in kinds["Paper"].matches


def test_an_extension_kind_inherits_what_it_does_not_state(tmp_path: Path) -> None:
    extension = tmp_path / "kinds.ttl"
    extension.write_text(
        "@prefix kg: <https://w3id.org/kg/ontology#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'kg:LectureNotes a owl:Class ; rdfs:subClassOf kg:Book ; rdfs:label "Lecture notes"@en .\n'
        'kg:Handout a owl:Class ; rdfs:subClassOf kg:LectureNotes ; rdfs:label "Handout"@en ;\n'
        '    kg:mapColour "#123456" ; kg:cslType "manuscript" .\n',
        encoding="utf-8",
    )
    kinds = KindTable.from_ontology(load_ontology([extension]))
    notes, handout, book = kinds["LectureNotes"], kinds["Handout"], kinds["Book"]
    assert (notes.label, notes.colour, notes.bibtex, notes.csl) == ("Lecture notes", book.colour, "book", "book")
    assert (handout.colour, handout.bibtex, handout.csl) == ("#123456", "book", "manuscript")
    assert notes.superclasses == tuple(sorted({notes.iri, *book.superclasses}))
    assert kinds.classify([handout.iri, notes.iri, book.iri]) == "Handout"


def named_kinds() -> dict[str, set[str]]:
    """Every kind a module names outside the table: guessers, source mappings, fallbacks."""
    guessed = {
        guess_kind(url, Identifiers(url=url), title=title)
        for url, title in [("https://arxiv.org/abs/2101.00001", "A survey"), ("https://github.com/a/b", "x"),
                           ("https://example.org/", "x"), ("https://en.wikipedia.org/wiki/X", "X")]
    }
    return {
        "identify.kinds.KINDS": set(KINDS),
        "identify.kinds.PAPER_KINDS": set(PAPER_KINDS),
        "identify.kinds.guess_kind": guessed,
        "sources.snapshot": {kind for _, kind in snapshot._KINDS},
        "sources.semantic_scholar.records": {kind for _, kind in records._KINDS},
        "model.build": {
            _kind_from_ids(ids) for ids in (Identifiers(github="a/b"), Identifiers(arxiv="1"), Identifiers(doi="1"),
                                            Identifiers(url="https://example.org/"))
        } | {"WebPage"},
    }


@pytest.mark.parametrize("where", sorted(named_kinds()))
def test_every_kind_named_in_the_code_is_in_the_table(where: str) -> None:
    named = named_kinds()[where]
    assert named and named <= set(shipped_kinds().names()), named - set(shipped_kinds().names())


def test_guess_kind_returns_only_table_kinds() -> None:
    assert set(KINDS) <= set(shipped_kinds().names()) - {"Work"}


# --------------------------------------------------------------------------------------
# kg add kind … → the legend and the BibTeX export
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def extended(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The seed list with two kinds `kg add kind` declared and a resource of each."""
    root = tmp_path_factory.mktemp("extended")
    ws = Workspace(root / "extensions", read_reading_list(DEFAULT_LIST), "https://w3id.org/kg/id/")
    add_kind(ws, "LectureNotes", parent="Book", label="Lecture notes")
    add_kind(ws, "VideoLecture", parent="Course", label="Recorded lecture")
    add_topic(ws, "Synthetic approximation notes", broader="Approximation")
    add_resource(ws, "https://example.org/synthetic/notes.pdf", title="Synthetic lecture notes",
                 topic="Synthetic approximation notes", kind="LectureNotes", year=2021)
    add_resource(ws, "https://example.org/synthetic/video", title="A synthetic recorded lecture",
                 topic="Approximation", kind="VideoLecture")
    return build(BuildSettings(out_dir=root / "out", extensions=extension_files(ws.directory)))


def styles_by_label(result: BuildResult) -> dict[str, dict[str, Any]]:
    assert result.html_path is not None
    return {s["label"]: s for s in payload_of(result.html_path.read_text(encoding="utf-8"))["styles"]}


def test_a_new_kind_shows_its_label_in_the_legend(extended: BuildResult) -> None:
    assert extended.report is not None and extended.report.conforms, extended.report.violations
    styles = styles_by_label(extended)
    # The ontology's label, not the class name split at capitals ("Video lecture").
    assert styles["Lecture notes"]["bibtex"] == "book"
    assert styles["Recorded lecture"]["bibtex"] == "misc"
    assert "Video lecture" not in styles
    assert styles["Lecture notes"]["colour"] == shipped_kinds()["Book"].colour  # inherited
    html = extended.html_path.read_text(encoding="utf-8") if extended.html_path else ""
    assert "</span>Lecture notes <span class=\"kg-count\">1</span>" in html


def test_a_build_with_extensions_reads_back_with_their_ontology(extended: BuildResult) -> None:
    directory = extended.turtle_path.parent.parent / "extensions"
    found = read_graph(extended.turtle_path, kinds=KindTable.from_ontology(load_ontology(extension_files(directory))))
    add_pagerank(found)
    assert_same_graph(extended.graph, found)
    # What the extension files added says where it comes from, and keeps saying it.
    (topic,) = [t for t in found.topics() if t.label == "Synthetic approximation notes"]
    (note,) = topic.provenance.notes
    assert re.fullmatch(r".*topics\.ttl, line \d+", note), note
    (notes,) = [w for w in found.works() if w.kind == "LectureNotes"]
    assert notes.provenance.derived_from == (found.meta.list_iri,)
    assert re.fullmatch(r".*resources\.ttl, line \d+", notes.provenance.notes[0])


@pytest.mark.browser
def test_the_page_exports_a_new_kind_as_its_parents_bibtex_type(offline_browser: Any, extended: BuildResult) -> None:
    assert extended.html_path is not None
    (notes,) = [w.iri for w in extended.graph.works() if w.kind == "LectureNotes"]
    with offline_browser.open(extended.html_path, ready=READY) as visit:
        page = visit.page
        index = page.evaluate("iri => kg.idOf(iri)", notes)
        assert index is not None
        page.evaluate("i => kg.select(i)", index)
        bibtex = page.evaluate("kg.exportText('bibtex')")
        csv = page.evaluate("kg.exportText('csv')")
    assert bibtex.startswith("@book{") and "title = {{Synthetic lecture notes}}" in bibtex
    assert '"Lecture notes"' in csv
    assert visit.problems() == []


@pytest.mark.browser
def test_bibtex_keeps_addresses_verbatim(offline_browser: Any, tmp_path: Path) -> None:
    """BibTeX reads url and doi verbatim: _ % # ~ & stay as they are; only what would
    break the entry (braces, a backslash, spaces) is percent-encoded. Other fields escape."""
    from kg.map.page import write_html

    g = KnowledgeGraph(GraphMeta(title="Synthetic"))
    url = "https://example.org/a_b%20c/~d?e=1&f=#g"
    g.add(WorkNode(
        iri="https://example.org/w", label="Fast_and %slow & #1 ~ok", kind="JournalArticle",
        ids=Identifiers(doi="10.1000/a_b%c#d~e&f{g}"), url=url,
        listing=Listing(list_iri="https://example.org/list", title="Fast"),
    ))  # fmt: skip
    path = tmp_path / "map.html"
    write_html(g, path)
    with offline_browser.open(path, ready=READY) as visit:
        bibtex = visit.page.evaluate("kg.exportText('bibtex')")
    assert bibtex.startswith("@article{")
    assert "  url = {https://example.org/a_b%20c/~d?e=1&f=#g}" in bibtex
    assert "  doi = {10.1000/a_b%c#d~e&f%7Bg%7D}" in bibtex
    assert "title = {{Fast\\_and \\%slow \\& \\#1 \\textasciitilde{}ok}}" in bibtex
