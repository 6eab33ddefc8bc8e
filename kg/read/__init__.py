"""Stage 1, read: the inputs a curator owns, as plain records.

A Markdown reading list (``markdown``, with ``inline``, ``tables``, ``entry_text``,
``bylines``, ``people``, ``links``: the list's own words) becomes a
:class:`~kg.model.records.ReadingList` of :class:`~kg.model.records.Entry` records;
``extensions`` merges the curator's Turtle extensions into the list and the ontology;
``additions`` writes such extensions (``kg add``); ``list_style`` writes new items back in the
list's own habits (the insights' patch).
"""
