"""The map's Insights view, the details panel's "why" and colour by community, in a real
browser (headless chromium, network blocked), on both engines.

SYNTHETIC DATA: the findings are made by hand (``synthetic_insights``) on the small field
of ``graphs.field_graph`` plus one made-up follow-up paper; they test how the page shows
findings, not what the analyses conclude (test_insights.py does that). Tests that only read
the page share one visit per engine (``shared``) and start by clearing what an earlier one
left selected.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from graphs import (
    BASE,
    NTK,
    READY,
    SURVEY,
    XSS_ATTR,
    XSS_HOOK,
    XSS_IMG,
    XSS_SCRIPT,
    download,
    field_graph,
    hostile_graph,
    node_id,
    payload_of,
    pixel,
    view_box,
    work,
)
from test_insights import planted_build
from typer.testing import CliRunner

from kg.analysis.insights import InsightSettings
from kg.cli import app
from kg.map.page import render_html, write_html
from kg.map.reduce import Engine, MapLimits
from kg.model.derived import Candidate, Community, Derivative, Insights, Misfit
from kg.model.graph import KnowledgeGraph
from kg.model.nodes import Cites, Subject

BOOK = BASE + "book/dlt"
REPO = BASE + "repo/ntk"
COURSE = BASE + "course/ideal"
BLOG = BASE + "blog/offconvex"
POST = BASE + "post/1"
CYBENKO = "https://doi.org/10.1007/bf02551274"
PREPRINT = "https://arxiv.org/abs/1702.08489"
OVERVIEW = BASE + "topic/overview"
APPROX = BASE + "topic/approximation"
NN_APPROX = BASE + "topic/nn-approx"
FOLLOW_UP = BASE + "work/synthetic-follow-up"
NEUTRAL = (0xC8, 0xC8, 0xC8)
"""How the page draws a node in no community (communities.js)."""
PALETTE = ((0x4E, 0x79, 0xA7), (0xF2, 0x8E, 0x2B))
"""The first two community colours (communities.js)."""


def synthetic_insights() -> Insights:
    """One finding of each kind, on the citations of ``insight_graph``."""
    return Insights(
        candidates=(
            Candidate(work=NTK, score=3.0, rank=1, topic=OVERVIEW,
                      evidence=((BOOK, NTK), (REPO, NTK), (SURVEY, NTK))),
            Candidate(work=CYBENKO, score=1.0, rank=2, evidence=((SURVEY, CYBENKO),)),
        ),
        derivatives=(Derivative(work=FOLLOW_UP, score=2.0, rank=1, evidence=((FOLLOW_UP, BOOK), (FOLLOW_UP, SURVEY))),),
        misfiled=(Misfit(resource=BOOK, topic=OVERVIEW, suggested=NN_APPROX, agreement=0.667,
                         evidence=((BOOK, NTK),), similar=((BOOK, SURVEY),)),),
        communities=(
            Community(number=1, label="kernels: tangent, wide (synthetic)",
                      members=tuple(sorted((SURVEY, NTK, BOOK, REPO, PREPRINT)))),
            Community(number=2, label="convex paths (synthetic)", members=tuple(sorted((BLOG, POST, COURSE)))),
        ),
        disconnected=(APPROX,),
        isolated=(BLOG, COURSE),
        modularity=0.25,
        notes=("Synthetic note: too few citations to compare the topics.",),
    )  # fmt: skip


def insight_graph() -> KnowledgeGraph:
    """The small field, a made-up follow-up citing two list resources, and the findings."""
    g = field_graph()
    work(g, FOLLOW_UP, "A synthetic follow-up (test fixture)", "Preprint", year=2023)
    g.link(FOLLOW_UP, BOOK, Cites())
    g.link(FOLLOW_UP, SURVEY, Cites())
    g.link(BOOK, OVERVIEW, Subject())
    g.insights = synthetic_insights()
    return g


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, Any]]]:
    """The page of ``insight_graph`` drawn by each engine, with its payload."""
    out = tmp_path_factory.mktemp("insights")
    graph = insight_graph()
    made = {}
    for engine in ("vis", "canvas"):
        path = out / f"{engine}.html"
        write_html(graph, path, limits=MapLimits(engine=engine))
        made[engine] = (path, payload_of(path.read_text(encoding="utf-8")))
    return made


@pytest.fixture(scope="module", params=["vis", "canvas"])
def shared(request: pytest.FixtureRequest, offline_browser: Any, pages: Any) -> Iterator[tuple[Any, dict[str, Any]]]:
    """One open visit of each engine's page, and its payload (tests clear the selection)."""
    path, payload = pages[request.param]
    with offline_browser.open(path, ready=READY) as visit:
        visit.page.set_default_timeout(5_000)
        yield visit, payload
    assert visit.problems() == []
    assert [u for u in visit.requests if not u.startswith("blob:")] == [path.resolve().as_uri()]


