"""Readable labels for communities: what their works share.

- **Distinctive terms**: words of the works' titles weighted by TF-IDF against the whole
  field: the share of the community's titles holding the word, times log(N / titles in
  the field holding it). A word every title has ("synthetic", "learning" in a learning
  field) weighs nothing; a word only this community uses weighs most. Only words at
  least two of its titles share count; the best :data:`TERMS` make the label.
- **List topics**: the topics its list resources are filed under; where they agree
  (:func:`~kg.analysis.field.vote`), that topic opens the label.
- **Fields of study**: those at least half of its works with a field share.

>>> sorted(tokens("Deep Residual Learning for Image Recognition (2016)"))
['deep', 'image', 'learning', 'recognition', 'residual']
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence

from kg.analysis.field import FieldView, resource_ballots, vote
from kg.model.derived import Community, Similarity

__all__ = ["tokens", "label_communities", "TERMS"]

TERMS = 3

_WORD = re.compile(r"[^\W\d_][\w'-]*[^\W_]", re.UNICODE)
_STOP = frozenset("""
a an and are as at be by can do does for from has have how in into is it its of on or our
over than that the their this to towards toward under up us via we what when where which
while who why with without within your one two new using use based study paper papers
approach approaches method methods analysis results result
arxiv preprint proceedings conference journal workshop transactions vol volume et al
""".split())


def tokens(title: str) -> frozenset[str]:
    """The words of a title that may tell it apart: lower case, three letters or more,
    no stop words, no numbers."""
    words = (w.casefold() for w in _WORD.findall(title))
    return frozenset(w for w in words if len(w) >= 3 and w not in _STOP)


def _titles(view: FieldView) -> dict[str, frozenset[str]]:
    return {w: tokens(view.records[w].title or view.records[w].label) for w in view.works}


def label_communities(
    view: FieldView, groups: Sequence[Sequence[str]], similarities: Sequence[Similarity] = ()
) -> tuple[Community, ...]:
    """A :class:`~kg.model.derived.Community` for each group (numbered in order from 1),
    labelled from what its works share (see the module docstring), with the citations and
    similarities between its list resources as evidence."""
    titles = _titles(view)
    frequency: Counter[str] = Counter(t for words in titles.values() for t in words)
    total = max(1, len(titles))
    found = []
    for number, group in enumerate(groups, start=1):
        members = tuple(sorted(group))
        terms = _distinctive(members, titles, frequency, total)
        listed = [m for m in members if m in view.listed]
        topics = tuple(sorted({t for r in listed for t in view.topics_of.get(r, ())}))
        leading = vote(view, resource_ballots(view, listed)).topic
        fields = _shared_fields(view, members)
        label = _label(view, number, terms, leading, fields)
        member_set = set(members)
        evidence = tuple(sorted((r, c) for r in listed for c in view.cites[r] if c in view.listed and c in member_set))
        found.append(Community(
            number=number, label=label, members=members, terms=tuple(sorted(terms)), topics=topics,
            fields=fields, evidence=evidence,
            similar=tuple(s.ends for s in similarities if s.ends[0] in member_set and s.ends[1] in member_set),
        ))  # fmt: skip
    return tuple(found)


def _distinctive(
    members: Sequence[str], titles: Mapping[str, frozenset[str]], frequency: Mapping[str, int], total: int
) -> list[str]:
    here: Counter[str] = Counter(t for m in members for t in titles[m])
    weights = {
        term: (count / len(members)) * math.log(total / frequency[term])
        for term, count in here.items()
        if count >= 2
    }
    ranked = sorted((w, t) for t, w in weights.items() if w > 1e-9)
    return [t for _, t in sorted(ranked, key=lambda wt: (-wt[0], wt[1]))[:TERMS]]


def _shared_fields(view: FieldView, members: Sequence[str]) -> tuple[str, ...]:
    studied = [view.fields_of[m] for m in members if m in view.fields_of]
    counts: Counter[str] = Counter(f for fields in studied for f in fields)
    return tuple(sorted(f for f, n in counts.items() if studied and n * 2 >= len(studied)))


def _label(view: FieldView, number: int, terms: Sequence[str], topic: str | None, fields: Sequence[str]) -> str:
    words = ", ".join(terms)
    name = view.labels.get(topic, "").strip() if topic else ""
    if name and words:
        return f"{name}: {words}"
    if name or words:
        return name or words
    named = [view.labels.get(f, "").strip() for f in fields]
    return ", ".join(n for n in named if n) or f"Community {number}"
