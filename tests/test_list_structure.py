"""How a list's structure becomes topics: notes nested under a resource are its note, not
topics; bold lines are sub-headings; the title comes from an HTML <h1> or the first heading.

Fixture sidecars (tests/lists/**/NAME.json) that give ``topics`` say every topic of their
list as a path of titles, and ``topic`` per entry the topic it is filed under.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kg.model.records import Entry, ReadingList
from kg.pipeline import BuildSettings, build
from kg.read.markdown import parse_reading_list, read_reading_list
from kg.read.topics import topic_paths

ROOT = Path(__file__).resolve().parent.parent
LISTS = Path(__file__).resolve().parent / "lists"
SEED = ROOT / "kg" / "data" / "deep-learning-theory.md"
STRUCTURED = [p for p in sorted(LISTS.rglob("*.json")) if "topics" in json.loads(p.read_text("utf-8"))]
NOTES_LIST = LISTS / "habits" / "notes-under-resources.md"


def topic_path(rl: ReadingList, entry: Entry) -> str:
    """The topics an entry sits in, and its own title for a topic: "A / B / C"."""
    path = topic_paths(rl)[entry.key] + ((entry.title,) if entry.is_topic else ())
    return " / ".join(path)


def by_title(rl: ReadingList) -> dict[str, Entry]:
    return {e.title: e for e in rl.entries}


# ---------------------------------------------------------------------------------------
# The fixtures' own expectations
# ---------------------------------------------------------------------------------------


def test_the_structure_fixtures_are_there() -> None:
    assert {p.stem for p in STRUCTURED} >= {"notes-under-resources", "bold-pseudo-headings"}


@pytest.mark.parametrize("sidecar", STRUCTURED, ids=[p.stem for p in STRUCTURED])
def test_fixture_topics_title_and_filing(sidecar: Path) -> None:
    data: dict[str, Any] = json.loads(sidecar.read_text("utf-8"))
    path = sidecar.with_suffix(".md")
    rl = read_reading_list(path)
    assert rl.title == data["list_title"]
    assert [topic_path(rl, e) for e in rl.entries if e.is_topic] == data["topics"]
    lines = path.read_text("utf-8").splitlines()
    resources = {e.line: e for e in rl.entries if not e.is_topic}
    for expected in data["entries"]:
        (line,) = [n for n, text in enumerate(lines, 1) if expected["line_with"] in text]
        assert topic_path(rl, resources[line]) == expected["topic"], f"line {line}"


# ---------------------------------------------------------------------------------------
# 1. Notes under a resource
# ---------------------------------------------------------------------------------------


def test_a_sentence_or_another_script_under_a_resource_is_its_note() -> None:
    rl = parse_reading_list(
        "# Causal ML\n## Papers\n"
        "- Toward Causal Representation Learning. Schölkopf et al. 2021. [[paper]](https://arxiv.org/abs/2102.11107)\n"
        "  - Une excellente synthèse du lien entre causalité et représentations.\n"
        "  - 因果表示学习综述\n"
        "- [grf](https://github.com/grf-labs/grf)\n"
        "  - see also the causal forests chapter of the book by Wager on heterogeneous effects today\n"
    )
    assert [e.title for e in rl.entries if e.is_topic] == ["Causal ML", "Papers"]
    paper, grf = (e for e in rl.entries if not e.is_topic)
    assert paper.note == "Une excellente synthèse du lien entre causalité et représentations. 因果表示学习综述"
    assert paper.note_lang == "en"  # the language the note starts in
    assert grf.note is not None and grf.note.startswith("see also the causal forests chapter")


def test_parts_of_a_resource_stay_its_topics() -> None:
    """Numbered, short, bold or with items of their own: what the resource covers."""
    rl = parse_reading_list(
        "# Course list\n"
        "1. [MathsDL](https://joanbruna.github.io/MathsDL-spring19/), lecture notes.\n"
        "    + 3.1 Geometry of Data, with a long description of what the lectures cover here;\n"
        "    + Open questions\n"
        "    + Landscape of deep learning optimisation, tensor and matrix factorisation.\n"
        "        + Stochastic optimisation.\n"
        "    + **Optimisation**\n"
    )
    course = rl.entries[1]
    parts = [e for e in rl.entries if e.is_topic and e.parent == course.key]
    assert [p.title for p in parts] == [
        "Geometry of Data, with a long description of what the lectures cover here",
        "Open questions",
        "Landscape of deep learning optimisation, tensor and matrix factorisation.",
        "Optimisation",
    ]
    assert course.note == "lecture notes."
    assert by_title(rl)["Stochastic optimisation."].is_topic  # under a topic: no note


def test_the_seed_lists_parts_of_resources_stay_topics() -> None:
    """The shipped list's "1.1 …" to "1.6 …" (a survey's six directions, some of them long
    sentences) and "3.1 …" to "3.3 …" (a course's parts) are topics of their resource."""
    rl = read_reading_list(SEED)
    entries = {e.key: e for e in rl.entries}
    under_resources = [
        e.number for e in rl.entries
        if e.is_topic and e.parent and not entries[e.parent].is_topic
    ]
    assert under_resources == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "3.1", "3.2", "3.3"]
    notes = " ".join(e.note or "" for e in rl.entries)
    assert "Geometry of Data" not in notes and "capacity-based" not in notes


