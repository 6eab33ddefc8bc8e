"""The offline HTML map: static checks on the markup, then the real page in chromium."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import logging
import math
import random
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kg.render import (
    _KIND_COLOURS,
    _PERSON_COLOUR,
    _TOPIC_COLOUR,
    CORE_MAX,
    KIND_LABELS,
    _assets,
    _http_url,
    _layout,
    _links,
    _script_json,
    render_html,
    write_html,
)

logger = logging.getLogger(__name__)

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology" / "kg.ttl"
BASE = "https://w3id.org/kg/id/"
READY = "window.kgReady === true"


# --------------------------------------------------------------------------------------
# Graphs built by hand, following the contract of kg.graph
# --------------------------------------------------------------------------------------


def work(g: nx.MultiDiGraph, iri: str, label: str, kind: str, **attrs: Any) -> str:
    g.add_node(iri, group="work", label=label, kind=kind, **attrs)
    return iri


def person(g: nx.MultiDiGraph, iri: str, name: str, **attrs: Any) -> str:
    g.add_node(iri, group="person", label=name, **attrs)
    return iri


def topic(g: nx.MultiDiGraph, iri: str, label: str) -> str:
    g.add_node(iri, group="topic", label=label, scheme="list")
    return iri


def field_graph() -> nx.MultiDiGraph:
    """A small field: list resources of several kinds, fetched papers, people, topics."""
    g = nx.MultiDiGraph(title="Deep Learning Theory", base_iri=BASE)
    survey = work(
        g,
        "https://arxiv.org/abs/2012.10931",
        "Recent advances in deep learning theory",
        "Survey",
        in_list=True,
        number="1",
        year=2020,
        note="综述，覆盖面很广",
        note_lang="zh",
        url="https://arxiv.org/pdf/2012.10931.pdf",
        ids={"arxiv": "2012.10931", "doi": "10.48550/arxiv.2012.10931", "s2": "a" * 40},
        citation_count=120,
    )
    course = work(
        g,
        BASE + "course/ideal",
        "Theory of Deep Learning (IDEAL Special Quarter)",
        "Course",
        in_list=True,
        number="2",
        year=2020,
        url="https://www.ideal.northwestern.edu/special-quarters/fall-2020/",
    )
    book = work(
        g,
        BASE + "book/dlt",
        "The Principles of Deep Learning Theory",
        "Book",
        in_list=True,
        number="12",
        year=2022,
        note="An effective theory approach.",
        note_lang="en",
        url="https://arxiv.org/abs/2106.10165",
        ids={"arxiv": "2106.10165"},
    )
    blog = work(g, BASE + "blog/offconvex", "Off the convex path", "Blog", in_list=True,
                url="https://www.offconvex.org/")
    post = work(g, BASE + "post/1", "Is optimization a sufficient language?", "BlogPost",
                in_list=True, number="7.1",
                url="https://www.offconvex.org/2019/06/03/trajectories/")
    repo = work(g, BASE + "repo/ntk", "neural-tangents", "CodeRepository", in_list=True,
                url="https://github.com/google/neural-tangents",
                ids={"github": "google/neural-tangents"})
    cybenko = work(g, "https://doi.org/10.1007/bf02551274",
                   "Approximation by superpositions of a sigmoidal function", "JournalArticle",
                   in_list=False, year=1989, venue="Math. Control Signals Syst.",
                   ids={"doi": "10.1007/bf02551274"}, citation_count=12000)
    ntk = work(g, "https://arxiv.org/abs/1806.07572", "Neural Tangent Kernel", "ConferencePaper",
               in_list=False, year=2018, venue="NeurIPS", ids={"arxiv": "1806.07572"},
               citation_count=3000)
    preprint = work(g, "https://arxiv.org/abs/1702.08489", "Deep nets as kernels", "Preprint",
                    in_list=False, year=2017)
    he = person(g, BASE + "person/he", "Fengxiang He")
    tao = person(g, BASE + "person/tao", "Dacheng Tao", orcid="0000-0001-7225-5449",
                 s2_author_id="1692693")
    jacot = person(g, BASE + "person/jacot", "Arthur Jacot")
    overview = topic(g, BASE + "topic/overview", "Overview")
    approx = topic(g, BASE + "topic/approximation", "Approximation")
    nn_approx = topic(g, BASE + "topic/nn-approx", "NN Approximation Theory")

    for target in (cybenko, ntk, preprint):
        g.add_edge(survey, target, key="cites", origins=[])
    g.add_edge(book, ntk, key="cites")
    g.add_edge(ntk, preprint, key="cites")
    # Byline order is Tao second: added first on purpose, the panel must sort by position.
    g.add_edge(survey, tao, key="creator", position=1)
    g.add_edge(survey, he, key="creator", position=0)
    g.add_edge(ntk, jacot, key="creator", position=0)
    g.add_edge(survey, overview, key="subject")
    g.add_edge(course, overview, key="subject")
    g.add_edge(cybenko, nn_approx, key="subject")
    g.add_edge(nn_approx, approx, key="broader")
    g.add_edge(post, blog, key="part_of")
    g.add_edge(repo, ntk, key="cites")
    return g


XSS_IMG = '<img src=x onerror="window.__xss.push(\'img\');alert(1)">'
XSS_SCRIPT = "</script><script>window.__xss.push('script');alert(1)</script>"
XSS_ATTR = "\"'><svg onload=\"window.__xss.push('svg');alert(1)\">"
XSS_COMMENT = "<!--<script>window.__xss.push('comment')</script>"
HOSTILE_URLS = (
    "javascript:alert(1)",
    "JaVaScRiPt:window.__xss.push('href')",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "https://ok.example/</script><script>alert(1)</script>",
)


def hostile_graph() -> nx.MultiDiGraph:
    """Every text field carries markup that would run if it reached the DOM as HTML."""
    g = nx.MultiDiGraph(title=XSS_SCRIPT + XSS_IMG)
    payloads = (XSS_IMG, XSS_SCRIPT, XSS_ATTR, XSS_COMMENT, "line\u2028break\u2029para")
    for i, payload in enumerate(payloads):
        work(
            g,
            f"{BASE}work/{i}{payload}",
            payload,
            XSS_ATTR if i == 0 else "Preprint",
            in_list=i % 2 == 0,
            note=payload,
            note_lang=XSS_ATTR if i == 1 else "zh",
            url=HOSTILE_URLS[i % len(HOSTILE_URLS)],
            venue=payload,
            tldr=payload,
            number=payload,
            year=payload,
            ids={"arxiv": payload, "doi": "10.1/" + payload, "wikipedia": payload + ":x"},
            related=[(u, payload) for u in HOSTILE_URLS],
            open_access_pdf=HOSTILE_URLS[(i + 1) % len(HOSTILE_URLS)],
        )
        person(g, f"{BASE}person/{i}{payload}", payload, orcid=payload, s2_author_id=payload)
        topic(g, f"{BASE}topic/{i}{payload}", payload)
        g.add_edge(f"{BASE}work/{i}{payload}", f"{BASE}person/{i}{payload}", key="creator",
                   position=0)
        g.add_edge(f"{BASE}work/{i}{payload}", f"{BASE}topic/{i}{payload}", key=payload)
    ids = [n for n, a in g.nodes(data=True) if a["group"] == "work"]
    for a, b in zip(ids, ids[1:]):
        g.add_edge(a, b, key="cites")
    return g


# --------------------------------------------------------------------------------------
# Static checks on the markup
# --------------------------------------------------------------------------------------


class _Markup(HTMLParser):
    """Collects tags with their attributes and the text of each script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)


