"""Graphs and page helpers shared by the map's tests (test_render, test_map_page,
test_map_insights, test_layout).

The graphs are built by hand from the records of ``kg.model.nodes``; ``hostile_graph`` puts
markup and scriptable addresses in every text field. The page helpers read a page opened in
the browser (``window.kg``, its canvas) or written to a string.
"""

from __future__ import annotations

import json
import random
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from kg.model.graph import KnowledgeGraph
from kg.model.kinds import shipped_kinds
from kg.model.nodes import (
    Broader,
    Cites,
    Creator,
    GraphMeta,
    Listing,
    PartOf,
    PersonNode,
    Subject,
    TopicNode,
    WorkNode,
)
from kg.model.records import Identifiers, Link

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology" / "kg.ttl"
BASE = "https://w3id.org/kg/id/"
LIST = BASE + "list/test"
READY = "window.kgReady === true"
"""What to wait for before looking at a page: its first frame is on screen."""


# --------------------------------------------------------------------------------------
# Graphs built by hand from the model's records
# --------------------------------------------------------------------------------------


def work(
    g: KnowledgeGraph,
    iri: str,
    label: str,
    kind: str,
    *,
    in_list: bool = False,
    number: str | None = None,
    note: str | None = None,
    note_lang: str | None = None,
    related: tuple[Link, ...] = (),
    **fields: Any,
) -> str:
    """A work; ``in_list`` gives it a listing (with ``number``, ``note``, ``related``)."""
    listing = (
        Listing(list_iri=LIST, title=label, number=number, note=note, note_lang=note_lang, related=related)
        if in_list else None
    )
    g.add(WorkNode(iri=iri, label=label, kind=kind, listing=listing, **fields))
    return iri


def person(g: KnowledgeGraph, iri: str, name: str, **fields: Any) -> str:
    g.add(PersonNode(iri=iri, label=name, **fields))
    return iri


def topic(g: KnowledgeGraph, iri: str, label: str) -> str:
    g.add(TopicNode(iri=iri, label=label, scheme=LIST))
    return iri


def field_graph() -> KnowledgeGraph:
    """A small field: list resources of several kinds, fetched papers, people, topics."""
    g = KnowledgeGraph(GraphMeta(title="Deep Learning Theory", list_iri=LIST, base_iri=BASE))
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
        ids=Identifiers(arxiv="2012.10931", doi="10.48550/arxiv.2012.10931", s2="a" * 40),
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
        ids=Identifiers(arxiv="2106.10165"),
    )
    blog = work(g, BASE + "blog/offconvex", "Off the convex path", "Blog", in_list=True,
                url="https://www.offconvex.org/")
    post = work(g, BASE + "post/1", "Is optimization a sufficient language?", "BlogPost",
                in_list=True, number="7.1",
                url="https://www.offconvex.org/2019/06/03/trajectories/")
    repo = work(g, BASE + "repo/ntk", "neural-tangents", "CodeRepository", in_list=True,
                url="https://github.com/google/neural-tangents",
                ids=Identifiers(github="google/neural-tangents"))
    cybenko = work(g, "https://doi.org/10.1007/bf02551274",
                   "Approximation by superpositions of a sigmoidal function", "JournalArticle",
                   year=1989, venue="Math. Control Signals Syst.",
                   ids=Identifiers(doi="10.1007/bf02551274"), citation_count=12000)
    ntk = work(g, "https://arxiv.org/abs/1806.07572", "Neural Tangent Kernel", "ConferencePaper",
               year=2018, venue="NeurIPS", ids=Identifiers(arxiv="1806.07572"), citation_count=3000)
    preprint = work(g, "https://arxiv.org/abs/1702.08489", "Deep nets as kernels", "Preprint", year=2017)
    he = person(g, BASE + "person/he", "Fengxiang He")
    tao = person(g, BASE + "person/tao", "Dacheng Tao", orcid="0000-0001-7225-5449",
                 s2_author_id="1692693")
    jacot = person(g, BASE + "person/jacot", "Arthur Jacot")
    overview = topic(g, BASE + "topic/overview", "Overview")
    approx = topic(g, BASE + "topic/approximation", "Approximation")
    nn_approx = topic(g, BASE + "topic/nn-approx", "NN Approximation Theory")

    for target in (cybenko, ntk, preprint):
        g.link(survey, target, Cites())
    g.link(book, ntk, Cites())
    g.link(ntk, preprint, Cites())
    # Byline order is Tao second: added first on purpose, the panel must sort by position.
    g.link(survey, tao, Creator(position=1))
    g.link(survey, he, Creator(position=0))
    g.link(ntk, jacot, Creator(position=0))
    g.link(survey, overview, Subject())
    g.link(course, overview, Subject())
    g.link(cybenko, nn_approx, Subject())
    g.link(nn_approx, approx, Broader())
    g.link(post, blog, PartOf())
    g.link(repo, ntk, Cites())
    return g


XSS_IMG = '<img src=x onerror="window.__xss.push(\'img\');alert(1)">'
XSS_SCRIPT = "</script><script>window.__xss.push('script');alert(1)</script>"
XSS_ATTR = "\"'><svg onload=\"window.__xss.push('svg');alert(1)\">"
XSS_COMMENT = "<!--<script>window.__xss.push('comment')</script>"
XSS_FORMULA = "=HYPERLINK(\"https://evil.example\",\"x\")"
"""A spreadsheet formula: a CSV export must keep it text."""
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


