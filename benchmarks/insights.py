"""Insights on a large field: time and memory beside the build's, measured in the same run.

SYNTHETIC DATA: the fields come from ``benchmarks/synthetic.py`` ("Synthetic paper N",
made-up ids); nothing describes a real work. Two shapes of field:

- **dense** (``synthetic_corpus``): every paper cites earlier papers with preferential
  attachment, 200 of them on a list under 12 sections: the hardest case for clustering,
  since every work is linked to several others;
- **star**: what a Semantic Scholar build looks like: 300 list papers, each citing its
  references and cited by its citing papers, drawn from one pool (a fetched work links to
  one to three list papers), so most works hang off a single list paper.

Each step runs in a fresh process, so the peak memory it reports is its own:

1. *build*: records → graph → PageRank → Turtle (what ``kg build`` does after the sources,
   without the map and the validation, which a 50,000-paper build skips or reduces anyway);
2. *insights*: the same graph, then :func:`kg.analysis.insights.compute_insights` alone
   (time, and how much it raised the process's peak memory);
3. *kg insights*: read the build's Turtle and compute the insights, as the command does.

    python benchmarks/insights.py                 # 50,000 papers, both shapes
    python benchmarks/insights.py --papers 10000 --shape star
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from synthetic import synthetic_corpus, synthetic_paper_id  # noqa: E402

from kg.model.records import Citation, Corpus, Entry, Identifiers, Origin, ReadingList, Work  # noqa: E402

_ORIGIN = Origin(source="semantic-scholar", retrieved="2026-01-01T00:00:00Z")


def star_corpus(papers: int, list_size: int = 300, sections: int = 12, seed: int = 0) -> Corpus:
    """A field shaped like a Semantic Scholar build (see the module docstring)."""
    rng = random.Random(seed)
    listed = list(range(list_size))
    weights = [1 / (1 + r) ** 0.8 for r in listed]  # a few list papers draw most links
    works = [
        Work(ids=Identifiers(s2=synthetic_paper_id(i)), title=f"Synthetic paper {i} on topic {i % 97}",
             kind="Paper", year=1990 + i % 35, origins=(_ORIGIN,))
        for i in range(papers)
    ]  # fmt: skip
    citations = []
    for other in range(list_size, papers):
        ends = set(rng.choices(listed, weights, k=rng.randint(1, 3)))
        for end in sorted(ends):
            citing, cited = (other, end) if other % 2 else (end, other)  # citing papers and references
            citations.append(Citation(
                citing=Identifiers(s2=synthetic_paper_id(citing)), cited=Identifiers(s2=synthetic_paper_id(cited)),
                origin=_ORIGIN,
            ))  # fmt: skip
    entries: list[Entry] = [Entry(key="L1", title="Synthetic Field", line=1, heading_level=1)]
    per = max(1, list_size // sections)
    for s in range(sections):
        section = f"L{len(entries) + 1}"
        entries.append(Entry(key=section, title=f"Synthetic section {s}", line=len(entries) + 1, parent="L1",
                             heading_level=2))  # fmt: skip
        for index in listed[s * per:(s + 1) * per]:
            entries.append(Entry(key=f"L{len(entries) + 1}", title=f"Synthetic paper {index}", line=len(entries) + 1,
                                 url=f"https://example.org/synthetic-paper-{index}", parent=section))  # fmt: skip
    corpus = Corpus(ReadingList(entries=tuple(entries), title="Synthetic Field", source="synthetic.md"), works=works,
                    citations=citations)  # fmt: skip
    for entry in entries:
        if entry.url:
            index = int(entry.url.rsplit("-", 1)[-1])
            corpus.entry_ids[entry.key] = Identifiers(s2=synthetic_paper_id(index), url=entry.url)
            corpus.entry_kinds[entry.key] = "Paper"
    return corpus


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _graph(shape: str, papers: int) -> Any:
    from kg.analysis.pagerank import add_pagerank
    from kg.model.build import build_graph

    corpus = synthetic_corpus(papers) if shape == "dense" else star_corpus(papers)
    graph = build_graph(corpus)
    add_pagerank(graph)
    return graph


def step(name: str, shape: str, papers: int, turtle: Path) -> dict[str, Any]:
    """One step, in this process (see the module docstring)."""
    from kg.analysis.insights import compute_insights
    from kg.pipeline import analyse
    from kg.rdf.write import write_turtle

    out: dict[str, Any] = {}
    if name == "build":
        start = time.perf_counter()
        graph = _graph(shape, papers)
        out["graph_s"] = time.perf_counter() - start
        start = time.perf_counter()
        graph.insights = compute_insights(graph)
        out["insights_s"] = time.perf_counter() - start
        start = time.perf_counter()
        out["triples"] = write_turtle(graph, turtle)
        out["turtle_s"] = time.perf_counter() - start
        insights = graph.insights
        graph.insights = None
        out["triples_without_insights"] = write_turtle(graph, turtle.with_suffix(".bare.ttl"))
        graph.insights = insights
        write_turtle(graph, turtle)
        out["works"] = sum(1 for _ in graph.works())
        out["citations"] = graph.number_of_edges()
        out["communities"] = len(insights.communities)
        out["modularity"] = insights.modularity
        out["candidates"] = len(insights.candidates)
    elif name == "insights":
        graph = _graph(shape, papers)
        before = _peak_mb()
        start = time.perf_counter()
        compute_insights(graph)
        out["insights_s"] = time.perf_counter() - start
        out["insights_peak_rise_mb"] = _peak_mb() - before
    elif name == "command":
        start = time.perf_counter()
        analyse([turtle])
        out["kg_insights_s"] = time.perf_counter() - start
    out["peak_mb"] = _peak_mb()
    return out


def _child(name: str, shape: str, papers: int, turtle: Path) -> dict[str, Any]:
    run = subprocess.run(
        [sys.executable, __file__, "--step", name, "--shape", shape, "--papers", str(papers), "--turtle", str(turtle)],
        capture_output=True, text=True, check=True,
    )
    result: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=50_000)
    parser.add_argument("--shape", choices=("dense", "star", "both"), default="both")
    parser.add_argument("--step", choices=("build", "insights", "command"), help=argparse.SUPPRESS)
    parser.add_argument("--turtle", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.shape, args.papers, args.turtle)))
        return
    for shape in ("dense", "star") if args.shape == "both" else (args.shape,):
        with tempfile.TemporaryDirectory() as tmp:
            turtle = Path(tmp) / "kg.ttl"
            built = _child("build", shape, args.papers, turtle)
            alone = _child("insights", shape, args.papers, turtle)
            command = _child("command", shape, args.papers, turtle)
        build_s = built["graph_s"] + built["turtle_s"]
        print(f"{shape} field, {built['works']:,} works, {built['citations']:,} edges "
              f"({built['communities']} communities, modularity {built['modularity']}, "
              f"{built['candidates']} candidates kept)")  # fmt: skip
        print(f"  build (records -> graph -> PageRank -> Turtle): {build_s:6.1f} s, peak {built['peak_mb']:,.0f} MB")
        print(f"  insights on that graph:                        {alone['insights_s']:6.1f} s "
              f"({alone['insights_s'] / build_s:.0%} of the build), peak memory +{alone['insights_peak_rise_mb']:,.0f} MB "
              f"({alone['insights_peak_rise_mb'] / built['peak_mb']:.0%} of the build's peak)")  # fmt: skip
        print(f"  kg insights on the Turtle (read + compute):    {command['kg_insights_s']:6.1f} s, "
              f"peak {command['peak_mb']:,.0f} MB")  # fmt: skip
        extra = built["triples"] - built["triples_without_insights"]
        print(f"  Turtle: {built['triples']:,} triples, of which insights {extra:,} "
              f"({extra / built['triples_without_insights']:.1%} more)")


if __name__ == "__main__":
    main()
