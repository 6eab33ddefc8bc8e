"""A big reading list, built offline: how long each stage takes, this checkout against a
baseline (``main``) in the same run, and whether the page it draws stays usable.

SYNTHETIC DATA: the list is ``benchmarks/extraction.py``'s synthetic list (made-up titles
and names in the habits real lists use; its arXiv-shaped addresses are numbered, not
chosen, and nothing is looked up) with a subsection heading every few entries, so that it
has about 260 topics: 52 sections of 4 subsections.

    python benchmarks/big_list.py                    # baseline: the main branch
    python benchmarks/big_list.py --baseline HEAD~3  # any git revision
    python benchmarks/big_list.py --no-baseline      # this checkout only
    python benchmarks/big_list.py --no-page          # the build only

**Build.** ``kg.pipeline.build`` on the list, offline (no Semantic Scholar stage, no SHACL
validation: a user's ``kg build --offline --no-validate``), in a child process per build so
that each starts cold; the stages are those the build reports (read list, identify, bundled
facts, graph, analysis, turtle, html). ``--rounds`` builds of each checkout, in turns (the
machine's load changes); each stage's best time is reported, with the total.

**Page.** The page this checkout wrote, opened ``--visits`` times in headless chromium with
the network blocked (``tests/browser.py``); medians of: the first frame on screen
(``window.kgDrawnAt``), answering a search typed in *Find* (results listed), narrowing the
topic facet by typing in its filter (options hidden), choosing a deep topic (the map
filtered and drawn), and hiding a kind in the legend (filtered and drawn). Goals: the build
within 5 s, the first frame within 3 s, every interaction within 0.5 s, no console error,
no request.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction import synthetic_list  # noqa: E402

STAGES = ("read list", "identify", "bundled facts", "graph", "analysis", "turtle", "html")
GOAL_BUILD_S, GOAL_FRAME_S, GOAL_ACTION_MS = 5.0, 3.0, 500.0
READY = "window.kgReady === true"

# In the page, once drawn. Each action is timed until the page has answered it and drawn
# the next frame (two animation frames: the one it asked for is on screen).
ACTIONS = """async () => {
    const frame = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    const time = async (action) => {
        const started = performance.now();
        action();
        await frame();
        return performance.now() - started;
    };
    const type = (input, text) => { input.value = text; input.dispatchEvent(new Event("input")); };
    const out = {};
    out.search = await time(() => type(document.getElementById("kg-search"), "kernel"));
    out.results = document.querySelectorAll("#kg-results li").length;
    type(document.getElementById("kg-search"), "");
    const find = document.getElementById("kg-f-topic-find");
    const select = document.getElementById("kg-f-topic");
    if (find) {
        out.narrow = await time(() => type(find, "topic 17.3"));
        out.narrowed = Array.from(select.options).filter((o) => !o.hidden).length;
    }
    const deep = Array.from(select.options).find((o) => o.textContent.includes("topic 17.3"));
    out.topic = await time(() => { select.value = deep.value; select.dispatchEvent(new Event("change")); });
    out.shownInTopic = kg.visibleNodes();
    if (find) type(find, "");
    document.getElementById("kg-reset").click();
    const kind = document.querySelector("#kg-sidebar input[data-style]");
    out.legend = await time(() => kind.click());
    out.options = select.options.length;
    return out;
}"""


def big_list(entries: int) -> str:
    """``extraction.synthetic_list`` with a subsection heading before every
    ``entries // 260``-th entry or so: four subsections to each of its sections."""
    out: list[str] = []
    section, index = 0, 0
    for line in synthetic_list(entries).splitlines():
        if line.startswith("## Synthetic section "):
            section = int(line.rsplit(" ", 1)[1])
        elif line.startswith(("- ", "1. ")):
            if index % 25 in (0, 6, 12, 18):
                out += [f"### Synthetic topic {section}.{index % 25 // 6}", ""]
            index += 1
        out.append(line)
    return "\n".join(out) + "\n"


def build_seconds(listed: Path, out: Path) -> dict[str, Any]:
    """Build ``listed`` offline with the ``kg`` on ``sys.path``; the stages' seconds."""
    from kg.pipeline import BuildSettings, build

    result = build(BuildSettings(list_path=listed, out_dir=out, validate=False, s2=None))
    topics = sum(1 for _ in result.graph.topics())
    listed_works = sum(1 for w in result.graph.works() if w.in_list)
    people = sum(1 for _ in result.graph.people())
    return {"seconds": result.seconds, "topics": topics, "listed": listed_works, "triples": result.triples,
            "people": people}


def _child(root: Path, listed: Path, out: Path) -> dict[str, Any]:
    run = subprocess.run(
        [sys.executable, __file__, "--json", "--kg-root", str(root), "--list", str(listed), "--out", str(out)],
        check=True, capture_output=True, text=True,
    )
    result: dict[str, Any] = json.loads(run.stdout)
    return result


def _best(runs: list[dict[str, Any]]) -> dict[str, float]:
    best = {stage: min(r["seconds"].get(stage, 0.0) for r in runs) for stage in STAGES}
    best["total"] = min(sum(r["seconds"].values()) for r in runs)
    return best