def fresh(shared: tuple[Any, dict[str, Any]]) -> tuple[Any, dict[str, Any]]:
    """The shared page with nothing selected, coloured by kind, on its Insights tab."""
    visit, payload = shared
    page = visit.page
    page.evaluate("kg.clearSelection(); kg.colourBy('kind'); kg.insights.showTab('insights')")
    return page, payload


def open_section(page: Any, kind: str) -> None:
    """Open one section of the Insights view (a click on its summary, if it is closed)."""
    closed = page.locator(f"#kg-insights details.kg-insight[data-kind='{kind}']:not([open]) > summary")
    if closed.count():
        closed.click()


def open_all_sections(page: Any) -> None:
    """Open every section of the Insights view and make all of its rows."""
    closed = page.locator("#kg-insights details.kg-insight:not([open]) > summary")
    while closed.count():
        closed.first.click()
    more = page.locator("#kg-insights .kg-insight-more:visible")
    while more.count():
        more.first.click()


def rows(page: Any, kind: str) -> list[dict[str, Any]]:
    return page.locator(f"#kg-insights button[data-kind='{kind}']").evaluate_all(  # type: ignore[no-any-return]
        """bs => bs.map(b => ({index: Number(b.dataset.index), node: b.dataset.node === undefined ? null :
            Number(b.dataset.node), label: b.querySelector('.kg-result-label').textContent}))"""
    )


def why_buttons(page: Any) -> list[str]:
    return page.locator("#kg-panel .kg-why button").all_text_contents()  # type: ignore[no-any-return]


# --------------------------------------------------------------------------------------
# The Insights view
# --------------------------------------------------------------------------------------


@pytest.mark.browser
def test_the_view_lists_exactly_what_the_payload_lists(shared: Any) -> None:
    page, payload = fresh(shared)
    found, label = payload["insights"], payload["nodes"]["label"]
    open_all_sections(page)
    for kind in ("candidates", "derivatives", "misfiled"):
        listed = rows(page, kind)
        assert [r["node"] for r in listed] == [f["node"] for f in found[kind]], kind
        assert [r["label"] for r in listed] == [label[f["node"]] for f in found[kind]], kind
        assert [r["index"] for r in listed] == list(range(len(found[kind])))
    for kind in ("disconnected", "isolated"):
        assert [r["node"] for r in rows(page, kind)] == found[kind], kind
    assert [r["label"] for r in rows(page, "communities")] == [c["label"] for c in found["communities"]]
    counts = page.locator("#kg-insights details.kg-insight").evaluate_all(
        "ds => ds.map(d => [d.dataset.kind, d.querySelector('summary .kg-count').textContent])"
    )
    assert counts == [[kind, str(len(found[kind]))] for kind in
                      ("candidates", "derivatives", "misfiled", "communities", "disconnected", "isolated")]
    notes = page.locator("#kg-insights .kg-insight-notes li").all_text_contents()
    assert notes == found["notes"] == ["Synthetic note: too few citations to compare the topics."]
    assert "Modularity 0.25." in page.locator("#kg-insights details[data-kind='communities']").text_content()
    # Metadata read from the same records: score, how many cite it, the proposed topic.
    first = page.locator("#kg-insights button[data-kind='candidates'] .kg-result-meta").first.text_content()
    assert first == "score 3 · cited by 3 · → Overview"
    misfit = page.locator("#kg-insights button[data-kind='misfiled'] .kg-result-meta").first.text_content()
    assert misfit == "Overview → NN Approximation Theory (67 %)"


