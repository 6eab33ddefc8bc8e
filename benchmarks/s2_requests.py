"""Semantic Scholar enrichment at scale: requests against the lower bound, and a warm build.

SYNTHETIC DATA: the reading lists ("Synthetic work N", made-up arXiv ids) and everything
the local server answers (tests/s2server.py: "Synthetic paper …", example.org links) are
made up. Nothing here touches the network beyond 127.0.0.1.

    python benchmarks/s2_requests.py                      # both parts, default sizes
    python benchmarks/s2_requests.py --works 50 500 --papers 0   # requests only

1. **Requests**: for lists of n works, a cold enrichment against a local server speaking
   the Graph API, with ``--max-citations`` 3000. Requests made are set against the lower
   bound: ceil(n/500) batch calls + one page per 1,000 citations (up to the cap) or
   references, counted from what the server holds. kg also asks one author batch per
   1,000 authors of list works, and title matches for works no id names (none here).
2. **Warm build**: a cold run fills a cache with a field of about ``--papers`` papers;
   then, each in a fresh process so that peak memory is its own: the build from the warm
   cache (``kg build --online``: it must make zero requests), and pyoxigraph loading and
   dumping the Turtle that build wrote, as the baseline. The build writes no HTML here (the
   map of 10k+ nodes is another issue's work) and, past 500,000 triples, validates nothing
   (as ``kg build`` does: pySHACL would take minutes; ``kg validate`` checks such files).
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from s2server import FakeS2Server, SyntheticApi  # noqa: E402  (tests/ is on the path above)

from kg.sources.http import NetworkPolicy  # noqa: E402
from kg.sources.semantic_scholar import PAGE_SIZE, S2Settings  # noqa: E402

CAP = 3000


def synthetic_list(works: int, path: Path, sections: int = 12) -> Path:
    """A reading list of ``works`` synthetic arXiv preprints under a few sections."""
    lines = ["# Synthetic field (benchmark list; every id is made up)", ""]
    per_section = max(1, math.ceil(works / sections))
    for index in range(works):
        if index % per_section == 0:
            lines += ["", f"## Synthetic section {index // per_section}", ""]
        lines.append(f"- [Synthetic work {index}](https://arxiv.org/abs/2101.{index:05d}) synthetic note")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def settings(url: str, cache: Path, mode: str = "online") -> S2Settings:
    return S2Settings(
        mode=mode, api_url=url, cache_dir=cache, max_citations=CAP,  # type: ignore[arg-type]
        network=NetworkPolicy(rate=float("inf"), backoff_base=0.01),
    )


def served_lower_bound(api: SyntheticApi, works: int) -> int:
    """The fewest requests that fetch what the server holds for the list's works."""
    pages = 0
    for pid in list(api.named):
        cited_by = len(api.edges(pid, "citations"))
        pages += math.ceil(min(cited_by, CAP) / PAGE_SIZE) + math.ceil(len(api.edges(pid, "references")) / PAGE_SIZE)
    return math.ceil(works / 500) + pages


def requests_part(sizes: list[int], workdir: Path) -> None:
    from kg.identify.entries import identify_entries
    from kg.model.records import Corpus
    from kg.read.markdown import read_reading_list
    from kg.sources.semantic_scholar import SemanticScholarSource

    print("1. requests made against the lower bound (cold cache, --max-citations 3000)")
    print(f"   {'works':>6} {'requests':>9} {'bound':>7} {'ratio':>6}  of which author batches")
    for works in sizes:
        api = SyntheticApi(pool=200_000)
        path = synthetic_list(works, workdir / f"list-{works}.md")
        with FakeS2Server(api) as server:
            corpus = Corpus(reading_list=read_reading_list(path))
            identify_entries(corpus)
            report = SemanticScholarSource(settings(server.url, workdir / f"cache-{works}")).enrich(corpus)
            bound = served_lower_bound(api, works)
            authors = sum(1 for s in server.seen if "/author/batch" in s.target)
        assert report.resolved == works and report.requests == len(server.seen)
        print(f"   {works:>6} {report.requests:>9} {bound:>7} {report.requests / bound:>6.3f}  {authors}")


