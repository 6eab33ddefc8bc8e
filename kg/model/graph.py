"""The one in-memory model: a :class:`networkx.MultiDiGraph` built from a :class:`Corpus`.

Every later stage (analysis, RDF, HTML) reads this graph; none keeps a second model.

Nodes are keyed by IRI (a string). Node attributes:

================  =======================================================================
``group``         ``"work"``, ``"person"`` or ``"topic"``
``label``         what to show: a work's title (or how a source names it), a person's
                  name, a topic's label
``kind``          works only: local name of a kg class (``"Preprint"``, ``"Book"``…)
``in_list``       works only: ``True`` for resources of the reading list
``title``         canonical title, when a source gives one
``year``          int
``venue``         str
``note``          the curator's note; ``note_lang`` its language (``"zh"``, ``"en"``)
``url``           the address the list gives (or the source's page for fetched works)
``number``        the curator's number (``"6.2"``); ``line`` the source line
``listed_title``  the list's link text; ``listed_year`` the year the list writes
``ids``           ``dict`` scheme → value (``arxiv``, ``doi``, ``s2``…, see Identifiers)
``related``       list of ``(url, text)`` further links of the list item
``citation_count``, ``influential_citation_count``, ``reference_count``,
``citations_fetched``, ``tldr``, ``abstract``, ``open_access_pdf``, ``publication_types``
``origins``       list of :class:`~kg.records.Origin`
``pagerank``      works only: PageRank in the citation network (:mod:`kg.analysis`)
``scheme``        topics only: ``"list"`` (the list's sections and groups) or
                  ``"fields-of-study"`` (Semantic Scholar fields)
``source``        topics only: the extension file that added the topic (``line`` is then
                  a line of it), ``None`` for the list's own
================  =======================================================================

Edges are keyed by relation (``G.edges[u, v, key]``):

================  =============================  ==========================================
key               from → to                      attributes
================  =============================  ==========================================
``cites``         work → work                    ``origins``, ``is_influential``, ``intents``
``creator``       work → person                  ``position`` (0-based author order)
``contributor``   work → person                  —
``subject``       work → topic                   —
``broader``       topic → broader topic          —
``part_of``       work → containing work         —
================  =============================  ==========================================

``G.graph`` holds ``title`` (the list's title), ``list_iri`` and ``base_iri``.
"""

from __future__ import annotations

__all__ = ["WORK", "PERSON", "TOPIC", "CITES", "CREATOR", "CONTRIBUTOR", "SUBJECT", "BROADER", "PART_OF", "EDGE_KINDS"]

# Node groups
WORK = "work"
PERSON = "person"
TOPIC = "topic"

# Edge keys
CITES = "cites"
CREATOR = "creator"
CONTRIBUTOR = "contributor"
SUBJECT = "subject"
BROADER = "broader"
PART_OF = "part_of"
EDGE_KINDS = (CITES, CREATOR, CONTRIBUTOR, SUBJECT, BROADER, PART_OF)
