"""The shape checks on Graph API answers (kg.sources.semantic_scholar.shapes), one broken
answer at a time: each is refused with the path to what breaks, and well-formed answers,
with nulls and missing fields where the API leaves them out, pass. The answers here are
synthetic; their field names follow the API's documented paper and author objects."""

from __future__ import annotations

from typing import Any

import pytest

from kg.sources.semantic_scholar.shapes import (
    MalformedAnswer,
    check_author,
    check_batch,
    check_match,
    check_page,
    check_paper,
)

PID = "0" * 40
GOOD_PAPER = {
    "paperId": PID, "corpusId": 1, "title": "A synthetic paper", "year": 2020, "venue": None,
    "externalIds": {"ArXiv": "2101.00001", "DOI": None}, "authors": [{"authorId": "1", "name": "A. Author"}],
    "publicationTypes": None, "tldr": None, "openAccessPdf": {"url": "https://example.org/p.pdf"},
}  # fmt: skip


def test_well_formed_answers_pass() -> None:
    check_paper(GOOD_PAPER)
    check_paper({"paperId": None, "title": "no id"}, need_id=False)
    check_author({"authorId": "42", "name": "B. Author", "externalIds": {"ORCID": None}})
    check_batch([GOOD_PAPER, None], "paper", ["ARXIV:2101.00001", "DOI:10.1/none"])
    check_match({"data": []})
    check_page({"offset": 0, "next": 2, "data": [{"isInfluential": False, "citingPaper": GOOD_PAPER}]}, 0, "citingPaper")
    check_page({"data": []}, 0, "citedPaper")  # no offset: the first page


BROKEN: dict[str, tuple[Any, str]] = {
    "paper not an object": (lambda: check_paper([GOOD_PAPER]), "the answer: a list, not a paper"),
    "year a string": (lambda: check_paper({**GOOD_PAPER, "year": "2020"}), "the answer.year: a string, not an integer"),
    "year true": (lambda: check_paper({**GOOD_PAPER, "year": True}), "the answer.year: true or false, not an integer"),
    "title a number": (lambda: check_paper({**GOOD_PAPER, "title": 1.5}), "the answer.title: a number, not a string"),
    "ids not an object": (lambda: check_paper({**GOOD_PAPER, "externalIds": "x"}), "the answer.externalIds: a string, not an object"),
    "authors an object": (lambda: check_paper({**GOOD_PAPER, "authors": {}}), "the answer.authors: an object, not a list"),
    "author id a number": (lambda: check_paper({**GOOD_PAPER, "authors": [{"authorId": 7}]}),
                           "the answer.authors[0].authorId: an integer, not a string"),
    "types hold null": (lambda: check_paper({**GOOD_PAPER, "publicationTypes": [None]}),
                        "the answer.publicationTypes[0]: null, not a string"),
    "bad paper id": (lambda: check_paper({**GOOD_PAPER, "paperId": "ABC"}), "the answer.paperId: 'ABC' is not a paper id"),
    "missing paper id": (lambda: check_paper({"title": "x"}), "the answer.paperId: None is not a paper id"),
    "author without id": (lambda: check_author({"name": "x"}), "the answer.authorId: None is not an author id"),
    "author id not digits": (lambda: check_author({"authorId": "a1"}), "the answer.authorId: 'a1' is not an author id"),
    "author orcid a list": (lambda: check_author({"authorId": "1", "externalIds": {"ORCID": []}}),
                            "the answer.externalIds.ORCID: a list, not a string"),
    "batch an object": (lambda: check_batch({}, "paper", ["x"]), "the answer is an object, not a list"),
    "batch too short": (lambda: check_batch([], "paper", ["x"]), "0 answers for 1 ids"),
    "batch author broken": (lambda: check_batch([{"authorId": "x"}], "author", ["1"]),
                            "item 0 (1).authorId: 'x' is not an author id"),
    "match without data": (lambda: check_match({"data": None}), "the answer is an object, not an object with a data list"),
    "page offset a string": (lambda: check_page({"offset": "0", "data": []}, 0, "citingPaper"),
                             "offset '0' where 0 was asked for"),
    "page next behind": (lambda: check_page({"offset": 100, "next": 100, "data": []}, 100, "citingPaper"),
                         "next 100 does not come after offset 100"),
    "page edge intents": (lambda: check_page({"data": [{"intents": "methodology", "citingPaper": {}}]}, 0, "citingPaper"),
                          "data[0].intents: a string, not a list"),
    "page edge without far end": (lambda: check_page({"data": [{"isInfluential": True}]}, 0, "citedPaper"),
                                  "data[0]: no citedPaper"),
    "page far end broken": (lambda: check_page({"data": [{"citedPaper": {"year": 1.0}}]}, 0, "citedPaper"),
                            "data[0].citedPaper.year: a number, not an integer"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_answer_is_refused_with_the_path_to_what_breaks(case: str) -> None:
    check, says = BROKEN[case]
    with pytest.raises(MalformedAnswer) as refused:
        check()
    assert str(refused.value) == says
