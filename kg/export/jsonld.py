"""The graph as JSON-LD: the triples of ``kg.ttl``, compacted with the context kg publishes
(``ontology/context.jsonld``, shipped in the package), written by rdflib.

The context gives each property kg writes a short name (``title``, ``year``, ``cites``,
``derivedFrom``…) with its datatype or ``@id``, and the vocabularies their usual prefixes,
so a work reads as ``{"@id": …, "@type": ["fabio:Preprint", …], "title": …, "year":
"2017"}``. It is written into the file whole, so the file needs nothing from the network;
a literal whose datatype differs from the term's keeps the prefixed property name with a
typed value, so nothing is lost: expanding the file gives exactly the Turtle's triples.
Nodes are sorted by ``@id`` (rdflib's own order depends on hashing, and output must not).
"""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Any

from kg.model.graph import KnowledgeGraph
from kg.resources import ontology_dir

if TYPE_CHECKING:
    import rdflib

__all__ = ["context", "jsonld_text", "CONTEXT_FILE"]

CONTEXT_FILE = "context.jsonld"


@functools.cache
def _context_text() -> str:
    return (ontology_dir() / CONTEXT_FILE).read_text(encoding="utf-8")


def context() -> dict[str, Any]:
    """The ``@context`` object kg publishes (a fresh copy)."""
    found: dict[str, Any] = json.loads(_context_text())["@context"]
    return found


def _sort_key(node: Any) -> str:
    return str(node.get("@id", "")) if isinstance(node, dict) else ""


def jsonld_text(graph: KnowledgeGraph | rdflib.Graph) -> str:
    """JSON-LD of a graph: of the typed graph's triples as kg writes them, or of an RDF
    graph as it is (``kg export`` hands in the file's own triples)."""
    rdf = graph.to_rdflib() if isinstance(graph, KnowledgeGraph) else graph
    document: Any = json.loads(rdf.serialize(format="json-ld", context=context(), auto_compact=True))
    if isinstance(document, dict) and isinstance(document.get("@graph"), list):
        document["@graph"].sort(key=_sort_key)
    elif isinstance(document, dict) and "@context" not in document:  # an empty graph
        document = {"@context": context(), "@graph": []}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
