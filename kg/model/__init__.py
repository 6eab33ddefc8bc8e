"""Stage 4, model: the one in-memory graph every later stage reads.

``records`` are the plain records between stages; ``build`` (with ``identity`` and
``people``) merges them into a :class:`~kg.model.graph.KnowledgeGraph` of typed records
(``nodes``, ``derived``); ``kinds`` is the kinds table read from the ontology (``ontology``,
``vocab``); ``iris`` mints IRIs.
"""