def hostile_graph() -> KnowledgeGraph:
    """Every text field carries markup that would run if it reached the DOM as HTML."""
    g = KnowledgeGraph(GraphMeta(title=XSS_SCRIPT + XSS_IMG))
    payloads = (XSS_IMG, XSS_SCRIPT, XSS_ATTR, XSS_COMMENT, "line\u2028break\u2029para", XSS_FORMULA)
    for i, payload in enumerate(payloads):
        w = work(
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
            ids=Identifiers(arxiv=payload, doi="10.1/" + payload, wikipedia=payload + ":x"),
            related=tuple(Link(u, payload) for u in HOSTILE_URLS),
            open_access_pdf=HOSTILE_URLS[(i + 1) % len(HOSTILE_URLS)],
        )
        p = person(g, f"{BASE}person/{i}{payload}", payload, orcid=payload, s2_author_id=payload)
        t = topic(g, f"{BASE}topic/{i}{payload}", payload)
        g.link(w, p, Creator(position=0))
        g.link(w, t, Subject())
    ids = [w.iri for w in g.works()]
    for a, b in zip(ids, ids[1:]):
        g.link(a, b, Cites())
    return g


def big_graph(works: int, seed: int = 5) -> KnowledgeGraph:
    """Many fetched papers around a few listed ones, with authors, topics and islands."""
    rnd = random.Random(seed)
    g = KnowledgeGraph(GraphMeta(title="big"))
    kinds = shipped_kinds().names()
    for t in range(12):
        topic(g, f"t{t:02d}", f"Topic {t}")
    for t in range(1, 12):
        g.link(f"t{t:02d}", f"t{(t - 1) // 3:02d}", Broader())
    for i in range(works):
        w = work(g, f"w{i:05d}", f"Paper {i}", rnd.choice(kinds), in_list=i < 60,
                 citation_count=rnd.randrange(5000))
        if i < 60:
            g.link(w, f"t{rnd.randrange(12):02d}", Subject())
        elif i < works - 20:  # the last 20 cite nothing and nobody cites them: islands
            g.link(w, f"w{rnd.randrange(min(i, 300)):05d}", Cites())
            g.link(f"w{rnd.randrange(60):05d}", w, Cites())
        for position in range(rnd.randrange(4)):
            p = person(g, f"p{i:05d}-{position}", f"Author {i}.{position}")
            g.link(w, p, Creator(position=position))
    return g


def reordered(g: KnowledgeGraph) -> KnowledgeGraph:
    """The same graph, its nodes and edges added in the reverse order."""
    copy = KnowledgeGraph(g.meta, sources=g.sources)
    for node in reversed(list(g.nodes())):
        copy.add(node)
    for source, target, edge in reversed(list(g.edges())):
        copy.link(source, target, edge)
    return copy


# --------------------------------------------------------------------------------------
# Reading a page in a browser (a playwright page, opened by tests/browser.py)
# --------------------------------------------------------------------------------------

SURVEY = "https://arxiv.org/abs/2012.10931"
NTK = "https://arxiv.org/abs/1806.07572"
XSS_HOOK = """
    window.__xss = [];
    for (const name of ["alert", "confirm", "prompt", "print"]) {
        window[name] = (...args) => window.__xss.push(name + ":" + args.join(","));
    }
"""


def view_box(page: Any) -> dict[str, float]:
    """Where the map is drawn on the page (either engine draws inside #kg-view)."""
    box = page.locator("#kg-view").bounding_box()
    assert box is not None
    return box  # type: ignore[no-any-return]


def node_id(page: Any, iri: str) -> int:
    index = page.evaluate("iri => window.kg.idOf(iri)", iri)
    assert index is not None, iri
    return int(index)


def download(page: Any, selector: str) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    path = info.value.path()
    return Path(path).read_bytes()


def pixel(page: Any, index: int) -> list[int]:
    """The colour drawn at the centre of node ``index`` (after a full redraw)."""
    return page.evaluate(  # type: ignore[no-any-return]
        """i => {
            kg.draw();
            const c = document.querySelector('#kg-view canvas');
            const ratio = c.width / c.clientWidth;
            const p = kg.screenPosition(i);
            return Array.from(c.getContext('2d').getImageData(
                Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1).data.slice(0, 3));
        }""",
        index,
    )


# --------------------------------------------------------------------------------------
# Reading a page without a browser
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


def payload_text(html: str) -> str:
    """The page's data exactly as written (JSON in its script element)."""
    (text,) = [t for a, t in parse(html).scripts if a.get("type") == "application/json"]
    return text


# --------------------------------------------------------------------------------------
# Comparing graphs record by record
# --------------------------------------------------------------------------------------


def assert_same_graph(expected: KnowledgeGraph, found: KnowledgeGraph) -> None:
    """Node by node and edge by edge, the records are equal (and so are meta and sources)."""
    assert found.meta == expected.meta
    assert sorted(n.iri for n in found.nodes()) == sorted(n.iri for n in expected.nodes())
    for node in expected.nodes():
        assert found.node(node.iri) == node, _difference(node, found.node(node.iri))
    expected_edges = {(u, v, e.relation): e for u, v, e in expected.edges()}
    found_edges = {(u, v, e.relation): e for u, v, e in found.edges()}
    assert sorted(found_edges) == sorted(expected_edges)
    for key, edge in expected_edges.items():
        assert found_edges[key] == edge, (key, edge, found_edges[key])
    assert found.sources == expected.sources


def _difference(expected: Any, found: Any) -> str:
    from dataclasses import fields

    if type(expected) is not type(found):
        return f"{expected!r} is read as {found!r}"
    changed = [
        f"{f.name}: {getattr(expected, f.name)!r} -> {getattr(found, f.name)!r}"
        for f in fields(expected)
        if getattr(expected, f.name) != getattr(found, f.name)
    ]
    return f"{expected.iri}: " + "; ".join(changed)