def parse(html: str) -> _Markup:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser


def csp_of(html: str) -> str:
    for tag, attrs in parse(html).tags:
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy":
            return attrs["content"] or ""
    raise AssertionError("no Content-Security-Policy meta")


def payload_of(html: str) -> dict[str, Any]:
    (text,) = [t for a, t in parse(html).scripts if a.get("type") == "application/json"]
    return json.loads(text)


def test_same_graph_renders_to_identical_bytes() -> None:
    first = render_html(field_graph()).encode("utf-8")
    assert render_html(field_graph()).encode("utf-8") == first


def test_insertion_order_does_not_change_the_page() -> None:
    g = field_graph()
    reordered = nx.MultiDiGraph(**g.graph)
    reordered.add_nodes_from(reversed(list(g.nodes(data=True))))
    reordered.add_edges_from(reversed(list(g.edges(keys=True, data=True))))
    assert render_html(reordered) == render_html(g)


def test_rendering_leaves_the_graph_untouched() -> None:
    g = field_graph()
    nodes = copy.deepcopy(dict(g.nodes(data=True)))
    edges = copy.deepcopy(list(g.edges(keys=True, data=True)))
    render_html(g)
    assert dict(g.nodes(data=True)) == nodes
    assert list(g.edges(keys=True, data=True)) == edges