@pytest.mark.browser
def test_clicking_a_candidate_lights_up_exactly_the_entries_citing_it(shared: Any) -> None:
    page, payload = fresh(shared)
    first = payload["insights"]["candidates"][0]
    ntk = node_id(page, NTK)
    assert first["node"] == ntk
    jacot = node_id(page, BASE + "person/jacot")  # a neighbour of the candidate, but no evidence
    row = page.locator("#kg-insights button[data-kind='candidates']").first
    row.click()
    assert page.evaluate("kg.selection()") == [ntk]
    assert page.evaluate("kg.highlighted()") == sorted([ntk, *first["evidence"]])
    assert sorted(first["evidence"]) == sorted(node_id(page, iri) for iri in (BOOK, REPO, SURVEY))
    assert page.evaluate("kg.insights.active()") == {"kind": "candidates", "index": 0}
    assert page.locator("#kg-insights button[aria-current='true']").get_attribute("data-node") == str(ntk)
    # Centred; the neighbour that is no evidence fades, the evidence does not.
    box = view_box(page)
    point = page.evaluate("i => kg.screenPosition(i)", ntk)
    assert abs(point["x"] - box["width"] / 2) < 2 and abs(point["y"] - box["height"] / 2) < 2
    for i in [*first["evidence"], jacot]:
        point = page.evaluate("i => kg.screenPosition(i)", i)
        assert 0 < point["x"] < box["width"] and 0 < point["y"] < box["height"]  # in view
    lit = {i: pixel(page, i) for i in (ntk, *first["evidence"], jacot)}
    page.evaluate("kg.hidePanel()")
    plain = {i: pixel(page, i) for i in lit}
    assert sum(lit[jacot]) > sum(plain[jacot]) + 150  # faded towards white
    assert lit[ntk] == plain[ntk]
    assert all(sum(lit[i]) <= sum(plain[i]) + 30 for i in first["evidence"]), (lit, plain)  # not faded
    row.click()
    # The details panel says why, each piece of evidence a button that selects it.
    assert page.locator("#kg-panel h2").text_content() == "Neural Tangent Kernel"
    why = page.locator("#kg-panel .kg-why").text_content()
    assert "Candidate for the list: #1 of 2, score 3." in why and "Cited by 3 list resources:" in why
    buttons = why_buttons(page)
    labels = payload["nodes"]["label"]
    assert [labels[i] for i in first["evidence"]] == buttons[:3]
    assert buttons[3] == "Overview"  # the proposed topic
    page.locator("#kg-panel .kg-why button", has_text="neural-tangents").click()
    assert page.evaluate("kg.selection()") == [node_id(page, REPO)]
    assert page.evaluate("kg.insights.active()") is None
    assert page.locator("#kg-insights button[aria-current]").count() == 0
    # The repository is evidence: its panel names the candidate it cites; the proposed
    # topic's, the candidate proposed for it.
    assert "Cites a candidate:" in page.locator("#kg-panel .kg-why").text_content()
    assert why_buttons(page)[0] == "Neural Tangent Kernel"
    page.evaluate("i => kg.select(i)", node_id(page, OVERVIEW))
    assert "Proposed for a candidate:" in page.locator("#kg-panel .kg-why").text_content()
    assert why_buttons(page) == ["Neural Tangent Kernel"]


@pytest.mark.browser
def test_a_misfit_shows_its_neighbours_and_the_suggested_topic_whatever_the_filters(shared: Any) -> None:
    page, payload = fresh(shared)
    misfit = payload["insights"]["misfiled"][0]
    book, survey, ntk = (node_id(page, iri) for iri in (BOOK, SURVEY, NTK))
    nn_approx = node_id(page, NN_APPROX)
    assert sorted(misfit["evidence"]) == sorted([survey, ntk]) and misfit["suggested"] == nn_approx
    page.evaluate("kg.insights.showTab('legend')")
    page.locator("#kg-f-fetched").uncheck()  # hides NTK, a fetched work
    assert not page.evaluate("i => kg.isVisible(i)", ntk)
    page.evaluate("kg.insights.showTab('insights')")
    open_section(page, "misfiled")
    page.locator("#kg-insights button[data-kind='misfiled']").first.click()
    assert page.evaluate("kg.selection()") == [book]
    assert page.evaluate("kg.highlighted()") == sorted([book, survey, ntk, nn_approx])
    assert page.evaluate("i => kg.isVisible(i)", ntk)  # evidence stays in view
    why = page.locator("#kg-panel .kg-why").text_content()
    assert "Filed under Overview, but 67 % of its neighbours on the list are under NN Approximation Theory:" in why
    # The next selection lets the filters decide again.
    page.evaluate("i => kg.select(i)", nn_approx)
    assert not page.evaluate("i => kg.isVisible(i)", ntk)
    assert "Where a misfiled entry seems to belong:" in page.locator("#kg-panel .kg-why").text_content()
    assert why_buttons(page) == ["The Principles of Deep Learning Theory"]
    page.evaluate("kg.insights.showTab('legend')")
    page.locator("#kg-f-fetched").check()


