"""The map page without a browser: its data, its escaping, its limits (browser: test_map_page)."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import logging
import re
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from graphs import (
    BASE,
    XSS_IMG,
    XSS_SCRIPT,
    big_graph,
    csp_of,
    field_graph,
    hostile_graph,
    parse,
    payload_of,
    person,
    reordered,
    work,
)

from kg.analysis.pagerank import citation_pagerank
from kg.map.links import http_url, node_links
from kg.map.page import INTERFACE_SCRIPTS, VIS_NETWORK_JS, render_html, script_json, write_html
from kg.map.reduce import ENGINES, Engine, MapLimits, choose_engine, reduce_for_map
from kg.map.styles import PERSON_COLOUR, TOPIC_COLOUR
from kg.map.vis import NodeIds
from kg.model.graph import KnowledgeGraph
from kg.model.kinds import shipped_kinds
from kg.model.nodes import Listing, PersonNode, WorkNode
from kg.model.records import Identifiers, Link

DRAWN: list[Engine] = ["vis", "canvas"]


def vis_network_library() -> str:
    """vis-network as the pyvis package ships it."""
    return resources.files("pyvis").joinpath(*VIS_NETWORK_JS).read_text(encoding="utf-8")


def node_index(data: dict[str, Any], iri: str) -> int:
    return [d["iri"] for d in data["details"]].index(iri)


def edges_of(data: dict[str, Any]) -> list[tuple[int, int, str]]:
    flat = data["edges"]
    keys = [r["key"] for r in data["relations"]]
    return [(flat[i], flat[i + 1], keys[flat[i + 2]]) for i in range(0, len(flat), 3)]


# --------------------------------------------------------------------------------------
# Determinism and the input graph
# --------------------------------------------------------------------------------------


def test_same_graph_renders_to_identical_bytes() -> None:
    first = render_html(field_graph()).encode("utf-8")
    assert render_html(field_graph()).encode("utf-8") == first


def test_insertion_order_does_not_change_the_page() -> None:
    g = field_graph()
    assert render_html(reordered(g)) == render_html(g)


def test_rendering_leaves_the_graph_untouched() -> None:
    g = field_graph()
    nodes = copy.deepcopy(list(g.nodes()))
    edges = copy.deepcopy(list(g.edges()))
    render_html(g, limits=MapLimits(max_nodes=5))
    assert list(g.nodes()) == nodes
    assert list(g.edges()) == edges


# --------------------------------------------------------------------------------------
# What the page carries
# --------------------------------------------------------------------------------------


def test_every_node_and_edge_is_in_the_payload_with_its_facts() -> None:
    g = field_graph()
    data = payload_of(render_html(g))
    nodes = data["nodes"]
    assert [d["iri"] for d in data["details"]] == sorted(n.iri for n in g.nodes())
    assert all(len(column) == g.number_of_nodes() for column in nodes.values())
    assert len(edges_of(data)) == g.number_of_edges()
    survey = node_index(data, "https://arxiv.org/abs/2012.10931")
    assert nodes["label"][survey] == "Recent advances in deep learning theory"
    assert nodes["listed"][survey] == 1 and nodes["year"][survey] == 2020
    assert nodes["count"][survey] == 120  # the source's count beats the 0 citations in the graph
    assert data["styles"][nodes["style"][survey]]["label"] == "Survey"
    details = data["details"][survey]
    assert details["note"] == "综述，覆盖面很广" and details["noteLang"] == "zh"
    assert details["arxiv"] == "2012.10931" and details["doi"] == "10.48550/arxiv.2012.10931"
    ntk = node_index(data, "https://arxiv.org/abs/1806.07572")
    assert nodes["listed"][ntk] == 0
    assert nodes["count"][ntk] == 3000
    # PageRank, scaled so the average work is 1: the most cited work in the graph leads.
    ranks = dict(zip([d["iri"] for d in data["details"]], nodes["rank"], strict=True))
    assert max(ranks, key=ranks.__getitem__) == "https://arxiv.org/abs/1702.08489"


def test_authors_come_in_byline_order() -> None:
    data = payload_of(render_html(field_graph()))
    survey = node_index(data, "https://arxiv.org/abs/2012.10931")
    authors = [data["nodes"]["label"][t] for s, t, key in edges_of(data) if s == survey and key == "creator"]
    assert authors == ["Fengxiang He", "Dacheng Tao"]  # Tao was added first, at position 1


def test_positions_are_finite_and_the_timeline_orders_by_year() -> None:
    data = payload_of(render_html(field_graph()))
    nodes = data["nodes"]
    dated = sorted((y, tx) for y, tx in zip(nodes["year"], nodes["tx"], strict=True) if y)
    assert [tx for _, tx in dated] == sorted(tx for _, tx in dated)
    undated = [tx for y, tx, s in zip(nodes["year"], nodes["tx"], nodes["style"], strict=True)
               if not y and data["styles"][s]["group"] == "work"]
    assert undated and max(undated) < min(tx for _, tx in dated)  # the "no year" column
    assert data["timeline"]["first"] == 1989 and data["timeline"]["last"] == 2022


def test_legend_and_facets_name_each_kind_and_relation_present() -> None:
    html = render_html(field_graph())
    sidebar = html[html.index('id="kg-sidebar"'):html.index('id="kg-network"')]
    for label, count in [("Journal article", 1), ("Survey", 1), ("Code repository", 1),
                         ("Person", 3), ("Topic", 3)]:
        assert re.search(rf"</span>{re.escape(label)} <span class=\"kg-count\">{count}</span>", sidebar), label
    assert "Encyclopedia article" not in sidebar  # absent kinds are not listed
    for relation in ("cites", "authored by", "about topic", "broader topic", "part of"):
        assert f"</span>{relation} <span" in sidebar
    # The topic facet lists the hierarchy: narrower topics indented under broader ones.
    options = re.findall(r'<option value="(\d+)">([^<]*)</option>', sidebar)
    labels = [text for _, text in options]
    assert labels.index("Approximation") + 1 == labels.index("\u00a0\u00a0NN Approximation Theory (1)")
    assert 'value="1989"' in sidebar and 'value="2022"' in sidebar


def test_a_kind_the_ontology_does_not_know_gets_a_label_and_a_colour() -> None:
    g = KnowledgeGraph()
    work(g, "w", "Notes", "LectureNotes", in_list=True)
    work(g, "v", "Talk", "https://example.org/onto#VideoLecture", in_list=True)
    data = payload_of(render_html(g))
    labels = {s["label"]: s["colour"] for s in data["styles"]}
    assert set(labels) == {"Lecture notes", "Video lecture"}
    assert all(colour.startswith("#") for colour in labels.values())
    assert {s["bibtex"] for s in data["styles"]} == {"misc"}


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
    reduction = write_html(field_graph(), out)
    assert out.read_bytes().decode("utf-8") == render_html(field_graph())
    assert "综述" in out.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["map.html", "out"]  # no lib/, no temp
    assert not reduction.reduced


# --------------------------------------------------------------------------------------
# Safety: nothing from outside, nothing outside runs
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", DRAWN)
def test_page_loads_nothing_from_outside(engine: Engine) -> None:
    html = render_html(field_graph(), limits=MapLimits(engine=engine))
    markup = parse(html)
    for tag, attrs in markup.tags:
        assert "src" not in attrs, (tag, attrs)
        assert "href" not in attrs, (tag, attrs)
        assert tag not in ("link", "iframe", "object", "embed", "img"), (tag, attrs)
    csp = csp_of(html)
    for directive in ("default-src 'none'", "connect-src 'none'", "font-src 'none'",
                      "object-src 'none'", "base-uri 'none'", "form-action 'none'"):
        assert directive in csp
    assert "'unsafe-eval'" not in csp and "http" not in csp and "*" not in csp
    assert "cdnjs" not in html and "jsdelivr" not in html and "bootstrap" not in html.lower()


@pytest.mark.parametrize("engine", DRAWN)
def test_only_the_pages_own_scripts_are_allowed_to_run(engine: Engine) -> None:
    html = render_html(field_graph(), limits=MapLimits(engine=engine))
    csp = csp_of(html)
    code = [text for attrs, text in parse(html).scripts if "type" not in attrs]
    templates = resources.files("kg.map") / "templates"
    # The interface's files, split by concern, run as the body of one strict function.
    assert INTERFACE_SCRIPTS[0] == "page.js" and INTERFACE_SCRIPTS[-1] == "start.js"
    interface = "\n".join((templates / name).read_text(encoding="utf-8") for name in INTERFACE_SCRIPTS)
    ours = [(templates / f"{engine}.js").read_text(encoding="utf-8"),
            '(function () {\n"use strict";\n' + interface + "})();\n"]
    if engine == "vis":
        # vis-network itself, from the installed pyvis package, minus its source-map comment.
        library = vis_network_library()
        assert code[0] == library[: library.rindex("//# sourceMappingURL=")]
        assert code[1:] == ours
    else:
        assert code == ours
    allowed = set(re.findall(r"'sha256-([A-Za-z0-9+/=]+)'", csp))
    digests = {base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() for text in code}
    assert allowed == digests
    script_src = csp.split("script-src", 1)[1].split(";")[0]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src


def test_script_json_cannot_end_or_break_its_script() -> None:
    value = {"t": "</script><!--<script>&\u2028\u2029 '\""}
    text = str(script_json(value))
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    import json

    assert json.loads(text) == value


@pytest.mark.parametrize("engine", DRAWN)
def test_hostile_text_stays_data(engine: Engine) -> None:
    html = render_html(hostile_graph(), limits=MapLimits(engine=engine))
    markup = parse(html)
    # Exactly the page's scripts end (the data and the code); none of the data's
    # "</script>" survived raw.
    scripts = 1 + len([a for a, _ in markup.scripts if "type" not in a])
    assert html.lower().count("</script") == scripts == len(markup.scripts)
    assert "<!--" not in html
    # vis-network's bundled core-js names "javascript:" once, in code it never runs on a
    # browser with Object.create; nothing else may.
    outside = html.lower().replace(vis_network_library().lower().split("//# sourcemappingurl=")[0], "")
    assert "javascript:" not in outside and "vbscript:" not in outside
    assert not any(tag in ("img", "svg") for tag, _ in markup.tags)
    assert not any(k.startswith("on") for _, attrs in markup.tags for k in attrs)
    data = payload_of(html)
    assert XSS_IMG in data["nodes"]["label"] and XSS_SCRIPT in data["nodes"]["label"]
    if engine == "vis":  # vis-network gets the labels as text to draw, and no title at all
        assert XSS_IMG[:47] + "…" in [node["label"] for node in data["vis"]["nodes"]]
        assert not any("title" in item for item in data["vis"]["nodes"] + data["vis"]["edges"])


def test_hostile_links_are_dropped_and_safe_ones_kept() -> None:
    data = payload_of(render_html(hostile_graph()))
    hrefs = [href for d in data["details"] for _, href in d.get("links", [])]
    assert hrefs, "the safe https link and the identifier links should remain"
    assert all(href.startswith(("https://", "http://")) for href in hrefs)
    langs = {d.get("noteLang") for d in data["details"]}
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
    assert http_url(url) == expected


def test_identifier_node_links() -> None:
    links = node_links(
        WorkNode(
            iri="w",
            label="w",
            url="https://arxiv.org/pdf/2012.10931.pdf",
            ids=Identifiers(
                arxiv="math/0211159",
                doi="10.1000/a<b>",
                s2="f" * 40,
                openreview="abc_DEF",
                github="google/neural-tangents",
                wikipedia="en:Universal_approximation_theorem",
            ),
            listing=Listing(list_iri="l", title="w", related=(
                Link("https://github.com/x/y", "code"), Link("javascript:x", "bad"), Link("https://x.org/", " "),
            )),
        )
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
        ["Related", "https://x.org/"],
    ]


def test_person_node_links() -> None:
    links = node_links(PersonNode(iri="p", label="P", s2_author_id="1692693", orcid="0000-0001-7225-5449"))
    assert links == [
        ["Semantic Scholar", "https://www.semanticscholar.org/author/1692693"],
        ["ORCID", "https://orcid.org/0000-0001-7225-5449"],
    ]


def test_every_kind_has_a_colour_of_its_own() -> None:
    colours = [kind.colour for kind in shipped_kinds()] + [PERSON_COLOUR, TOPIC_COLOUR]
    assert len(set(colours)) == len(colours) == len(shipped_kinds()) + 2


# --------------------------------------------------------------------------------------
# A graph too big to draw is reduced, and the page says so
# --------------------------------------------------------------------------------------


def test_a_graph_within_the_limits_is_drawn_whole() -> None:
    g = big_graph(300)
    shown, reduction = reduce_for_map(g, MapLimits())
    assert shown is g and not reduction.reduced
    assert 'id="kg-notice"' not in render_html(g)


def test_reduction_keeps_the_list_and_each_resources_best_neighbours() -> None:
    g = big_graph(2000)
    influence = citation_pagerank(g)
    limits = MapLimits(max_nodes=900, max_edges=100_000)
    shown, reduction = reduce_for_map(g, limits, influence)
    assert shown.number_of_nodes() <= limits.max_nodes
    assert reduction.shown_nodes == shown.number_of_nodes()
    assert reduction.total_nodes == g.number_of_nodes()
    assert sum(reduction.hidden_nodes.values()) == g.number_of_nodes() - shown.number_of_nodes()
    listed = {w.iri for w in g.works() if w.in_list}
    topics = {t.iri for t in g.topics()}
    fetched_works = {w.iri for w in g.works() if not w.in_list}
    people = {p.iri for p in g.people()}
    kept = {n.iri for n in shown.nodes()}
    assert listed | topics <= kept
    # Fair shares: every list resource keeps its most influential fetched neighbours.
    assert reduction.per_resource is not None and reduction.per_resource >= 1
    for resource in listed:
        fetched = sorted(
            (n for n in nx.all_neighbors(g.network, resource) if n in fetched_works),
            key=lambda n: (-influence[n], n),
        )
        assert set(fetched[: reduction.per_resource]) <= kept, resource
    # Works bring their authors; no person is left without a work.
    for node in kept & (listed | fetched_works):
        assert set(g.authors(node)) <= kept
    assert all(shown.network.in_degree(n) for n in kept & people)
    assert set(shown.network.edges(keys=True)) == {
        e for e in g.network.edges(keys=True) if e[0] in kept and e[1] in kept
    }
    assert reduce_for_map(g, limits, influence)[1] == reduction  # deterministic


def test_reduction_drops_the_weakest_citations_when_edges_overflow() -> None:
    g = big_graph(600)
    limits = MapLimits(max_nodes=100_000, max_edges=g.number_of_edges() - 100)
    shown, reduction = reduce_for_map(g, limits)
    assert shown.number_of_nodes() == g.number_of_nodes()
    assert shown.number_of_edges() == limits.max_edges
    assert reduction.hidden_edges == {"cites": 100}
    listed = {w.iri for w in g.works() if w.in_list}
    # Citations of the list's own resources are never the ones dropped.
    for u, v, key in g.network.edges(keys=True):
        if key == "cites" and (u in listed or v in listed):
            assert shown.has_edge(u, v, key)


def test_the_page_says_what_a_reduced_map_leaves_out() -> None:
    g = big_graph(2000)
    html = render_html(g, limits=MapLimits(max_nodes=900))
    notice = html[html.index('id="kg-notice"'):]
    notice = notice[: notice.index("</p>")]
    shown = len(payload_of(html)["details"])
    assert f"shows {shown:,} of {g.number_of_nodes():,} nodes" in notice
    assert "less influential fetched works" in notice and "--max-nodes" in notice


def test_a_person_only_graph_renders() -> None:
    g = KnowledgeGraph()
    person(g, BASE + "person/x", "X")
    data = payload_of(render_html(g))
    assert data["nodes"]["label"] == ["X"] and data["edges"] == []


# --------------------------------------------------------------------------------------
# Two engines: vis-network (data built with pyvis) for small maps, the canvas for large
# --------------------------------------------------------------------------------------


def test_auto_gives_small_maps_to_vis_network_and_large_ones_to_the_canvas() -> None:
    g = field_graph()
    n, e = g.number_of_nodes(), g.number_of_edges()
    assert choose_engine(n, e) == "vis"
    assert choose_engine(n, e, MapLimits(vis_max_nodes=n - 1)) == "canvas"
    assert choose_engine(n, e, MapLimits(vis_max_edges=e - 1)) == "canvas"
    assert choose_engine(n, e, MapLimits(vis_max_nodes=n, vis_max_edges=e)) == "vis"
    assert {choose_engine(10**6, 10**7, MapLimits(engine=engine)) for engine in DRAWN} == set(DRAWN)
    assert set(ENGINES) == {"auto", *DRAWN}
    for limits, engine in ((MapLimits(), "vis"), (MapLimits(vis_max_nodes=5), "canvas")):
        html = render_html(g, limits=limits)
        assert payload_of(html)["engine"] == engine and f'<body data-engine="{engine}">' in html
        assert ("vis" in payload_of(html)) == (engine == "vis")
        assert (vis_network_library()[:2000] in html) == (engine == "vis")


def test_the_engine_is_chosen_after_reduction(tmp_path: Path) -> None:
    g = big_graph(600)  # ~1,500 nodes and 2,000 edges
    limits = MapLimits(max_nodes=300, vis_max_nodes=400)
    assert g.number_of_nodes() > limits.vis_max_nodes
    reduction = write_html(g, tmp_path / "map.html", limits=limits)
    assert reduction.reduced and reduction.shown_nodes <= 300 and reduction.engine == "vis"
    assert write_html(g, tmp_path / "map.html", limits=MapLimits(vis_max_nodes=400)).engine == "canvas"


def test_vis_network_data_built_with_pyvis_matches_the_page() -> None:
    data = payload_of(render_html(field_graph(), limits=MapLimits(engine="vis")))
    columns, styles, vis = data["nodes"], data["styles"], data["vis"]
    nodes, edges, options = vis["nodes"], vis["edges"], vis["options"]
    # Node i of the page is vis node i, where kg's layout put it, sized as the canvas sizes it.
    assert [node["id"] for node in nodes] == list(range(len(columns["label"])))
    for i, node in enumerate(nodes):
        style = styles[columns["style"][i]]
        assert (node["x"], node["y"], node["size"]) == (columns["x"][i], columns["y"][i], columns["radius"][i])
        assert node["shape"] == style["shape"]
        assert columns["label"][i].startswith(node["label"].removesuffix("…"))
        group = options["groups"][node["group"]]
        assert group["color"]["background"] == style["colour"]
        assert node["group"].endswith("L") == bool(columns["listed"][i])
        assert group["borderWidth"] == (3 if columns["listed"][i] else 1)
        assert "title" not in node  # the page's own tooltip, never vis-network's
    # Edge e is the e-th triple of the payload, coloured and arrowed by its relation.
    relations = data["relations"]
    triples = [data["edges"][k:k + 3] for k in range(0, len(data["edges"]), 3)]
    assert [edge["id"] for edge in edges] == list(range(len(triples)))
    for edge, (source, target, rel) in zip(edges, triples, strict=True):
        assert (edge["from"], edge["to"], edge["color"]) == (source, target, relations[rel]["colour"])
        assert edge["arrows"] == ("to" if relations[rel]["arrow"] else "")
        assert edge.get("dashes", False) == relations[rel]["dashes"]
        assert "title" not in edge
    # kg's layout is the layout: no physics, no vis-network layout, straight edges.
    assert options["physics"]["enabled"] is False and options["layout"]["improvedLayout"] is False
    assert options["edges"]["smooth"] is False
    assert "Noto Sans CJK SC" in options["nodes"]["font"]["face"]  # spaces kept (not set_options)


def test_long_labels_are_shortened_for_vis_network() -> None:
    g = KnowledgeGraph()
    work(g, "w", "A" * 30 + " " + "B" * 40, "Preprint", in_list=True)
    node = payload_of(render_html(g))["vis"]["nodes"][0]
    assert node["label"] == "A" * 30 + " " + "B" * 16 + "…" and len(node["label"]) == 48


def test_pyvis_membership_checks_still_refuse_unknown_nodes() -> None:
    from pyvis.network import Network

    net = Network(directed=True)
    net.node_ids = NodeIds()
    net.add_node(0, label="a")
    net.add_node(0, label="again")  # a repeated id is still ignored, as pyvis does
    net.add_node(1, label="b")
    net.add_edge(0, 1)
    assert [n["label"] for n in net.nodes] == ["a", "b"] and net.node_ids == [0, 1]
    with pytest.raises(AssertionError):
        net.add_edge(0, 2)


def test_vis_network_on_a_large_graph_is_allowed_but_warned_about(caplog: pytest.LogCaptureFixture) -> None:
    g = big_graph(300)
    with caplog.at_level(logging.WARNING, logger="kg.map.page"):
        html = render_html(g, limits=MapLimits(engine="vis", vis_max_nodes=100))
    assert payload_of(html)["engine"] == "vis"
    assert "expect a slow page" in caplog.text


def test_vis_network_data_is_deterministic_and_plain_json() -> None:
    g = field_graph()
    first = payload_of(render_html(g))["vis"]
    assert json.loads(json.dumps(first)) == first
    assert payload_of(render_html(field_graph()))["vis"] == first
