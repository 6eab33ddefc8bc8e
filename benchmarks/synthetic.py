"""A synthetic field for benchmarks: a reading list and a citation graph of any size.

SYNTHETIC DATA: every title, name and identifier here is made up (ids are hashes of
"synthetic-…"); nothing describes a real work. The shape imitates a real field: papers cite
earlier papers with preferential attachment (a few are cited a lot), and a reading list
picks some of them under a few sections. A share of the papers (``detailed``, always the
listed ones) is described in full, as a paper fetched for itself is: one to five authors
from a shared pool, venue, counts, field of study. The rest are known only the way a
reference list names them: id, title, year.

    python benchmarks/synthetic.py 50000 --out /tmp/field.ttl     # ~0.7M triples

The records go through the real pipeline stages (kg.model.build, kg.rdf.write), so the Turtle is what
``kg build`` would write for such a field.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kg.model.records import (  # noqa: E402  (the path above makes the checkout importable)
    Citation,
    Corpus,
    Entry,
    Identifiers,
    Origin,
    Person,
    ReadingList,
    Work,
)

__all__ = ["synthetic_corpus", "synthetic_paper_id", "write_synthetic_turtle"]

_ORIGIN = Origin(source="semantic-scholar", retrieved="2026-01-01T00:00:00Z")
DETAILED = 0.15
"""Share of papers described in full by default: 50,000 papers then make ~0.7M triples."""
_FIELDS = ("Computer Science", "Mathematics", "Physics", "Statistics", "Biology")


def synthetic_paper_id(index: int) -> str:
    """A 40-hex-digit id shaped like a Semantic Scholar paperId, made from the index."""
    return hashlib.sha1(f"synthetic-{index}".encode()).hexdigest()


def _cited_indices(rng: random.Random, count: int, targets: list[int]) -> set[int]:
    """Earlier papers to cite. ``targets`` lists every paper once plus once per citation it
    has received, so drawing from it uniformly favours the already well cited."""
    chosen: set[int] = set()
    for _ in range(count * 3):
        if len(chosen) >= count or not targets:
            break
        chosen.add(targets[rng.randrange(len(targets))])
    return chosen


def synthetic_corpus(
    papers: int,
    *,
    list_size: int = 200,
    refs_per_paper: int = 5,
    sections: int = 12,
    detailed: float | None = None,
    seed: int = 0,
) -> Corpus:
    """A corpus of ``papers`` works citing each other, ``list_size`` of them on a list."""
    rng = random.Random(seed)
    # A reading list favours the works its field builds on: it picks among the older fifth,
    # which preferential attachment makes the most cited.
    picks = sorted(rng.sample(range(max(1, papers // 5)), k=min(list_size, max(1, papers // 5))))
    share = DETAILED if detailed is None else detailed
    full = set(picks) | {i for i in range(papers) if rng.random() < share}
    authors = [
        Person(f"Synthetic Author {i}", s2_author_id=str(10_000 + i))
        for i in range(max(1, len(full) // 3))
    ]
    works: list[Work] = []
    citations: list[Citation] = []
    targets: list[int] = []
    cited_count = [0] * papers
    for index in range(papers):
        ids = Identifiers(s2=synthetic_paper_id(index))
        refs = _cited_indices(rng, rng.randint(0, 2 * refs_per_paper), targets)
        for ref in sorted(refs):
            cited_count[ref] += 1
            targets.append(ref)
            citations.append(Citation(citing=ids, cited=Identifiers(s2=synthetic_paper_id(ref)), origin=_ORIGIN))
        targets.append(index)
        work = Work(
            ids=ids,
            title=f"Synthetic paper {index}",
            kind="Paper",
            year=1990 + (35 * index) // max(1, papers),
            origins=(_ORIGIN,),
        )
        if index in full:
            work = replace(
                work,
                venue=f"Synthetic Venue {index % 40}",
                authors=tuple(rng.sample(authors, k=min(len(authors), rng.randint(1, 5)))),
                fields_of_study=(_FIELDS[index % len(_FIELDS)],),
                reference_count=len(refs),
            )
        works.append(work)
    works = [
        replace(w, citation_count=cited_count[i], citations_fetched=cited_count[i]) if i in full else w
        for i, w in enumerate(works)
    ]
    reading_list = _synthetic_list(picks, sections)
    corpus = Corpus(reading_list=reading_list, works=works, citations=citations)
    for entry in reading_list.entries:
        if entry.url:
            index = int(entry.url.rsplit("-", 1)[-1])
            corpus.entry_ids[entry.key] = Identifiers(s2=synthetic_paper_id(index), url=entry.url)
            corpus.entry_kinds[entry.key] = "Paper"
    return corpus


def _synthetic_list(picks: list[int], sections: int) -> ReadingList:
    entries: list[Entry] = [Entry(key="L1", title="Synthetic Field", line=1, heading_level=1)]
    line = 2
    per_section = max(1, len(picks) // sections)
    for s in range(sections):
        section_key = f"L{line}"
        entries.append(Entry(key=section_key, title=f"Synthetic section {s}", line=line, parent="L1", heading_level=2))
        line += 1
        for index in picks[s * per_section:(s + 1) * per_section]:
            entries.append(
                Entry(
                    key=f"L{line}", title=f"Synthetic paper {index}", line=line,
                    url=f"https://example.org/synthetic-paper-{index}", parent=section_key,
                    note="synthetic note", note_lang="en",
                )
            )
            line += 1
    return ReadingList(entries=tuple(entries), title="Synthetic Field", source="synthetic.md")


def write_synthetic_turtle(papers: int, path: Path, **options: Any) -> int:
    """Build the synthetic field through kg's graph and RDF stages; return the triple count."""
    from kg.model.build import build_graph
    from kg.rdf.write import write_turtle

    graph = build_graph(synthetic_corpus(papers, **options))
    return write_turtle(graph, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("papers", type=int)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--refs", type=int, default=5, help="mean references per paper")
    parser.add_argument("--list-size", type=int, default=200)
    parser.add_argument("--detailed", type=float, default=DETAILED, help="share of papers described in full")
    args = parser.parse_args()
    started = time.perf_counter()
    triples = write_synthetic_turtle(
        args.papers, args.out, refs_per_paper=args.refs, list_size=args.list_size, detailed=args.detailed
    )
    print(f"{args.out}: {triples} triples, {args.papers} papers, {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
