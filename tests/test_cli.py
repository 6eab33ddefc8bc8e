"""The `kg` command as a user meets it: help, exit codes, messages, and the pages it writes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kg.cli import app

LISTS = Path(__file__).parent / "lists"
README = Path(__file__).resolve().parent.parent / "README.md"
COMMANDS = sorted(app.registered_commands and [c.name or c.callback.__name__ for c in app.registered_commands])  # type: ignore[union-attr]
COMMANDS += sorted(
    f"{group.name} {c.name or c.callback.__name__}"  # type: ignore[union-attr]
    for group in app.registered_groups
    for c in group.typer_instance.registered_commands  # type: ignore[union-attr]
)
XSS_HOOK = """
    window.__xss = [];
    for (const name of ["alert", "confirm", "prompt", "print"]) {
        window[name] = (...args) => window.__xss.push(name + ":" + args.join(","));
    }
"""


REPO = Path(__file__).resolve().parent.parent


def kg(*args: str, cwd: Path | None = None, **env_vars: str) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a child process, as a user would (on this checkout's code)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), **env_vars}
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd, check=False,
        timeout=600, env=env,
    )


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_command_has_help(command: str) -> None:
    result = kg(*command.split(), "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout


def test_the_readme_shows_every_command() -> None:
    text = README.read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"kg {command}" in text, command


def test_build_of_a_missing_list_names_it_and_fails(tmp_path: Path) -> None:
    result = kg("build", str(tmp_path / "nope.md"), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "nope.md" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "kg.ttl").exists()


def test_a_list_that_is_not_utf8_gets_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.md"
    bad.write_bytes("# List\n\n- [Caf\xe9](https://example.org/cafe)\n".encode("latin-1"))
    result = kg("build", str(bad), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert re.search(r"latin1\.md: line 3", result.stderr), result.stderr


def test_unknown_option_is_a_usage_error() -> None:
    assert kg("build", "--no-such-option").returncode == 2


def test_validate_reports_violations_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n<https://example.org/p> a foaf:Person .\n",
        encoding="utf-8",
    )
    result = kg("validate", str(bad))
    assert result.returncode == 1
    assert "https://example.org/p" in result.stderr and "foaf" in result.stderr


@pytest.mark.parametrize("command", ["validate", "render"])
def test_a_syntax_error_in_the_data_names_file_and_line(command: str, tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("<a:b> <c:d> <e:f> .\n<a:b> <c:d> \"open .\n", encoding="utf-8")
    result = kg(command, str(bad))
    assert result.returncode == 1
    assert "broken.ttl" in result.stderr and "line 2" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.ttl"]  # nothing written


def test_stats_of_a_missing_file_says_how_to_make_one(tmp_path: Path) -> None:
    result = kg("stats", str(tmp_path / "kg.ttl"))
    assert result.returncode == 1
    assert "kg build" in result.stderr


@pytest.fixture(scope="module")
def seed_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed")
    result = kg("build", "--offline", "--out", str(out), cwd=out)
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stdout
    # Nothing but the outputs: no lib/ folder and nothing in the working directory.
    assert sorted(p.name for p in out.iterdir()) == ["kg.html", "kg.ttl"]
    return out


def test_build_writes_outputs_that_validate_and_count(seed_outputs: Path) -> None:
    assert kg("validate", str(seed_outputs / "kg.ttl")).returncode == 0
    stats = kg("stats", str(seed_outputs / "kg.ttl"))
    assert stats.returncode == 0
    assert re.search(r"foaf:Person\s+│\s+(\d+)", stats.stdout)
    assert int(re.search(r"foaf:Person\s+│\s+(\d+)", stats.stdout).group(1)) >= 25


@pytest.mark.browser
def test_the_default_page_draws_the_graph_offline(offline_browser: Any, seed_outputs: Path) -> None:
    store = ox.Store()
    store.load(path=str(seed_outputs / "kg.ttl"), format=ox.RdfFormat.TURTLE)
    listed = {s["r"].value for s in store.query(
        "SELECT ?r WHERE { ?r <https://w3id.org/kg/ontology#listedIn> ?l }")}
    page_path = seed_outputs / "kg.html"
    with offline_browser.open(page_path, ready="window.kgReady === true") as visit:
        page = visit.page
        drawn = page.evaluate("kg.visibleNodes()")
        assert page.evaluate("kg.engine") == "vis"  # 153 nodes: vis-network draws them
        # Every list resource is on the map, as well as its people and topics.
        for iri in sorted(listed):
            assert page.evaluate("iri => window.kg.idOf(iri)", iri) is not None, iri
        assert drawn >= len(listed) + 25 + 12
    assert visit.problems() == []
    assert visit.requests == [page_path.resolve().as_uri()]


@pytest.mark.parametrize("name", sorted(p.name for p in LISTS.glob("*.md")))
def test_lists_in_other_habits_build_and_conform(name: str, tmp_path: Path) -> None:
    result = kg("build", str(LISTS / name), "--out", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    store = ox.Store()
    store.load(path=str(tmp_path / "kg.ttl"), format=ox.RdfFormat.TURTLE)
    resources = list(store.query("SELECT ?r ?u WHERE { ?r <https://w3id.org/kg/ontology#listedIn> ?l ; <https://schema.org/url> ?u }"))
    assert resources, name
    assert all(r["u"].value.startswith(("http://", "https://")) for r in resources)


@pytest.mark.browser
def test_a_hostile_list_executes_nothing(offline_browser: Any, tmp_path: Path) -> None:
    result = kg("build", str(LISTS / "hostile.md"), "--out", str(tmp_path), "--engine", "canvas")
    assert result.returncode == 0, result.stderr
    assert "drawn by canvas" in result.stdout
    # The same graph on the engine a graph this small gets by default.
    result = kg("render", str(tmp_path / "kg.ttl"), "--out", str(tmp_path / "vis.html"))
    assert result.returncode == 0, result.stderr
    assert "drawn by vis-network" in result.stdout
    for name, engine in (("kg.html", "canvas"), ("vis.html", "vis")):
        html = (tmp_path / name).read_text(encoding="utf-8")
        assert "javascript:alert" not in html.split("<script", 1)[0]
        with offline_browser.open(tmp_path / name, init_script=XSS_HOOK, ready="window.kgReady === true") as visit:
            page = visit.page
            assert page.evaluate("kg.engine") == engine
            anchors: list[str] = []
            for index in range(page.evaluate("kg.nodeCount")):
                page.evaluate("i => window.kg.showNode(i)", index)
                anchors += page.locator("#kg-panel a").evaluate_all("as => as.map(a => a.href)")
                assert page.locator("#kg-panel img, #kg-panel svg, #kg-panel script").count() == 0
            page.wait_for_timeout(200)
            fired = page.evaluate("window.__xss")
        assert fired == [], engine
        assert all(a.startswith(("http://", "https://")) for a in anchors), engine
        assert visit.problems() == [], engine
    iris = {
        term.value
        for triple in ox.parse(path=str(tmp_path / "kg.ttl"), format=ox.RdfFormat.TURTLE)
        for term in (triple.subject, triple.object)
        if isinstance(term, ox.NamedNode)
    }
    assert not [iri for iri in iris if not iri.startswith(("http://", "https://", "urn:"))]


# --- Semantic Scholar, as a user runs it (a local server speaking the API) --------------

ONLINE_API = dict(citation_counts={"arxiv:2012.10931": 2600}, big_every=10**9, typical=150, pool=3000)


def kg_popen(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "kg", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=env,
    )


def citing_iris(store: ox.Store, cited: str) -> set[str]:
    return {s["a"].value for s in store.query(f"SELECT ?a WHERE {{ ?a <http://purl.org/spar/cito/cites> <{cited}> }}")}  # type: ignore[index, union-attr]


def test_an_online_build_through_faults_then_a_warm_one_that_asks_nothing(tmp_path: Path) -> None:
    from s2server import FakeS2Server, Faults, SyntheticApi

    faults = Faults(rate_429=0.15, rate_5xx=0.05, rate_slow=0.1, slow_seconds=0.1, truncate=frozenset({3}), seed=5)
    api = SyntheticApi(**ONLINE_API)  # type: ignore[arg-type]
    with FakeS2Server(api, faults) as server:
        args = ("build", "--online", "--api-url", server.url, "--cache", str(tmp_path / "cache"),
                "--max-citations", "3000", "--rate", "1000", "--no-validate")
        cold = kg(*args, "--out", str(tmp_path / "cold"))
        assert cold.returncode == 0, cold.stderr
        asked = len(server.seen)
        statuses = [s.status for s in server.seen]
        assert 429 in statuses and {500, 502, 503} & set(statuses) and server.cut
        warm = kg(*args, "--out", str(tmp_path / "warm"))
        assert warm.returncode == 0, warm.stderr
        assert len(server.seen) == asked  # the warm rebuild made no request
    retried = sum(1 for s in server.seen if s.status in (429, 500, 502, 503) or s.number in server.cut)
    assert f"{asked} requests made ({retried} of them retries)" in cold.stdout
    assert "0 requests made" in warm.stdout
    assert (tmp_path / "warm" / "kg.ttl").read_bytes() == (tmp_path / "cold" / "kg.ttl").read_bytes()
    store = ox.Store()
    store.load(path=str(tmp_path / "cold" / "kg.ttl"), format=ox.RdfFormat.TURTLE)
    # Every citing paper of every page is in the graph, citing its list paper.
    listed = [pid for pid, key in api.named.items() if not key.startswith("title:")]
    assert len(listed) >= 10
    for pid in listed:
        served = {f"https://www.semanticscholar.org/paper/{p}" for p, _ in api.edges(pid, "citations")}
        assert served <= citing_iris(store, f"https://www.semanticscholar.org/paper/{pid}"), pid
    big = next(p for p, k in api.named.items() if k == "arxiv:2012.10931")
    assert len(api.edges(big, "citations")) > 2600 - 1
    # … and the list papers cite one another.
    between = store.query("""SELECT (COUNT(*) AS ?n) WHERE {
        ?a <http://purl.org/spar/cito/cites> ?b . ?a <https://w3id.org/kg/ontology#listedIn> ?l .
        ?b <https://w3id.org/kg/ontology#listedIn> ?l }""")
    assert int(next(iter(between))["n"].value) >= 3  # type: ignore[index, union-attr, arg-type]


@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGINT"])
def test_a_run_killed_midway_resumes_without_asking_again(tmp_path: Path, signal_name: str) -> None:
    import signal

    from s2server import FakeS2Server, SyntheticApi

    api = SyntheticApi(**ONLINE_API)  # type: ignore[arg-type]
    args = ("build", "--online", "--cache", str(tmp_path / "cache"), "--out", str(tmp_path / "out"),
            "--rate", "1000", "--no-validate")
    with FakeS2Server(api, hold_at=12) as server:
        child = kg_popen(*args, "--api-url", server.url)
        assert server.held.wait(60), "the build never reached its 12th request"
        child.send_signal(getattr(signal, signal_name))
        _, stderr = child.communicate(timeout=60)
        server.release.set()
        before = {s.request for s in server.seen if s.number < 12}
        assert len(before) == 11
    if signal_name == "SIGINT":
        assert child.returncode == 130 and "interrupted" in stderr
    else:
        assert child.returncode == -signal.SIGKILL
    with FakeS2Server(api) as server:
        again = kg(*args, "--api-url", server.url)
        assert again.returncode == 0, again.stderr
        repeated = before & {s.request for s in server.seen}
    assert not repeated  # only the one in flight (the 12th) is asked again
    assert server.seen and (tmp_path / "out" / "kg.ttl").is_file()


def test_by_default_an_unreachable_api_means_offline_with_one_warning(tmp_path: Path) -> None:
    import time

    started = time.monotonic()
    result = kg("build", str(LISTS / "awesome-bullets.md"), "--out", str(tmp_path), "--no-validate")
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 20
    warnings = [line for line in result.stderr.splitlines() if "warning" in line.lower()]
    assert len(warnings) == 1 and "cannot be reached" in warnings[0] and "offline" in warnings[0]
    assert "offline: cache and bundled facts only" in result.stdout


@pytest.mark.parametrize("args", [
    ("--online", "--offline"), ("--offline", "--refresh"), ("--max-age", "soon"), ("--max-citations", "-1"),
    ("--api-url", "ftp://example.org"),
])
def test_contradictory_or_bad_fetch_options_are_usage_errors(args: tuple[str, ...], tmp_path: Path) -> None:
    result = kg("build", *args, "--out", str(tmp_path))
    assert result.returncode == 2, result.stdout + result.stderr
    assert not (tmp_path / "kg.ttl").exists()


def test_a_refused_key_is_one_clear_line_and_exit_1(tmp_path: Path) -> None:
    from s2server import FakeS2Server

    with FakeS2Server(api_key="the-right-key") as server:
        result = kg("build", str(LISTS / "awesome-bullets.md"), "--online", "--api-url", server.url,
                    "--cache", str(tmp_path / "cache"), "--out", str(tmp_path / "out"), S2_API_KEY="a-stale-key")
    assert result.returncode == 1
    assert "refused the API key" in result.stderr and "S2_API_KEY" in result.stderr
    assert "a-stale-key" not in result.stderr + result.stdout and "Traceback" not in result.stderr
    assert [s.api_key for s in server.seen] == ["a-stale-key"]
    assert not (tmp_path / "out" / "kg.ttl").exists()


@pytest.mark.browser
def test_render_draws_the_turtle_of_a_build_as_build_does(
    offline_browser: Any, seed_outputs: Path, tmp_path: Path
) -> None:
    page_path = tmp_path / "map.html"
    # On the canvas engine: the same graph as build's vis-network page, the same interface.
    result = kg("render", str(seed_outputs / "kg.ttl"), "--out", str(page_path), "--engine", "canvas")
    assert result.returncode == 0, result.stderr
    assert "27 resources, 29 topics" in result.stdout and "works offline" in result.stdout
    counts = "[kg.nodeCount, kg.edgeCount, kg.visibleEdges(), document.title]"
    with offline_browser.open(seed_outputs / "kg.html", ready="window.kgReady === true") as built:
        expected = built.page.evaluate(counts)
        assert built.page.evaluate("kg.engine") == "vis"
    with offline_browser.open(page_path, ready="window.kgReady === true") as visit:
        page = visit.page
        assert page.evaluate("kg.engine") == "canvas"
        assert page.evaluate(counts) == expected
        page.fill("#kg-search", "Depth Separation")
        page.press("#kg-search", "Enter")
        assert page.locator("#kg-panel h2").text_content() == "Depth Separation for Neural Networks"
        assert page.locator("#kg-panel .kg-note").get_attribute("lang") == "zh"
    assert visit.problems() == []
    assert visit.requests == [page_path.resolve().as_uri()]


def test_render_writes_next_to_the_data_by_default_and_reduces_on_request(
    seed_outputs: Path, tmp_path: Path
) -> None:
    data = tmp_path / "field.ttl"
    data.write_bytes((seed_outputs / "kg.ttl").read_bytes())
    result = kg("render", str(data), "--max-nodes", "60", "--title", "A <small> map")
    assert result.returncode == 0, result.stderr
    assert "the map shows" in result.stdout and "of 153 nodes" in result.stdout
    html = (tmp_path / "field.html").read_text(encoding="utf-8")
    assert "<title>A &lt;small&gt; map</title>" in html
    assert 'id="kg-notice"' in html


def test_render_of_a_file_that_is_not_a_graph_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n", encoding="utf-8")
    result = kg("render", str(empty))
    assert result.returncode == 1
    assert "empty.ttl" in result.stderr and "no works, people or topics" in result.stderr
    assert not (tmp_path / "empty.html").exists()
    assert kg("render", str(tmp_path / "missing.ttl")).returncode == 1
    assert kg("render", str(empty), "--max-nodes", "0").returncode == 2
    assert kg("render", str(empty), "--engine", "pyvis").returncode == 2