def warm_part(papers: int, workdir: Path) -> None:
    # About 1,300 citing papers per list work, drawn from a pool: ~papers distinct in all.
    works = max(10, papers // 420)
    api = SyntheticApi(pool=int(papers * 1.08), big_every=3)
    path = synthetic_list(works, workdir / "field.md")
    cache = workdir / "field-cache"
    print(f"\n2. warm build of a field of ~{papers:,} papers ({works} list works)")
    with FakeS2Server(api) as server:
        cold = _child("build", str(path), str(cache), str(workdir / "cold"), server.url)
        print(f"   cold build: {cold['requests']} requests ({cold['requests'] / served_lower_bound(api, works):.3f}x the"
              f" lower bound), {cold['seconds']:.1f} s")
        warm = _child("build", str(path), str(cache), str(workdir / "warm"), server.url)
        assert len(server.seen) == cold["requests"], "the warm build asked the server again"
    ttl = workdir / "warm" / "kg.ttl"
    assert ttl.read_bytes() == (workdir / "cold" / "kg.ttl").read_bytes(), "cold and warm Turtle differ"
    oxigraph = _child("oxigraph", str(ttl))
    print(f"   papers {warm['papers']:,}, triples {warm['triples']:,}, requests {warm['requests']}, "
          f"cache {Path(warm['cache']).stat().st_size / 1e6:.0f} MB")
    print(f"   {'':28} {'seconds':>8} {'peak MB':>8}")
    print(f"   {'kg build (warm, no HTML)':<28} {warm['seconds']:>8.1f} {warm['peak_mb']:>8.0f}")
    for stage, seconds in warm["stages"].items():
        if seconds >= 0.5:
            print(f"     {stage:<26} {seconds:>8.1f}")
    print(f"   {'pyoxigraph load + dump':<28} {oxigraph['seconds']:>8.1f} {oxigraph['peak_mb']:>8.0f}")
    print(f"   build / pyoxigraph: {warm['seconds'] / oxigraph['seconds']:.1f}x the time, "
          f"{warm['peak_mb'] / oxigraph['peak_mb']:.1f}x the memory")


def _child(*args: str) -> dict[str, Any]:
    run = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise SystemExit(f"child {args[0]} failed:\n{run.stderr}")
    result: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(args: list[str]) -> dict[str, Any]:
    """One measurement, alone in its process."""
    started = time.perf_counter()
    if args[0] == "build":
        from kg.pipeline import BuildSettings, build

        path, cache, out, url = args[1:]
        result = build(BuildSettings(list_path=Path(path), out_dir=Path(out), html=False,
                                     s2=settings(url, Path(cache))))
        assert result.fetch is not None
        return {"seconds": time.perf_counter() - started, "peak_mb": _peak_mb(), "triples": result.triples,
                "requests": result.fetch.requests, "papers": result.fetch.papers,
                "cache": str(result.fetch.cache), "stages": result.seconds,
                "validated": result.report is not None}
    if args[0] == "oxigraph":
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_load(path=args[1], format=ox.RdfFormat.TURTLE)
        with tempfile.TemporaryDirectory() as tmp:
            store.dump(output=str(Path(tmp) / "dump.nt"), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        return {"seconds": time.perf_counter() - started, "peak_mb": _peak_mb()}
    raise SystemExit(f"unknown child {args[0]}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2:])))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, nargs="*", default=[50, 500, 1200])
    parser.add_argument("--papers", type=int, default=50_000, help="size of the warm field (0: skip)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        workdir = Path(tmp)
        if args.works:
            requests_part(args.works, workdir)
        if args.papers:
            warm_part(args.papers, workdir)


if __name__ == "__main__":
    main()
