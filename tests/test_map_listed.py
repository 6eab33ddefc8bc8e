"""The list's own words on the map: the listed venue and year where no source gives one, a
byline the list says is partial, and a topic facet that stays usable with many topics.

The list is synthetic (made-up titles, names and addresses).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphs import READY, payload_of

from kg.identify.entries import identify_entries
from kg.map.page import render_html, write_html
from kg.model.build import build_graph
from kg.model.graph import KnowledgeGraph
from kg.model.records import Corpus
from kg.read.markdown import parse_reading_list

SECTIONS = 24
"""Enough topics for the facet to offer its filter (more than 20)."""


def synthetic_list() -> str:
    lines = ["# A synthetic list, test data", ""]
    for s in range(SECTIONS):
        lines += [f"## Synthetic section {s}", ""]
        lines.append(f"- [Synthetic kernels {s}](https://example.org/files/k{s}.pdf) - Ada Synthetic et al., ICML 2019")
        lines += [f"### Synthetic subtopic {s}.1", ""]
        lines.append(f"- [Synthetic flows {s}](https://example.org/files/f{s}.pdf) - B. Example and C. Sample, 2020")
        lines.append("")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def graph() -> KnowledgeGraph:
    corpus = Corpus(reading_list=parse_reading_list(synthetic_list(), source="synthetic.md"))
    identify_entries(corpus)
    return build_graph(corpus)


def details_of(payload: dict[str, Any], label: str) -> dict[str, Any]:
    index = payload["nodes"]["label"].index(label)
    return {"year": payload["nodes"]["year"][index], **payload["details"][index]}


def test_the_panel_shows_the_lists_venue_year_and_partial_byline(graph: KnowledgeGraph) -> None:
    payload = payload_of(render_html(graph))
    kernels = details_of(payload, "Synthetic kernels 0")
    assert (kernels["venue"], kernels["year"], kernels["etAl"]) == ("ICML", 2019, 1)
    flows = details_of(payload, "Synthetic flows 0")
    assert flows["year"] == 2020 and "venue" not in flows and "etAl" not in flows


@pytest.mark.browser
def test_the_topic_facet_narrows_as_one_types(offline_browser: Any, tmp_path: Path, graph: KnowledgeGraph) -> None:
    path = tmp_path / "map.html"
    write_html(graph, path)
    with offline_browser.open(path, ready=READY) as visit:
        page = visit.page
        shown = "Array.from(document.querySelectorAll('#kg-f-topic option')).filter((o) => !o.hidden).length"
        everything = page.evaluate(shown)
        assert everything == 1 + 1 + 2 * SECTIONS  # "All topics", the list's title, sections, subtopics
        page.fill("#kg-f-topic-find", "subtopic 7.1")
        labels = page.evaluate(
            "Array.from(document.querySelectorAll('#kg-f-topic option')).filter((o) => !o.hidden)"
            ".map((o) => o.textContent.trim())"
        )
        # The match, with its broader topics so the tree stays readable.
        assert [label.split(" (")[0] for label in labels] == [
            "All topics", "A synthetic list, test data", "Synthetic section 7", "Synthetic subtopic 7.1",
        ]
        page.press("#kg-f-topic-find", "Enter")
        assert page.evaluate("document.getElementById('kg-f-topic').selectedOptions[0].textContent").strip().startswith(
            "Synthetic subtopic 7.1"
        )
        assert page.evaluate("(i) => kg.isVisible(i)", node(page, graph, "Synthetic flows 7"))
        assert not page.evaluate("(i) => kg.isVisible(i)", node(page, graph, "Synthetic flows 8"))
        # The panel of a work the list names with "et al." says the byline is partial.
        page.evaluate("(i) => kg.select(i)", node(page, graph, "Synthetic kernels 3"))
        panel = page.locator("#kg-panel-body")
        assert "ICML" in panel.locator(".kg-meta").text_content()
        assert panel.locator(".kg-et-al").count() == 1 and "Ada Synthetic" in panel.text_content()
        page.click("#kg-reset")
        assert page.evaluate(shown) == everything and page.input_value("#kg-f-topic-find") == ""
    assert visit.problems() == []


def node(page: Any, graph: KnowledgeGraph, label: str) -> int:
    """The page's number of the work labelled ``label``."""
    iri = next(w.iri for w in graph.works() if w.label == label)
    found: int = page.evaluate("(iri) => kg.idOf(iri)", iri)
    return found
