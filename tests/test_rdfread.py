"""RDF back into the graph: kg's own Turtle round-trips, edited and foreign graphs are read."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from graphs import assert_same_graph

from kg.errors import DataError
from kg.model.build import build_graph
from kg.model.kinds import KindTable
from kg.model.nodes import Cites, PersonNode, TopicNode, WorkNode
from kg.model.ontology import load_ontology
from kg.model.records import (
    Citation,
    Corpus,
    Entry,
    Identifiers,
    Link,
    Origin,
    Person,
    ReadingList,
    Work,
)
from kg.pipeline import BuildResult
from kg.rdf.read import read_graph
from kg.rdf.write import write_turtle


@pytest.fixture
def seed(seed_build: BuildResult) -> BuildResult:
    """The session's seed build (tests only read it)."""
    return seed_build


def work(graph_node: object) -> WorkNode:
    assert isinstance(graph_node, WorkNode), graph_node
    return graph_node


def test_the_byline_order_survives_the_turtle(tmp_path: Path) -> None:
    # SYNTHETIC: twelve authors in an order no sort would give, so rdf:_10 follows rdf:_9.
    names = [f"{first} Synthetic" for first in "Mia Ann Zoe Bo Lia Kai Eve Jo Ida Cy Uma Ray".split()]
    work = Identifiers(s2="c" * 40)
    corpus = Corpus(
        reading_list=ReadingList(entries=()),
        works=[Work(ids=work, title="Twelve authors", authors=tuple(map(Person, names)),
                    origins=(Origin(source="semantic-scholar"),))],
    )
    path = tmp_path / "byline.ttl"
    write_turtle(build_graph(corpus), path)
    members = [  # read by pyoxigraph's parser, not kg's reader
        int(t.predicate.value.rsplit("_", 1)[1])
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        if t.predicate.value.startswith("http://www.w3.org/1999/02/22-rdf-syntax-ns#_")
    ]
    assert sorted(members) == list(range(1, 13))
    text = path.read_text(encoding="utf-8")
    assert text.index("rdf:_9 ") < text.index("rdf:_10 ") < text.index("rdf:_11 ")
    found = read_graph(path)
    assert [found.node(p).label for p in found.authors("https://www.semanticscholar.org/paper/" + "c" * 40)] == names


BYLINE = """
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix bibo: <http://purl.org/ontology/bibo/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix ex: <https://example.org/> .

# SYNTHETIC: one work whose byline alone names two authors, and a third creator outside it.
ex:w a bibo:AcademicArticle ; dcterms:title "Synthetic" ; bibo:authorList ex:w-authors ;
    dcterms:creator ex:aaron .
ex:w-authors a rdf:Seq ; rdf:_2 ex:yves ; rdf:_1 ex:zora .
ex:zora foaf:name "Zora Synthetic" . ex:yves foaf:name "Yves Synthetic" .
ex:aaron foaf:name "Aaron Synthetic" .
"""


def test_a_byline_alone_names_the_creators_in_order(tmp_path: Path) -> None:
    path = tmp_path / "byline.ttl"
    path.write_text(BYLINE, encoding="utf-8")
    g = read_graph(path)
    assert g.authors("https://example.org/w") == [
        "https://example.org/zora", "https://example.org/yves", "https://example.org/aaron",
    ]
    assert {g.node(n).group for n in g.authors("https://example.org/w")} == {"person"}
    assert "https://example.org/w-authors" not in g  # the list is a list, not a node to draw


def synthetic_corpus() -> Corpus:
    """SYNTHETIC: a made-up field touching every attribute the writer knows."""
    origin = Origin(source="semantic-scholar", retrieved="2026-01-01T00:00:00Z")
    a = Identifiers(s2="a" * 40, arxiv="2101.00001", doi="10.1/synthetic-a", corpus_id=1)
    b = Identifiers(s2="b" * 40)
    entries = (
        Entry(key="L1", title="Synthetic list", line=1, heading_level=1),
        Entry(key="L2", title="Synthetic section", line=2, parent="L1", heading_level=2),
        Entry(key="L3", title="Listed A", line=3, url="https://arxiv.org/abs/2101.00001",
              parent="L2", number="1", note="合成的笔记", note_lang="zh", year=2021,
              related=(Link("https://example.org/code", "code"), Link("https://arxiv.org/abs/2101.00001v2", ""),
                       Link("https://example.org/slides", "幻灯片"))),
    )
    return Corpus(
        reading_list=ReadingList(entries=entries, title="Synthetic list", source="synthetic.md"),
        entry_ids={"L3": Identifiers(arxiv="2101.00001", url="https://arxiv.org/abs/2101.00001")},
        entry_kinds={"L3": "Preprint"},
        works=[
            Work(ids=a, title="Synthetic A", kind="Preprint", year=2021, venue="Synthetic Venue",
                 authors=(Person("Zed Synthetic", s2_author_id="9"), Person("Amy Synthetic")),
                 fields_of_study=("Mathematics",), publication_types=("JournalArticle", "Review"),
                 citation_count=3, influential_citation_count=1, reference_count=1,
                 citations_fetched=1, tldr="Synthetic tldr.", abstract="Synthetic abstract.",
                 open_access_pdf="https://example.org/a.pdf", origins=(origin,)),
            Work(ids=b, title="Synthetic B", kind="JournalArticle", year=2019, origins=(origin,),
                 authors=(Person("Amy Synthetic"),)),
        ],
        citations=[Citation(citing=a, cited=b, origin=origin, is_influential=True,
                            intents=("methodology", "background"))],
    )


