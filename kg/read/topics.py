"""Where each entry of a reading list sits: the topics enclosing it."""

from __future__ import annotations

from kg.model.records import ReadingList

__all__ = ["topic_paths"]


def topic_paths(reading_list: ReadingList) -> dict[str, tuple[str, ...]]:
    """For each entry key, the titles of the topics enclosing it, outermost first.

    Resources on the way up are passed over (a post under a blog keeps the blog's
    section), which is what :func:`kg.identify.kinds.guess_kind` wants as ``topics``.

    >>> from kg.read.markdown import parse_reading_list
    >>> rl = parse_reading_list("# T\\n## Books\\n- Group\\n  - [B](https://b.org)\\n")
    >>> topic_paths(rl)[rl.entries[-1].key]
    ('T', 'Books', 'Group')
    """
    by_key = {e.key: e for e in reading_list.entries}
    paths: dict[str, tuple[str, ...]] = {}
    for entry in reading_list.entries:  # parents always come before their children
        parent = by_key.get(entry.parent) if entry.parent else None
        above = paths.get(parent.key, ()) if parent else ()
        paths[entry.key] = above + (parent.title,) if parent and parent.is_topic else above
    return paths
