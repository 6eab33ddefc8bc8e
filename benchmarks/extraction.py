"""How well kg reads titles, years, authors and venues from lists in real habits, and how
fast it reads a big list: this checkout against a baseline (``main``) in the same run.

    python benchmarks/extraction.py                   # baseline: the main branch
    python benchmarks/extraction.py --baseline HEAD~3 # any git revision
    python benchmarks/extraction.py --no-baseline     # this checkout only

**Scores.** Every fixture list with a sidecar (``tests/lists/**/NAME.json`` beside
``NAME.md``, or naming its list) says, per entry, the title, authors, year and venue the
list gives. An entry is found by a piece of text on its first line (``line_with``). For each
habit (sidecar) and in all: the share of entries whose title is right (compared without
case, spaces or a closing dot), whose year is right (``null`` must stay ``null``), whose
first author is right (no author must stay none), whose author count is right, and whose
venue is right (where the sidecar gives one). Targets: 95% titles and years, 90% first
authors.

**Speed.** A synthetic list of ``--entries`` resources (1,300 by default, ~1 MB, in the
habits above; SYNTHETIC DATA: made-up titles and names) is parsed ``--repeat`` times in each
of ``--rounds`` rounds, this checkout and the baseline in turn; the best time of each is
reported, with the ratio.

The baseline is a temporary ``git worktree`` of the revision, removed afterwards; its code
is run in a child process that imports ``kg`` from there and reads the fixtures from here.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
LISTS = REPO / "tests" / "lists"
TITLE_TARGET, YEAR_TARGET, AUTHOR_TARGET = 0.95, 0.95, 0.90
FIELDS = ("title", "year", "first author", "author count", "venue")


# ---------------------------------------------------------------------------------------
# Fixtures and scores
# ---------------------------------------------------------------------------------------


def sidecars() -> Iterator[tuple[Path, Path]]:
    """(sidecar, list) of every fixture list that says what it holds."""
    for sidecar in sorted(LISTS.rglob("*.json")):
        data = json.loads(sidecar.read_text("utf-8"))
        listed = REPO / data["list"] if "list" in data else sidecar.with_suffix(".md")
        yield sidecar, listed


def line_of(lines: list[str], needle: str) -> int:
    hits = [n for n, line in enumerate(lines, 1) if needle in line]
    if len(hits) != 1:
        raise SystemExit(f"{needle!r} is on lines {hits}, not on one line")
    return hits[0]


def _norm(text: object) -> str:
    words = unicodedata.normalize("NFC", str(text)).casefold().split()
    return " ".join(words).rstrip(".")


def _name(text: object) -> str:
    return _norm(text).replace(".", "").replace(" ", "")


@dataclass
class Tally:
    entries: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    asked: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))

    def add(self, other: Tally) -> None:
        self.entries += other.entries
        for name in FIELDS:
            self.right[name] += other.right[name]
            self.asked[name] += other.asked[name]

    def share(self, name: str) -> float | None:
        return self.right[name] / self.asked[name] if self.asked[name] else None


def score_entry(expected: dict[str, Any], entry: Any, tally: Tally) -> None:
    """Add one entry's comparison to ``tally``. ``entry`` may come from an older kg whose
    records lack authors and venues."""
    authors = [str(a) for a in getattr(entry, "authors", ())]
    wanted = [str(a) for a in expected.get("authors", [])]
    checks = {
        "title": entry is not None and _norm(entry.title) == _norm(expected["title"]),
        "year": entry is not None and entry.year == expected.get("year"),
        "first author": entry is not None
        and [_name(a) for a in authors[:1]] == [_name(a) for a in wanted[:1]],
        "author count": entry is not None and len(authors) == len(wanted),
    }
    if "venue" in expected:
        venue = getattr(entry, "venue", None)
        checks["venue"] = venue is not None and _norm(venue) == _norm(expected["venue"])
    tally.entries += 1
    for name, right in checks.items():
        tally.asked[name] += 1
        tally.right[name] += int(bool(right))


def score_all() -> dict[str, Tally]:
    """The tallies of every fixture list, by habit, read with the ``kg`` on ``sys.path``."""
    from kg.read.markdown import read_reading_list

    tallies: dict[str, Tally] = {}
    for sidecar, listed in sidecars():
        data = json.loads(sidecar.read_text("utf-8"))
        lines = listed.read_text("utf-8").splitlines()
        by_line = {e.line: e for e in read_reading_list(listed).entries if e.url is not None}
        tally = Tally()
        for expected in data["entries"]:
            score_entry(expected, by_line.get(line_of(lines, expected["line_with"])), tally)
        tallies[str(sidecar.relative_to(LISTS).with_suffix(""))] = tally
    return tallies


# ---------------------------------------------------------------------------------------
# A big synthetic list
# ---------------------------------------------------------------------------------------

_WORDS = (
    "synthetic sparse deep kernel graph spectral stochastic robust adaptive neural implicit "
    "generative convex latent causal bayesian scalable efficient attention diffusion "
    "transport manifold geometric learning networks models inference optimization methods "
    "representations signals operators dynamics estimation flows"
).split()
_NAMES = "Avery Blake Casey Devon Emery Finley Harper Jordan Kendall Logan Morgan Parker Quinn".split()
_VENUES = ("ICML", "NeurIPS", "ICLR", "arxiv", "IEEE TNN", "COLT", "AISTATS")


def _title(rng: random.Random) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 9))).capitalize()


def _people(rng: random.Random) -> str:
    return ", ".join(f"{rng.choice(_NAMES)} {rng.choice(_NAMES)}son" for _ in range(rng.randint(1, 6)))


def _description(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(80, 140))]
    return " ".join(words) + "."


def synthetic_list(entries: int, seed: int = 7) -> str:
    """A reading list of ``entries`` resources in the habits the fixtures cover."""
    rng = random.Random(seed)
    out = ["# Synthetic field (benchmark list; every title and name is made up)", ""]
    for index in range(entries):
        if index % 25 == 0:
            out += ["", f"## Synthetic section {index // 25}", ""]
        url = f"https://arxiv.org/abs/2101.{index:05d}"
        title, year, venue = _title(rng), rng.randint(1990, 2024), rng.choice(_VENUES)
        habit = index % 5
        if habit == 0:
            out += [f"1. **{title}.** {venue} {year}. [paper]({url})", "", f"    *{_people(rng)}.*", ""]
        elif habit == 1:
            out.append(f"- **{title}** ({year}), {rng.choice(_NAMES)} et al. [[pdf]]({url}) {_description(rng)}")
        elif habit == 2:
            out.append(f"- [{title}]({url}) - {_people(rng)}, {venue} {year}. {_description(rng)}")
        elif habit == 3:
            out.append(f'- {_people(rng)}. "{title}." {venue} {year}. [pdf]({url})')
        else:
            out.append(f"- {title} - {_description(rng)} [[pdf]]({url}) [[code]](https://github.com/synthetic/r{index})")
    return "\n".join(out) + "\n"


def read_seconds(text: str, repeat: int) -> float:
    """Best time to parse ``text`` with the ``kg`` on ``sys.path``."""
    from kg.read.markdown import parse_reading_list

    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        parse_reading_list(text)
        best = min(best, time.perf_counter() - start)
    return best


# ---------------------------------------------------------------------------------------
# Running both checkouts
# ---------------------------------------------------------------------------------------


def measure(entries: int, repeat: int) -> dict[str, Any]:
    text = synthetic_list(entries)
    tallies = score_all()
    return {
        "tallies": {k: {"entries": t.entries, "right": t.right, "asked": t.asked} for k, t in tallies.items()},
        "read_seconds": read_seconds(text, repeat),
        "list_bytes": len(text.encode()),
    }


def _tally(data: dict[str, Any]) -> Tally:
    return Tally(entries=data["entries"], right=data["right"], asked=data["asked"])


def _child(tree: Path, entries: int, repeat: int) -> dict[str, Any]:
    """The measurements with the ``kg`` of ``tree``, in a child process."""
    child = subprocess.run(
        [sys.executable, __file__, "--json", "--kg-root", str(tree), "--entries", str(entries),
         "--repeat", str(repeat), "--no-baseline"],
        check=True, capture_output=True, text=True,
    )
    result: dict[str, Any] = json.loads(child.stdout)
    return result


def both(revision: str | None, entries: int, repeat: int, rounds: int) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """This checkout's measurements and the baseline's, the timings taken in turns (the
    machine's load changes; each side keeps its best)."""
    after = measure(entries, repeat)
    if revision is None:
        return after, None
    with tempfile.TemporaryDirectory(prefix="kg-baseline-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "--quiet", str(tree), revision], check=True)
        try:
            before = _child(tree, entries, repeat)
            for _ in range(rounds - 1):
                after["read_seconds"] = min(after["read_seconds"], measure(entries, repeat)["read_seconds"])
                before["read_seconds"] = min(before["read_seconds"], _child(tree, entries, repeat)["read_seconds"])
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=True)
    return after, before


def _percent(value: float | None) -> str:
    return "   —" if value is None else f"{100 * value:4.0f}"


def report(after: dict[str, Any], before: dict[str, Any] | None, revision: str) -> int:
    names = sorted(after["tallies"])
    heads = "  ".join(f"{n[:12]:>12}" for n in FIELDS)
    print(f"extraction, % of entries right ({'before = ' + revision + ' → ' if before else ''}after = this checkout)")
    print(f"{'habit (fixture list)':<34}{'entries':>8}  {heads}")
    total_after, total_before = Tally(), Tally()
    for name in names:
        now = _tally(after["tallies"][name])
        total_after.add(now)
        then = _tally(before["tallies"][name]) if before and name in before["tallies"] else None
        if then is not None:
            total_before.add(then)
        cells = "  ".join(
            f"{(_percent(then.share(f)) + ' →') if then else '':>7}{_percent(now.share(f)):>5}" for f in FIELDS
        )
        print(f"{name:<34}{now.entries:>8}  {cells}")
    cells = "  ".join(
        f"{(_percent(total_before.share(f)) + ' →') if before else '':>7}{_percent(total_after.share(f)):>5}"
        for f in FIELDS
    )
    print(f"{'all':<34}{total_after.entries:>8}  {cells}")
    size = after["list_bytes"] / 1e6
    print(f"\nread stage, a synthetic list of {size:.2f} MB (best of the repeats):")
    print(f"  this checkout   {after['read_seconds']:.3f} s")
    if before:
        ratio = after["read_seconds"] / before["read_seconds"]
        print(f"  {revision:<15} {before['read_seconds']:.3f} s   (this checkout takes {ratio:.2f}× the baseline's time)")
    goals = {
        "titles ≥ 95%": (total_after.share("title") or 0) >= TITLE_TARGET,
        "years ≥ 95%": (total_after.share("year") or 0) >= YEAR_TARGET,
        "first authors ≥ 90%": (total_after.share("first author") or 0) >= AUTHOR_TARGET,
    }
    print("\ngoals: " + ", ".join(f"{goal} {'met' if met else 'MISSED'}" for goal, met in goals.items()))
    return 0 if all(goals.values()) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", default="main", help="git revision to compare with (default: main)")
    parser.add_argument("--no-baseline", action="store_true", help="measure this checkout only")
    parser.add_argument("--entries", type=int, default=1300, help="resources in the synthetic list")
    parser.add_argument("--repeat", type=int, default=3, help="parses of the synthetic list per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of timing, this checkout and the baseline in turn")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--kg-root", type=Path, default=REPO, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(args.kg_root))
    if args.json:
        print(json.dumps(measure(args.entries, args.repeat)))
        return 0
    revision = None if args.no_baseline else args.baseline
    after, before = both(revision, args.entries, args.repeat, args.rounds)
    return report(after, before, args.baseline)


if __name__ == "__main__":
    sys.exit(main())
