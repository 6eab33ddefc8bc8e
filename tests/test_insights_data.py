"""The insights' data layer: the derived-fact records go to RDF and back unchanged, with
their evidence as PROV, conform to the shapes, reach the page's payload by node index, and
survive the map's reduction.

The findings here are made by hand on the seed graph (offline, bundled facts) so that
every kind of record, every field and every kind of evidence is present; what the
analyses conclude is tested in test_insights.py.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import Graph

from kg.map.payload import page_data
from kg.map.reduce import MapLimits, influence_of, reduce_for_map
from kg.model.derived import Candidate, Community, Derivative, Insights, Misfit, Similarity
from kg.model.graph import KnowledgeGraph
from kg.model.kinds import shipped_kinds
from kg.model.nodes import Cites
from kg.model.ontology import load_ontology
from kg.pipeline import BuildSettings, build
from kg.rdf.read import read_graph
from kg.rdf.validate import load_shapes, validate_graph
from kg.rdf.write import write_turtle


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    out = tmp_path_factory.mktemp("seed")
    return build(BuildSettings(out_dir=out, validate=False, html=False, s2=None, insights=None)).graph


def handmade(graph: KnowledgeGraph) -> Insights:
    """One finding of each kind, on real citations of the graph."""
    listed = {w.iri for w in graph.works() if w.in_list}
    edges = sorted((u, v) for u, v, _ in graph.edges(Cites) if u in listed and v not in listed)
    (a, x), (b, y) = edges[0], next(e for e in edges if e[0] != edges[0][0] and e[1] != edges[0][1])
    topics = sorted(t.iri for t in graph.topics() if t.scheme == graph.meta.list_iri)
    pair = (min(a, b), max(a, b))
    return Insights(
        candidates=(
            Candidate(work=x, score=2.5, rank=1, topic=topics[1], evidence=((a, x),)),
            Candidate(work=y, score=1.0, rank=2, evidence=((b, y),)),
        ),
        derivatives=(Derivative(work=y, score=1.333, rank=1, evidence=((b, y),)),),
        similarities=(Similarity(ends=pair, cocitations=2, couplings=1, evidence=((a, x), (b, y))),),
        misfiled=(Misfit(resource=a, topic=topics[1], suggested=topics[2], agreement=0.75,
                         evidence=((a, x),), similar=(pair,)),),  # fmt: skip
        communities=(
            Community(number=1, label="approximation: depth, width", members=tuple(sorted({a, b, x})),
                      terms=("depth", "width"), topics=(topics[1],), evidence=((a, x),), similar=(pair,)),
            Community(number=2, label="another", members=(y,)),
        ),  # fmt: skip
        disconnected=(topics[3],),
        isolated=(b,),
        modularity=0.412,
        notes=("a first note", "a second note"),
    )


@pytest.fixture(scope="module")
def with_insights(seed: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> tuple[KnowledgeGraph, Path]:
    graph = seed.copy()
    graph.insights = handmade(graph)
    path = tmp_path_factory.mktemp("written") / "kg.ttl"
    write_turtle(graph, path)
    return graph, path


def test_insights_read_back_as_the_records_they_were_written_from(with_insights: tuple[KnowledgeGraph, Path]) -> None:
    graph, path = with_insights
    again = read_graph(path)
    assert again.insights == graph.insights
    # Written again, the same bytes.
    second = path.with_name("again.ttl")
    write_turtle(again, second)
    assert second.read_bytes() == path.read_bytes()


def test_a_graph_without_insights_reads_back_without_them(seed: KnowledgeGraph, tmp_path: Path) -> None:
    path = tmp_path / "plain.ttl"
    write_turtle(seed, path)
    assert read_graph(path).insights is None
    assert "InsightReport" not in path.read_text(encoding="utf-8")


def test_every_finding_is_derived_from_citation_resources(with_insights: tuple[KnowledgeGraph, Path]) -> None:
    graph, path = with_insights
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    rows = store.query("""
        PREFIX kg: <https://w3id.org/kg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX cito: <http://purl.org/spar/cito/>
        SELECT ?citing WHERE {
          ?c a kg:Candidate ; kg:rank 1 ; prov:wasDerivedFrom ?e .
          ?e a cito:Citation ; cito:hasCitingEntity ?citing ; cito:hasCitedEntity ?cited .
          ?citing cito:cites ?cited .
        }""")
    assert graph.insights is not None
    assert [r["citing"].value for r in rows] == list(graph.insights.candidates[0].cited_by)  # type: ignore[index]
    chained = store.query("""
        PREFIX kg: <https://w3id.org/kg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT (COUNT(*) AS ?n) WHERE { ?m a kg:Misfiling ; prov:wasDerivedFrom ?s . ?s a kg:Similarity ;
          prov:wasDerivedFrom ?e }""")
    assert int(next(iter(chained))["n"].value) == 2  # type: ignore[index]


def test_the_insights_conform_to_the_shapes(with_insights: tuple[KnowledgeGraph, Path]) -> None:
    _, path = with_insights
    report = validate_graph(Graph().parse(path), load_ontology())
    assert report.conforms, [str(v) for v in report.violations]
    conforms, _, text = pyshacl.validate(
        Graph().parse(path), shacl_graph=load_shapes(), ont_graph=load_ontology().graph, inference="rdfs",
        allow_warnings=True,
    )
    assert conforms, text


def test_the_payload_names_findings_by_node_index(with_insights: tuple[KnowledgeGraph, Path]) -> None:
    graph, _ = with_insights
    assert graph.insights is not None
    page = page_data(graph, influence_of(graph), shipped_kinds())
    order = sorted(n.iri for n in graph.nodes())
    at = {iri: i for i, iri in enumerate(order)}
    found = json.loads(json.dumps(page.payload["insights"]))
    first = graph.insights.candidates[0]
    assert found["candidates"][0] == {
        "node": at[first.work], "score": 2.5, "evidence": [at[i] for i in first.cited_by], "topic": at[first.topic or ""],
    }
    assert found["candidates"][1]["topic"] is None
    misfit = graph.insights.misfiled[0]
    assert found["misfiled"] == [{
        "node": at[misfit.resource], "topic": at[misfit.topic], "suggested": at[misfit.suggested],
        "agreement": 0.75, "evidence": sorted(at[n] for n in misfit.neighbours),
    }]  # fmt: skip
    assert [c["id"] for c in found["communities"]] == ["c1", "c2"]
    community = page.payload["nodes"]["community"]
    assert len(community) == len(order)
    assert {i for i, c in enumerate(community) if c == 0} == set(found["communities"][0]["members"])
    assert found["isolated"] == [at[graph.insights.isolated[0]]]
    assert found["disconnected"] == [at[graph.insights.disconnected[0]]]
    assert found["notes"] == ["a first note", "a second note"] and found["modularity"] == 0.412


def test_a_graph_without_insights_has_an_empty_insights_payload(seed: KnowledgeGraph) -> None:
    page = page_data(seed, influence_of(seed), shipped_kinds())
    assert page.payload["insights"]["candidates"] == [] and set(page.payload["nodes"]["community"]) == {-1}


def test_the_map_reduction_keeps_what_the_insights_name(with_insights: tuple[KnowledgeGraph, Path]) -> None:
    graph, _ = with_insights
    assert graph.insights is not None
    # A budget that only fits the topics and list resources (and their authors).
    fixed = sum(1 for n in graph.nodes() if n.group == "topic" or getattr(n, "in_list", False))
    shown, reduction = reduce_for_map(graph, MapLimits(max_nodes=fixed + 5))
    assert reduction.reduced
    assert graph.insights.named_works() <= {n.iri for n in shown.nodes()}
    # Without insights the same budget leaves the candidates out.
    bare, _ = reduce_for_map(replace_insights(graph, None), MapLimits(max_nodes=fixed + 5))
    assert not graph.insights.named_works() <= {n.iri for n in bare.nodes()}


def replace_insights(graph: KnowledgeGraph, insights: Insights | None) -> KnowledgeGraph:
    copy = graph.copy()
    copy.insights = insights
    return copy


def test_records_stay_frozen() -> None:
    candidate = Candidate(work="w", score=1.0, rank=1)
    with pytest.raises(AttributeError):
        candidate.score = 2.0  # type: ignore[misc]
    assert replace(candidate, rank=2).rank == 2
