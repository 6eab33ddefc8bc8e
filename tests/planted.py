"""A field with planted structure, for testing what kg concludes about a list.

SYNTHETIC DATA: every paper, id and title here is made up ("Synthetic …", arXiv ids in the
2201/2301/2401 ranges chosen for this test); nothing describes a real work. The papers
are served by the local Graph API server (``tests/s2server.py``) through
:class:`PlantedApi`, so a build reaches them as it reaches Semantic Scholar.

What is planted (``Plan``):

- four sections, each a cluster: its list papers cite one another, a pool of papers of
  their own, and two **hubs** that most of them cite (the candidates to find, under
  that section); **citers** cite several of the cluster's list papers (the derivatives);
- one paper filed under *Attention* whose citations all lie in *Kernels* (**misfiled**);
- a section whose two papers cite each other and papers nobody else cites
  (**disconnected**), and a paper with no references and no citations (**isolated**);
- a course page no source knows (no citation data: nothing may be concluded about it);
- version 2 of the field adds new papers citing the list (``PlantedApi(version=2)``).

:func:`section_plan` plants hubs in any reading list instead (for the patch tests).

Every title of a cluster holds its two words (``kernel spectral``…), so its community
can be recognised by its label.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from typing import Any

from s2server import SyntheticApi

from kg.identify.identifiers import identify_url
from kg.model.records import ReadingList
from kg.read.topics import topic_paths

__all__ = ["Paper", "Plan", "plan", "section_plan", "PlantedApi", "CLUSTERS", "list_markdown"]

CLUSTERS = {
    "Kernels": ("kernel", "spectral"),
    "Attention": ("attention", "transformer"),
    "Graphs": ("graph", "message"),
    "Diffusion": ("diffusion", "denoising"),
}
ISOLATED_SECTION = "Quantum Annealing"


@dataclass
class Paper:
    key: str
    """``arxiv:<id>`` (the server's key)."""
    title: str
    year: int
    cluster: str
    """The section whose cluster it belongs to (where it should be filed)."""
    section: str | None = None
    """Where the list files it; None for papers not on the list."""
    refs: list[str] = field(default_factory=list)
    role: str = "pool"
    """list, pool, hub, citer, isolated."""

    @property
    def arxiv(self) -> str:
        return self.key.split(":", 1)[1]


@dataclass
class Plan:
    papers: dict[str, Paper]

    def listed(self) -> list[Paper]:
        return [p for p in self.papers.values() if p.section is not None]

    def by_role(self, role: str, cluster: str | None = None) -> list[Paper]:
        return [p for p in self.papers.values() if p.role == role and (cluster is None or p.cluster == cluster)]

    def citers_of(self, key: str) -> list[str]:
        return sorted(p.key for p in self.papers.values() if key in p.refs)


def _key(series: int, n: int) -> str:
    return f"arxiv:{series}.{n:05d}"


def plan(version: int = 1, seed: int = 7) -> Plan:
    """The planted field (see the module docstring)."""
    rng = random.Random(seed)
    papers: dict[str, Paper] = {}

    def add(paper: Paper) -> Paper:
        papers[paper.key] = paper
        return paper

    for c, (section, (w1, w2)) in enumerate(CLUSTERS.items()):
        base = 1000 * (c + 1)
        pool = [add(Paper(_key(2301, base + i), f"Synthetic {w1} {w2} background {c}.{i}", 2005 + i % 8, section))
                for i in range(12)]  # fmt: skip
        hubs = [add(Paper(_key(2301, base + 900 + i), f"Synthetic {w1} {w2} foundations {c}.{i}", 2010 + i,
                          section, role="hub")) for i in range(2)]  # fmt: skip
        listed: list[Paper] = []
        for i in range(6):
            paper = add(Paper(_key(2201, base + i), f"Synthetic {w1} {w2} method {c}.{i}", 2014 + i, section,
                              section=section, role="list"))  # fmt: skip
            paper.refs += [h.key for h in hubs]
            paper.refs += [p.key for p in rng.sample(pool, 3)]
            paper.refs += [q.key for q in listed[-3:] if rng.random() < 0.7]
            listed.append(paper)
        for i in range(4):
            cited = rng.sample(listed, 3)
            add(Paper(_key(2401, base + i), f"Synthetic {w1} {w2} follow-up {c}.{i}", 2021 + i, section,
                      refs=[p.key for p in cited], role="citer"))  # fmt: skip
    plan_list = [p for p in papers.values() if p.role == "list"]
    kernels, attention, diffusion = plan_list[:6], plan_list[6:12], plan_list[18:24]
    # A paper on kernels, filed under Attention: it cites Kernels' papers and hubs, and two cite it.
    misfiled = add(Paper(_key(2201, 1500), "Synthetic kernel spectral method filed elsewhere", 2019, "Kernels",
                         section="Attention", role="list"))  # fmt: skip
    misfiled.refs += [p.key for p in kernels[:3]] + [h.key for h in (papers[_key(2301, 1900)], papers[_key(2301, 1901)])]
    misfiled.refs += [_key(2301, 1000 + i) for i in (0, 3, 6)]
    for p in kernels[3:5]:
        p.refs.append(misfiled.key)
    # A little noise across clusters: the field is not four islands.
    attention[0].refs.append(_key(2301, 3002))
    diffusion[0].refs.append(_key(2301, 3005))
    add(Paper(_key(2401, 9000), "Synthetic bridge across attention and graphs", 2022, "Attention",
              refs=[attention[1].key, plan_list[12].key], role="citer"))  # fmt: skip
    # A section nobody else links to, and a paper linked to nothing at all.
    for i in range(2):
        paper = add(Paper(_key(2201, 8000 + i), f"Synthetic annealing qubit method 8.{i}", 2016 + i, ISOLATED_SECTION,
                          section=ISOLATED_SECTION, role="list"))  # fmt: skip
        private = add(Paper(_key(2301, 8000 + i), f"Synthetic annealing qubit background 8.{i}", 2010, ISOLATED_SECTION))
        paper.refs.append(private.key)
    papers[_key(2201, 8001)].refs.append(_key(2201, 8000))
    add(Paper(_key(2201, 7000), "Synthetic graph message note with no links", 2020, "Graphs", section="Graphs",
              role="isolated"))  # fmt: skip
    if version >= 2:
        for i in range(3):
            add(Paper(_key(2401, 9100 + i), f"Synthetic diffusion denoising sequel {i}", 2026, "Diffusion",
                      refs=[p.key for p in plan_list[18 + i: 21 + i]], role="citer"))  # fmt: skip
    return Plan(papers)


def list_markdown(field_plan: Plan, *, course: bool = True) -> str:
    """The reading list of the plan: a section per cluster, in the ``- [Title](url) - year`` habit."""
    lines = ["# Planted field (synthetic test list; every id here is made up)", "",
             "A synthetic list with planted structure.", ""]  # fmt: skip
    sections = [*CLUSTERS, ISOLATED_SECTION]
    for section in sections:
        lines += [f"## {section}", ""]
        for paper in sorted((p for p in field_plan.listed() if p.section == section), key=lambda p: p.key):
            lines.append(f"- [{paper.title}](https://arxiv.org/abs/{paper.arxiv}) - {paper.year}")
        lines.append("")
    if course:
        lines += ["## Courses", "", "- [A synthetic course nobody indexed](https://example.org/courses/planted)", ""]
    return "\n".join(lines)


def _pid(key: str) -> str:
    return hashlib.sha1(f"synthetic-planted:{key}".encode()).hexdigest()


def _surname(pid: str) -> str:
    """A made-up surname from a paper id, in letters only ("1050" -> "Bafa"): a list that
    writes "Surname, I." must read the new byline back as a name, and "1050, S. A." is none."""
    return "".join("abcdefghij"[int(c)] if c.isdigit() else c for c in pid[:4]).capitalize()


def section_plan(reading_list: ReadingList) -> Plan:
    """A plan for any reading list: its resources that name an arXiv id or a DOI, or that
    a title search would look for, are papers; all of a topic's papers cite the topic's
    two hubs (arXiv ids 2399.x), which are the candidates to find under that topic."""
    paths = topic_paths(reading_list)
    entries = {e.key: e for e in reading_list.entries}
    papers: dict[str, Paper] = {}
    for entry in reading_list.entries:
        if entry.url is None:
            continue
        parent = entries.get(entry.parent) if entry.parent else None
        if parent is None or not parent.is_topic:
            continue
        ids = identify_url(entry.url)
        key = f"arxiv:{ids.arxiv}" if ids.arxiv else f"doi:{ids.doi}" if ids.doi else f"title:{entry.title}"
        section = " / ".join(paths[parent.key] + (parent.title,))
        number = sorted({" / ".join(paths[e.key] + (e.title,)) for e in reading_list.entries if e.is_topic}).index(section)
        hubs = [_key(2399, 100 * number + i) for i in range(2)]
        for i, hub in enumerate(hubs):
            papers.setdefault(hub, Paper(hub, f"Synthetic hub paper {number}.{i}", 2001 + i, section, role="hub"))
        papers[key] = Paper(key, entry.title, entry.year or 2015, section, section=section, refs=hubs, role="list")
    return Plan(papers)


class PlantedApi(SyntheticApi):
    """The Graph API's answers for a :class:`Plan`: papers by arXiv id, DOI or title, their
    references and citations as planted. Other ids are unknown."""

    def __init__(self, version: int = 1, field_plan: Plan | None = None) -> None:
        super().__init__(pool=101, unmatched=frozenset())
        self.plan = field_plan or plan(version)
        self.keys = {_pid(k): k for k in self.plan.papers}

    def paper_id(self, key: str) -> str:
        return _pid(key)

    def lookup(self, api_id: str) -> dict[str, Any] | None:
        key = self.key_of(api_id)
        if key is None or key not in self.plan.papers:
            return None
        return self._named(key)

    def match(self, title: str) -> dict[str, Any] | None:
        key = f"title:{title}"
        return {**self._named(key), "matchScore": 87.5} if key in self.plan.papers else None

    def _record(self, pid: str, key: str, *, named: bool) -> dict[str, Any]:
        paper = self.plan.papers[key]
        citers = self.plan.citers_of(key)
        kind, _, value = key.partition(":")
        external: dict[str, Any] = {"ArXiv": value} if kind == "arxiv" else {"DOI": value.upper()} if kind == "doi" else {}
        return {
            "paperId": pid,
            "externalIds": {**external, "CorpusId": int(pid[:7], 16)},
            "corpusId": int(pid[:7], 16),
            "url": f"https://www.semanticscholar.org/paper/{pid}",
            "title": paper.title,
            "venue": "Synthetic Venue",
            "year": paper.year,
            "referenceCount": len(paper.refs),
            "citationCount": len(citers),
            "influentialCitationCount": 0,
            "isOpenAccess": False,
            "openAccessPdf": None,
            "fieldsOfStudy": ["Computer Science"],
            "s2FieldsOfStudy": [{"category": "Computer Science", "source": "s2-fos-model"}],
            "tldr": {"model": "tldr@v2.0.0", "text": f"A synthetic summary of {paper.title}."},
            "publicationTypes": ["JournalArticle"],
            "authors": [{"authorId": str(1_000_000 + int(pid[:5], 16)), "name": f"Synthetic Author {_surname(pid)}"}],
        }

    def edges(self, pid: str, direction: str) -> list[tuple[str, str]]:
        key = self.keys.get(pid)
        if key is None:
            return []
        others = self.plan.citers_of(key) if direction == "citations" else sorted(self.plan.papers[key].refs)
        return [(_pid(k), k) for k in others]

    def paper(self, pid: str, key: str) -> dict[str, Any]:
        return self._record(pid, key, named=True)
