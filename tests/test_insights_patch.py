"""The round trip to the list: ``kg insights --patch`` writes a unified diff that adds the
candidates under their proposed topics in the list's own habits; ``git apply`` applies it
cleanly; the next build has those works on the list under those topics. Nothing is
written to the list itself.

Every fixture list in a Markdown habit the parser supports is patched (``tests/lists``,
``tests/lists/habits``): its papers are served by the local Graph API server with two
planted hub papers per topic that all the topic's papers cite (``planted.section_plan``,
synthetic), which become the candidates under that topic.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from planted import PlantedApi, section_plan
from s2server import FakeS2Server
from typer.testing import CliRunner

from kg.analysis.insights import InsightSettings
from kg.analysis.patch import list_patch, work_address
from kg.cli import app
from kg.model.nodes import Subject, WorkNode
from kg.model.records import Identifiers
from kg.pipeline import BuildSettings, build
from kg.read.list_style import NewItem, Placement, add_items
from kg.read.markdown import parse_reading_list, read_reading_list
from kg.read.topics import topic_paths
from kg.sources.http import NetworkPolicy
from kg.sources.semantic_scholar import S2Settings

LISTS = Path(__file__).parent / "lists"
HABITS = sorted(p for p in [*LISTS.glob("*.md"), *(LISTS / "habits").glob("*.md")] if p.with_suffix(".json").exists())
FAST = NetworkPolicy(rate=float("inf"), backoff_base=0.01, backoff_cap=0.05, timeout=5)


def git_apply(patch: Path, where: Path, *, check: bool = False) -> subprocess.CompletedProcess[str]:
    command = ["git", "apply", *(["--check"] if check else []), str(patch)]
    return subprocess.run(command, cwd=where, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("fixture", HABITS)
def test_the_patch_adds_candidates_in_the_lists_habit_and_the_rebuild_files_them(fixture: Path, tmp_path: Path) -> None:
    listed = tmp_path / fixture.name
    shutil.copyfile(fixture, listed)
    api = PlantedApi(field_plan=section_plan(read_reading_list(listed)))
    with FakeS2Server(api) as server:
        s2 = S2Settings(mode="online", api_url=server.url, cache_dir=tmp_path / "cache", network=FAST, max_citations=0)
        settings = BuildSettings(list_path=listed, out_dir=tmp_path / "out", validate=False, html=False, s2=s2,
                                 insights=InsightSettings(k=1))  # fmt: skip
        first = build(settings)
    before = listed.read_bytes()
    patch = list_patch(first.graph, listed, top=50, name=fixture.name)
    assert listed.read_bytes() == before  # the list itself is never written
    # The hubs of every topic with a paper the source knows (a topic of code or web pages only has none).
    known = {w.ids.arxiv for w in first.graph.works()}
    hubs = {p.arxiv: p for p in api.plan.by_role("hub") if p.arxiv in known}
    assert hubs and patch.added and not patch.skipped
    assert {first.graph.node(iri).ids.arxiv for iri, _ in patch.added} == set(hubs)  # type: ignore[attr-defined]
    (tmp_path / "add.diff").write_text(patch.diff, encoding="utf-8")
    checked = git_apply(tmp_path / "add.diff", tmp_path, check=True)
    assert checked.returncode == 0, checked.stderr + patch.diff
    assert git_apply(tmp_path / "add.diff", tmp_path).returncode == 0
    # The patched list reads back with each hub as a resource under its topic, titled as written.
    reading_list = read_reading_list(listed)
    paths = topic_paths(reading_list)
    entries = {e.key: e for e in reading_list.entries}
    for iri, where in patch.added:
        work = first.graph.node(iri)
        assert isinstance(work, WorkNode) and work.ids.arxiv is not None
        entry = next(e for e in reading_list.entries if e.url == f"https://arxiv.org/abs/{work.ids.arxiv}")
        parent = entries[entry.parent or ""]
        assert paths[parent.key] + (parent.title,) == where.topic
        assert entry.title == hubs[work.ids.arxiv].title
        assert " / ".join(where.topic) == hubs[work.ids.arxiv].cluster
    # The next build (offline: the list's own words and identifiers) has them under those topics.
    again = build(BuildSettings(list_path=listed, out_dir=tmp_path / "again", validate=False, html=False, s2=None))
    for iri, where in patch.added:
        arxiv = first.graph.node(iri).ids.arxiv  # type: ignore[attr-defined]
        rebuilt = next(w for w in again.graph.works() if w.ids.arxiv == arxiv)
        assert rebuilt.in_list
        topics = [again.graph.node(t).label for t, _ in again.graph.out_edges(rebuilt.iri, Subject)]
        assert where.topic[-1] in topics


def test_kg_insights_writes_the_patch_and_the_online_rebuild_has_the_same_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    fixture = LISTS / "habits" / "link-title-description.md"
    listed = tmp_path / fixture.name
    shutil.copyfile(fixture, listed)
    api = PlantedApi(field_plan=section_plan(read_reading_list(listed)))
    with FakeS2Server(api) as server:
        s2 = S2Settings(mode="online", api_url=server.url, cache_dir=tmp_path / "cache", network=FAST, max_citations=0)
        settings = BuildSettings(list_path=listed, out_dir=tmp_path / "out", validate=False, html=False, s2=s2)
        first = build(settings)
        runner = CliRunner()
        result = runner.invoke(app, [
            "insights", str(first.turtle_path), "--k", "1", "--top", "2", "--patch", str(tmp_path / "add.diff"),
            "--list", fixture.name,
        ])  # fmt: skip
        assert result.exit_code == 0, result.output
        turtle = str(first.turtle_path)
        alone = runner.invoke(app, ["insights", turtle, "--patch", "x.diff"])
        assert alone.exit_code == 2 and "--patch and --list go together" in alone.output
        unknown = runner.invoke(app, ["insights", turtle, "--k", "1", "--patch", "none.diff", "--list", fixture.name,
                                      "--accept", "https://example.org/not-a-candidate"])  # fmt: skip
        assert unknown.exit_code == 1 and not (tmp_path / "none.diff").exists()
        said = " ".join(unknown.stderr.split())
        assert "not added: https://example.org/not-a-candidate: not a candidate of this graph" in said
        assert "nothing to add: no patch written" in said
        (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")
        blocked = runner.invoke(app, ["insights", turtle, "--k", "1", "--top", "2", "--patch", "taken/add.diff",
                                      "--list", fixture.name])  # fmt: skip
        assert blocked.exit_code == 1 and "Traceback" not in blocked.output, (blocked.output, blocked.exception)
        assert blocked.exception is None or isinstance(blocked.exception, SystemExit), repr(blocked.exception)
        (line,) = [x for x in blocked.stderr.splitlines() if x.startswith("error:")]
        assert "taken" in line
        diff = (tmp_path / "add.diff").read_text(encoding="utf-8")
        assert diff.count("\n+- [Synthetic hub") == 2 and f"--- a/{fixture.name}" in diff
        assert git_apply(tmp_path / "add.diff", tmp_path).returncode == 0
        again = build(settings)
    insights = first.graph.insights
    assert insights is not None
    proposed = [c for c in insights.candidates if c.topic][:2]
    for candidate in proposed:
        work = again.graph.node(candidate.work)  # the same IRI: the same work
        assert isinstance(work, WorkNode) and work.in_list
        assert candidate.topic in {t for t, _ in again.graph.out_edges(work.iri, Subject)}


def test_accepted_candidates_are_added_and_unknown_ones_are_named(tmp_path: Path) -> None:
    fixture = LISTS / "habits" / "plain-titles.md"
    listed = tmp_path / fixture.name
    shutil.copyfile(fixture, listed)
    api = PlantedApi(field_plan=section_plan(read_reading_list(listed)))
    with FakeS2Server(api) as server:
        s2 = S2Settings(mode="online", api_url=server.url, cache_dir=tmp_path / "cache", network=FAST, max_citations=0)
        first = build(BuildSettings(list_path=listed, out_dir=tmp_path / "out", validate=False, html=False, s2=s2,
                                    insights=InsightSettings(k=1)))  # fmt: skip
    assert first.graph.insights is not None
    chosen = first.graph.insights.candidates[-1].work
    patch = list_patch(first.graph, listed, accept=[chosen, "https://example.org/not-a-candidate"])
    assert [iri for iri, _ in patch.added] == [chosen]
    assert patch.skipped == (("https://example.org/not-a-candidate", "not a candidate of this graph"),)
    # The curator renamed the sections since the build: nothing lands in a section that is gone.
    renamed = tmp_path / "renamed.md"
    text = listed.read_text(encoding="utf-8")
    renamed.write_text(text.replace("## Papers", "## Generative papers").replace("## Graphs", "## Graph papers"),
                       encoding="utf-8")  # fmt: skip
    moved = list_patch(first.graph, renamed, accept=[chosen])
    assert moved.diff == "" and moved.added == ()
    assert moved.skipped == ((chosen, "its proposed topic is not a section of this list"),)


@pytest.mark.parametrize(
    ("ids", "url", "expected"),
    [
        (Identifiers(arxiv="2006.11239", doi="10.5555/x", s2="a" * 40), None, "https://arxiv.org/abs/2006.11239"),
        (Identifiers(doi="10.1038/nature14539", s2="a" * 40), None, "https://doi.org/10.1038/nature14539"),
        (Identifiers(s2="a" * 40), "https://example.org/p", f"https://www.semanticscholar.org/paper/{'a' * 40}"),
        (Identifiers(), "https://example.org/p", "https://example.org/p"),
        (Identifiers(), "urn:isbn:9780262035613", "https://example.org/work"),
    ],
)
def test_an_added_item_links_the_most_stable_address(ids: Identifiers, url: str | None, expected: str) -> None:
    work = WorkNode(iri="https://example.org/work", label="A work", ids=ids, url=url)
    assert work_address(work) == expected


def test_a_work_with_no_public_address_gets_none() -> None:
    assert work_address(WorkNode(iri="urn:x-local:work", label="A work", url="ftp://example.org/p")) is None


APA_LIST = """# A synthetic reading group (made-up works)

