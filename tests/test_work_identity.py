"""Which records name the same work (kg.model.identity.WorkIdentity), whatever order their
identifiers arrive in (issue 12, item 6: merging popped the same root twice)."""

from __future__ import annotations

import itertools

import pytest

from kg.model.identity import WorkIdentity
from kg.model.records import Identifiers


def test_a_record_naming_two_tokens_of_one_work_and_a_new_one_merges() -> None:
    identity = WorkIdentity()
    identity.add(Identifiers(doi="10.5555/d", s2="p"))
    identity.add(Identifiers(arxiv="2101.00001", doi="10.5555/d", s2="p"))  # KeyError before
    merged = identity.merged(Identifiers(arxiv="2101.00001"))
    assert (merged.arxiv, merged.doi, merged.s2) == ("2101.00001", "10.5555/d", "p")
    assert identity.iri(Identifiers(s2="p"), "https://example.org/") == identity.iri(
        Identifiers(doi="10.5555/d"), "https://example.org/"
    )


RECORDS = [
    Identifiers(doi="10.5555/preprint.5"),  # the list's DOI link
    Identifiers(s2="a" * 40, corpus_id=1, doi="10.1109/example.2021.1"),  # the API's record …
    Identifiers(s2="a" * 40, doi="10.5555/preprint.5"),  # … reached through the list's DOI
    Identifiers(arxiv="2101.00001", doi="10.1109/example.2021.1"),
    Identifiers(arxiv="2101.00001"),
]


@pytest.mark.parametrize("order", list(itertools.permutations(range(len(RECORDS)))))
def test_any_order_of_overlapping_records_gives_one_work(order: tuple[int, ...]) -> None:
    identity = WorkIdentity()
    for n in order:
        identity.add(RECORDS[n])
    merged = {identity.merged(r) for r in RECORDS}
    assert len(merged) == 1
    (work,) = merged
    assert work.s2 == "a" * 40 and work.arxiv == "2101.00001" and work.corpus_id == 1
    assert len({identity.iri(r, "https://example.org/") for r in RECORDS}) == 1
