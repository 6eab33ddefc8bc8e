"""The one in-memory model: a :class:`KnowledgeGraph` of typed records over networkx.

Every stage after the sources reads and writes this graph (analysis, Turtle, the map, the
command's summary); :mod:`kg.rdf.read` makes the same graph from Turtle. Its records are in
:mod:`kg.model.nodes`:

- nodes, keyed by IRI: :class:`~kg.model.nodes.WorkNode`, :class:`~kg.model.nodes.PersonNode`,
  :class:`~kg.model.nodes.TopicNode`;
- edges, keyed by relation, at most one per relation between two nodes:

  ===============================  ==============================  ==========================
  record (relation)                from → to                       fields
  ===============================  ==============================  ==========================
  :class:`Cites` (``cites``)       work → work                     provenance, is_influential,
                                                                   intents
  :class:`Creator` (``creator``)   work → person                   position (0-based byline)
  ``Contributor`` (contributor)    work → person                   —
  ``Subject`` (``subject``)        work → topic                    —
  ``Broader`` (``broader``)        topic → broader topic           —
  ``PartOf`` (``part_of``)         work → containing work          —
  ===============================  ==============================  ==========================

- ``meta`` (:class:`~kg.model.nodes.GraphMeta`): the list's title, description and IRI, and
  the base IRI; ``sources``: the :class:`~kg.model.nodes.Source` entities provenance names;
  ``insights`` (:class:`~kg.model.derived.Insights`): what :mod:`kg.analysis` concluded
  from it, with the evidence (None until computed, or read from RDF that holds them).

The structure underneath is a :class:`networkx.MultiDiGraph` (``network``) whose node and
edge data hold the record under ``"record"``; algorithms (PageRank, layout, reduction) may
walk it directly. :meth:`KnowledgeGraph.to_networkx` gives users a plain copy with flat
attributes.

>>> g = KnowledgeGraph()
>>> g.add(WorkNode(iri="w1", label="A", kind="Preprint", year=2020))
>>> g.add(PersonNode(iri="p1", label="Ada"))
>>> g.link("w1", "p1", Creator(position=0))
>>> [w.label for w in g.works()], [(u, v, e.position) for u, v, e in g.edges(Creator)]
(['A'], [('w1', 'p1', 0)])
>>> flat = g.to_networkx()
>>> flat.nodes["w1"]["year"], flat.edges["w1", "p1", "creator"]["position"]
(2020, 0)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import fields, is_dataclass
from typing import TYPE_CHECKING, Any, TypeVar, overload

import networkx as nx

from kg.model.derived import Insights
from kg.model.nodes import (
    Creator,
    Edge,
    GraphMeta,
    Node,
    PersonNode,
    Source,
    TopicNode,
    WorkNode,
)
from kg.model.records import Link

if TYPE_CHECKING:
    import pandas
    import pyoxigraph
    import rdflib

    from kg.model.kinds import KindTable

__all__ = ["KnowledgeGraph"]

N = TypeVar("N", bound=Node)
E = TypeVar("E", bound=Edge)

_RECORD = "record"


class KnowledgeGraph:
    """Works, people and topics, and the relations between them (see the module docstring)."""

    __slots__ = ("meta", "sources", "kinds", "insights", "_network")

    def __init__(
        self,
        meta: GraphMeta | None = None,
        *,
        sources: dict[str, Source] | None = None,
        network: nx.MultiDiGraph | None = None,
        kinds: KindTable | None = None,
        insights: Insights | None = None,
    ) -> None:
        self.meta = meta if meta is not None else GraphMeta()
        self.sources: dict[str, Source] = dict(sources or {})
        self.kinds = kinds
        """The kinds of works the graph's ontology declares (its extensions' included);
        None: the shipped ontology's. The Turtle writer and the map read it."""
        self.insights = insights
        self._network = network if network is not None else nx.MultiDiGraph()

    @property
    def network(self) -> nx.MultiDiGraph:
        """The live structure: nodes keyed by IRI, edges by relation, records under ``"record"``.
        Read it freely; change the graph through :meth:`add` and :meth:`link`."""
        return self._network

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {self.meta.title!r}: {len(self)} nodes, {self.number_of_edges()} edges>"

    # --- nodes ---------------------------------------------------------------------------

    def add(self, node: Node) -> None:
        """Add ``node``, or replace the record of the node with its IRI (edges stay)."""
        if node.iri in self._network:
            self._network.nodes[node.iri][_RECORD] = node
        else:
            self._network.add_node(node.iri, record=node)

    def node(self, iri: str) -> Node:
        """The record of the node ``iri`` (KeyError when there is none)."""
        record: Node = self._network.nodes[iri][_RECORD]
        return record

    def get(self, iri: str) -> Node | None:
        data = self._network.nodes.get(iri)
        return None if data is None else data[_RECORD]

    def __contains__(self, iri: object) -> bool:
        return iri in self._network

    def __len__(self) -> int:
        return int(self._network.number_of_nodes())

    def number_of_nodes(self) -> int:
        return len(self)

    def number_of_edges(self) -> int:
        return int(self._network.number_of_edges())

    def nodes(self) -> Iterator[Node]:
        """Every node's record, in insertion order."""
        for _, record in self._network.nodes(data=_RECORD):
            yield record

    def _of_type(self, kind: type[N]) -> Iterator[N]:
        for _, record in self._network.nodes(data=_RECORD):
            if isinstance(record, kind):
                yield record

    def works(self) -> Iterator[WorkNode]:
        return self._of_type(WorkNode)

    def people(self) -> Iterator[PersonNode]:
        return self._of_type(PersonNode)

    def topics(self) -> Iterator[TopicNode]:
        return self._of_type(TopicNode)

    # --- edges ---------------------------------------------------------------------------

    def link(self, source: str, target: str, edge: Edge) -> None:
        """Add the edge (replacing the record of an edge of the same relation between them).
        Both ends must be nodes already."""
        if source not in self._network or target not in self._network:
            missing = source if source not in self._network else target
            raise KeyError(f"{missing}: not a node of the graph")
        self._network.add_edge(source, target, key=edge.relation, record=edge)

    def edge(self, source: str, target: str, relation: str) -> Edge | None:
        data = self._network.get_edge_data(source, target, relation)
        return None if data is None else data[_RECORD]

    def has_edge(self, source: str, target: str, relation: str) -> bool:
        return bool(self._network.has_edge(source, target, relation))

    @overload
    def edges(self) -> Iterator[tuple[str, str, Edge]]: ...
    @overload
    def edges(self, kind: type[E]) -> Iterator[tuple[str, str, E]]: ...
    def edges(self, kind: type[Edge] | None = None) -> Iterator[tuple[str, str, Edge]]:
        """``(source, target, record)`` of every edge, or of every edge of one record type."""
        wanted = None if kind is None else kind.relation
        for source, target, key, record in self._network.edges(keys=True, data=_RECORD):
            if wanted is None or key == wanted:
                yield source, target, record

    @overload
    def out_edges(self, iri: str) -> Iterator[tuple[str, Edge]]: ...
    @overload
    def out_edges(self, iri: str, kind: type[E]) -> Iterator[tuple[str, E]]: ...
    def out_edges(self, iri: str, kind: type[Edge] | None = None) -> Iterator[tuple[str, Edge]]:
        """``(target, record)`` of the edges leaving ``iri``."""
        wanted = None if kind is None else kind.relation
        for _, target, key, record in self._network.out_edges(iri, keys=True, data=_RECORD):
            if wanted is None or key == wanted:
                yield target, record

    @overload
    def in_edges(self, iri: str) -> Iterator[tuple[str, Edge]]: ...
    @overload
    def in_edges(self, iri: str, kind: type[E]) -> Iterator[tuple[str, E]]: ...
    def in_edges(self, iri: str, kind: type[Edge] | None = None) -> Iterator[tuple[str, Edge]]:
        """``(source, record)`` of the edges entering ``iri``."""
        wanted = None if kind is None else kind.relation
        for source, _, key, record in self._network.in_edges(iri, keys=True, data=_RECORD):
            if wanted is None or key == wanted:
                yield source, record

    def authors(self, work: str) -> list[str]:
        """The people who wrote ``work``, in byline order."""
        creators = sorted((e.position, p) for p, e in self.out_edges(work, Creator))
        return [person for _, person in creators]

    def byline_is_partial(self, work: str) -> bool:
        """Whether ``work``'s byline is the list's and the list says it is partial ("et
        al.", "等"): no source gave a longer one."""
        node = self.node(work)
        listing = node.listing if isinstance(node, WorkNode) else None
        return listing is not None and listing.et_al and len(self.authors(work)) <= len(listing.authors)

    # --- copies --------------------------------------------------------------------------

    def subgraph(self, nodes: Iterable[str]) -> KnowledgeGraph:
        """A new graph of ``nodes`` and the edges between them (records are shared: frozen).
        The insights stay whole: they may name nodes the part lacks."""
        return KnowledgeGraph(
            self.meta,
            sources=self.sources,
            network=nx.MultiDiGraph(self._network.subgraph(nodes)),
            kinds=self.kinds,
            insights=self.insights,
        )

    def copy(self) -> KnowledgeGraph:
        return KnowledgeGraph(
            self.meta, sources=self.sources, network=self._network.copy(), kinds=self.kinds, insights=self.insights
        )

    def remove_edges(self, edges: Iterable[tuple[str, str, str]]) -> None:
        """Remove ``(source, target, relation)`` edges."""
        self._network.remove_edges_from(edges)

    def to_networkx(self) -> nx.MultiDiGraph:
        """A plain copy for users and algorithms: nodes keyed by IRI with flat attributes
        (``group``, ``label``, ``kind``, ``year``…; identifiers by scheme: ``doi``, ``arxiv``…;
        the list's words prefixed ``listed_``; ``in_list``), edges keyed by relation; tuples
        joined with "; ". Every value is a string, a number or a boolean (GraphML can hold it).
        ``graph`` holds the list's ``title``, ``description``, ``list_iri`` and ``base_iri``."""
        flat = nx.MultiDiGraph(**_flat(self.meta))
        for record in self.nodes():
            attrs = {"group": record.group, **_flat(record)}
            if isinstance(record, WorkNode):
                attrs["in_list"] = record.in_list
            flat.add_node(record.iri, **attrs)
        for source, target, edge in self.edges():
            flat.add_edge(source, target, key=edge.relation, **_flat(edge))
        return flat

    # The notebook views are made by kg.export.notebook, imported when asked for.

    def _repr_html_(self) -> str:
        """The interactive map, as a notebook shows it (an ``<iframe srcdoc>``, offline)."""
        from kg.export.notebook import notebook_html

        return notebook_html(self)

    def to_pandas(self) -> dict[str, pandas.DataFrame]:
        """Tables for analysis: ``works``, ``people``, ``topics`` (indexed by IRI) and
        ``citations`` (``citing``, ``cited``, ``influential``). Needs pandas
        (``pip install "kg[notebook]"``)."""
        from kg.export.notebook import graph_tables

        return graph_tables(self)

    # The RDF views are made by the Turtle writer (kg.rdf), imported when asked for: the
    # model itself does not depend on the stages that read it.

    def to_ntriples(self) -> bytes:
        """The graph's triples as kg writes them (sorted N-Triples, the Turtle's content)."""
        from kg.rdf.write import sorted_ntriples

        return "".join(sorted_ntriples(self, self.kinds)).encode()

    def to_pyoxigraph(self) -> pyoxigraph.Store:
        """The graph's triples in a new in-memory pyoxigraph store (SPARQL, any RDF format).

        >>> g = KnowledgeGraph()
        >>> g.add(WorkNode(iri="https://arxiv.org/abs/1702.08489", label="A", kind="Preprint"))
        >>> store = g.to_pyoxigraph()
        >>> bool(store.query("ASK { ?w a <http://purl.org/spar/fabio/Preprint> }"))
        True
        """
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_load(self.to_ntriples(), format=ox.RdfFormat.N_TRIPLES)
        return store

    def to_rdflib(self) -> rdflib.Graph:
        """The graph's triples in a new rdflib Graph, with kg's prefixes bound (rdflib is
        slow past a few hundred thousand triples: prefer :meth:`to_pyoxigraph` there)."""
        import rdflib

        from kg.model.vocab import PREFIXES

        graph = rdflib.Graph(bind_namespaces="core")
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        return graph.parse(data=self.to_ntriples(), format="nt")


# Nested records whose fields are flattened with a prefix.
_PREFIXES = {"ids": "", "listing": "listed_", "provenance": ""}
# Fields whose flat name is not their own (the rest keep theirs).
_RENAMED = {"listed_list_iri": "listed_in"}


def _flat(record: Any, prefix: str = "") -> dict[str, Any]:
    """A record's fields as scalar attributes (None left out)."""
    out: dict[str, Any] = {}
    for f in fields(record):
        value = getattr(record, f.name)
        name = _RENAMED.get(prefix + f.name, prefix + f.name)
        if value is None or value == ():
            continue
        if is_dataclass(value) and not isinstance(value, type):
            out.update(_flat(value, prefix + _PREFIXES.get(f.name, f.name + "_")))
        elif isinstance(value, tuple):
            out[name] = "; ".join(item.url if isinstance(item, Link) else str(item) for item in value)
        else:
            out[name] = value
    return out