def compare(listed: Path, out: Path, revision: str | None, rounds: int) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """This checkout's builds and the baseline's, in turns."""
    after: list[dict[str, Any]] = []
    before: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="kg-baseline-") as tmp:
        tree = Path(tmp) / "tree"
        if revision is not None:
            subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "--quiet", str(tree), revision], check=True)
        try:
            for _ in range(rounds):
                after.append(_child(REPO, listed, out / "after"))
                if revision is not None:
                    before.append(_child(tree, listed, out / "before"))
        finally:
            if revision is not None:
                subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=True)
    return {**after[0], "best": _best(after)}, ({**before[0], "best": _best(before)} if before else None)


def page_figures(page: Path, visits: int) -> dict[str, Any]:
    from browser import launch_offline_browser

    runs: list[dict[str, Any]] = []
    problems = 0
    with launch_offline_browser() as browser:
        for _ in range(visits):
            with browser.open(page, ready=READY, timeout_ms=120_000) as visit:
                figures = visit.page.evaluate(ACTIONS)
                figures["frame"] = visit.page.evaluate("window.kgDrawnAt")
                runs.append(figures)
            problems = max(problems, len(visit.problems()))
    timed = ("frame", "search", "narrow", "topic", "legend")
    medians = {k: statistics.median(r[k] for r in runs) for k in timed if k in runs[0]}
    counts = {k: v for k, v in runs[0].items() if k not in timed}
    return {"ms": medians, "counts": counts, "problems": problems}


def _page_line(page: dict[str, Any]) -> str:
    ms, counts = page["ms"], page["counts"]
    narrow = f"{ms['narrow']:.0f} ({counts['narrowed']} options left)" if "narrow" in ms else "— (no filter)"
    return (f"first frame {ms['frame']:.0f} · search {ms['search']:.0f} ({counts['results']} results) · "
            f"topic filter typed {narrow} · topic chosen {ms['topic']:.0f} ({counts['shownInTopic']} nodes shown) · "
            f"legend {ms['legend']:.0f}")


def report(after: dict[str, Any], before: dict[str, Any] | None, revision: str, size: int,
           pages: tuple[dict[str, Any], dict[str, Any] | None] | None) -> int:  # fmt: skip
    print(f"a synthetic list of {size / 1e6:.2f} MB: {after['listed']:,} entries, {after['topics']:,} topics, "
          f"{after['triples']:,} triples (best of the rounds, seconds)")
    if before:
        print(f"  ({revision}: {before['triples']:,} triples, {before['people']:,} people; this checkout: "
              f"{after['people']:,} people)")
    print(f"{'stage':<16}{'this checkout':>15}" + (f"{revision:>15}{'ratio':>8}" if before else ""))
    for stage in (*STAGES, "total"):
        now = after["best"][stage]
        line = f"{stage:<16}{now:>15.2f}"
        if before:
            then = before["best"][stage]
            line += f"{then:>15.2f}{(now / then if then else float('nan')):>8.2f}"
        print(line)
    goals = {f"build ≤ {GOAL_BUILD_S:.0f} s": after["best"]["total"] <= GOAL_BUILD_S}
    if pages is not None:
        page, then_page = pages
        ms = page["ms"]
        print(f"\nthe page ({page['counts']['options'] - 1} topics in the facet), medians in ms:")
        print(f"  this checkout: {_page_line(page)}")
        if then_page is not None:
            print(f"  {revision}: {_page_line(then_page)}")
        goals[f"first frame ≤ {GOAL_FRAME_S:.0f} s"] = ms["frame"] <= GOAL_FRAME_S * 1000
        goals[f"actions ≤ {GOAL_ACTION_MS:.0f} ms"] = all(v <= GOAL_ACTION_MS for k, v in ms.items() if k != "frame")
        goals["no console error, no request"] = page["problems"] == 0
    print("\ngoals: " + ", ".join(f"{goal} {'met' if met else 'MISSED'}" for goal, met in goals.items()))
    return 0 if all(goals.values()) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", default="main", help="git revision to compare with (default: main)")
    parser.add_argument("--no-baseline", action="store_true", help="measure this checkout only")
    parser.add_argument("--no-page", action="store_true", help="do not open the page")
    parser.add_argument("--entries", type=int, default=1300, help="resources in the synthetic list")
    parser.add_argument("--rounds", type=int, default=3, help="builds of each checkout, in turns")
    parser.add_argument("--visits", type=int, default=3, help="visits of the page")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--kg-root", type=Path, default=REPO, help=argparse.SUPPRESS)
    parser.add_argument("--list", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        sys.path.insert(0, str(args.kg_root))
        print(json.dumps(build_seconds(args.list, args.out)))
        return 0
    with tempfile.TemporaryDirectory(prefix="kg-big-list-") as tmp:
        listed = Path(tmp) / "big-synthetic-list.md"
        text = big_list(args.entries)
        listed.write_text(text, encoding="utf-8")
        revision = None if args.no_baseline else args.baseline
        after, before = compare(listed, Path(tmp), revision, args.rounds)
        pages = None
        if not args.no_page:
            then = page_figures(Path(tmp) / "before" / "kg.html", args.visits) if before else None
            pages = (page_figures(Path(tmp) / "after" / "kg.html", args.visits), then)
        return report(after, before, args.baseline, len(text.encode()), pages)


if __name__ == "__main__":
    sys.exit(main())