def test_page_loads_nothing_from_outside() -> None:
    html = render_html(field_graph())
    markup = parse(html)
    for tag, attrs in markup.tags:
        assert "src" not in attrs, (tag, attrs)
        if tag == "link":
            raise AssertionError(f"external stylesheet or resource: {attrs}")
    csp = csp_of(html)
    assert "default-src 'none'" in csp
    assert "connect-src 'none'" in csp
    assert "img-src data:" in csp
    assert "'unsafe-eval'" not in csp and "http" not in csp
    # vis-network itself is inlined, from the pyvis package.
    assert "vis-network" in html and "@version 9.1.2" in html
    assert "cdnjs" not in html and "jsdelivr" not in html and "bootstrap" not in html.lower()


def test_only_the_pages_own_scripts_are_allowed_to_run() -> None:
    html = render_html(field_graph())
    csp = csp_of(html)
    code = [text for attrs, text in parse(html).scripts if "type" not in attrs]
    assert len(code) == 2  # vis-network and page.js
    allowed = set(re.findall(r"'sha256-([A-Za-z0-9+/=]+)'", csp))
    for text in code:
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        assert digest in allowed
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";")[0]


def test_script_json_cannot_end_or_break_its_script() -> None:
    value = {"t": "</script><!--<script>&\u2028\u2029 '\""}
    text = str(_script_json(value))
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert json.loads(text) == value


def test_hostile_text_stays_data() -> None:
    html = render_html(hostile_graph())
    markup = parse(html)
    # Exactly our three scripts end; none of the data's "</script>" survived raw.
    assert html.lower().count("</script") == 3
    assert len(markup.scripts) == 3
    assert "<!--" not in html
    # vis-network's own core-js contains "javascript:" (an iframe trick); look past it.
    ours = html.replace(_assets().vis_js, "").lower()
    assert "javascript:" not in ours and "vbscript:" not in ours
    assert not any(tag in ("img", "svg") for tag, _ in markup.tags)
    assert not any(k.startswith("on") for _, attrs in markup.tags for k in attrs)
    data = payload_of(html)
    labels = {d["label"] for d in data["details"].values()}
    assert XSS_IMG in labels and XSS_SCRIPT in labels  # shown as text, not lost


def test_hostile_links_are_dropped_and_safe_ones_kept() -> None:
    data = payload_of(render_html(hostile_graph()))
    hrefs = [href for d in data["details"].values() for _, href in d.get("links", [])]
    assert hrefs, "the safe https link and the identifier links should remain"
    assert all(href.startswith(("https://", "http://")) for href in hrefs)
    langs = {d.get("noteLang") for d in data["details"].values()}
    assert langs <= {"zh", None}  # a hostile language tag is left out, not passed on


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://arxiv.org/abs/1", "https://arxiv.org/abs/1"),
        ("HTTP://Example.org/x?y=1#z", "HTTP://Example.org/x?y=1#z"),
        ("javascript:alert(1)", None),
        ("JAVASCRIPT:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("\x01javascript:alert(1)", None),
        (" https://example.org/", None),
        ("https://exa mple.org/", None),
        ("data:text/html,x", None),
        ("//example.org/x", None),
        ("https:///nohost", None),
        ("ftp://example.org/f", None),
        ("https://[::1", None),
        (None, None),
        (42, None),
    ],
)
def test_only_absolute_http_urls_are_links(url: object, expected: str | None) -> None:
    assert _http_url(url) == expected


def test_identifier_links() -> None:
    links = _links(
        {
            "url": "https://arxiv.org/pdf/2012.10931.pdf",
            "ids": {
                "arxiv": "math/0211159",
                "doi": "10.1000/a<b>",
                "s2": "f" * 40,
                "openreview": "abc_DEF",
                "github": "google/neural-tangents",
                "wikipedia": "en:Universal_approximation_theorem",
            },
            "related": [("https://github.com/x/y", "code"), ("javascript:x", "bad")],
        },
        "work",
    )
    assert links == [
        ["arxiv.org", "https://arxiv.org/pdf/2012.10931.pdf"],
        ["Semantic Scholar", "https://www.semanticscholar.org/paper/" + "f" * 40],
        ["arXiv:math/0211159", "https://arxiv.org/abs/math/0211159"],
        ["DOI 10.1000/a<b>", "https://doi.org/10.1000/a%3Cb%3E"],
        ["OpenReview", "https://openreview.net/forum?id=abc_DEF"],
        ["GitHub google/neural-tangents", "https://github.com/google/neural-tangents"],
        ["Wikipedia", "https://en.wikipedia.org/wiki/Universal_approximation_theorem"],
        ["code", "https://github.com/x/y"],
    ]


