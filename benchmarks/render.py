"""How fast the field map is made and drawn: its two engines near the threshold between
them, and a 10,000-paper field next to plain pyvis on the same graph.

SYNTHETIC DATA: the fields come from ``benchmarks/synthetic.py`` (made-up papers, authors
and citations; nothing describes a real work).

    python benchmarks/render.py                  # engines, then 10,000 papers vs plain pyvis
    python benchmarks/render.py --engines-only   # only the two engines, around the threshold
    python benchmarks/render.py 50000 --no-engines --no-pyvis   # a field the map has to reduce

**The engines.** kg draws a map with vis-network (its data built with pyvis) up to
``MapLimits.vis_max_nodes`` nodes and ``vis_max_edges`` edges, and with its own canvas
renderer beyond. On fields of ``--sizes`` papers (3 references each: the 1,400-paper field
is 1,884 nodes and 10,000 edges, the threshold), ``kg render --engine vis`` and ``--engine
canvas`` write a page each, and each page is opened three times in headless chromium: time
to the first frame, one full redraw (what panning and zooming cost), selecting the most
cited paper (details panel, neighbourhood highlight, then a redraw) and hiding people with
their facet (then a redraw); medians.

**The 10,000-paper field against plain pyvis.** Steps, all in this one run and on this one
machine:

1. write the synthetic field as Turtle, through kg's own graph and RDF stages;
2. ``kg render FIELD.ttl --out FIELD.html``, as a user runs it (a child process), timed;
3. open the page in headless chromium with the network blocked (``tests/browser.py``):
   time until the first frame is on screen (``window.kgDrawnAt``, ms since navigation),
   nodes drawn, console errors, requests; three visits, the median reported (``auto``
   gives this field to the canvas engine);
4. plain pyvis with its defaults on the same graph (read back from the same Turtle):
   ``Network()`` (undirected), ``add_node``/``add_edge`` for every node and edge,
   ``generate_html``; vis-network inlined (``cdn_resources="in_line"``), since pyvis's
   default loads it from a CDN and then draws nothing offline. ``add_edge`` scans every
   edge already added (quadratic): after ``--pyvis-build-budget`` seconds the remaining
   edges are appended as exactly the records ``add_edge`` would append, and the build is
   reported as longer than the budget. Drawn means pyvis's loading bar is gone (physics
   stabilised); the wait stops at ``--pyvis-draw-budget`` seconds.

It prints the figures and the ratios, and checks the goals of the field map: drawn within
5 s, at least 10,000 nodes, no console error, no request, a file under 30 MB (and, for
the engines, no console error and no request on any page).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from browser import OfflineBrowser, launch_offline_browser  # noqa: E402
from synthetic import write_synthetic_turtle  # noqa: E402

READY = "window.kgReady === true"
ENGINE_SIZES = "500,1000,1400,3000"
# In the page, once drawn: one full redraw, selecting the most cited paper, hiding people.
INTERACTIONS = """() => {
    const time = (action) => {
        const started = performance.now();
        action();
        kg.draw();
        return performance.now() - started;
    };
    const redraw = time(() => {});
    let top = 0;
    for (let i = 0; i < kg.nodeCount; i++) if (kg.label(i) === "Synthetic paper 0") top = i;
    const select = time(() => kg.select(top));
    const people = Array.from(document.querySelectorAll("#kg-sidebar label"))
        .find((label) => label.textContent.startsWith("Person")).querySelector("input");
    const facet = time(() => people.click());
    return {redraw: redraw, select: select, facet: facet};
}"""
PYVIS_DRAWN = """() => {
    const bar = document.getElementById('loadingBar');
    return typeof network !== 'undefined' && !!network && (!bar || bar.style.opacity === '0');
}"""
GOAL_DRAWN_S = 5.0
GOAL_NODES = 10_000
GOAL_MB = 30.0


@dataclass
class Drawn:
    seconds: float | None
    """Navigation to first frame; None when it did not draw within the budget."""
    nodes: int | None = None
    problems: int = 0
    """Console errors and uncaught exceptions."""
    requests: int = 0
    edges: int | None = None
    engine: str | None = None
    interactions: dict[str, float] | None = None
    """Milliseconds of a redraw, a selection and a facet (medians), when measured."""


def render_with_kg(turtle: Path, page: Path, engine: str = "auto") -> float:
    """``kg render`` in a child process, as a user runs it; wall-clock seconds."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "kg", "render", str(turtle), "--out", str(page), "--engine", engine],
        check=True, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
    )
    return time.perf_counter() - started