@pytest.mark.browser
def test_derivatives_communities_and_the_rest_open_their_findings(shared: Any) -> None:
    page, payload = fresh(shared)
    found = payload["insights"]
    open_all_sections(page)
    follow_up = node_id(page, FOLLOW_UP)
    page.locator("#kg-insights button[data-kind='derivatives']").first.click()
    assert page.evaluate("kg.highlighted()") == sorted([follow_up, *found["derivatives"][0]["evidence"]])
    assert "Builds on the list: #1 of 1, score 2. It cites 2 list resources:" in page.locator(
        "#kg-panel .kg-why").text_content()
    # A community lights up its members as a group, with nothing selected.
    page.locator("#kg-insights button[data-kind='communities']").first.click()
    members = found["communities"][0]["members"]
    assert page.evaluate("kg.highlighted()") == members
    assert page.evaluate("kg.selection()") == []
    assert page.evaluate("kg.insights.active()") == {"kind": "communities", "index": 0}
    assert page.locator("#kg-panel h2").text_content() == "kernels: tangent, wide (synthetic)"
    assert page.locator("#kg-panel .kg-meta").text_content() == "Community c1 · 5 works · 3 on the list"
    page.locator("#kg-panel button", has_text="Select its works").click()
    assert page.evaluate("kg.selection()") == members
    # An isolated entry and a disconnected topic: their panel says so.
    page.locator("#kg-insights button[data-kind='isolated']").first.click()
    assert page.evaluate("kg.selection()") == [found["isolated"][0]]
    assert "No citation links it to any other work of the field." in page.locator("#kg-panel .kg-why").text_content()
    page.locator("#kg-insights button[data-kind='disconnected']").first.click()
    assert "No citation path joins this topic's resources" in page.locator("#kg-panel .kg-why").text_content()
    # A member's panel names its community; its button opens the community.
    page.evaluate("i => kg.select(i)", node_id(page, POST))
    page.locator("#kg-panel .kg-why-community").click()
    assert page.evaluate("kg.insights.active()") == {"kind": "communities", "index": 1}


@pytest.mark.browser
def test_the_lists_export_as_csv_and_select_all_feeds_the_bibtex(shared: Any) -> None:
    page, payload = fresh(shared)
    labels = payload["nodes"]["label"]
    iri = [d["iri"] for d in payload["details"]]
    section = page.locator("#kg-insights details[data-kind='candidates']")
    table = list(csv.DictReader(io.StringIO(download(page, "#kg-insights details[data-kind='candidates'] "
                                                     "button:text('CSV')").decode("utf-8"))))
    expected = payload["insights"]["candidates"]
    assert [r["iri"] for r in table] == [iri[f["node"]] for f in expected]
    assert [r["title"] for r in table] == [labels[f["node"]] for f in expected]
    assert table[0]["cited_by_iris"] == "; ".join(iri[i] for i in expected[0]["evidence"])
    assert (table[0]["rank"], table[0]["score"], table[0]["topic"]) == ("1", "3", "Overview")
    assert table[1]["topic"] == "" and table[1]["topic_iri"] == ""
    communities = list(csv.DictReader(io.StringIO(page.evaluate("kg.insights.csv('communities')"))))
    assert [(c["id"], c["size"], c["on_list"]) for c in communities] == [("c1", "5", "3"), ("c2", "3", "3")]
    # Select all candidates, then BibTeX: the two candidates, nothing else.
    section.locator("button", has_text="Select all").click()
    assert page.evaluate("kg.selection()") == sorted(f["node"] for f in expected)
    page.evaluate("kg.insights.showTab('legend')")
    assert page.locator("#kg-export-what").text_content() == "2 selected works"
    bib = download(page, "button[data-export='bibtex']").decode("utf-8")
    assert bib.count("@") == 2
    assert "title = {{Neural Tangent Kernel}}" in bib
    assert "title = {{Approximation by superpositions of a sigmoidal function}}" in bib