def test_a_fetched_field_round_trips(tmp_path: Path) -> None:
    graph = build_graph(synthetic_corpus())
    path = tmp_path / "field.ttl"
    write_turtle(graph, path)
    found = read_graph(path)
    assert_same_graph(graph, found)
    edge = found.edge("https://www.semanticscholar.org/paper/" + "a" * 40,
                      "https://www.semanticscholar.org/paper/" + "b" * 40, "cites")
    assert edge == Cites(is_influential=True, intents=("background", "methodology"))
    listed = work(found.node("https://www.semanticscholar.org/paper/" + "a" * 40)).listing
    assert listed is not None and [(link.text, link.url) for link in listed.related] == [
        ("code", "https://example.org/code"), ("", "https://arxiv.org/abs/2101.00001v2"),
        ("幻灯片", "https://example.org/slides"),
    ]  # in list order, with their text: nothing is lost through the Turtle


def test_a_graph_edited_with_sparql_is_read_as_edited(seed_build: BuildResult, tmp_path: Path) -> None:
    store = ox.Store()
    store.load(path=str(seed_build.turtle_path), format=ox.RdfFormat.TURTLE)
    store.update("""
        PREFIX kg: <https://w3id.org/kg/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX cito: <http://purl.org/spar/cito/>
        PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        DELETE { <https://arxiv.org/abs/1702.08489> kg:listedIn ?l }
        WHERE { <https://arxiv.org/abs/1702.08489> kg:listedIn ?l } ;
        DELETE { <https://arxiv.org/abs/2012.10931> rdfs:label ?t }
        INSERT { <https://arxiv.org/abs/2012.10931> rdfs:label "Renamed by SPARQL" }
        WHERE { <https://arxiv.org/abs/2012.10931> rdfs:label ?t } ;
        INSERT DATA {
            <https://arxiv.org/abs/2012.10931> cito:cites <https://doi.org/10.5555/new> ;
                dcterms:creator <https://example.org/new-person> .
            <https://example.org/new-person> a foaf:Person ; foaf:name "New Person" .
        }
    """)
    edited = tmp_path / "edited.ttl"
    store.dump(str(edited), format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
    found = read_graph(edited)
    assert work(found.node("https://arxiv.org/abs/1702.08489")).in_list is False
    assert found.node("https://arxiv.org/abs/2012.10931").label == "Renamed by SPARQL"
    assert found.has_edge("https://arxiv.org/abs/2012.10931", "https://doi.org/10.5555/new", "cites")
    assert work(found.node("https://doi.org/10.5555/new")).ids == Identifiers(doi="10.5555/new")
    assert found.node("https://example.org/new-person").label == "New Person"
    assert len(found) == len(seed_build.graph) + 2


FOREIGN = """
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix dc: <http://purl.org/dc/elements/1.1/> .
@prefix cito: <http://purl.org/spar/cito/> .
@prefix fabio: <http://purl.org/spar/fabio/> .
@prefix bibo: <http://purl.org/ontology/bibo/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <http://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .

# SYNTHETIC: a graph made elsewhere, in standard vocabularies only.
<https://doi.org/10.9999/J1> a fabio:JournalArticle ;
    dcterms:title "A synthetic journal article" ;
    dcterms:issued "2019-05-01"^^xsd:date ;
    dcterms:creator ex:ada , ex:bob ;
    dcterms:subject ex:kernels ;
    cito:cites <https://arxiv.org/abs/1806.07572> .
<https://arxiv.org/abs/1806.07572> a bibo:AcademicArticle ;
    schema:name "A synthetic preprint" ;
    schema:datePublished "2018" ;
    dc:creator "Carol Synthetic" ;
    cito:isCitedBy ex:book .
ex:book a schema:Book ; schema:name "A synthetic book" ; schema:author ex:ada ;
    dc:subject "Synthetic keyword" .
ex:ada a foaf:Person ; foaf:name "Ada Synthetic" ;
    <http://www.w3.org/2002/07/owl#sameAs> <https://orcid.org/0000-0002-1825-0097> .
ex:bob schema:name "Bob Synthetic" .
ex:kernels a skos:Concept ; skos:prefLabel "Kernels"@en , "Noyaux"@fr ; skos:broader ex:ml .
ex:ml skos:prefLabel "Machine learning" .
ex:notes a ex:SomethingElse ; dcterms:title "Not a work: nothing says it is one" .
"""


def test_a_graph_made_elsewhere_is_read_in_standard_vocabularies(tmp_path: Path) -> None:
    path = tmp_path / "foreign.ttl"
    path.write_text(FOREIGN, encoding="utf-8")
    g = read_graph(path)
    nodes = {n.iri: (n.group, n.label) for n in g.nodes()}
    assert nodes == {
        "https://doi.org/10.9999/J1": ("work", "A synthetic journal article"),
        "https://arxiv.org/abs/1806.07572": ("work", "A synthetic preprint"),
        "https://example.org/book": ("work", "A synthetic book"),
        "https://example.org/ada": ("person", "Ada Synthetic"),
        "https://example.org/bob": ("person", "Bob Synthetic"),
        "https://w3id.org/kg/id/person/carol-synthetic": ("person", "Carol Synthetic"),
        "https://example.org/kernels": ("topic", "Kernels"),
        "https://example.org/ml": ("topic", "Machine learning"),
        "https://w3id.org/kg/id/topic/synthetic-keyword": ("topic", "Synthetic keyword"),
    }
    article = work(g.node("https://doi.org/10.9999/J1"))
    assert article.kind == "JournalArticle" and article.year == 2019
    assert article.ids == Identifiers(doi="10.9999/j1")
    preprint = work(g.node("https://arxiv.org/abs/1806.07572"))
    assert preprint.kind == "Paper" and preprint.year == 2018 and preprint.title == "A synthetic preprint"
    assert preprint.ids == Identifiers(arxiv="1806.07572")
    assert work(g.node("https://example.org/book")).kind == "Book"
    ada = g.node("https://example.org/ada")
    assert isinstance(ada, PersonNode) and ada.orcid == "0000-0002-1825-0097"
    kernels = g.node("https://example.org/kernels")
    assert isinstance(kernels, TopicNode) and kernels.label == "Kernels"
    edges = {(u, v, e.relation) for u, v, e in g.edges()}
    assert {
        ("https://doi.org/10.9999/J1", "https://arxiv.org/abs/1806.07572", "cites"),
        ("https://example.org/book", "https://arxiv.org/abs/1806.07572", "cites"),  # isCitedBy
        ("https://example.org/book", "https://example.org/ada", "creator"),
        ("https://example.org/kernels", "https://example.org/ml", "broader"),
        ("https://example.org/book", "https://w3id.org/kg/id/topic/synthetic-keyword", "subject"),
    } <= edges
    assert g.authors("https://doi.org/10.9999/J1") == ["https://example.org/ada", "https://example.org/bob"]
    assert g.meta.title == "foreign"


def test_an_extension_kind_is_read_with_its_ontology(tmp_path: Path) -> None:
    extension = tmp_path / "lecture-notes.ttl"
    extension.write_text(
        "@prefix kg: <https://w3id.org/kg/ontology#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://example.org/onto#LectureNotes> a owl:Class ; rdfs:subClassOf kg:Book ;\n"
        "  rdfs:label \"Lecture notes\"@en .\n",
        encoding="utf-8",
    )
    data = tmp_path / "data.ttl"
    data.write_text(
        "<https://example.org/n> a <https://example.org/onto#LectureNotes> , "
        "<https://w3id.org/kg/ontology#Book> ;\n"
        "  <http://www.w3.org/2000/01/rdf-schema#label> \"Notes\" .\n",
        encoding="utf-8",
    )
    kinds = KindTable.from_ontology(load_ontology([extension]))
    assert work(read_graph(data, kinds=kinds).node("https://example.org/n")).kind == (
        "https://example.org/onto#LectureNotes"
    )
    assert work(read_graph(data).node("https://example.org/n")).kind == "Book"


def test_a_file_with_nothing_to_draw_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "nothing.ttl"
    path.write_text("<https://example.org/a> <https://example.org/p> \"x\" .\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"nothing\.ttl: no works, people or topics"):
        read_graph(path)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<https://example.org/a> <https://example.org/p> .\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.ttl"):
        read_graph(bad)
