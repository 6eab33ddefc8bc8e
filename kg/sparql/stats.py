"""What a graph holds: triples, instances per class, uses per property, resources per topic."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg.model.vocab import PREFIXES

__all__ = ["GraphStats", "graph_stats", "compact"]

_CLASSES = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) ?c"
_PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) ?p"
_TOPICS = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX kg: <https://w3id.org/kg/ontology#>
SELECT ?topic (SAMPLE(?label) AS ?name) (COUNT(DISTINCT ?r) AS ?n) WHERE {
  ?topic a skos:Concept ; skos:prefLabel ?label .
  OPTIONAL { ?r dcterms:subject ?topic ; kg:listedIn ?list }
} GROUP BY ?topic ORDER BY DESC(?n) ?name
"""


@dataclass(frozen=True)
class GraphStats:
    triples: int
    classes: list[tuple[str, int]]
    properties: list[tuple[str, int]]
    topics: list[tuple[str, str, int]]
    """(topic IRI, label, number of list resources about it)"""


def compact(iri: str) -> str:
    """``kg:Preprint`` for a full IRI whose namespace has a prefix; the IRI otherwise.

    >>> compact("http://purl.org/spar/cito/cites")
    'cito:cites'
    """
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _rows(store: ox.Store, query: str) -> list[list[ox.NamedNode | ox.Literal]]:
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    return [[solution[v] for v in solutions.variables] for solution in solutions]


def graph_stats(store: ox.Store) -> GraphStats:
    """Count what ``store`` holds (its default graph)."""
    return GraphStats(
        triples=len(store),
        classes=[(c.value, int(n.value)) for c, n in _rows(store, _CLASSES)],
        properties=[(p.value, int(n.value)) for p, n in _rows(store, _PROPERTIES)],
        topics=[(t.value, label.value, int(n.value)) for t, label, n in _rows(store, _TOPICS)],
    )