@pytest.mark.browser
def test_the_view_is_reached_and_used_with_the_keyboard(shared: Any) -> None:
    page, payload = fresh(shared)
    page.evaluate("kg.insights.showTab('legend'); document.activeElement.blur()")
    page.keyboard.press("i")
    assert page.evaluate("document.activeElement.id") == "kg-tab-insights"
    assert page.locator("#kg-insights").is_visible() and page.locator("#kg-legend").is_hidden()
    page.keyboard.press("ArrowLeft")
    assert page.locator("#kg-tab-legend").get_attribute("aria-selected") == "true"
    assert page.locator("#kg-legend").is_visible()
    page.keyboard.press("ArrowRight")
    assert page.locator("#kg-tab-insights").get_attribute("aria-selected") == "true"
    # Tab walks into the view: the filter, the first section, its tools, its first row.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.kind === 'candidates'"):
            break
    page.keyboard.press("Enter")
    assert page.evaluate("kg.insights.active()") == {"kind": "candidates", "index": 0}
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.evaluate("kg.insights.active()") == {"kind": "candidates", "index": 1}
    assert page.evaluate("kg.selection()") == [payload["insights"]["candidates"][1]["node"]]
    # The filter narrows every list.
    page.fill("#kg-insights input[type='search']", "tangent")
    assert [r["label"] for r in rows(page, "candidates")] == ["Neural Tangent Kernel"]
    assert page.locator("#kg-insights details[data-kind='candidates'] summary .kg-count").text_content() == "1 of 2"
    page.fill("#kg-insights input[type='search']", "")
    assert len(rows(page, "candidates")) == 2


@pytest.mark.browser
def test_the_view_lists_what_kg_insights_reports_on_a_planted_field(offline_browser: Any, tmp_path: Path) -> None:
    """Real findings (kg's analyses on the planted field of test_insights, served by the
    local Graph API server): the view lists what ``kg insights --format json`` prints."""
    built = planted_build(tmp_path, 1, tmp_path / "out")
    top = str(InsightSettings().top)  # what the build kept (kg insights prints fewer by default)
    report = json.loads(
        CliRunner().invoke(app, ["insights", str(built.turtle_path), "--format", "json", "--top", top]).stdout
    )
    path = tmp_path / "map.html"
    write_html(built.graph, path)
    iri = [d["iri"] for d in payload_of(path.read_text(encoding="utf-8"))["details"]]
    with offline_browser.open(path, ready=READY) as visit:
        page = visit.page
        page.click("#kg-tab-insights")
        open_all_sections(page)
        shown = {kind: [iri[r["node"]] if r["node"] is not None else r["label"] for r in rows(page, kind)]
                 for kind in ("candidates", "derivatives", "misfiled", "communities", "disconnected", "isolated")}
        notes = page.locator("#kg-insights .kg-insight-notes li").all_text_contents()
        page.locator("#kg-insights button[data-kind='candidates']").first.click()
        lit = sorted(iri[i] for i in page.evaluate("kg.highlighted()"))
    assert shown["candidates"] == [c["work"] for c in report["candidates"]] and shown["candidates"]
    assert shown["derivatives"] == [d["work"] for d in report["derivatives"]] and shown["derivatives"]
    assert shown["misfiled"] == [m["resource"] for m in report["misfiled"]] and shown["misfiled"]
    assert shown["communities"] == [c["label"] for c in report["communities"]] and shown["communities"]
    assert shown["disconnected"] == report["disconnected_topics"] and shown["disconnected"]
    assert shown["isolated"] == report["isolated"] and shown["isolated"]
    assert notes == report["notes"]
    assert lit == sorted([report["candidates"][0]["work"], *report["candidates"][0]["cited_by"]])
    assert visit.problems() == []


# --------------------------------------------------------------------------------------
# Colour by community
# --------------------------------------------------------------------------------------


def near(colour: list[int], expected: tuple[int, int, int], within: int = 3) -> bool:
    return all(abs(a - b) <= within for a, b in zip(colour, expected))