def test_a_note_reaches_the_turtle_and_the_map_not_the_topics(tmp_path: Path) -> None:
    with contextlib.chdir(tmp_path):
        result = build(BuildSettings(list_path=NOTES_LIST, out_dir=tmp_path, s2=None, insights=None))
    store = ox.Store()
    store.load(path=str(result.turtle_path), format=ox.RdfFormat.TURTLE)
    notes = {
        str(row["n"].value) for row in store.query(  # type: ignore[index, union-attr]
            "SELECT ?n WHERE { ?w <https://w3id.org/kg/ontology#curatorNote> ?n }"
        )
    }
    labels = {
        str(row["l"].value) for row in store.query(  # type: ignore[index, union-attr]
            "SELECT ?l WHERE { ?t a <http://www.w3.org/2004/02/skos/core#Concept> ; "
            "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }"
        )
    }
    assert "Une très bonne lecture pour commencer." in notes
    assert not any("lecture pour commencer" in label or "残差" in label for label in labels)
    assert {"Normalisation layers", "Convolutional networks"} <= labels
    assert result.html_path is not None
    assert "Une très bonne lecture pour commencer." in result.html_path.read_text("utf-8")


# ---------------------------------------------------------------------------------------
# 2. Bold lines as sub-headings
# ---------------------------------------------------------------------------------------


def test_a_bold_line_heads_the_resources_after_it() -> None:
    rl = parse_reading_list(
        "# Interpretability\nIntro.\n\n**Gradient-based**\n\n"
        "- [Saliency](https://arxiv.org/abs/1312.6034)\n- [IG](https://arxiv.org/abs/1703.01365)\n\n"
        "**Model-agnostic**\n\n[LIME](https://arxiv.org/abs/1602.04938)\n\n[SHAP](https://arxiv.org/abs/1705.07874)\n\n"
        "- [Anchors](https://example.org/anchors)\n\n"
        "## Position papers\n\n- [Rigorous](https://arxiv.org/abs/1702.08608)\n"
    )
    assert rl.description == "Intro."  # the bold line was a heading after all
    filed = {e.title: topic_path(rl, e) for e in rl.entries if not e.is_topic}
    assert filed == {
        "Saliency": "Interpretability / Gradient-based",
        "IG": "Interpretability / Gradient-based",
        "LIME": "Interpretability / Model-agnostic",
        "SHAP": "Interpretability / Model-agnostic",  # paragraph after paragraph, still under it
        "Anchors": "Interpretability / Model-agnostic",
        "Rigorous": "Interpretability / Position papers",  # a heading ends the bold line's reach
    }


def test_a_bold_list_item_heads_the_items_after_it() -> None:
    rl = parse_reading_list(
        "# GANs\n- **Adversarial**\n- [GAN](https://arxiv.org/abs/1406.2661)\n"
        "- **Variational**\n- [VAE](https://arxiv.org/abs/1312.6114)\n- **Last, nothing after**\n"
    )
    filed = {e.title: topic_path(rl, e) for e in rl.entries if not e.is_topic}
    assert filed == {"GAN": "GANs / Adversarial", "VAE": "GANs / Variational"}
    assert by_title(rl)["Last, nothing after"].parent == rl.entries[0].key


def test_a_bold_line_that_is_part_of_an_entry_is_no_heading() -> None:
    rl = parse_reading_list(
        "# Reading\n## Papers\n\n"
        "**Deep Residual Learning for Image Recognition**\n\nHe et al. (2016). https://arxiv.org/abs/1512.03385\n\n"
        "**Attention Is All You Need.** NeurIPS 2017.\nhttps://arxiv.org/abs/1706.03762\n\n"
        "- **Adam**, Kingma and Ba. [pdf](https://arxiv.org/abs/1412.6980)\n\n"
        "**Contributions welcome!**\n\n- [BERT](https://arxiv.org/abs/1810.04805)\n\n"
        "**Nothing follows this line**\n"
    )
    assert [e.title for e in rl.entries if e.is_topic] == ["Reading", "Papers"]
    resnet, attention, adam, bert = (e for e in rl.entries if not e.is_topic)
    assert (resnet.title, resnet.year, resnet.line) == ("Deep Residual Learning for Image Recognition", 2016, 4)
    assert (attention.title, adam.title, bert.title) == ("Attention Is All You Need", "Adam", "BERT")


# ---------------------------------------------------------------------------------------
# 3. The list's title
# ---------------------------------------------------------------------------------------


def test_an_html_h1_names_the_list_and_heads_its_sections() -> None:
    rl = parse_reading_list(
        '<div align="center">\n<h1>Awesome <img src="logo.svg"> Causal &amp; ML</h1>\n</div>\n\n'
        "A curated list.\n\n## Books\n\n- [Causality](https://doi.org/10.1017/CBO9780511803161)\n"
    )
    assert (rl.title, rl.description) == ("Awesome Causal & ML", "A curated list.")
    assert topic_path(rl, rl.entries[-1]) == "Awesome Causal & ML / Books"
    assert rl.entries[0].heading_level == 1


def test_without_a_level_one_heading_the_first_heading_names_the_list() -> None:
    wiki = parse_reading_list("### Lab wiki\nMaintained by us.\n#### Papers\n- [A](https://a.org/x)\n")
    assert (wiki.title, wiki.description) == ("Lab wiki", "Maintained by us.")
    later_h1 = parse_reading_list("### Notes\n# The Title\n- [A](https://a.org/x)\n")
    assert later_h1.title == "The Title"
    # A first section among equals names the list, but what is written under it is listed.
    sections = parse_reading_list("## Papers\n[A paper](https://a.org/x)\n## Books\n- [B](https://b.org/y)\n")
    assert sections.title == "Papers" and sections.description is None
    assert [e.title for e in sections.entries if not e.is_topic] == ["A paper", "B"]
