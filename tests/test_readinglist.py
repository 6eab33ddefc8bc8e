"""kg.read.markdown: the seed list, lists written in other habits, hostile input, any text."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import ReadingListError
from kg.identify.identifiers import identify_url
from kg.identify.kinds import guess_kind
from kg.model.records import Entry, Link, ReadingList
from kg.read.markdown import parse_reading_list, read_reading_list
from kg.read.topics import topic_paths

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "kg" / "data" / "deep-learning-theory.md"
SEED_FACTS = ROOT / "kg" / "data" / "seed-facts.json"
LISTS = Path(__file__).resolve().parent / "lists"


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


def resources(rl: ReadingList) -> list[Entry]:
    return [e for e in rl.entries if not e.is_topic]


def topics(rl: ReadingList) -> list[Entry]:
    return [e for e in rl.entries if e.is_topic]


def by_title(rl: ReadingList) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for entry in rl.entries:
        assert entry.title not in entries, f"title used twice: {entry.title!r}"
        entries[entry.title] = entry
    return entries


def kinds(rl: ReadingList) -> dict[str, str]:
    """Kind of every resource by title, as the pipeline will compute it."""
    paths = topic_paths(rl)
    return {
        e.title: guess_kind(
            str(e.url),
            identify_url(str(e.url)),
            title=e.title,
            topics=paths[e.key],
            note=e.note or "",
        )
        for e in resources(rl)
    }


def line_of(path: Path, needle: str) -> int:
    """1-based line of the only line of ``path`` containing ``needle``."""
    hits = [n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line]
    assert len(hits) == 1, f"{needle!r} is on lines {hits}"
    return hits[0]


def check_invariants(rl: ReadingList, text: str) -> None:
    """What must hold for any input at all."""
    keys = [e.key for e in rl.entries]
    assert len(keys) == len(set(keys))
    seen: set[str] = set()
    last_line = len(re.split(r"\r\n?|\n", text))  # CommonMark line ends
    for entry in rl.entries:
        assert entry.parent is None or entry.parent in seen, "a parent comes before its child"
        seen.add(entry.key)
        assert entry.key.startswith(f"L{entry.line}")
        assert 1 <= entry.line <= last_line
        assert entry.title and entry.title == entry.title.strip()
        assert (entry.note is None) == (entry.note_lang is None)
        if entry.url is not None:
            assert entry.url.startswith(("http://", "https://"))
            assert all(link.url.startswith(("http://", "https://")) for link in entry.related)
            assert entry.url not in {link.url for link in entry.related}
        else:
            assert entry.related == () and entry.note is None
        assert entry.heading_level is None or 1 <= entry.heading_level <= 6
        assert entry.year is None or 1900 <= entry.year <= 2099


# ---------------------------------------------------------------------------------------
# The seed list
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> ReadingList:
    return read_reading_list(SEED)


@pytest.fixture(scope="module")
def facts() -> list[dict[str, object]]:
    data = json.loads(SEED_FACTS.read_text("utf-8"))
    return list(data["resources"])


def seed_entry(seed: ReadingList, number: str, occurrence: int = 0) -> Entry:
    return [e for e in seed.entries if e.number == number][occurrence]


def test_seed_has_exactly_its_27_links_as_resources_in_order(
    seed: ReadingList, facts: list[dict[str, object]]
) -> None:
    linked = [f for f in facts if f["url"]]
    assert len(linked) == 27
    assert [e.url for e in resources(seed)] == [f["url"] for f in linked]
    # The facts tell the two 12s apart as "12 (Book)" and "12 (Others)".
    numbers = [str(f["number"]).split(" ")[0] for f in linked]
    assert [e.number for e in resources(seed)] == numbers


def test_seed_link_less_groups_are_numbered_topics(
    seed: ReadingList, facts: list[dict[str, object]]
) -> None:
    groups = {str(f["number"]): f["title"] for f in facts if not f["url"]}
    assert groups == {"6": "NN Approximation Theory", "7": "SGD", "9": "Optima transmission"}
    for number, title in groups.items():
        entry = seed_entry(seed, number)
        assert entry.is_topic and entry.title == title and entry.heading_level is None


def test_seed_title_description_and_source(seed: ReadingList) -> None:
    assert seed.title == "Deep Learning Theory"
    assert seed.description == "整理了一些深度学习的理论相关内容，持续更新。"
    assert seed.source == str(SEED)
    top = seed.entries[0]
    assert (top.title, top.heading_level, top.parent, top.key) == (seed.title, 1, None, "L1")


def test_seed_keys_are_unique_and_the_two_twelves_differ(seed: ReadingList) -> None:
    check_invariants(seed, SEED.read_text("utf-8"))
    twelves = [e for e in seed.entries if e.number == "12"]
    assert len(twelves) == 2
    assert twelves[0].key != twelves[1].key
    assert [e.line for e in twelves] == [71, 75]
    assert [e.key for e in twelves] == ["L71", "L75"]


def test_seed_topics(seed: ReadingList) -> None:
    titles = {e.title for e in topics(seed)}
    headings = {"Deep Learning Theory", "Overview", "Course", "Architecture", "Approximation"}
    headings |= {"Optimization", "Geometry", "Book", "Others"}
    named = {"NN Approximation Theory", "SGD", "Optima transmission", "Geometry of Data"}
    named |= {
        "Geometry of Optimization and Generalization",
        "Open qustions on Reinforcement Learning",
    }
    assert headings | named <= titles
    assert {e.title for e in topics(seed) if e.heading_level} == headings
    assert not titles & {e.title for e in resources(seed)}


def test_seed_parents(seed: ReadingList) -> None:
    keys = {e.key: e for e in seed.entries}
    assert keys[str(seed_entry(seed, "6.2").parent)].title == "NN Approximation Theory"
    assert seed_entry(seed, "8.1").parent == seed_entry(seed, "8").key
    assert seed_entry(seed, "8").url == "http://www.offconvex.org/"
    assert seed_entry(seed, "3.1").parent == seed_entry(seed, "3").key
    assert seed_entry(seed, "1.6").parent == seed_entry(seed, "1").key
    assert keys[str(seed_entry(seed, "6").parent)].title == "Approximation"
    assert keys[str(seed_entry(seed, "12", 1).parent)].title == "Others"
    euclid = next(e for e in seed.entries if e.title.startswith("Euclidean Geometry"))
    assert euclid.parent == seed_entry(seed, "3.1").key


def test_seed_years_and_lines(seed: ReadingList) -> None:
    assert seed_entry(seed, "1").year == 2021
    assert seed_entry(seed, "6.2").year == 2017
    assert seed_entry(seed, "6.0").year == 1991
    assert seed_entry(seed, "8.1").year is None
    expected = {"1": 4, "2": 20, "3.1": 24, "6": 45, "6.2": 48, "8.3": 60, "18": 81}
    assert {n: seed_entry(seed, n).line for n in expected} == expected
    for entry in seed.entries:
        assert f"L{entry.line}" == entry.key


def test_seed_lazy_continuation_joins_the_bullet_above(seed: ReadingList) -> None:
    assert not [e for e in seed.entries if e.line == 35]
    sde = next(e for e in seed.entries if e.line == 34)
    assert sde.title.startswith("Stochastic Differential Equations (Fokker-Plank")
    assert sde.title.endswith(
        "Dynamics of Neural Network Optimization"
        " (Mean Field Models using Optimal Transport, Kernel Methods)"
    )


def test_seed_notes_and_languages(seed: ReadingList) -> None:
    assert sum(1 for e in resources(seed) if e.note_lang == "zh") >= 20
    # The year closing a note is the entry's year, not part of the note.
    assert seed_entry(seed, "6.2").note == "三层神经网络的表示能力比两层有优越性的简化证明"
    assert seed_entry(seed, "1").note == "总结了目前深度学习理论研究的六个方向的一些结果，概述型，没做深入探讨"
    assert seed_entry(seed, "14").note == "白盒神经网络。"
    assert seed_entry(seed, "3").note == "MathDL系列，18,19,20年均有。"
    assert seed_entry(seed, "13").note is None  # only "。" follows the link
    assert seed_entry(seed, "13").note_lang is None
    assert seed_entry(seed, "8.3").note is None
    assert seed_entry(seed, "6.0").title == "Universal approximation theorem"
    assert seed_entry(seed, "3.1").title == "Geometry of Data"
    assert seed_entry(seed, "1.1").title.endswith("generalizability of deep learning")


def test_seed_bylines(seed: ReadingList) -> None:
    """"Rong Ge 等(2019)。" names one author and says there are more; prose naming someone
    in passing ("Gal Vardi等证明了…") names no author."""
    draft, spectral = seed_entry(seed, "10"), seed_entry(seed, "11")
    assert (draft.authors, draft.et_al, draft.year, draft.note) == (("Rong Ge",), True, 2019, None)
    assert (spectral.authors, spectral.et_al, spectral.year) == (("Majid Janzamin",), True, 2020)
    # An author named in Chinese prose: "Gal Vardi等证明了…", "…，Ding-Xuan Zhou(2018)，…".
    assert (seed_entry(seed, "6.4").authors, seed_entry(seed, "6.4").et_al) == (("Gal Vardi",), True)
    assert seed_entry(seed, "6.5").authors == ("Ding-Xuan Zhou",)
    assert seed_entry(seed, "15").url_role == "code"  # a GitHub link
    assert not [e for e in resources(seed) if e.venue]


SEED_KINDS = {
    ("1", 0): {"Survey"},
    ("2", 0): {"Course"},
    ("3", 0): {"Course"},
    ("5", 0): {"Preprint"},
    ("6.0", 0): {"EncyclopediaArticle"},
    ("6.1", 0): {"Slides"},
    ("6.2", 0): {"Preprint"},
    ("6.3", 0): {"Answer"},
    ("6.4", 0): {"Preprint"},
    ("6.5", 0): {"Preprint"},
    ("7.1", 0): {"EncyclopediaArticle"},
    ("8", 0): {"Blog"},
    ("8.1", 0): {"BlogPost"},
    ("8.2", 0): {"BlogPost"},
    ("8.3", 0): {"BlogPost"},
    ("9.1", 0): {"JournalArticle"},
    ("10", 0): {"Book"},
    ("11", 0): {"Book"},
    ("12", 0): {"Book"},
    ("4", 0): {"Paper"},
    ("12", 1): {"Paper"},
    ("13", 0): {"Event"},
    ("14", 0): {"ConferencePaper"},
    ("15", 0): {"CodeRepository"},
    ("16", 0): {"Paper"},
    ("17", 0): {"Preprint"},
    ("18", 0): {"Preprint", "Survey"},
}


def test_seed_kinds(seed: ReadingList) -> None:
    by_title_kind = kinds(seed)
    got = {key: by_title_kind[seed_entry(seed, *key).title] for key in SEED_KINDS}
    wrong = {key: kind for key, kind in got.items() if kind not in SEED_KINDS[key]}
    assert not wrong
    assert len(SEED_KINDS) == len(resources(seed))


def test_seed_identifiers(seed: ReadingList) -> None:
    ids = {e.number: identify_url(str(e.url)) for e in resources(seed) if e.number != "12"}
    assert ids["1"].arxiv == "2012.10931"
    assert ids["9.1"].doi == "10.1016/j.eng.2019.09.010"
    assert ids["14"].openreview == "G70Z8ds32C9"
    assert ids["15"].github == "ryanchankh/redunet_paper"
    assert ids["6.0"].wikipedia == "en:Universal_approximation_theorem"
    assert identify_url(str(seed_entry(seed, "12").url)).isbn == "9783030367206"


# ---------------------------------------------------------------------------------------
# Lists in other habits (tests/lists/)
# ---------------------------------------------------------------------------------------


def read_fixture(name: str) -> ReadingList:
    path = LISTS / name
    assert "synthetic test fixture" in path.read_text("utf-8").splitlines()[0].lower()
    rl = read_reading_list(path)
    check_invariants(rl, path.read_text("utf-8"))
    return rl


def test_every_fixture_says_it_is_synthetic_and_parses() -> None:
    names = sorted(p.name for p in LISTS.glob("*.md"))
    assert len(names) >= 5
    assert names == sorted(FIXTURE_KINDS)  # every fixture has its kinds checked
    for name in names:
        assert resources(read_fixture(name)), name


def test_awesome_bullets_badges_and_table_of_contents() -> None:
    path = LISTS / "awesome-bullets.md"
    rl = read_fixture(path.name)
    assert rl.title == "Awesome Graph Learning"
    assert rl.description == "A curated list of graph learning resources. Maintained by volunteers."
    entries = by_title(rl)
    # The table of contents, its heading and the "Jump to" anchors are nothing.
    toc_lines = set(range(line_of(path, "## Contents"), line_of(path, "## Papers")))
    assert "Contents" not in entries and not [e for e in rl.entries if e.line in toc_lines]
    assert not [e for e in rl.entries if e.line == line_of(path, "Jump to:")]
    # Badges are neither resources nor related links.
    all_urls = {e.url for e in rl.entries} | {link.url for e in rl.entries for link in e.related}
    assert not {u for u in all_urls if u and ("shields.io" in u or "awesome.re" in u)}
    assert "creativecommons.org/publicdomain/zero/1.0/" not in str(all_urls)
    assert entries["License"].is_topic
    gnn = entries["A Comprehensive Survey on Graph Neural Networks"]
    assert (gnn.authors, gnn.et_al, gnn.venue, gnn.year) == (("Wu",), True, "IEEE TNNLS", 2020)
    assert gnn.note is None  # "Wu et al., IEEE TNNLS (2020)." is all byline
    review = entries["Graph Neural Networks: A Review of Methods and Applications"]
    assert (review.authors, review.et_al, review.note) == (("Zhou",), True, None)
    kipf = entries["Semi-Supervised Classification with Graph Convolutional Networks"]
    assert (kipf.authors, kipf.venue, kipf.year) == (("Kipf", "Welling"), "ICLR", 2017)
    assert entries["DGL"].note == "Deep Graph Library." and entries["DGL"].authors == ()
    spectral = entries["Spectral methods"]
    assert spectral.is_topic and spectral.parent == entries["Foundations"].key
    bruna = entries["Spectral Networks and Locally Connected Networks on Graphs"]
    assert bruna.parent == spectral.key
    sage = entries["Inductive Representation Learning on Large Graphs"]
    assert sage.parent == entries["Foundations"].key and sage.note == "GraphSAGE."
    assert entries["Foundations"].parent == entries["Papers"].key
    assert identify_url(str(entries["Deep Learning on Graphs"].url)).isbn == "9781108831741"


def test_paren_numbers_nested_four_deep() -> None:
    path = LISTS / "paren-numbers.md"
    rl = read_fixture(path.name)
    entries = by_title(rl)
    convex, first_order = entries["Convex optimization"], entries["First-order methods"]
    nonconvex = entries["Non-convex optimization"]
    assert (convex.number, first_order.number, nonconvex.number) == ("1", "2", "2")
    assert convex.is_topic and first_order.is_topic and nonconvex.is_topic
    assert first_order.parent == convex.key
    assert convex.parent == nonconvex.parent == entries["Optimization Reading"].key
    nesterov = entries["Introductory Lectures on Convex Optimization"]
    assert (nesterov.number, nesterov.parent, nesterov.year) == ("1", first_order.key, 2004)
    errata = entries["Errata"]
    assert errata.parent == nesterov.key and errata.number is None
    deepest = entries["Deepest note-only bullet"]
    assert deepest.is_topic and deepest.parent == errata.key
    assert deepest.line == line_of(path, "Deepest note-only bullet")
    composite = entries["Gradient methods for minimizing composite functions"]
    assert composite.number == "2" and composite.parent == first_order.key
    saddle = entries["Escaping From Saddle Points"]
    assert saddle.parent == nonconvex.key and saddle.note == "blog post"
    assert identify_url(str(nesterov.url)).doi == "10.1007/978-1-4419-8853-9"


def test_tables() -> None:
    path = LISTS / "tables.md"
    rl = read_fixture(path.name)
    entries = by_title(rl)
    attention = entries["Attention Is All You Need"]
    assert attention.number == "1" and attention.note is None and attention.year == 2017
    assert attention.venue == "NeurIPS"  # from the "Venue" column
    assert attention.related == (Link("https://github.com/tensorflow/tensor2tensor", "code", "code"),)
    assert attention.line == line_of(path, "Attention Is All You Need")
    assert attention.parent == entries["Core papers"].key and attention.heading_level is None
    bert = entries["BERT: Pre-training of Deep Bidirectional Transformers"]  # title from a cell
    assert bert.url == "https://aclanthology.org/N19-1423.pdf"
    assert (bert.note, bert.number, bert.venue, bert.year) == (None, "2", "NAACL", 2019)
    assert bert.url_role == "paper"  # "[pdf]"
    assert "An unlinked row" not in entries
    layer_norm = entries["Layer Normalization"]
    assert layer_norm.related == () and layer_norm.venue == "arXiv"  # the badge is no link
    assert layer_norm.note is None
    survey = entries["Efficient Transformers: A Survey"]
    assert survey.url == "https://arxiv.org/abs/2009.06732" and survey.note is None
    assert survey.parent == entries["Surveys"].key
    assert len(resources(rl)) == 4


def test_reference_links_autolinks_and_bare_urls() -> None:
    path = LISTS / "reference-links.md"
    rl = read_fixture(path.name)
    entries = by_title(rl)
    assert rl.description == (
        "Reference links, autolinks and bare addresses, as some curators write them."
    )
    kernels = entries["Learning with Kernels"]
    assert kernels.url == "https://mitpress.mit.edu/9780262194754/learning-with-kernels/"
    assert kernels.note is None and kernels.year == 2002
    assert kernels.authors == ("Schölkopf", "Smola")
    assert identify_url(str(kernels.url)).isbn == "9780262194754"
    features = entries["Random Features for Large-Scale Kernel Machines"]
    assert features.note == "see also"
    assert [link.text for link in features.related] == ["the NeurIPS page"]
    ntk = entries["Neural Tangent Kernel"]  # autolink: its text is its URL, so not a title
    assert ntk.url == "https://arxiv.org/abs/1806.07572v4" and ntk.note is None and ntk.year == 2018
    assert identify_url(str(ntk.url)).arxiv == "1806.07572"
    ridge = entries["Kernel ridge regression notes"]  # bare URL, sentence dot left outside
    assert ridge.url == "https://en.wikipedia.org/wiki/Kernel_method" and ridge.note is None
    local = entries["Local copy of the notes and [missing][nowhere] stay text"]
    assert local.is_topic  # a relative link is not a resource
    primer = entries["The RKHS primer"]  # "at" points at the address; it ends no title
    assert primer.parent == entries["Elsewhere"].key and primer.note == "is a good start."
    one, two = entries["Paper one"], entries["Paper two"]  # one paragraph, two lines
    assert (one.line, two.line) == (line_of(path, "Paper one"), line_of(path, "Paper two"))
    assert one.related == () and two.url == "https://arxiv.org/abs/2002.00002"


def test_emoji_entities_inline_code_and_cjk_notes() -> None:
    rl = read_fixture("emoji-cjk.md")
    assert rl.title == "🤖 Robot Learning 资源"
    entries = by_title(rl)
    jax = entries["🔥 JAX & Friends — a tour"]
    assert (jax.note, jax.note_lang, jax.year) == ("入门教程，适合初学者", "zh", 2022)
    robotics = entries["Probabilistic Robotics"]
    assert (robotics.note, robotics.note_lang) == ("確率ロボティクスの古典です", "ja")
    korean = entries["강화학습 입문"]
    assert (korean.note_lang, korean.year, korean.number) == ("ko", 2021, "3")
    rd = entries["R&D <notes>"]
    assert (rd.note, rd.note_lang) == ("Notes © the authors 😀", "en")
    func = entries["torch.func"]
    assert func.note == "composable transforms ✨"
    assert identify_url(str(func.url)).github == "pytorch/functorch"
    assert entries["📚 Books"].heading_level == 2


def test_headings_only() -> None:
    rl = read_fixture("headings-only.md")
    assert rl.title == "Statistical Learning"
    assert rl.description == "Notes organised by headings alone."
    entries = by_title(rl)
    levels = {t: entries[t].heading_level for t in ("Statistical Learning", "Part I: Foundations")}
    assert levels == {"Statistical Learning": 1, "Part I: Foundations": 2}  # setext headings

    def parent_title(title: str) -> str | None:
        parent = entries[title].parent
        return next(e.title for e in rl.entries if e.key == parent) if parent else None

    assert parent_title("Concentration") == "Part I: Foundations"
    assert parent_title("Inequalities") == "Concentration"
    assert parent_title("Empirical processes") == "Concentration"
    assert parent_title("Uniform Stability") == "Part I: Foundations"
    assert parent_title("Skipped level") == "Part II: Beyond"  # H4 straight under an H2
    assert parent_title("Appendix") is None  # a second H1 is a topic, not the title
    assert parent_title("Concentration Inequalities") == "Inequalities"
    assert parent_title("Why does overfitting happen?") == "Links"
    assert "Just a paragraph, no link, is nothing." not in entries
    ci = entries["Concentration Inequalities"]
    assert ci.note is None and ci.year == 2013
    assert ci.authors == ("Boucheron", "Lugosi", "Massart")
    stability = entries["Stability and Generalization"]
    assert (stability.authors, stability.year) == (("Bousquet", "Elisseeff"), 2002)
    assert identify_url(str(ci.url)).doi == "10.1093/acprof:oso/9780199535255.001.0001"


def test_several_links_with_generic_texts() -> None:
    rl = read_fixture("generic-links.md")
    entries = by_title(rl)
    ddpm = entries["Denoising Diffusion Probabilistic Models"]
    assert ddpm.url == "https://arxiv.org/pdf/2006.11239v2.pdf"
    assert [link.url for link in ddpm.related] == [
        "https://github.com/hojonathanho/diffusion",
        "https://hojonathanho.github.io/diffusion/",
    ]
    assert ddpm.note is None and ddpm.year == 2020 and ddpm.url_role == "paper"
    assert [link.role for link in ddpm.related] == ["code", "project"]
    sde = entries["Score-Based Generative Modeling through SDEs"]
    assert sde.note is None and [link.text for link in sde.related] == ["video", "slides"]
    assert identify_url(str(sde.url)).openreview == "PxTIG12RRHS"
    beat = entries["Diffusion Models Beat GANs on Image Synthesis"]  # text after the link
    assert beat.note is None and identify_url(str(beat.url)).arxiv == "2105.05233"
    only_generic = entries["example.org/a"]  # "[Link]" is no title: the address stands in
    assert only_generic.related == (Link("https://example.org/b", "Website", "project"),)  # repeats dropped
    improved = entries["Improved DDPM"]
    assert improved.related == (Link("https://github.com/openai/improved-diffusion", "code", "code"),)


FIXTURE_KINDS: dict[str, dict[str, str]] = {
    "awesome-bullets.md": {
        "A Comprehensive Survey on Graph Neural Networks": "Survey",
        "Graph Neural Networks: A Review of Methods and Applications": "Survey",
        "Spectral Networks and Locally Connected Networks on Graphs": "Preprint",
        "Semi-Supervised Classification with Graph Convolutional Networks": "ConferencePaper",
        "Inductive Representation Learning on Large Graphs": "ConferencePaper",
        "Graph Representation Learning": "Book",
        "Deep Learning on Graphs": "Book",
        "PyTorch Geometric": "CodeRepository",
        "DGL": "CodeRepository",  # the curator filed a home page under "Code"
    },
    "paren-numbers.md": {
        "Convex Optimization": "WebPage",
        "Introductory Lectures on Convex Optimization": "Book",
        "Errata": "WebPage",
        "Gradient methods for minimizing composite functions": "JournalArticle",
        "Escaping From Saddle Points": "BlogPost",
        "How to Escape Saddle Points Efficiently": "ConferencePaper",
    },
    "tables.md": {
        "Attention Is All You Need": "Preprint",
        "BERT: Pre-training of Deep Bidirectional Transformers": "ConferencePaper",
        "Layer Normalization": "Preprint",
        "Efficient Transformers: A Survey": "Survey",
    },
    "reference-links.md": {
        "Learning with Kernels": "Book",
        "Random Features for Large-Scale Kernel Machines": "ConferencePaper",
        "Neural Tangent Kernel": "Preprint",
        "Kernel ridge regression notes": "EncyclopediaArticle",
        "The RKHS primer": "Slides",
        "Paper one": "Preprint",
        "Paper two": "Preprint",
    },
    "emoji-cjk.md": {  # everything under "📚 Books" is a book, whatever its URL
        "🔥 JAX & Friends — a tour": "Book",
        "Probabilistic Robotics": "Book",
        "강화학습 입문": "Book",
        "R&D <notes>": "Book",
        "torch.func": "CodeRepository",
    },
    "headings-only.md": {
        "Concentration Inequalities": "Book",
        "Weak Convergence and Empirical Processes": "Book",
        "Stability and Generalization": "JournalArticle",
        "Why does overfitting happen?": "Answer",
    },
    "generic-links.md": {
        "Denoising Diffusion Probabilistic Models": "Preprint",
        "Score-Based Generative Modeling through SDEs": "ConferencePaper",
        "Diffusion Models Beat GANs on Image Synthesis": "Preprint",
        "example.org/a": "WebPage",
        "Improved DDPM": "Preprint",
    },
    "hostile.md": {
        "Safe <img src=x onerror=alert(1)> title": "WebPage",
        "real": "WebPage",
        "Raw tag": "WebPage",
        "Inside div": "WebPage",
    },
}
"""The kind of every resource of a fixture list, as the pipeline will guess it."""


@pytest.mark.parametrize("name", sorted(FIXTURE_KINDS))
def test_fixture_kinds(name: str) -> None:
    assert kinds(read_fixture(name)) == FIXTURE_KINDS[name]


# ---------------------------------------------------------------------------------------
# Hostile input
# ---------------------------------------------------------------------------------------


def all_text(rl: ReadingList) -> str:
    parts = [rl.title or "", rl.description or ""]
    for e in rl.entries:
        parts += [e.title, e.note or "", e.url or ""] + [f"{link.url} {link.text}" for link in e.related]
    return "\n".join(parts)


def test_hostile_markup_stays_text_and_bad_links_are_dropped() -> None:
    rl = read_fixture("hostile.md")
    assert rl.title == "Hostile List"
    entries = by_title(rl)
    # Escaped markup is the curator's text: kept literally, for the renderer to escape.
    safe = entries["Safe <img src=x onerror=alert(1)> title"]
    assert safe.note == "note with </script> and <script>alert(2)</script>"
    # Raw tags are dropped, and script bodies never become text.
    assert entries["Raw tag"].note == "tail"
    text = all_text(rl)
    for never in ("steal", "block script", '"title"', *(f"alert({n})" for n in range(3, 9))):
        assert never not in text
    assert "Section" in entries and "javascript" not in text.lower()
    real = entries["real"]
    assert real.url == "https://example.org/real" and real.note == "Click me then"
    for title in (
        "Only bad and data and vb",
        "Mail FTP file",
        "HTML anchor is ignored as a link",
        "JS with spaces and entity",
    ):
        assert entries[title].is_topic
    assert {e.url for e in resources(rl)} == {
        "https://example.org/safe",
        "https://example.org/real",
        "https://example.org/raw",
        "https://example.org/div",
    }


@pytest.mark.parametrize(
    "markdown",
    [
        "- [x](javascript:alert(1))",
        "- [x](JAVASCRIPT:alert(1)) [y](data:text/html,<script>alert(1)</script>)",
        "- <img src=x onerror=alert(1)> [t](https://ok.example) </script>",
        "<script>alert(1)",
        "- [t](https://ok.example) <script>never closed",
        "| a | b |\n|---|---|\n| <script>x</script> | [pdf](javascript:alert(1)) |",
    ],
)
def test_hostile_snippets(markdown: str) -> None:
    rl = parse_reading_list(markdown)
    check_invariants(rl, markdown)
    text = all_text(rl)
    assert "alert" not in text and "never closed" not in text and "javascript" not in text.lower()


# ---------------------------------------------------------------------------------------
# Small rules, one snippet each
# ---------------------------------------------------------------------------------------


def only(rl: ReadingList) -> Entry:
    assert len(rl.entries) == 1, rl.entries
    return rl.entries[0]


@pytest.mark.parametrize(
    ("markdown", "title", "number", "note"),
    [
        ("- 6.2 [Depth](https://a.example) note", "Depth", "6.2", "note"),
        ("- 1.1.3 [Deep](https://a.example)", "Deep", "1.1.3", None),
        ("- 12. [Twelve](https://a.example)", "Twelve", "12", None),
        ("- **3)** [Bold number](https://a.example)", "Bold number", "3", None),
        ("7. [Marker](https://a.example)", "Marker", "7", None),
        ("7) [Paren marker](https://a.example)", "Paren marker", "7", None),
        ("- 2020 [Year is not a number](https://a.example)", "Year is not a number", None, None),
        ("- [Attention](https://a.example) ：中文说明；", "Attention", None, "中文说明"),
        ("- [Paper](https://a.example) ：中文说明；", "中文说明", None, None),
        ("- Title here, [pdf](https://a.example)", "Title here", None, None),
        ("- [arXiv:1702.08489](https://arxiv.org/abs/1702.08489) Depth", "Depth", None, None),
        ("- [Title](https://a.example) - desc -", "Title", None, "desc"),
        ("- [Title](https://a.example) —", "Title", None, None),
        ("- [](https://a.example) Nameless link", "Nameless link", None, None),
    ],
)
def test_item_rules(markdown: str, title: str, number: str | None, note: str | None) -> None:
    entry = only(parse_reading_list(markdown))
    assert (entry.title, entry.number, entry.note) == (title, number, note)


@pytest.mark.parametrize(
    ("markdown", "year"),
    [
        ("- [t](https://a.example) (2019) then (2021)", 2019),  # the year beside the title
        ("- [t](https://a.example) （2020）", 2020),
        ("- [t (2018)](https://a.example)", 2018),
        ("- [t](https://a.example) 2019", 2019),
        ("- 2020 [t](https://a.example)", 2020),
        ("- [t](https://a.example) (1899) (2100)", None),
    ],
)
def test_year_rule(markdown: str, year: int | None) -> None:
    assert only(parse_reading_list(markdown)).year == year


def test_anchor_only_items_are_skipped_with_their_children() -> None:
    rl = parse_reading_list(
        "- [Intro](#intro)\n"
        "  - [Deep](https://deep.example)\n"
        "- [Real](https://real.example) [top](#top)\n"
    )
    assert [e.title for e in rl.entries] == ["Real"]


@pytest.mark.parametrize("heading", ["Contents", "Table of Contents", "TOC", "目录", "📖 Contents:"])
def test_table_of_contents_sections_are_skipped(heading: str) -> None:
    markdown = (
        f"# L\n## {heading}\n- [A](https://a.example)\n\n[B](https://b.example)\n"
        "## Real\n- [C](https://c.example)\n"
    )
    assert [e.title for e in parse_reading_list(markdown).entries] == ["L", "Real", "C"]


def test_resources_nested_under_a_link_less_empty_item_keep_the_section() -> None:
    markdown = "## S\n- ![badge](https://img.example/b.svg)\n  - [A](https://a.example)\n"
    rl = parse_reading_list(markdown)
    section, a = rl.entries
    assert a.parent == section.key


def test_links_on_one_line_are_one_resource_and_keys_name_lines() -> None:
    rl = parse_reading_list("[A](https://a.example) [B](https://b.example)\n")
    assert only(rl).related == (Link("https://b.example", "B"),)
    rl = parse_reading_list("- - [A](https://a.example)\n  - [B](https://b.example)\n")
    assert [e.key for e in rl.entries] == ["L1", "L2"]  # the empty outer item is no entry


def test_description_needs_a_title_and_ends_at_the_first_list() -> None:
    assert parse_reading_list("Intro.\n\n## S\n").description is None
    markdown = "# T\n\n> Quoted intro.\n\nSecond.\n\n- [A](https://a.example)\n\nAfter.\n"
    rl = parse_reading_list(markdown)
    assert rl.description == "Quoted intro.\n\nSecond."
    assert [e.title for e in rl.entries] == ["T", "A"]


def test_byte_order_mark_and_windows_line_ends() -> None:
    rl = parse_reading_list("\ufeff# Title\r\n\r\n- [A](https://a.example)\r\n")
    assert rl.title == "Title" and rl.entries[1].line == 3


def test_topic_paths_skip_resources_on_the_way_up(seed: ReadingList) -> None:
    paths = topic_paths(seed)
    assert paths[seed_entry(seed, "8.1").key] == ("Deep Learning Theory", "Optimization")
    approximation = ("Deep Learning Theory", "Approximation", "NN Approximation Theory")
    assert paths[seed_entry(seed, "6.2").key] == approximation
    assert paths[seed.entries[0].key] == ()


# ---------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------


def test_missing_file_is_a_reading_list_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.md"
    with pytest.raises(ReadingListError, match="nope.md"):
        read_reading_list(missing)
    with pytest.raises(ReadingListError, match=str(tmp_path.name)):
        read_reading_list(tmp_path)  # a directory


def test_non_utf8_names_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "latin1.md"
    path.write_bytes("# Title\n\n- [Café](https://a.example)\n".encode("latin-1"))
    with pytest.raises(ReadingListError) as caught:
        read_reading_list(path)
    message = str(caught.value)
    for part in ("latin1.md", "line 3", "column 7", "0xe9"):
        assert part in message
    assert isinstance(caught.value.__cause__, UnicodeDecodeError)


def test_read_accepts_str_paths_and_names_the_source(tmp_path: Path) -> None:
    path = tmp_path / "list.md"
    path.write_text("# T\n- [A](https://a.example)\n", "utf-8")
    rl = read_reading_list(str(path))
    assert rl.source == str(path) and rl.title == "T"


# ---------------------------------------------------------------------------------------
# Any text at all
# ---------------------------------------------------------------------------------------

FRAGMENTS = [
    "#", "## ", "###### ", "-", "- ", "* ", "+ ", "1.", "1. ", "2) ", "6.2 ", "12. ", "[", "]",
    "](", ")", "[t](https://a.example)", "[pdf](http://b.example/x.pdf)", "![i](x.png)",
    "[![b](https://img.shields.io/x)](https://c.example)", "[r][ref]", "[ref]: https://r.example",
    "<https://auto.example>", "https://bare.example/p.", "(2020)", "（2021）", "|", "| a | b |",
    "|---|---|", "`", "``", "```", "<", ">", "<script>", "</script>",
    "<img src=x onerror=alert(1)>",
    "&amp;", "&#x1F600;", "&", "😀", "🔥", "深度学习", "ニューラル", "신경망", "\n", "\n\n",
    "  ", "    ", "\t", "> ", "***", "---", "===", "[#a](#a)", "javascript:alert(1)", "\\", "\r\n",
]  # fmt: skip

markdownish = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=60
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_parses(text: str) -> None:
    check_invariants(parse_reading_list(text), text)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdownish)
def test_any_markdownish_text_parses(text: str) -> None:
    check_invariants(parse_reading_list(text), text)


def _deep(depth: int) -> Iterator[str]:
    for level in range(depth):
        yield "  " * level + f"- level {level} [l{level}](https://l{level}.example)"


def test_very_deep_nesting_and_long_input_do_not_crash() -> None:
    deep = "\n".join(_deep(200))
    check_invariants(parse_reading_list(deep), deep)
    wide = "\n".join(f"- [{i}](https://x.example/{i})" for i in range(5000))
    assert len(resources(parse_reading_list(wide))) == 5000
    quotes = ">" * 500 + " [q](https://q.example)"
    check_invariants(parse_reading_list(quotes), quotes)