def far_from_labels(page: Any, nodes: list[int], labels: list[dict[str, float]]) -> int:
    """The node of ``nodes`` drawn furthest from every community label (labels cover nodes)."""

    def gap(i: int) -> float:
        p = page.evaluate("i => kg.screenPosition(i)", i)
        return min((abs(p["x"] - lab["x"]) + abs(p["y"] - lab["y"]) for lab in labels), default=1e9)

    best = max(nodes, key=gap)
    assert gap(best) > 40, "every member lies under a label"
    return best


INK = """([x, y, colour]) => {
    const c = document.querySelector('#kg-view canvas');
    const ratio = c.width / c.clientWidth;
    const d = c.getContext('2d').getImageData(Math.round((x - 60) * ratio), Math.round((y - 8) * ratio),
        Math.round(120 * ratio), Math.round(16 * ratio)).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
        if (Math.abs(d[i] - colour[0]) + Math.abs(d[i + 1] - colour[1]) + Math.abs(d[i + 2] - colour[2]) < 30) n++;
    }
    return n;
}"""
"""How many pixels around (x, y) are drawn in about ``colour`` (a label's text)."""


@pytest.mark.browser
def test_colour_by_community_colours_nodes_and_labels_each_community_at_its_centre(shared: Any) -> None:
    page, payload = fresh(shared)
    page.evaluate("kg.insights.showTab('legend'); kg.fit()")
    communities = payload["insights"]["communities"]
    styles, style_of = payload["styles"], payload["nodes"]["style"]
    follow_up, cybenko = node_id(page, FOLLOW_UP), node_id(page, CYBENKO)
    assert page.evaluate("kg.communityLabels()") == []
    page.locator("input[name='kg-colour'][value='community']").check()
    assert page.evaluate("kg.colourMode()") == "community"
    page.evaluate("kg.draw()")
    labels = page.evaluate("kg.communityLabels()")
    # One label per community, at the centroid of its members as drawn, in its words.
    assert [lab["id"] for lab in labels] == ["c1", "c2"]
    for lab, community in zip(labels, communities):
        points = [page.evaluate("i => kg.screenPosition(i)", i) for i in community["members"]]
        assert abs(lab["x"] - sum(p["x"] for p in points) / len(points)) < 0.5
        assert abs(lab["y"] - sum(p["y"] for p in points) / len(points)) < 0.5
        assert lab["text"] == community["label"] and lab["members"] == len(community["members"])
        text_colour = tuple(int(v * 0.55 + 0.5) for v in PALETTE[lab["community"]])
        assert page.evaluate(INK, [lab["x"], lab["y"], list(text_colour)]) >= 5
    # Members take their community's colour, the rest the neutral grey.
    for k, community in enumerate(communities):
        member = far_from_labels(page, community["members"], labels)
        assert page.evaluate("i => kg.colourOf(i)", member) == "#" + "".join(f"{v:02x}" for v in PALETTE[k])
        assert near(pixel(page, member), PALETTE[k]), (k, pixel(page, member))
    outside = far_from_labels(page, [follow_up, cybenko], labels)
    assert near(pixel(page, outside), NEUTRAL)
    # The legend lists the communities with their sizes.
    legend = page.locator("#kg-community-legend")
    assert legend.locator(".kg-community-label").all_text_contents() == [
        "kernels: tangent, wide (synthetic)", "convex paths (synthetic)", "in no community"]
    outside_count = payload["nodes"]["community"].count(-1)
    assert legend.locator(".kg-count").all_text_contents() == ["5", "3", str(outside_count)]
    # Back to kinds: the kinds' colours, no labels, no community legend.
    page.locator("input[name='kg-colour'][value='kind']").check()
    page.evaluate("kg.draw()")
    assert page.evaluate("kg.communityLabels()") == []
    assert legend.is_hidden()
    colour = styles[style_of[outside]]["colour"].lstrip("#")
    assert near(pixel(page, outside), tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4)))


# --------------------------------------------------------------------------------------
# Hostile text, long lists, pages without insights
# --------------------------------------------------------------------------------------


