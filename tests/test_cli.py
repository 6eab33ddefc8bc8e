"""The `kg` command as a user meets it: help, exit codes, messages, and the pages it writes.

Commands run in this process (``cli_runs.kg``); a child process only where the process is
what is checked: ``python -m kg``'s exit status, and a build killed midway.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
import pytest
from cli_runs import kg, kg_popen, kg_process
from graphs import payload_of

from kg import __version__
from kg.cli import app

if TYPE_CHECKING:
    from kg.pipeline import BuildResult

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


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_command_has_help(command: str) -> None:
    result = kg(*command.split(), "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout


def test_the_readme_shows_every_command() -> None:
    text = README.read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"kg {command}" in text, command


def test_python_m_kg_exits_with_the_status_of_the_command(tmp_path: Path) -> None:
    """The real entry point, in a child process: 0 on success, 2 for a usage error, 1 for
    an error kg explains (the rest of the suite runs the commands in this process)."""
    version = kg_process("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"kg {__version__}"
    assert kg_process("build", "--no-such-option").returncode == 2
    missing = kg_process("stats", str(tmp_path / "kg.ttl"))
    assert missing.returncode == 1
    assert "kg build" in missing.stderr and "Traceback" not in missing.stderr


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
    for command in ("stats", "validate"):
        result = kg(command, str(tmp_path / "kg.ttl"))
        assert result.returncode == 1, command
        assert "kg build" in result.stderr, command


def test_query_answers_ask_and_construct_in_the_table_format() -> None:
    field = str(Path(__file__).parent / "data" / "small-field.ttl")
    asked = kg("query", "ASK { ?s a <http://xmlns.com/foaf/0.1/Person> }", "--data", field)
    assert asked.returncode == 0 and asked.stdout.strip() == "true"
    built = kg("query", "CONSTRUCT { ?p a <http://xmlns.com/foaf/0.1/Agent> } "
               "WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> }", "--data", field)
    assert built.returncode == 0
    agents = list(ox.parse(built.stdout.encode(), format=ox.RdfFormat.TURTLE))  # Turtle, as a table cannot hold it
    assert len(agents) == 3 and {t.object.value for t in agents} == {"http://xmlns.com/foaf/0.1/Agent"}
    nothing = kg("query", "--data", field)
    assert nothing.returncode == 2 and "kg query --list" in nothing.stderr


@pytest.fixture()
def seed_outputs(seed_build: BuildResult) -> Path:
    """The directory of the session's seed build (kg.ttl, kg.html): read it only."""
    return seed_build.turtle_path.parent


def test_build_writes_outputs_that_validate_and_count(seed_outputs: Path) -> None:
    # Nothing but the outputs: no lib/ folder and nothing in the working directory.
    assert sorted(p.name for p in seed_outputs.iterdir()) == ["kg.html", "kg.ttl"]
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
            visit.frames(5)  # let any late onerror/onload fire
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
SMALL_API = dict(big_every=10**9, typical=20, pool=500)
"""Enough requests to stop a build midway, little to build afterwards."""


@pytest.fixture()
def brief_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries wait a hundredth of the policy's backoff. tests/test_http.py checks the
    waits themselves against a fake clock; here they would only cost seconds."""
    from kg.sources.http import NetworkPolicy

    from_env = NetworkPolicy.from_env

    def brief(**settings: Any) -> NetworkPolicy:
        policy = from_env(**settings)
        return replace(policy, backoff_base=policy.backoff_base / 100)

    monkeypatch.setattr(NetworkPolicy, "from_env", brief)


def citing_iris(store: ox.Store, cited: str) -> set[str]:
    return {s["a"].value for s in store.query(f"SELECT ?a WHERE {{ ?a <http://purl.org/spar/cito/cites> <{cited}> }}")}  # type: ignore[index, union-attr]


@pytest.mark.slow
@pytest.mark.usefixtures("brief_backoff")
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
    (between,) = store.query("""SELECT (COUNT(*) AS ?n) WHERE {
        ?a <http://purl.org/spar/cito/cites> ?b . ?a <https://w3id.org/kg/ontology#listedIn> ?l .
        ?b <https://w3id.org/kg/ontology#listedIn> ?l }""")
    assert int(between["n"].value) >= 3  # type: ignore[index, union-attr, arg-type]


def wait_until_asleep(pid: int) -> None:
    """Return once the process sleeps in the kernel (waiting for the held answer).

    A signal that lands between Python's last check and the blocking read is only
    noticed when the read returns, after the client's 30 s timeout: Ctrl-C is meant
    to stop the wait itself.
    """
    deadline = time.monotonic() + 30
    while Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "S":
        assert time.monotonic() < deadline, "the build never settled into waiting"
        time.sleep(0.005)


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGINT"])
def test_a_run_killed_midway_resumes_without_asking_again(tmp_path: Path, signal_name: str) -> None:
    import signal

    from s2server import FakeS2Server, SyntheticApi

    api = SyntheticApi(**SMALL_API)  # type: ignore[arg-type]
    args = ("build", "--online", "--cache", str(tmp_path / "cache"), "--out", str(tmp_path / "out"),
            "--rate", "1000", "--no-validate")
    with FakeS2Server(api, hold_at=12) as server:
        child = kg_popen(*args, "--api-url", server.url)
        assert server.held.wait(60), "the build never reached its 12th request"
        wait_until_asleep(child.pid)
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


def map_counts(page_path: Path) -> tuple[int, int, str]:
    """Nodes, edges and title of the map a page carries (read from its data, no browser)."""
    payload = payload_of(page_path.read_text(encoding="utf-8"))
    title = re.search(r"<title>(.*?)</title>", page_path.read_text(encoding="utf-8"))
    assert title is not None
    return len(payload["nodes"]["label"]), len(payload["edges"]) // 3, unescape(title.group(1))


@pytest.mark.browser
def test_render_draws_the_turtle_of_a_build_as_build_does(
    offline_browser: Any, seed_outputs: Path, tmp_path: Path
) -> None:
    page_path = tmp_path / "map.html"
    # On the canvas engine: the same graph as build's vis-network page, the same interface.
    result = kg("render", str(seed_outputs / "kg.ttl"), "--out", str(page_path), "--engine", "canvas")
    assert result.returncode == 0, result.stderr
    assert "27 resources, 29 topics" in result.stdout and "works offline" in result.stdout
    assert payload_of((seed_outputs / "kg.html").read_text(encoding="utf-8"))["engine"] == "vis"
    nodes, edges, title = map_counts(seed_outputs / "kg.html")
    assert map_counts(page_path) == (nodes, edges, title)
    with offline_browser.open(page_path, ready="window.kgReady === true") as visit:
        page = visit.page
        assert page.evaluate("kg.engine") == "canvas"
        # Everything drawn at first, as on build's page.
        assert page.evaluate("[kg.nodeCount, kg.edgeCount, kg.visibleEdges(), document.title]") == [
            nodes, edges, edges, title
        ]
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


def test_build_reduces_its_map_on_request_as_render_does(tmp_path: Path) -> None:
    # From a directory without ontology/extensions: no extensions, and outputs/ by default.
    result = kg("build", "--no-validate", "--max-nodes", "60", "--max-edges", "100", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "extensions added" not in result.stdout
    # The advice names options build has.
    assert re.search(r"the map shows \d+ of 153 nodes and \d+ of [\d,]+ edges", result.stdout), result.stdout
    assert "raise --max-nodes/--max-edges to see more" in result.stdout
    assert 'id="kg-notice"' in (tmp_path / "outputs" / "kg.html").read_text(encoding="utf-8")


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
