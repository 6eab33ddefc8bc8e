"""Notebooks: kg.load(...) shows as the interactive map (an iframe srcdoc per map, so two
maps on one page keep apart), and to_pandas gives tables of works, people, topics and
citations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphs import field_graph, hostile_graph

import kg
from kg.model.nodes import Cites
from kg.pipeline import BuildResult

_DRAWN = """() => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no kgReady in the frame")), 20000);
    const check = () => window.kgReady === true ? (clearTimeout(timer), resolve(true)) : requestAnimationFrame(check);
    check();
})"""


def test_to_pandas_tables(seed_build: BuildResult) -> None:
    graph = kg.load(seed_build.turtle_path)
    tables = graph.to_pandas()
    works, people, topics, citations = (tables[k] for k in ("works", "people", "topics", "citations"))
    assert set(works.index) == {w.iri for w in graph.works()}
    assert len(people) == sum(1 for _ in graph.people()) and len(topics) == sum(1 for _ in graph.topics())
    assert len(citations) == sum(1 for _ in graph.edges(Cites))
    assert str(works["year"].dtype) == "Int64" and works["on_list"].dtype == bool
    assert works["pagerank"].sum() == pytest.approx(1.0)
    assert int(works["on_list"].sum()) == sum(1 for w in graph.works() if w.in_list)
    survey = works.loc["https://arxiv.org/abs/2012.10931"]
    assert survey["authors"] == "; ".join(graph.node(p).label for p in graph.authors(survey.name))
    assert survey["key"] == "he2020recent" and survey["year"] == 2020
    assert all(w.pagerank is None for w in graph.works())  # the loaded graph is left as it was


@pytest.mark.browser
def test_two_maps_side_by_side_in_a_notebook_page(offline_browser: Any, tmp_path: Path) -> None:
    first, second = field_graph(), hostile_graph()
    page = tmp_path / "notebook.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Two outputs</title></head><body>"
        "<div style='display: flex; gap: 8px'>"
        f"<div style='flex: 1'>{first._repr_html_()}</div><div style='flex: 1'>{second._repr_html_()}</div>"
        "</div></body></html>",
        encoding="utf-8",
    )
    with offline_browser.open(page, viewport=(1600, 800)) as visit:
        frames = [f for f in visit.page.frames if f != visit.page.main_frame]
        assert len(frames) == 2
        for frame in frames:
            frame.evaluate(_DRAWN)
        counts = [frame.evaluate("kg.nodeCount") for frame in frames]
        painted = [frame.evaluate("""() => {
            const c = document.querySelector('#kg-view canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++;
            return n; }""") for frame in frames]  # fmt: skip
    assert counts == [first.number_of_nodes(), second.number_of_nodes()]
    assert all(n > 1000 for n in painted), painted
    assert visit.problems() == []
    assert visit.requests == [page.resolve().as_uri()]