def test_person_links() -> None:
    links = _links({"s2_author_id": "1692693", "orcid": "0000-0001-7225-5449",
                    "url": "javascript:alert(1)"}, "person")
    assert links == [
        ["Semantic Scholar", "https://www.semanticscholar.org/author/1692693"],
        ["ORCID", "https://orcid.org/0000-0001-7225-5449"],
    ]


def test_kind_labels_are_the_ontologys() -> None:
    onto = Graph().parse(ONTOLOGY)
    ns = "https://w3id.org/kg/ontology#"
    work = URIRef(ns + "Work")
    kinds = {work} | set(onto.transitive_subjects(RDFS.subClassOf, work))
    labels = {
        str(k).removeprefix(ns): str(onto.value(k, RDFS.label))
        for k in kinds
        if str(k).startswith(ns)
    }
    assert dict(KIND_LABELS) == labels
    assert all(isinstance(onto.value(URIRef(ns + k), RDFS.label), Literal) for k in KIND_LABELS)


def test_every_kind_has_a_colour_of_its_own() -> None:
    assert set(_KIND_COLOURS) == set(KIND_LABELS)
    colours = list(_KIND_COLOURS.values()) + [_PERSON_COLOUR, _TOPIC_COLOUR]
    assert len(set(colours)) == len(colours)


def test_a_kind_from_an_ontology_extension_gets_a_label_and_a_colour() -> None:
    g = nx.MultiDiGraph()
    work(g, "w", "Notes", "LectureNotes", in_list=True)
    data = payload_of(render_html(g))
    assert data["details"]["n0"]["kind"] == "Lecture notes"
    assert data["options"]["groups"]["list:LectureNotes"]["color"]["background"].startswith("#")


def test_legend_names_each_kind_present_with_its_count() -> None:
    html = render_html(field_graph())
    legend = html[html.index('id="kg-legend"') :]
    for label, count in [("Journal article", 1), ("Survey", 1), ("Code repository", 1),
                         ("Person", 3), ("Topic", 3)]:
        item = f'</span>{label} <span class="kg-count">{count}</span>'
        assert item in legend, item
    assert "Encyclopedia article" not in legend  # absent kinds are not listed


def test_title_defaults_to_the_lists_and_is_escaped() -> None:
    assert "<title>Deep Learning Theory</title>" in render_html(field_graph())
    html = render_html(field_graph(), title="A & <B>")
    assert "<title>A &amp; &lt;B&gt;</title>" in html


def test_write_html_is_utf8_atomic_and_leaves_the_cwd_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out" / "map.html"
    out.parent.mkdir()
    out.write_text("old", encoding="utf-8")
    write_html(field_graph(), out)
    assert out.read_bytes().decode("utf-8") == render_html(field_graph())
    assert "综述" in out.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["map.html", "out"]  # no lib/, no temp


def big_graph(works: int, seed: int = 5) -> nx.MultiDiGraph:
    """Many fetched papers around a few listed ones, with authors, topics and islands."""
    rnd = random.Random(seed)
    g = nx.MultiDiGraph(title="big")
    kinds = sorted(KIND_LABELS)
    for t in range(12):
        topic(g, f"t{t:02d}", f"Topic {t}")
        if t:
            g.add_edge(f"t{t:02d}", f"t{(t - 1) // 3:02d}", key="broader")
    for i in range(works):
        w = work(g, f"w{i:05d}", f"Paper {i}", rnd.choice(kinds), in_list=i < 60,
                 citation_count=rnd.randrange(5000))
        if i < 60:
            g.add_edge(w, f"t{rnd.randrange(12):02d}", key="subject")
        elif i < works - 20:  # the last 20 cite nothing and nobody cites them: islands
            g.add_edge(w, f"w{rnd.randrange(min(i, 300)):05d}", key="cites")
            g.add_edge(f"w{rnd.randrange(60):05d}", w, key="cites")
        for position in range(rnd.randrange(4)):
            p = person(g, f"p{i:05d}-{position}", f"Author {i}.{position}")
            g.add_edge(w, p, key="creator", position=position)
    return g