def draw_kg(browser: OfflineBrowser, page: Path, visits: int = 3, interact: bool = False) -> Drawn:
    times = []
    measured: list[dict[str, float]] = []
    nodes = edges = problems = requests = 0
    engine = None
    for _ in range(visits):
        with browser.open(page, ready=READY, timeout_ms=120_000) as visit:
            times.append(visit.page.evaluate("window.kgDrawnAt") / 1000)
            nodes, edges, engine = visit.page.evaluate("[kg.visibleNodes(), kg.visibleEdges(), kg.engine]")
            if interact:
                measured.append(visit.page.evaluate(INTERACTIONS))
        problems = max(problems, len(visit.console_errors) + len(visit.page_errors))
        requests = max(requests, len([u for u in visit.requests if u != page.resolve().as_uri()]))
    interactions = {k: statistics.median(m[k] for m in measured) for k in measured[0]} if measured else None
    return Drawn(statistics.median(times), nodes, problems, requests, edges, engine, interactions)


def compare_engines(out: Path, sizes: list[int]) -> bool:
    """Both engines on the same fields around the threshold; print a table. True when
    every page drew without a console error or a request."""
    from kg.map.reduce import MapLimits

    limits = MapLimits()
    print(f"\nthe two engines (auto gives vis-network up to {limits.vis_max_nodes:,} nodes and "
          f"{limits.vis_max_edges:,} edges), medians of 3 visits:")
    print(f"{'papers':>7}{'nodes':>8}{'edges':>9}  {'engine':<7}{'render':>8}{'file':>9}"
          f"{'first frame':>13}{'redraw':>9}{'select':>9}{'facet':>9}")
    clean = True
    with launch_offline_browser() as browser:
        for papers in sizes:
            turtle = out / f"field-{papers}.ttl"
            write_synthetic_turtle(papers, turtle, refs_per_paper=3, detailed=1.0)
            for engine in ("vis", "canvas"):
                page = out / f"field-{papers}-{engine}.html"
                seconds = render_with_kg(turtle, page, engine)
                drawn = draw_kg(browser, page, interact=True)
                clean = clean and drawn.problems == 0 and drawn.requests == 0 and drawn.engine == engine
                ms = drawn.interactions or {}
                first = f"{drawn.seconds:.2f} s" if drawn.seconds is not None else "—"
                print(f"{papers:>7,}{drawn.nodes or 0:>8,}{drawn.edges or 0:>9,}  {engine:<7}"
                      f"{seconds:>6.1f} s{mb(page):>6.1f} MB{first:>13}"
                      f"{ms.get('redraw', 0):>6.0f} ms{ms.get('select', 0):>6.0f} ms{ms.get('facet', 0):>6.0f} ms",
                      flush=True)
    return clean


def render_with_pyvis(turtle: Path, page: Path, budget: float) -> tuple[float, int, int]:
    """Plain pyvis on the graph kg reads from ``turtle``: (seconds, edges added by
    ``add_edge`` within the budget, all edges)."""
    from pyvis.edge import Edge
    from pyvis.network import Network

    from kg.rdf.read import read_graph

    graph = read_graph(turtle).to_networkx()  # plain networkx, as a pyvis user has it
    pairs = sorted({(u, v) for u, v in graph.edges()})
    started = time.perf_counter()
    net = Network(cdn_resources="in_line")  # every other option at its default
    for node, attrs in sorted(graph.nodes(data=True)):
        net.add_node(node, label=attrs.get("label") or node)
    added = 0
    for u, v in pairs:
        if time.perf_counter() - started > budget:
            break
        net.add_edge(u, v)
        added += 1
    for u, v in pairs[added:]:  # what add_edge appends for a new undirected edge
        net.edges.append(Edge(u, v, net.directed).options)
    page.write_text(net.generate_html(), encoding="utf-8")
    return time.perf_counter() - started, added, len(pairs)


