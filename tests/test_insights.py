"""What kg concludes about a list, on a synthetic field with planted structure
(``tests/planted.py``) served by the local Graph API server: the planted hubs are the top
candidates under their section, the planted misfit is flagged and no correct entry is,
the isolated section is reported, the clusters are recovered (NMI), a second version of
the field shows in ``kg diff``; and on the shipped list offline, the report says what the
data is too thin to tell instead of inventing findings.
"""

from __future__ import annotations

import json
import math
import os
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from planted import CLUSTERS, ISOLATED_SECTION, PlantedApi, list_markdown
from s2server import FakeS2Server, SyntheticApi
from typer.testing import CliRunner

from kg.analysis.insights import InsightSettings, compute_insights
from kg.cli import app
from kg.model.derived import Insights
from kg.model.graph import KnowledgeGraph
from kg.pipeline import PREVIOUS, BuildResult, BuildSettings, build
from kg.rdf.read import read_graph
from kg.sources.http import NetworkPolicy
from kg.sources.semantic_scholar import S2Settings
from kg.sparql.engine import named_query, run_query, solution_rows

FAST = NetworkPolicy(rate=float("inf"), backoff_base=0.01, backoff_cap=0.05, timeout=5)


def planted_build(root: Path, version: int, out: Path) -> BuildResult:
    api = PlantedApi(version)
    path = root / "planted.md"
    path.write_text(list_markdown(api.plan), encoding="utf-8")
    with FakeS2Server(api) as server:
        s2 = S2Settings(mode="online", api_url=server.url, cache_dir=root / f"cache-{version}", network=FAST)
        return build(BuildSettings(list_path=path, out_dir=out, validate=False, html=False, s2=s2))