def test_layout_places_every_node_beyond_the_core_apart() -> None:
    g = big_graph(CORE_MAX + 400)
    order = sorted(g.nodes)
    positions = _layout(g, order, {n: 1.0 for n in order})
    assert set(positions) == set(g.nodes)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in positions.values())
    assert len(set(positions.values())) == len(positions)  # no two nodes on one spot
    assert _layout(g, order, {n: 1.0 for n in order}) == positions


# --------------------------------------------------------------------------------------
# The real page in chromium, offline
# --------------------------------------------------------------------------------------


def open_page(tmp_path: Path, graph: nx.MultiDiGraph, name: str = "map.html") -> Path:
    path = tmp_path / name
    write_html(graph, path)
    return path


def node_id(page: Any, iri: str) -> str:
    vis_id = page.evaluate("iri => window.kg.idOf(iri)", iri)
    assert vis_id, iri
    return vis_id


def click_node(page: Any, vis_id: str) -> None:
    """Click the node with the mouse, at its place on the canvas."""
    page.evaluate("id => kgNetwork.focus(id, {scale: 1.5, animation: false})", vis_id)
    box = page.locator("#kg-network canvas").bounding_box()
    point = page.evaluate(
        "id => kgNetwork.canvasToDOM(kgNetwork.getPosition(id))", vis_id
    )
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


@pytest.mark.browser
def test_page_opens_offline_and_draws_every_node(offline_browser: Any, tmp_path: Path) -> None:
    g = field_graph()
    path = open_page(tmp_path, g)
    with offline_browser.open(path, ready=READY) as visit:
        page = visit.page
        counts = page.evaluate(
            "[kgNetwork.body.data.nodes.length, kgNetwork.body.data.edges.length,"
            " Object.keys(kgNetwork.body.nodes).length]"
        )
        drawn_ms = page.evaluate("window.kgDrawnAt")
        assert page.title() == "Deep Learning Theory"
        assert page.locator("#kg-panel").is_hidden()
    logger.info("%d bytes, drawn %.0f ms after navigation", path.stat().st_size, drawn_ms)
    assert counts == [g.number_of_nodes(), g.number_of_edges(), g.number_of_nodes()]
    assert visit.problems() == []
    assert visit.requests == [path.resolve().as_uri()]
    assert visit.console_warnings == []  # vis reports invalid options as warnings/errors


@pytest.mark.browser
def test_clicking_a_node_opens_its_details(offline_browser: Any, tmp_path: Path) -> None:
    path = open_page(tmp_path, field_graph())
    with offline_browser.open(path, ready=READY) as visit:
        page = visit.page
        click_node(page, node_id(page, "https://arxiv.org/abs/2012.10931"))
        panel = page.locator("#kg-panel")
        panel.wait_for(state="visible")
        assert panel.locator("h2").text_content() == "Recent advances in deep learning theory"
        assert "Survey · on the list (#1) · 2020" in panel.locator(".kg-meta").text_content()
        note = panel.locator(".kg-note")
        assert note.get_attribute("lang") == "zh"
        assert note.text_content() == "综述，覆盖面很广"
        sections = panel.locator("h3").all_text_contents()
        assert sections[:2] == ["Authors (2)", "Links"]
        assert "Cites (3)" in sections and "Topics (1)" in sections
        authors = panel.locator("h3:text('Authors (2)') + ul button").all_text_contents()
        assert authors == ["Fengxiang He", "Dacheng Tao"]
        links = panel.locator("a").evaluate_all("as => as.map(a => [a.textContent, a.href])")
        assert links == [
            ["arxiv.org", "https://arxiv.org/pdf/2012.10931.pdf"],
            ["Semantic Scholar", "https://www.semanticscholar.org/paper/" + "a" * 40],
            ["arXiv:2012.10931", "https://arxiv.org/abs/2012.10931"],
            ["DOI 10.48550/arxiv.2012.10931", "https://doi.org/10.48550/arxiv.2012.10931"],
        ]
        targets = panel.locator("a").evaluate_all("as => as.map(a => [a.rel, a.target])")
        assert set(map(tuple, targets)) == {("noopener noreferrer", "_blank")}
        # A neighbour's button moves the panel (and the selection) to that neighbour.
        panel.locator("h3:text('Cites (3)') + ul button", has_text="Neural Tangent Kernel").click()
        assert panel.locator("h2").text_content() == "Neural Tangent Kernel"
        assert page.evaluate("kgNetwork.getSelectedNodes()") == [
            node_id(page, "https://arxiv.org/abs/1806.07572")
        ]
        assert "Cited by (3)" in panel.locator("h3").all_text_contents()
        # Clicking empty canvas closes the panel.
        page.evaluate("kgNetwork.moveTo({position: {x: 1e5, y: 1e5}, animation: false})")
        box = page.locator("#kg-network canvas").bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        panel.wait_for(state="hidden")
    assert visit.problems() == []


