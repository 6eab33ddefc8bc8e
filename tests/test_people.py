"""People the list names: creators in the order written where no source gives a byline,
the source's people where one does (matched by name form, never duplicated), with
provenance "the list, line N"; the list's byline as written stays on the listing.

The works and people here are synthetic, except the byline of "Distilling the Knowledge in
a Neural Network" (arXiv 1503.02531: Geoffrey Hinton, Oriol Vinyals, Jeff Dean).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from graphs import assert_same_graph

from kg.identify.entries import identify_entries
from kg.model.build import build_graph
from kg.model.graph import KnowledgeGraph
from kg.model.identity import match_names
from kg.model.nodes import PersonNode, WorkNode
from kg.model.records import Corpus, Identifiers, Origin, Person, Work
from kg.rdf.read import read_graph
from kg.rdf.write import write_turtle
from kg.read.markdown import parse_reading_list

LIST = """\
# People (a test list)

## Papers
- **Distilling the knowledge in a neural network** (2015), G. Hinton et al. [[pdf]](https://arxiv.org/pdf/1503.02531)
- [Synthetic kernels](https://example.org/files/kernels.pdf) - Ada Synthetic, B. Example and C. Sample, ICML 2019
- [Synthetic flows](https://example.org/files/flows.pdf) - Kipf & Welling, arxiv 2020
- [Synthetic typo](https://example.org/files/typo.pdf) - Dana Nobody, 2021
"""

S2 = Origin(source="semantic-scholar", urls=("https://api.semanticscholar.org/graph/v1/paper/batch",))
BUNDLED = Origin(source="snapshot", urls=("https://example.org/about/distilling",))


def corpus(*works: Work) -> Corpus:
    found = Corpus(reading_list=parse_reading_list(LIST, source="people.md"))
    identify_entries(found)
    found.works.extend(works)
    return found


def work_titled(graph: KnowledgeGraph, listed: str) -> WorkNode:
    return next(w for w in graph.works() if w.listing is not None and w.listing.title == listed)


def byline(graph: KnowledgeGraph, work: WorkNode) -> list[tuple[str, tuple[str, ...]]]:
    """Each author's name and what the graph says it was derived from, in words."""
    people = [graph.node(p) for p in graph.authors(work.iri)]
    return [(p.label, p.provenance.notes) for p in people]


DISTILLING = Identifiers(arxiv="1503.02531")


def s2_distilling() -> Work:
    return Work(
        ids=DISTILLING, title="Distilling the Knowledge in a Neural Network", origins=(S2,),
        authors=(Person("Geoffrey E. Hinton", "1695689"), Person("Oriol Vinyals", "1689108"),
                 Person("J. Dean", "48448318")),
    )  # fmt: skip


def test_name_forms_of_one_person_match() -> None:
    names = ["G. Hinton", "Vinyals, O.", "Dean"]
    assert match_names(names, ["Geoffrey E. Hinton", "Oriol Vinyals", "J. Dean"]) == [0, 1, 2]
    assert match_names(["Hinton, G."], ["Geoffrey Hinton"]) == [0]
    assert match_names(["Kipf", "Welling"], ["Thomas N. Kipf", "M. Welling"]) == [0, 1]
    assert match_names(["Ding-Xuan Zhou"], ["Dingxuan Zhou"]) == [0]
    # Ambiguous or different people match nothing, and no one is matched twice.
    assert match_names(["G. Smith"], ["Gary Smith", "Gina Smith"]) == [None]
    assert match_names(["A. Ng", "A. Ng"], ["Andrew Ng"]) == [0, None]
    assert match_names(["Jane Doe"], ["John Doe"]) == [None]
    assert match_names(["Smith"], ["Gary Smith", "Gina Smith"]) == [None]


def test_offline_the_lists_byline_stands_in_the_order_written() -> None:
    graph = build_graph(corpus())
    kernels = work_titled(graph, "Synthetic kernels")
    line = 5
    assert byline(graph, kernels) == [
        ("Ada Synthetic", (f"the list, line {line}",)),
        ("B. Example", (f"the list, line {line}",)),
        ("C. Sample", (f"the list, line {line}",)),
    ]
    person = graph.node(graph.authors(kernels.iri)[0])
    assert person.provenance.derived_from == (graph.meta.list_iri,)
    assert kernels.listing is not None and kernels.listing.authors == ("Ada Synthetic", "B. Example", "C. Sample")
    assert kernels.listing.venue == "ICML" and not kernels.listing.et_al
    assert kernels.kind == "ConferencePaper" and kernels.venue is None  # the source's venue: none
    distilling = work_titled(graph, "Distilling the knowledge in a neural network")
    assert distilling.listing is not None and distilling.listing.et_al
    assert byline(graph, distilling) == [("G. Hinton", ("the list, line 4",))]


def test_online_the_sources_byline_wins_and_the_lists_names_are_its_people() -> None:
    graph = build_graph(corpus(s2_distilling()))
    distilling = graph.node("https://arxiv.org/abs/1503.02531")
    assert isinstance(distilling, WorkNode) and distilling.listing is not None
    # et al.: the list's byline was partial; the source's full byline is the work's.
    assert byline(graph, distilling) == [
        ("Geoffrey E. Hinton", ("the list, line 4",)), ("Oriol Vinyals", ()), ("J. Dean", ()),
    ]
    assert distilling.listing.authors == ("G. Hinton",) and distilling.listing.et_al
    assert not any(p.label == "G. Hinton" for p in graph.people())  # never duplicated


def test_bundled_facts_the_api_and_the_list_name_one_person_each() -> None:
    bundled = Work(
        ids=DISTILLING, title="Distilling the Knowledge in a Neural Network", origins=(BUNDLED,),
        authors=(Person("Geoffrey Hinton"), Person("O. Vinyals"), Person("Jeff Dean")),
    )
    graph = build_graph(corpus(bundled, s2_distilling()))
    distilling = graph.node("https://arxiv.org/abs/1503.02531")
    people = [graph.node(p) for p in graph.authors(distilling.iri)]
    assert [(p.label, p.s2_author_id) for p in people if isinstance(p, PersonNode)] == [
        ("Geoffrey Hinton", "1695689"), ("O. Vinyals", "1689108"), ("Jeff Dean", "48448318"),
    ]
    assert people[0].provenance.notes == ("the list, line 4",)
    assert sum(1 for p in graph.people() if "Hinton" in p.label) == 1


def test_a_name_the_sources_byline_lacks_stays_in_the_lists_words_only() -> None:
    typo = Identifiers(url="https://example.org/files/typo.pdf")
    source = Work(ids=typo, title="Synthetic typo", origins=(S2,), authors=(Person("Erin Somebody", "77"),))
    graph = build_graph(corpus(source))
    work = work_titled(graph, "Synthetic typo")
    assert byline(graph, work) == [("Erin Somebody", ())]
    assert work.listing is not None and work.listing.authors == ("Dana Nobody",)
    assert not any(p.label == "Dana Nobody" for p in graph.people())


def test_surnames_alone_meet_the_sources_full_names() -> None:
    flows = Identifiers(url="https://example.org/files/flows.pdf")
    source = Work(ids=flows, title="Synthetic flows", origins=(S2,),
                  authors=(Person("Thomas N. Kipf", "11"), Person("Max Welling", "12")))  # fmt: skip
    graph = build_graph(corpus(source))
    work = work_titled(graph, "Synthetic flows")
    assert byline(graph, work) == [("Thomas N. Kipf", ("the list, line 6",)), ("Max Welling", ("the list, line 6",))]
    assert work.listing is not None and work.listing.venue == "arxiv"


def test_a_work_with_only_the_lists_words_is_titled_by_them() -> None:
    graph = build_graph(corpus(s2_distilling()))
    kernels = work_titled(graph, "Synthetic kernels")
    assert (kernels.title, kernels.label) == ("Synthetic kernels", "Synthetic kernels")
    distilling = graph.node("https://arxiv.org/abs/1503.02531")
    assert isinstance(distilling, WorkNode) and distilling.listing is not None
    assert distilling.title == "Distilling the Knowledge in a Neural Network"  # the source's
    assert distilling.listing.title == "Distilling the knowledge in a neural network"  # the list's
    # An item whose only words are "[pdf]" is named by its address, which is no title.
    untitled = build_graph(Corpus(reading_list=parse_reading_list("- [pdf](https://example.org/x/y.pdf)\n")))
    (work,) = untitled.works()
    assert work.title is None and work.label == "example.org/x/y.pdf"


@pytest.mark.parametrize("online", [False, True])
def test_the_lists_people_survive_the_turtle(online: bool, tmp_path: Path) -> None:
    graph = build_graph(corpus(s2_distilling()) if online else corpus())
    path = tmp_path / "people.ttl"
    write_turtle(graph, path)
    assert_same_graph(graph, read_graph(path))