#### Vision

**Convolutions**

Author, A. (2016). A synthetic residual network. CVPR. https://arxiv.org/abs/2101.00001

**Contributions welcome!**
"""


def test_an_added_item_reads_back_with_its_title_or_is_written_plainly() -> None:
    """Added under a paragraph in the list's citation habit; a byline the parser would read
    as the title (a surname of digits) makes the plain form, never an item titled wrong;
    each stays under its bold sub-heading, in a paragraph of its own."""
    fine = NewItem(title="A second synthetic network", url="https://arxiv.org/abs/2101.00002",
                   authors=("Bea Writer",), year=2017, venue="ICCV")  # fmt: skip
    odd = NewItem(title="A third synthetic network", url="https://arxiv.org/abs/2101.00003",
                  authors=("Synthetic Author 1050",), year=2018)  # fmt: skip
    topic = ("A synthetic reading group (made-up works)", "Vision", "Convolutions")
    text, added, skipped = add_items(APA_LIST, [Placement(fine, topic), Placement(odd, topic)])
    assert not skipped and [a.styled for a in added] == [True, False]
    assert "Writer, B. (2017). A second synthetic network. ICCV. https://arxiv.org/abs/2101.00002" in text
    assert "\n\n[A third synthetic network](https://arxiv.org/abs/2101.00003)\n\n" in text
    reading_list = parse_reading_list(text)
    paths = topic_paths(reading_list)
    by_url = {e.url: e for e in reading_list.entries if e.url}
    for item in (fine, odd):
        entry = by_url[item.url]
        assert entry.title == item.title
        parent = next(e for e in reading_list.entries if e.key == entry.parent)
        assert paths[parent.key] + (parent.title,) == topic


def test_a_reference_style_neighbour_gives_a_definition_and_its_note_habit() -> None:
    """The neighbour links by reference and ends its note in parentheses with a stop; the
    new item does the same, and an arXiv id the new work does not have goes, "arXiv:" too."""
    text = (
        "# Synthetic (made-up works)\n\n## Methods\n"
        "- [A synthetic method][m] (a first note.) arXiv:2101.00001\n\n[m]: https://arxiv.org/abs/2101.00001\n"
    )
    item = NewItem(title="Another synthetic method", url="https://example.org/other", note="a second note")
    new, added, skipped = add_items(text, [Placement(item, ("Synthetic (made-up works)", "Methods"))])
    assert not skipped and added[0].styled
    assert new.endswith(
        "- [A synthetic method][m] (a first note.) arXiv:2101.00001\n"
        "- [Another synthetic method][kg-another-synthetic-method] (a second note.)\n\n"
        "[m]: https://arxiv.org/abs/2101.00001\n[kg-another-synthetic-method]: https://example.org/other\n"
    )