@pytest.mark.browser
def test_search_selects_a_node(offline_browser: Any, tmp_path: Path) -> None:
    path = open_page(tmp_path, field_graph())
    with offline_browser.open(path, ready=READY) as visit:
        page = visit.page
        page.fill("#kg-search", "tangent")
        results = page.locator("#kg-results button").all_text_contents()
        assert results == ["Neural Tangent Kernel", "neural-tangents"]  # in IRI order
        page.press("#kg-search", "Enter")
        assert page.locator("#kg-panel h2").text_content() in results
        assert page.locator("#kg-results").is_hidden()
    assert visit.problems() == []


@pytest.mark.browser
def test_hostile_graph_runs_no_injected_script(offline_browser: Any, tmp_path: Path) -> None:
    hook = """
        window.__xss = [];
        for (const name of ["alert", "confirm", "prompt", "print"]) {
            window[name] = (...args) => window.__xss.push(name + ":" + args.join(","));
        }
    """
    g = hostile_graph()
    path = open_page(tmp_path, g)
    with offline_browser.open(path, init_script=hook, ready=READY) as visit:
        page = visit.page
        ids = page.evaluate("kgNetwork.body.data.nodes.getIds()")
        assert len(ids) == g.number_of_nodes()
        anchors: list[str] = []
        for vis_id in ids:
            assert page.evaluate("id => window.kg.showNode(id)", vis_id)
            anchors += page.locator("#kg-panel a").evaluate_all("as => as.map(a => a.href)")
            injected = page.locator("#kg-panel img, #kg-panel svg, #kg-panel script").count()
            assert injected == 0
        # The tooltip of a hostile node shows the markup as text.
        first = ids[0]
        page.evaluate("id => kgNetwork.focus(id, {scale: 1.5, animation: false})", first)
        box = page.locator("#kg-network canvas").bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        tooltip = page.locator(".vis-tooltip")
        tooltip.wait_for(state="visible")
        # innerText turns the newline into a <br>; nothing else may become an element.
        tags = tooltip.evaluate("t => Array.from(t.querySelectorAll('*'), e => e.tagName)")
        assert set(tags) <= {"BR"}
        assert "<" in tooltip.text_content()
        page.wait_for_timeout(200)  # let any late onerror/onload fire
        fired = page.evaluate("window.__xss")
        title = page.title()
    assert fired == []
    assert anchors and all(a.startswith(("https://", "http://")) for a in anchors)
    assert title == XSS_SCRIPT + XSS_IMG
    assert visit.problems() == []
    # An injected <img src=x> would have asked for file:///…/x: only the page was loaded.
    assert visit.requests == [path.resolve().as_uri()]


@pytest.mark.browser
def test_empty_graph_opens_cleanly(offline_browser: Any, tmp_path: Path) -> None:
    path = open_page(tmp_path, nx.MultiDiGraph())
    with offline_browser.open(path, ready=READY) as visit:
        assert visit.page.evaluate("kgNetwork.body.data.nodes.length") == 0
        assert visit.page.title() == "Reading-list knowledge graph"
    assert visit.problems() == []


@pytest.mark.browser
def test_a_large_graph_is_drawn_at_once(offline_browser: Any, tmp_path: Path) -> None:
    g = big_graph(1500)
    started = time.perf_counter()
    path = open_page(tmp_path, g)
    render_seconds = time.perf_counter() - started
    with offline_browser.open(path, ready=READY, timeout_ms=60_000) as visit:
        count = visit.page.evaluate("kgNetwork.body.data.nodes.length")
        drawn_ms = visit.page.evaluate("window.kgDrawnAt")
    logger.info(
        "%d nodes, %d edges: rendered in %.1f s, %d bytes, drawn %.0f ms after navigation",
        g.number_of_nodes(), g.number_of_edges(), render_seconds, path.stat().st_size, drawn_ms,
    )
    assert count == g.number_of_nodes()
    assert visit.problems() == []