@pytest.fixture(scope="module")
def field(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = tmp_path_factory.mktemp("planted")
    return planted_build(root, 1, root / "out")


@pytest.fixture(scope="module")
def second(field: BuildResult) -> BuildResult:
    """Version 2 of the field, built into the same directory: the build keeps version 1."""
    root = field.turtle_path.parent.parent
    return planted_build(root, 2, field.turtle_path.parent)


def found(field: BuildResult) -> Insights:
    assert field.graph.insights is not None
    return field.graph.insights


def planted(graph: KnowledgeGraph, role: str) -> dict[str, str]:
    """IRI -> planted cluster of the works of a role, found by their arXiv ids."""
    api = PlantedApi()
    by_arxiv = {p.arxiv: p for p in api.plan.papers.values() if p.role == role}
    return {w.iri: by_arxiv[w.ids.arxiv].cluster for w in graph.works() if w.ids.arxiv in by_arxiv}


def topic_named(graph: KnowledgeGraph, label: str) -> str:
    return next(t.iri for t in graph.topics() if t.label == label and t.scheme == graph.meta.list_iri)


# --- the findings ----------------------------------------------------------------------


def test_the_planted_hubs_are_the_top_candidates_under_their_section(field: BuildResult) -> None:
    graph, insights = field.graph, found(field)
    hubs = planted(graph, "hub")
    assert len(hubs) == 2 * len(CLUSTERS)
    top = insights.candidates[: len(hubs)]
    assert {c.work for c in top} == set(hubs)
    for candidate in top:
        assert candidate.topic == topic_named(graph, hubs[candidate.work])
        assert len(candidate.cited_by) >= 6 and all(graph.node(r).in_list for r in candidate.cited_by)  # type: ignore[attr-defined]
    scores = [c.score for c in insights.candidates]
    assert scores == sorted(scores, reverse=True) and [c.rank for c in insights.candidates] == list(
        range(1, len(scores) + 1)
    )


def test_the_planted_misfit_is_flagged_with_its_topic_and_no_correct_entry_is(field: BuildResult) -> None:
    graph, insights = field.graph, found(field)
    api = PlantedApi()
    misplaced = {p.arxiv for p in api.plan.listed() if p.cluster != p.section}
    flagged = {graph.node(m.resource).ids.arxiv for m in insights.misfiled}  # type: ignore[attr-defined]
    assert flagged == misplaced
    misfit = insights.misfiled[0]
    assert misfit.topic == topic_named(graph, "Attention")
    assert misfit.suggested == topic_named(graph, "Kernels")
    assert misfit.agreement >= 0.6 and len(misfit.neighbours) >= 3


def test_the_isolated_section_and_entry_are_reported_and_unknowns_are_not(field: BuildResult) -> None:
    graph, insights = field.graph, found(field)
    assert insights.disconnected == (topic_named(graph, ISOLATED_SECTION),)
    isolated = [graph.node(r).label for r in insights.isolated]
    assert isolated == ["Synthetic graph message note with no links"]
    # The course no source knows is neither isolated nor anything else: the notes say so.
    listed = sum(1 for w in graph.works() if w.in_list)
    assert any(f"1 of {listed} list resources have no citation data" in n for n in insights.notes)


def nmi(truth: dict[str, str], groups: dict[str, str]) -> float:
    """Normalised mutual information (arithmetic mean) of two labellings of the same items."""
    items = sorted(set(truth) & set(groups))
    n = len(items)
    joint = Counter((truth[i], groups[i]) for i in items)
    a, b = Counter(truth[i] for i in items), Counter(groups[i] for i in items)
    mutual = sum(c / n * math.log(c * n / (a[x] * b[y])) for (x, y), c in joint.items())
    entropy = [-sum(c / n * math.log(c / n) for c in counts.values()) for counts in (a, b)]
    return mutual / (sum(entropy) / 2) if sum(entropy) else 1.0


def test_the_planted_clusters_are_recovered(field: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    graph, insights = field.graph, found(field)
    truth = {}
    for role in ("list", "pool", "hub", "citer"):
        truth.update(planted(graph, role))
    groups = {w: c.id for c in insights.communities for w in c.members}
    score = nmi(truth, groups)
    with capsys.disabled():
        print(f"\nplanted clusters: NMI {score:.3f} over {len(set(truth) & set(groups))} works, "
              f"modularity {insights.modularity}")  # fmt: skip
    assert score >= 0.85
    # Each cluster's community is labelled with the cluster's words and its section.
    for section, words in CLUSTERS.items():
        home = Counter(groups[w] for w, c in truth.items() if c == section and w in groups).most_common(1)[0][0]
        community = next(c for c in insights.communities if c.id == home)
        assert set(words) <= set(community.terms) and community.label.startswith(section), community.label


def test_derivatives_cite_several_resources_newest_first_among_equals(field: BuildResult) -> None:
    graph, insights = field.graph, found(field)
    citers = set(planted(graph, "citer"))
    assert {d.work for d in insights.derivatives} <= citers
    assert len(insights.derivatives) >= 12
    for before, after in zip(insights.derivatives, insights.derivatives[1:]):
        assert before.score >= after.score
        if before.score == after.score:
            assert (graph.node(before.work).year or 0) >= (graph.node(after.work).year or 0)  # type: ignore[attr-defined]
        assert all(graph.node(r).in_list for r in before.cites) and len(before.cites) >= 2  # type: ignore[attr-defined]


# --- stored, read back, recomputed, queried --------------------------------------------


def test_the_turtle_holds_the_insights_and_kg_insights_recomputes_the_same(field: BuildResult) -> None:
    again = read_graph(field.turtle_path)
    assert again.insights == found(field)
    assert compute_insights(again) == found(field)


def test_kg_insights_recomputes_an_edited_file(field: BuildResult, tmp_path: Path) -> None:
    """A file edited with SPARQL holds stale insights; kg insights computes them again."""
    top = found(field).candidates[0]
    store = ox.Store()
    store.load(path=str(field.turtle_path), format=ox.RdfFormat.TURTLE)
    store.update(f"DELETE WHERE {{ ?resource <http://purl.org/spar/cito/cites> <{top.work}> }}")
    edited = tmp_path / "edited.ttl"
    store.dump(str(edited), format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
    assert read_graph(edited).insights is not None  # the stale ones are still there…
    result = CliRunner().invoke(app, ["insights", str(edited), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert top.work not in {c["work"] for c in report["candidates"]}  # …but not in the report


def rows(store: ox.Store, name: str) -> list[list[str]]:
    query = named_query(name)
    assert query is not None, name
    result = run_query(store, query.text, source=name).result
    assert isinstance(result, ox.QuerySolutions)
    return list(solution_rows(result)[1])


@pytest.fixture(scope="module")
def store(field: BuildResult) -> Iterator[ox.Store]:
    loaded = ox.Store()
    loaded.load(path=str(field.turtle_path), format=ox.RdfFormat.TURTLE)
    yield loaded


def test_the_named_queries_answer_each_insight_with_its_evidence(field: BuildResult, store: ox.Store) -> None:
    graph, insights = field.graph, found(field)
    candidates = rows(store, "insight-candidates")
    assert [r[1] for r in candidates] == [c.work for c in insights.candidates]
    first = insights.candidates[0]
    assert int(candidates[0][5]) == len(first.cited_by)
    assert set(candidates[0][6].split(" | ")) == {graph.node(r).label for r in first.cited_by}
    assert [r[1] for r in rows(store, "insight-derivatives")] == [d.work for d in insights.derivatives]
    misfiled = rows(store, "insight-misfiled")
    assert [(r[0], r[2], r[3]) for r in misfiled] == [("https://www.semanticscholar.org/paper/" + graph.node(
        insights.misfiled[0].resource).ids.s2, "Attention", "Kernels")]  # type: ignore[attr-defined]  # fmt: skip
    assert len(misfiled[0][5].split(" | ")) == len(insights.misfiled[0].neighbours)
    communities = rows(store, "insight-communities")
    assert [(r[0], int(r[2])) for r in communities] == [(c.id, len(c.members)) for c in insights.communities]
    gaps = rows(store, "insight-gaps")
    assert [(r[0], r[2]) for r in gaps] == [
        ("disconnected topic", ISOLATED_SECTION), ("isolated resource", "Synthetic graph message note with no links"),
    ]  # fmt: skip
    evidence = rows(store, "insight-evidence")
    behind_first = {(r[3], r[5]) for r in evidence if r[0] == "candidate" and r[5] == first.work}
    assert behind_first == set(first.evidence)
    # A misfiling rests on similarities, which rest on citations: the query follows the chain.
    assert any(r[0] == "misfiling" for r in evidence)


# --- the command ------------------------------------------------------------------------


def test_kg_insights_prints_json_text_and_markdown(field: BuildResult) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["insights", str(field.turtle_path), "--format", "json", "--top", "3"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {"candidates", "derivatives", "misfiled", "communities", "disconnected_topics"} <= set(report)
    assert len(report["candidates"]) == 3
    first = report["candidates"][0]
    assert set(first) >= {"work", "title", "score", "cited_by", "topic"} and first["topic"].startswith("https://")
    assert set(report["derivatives"][0]) >= {"work", "title", "score", "cites"}
    assert set(report["misfiled"][0]) >= {"resource", "topic", "suggested_topic", "evidence"}
    assert set(report["communities"][0]) >= {"id", "label", "members"}
    text = runner.invoke(app, ["insights", str(field.turtle_path)])
    assert text.exit_code == 0 and "Synthetic kernel spectral method filed elsewhere" in text.output
    markdown = runner.invoke(app, ["insights", str(field.turtle_path), "--format", "md"])
    assert markdown.output.startswith("# Insights") and "## Candidates" in markdown.output


def test_kg_insights_names_a_missing_file() -> None:
    result = CliRunner().invoke(app, ["insights", "no-such-file.ttl"])
    assert result.exit_code == 1 and "no-such-file.ttl" in result.output


# --- changes between builds -------------------------------------------------------------


def test_a_second_version_of_the_field_shows_in_the_diff(field: BuildResult, second: BuildResult) -> None:
    assert second.previous == field.turtle_path.parent / PREVIOUS and second.previous.is_file()
    change = second.change
    assert change is not None
    sequels = {w.iri for w in second.graph.works() if w.label.startswith("Synthetic diffusion denoising sequel")}
    assert len(sequels) == 3 and set(change.added_works) == sequels and not change.removed_works
    assert {u for u, _ in change.added_citations} == sequels
    assert change.list_citations == change.added_citations  # they cite list resources
    assert change.summary().startswith("+3 works, +9 citations (9 of list resources)")
    result = CliRunner().invoke(app, ["diff", str(second.previous), str(second.turtle_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data["added_works"]) == sequels and data["removed_works"] == []
    assert sorted(map(tuple, data["added_citations"])) == sorted(change.added_citations)
    text = CliRunner().invoke(app, ["diff", str(second.previous), str(second.turtle_path)])
    assert "Synthetic diffusion denoising sequel 0" in text.output


EDITED = """# A synthetic list (made-up works, example.org addresses)

## Methods
- [A synthetic method](https://example.org/synthetic/method) - A. Author, B. Author (2020)
- [A synthetic survey](https://example.org/synthetic/survey) - C. Author (2019)
"""


def test_an_edited_list_shows_in_the_diff_as_works_described_differently(tmp_path: Path) -> None:
    """A curator fixes a title and a byline and files a work under a new section: the works
    stay the same (same addresses), and the diff says how their description changed."""
    listed = tmp_path / "list.md"
    listed.write_text(EDITED, encoding="utf-8")
    settings = BuildSettings(list_path=listed, out_dir=tmp_path / "out", validate=False, html=False, s2=None)
    build(settings)
    listed.write_text(
        EDITED.replace("A synthetic method]", "A synthetic method, revised]")
        .replace("A. Author, B. Author (2020)", "A. Author, D. Author (2020)")
        .replace("- [A synthetic survey]", "\n## Surveys\n- [A synthetic survey]"),
        encoding="utf-8",
    )
    change = build(settings).change
    assert change is not None and not change.added_works and not change.removed_works
    changed = {iri.rsplit("/", 1)[-1]: fields for iri, fields in change.described_differently}
    assert changed == {"example-org-synthetic-method": ("title", "authors"), "example-org-synthetic-survey": ("topics",)}
    assert [t.rsplit("/", 1)[-1] for t in change.added_topics] == ["surveys"]
    assert change.summary() == "+1 topics, 2 resources described differently"
    result = CliRunner().invoke(app, ["diff", str(tmp_path / "out" / PREVIOUS), str(tmp_path / "out" / "kg.ttl")])
    assert "A synthetic method, revised: title, authors" in result.output


# --- the shipped list, offline -----------------------------------------------------------


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(BuildSettings(out_dir=tmp_path_factory.mktemp("seed"), validate=False, html=False, s2=None))


def test_on_the_shipped_list_offline_the_report_says_what_is_too_thin(seed: BuildResult) -> None:
    insights = found(seed)
    listed = sum(1 for w in seed.graph.works() if w.in_list)
    # Nothing is concluded from absence where the data is silent…
    assert not insights.misfiled and not insights.disconnected and not insights.isolated
    # …no work outside the list is cited by two list resources in the bundled facts…
    assert not insights.candidates and not insights.derivatives
    # …and the notes say why, plainly.
    notes = " ".join(insights.notes)
    assert f"of {listed} list resources have no citation data" in notes
    assert "too few to tell which topics are disconnected" in notes
    assert "No work outside the list is cited by 2 or more list resources" in notes and "--k 1" in notes
    # What the bundled facts do support: the works single resources cite, with the topic
    # of the resource citing them.
    more = compute_insights(seed.graph, InsightSettings(k=1))
    cybenko = next(c for c in more.candidates if seed.graph.node(c.work).label == "Cybenko (1989)")
    assert seed.graph.node(cybenko.topic or "").label == "NN Approximation Theory"


WIDE = """\
# Synthetic wide field (a test list; every id here is made up)

## Papers
- [Deep synthetic networks](https://arxiv.org/abs/2101.00001)
- [Shallow synthetic networks](https://arxiv.org/abs/2101.00002)
- [A synthetic journal article](https://doi.org/10.5555/SYNTH.LIST.3)
- [Synthetic rate reduction](https://arxiv.org/abs/2101.00004)

## Books
- [A synthetic book](https://arxiv.org/abs/2101.00005)
"""


def test_the_same_graph_gives_the_same_insights_in_any_process(tmp_path: Path) -> None:
    """Two processes hash strings differently (sets of strings iterate in another order);
    the report must not care. Only child processes can show it, on a field with enough
    overlap for the clustering's order to matter (a synthetic one, as the server makes it)."""
    path = tmp_path / "wide.md"
    path.write_text(WIDE, encoding="utf-8")
    with FakeS2Server(SyntheticApi(pool=400, big_every=10**9, typical=40)) as server:
        s2 = S2Settings(mode="online", api_url=server.url, cache_dir=tmp_path / "cache", network=FAST)
        wide = build(BuildSettings(list_path=path, out_dir=tmp_path / "out", validate=False, html=False, s2=s2))
    reports = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(Path(__file__).parent.parent)}
        run = subprocess.run(
            [sys.executable, "-m", "kg", "insights", str(wide.turtle_path), "--format", "json"],
            capture_output=True, text=True, env=env, check=False,
        )
        assert run.returncode == 0, run.stderr
        reports.append(run.stdout)
    assert reports[0] == reports[1]
    assert len(json.loads(reports[0])["communities"]) > 2


def test_famous_resources_do_not_make_everyone_else_look_misfiled() -> None:
    """A section of famous resources that every citing work also cites: every other
    resource has them as neighbours, and none of it is evidence of misfiling (the
    binomial test against the share of links such a section draws anyway)."""
    from kg.model.nodes import Broader, Cites, GraphMeta, Listing, Subject, TopicNode, WorkNode

    graph = KnowledgeGraph(GraphMeta(list_iri="L"))
    graph.add(TopicNode(iri="root", label="Synthetic list", scheme="L"))
    for s in range(6):
        graph.add(TopicNode(iri=f"s{s}", label=f"Section {s}", scheme="L"))
        graph.link(f"s{s}", "root", Broader())
    for r in range(30):
        graph.add(WorkNode(iri=f"r{r:02}", label=f"Synthetic resource {r}", listing=Listing(list_iri="L")))
        graph.link(f"r{r:02}", f"s{r // 5}", Subject())
    draw = random.Random(3)
    for c in range(300):  # each citing work cites one famous resource and one other
        graph.add(WorkNode(iri=f"c{c:03}", label=f"Synthetic citer {c}"))
        graph.link(f"c{c:03}", f"r{draw.randrange(5):02}", Cites())
        graph.link(f"c{c:03}", f"r{draw.randrange(5, 30):02}", Cites())
    insights = compute_insights(graph)
    # Every other resource's neighbours are the famous ones, all in section 0…
    neighbours = {r for s in insights.similarities for r in s.ends if r >= "r05"}
    assert len(neighbours) == 25
    # …and none of them is called misfiled for it.
    assert not insights.misfiled
