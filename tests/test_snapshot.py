"""The bundled facts become records without adding or upgrading anything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import DataError
from kg.model.records import Identifiers
from kg.resources import SEED_FACTS
from kg.sources.snapshot import load_snapshot

SHARED_FACTS = next(  # the shared data folder beside the checkout, or beside its worktrees
    (p / "shared" / "data" / "seed-facts.json" for p in Path(__file__).resolve().parents
     if (p / "shared" / "data" / "seed-facts.json").is_file()),
    Path("/nonexistent"),
)


@pytest.fixture(scope="module")
def snapshot():  # type: ignore[no-untyped-def]
    return load_snapshot()


def test_the_shipped_file_is_the_gathered_one() -> None:
    if not SHARED_FACTS.is_file():
        pytest.skip("the shared data folder is not beside this checkout")
    assert json.loads(SEED_FACTS.read_text("utf-8")) == json.loads(SHARED_FACTS.read_text("utf-8"))


def test_every_linked_resource_is_described(snapshot) -> None:  # type: ignore[no-untyped-def]
    facts = json.loads(SEED_FACTS.read_text("utf-8"))
    linked = [r for r in facts["resources"] if r["url"]]
    assert len(snapshot.works) == len(linked) == 27
    for record in linked:
        assert snapshot.lookup(record["url"]) is not None, record["url"]


def test_identifiers_come_only_from_the_resource_itself(snapshot) -> None:  # type: ignore[no-untyped-def]
    rate_reduction = snapshot.lookup("https://openreview.net/forum?id=G70Z8ds32C9")
    assert rate_reduction.ids.openreview == "G70Z8ds32C9"
    assert rate_reduction.ids.arxiv == "2010.14765"  # its own arXiv version
    theoretical = snapshot.lookup("https://www.pnas.org/content/117/48/30039")
    # The earlier preprint 1908.09375 is a related work, not this article's identifier.
    assert theoretical.ids.arxiv is None
    assert theoretical.ids.doi == "10.1073/pnas.1907369117"
    modern = snapshot.lookup("https://arxiv.org/abs/2105.04026")
    assert modern.ids.s2 == "c1229904319da71ac87d80c90976666944b4323f"
    assert modern.ids.corpus_id == 234343146


def test_unconfirmed_values_stay_out(snapshot) -> None:  # type: ignore[no-untyped-def]
    book_draft = snapshot.lookup("https://www.cs.princeton.edu/courses/archive/fall19/cos597B/lecnotes/bookdraft.pdf")
    assert book_draft.authors == ()  # the list's "Rong Ge 等" was never confirmed
    slides = snapshot.lookup(
        "https://www.mathematik.uni-wuerzburg.de/fileadmin/10040900/2019/Seminar__Artificial_Neural_Network__24_9__.pdf"
    )
    assert slides.title is None  # unresolved: only the list's own title stands
    assert slides.venue is None  # "inferred from URL only"
    calin = snapshot.lookup("https://www.springer.com/gp/book/9783030367206")
    assert calin.ids.isbn == "9783030367206"


def test_remarks_are_cut_but_values_kept(snapshot) -> None:  # type: ignore[no-untyped-def]
    zhou = snapshot.lookup("https://arxiv.org/pdf/1805.10769.pdf")
    assert zhou.venue == "Applied and Computational Harmonic Analysis, pp. 787-794"
    geometry = snapshot.lookup("http://www.engineering.org.cn/ch/10.1016/j.eng.2019.09.010")
    assert geometry.title == "A Geometric Understanding of Deep Learning"
    assert geometry.ids.doi == "10.1016/j.eng.2019.09.010"
    bruna = snapshot.lookup("https://joanbruna.github.io/MathsDL-spring19/")
    assert [p.name for p in bruna.authors] == ["Joan Bruna"]


def test_references_known_only_by_citation_keep_that_label(snapshot) -> None:  # type: ignore[no-untyped-def]
    vardi = Identifiers(arxiv="2006.00625")
    cited = [c.cited for c in snapshot.citations if c.citing.arxiv == vardi.arxiv]
    labels = {snapshot.referenced[ids].label for ids in cited if ids in snapshot.referenced}
    assert "Cybenko (1989)" in labels
    assert all(snapshot.referenced[ids].title is None for ids in cited if ids.local)
    # Daniely (2017) is the list's own item 6.2, not a second node.
    assert Identifiers(arxiv="1702.08489").arxiv in {ids.arxiv for ids in cited}


def test_only_confirmed_citations_between_list_items(snapshot) -> None:  # type: ignore[no-untyped-def]
    pairs = {(c.citing.github or c.citing.arxiv, c.cited.arxiv) for c in snapshot.citations}
    assert ("ryanchankh/redunet_paper", "2010.14765") in pairs
    # 17 -> 6.5 is "undetermined" in the facts: it must not be claimed.
    assert ("2007.14285", "1805.10769") not in pairs


def test_an_unreadable_facts_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "facts.json"
    bad.write_text("{ not json", encoding="utf-8")
    with pytest.raises(DataError, match="facts.json"):
        load_snapshot(bad)
