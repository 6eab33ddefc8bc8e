"""The map page in a real browser (headless chromium, network blocked), driven like a user.

Every test of the interface runs on both drawing engines (``engine``: vis-network, which
small graphs get, and the canvas renderer of large ones): they share one interface.
"""

from __future__ import annotations

import csv
import io
import logging
import time
from pathlib import Path
from typing import Any

import pytest
from graphs import (
    NTK,
    READY,
    SURVEY,
    XSS_FORMULA,
    XSS_HOOK,
    XSS_IMG,
    XSS_SCRIPT,
    big_graph,
    download,
    field_graph,
    hostile_graph,
    node_id,
    pixel,
    view_box,
)

from kg.map.page import write_html
from kg.map.reduce import Engine, MapLimits
from kg.model.graph import KnowledgeGraph

logger = logging.getLogger(__name__)

pytestmark = pytest.mark.browser


@pytest.fixture(params=["vis", "canvas"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """The drawing engine a test's page uses."""
    return request.param  # type: ignore[no-any-return]


def open_page(tmp_path: Path, graph: KnowledgeGraph, engine: Engine = "auto") -> Path:
    path = tmp_path / "map.html"
    write_html(graph, path, limits=MapLimits(engine=engine))
    return path


def click_node(page: Any, index: int, *, shift: bool = False) -> None:
    """Click the node with the mouse, where it is drawn on the canvas."""
    page.evaluate("i => kg.focus(i, 1.5)", index)
    page.evaluate("kg.draw()")
    box = view_box(page)
    point = page.evaluate("i => kg.screenPosition(i)", index)
    if shift:
        page.keyboard.down("Shift")
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    if shift:
        page.keyboard.up("Shift")


def visible(page: Any, iri: str) -> bool:
    return bool(page.evaluate("i => kg.isVisible(i)", node_id(page, iri)))


def test_page_opens_offline_and_draws_every_node(offline_browser: Any, tmp_path: Path, engine: Engine) -> None:
    g = field_graph()
    path = open_page(tmp_path, g, engine)
    with offline_browser.open(path, ready=READY) as visit:
        page = visit.page
        counts = page.evaluate("[kg.nodeCount, kg.edgeCount, kg.visibleNodes(), kg.visibleEdges()]")
        drawn_by = page.evaluate("[kg.engine, document.body.dataset.engine, typeof vis]")
        # The canvas holds a drawing: many pixels are neither white nor transparent.
        inked = page.evaluate(
            """() => {
                const c = document.querySelector('#kg-view canvas');
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 0; i < d.length; i += 4) if (d[i] < 200 || d[i + 1] < 200) n++;
                return n;
            }"""
        )
        shown = page.locator("#kg-shown").text_content()
        assert page.title() == "Deep Learning Theory"
        assert page.locator("#kg-panel").is_hidden()
    n, e = g.number_of_nodes(), g.number_of_edges()
    assert counts == [n, e, n, e]
    assert drawn_by == [engine, engine, "object" if engine == "vis" else "undefined"]
    assert inked > 500
    assert shown == f"Showing {n} of {n} nodes, {e} of {e} edges"
    assert visit.problems() == []
    assert visit.requests == [path.resolve().as_uri()]
    assert visit.console_warnings == []


def test_clicking_a_node_opens_its_details(offline_browser: Any, tmp_path: Path, engine: Engine) -> None:
    path = open_page(tmp_path, field_graph(), engine)
    with offline_browser.open(path, ready=READY) as visit:
        page = visit.page
        survey = node_id(page, SURVEY)
        click_node(page, survey)
        panel = page.locator("#kg-panel")
        panel.wait_for(state="visible")
        assert panel.locator("h2").text_content() == "Recent advances in deep learning theory"
        assert panel.locator(".kg-meta").text_content().startswith("Survey · on the list (#1) · 2020")
        note = panel.locator(".kg-note")
        assert note.get_attribute("lang") == "zh"
        assert note.text_content() == "综述，覆盖面很广"
        sections = panel.locator("h3").all_text_contents()
        assert sections[:2] == ["Authors (2)", "Links"]
        assert "Cites (3)" in sections and "Topics (1)" in sections
        authors = panel.locator("h3:text('Authors (2)') + ul button").all_text_contents()
        assert authors == ["Fengxiang He", "Dacheng Tao"]
        links = panel.locator(".kg-links a").evaluate_all("as => as.map(a => [a.textContent, a.href])")
        assert links == [
            ["arxiv.org", "https://arxiv.org/pdf/2012.10931.pdf"],
            ["Semantic Scholar", "https://www.semanticscholar.org/paper/" + "a" * 40],
            ["arXiv:2012.10931", "https://arxiv.org/abs/2012.10931"],
            ["DOI 10.48550/arxiv.2012.10931", "https://doi.org/10.48550/arxiv.2012.10931"],
        ]
        targets = panel.locator("a").evaluate_all("as => as.map(a => [a.rel, a.target])")
        assert set(map(tuple, targets)) == {("noopener noreferrer", "_blank")}
        # Neighbours carry their own link.
        cited = panel.locator("h3:text('Cites (3)') + ul li", has_text="Neural Tangent Kernel")
        assert cited.locator("a.kg-out").get_attribute("href") == "https://arxiv.org/abs/1806.07572"
        # The neighbourhood is highlighted: the work, its authors, topic and citations.
        assert page.evaluate("kg.selection()") == [survey]
        assert page.evaluate("kg.highlighted().length") == 1 + 2 + 1 + 3
        # A neighbour's button moves the panel (and the selection) to that neighbour.
        cited.locator("button").click()
        assert panel.locator("h2").text_content() == "Neural Tangent Kernel"
        assert page.evaluate("kg.selection()") == [node_id(page, NTK)]
        assert "Cited by (3)" in panel.locator("h3").all_text_contents()
        # Clicking empty canvas closes the panel.
        box = view_box(page)
        corners = [(x, y) for x in (4, box["width"] - 4) for y in (4, box["height"] - 4)]
        x, y = next((x, y) for x, y in corners if page.evaluate("([x, y]) => kg.nodeAt(x, y)", [x, y]) < 0)
        page.mouse.click(box["x"] + x, box["y"] + y)
        panel.wait_for(state="hidden")
        assert page.evaluate("kg.selection()") == []
    assert visit.problems() == []


def test_the_neighbourhood_stays_bright_and_the_rest_fades(
    offline_browser: Any, tmp_path: Path, engine: Engine
) -> None:
    path = open_page(tmp_path, field_graph(), engine)
    blog = "https://w3id.org/kg/id/blog/offconvex"  # no edge to the survey
    with offline_browser.open(path, ready=READY) as visit:
        page = visit.page
        survey, ntk, other = node_id(page, SURVEY), node_id(page, NTK), node_id(page, blog)
        before = {i: pixel(page, i) for i in (survey, ntk, other)}
        page.evaluate("i => kg.showNode(i)", survey)
        after = {i: pixel(page, i) for i in (survey, ntk, other)}
        page.evaluate("kg.hidePanel()")
        again = {i: pixel(page, i) for i in (survey, ntk, other)}
    assert after[survey] == before[survey] and after[ntk] == before[ntk]  # the survey cites NTK
    assert sum(after[other]) > sum(before[other]) + 150  # faded towards white
    assert again == before
    assert visit.problems() == []


def test_search_finds_selects_and_focuses(offline_browser: Any, tmp_path: Path, engine: Engine) -> None:
    path = open_page(tmp_path, field_graph(), engine)
    with offline_browser.open(path, ready=READY) as visit:
        page = visit.page
        page.fill("#kg-search", "tangent")
        results = page.locator("#kg-results .kg-result-label").all_text_contents()
        assert set(results) == {"Neural Tangent Kernel", "neural-tangents"}
        page.press("#kg-search", "Enter")
        assert page.locator("#kg-results").is_hidden()
        title = page.locator("#kg-panel h2").text_content()
        assert title == results[0]
        chosen = node_id(page, NTK) if title == "Neural Tangent Kernel" else None
        if chosen is not None:
            assert page.evaluate("kg.selection()") == [chosen]
        # Focused: the chosen node sits in the middle of the map.
        selected = page.evaluate("kg.selection()")[0]
        box = view_box(page)
        point = page.evaluate("i => kg.screenPosition(i)", selected)
        assert abs(point["x"] - box["width"] / 2) < 2 and abs(point["y"] - box["height"] / 2) < 2
        # Authors and topics are found too; a click on a result selects it.
        page.fill("#kg-search", "jacot")
        assert page.locator("#kg-results .kg-result-label").all_text_contents() == ["Arthur Jacot"]
        page.fill("#kg-search", "JÁCOT")  # case and accents aside
        assert page.locator("#kg-results .kg-result-label").all_text_contents() == ["Arthur Jacot"]
        assert "Person" in page.locator("#kg-results .kg-result-meta").text_content()
        page.fill("#kg-search", "approximation")
        found = page.locator("#kg-results .kg-result-label").all_text_contents()
        assert {"Approximation", "NN Approximation Theory"} <= set(found)
        page.locator("#kg-results button", has_text="NN Approximation Theory").click()
        assert page.locator("#kg-panel h2").text_content() == "NN Approximation Theory"
    assert visit.problems() == []


def test_facets_hide_and_show_nodes(offline_browser: Any, tmp_path: Path, engine: Engine) -> None:
    g = field_graph()
    path = open_page(tmp_path, g, engine)
    n = g.number_of_nodes()
    with offline_browser.open(path, ready=READY) as visit:
        page = visit.page
        sidebar = page.locator("#kg-sidebar")
        # Kind: people off.
        sidebar.get_by_label("Person").uncheck()
        assert page.evaluate("kg.visibleNodes()") == n - 3
        assert not visible(page, "https://w3id.org/kg/id/person/he")
        sidebar.get_by_label("Person").check()
        # On the list vs fetched: fetched works go, and so do authors of only those.
        sidebar.get_by_label("Fetched from sources").uncheck()
        assert not visible(page, NTK) and visible(page, SURVEY)
        assert not visible(page, "https://w3id.org/kg/id/person/jacot")
        assert visible(page, "https://w3id.org/kg/id/person/he")
        assert page.locator("#kg-shown").text_content().startswith(f"Showing {n - 3 - 1} of {n} nodes")
        sidebar.get_by_label("Fetched from sources").check()
        # Years: from 2019 hides older works; works without a year stay unless asked.
        page.fill("#kg-f-from", "2019")
        assert not visible(page, NTK) and visible(page, SURVEY)
        assert visible(page, "https://w3id.org/kg/id/blog/offconvex")  # no year
        sidebar.get_by_label("works without a year").uncheck()
        assert not visible(page, "https://w3id.org/kg/id/blog/offconvex")
        page.click("#kg-reset")
        assert page.evaluate("kg.visibleNodes()") == n
        # Topic: a broader topic shows the works about it and about its narrower topics.
        page.select_option("#kg-f-topic", label="Approximation")
        assert visible(page, "https://doi.org/10.1007/bf02551274")  # about NN Approximation Theory
        assert not visible(page, SURVEY) and not visible(page, "https://w3id.org/kg/id/topic/overview")
        assert visible(page, "https://w3id.org/kg/id/topic/nn-approx")
        page.select_option("#kg-f-topic", label="Overview (2)")
        assert visible(page, SURVEY) and not visible(page, NTK)
        page.click("#kg-reset")
        assert page.evaluate("kg.visibleNodes()") == n
    assert visit.problems() == []


def test_edge_toggles_hide_each_kind_of_edge(offline_browser: Any, tmp_path: Path, engine: Engine) -> None:
    g = field_graph()
    path = open_page(tmp_path, g, engine)
    counts = {}
    for _, _, key in g.network.edges(keys=True):
        counts[key] = counts.get(key, 0) + 1
    with offline_browser.open(path, ready=READY) as visit:
        page = visit.page
        edges = page.locator("#kg-sidebar .kg-edges")
        for label, key in (("cites", "cites"), ("authored by", "creator"), ("about topic", "subject")):
            edges.get_by_label(label).uncheck()
            assert page.evaluate("kg.visibleEdges()") == g.number_of_edges() - counts[key], label
            edges.get_by_label(label).check()
        assert page.evaluate("kg.visibleEdges()") == g.number_of_edges()
    assert visit.problems() == []


def test_timeline_lays_works_out_by_year(offline_browser: Any, tmp_path: Path, engine: Engine) -> None:
    g = field_graph()
    path = open_page(tmp_path, g, engine)
    years = {w.iri: w.year for w in g.works() if w.year}
    with offline_browser.open(path, ready=READY) as visit:
        page = visit.page
        before = page.evaluate("i => kg.position(i)", node_id(page, SURVEY))
        page.get_by_label("timeline (x = year)").check()
        assert page.evaluate("kg.layout()") == "timeline"
        page.evaluate("kg.settled()")  # the move is animated: wait for its end
        xs = {iri: page.evaluate("i => kg.position(i).x", node_id(page, iri)) for iri in years}
        ordered = sorted(years, key=lambda iri: (years[iri], xs[iri]))
        assert [xs[iri] for iri in ordered] == sorted(xs.values())
        assert page.locator("#kg-physics").is_disabled()
        page.get_by_label("force (precomputed)").check()
        page.evaluate("kg.settled()")
        assert page.evaluate("i => kg.position(i)", node_id(page, SURVEY)) == before
    assert visit.problems() == []


def test_physics_moves_a_small_graph_and_stops_when_turned_off(
    offline_browser: Any, tmp_path: Path, engine: Engine
) -> None:
    path = open_page(tmp_path, field_graph(), engine)
    with offline_browser.open(path, ready=READY) as visit:
        page = visit.page
        start = page.evaluate("kg.position(0)")
        page.check("#kg-physics")
        visit.wait_for("p => { const q = kg.position(0); return q.x !== p.x || q.y !== p.y; }", start)
        page.uncheck("#kg-physics")
        moved = page.evaluate("kg.position(0)")
        assert moved != start
        visit.frames(10)  # the simulation ran a step a frame: ten frames without one
        assert page.evaluate("kg.position(0)") == moved
    assert visit.problems() == []


WIDER_THAN = """([a, b, least]) => {
    const pa = kg.screenPosition(a), pb = kg.screenPosition(b);
    return Math.abs(pa.x - pb.x) + Math.abs(pa.y - pb.y) > least;
}"""
"""Whether nodes a and b are drawn further apart than ``least`` pixels (the map zoomed in)."""


def test_zooming_with_the_wheel_and_panning_by_dragging(offline_browser: Any, tmp_path: Path, engine: Engine) -> None:
    path = open_page(tmp_path, field_graph(), engine)
    with offline_browser.open(path, ready=READY) as visit:
        page = visit.page
        box = view_box(page)
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        a, b = node_id(page, SURVEY), node_id(page, NTK)

        def gap() -> float:
            pa, pb = (page.evaluate("i => kg.screenPosition(i)", i) for i in (a, b))
            return float(abs(pa["x"] - pb["x"]) + abs(pa["y"] - pb["y"]))

        before = gap()
        page.mouse.move(cx, cy)
        for _ in range(5):  # five notches of a wheel
            page.mouse.wheel(0, -100)
        visit.wait_for(WIDER_THAN, [a, b, before * 1.5], timeout_ms=5_000)
        assert gap() > before * 1.5
        where = page.evaluate("i => kg.screenPosition(i)", a)
        page.mouse.move(box["x"] + 5, box["y"] + 5)
        page.mouse.down()
        page.mouse.move(box["x"] + 105, box["y"] + 45, steps=5)
        page.mouse.up()
        moved = page.evaluate("i => kg.screenPosition(i)", a)
        assert round(moved["x"] - where["x"]) == 100 and round(moved["y"] - where["y"]) == 40
    assert visit.problems() == []


def test_exports_the_shown_works_or_the_selection(offline_browser: Any, tmp_path: Path, engine: Engine) -> None:
    g = field_graph()
    path = open_page(tmp_path, g, engine)
    works = sum(1 for _ in g.works())
    with offline_browser.open(path, ready=READY) as visit:
        page = visit.page
        assert page.locator("#kg-export-what").text_content() == f"{works} shown works"
        rows = list(csv.DictReader(io.StringIO(download(page, "button[data-export='csv']").decode("utf-8"))))
        assert len(rows) == works
        survey = next(r for r in rows if r["iri"] == SURVEY)
        assert survey["title"] == "Recent advances in deep learning theory"
        assert survey["authors"] == "Fengxiang He; Dacheng Tao"
        assert survey["on_list"] == "yes" and survey["year"] == "2020" and survey["topics"] == "Overview"
        assert survey["doi"] == "10.48550/arxiv.2012.10931"
        # Shift-click two works: the exports hold just those.
        click_node(page, node_id(page, SURVEY))
        click_node(page, node_id(page, NTK), shift=True)
        assert page.locator("#kg-export-what").text_content() == "2 selected works"
        bib = download(page, "button[data-export='bibtex']").decode("utf-8")
        assert bib.count("\n@") + bib.startswith("@") == 2
        assert "@article{he2020recent," in bib
        assert "  author = {Fengxiang He and Dacheng Tao}," in bib
        assert "  eprint = {2012.10931}," in bib and "  year = {2018}," in bib
        png = download(page, "button[data-export='png']")
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000
    assert visit.problems() == []
    assert [u for u in visit.requests if not u.startswith("blob:")] == [path.resolve().as_uri()]


def test_a_hostile_graph_runs_no_injected_script(offline_browser: Any, tmp_path: Path, engine: Engine) -> None:
    g = hostile_graph()
    path = open_page(tmp_path, g, engine)
    with offline_browser.open(path, init_script=XSS_HOOK, ready=READY) as visit:
        page = visit.page
        count = page.evaluate("kg.nodeCount")
        assert count == g.number_of_nodes()
        anchors: list[str] = []
        for index in range(count):
            assert page.evaluate("i => window.kg.showNode(i)", index)
            anchors += page.locator("#kg-panel a").evaluate_all("as => as.map(a => a.href)")
            injected = page.locator("#kg-panel img, #kg-panel svg, #kg-panel script").count()
            assert injected == 0
        # The tooltip of a hostile node shows the markup as text.
        page.evaluate("kg.hidePanel(); kg.focus(0, 2); kg.draw()")
        box = view_box(page)
        point = page.evaluate("kg.screenPosition(0)")
        page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
        tooltip = page.locator("#kg-tooltip")
        tooltip.wait_for(state="visible")
        tags = tooltip.evaluate("t => Array.from(t.querySelectorAll('*'), e => e.tagName)")
        assert set(tags) <= {"STRONG", "SPAN"}
        assert "<" in tooltip.text_content()
        # vis-network shows no popup of its own (pyvis's raw-HTML title path is never taken),
        # and draws labels on its canvas only.
        assert page.locator(".vis-tooltip").count() == 0
        assert page.locator("#kg-view *").evaluate_all("es => es.map(e => e.tagName)") in (
            ["CANVAS"], ["DIV", "CANVAS"]
        )
        # Search results are text too.
        page.fill("#kg-search", "img")
        assert page.locator("#kg-results img").count() == 0
        assert XSS_IMG in page.locator("#kg-results").text_content()
        # Exports: a formula stays text in CSV, braces cannot end a BibTeX value.
        table = page.evaluate("kg.exportText('csv')")
        assert f"\"'{XSS_FORMULA.replace(chr(34), chr(34) * 2)}\"" in table
        bib = page.evaluate("kg.exportText('bibtex')")
        for line in bib.splitlines():
            if line.startswith("  title = {{"):
                inner = line[len("  title = {{"):-len("}},")]
                assert "{" not in inner.replace("\\{", "") and "}" not in inner.replace("\\}", "")
        visit.frames(5)  # let any late onerror/onload fire
        fired = page.evaluate("window.__xss")
        title = page.title()
    assert fired == []
    assert anchors and all(a.startswith(("https://", "http://")) for a in anchors)
    assert title == XSS_SCRIPT + XSS_IMG
    assert visit.problems() == []
    # An injected <img src=x> would have asked for file:///…/x: only the page was loaded.
    assert visit.requests == [path.resolve().as_uri()]


def test_empty_graph_opens_cleanly(offline_browser: Any, tmp_path: Path, engine: Engine) -> None:
    path = open_page(tmp_path, KnowledgeGraph(), engine)
    with offline_browser.open(path, ready=READY) as visit:
        assert visit.page.evaluate("kg.nodeCount") == 0
        assert visit.page.title() == "Reading-list knowledge graph"
        visit.page.fill("#kg-search", "x")
        visit.page.click("button[data-export='csv']")
    assert visit.problems() == []


@pytest.mark.slow
def test_a_large_graph_is_drawn_at_once_on_the_canvas(offline_browser: Any, tmp_path: Path) -> None:
    g = big_graph(1500)
    started = time.perf_counter()
    path = open_page(tmp_path, g)  # too big for vis-network: the canvas engine draws it
    render_seconds = time.perf_counter() - started
    with offline_browser.open(path, ready=READY, timeout_ms=60_000) as visit:
        page = visit.page
        count = page.evaluate("kg.visibleNodes()")
        assert page.evaluate("kg.engine") == "canvas"
        drawn_ms = page.evaluate("window.kgDrawnAt")
        assert page.locator("#kg-physics").is_disabled()  # too many nodes for physics
        page.fill("#kg-search", "Paper 1499")
        page.press("#kg-search", "Enter")
        assert page.locator("#kg-panel h2").text_content() == "Paper 1499"
    logger.info(
        "%d nodes, %d edges: rendered in %.1f s, %d bytes, drawn %.0f ms after navigation",
        g.number_of_nodes(), g.number_of_edges(), render_seconds, path.stat().st_size, drawn_ms,
    )
    assert count == g.number_of_nodes()
    assert visit.problems() == []
