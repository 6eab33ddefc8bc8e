"""Benchmark: what running each query in a child process costs (``kg.sparql.worker``: the
time limit, and no connections), against the same query run in this process, same run.

The graph is the shipped list built offline (``kg build --offline``, in a temp dir) unless
``--data`` names one. For each query, the best of ``--repeat`` runs (the machine is
shared: the best run is the one least slowed by others) of:

- pyoxigraph: ``Store.query`` and every row read, nothing else (the floor);
- kg, here: ``run_query`` with the work done in this process (the query's parse by
  rdflib, the run, the result written and read back);
- kg, child: the same in a forked child with its deadline and connection filter, the
  store shared with it (as tests and ``run_query(store, …)`` callers run it);
- and with the file read where the query runs (as ``kg query`` and ``kg.query`` run it:
  ``run_query(lambda: load_store(path), …)``), here and in the child.

The differences between "here" and "child" are the cost of the child. All runs must return
the same rows; the script fails if they do not.

    python benchmarks/query_isolation.py
    python benchmarks/query_isolation.py --data outputs/kg.ttl --repeat 50
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import pyoxigraph as ox  # noqa: E402

from kg.rdf.store import load_store  # noqa: E402  (needs the path above)
from kg.sparql import engine, worker  # noqa: E402
from kg.sparql.engine import bind_parameters, named_query  # noqa: E402

Rows = list[tuple[str, ...]]


def _queries() -> dict[str, str]:
    most_cited = named_query("most-cited")
    assert most_cited is not None
    return {
        "most-cited (named)": bind_parameters(most_cited.text, {}),
        "every triple": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
        "ASK": "ASK { ?s ?p ?o }",
    }


def _rows(result: object) -> Rows:
    if isinstance(result, ox.QueryBoolean):
        return [(str(bool(result)),)]
    assert isinstance(result, ox.QuerySolutions)
    return [tuple(str(term) for term in solution) for solution in result]


def _bare(store: ox.Store, text: str) -> Rows:
    return _rows(store.query(text))


def _kg(store: ox.Store | Callable[[], ox.Store], text: str) -> Rows:
    return _rows(engine.run_query(store, text).result)


def _best_ms(action: Callable[[], Rows], repeat: int) -> tuple[float, Rows]:
    rows = action()  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return min(times), rows


def _seed_graph() -> Path:
    from kg.pipeline import BuildSettings, build

    out = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    build(BuildSettings(out_dir=out, html=False, validate=False, s2=_offline()))
    return out / "kg.ttl"


def _offline() -> object:
    from kg.sources.semantic_scholar import S2Settings

    return S2Settings(mode="offline")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="an RDF file (default: the shipped list, built offline)")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    data = args.data or _seed_graph()
    store = load_store(data)
    print(f"{data}: {len(store)} triples; best of {args.repeat} runs, milliseconds")
    print(f"{'':<22}{'':>7}{'':>12}{'store shared':>34}{'file read in the work':>34}")
    print(f"{'query':<22}{'rows':>7}{'pyoxigraph':>12}" + f"{'here':>11}{'child':>11}{'child costs':>12}" * 2)

    def read() -> ox.Store:
        return load_store(data)

    for name, text in _queries().items():
        bare_ms, rows = _best_ms(lambda: _bare(store, text), args.repeat)  # noqa: B023
        line = f"{name:<22}{len(rows):>7}{bare_ms:>12.2f}"
        for given in (store, read):
            here_ms, here_rows = _best_ms(lambda: _here(given, text), args.repeat)  # noqa: B023
            child_ms, child_rows = _best_ms(lambda: _kg(given, text), args.repeat)  # noqa: B023
            if not rows == here_rows == child_rows:
                raise SystemExit(f"{name}: the runs returned different rows")
            line += f"{here_ms:>11.2f}{child_ms:>11.2f}{child_ms - here_ms:>+12.2f}"
        print(line)


def _here(store: ox.Store | Callable[[], ox.Store], text: str) -> Rows:
    forking = worker.forking
    worker.forking = lambda: False  # type: ignore[assignment]
    try:
        return _kg(store, text)
    finally:
        worker.forking = forking  # type: ignore[assignment]


if __name__ == "__main__":
    main()
