"""kg lint: one fixture list per finding (tests/lists/lint/), a clean list that yields none,
the cache of an earlier build joining a preprint to its published version, and the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from s2server import FakeS2Server, SyntheticApi
from typer.testing import CliRunner

from kg.cli import app
from kg.identify.entries import identify_entries
from kg.lint import RULES, lint_reading_list, lint_text
from kg.model.records import Corpus
from kg.read.markdown import read_reading_list
from kg.resources import DEFAULT_LIST
from kg.sources.http import NetworkPolicy
from kg.sources.semantic_scholar import S2Settings, SemanticScholarSource

LINT = Path(__file__).resolve().parent / "lists" / "lint"
README = Path(__file__).resolve().parent.parent / "README.md"


def line_of(path: Path, needle: str) -> int:
    hits = [n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line]
    assert len(hits) == 1, f"{needle!r} is on lines {hits}"
    return hits[0]


# fixture -> the findings it must give, as (rule, a piece of text on the finding's line)
EXPECTED: dict[str, list[tuple[str, str]]] = {
    "clean.md": [],
    "duplicate-arxiv.md": [("duplicate", "1901.00596.pdf"), ("duplicate", "1901.00596v4")],
    "duplicate-published.md": [("duplicate", "10.1016/j.acha.2019.06.004")],
    "no-topic.md": [("no-topic", "outside every section")],
    "not-a-resource.md": [
        ("not-a-resource", "#models"), ("not-a-resource", "./notes/paper.md"),
        ("not-a-resource", "![Attention"), ("not-a-resource", "figure.png"),
    ],
    "malformed-links.md": [
        ("malformed-link", "space-before"), ("malformed-link", "a file.pdf"),
        ("malformed-link", "99999"), ("malformed-link", "localhostx"),
    ],
    "http-and-tracking.md": [("http", "http://arxiv.org"), ("tracking", "si="), ("tracking", "utm_source")],
    "empty-section.md": [("empty-section", "## Books")],
    "mixed-bullets.md": [("mixed-bullets", "three")],
    "missing-year.md": [("missing-year", "three")],
    "untitled.md": [("untitled", "[pdf]")],
}  # fmt: skip


def test_every_lint_fixture_is_checked_and_every_rule_has_one() -> None:
    assert sorted(p.name for p in LINT.glob("*.md")) == sorted(EXPECTED)
    assert {rule for found in EXPECTED.values() for rule, _ in found} == set(RULES)
    for path in LINT.glob("*.md"):
        assert "test fixture for kg lint" in path.read_text("utf-8").splitlines()[0].lower()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_fixture_gives_exactly_its_findings(name: str) -> None:
    path = LINT / name
    report = lint_reading_list(path, use_cache=False)
    got = [(f.line, f.rule) for f in report.findings]
    wanted = sorted((line_of(path, needle), rule) for rule, needle in EXPECTED[name])
    assert got == wanted, [f.message for f in report.findings]
    for finding in report.findings:
        assert finding.message and finding.fix and finding.severity == RULES[finding.rule][0]
    assert report.failed() == any(RULES[rule][0] == "error" for rule, _ in EXPECTED[name])


def test_suggested_fixes_say_what_to_write() -> None:
    report = lint_reading_list(LINT / "http-and-tracking.md", use_cache=False)
    fixes = {f.rule + ":" + str(f.line): f.fix for f in report.findings}
    assert "use https://arxiv.org/abs/1706.03762" in fixes.values()
    assert "use https://www.youtube.com/watch?v=synthetic01" in fixes.values()
    assert "use https://example.org/post?id=7" in fixes.values()
    published = lint_reading_list(LINT / "duplicate-published.md", use_cache=False).findings[0]
    assert "bundled facts" in published.message and "line 6" in published.message


def test_the_seed_list_has_no_errors() -> None:
    report = lint_reading_list(DEFAULT_LIST, use_cache=False)
    assert report.errors == 0 and report.resources == 27
    assert {f.rule for f in report.findings} <= {"missing-year"}


def test_a_table_of_contents_and_badges_are_no_findings() -> None:
    report = lint_text(
        "# L\n[![b](https://img.shields.io/x.svg)](https://ci.example/x)\n\n## Contents\n- [A](#a)\n\n"
        "## A\n- [A work](https://a.example/w)\n",
        use_cache=False,
    )
    assert report.findings == ()


def test_the_cache_of_an_earlier_build_joins_a_preprint_and_its_journal_version(tmp_path: Path) -> None:
    """SYNTHETIC: the local server's papers are made up; one of them has two identifiers."""
    path = tmp_path / "list.md"
    path.write_text(
        "# Synthetic\n\n## Preprints\n\n- [A synthetic preprint](https://arxiv.org/abs/2101.00002)\n\n"
        "## Journal\n\n- [The same, published](https://doi.org/10.5555/SYNTH.PUB.2)\n",
        encoding="utf-8",
    )
    api = SyntheticApi(pool=200, typical=4, published={"arxiv:2101.00002": "10.5555/synth.pub.2"})
    with FakeS2Server(api) as server:
        settings = S2Settings(
            mode="online", api_url=server.url, cache_dir=tmp_path / "cache", max_citations=10,
            network=NetworkPolicy(rate=float("inf"), backoff_base=0.01, timeout=5),
        )  # fmt: skip
        corpus = Corpus(reading_list=read_reading_list(path))
        identify_entries(corpus)
        SemanticScholarSource(settings).enrich(corpus)
    assert lint_reading_list(path, use_cache=False).findings == ()  # two different identifiers
    report = lint_reading_list(path, cache_dir=tmp_path / "cache")
    assert [(f.line, f.rule) for f in report.findings] == [(line_of(path, "SYNTH.PUB.2"), "duplicate")]
    assert "response cache" in report.findings[0].message
    assert lint_reading_list(path, cache_dir=tmp_path / "empty").findings == ()  # no cache there


# ---------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------

runner = CliRunner()


def test_kg_lint_prints_file_line_and_fix_and_fails_on_errors() -> None:
    path = LINT / "duplicate-arxiv.md"
    result = runner.invoke(app, ["lint", str(path), "--no-cache"])
    assert result.exit_code == 1, result.output
    assert f"{path}:{line_of(path, '1901.00596.pdf')}: error:" in result.output
    assert "fix: keep one of the two entries" in result.output
    assert "2 error(s), 0 warning(s)" in result.output


def test_kg_lint_json_for_ci_and_strict_warnings() -> None:
    path = LINT / "untitled.md"
    result = runner.invoke(app, ["lint", str(path), "--format", "json", "--no-cache"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["errors"], data["warnings"], data["file"]) == (0, 1, str(path))
    assert data["findings"][0] | {"fix": ""} == {
        "file": str(path), "line": line_of(path, "[pdf]"), "rule": "untitled", "severity": "warning",
        "message": "the entry has no title but its link text, so kg calls it 'example.org/untitled.pdf'",
        "fix": "",
    }  # fmt: skip
    assert runner.invoke(app, ["lint", str(path), "--strict", "--no-cache"]).exit_code == 1
    assert runner.invoke(app, ["lint", str(LINT / "clean.md"), "--strict", "--no-cache"]).exit_code == 0


def test_kg_lint_of_a_missing_file_names_it() -> None:
    result = runner.invoke(app, ["lint", "nope.md"])
    assert result.exit_code == 1 and "nope.md" in result.output


def test_the_readme_shows_kg_lint() -> None:
    text = README.read_text("utf-8")
    assert "kg lint" in text
    for rule in RULES:
        assert f"`{rule}`" in text, rule
