"""The typed model: records, the KnowledgeGraph's accessors, its plain networkx copy, and
what the build leaves out because RDF could not state it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import networkx as nx
import pytest
from graphs import field_graph

from kg.model.build import build_graph
from kg.model.graph import KnowledgeGraph
from kg.model.nodes import Cites, Creator, PersonNode, Subject, WorkNode
from kg.model.records import Corpus, Entry, Identifiers, Link, Origin, Person, ReadingList, Work

SURVEY = "https://arxiv.org/abs/2012.10931"


def test_typed_accessors() -> None:
    g = field_graph()
    assert {w.iri for w in g.works()} >= {SURVEY, "https://arxiv.org/abs/1806.07572"}
    assert all(isinstance(p, PersonNode) for p in g.people())
    assert g.authors(SURVEY) == ["https://w3id.org/kg/id/person/he", "https://w3id.org/kg/id/person/tao"]
    cites = list(g.edges(Cites))
    assert len(cites) == 6 and all(isinstance(e, Cites) for _, _, e in cites)
    assert [t for t, _ in g.out_edges(SURVEY, Subject)] == ["https://w3id.org/kg/id/topic/overview"]
    assert {s for s, _ in g.in_edges("https://arxiv.org/abs/1806.07572", Cites)} == {
        SURVEY, "https://w3id.org/kg/id/book/dlt", "https://w3id.org/kg/id/repo/ntk"}
    assert g.get("https://example.org/nothing") is None and "https://example.org/nothing" not in g
    with pytest.raises(KeyError, match="not a node"):
        g.link(SURVEY, "https://example.org/nothing", Cites())
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.node(SURVEY).label = "changed"  # type: ignore[misc]


def test_a_subgraph_is_a_new_graph_sharing_the_records() -> None:
    g = field_graph()
    part = g.subgraph([SURVEY, "https://w3id.org/kg/id/person/he"])
    assert len(part) == 2 and [e.position for _, _, e in part.edges(Creator)] == [0]
    part.remove_edges([(SURVEY, "https://w3id.org/kg/id/person/he", "creator")])
    assert g.has_edge(SURVEY, "https://w3id.org/kg/id/person/he", "creator")
    assert part.node(SURVEY) is g.node(SURVEY)


def test_to_networkx_is_a_plain_copy_any_writer_can_take(tmp_path: Path) -> None:
    g = field_graph()
    flat = g.to_networkx()
    assert flat.number_of_nodes() == len(g) and flat.number_of_edges() == g.number_of_edges()
    survey = flat.nodes[SURVEY]
    assert survey["group"] == "work" and survey["kind"] == "Survey" and survey["in_list"] is True
    assert (survey["arxiv"], survey["listed_number"], survey["listed_note"]) == ("2012.10931", "1", "综述，覆盖面很广")
    assert flat.edges[SURVEY, "https://w3id.org/kg/id/person/tao", "creator"] == {"position": 1}
    assert flat.graph["title"] == "Deep Learning Theory"
    values = [v for _, attrs in flat.nodes(data=True) for v in attrs.values()]
    values += [v for *_, attrs in flat.edges(keys=True, data=True) for v in attrs.values()]
    assert all(isinstance(v, (str, int, float, bool)) for v in values)
    nx.write_graphml(flat, tmp_path / "g.graphml")  # GraphML holds scalars only
    assert nx.read_graphml(tmp_path / "g.graphml").nodes[SURVEY]["kind"] == "Survey"
    flat.nodes[SURVEY]["kind"] = "Book"
    assert isinstance(g.node(SURVEY), WorkNode) and g.node(SURVEY).kind == "Survey"  # type: ignore[union-attr]


def test_the_build_keeps_only_what_rdf_can_state() -> None:
    """SYNTHETIC: addresses that are not IRIs, a malformed ORCID, an author named twice."""
    ids = Identifiers(s2="d" * 40)
    entry = Entry(key="L2", title="Synthetic", line=2, url="https://example.org/a", parent="L1",
                  related=(Link("https://example.org/code", "code"), Link("https://exa mple.org/x", "bad"),
                           Link("https://example.org/code", "again")))
    corpus = Corpus(
        reading_list=ReadingList(entries=(Entry(key="L1", title="Topic", line=1, heading_level=2), entry)),
        entry_ids={"L2": Identifiers(s2="d" * 40, url="https://example.org/a")},
        works=[Work(ids=ids, title="", venue="", year=0, open_access_pdf="https://exa mple.org/pdf",
                    authors=(Person("Ann Synthetic", s2_author_id="1", orcid="not-an-orcid"),
                             Person("Bo Synthetic", s2_author_id="2"), Person("Ann Synthetic", s2_author_id="1"),
                             Person("Cy Synthetic", s2_author_id="3")),
                    origins=(Origin(source="semantic-scholar", urls=("https://exa mple.org/api",)),))],
    )
    g = build_graph(corpus)
    work = g.node("https://www.semanticscholar.org/paper/" + "d" * 40)
    assert isinstance(work, WorkNode) and work.listing is not None
    assert (work.venue, work.year, work.open_access_pdf) == (None, None, None)
    assert work.title == work.label == "Synthetic"  # the list's words, as the source's title is empty
    assert work.ids == Identifiers(s2="d" * 40)  # the address only named it
    assert work.listing.related == (Link("https://example.org/code", "code"),)
    assert work.provenance.derived_from == (g.meta.list_iri,) and not g.sources
    ann = g.node("https://www.semanticscholar.org/author/1")
    assert isinstance(ann, PersonNode) and ann.orcid is None
    assert [e.position for _, e in sorted(g.out_edges(work.iri, Creator), key=lambda x: x[1].position)] == [0, 1, 2]
    assert [g.node(p).label for p in g.authors(work.iri)] == ["Ann Synthetic", "Bo Synthetic", "Cy Synthetic"]


def test_an_empty_graph() -> None:
    g = KnowledgeGraph()
    assert len(g) == 0 and list(g.works()) == [] and g.to_networkx().number_of_nodes() == 0
