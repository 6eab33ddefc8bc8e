"""Graphs and page helpers shared by the map's tests (test_render, test_map_page).

The graphs are built by hand after the contract of ``kg.graph``; ``hostile_graph`` puts
markup and scriptable addresses in every text field.
"""

from __future__ import annotations

import json
import random
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx

from kg.map.styles import KIND_LABELS

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology" / "kg.ttl"
BASE = "https://w3id.org/kg/id/"
READY = "window.kgReady === true"
"""What to wait for before looking at a page: its first frame is on screen."""


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


def hostile_graph() -> nx.MultiDiGraph:
    """Every text field carries markup that would run if it reached the DOM as HTML."""
    g = nx.MultiDiGraph(title=XSS_SCRIPT + XSS_IMG)
    payloads = (XSS_IMG, XSS_SCRIPT, XSS_ATTR, XSS_COMMENT, "line\u2028break\u2029para", XSS_FORMULA)
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
