"""The identify stage: identifiers and a kind for every resource of the list."""

from __future__ import annotations

from kg.identify.identifiers import identify_url
from kg.identify.kinds import guess_kind
from kg.model.records import Corpus
from kg.read.topics import topic_paths

__all__ = ["identify_entries"]


def identify_entries(corpus: Corpus) -> None:
    """Identifiers and kind of every resource of the list, from its URL and context."""
    paths = topic_paths(corpus.reading_list)
    for entry in corpus.entries:
        if entry.url is None:
            continue
        ids = identify_url(entry.url)
        corpus.entry_ids[entry.key] = ids
        corpus.entry_kinds[entry.key] = entry.kind or guess_kind(
            entry.url, ids, title=entry.title, topics=paths[entry.key], note=entry.note or "",
            role=entry.url_role, venue=entry.venue,
        )