def hostile_insights(graph: KnowledgeGraph) -> Insights:
    """Findings naming hostile works, in hostile words (synthetic)."""
    works = sorted(w.iri for w in graph.works())
    topics = sorted(t.iri for t in graph.topics())
    listed = sorted(w.iri for w in graph.works() if w.in_list)
    fetched = sorted(set(works) - set(listed))
    return Insights(
        candidates=tuple(Candidate(work=w, score=1.0, rank=k + 1, topic=topics[k], evidence=((listed[k], w),))
                         for k, w in enumerate(fetched)),
        derivatives=(Derivative(work=fetched[0], score=1.0, rank=1, evidence=((fetched[0], listed[0]),)),),
        misfiled=(Misfit(resource=listed[0], topic=topics[0], suggested=topics[1], agreement=0.5,
                         evidence=((listed[0], fetched[0]),)),),
        communities=(Community(number=1, label=XSS_SCRIPT + XSS_IMG, members=tuple(works[:3])),
                     Community(number=2, label="javascript:alert(1)" + XSS_ATTR, members=tuple(works[3:]))),
        disconnected=tuple(topics[:2]),
        isolated=tuple(listed),
        notes=(XSS_IMG, XSS_SCRIPT),
    )  # fmt: skip


@pytest.mark.browser
@pytest.mark.parametrize("engine", ["vis", "canvas"])
def test_hostile_titles_and_labels_stay_text(offline_browser: Any, tmp_path: Path, engine: Engine) -> None:
    graph = hostile_graph()
    graph.insights = hostile_insights(graph)
    path = tmp_path / "hostile.html"
    write_html(graph, path, limits=MapLimits(engine=engine))
    with offline_browser.open(path, init_script=XSS_HOOK, ready=READY) as visit:
        page = visit.page
        page.evaluate("kg.colourBy('community'); kg.draw()")
        drawn = [lab["text"] for lab in page.evaluate("kg.communityLabels()")]
        assert drawn == [c.label[:39].rstrip() + "…" for c in graph.insights.communities]
        page.click("#kg-tab-insights")
        open_all_sections(page)
        for button in page.locator("#kg-insights .kg-insight-list button").all():
            button.click()  # each finding's panel, evidence and all
        assert XSS_IMG in page.locator("#kg-insights .kg-insight-notes").text_content()
        assert XSS_SCRIPT + XSS_IMG in page.locator("#kg-insights").text_content()
        injected = "img, svg, script, iframe, object, a[href^='javascript']"
        assert page.locator(f"#kg-sidebar :is({injected})").count() == 0
        assert page.locator(f"#kg-panel :is({injected})").count() == 0
        csv_text = page.evaluate("kg.insights.csv('communities')")
        fired = page.evaluate("window.__xss")
    assert fired == []
    assert '"' + (XSS_SCRIPT + XSS_IMG).replace('"', '""') + '"' in csv_text
    assert visit.problems() == []
    assert visit.requests == [path.resolve().as_uri()]


@pytest.mark.browser
def test_a_long_list_is_made_a_chunk_at_a_time(offline_browser: Any, tmp_path: Path) -> None:
    graph = KnowledgeGraph(field_graph().meta)
    entries = tuple(work(graph, f"{BASE}work/{i:04d}", f"Synthetic entry {i}", "Preprint", in_list=True)
                    for i in range(450))  # fmt: skip
    graph.insights = Insights(isolated=entries)
    path = tmp_path / "long.html"
    write_html(graph, path, limits=MapLimits(engine="canvas"))
    with offline_browser.open(path, ready=READY) as visit:
        page = visit.page
        page.click("#kg-tab-insights")
        section = page.locator("#kg-insights details[data-kind='isolated']")
        assert section.get_attribute("open") is not None  # the first list with findings
        assert len(rows(page, "isolated")) == 200
        more = section.locator(".kg-insight-more")
        assert more.text_content() == "Show 200 more (250 left)"
        more.click()
        assert len(rows(page, "isolated")) == 400
        assert page.evaluate("document.activeElement.dataset.index") == "200"  # focus moved on
        more.click()
        listed = rows(page, "isolated")
        assert more.is_hidden()
    assert [r["node"] for r in listed] == sorted(r["node"] for r in listed) and len(listed) == 450
    assert visit.problems() == []


def test_a_page_without_insights_has_no_insights_tab_nor_colour_by_community() -> None:
    html = render_html(field_graph())
    assert 'id="kg-tab-insights"' not in html and 'name="kg-colour"' not in html
    assert payload_of(html)["insights"]["candidates"] == []
    with_them = render_html(insight_graph())
    assert 'id="kg-tab-insights"' in with_them and 'name="kg-colour"' in with_them