def draw_pyvis(page: Path, budget: float) -> Drawn:
    """Time pyvis's page in a child process of its own session: a page that never stops
    computing also stalls the browser driver, so when the budget runs out the child and
    everything it started (playwright's driver, chromium) are stopped."""
    child = subprocess.Popen(
        [sys.executable, __file__, "--draw-pyvis", str(page), "--pyvis-draw-budget", str(budget)],
        stdout=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        out, _ = child.communicate(timeout=budget + 30)
    except subprocess.TimeoutExpired:
        _stop_session(child.pid)
        out, _ = child.communicate()
    lines = out.strip().splitlines()
    drawn = Drawn(**json.loads(lines[-1])) if lines else Drawn(None)
    _stop_session(child.pid)  # a browser left computing on the page
    if drawn.seconds is None:
        print(f"  pyvis page not drawn after {budget:.0f} s; stopped waiting")
    return drawn


def _stop_session(session: int) -> None:
    """SIGKILL every process of the session ``session`` (the child started it; chromium
    puts its processes in groups of their own, but they stay in the session)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if os.getsid(int(entry.name)) == session:
                    os.kill(int(entry.name), signal.SIGKILL)


def _draw_pyvis_here(page: Path, budget: float) -> None:
    """The child's side of :func:`draw_pyvis`: prints one line of JSON."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with launch_offline_browser() as browser:
        with browser.open(page, wait_until="commit", timeout_ms=60_000, settle_ms=0) as visit:
            try:
                visit.page.wait_for_function(PYVIS_DRAWN, timeout=budget * 1000)
            except PlaywrightTimeout:
                print(json.dumps(Drawn(None).__dict__), flush=True)
                return
            seconds = visit.page.evaluate("performance.now()") / 1000
        drawn = Drawn(seconds, None, len(visit.console_errors) + len(visit.page_errors), len(visit.outgoing))
    print(json.dumps(drawn.__dict__), flush=True)


def mb(path: Path) -> float:
    return path.stat().st_size / 1e6


def fmt_s(seconds: float | None, budget: float) -> str:
    return f"{seconds:.1f} s" if seconds is not None else f"> {budget:.0f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("papers", type=int, nargs="?", default=10_000)
    parser.add_argument("--refs", type=int, default=7, help="mean references per paper")
    parser.add_argument(
        "--detailed", type=float, default=1.0,
        help="share of papers with authors and a field (1.0: ~13k nodes, ~110k edges for 10,000)",
    )
    parser.add_argument("--out", type=Path, help="keep the files here (default: a temp dir)")
    parser.add_argument("--no-pyvis", action="store_true", help="skip the pyvis baseline")
    parser.add_argument("--sizes", default=ENGINE_SIZES, help="papers of the fields both engines draw")
    parser.add_argument("--no-engines", action="store_true", help="skip the engine comparison")
    parser.add_argument("--engines-only", action="store_true", help="only the engine comparison")
    parser.add_argument("--pyvis-build-budget", type=float, default=120.0)
    parser.add_argument("--pyvis-draw-budget", type=float, default=120.0)
    parser.add_argument("--draw-pyvis", type=Path, help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args()
    if args.draw_pyvis:
        _draw_pyvis_here(args.draw_pyvis, args.pyvis_draw_budget)
        return
    out = args.out or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    turtle, page, baseline = out / "field.ttl", out / "field.html", out / "pyvis.html"
    engines_clean = True
    if not args.no_engines:
        engines_clean = compare_engines(out, [int(size) for size in args.sizes.split(",")])
        print(f"{'PASS' if engines_clean else 'FAIL'}  every engine page: no console error, no request")
        if args.engines_only:
            print(f"\nfiles in {out}")
            sys.exit(0 if engines_clean else 1)
        print()

    started = time.perf_counter()
    triples = write_synthetic_turtle(args.papers, turtle, refs_per_paper=args.refs, detailed=args.detailed)
    print(f"synthetic field: {args.papers:,} papers, {triples:,} triples, {mb(turtle):.1f} MB Turtle "
          f"({time.perf_counter() - started:.1f} s)")

    kg_render = render_with_kg(turtle, page)
    print(f"kg render: {kg_render:.1f} s, {mb(page):.1f} MB")
    with launch_offline_browser() as browser:
        kg_drawn = draw_kg(browser, page)
    kg_seconds = kg_drawn.seconds if kg_drawn.seconds is not None else float("inf")
    print(f"kg page drawn in {kg_seconds:.2f} s (median of 3), {kg_drawn.nodes:,} nodes")
    pyvis: tuple[float, int, int] | None = None
    pyvis_drawn: Drawn | None = None
    if not args.no_pyvis:
        pyvis = render_with_pyvis(turtle, baseline, args.pyvis_build_budget)
        print(f"pyvis build: {pyvis[0]:.1f} s, add_edge did {pyvis[1]:,} of {pyvis[2]:,} edges "
              f"within the budget; {mb(baseline):.1f} MB")
        pyvis_drawn = draw_pyvis(baseline, args.pyvis_draw_budget)

    rows = [("render the file", f"{kg_render:.1f} s", "—"), ("file size", f"{mb(page):.1f} MB", "—"),
            ("drawn in headless chromium", f"{kg_seconds:.2f} s", "—"),
            ("nodes drawn", f"{kg_drawn.nodes:,}", "—"),
            ("console errors", str(kg_drawn.problems), "—"),
            ("requests besides the page", str(kg_drawn.requests), "—")]
    if pyvis and pyvis_drawn:
        seconds, added, edges = pyvis
        rows[0] = (rows[0][0], rows[0][1], f"{seconds:.1f} s" if added == edges else f"> {args.pyvis_build_budget:.0f} s")
        rows[1] = (rows[1][0], rows[1][1], f"{mb(baseline):.1f} MB")
        rows[2] = (rows[2][0], rows[2][1], fmt_s(pyvis_drawn.seconds, args.pyvis_draw_budget))
        if pyvis_drawn.seconds is not None:
            rows[4] = (rows[4][0], rows[4][1], str(pyvis_drawn.problems))
            rows[5] = (rows[5][0], rows[5][1], str(pyvis_drawn.requests))
    print(f"\n{'':28}{'kg render':>16}{'plain pyvis':>22}")
    for name, ours, theirs in rows:
        print(f"{name:28}{ours:>16}{theirs:>22}")
    if pyvis and pyvis_drawn:
        ratio = (
            f"{pyvis_drawn.seconds / kg_seconds:.0f}×" if pyvis_drawn.seconds is not None
            else f"> {args.pyvis_draw_budget / kg_seconds:.0f}×"
        )
        print(f"\npyvis / kg: time to draw {ratio}, file size {mb(baseline) / mb(page):.1f}×")

    goals = {
        f"drawn within {GOAL_DRAWN_S:.0f} s": kg_seconds <= GOAL_DRAWN_S,
        f">= {GOAL_NODES:,} nodes": (kg_drawn.nodes or 0) >= GOAL_NODES,
        "no console error": kg_drawn.problems == 0,
        "no request": kg_drawn.requests == 0,
        f"file under {GOAL_MB:.0f} MB": mb(page) < GOAL_MB,
    }
    print("\n" + "\n".join(f"{'PASS' if ok else 'FAIL'}  {goal}" for goal, ok in goals.items()))
    print(f"\nfiles in {out}")
    sys.exit(0 if all(goals.values()) and engines_clean else 1)


if __name__ == "__main__":
    main()
