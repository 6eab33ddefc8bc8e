"""One clear line instead of a traceback, and outputs that never end up half-replaced
(issue 12, items 10, 11, 12 and 14).

- Outputs that cannot be written (a file where a directory must be, a read-only
  directory, a full disk, a directory named ``kg.html``) are one line naming the path and
  what to do. Being root, the suite cannot make a directory read-only for itself, and no
  disk fills on demand: those two are simulated at the system call kg makes (``mkstemp``
  raising EACCES, ``fsync`` raising ENOSPC), below kg's own code.
- ``kg.ttl`` and ``kg.html`` are replaced as a pair, or not at all; a build whose graph
  fails its own shapes writes beside them (``invalid/``) and says so.
- Options that cannot be used are usage errors naming the option.

Every list and graph here is synthetic (example.org addresses, made-up titles).
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_runs import Ran, kg

from kg import files
from kg.errors import OutputError
from kg.model.graph import KnowledgeGraph
from kg.model.nodes import WorkNode
from kg.pipeline import INVALID, PREVIOUS
from kg.rdf.write import write_turtle

LIST = """\
# A synthetic list

## Things

- [A synthetic page](https://example.org/one) - the first
- [Another synthetic page](https://example.org/two)
- [A synthetic preprint](https://arxiv.org/abs/2101.00001)
"""
TURTLE = (
    '<https://example.org/w> <http://purl.org/dc/terms/title> "A synthetic work" ;\n'
    '    <http://purl.org/dc/terms/creator> "A. Synthetic Author" .\n'
)


def one_line_error(ran: Ran) -> str:
    """The error of a run that failed cleanly (exit 1, one line, no traceback), unwrapped."""
    assert ran.returncode == 1, ran
    assert "Traceback" not in ran.stderr, ran.stderr
    said = [line for line in ran.stderr.splitlines() if line.strip()]
    assert len(said) == 1 and said[0].startswith("error: "), ran.stderr
    return " ".join(ran.stderr.split())


def usage_error(ran: Ran) -> str:
    """The message of a usage error (exit 2, typer's box), unwrapped."""
    assert ran.returncode == 2, ran
    assert "Traceback" not in ran.stderr, ran.stderr
    return " ".join(ran.stderr.replace("│", " ").split())


@pytest.fixture
def reading_list(tmp_path: Path) -> Path:
    path = tmp_path / "list.md"
    path.write_text(LIST, encoding="utf-8")
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "data.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    return path


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` (hidden temporaries too) with its bytes."""
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


# --- outputs that cannot be written ----------------------------------------------------

# Each command that writes, as arguments around the path it writes to (OUT).
WRITERS: dict[str, Callable[[Path, Path, Path], tuple[str, ...]]] = {
    "build": lambda lst, data, out: ("build", str(lst), "--offline", "--no-validate", "--out", str(out)),
    "render": lambda lst, data, out: ("render", str(data), "--out", str(out / "map.html")),
    "query --write-to": lambda lst, data, out: (
        "query", "INSERT DATA { <https://example.org/w> <https://example.org/p> 1 }", "--allow-update",
        "--data", str(data), "--write-to", str(out / "edited.ttl"),
    ),
    "export": lambda lst, data, out: ("export", str(data), "--format", "ris", "--out", str(out / "refs.ris")),
    "add": lambda lst, data, out: (
        "add", "topic", "A synthetic topic", "--list", str(lst), "--extensions", str(out),
    ),
}  # fmt: skip


@pytest.mark.parametrize("command", sorted(WRITERS))
@pytest.mark.parametrize("where", ["a file", "under a file"])
def test_an_output_where_a_file_stands_is_one_line(
    command: str, where: str, reading_list: Path, data: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("a file the user keeps\n", encoding="utf-8")
    out = blocker if where == "a file" else blocker / "sub"
    before = snapshot(tmp_path)
    message = one_line_error(kg(*WRITERS[command](reading_list, data, out)))
    assert f"{blocker} is a file, not a directory" in message or f"{blocker}: it is a file" in message
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_a_read_only_output_directory_is_one_line(
    command: str, reading_list: Path, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "read-only"
    out.mkdir()
    make = tempfile.mkstemp

    def refuse(*args: Any, **kwargs: Any) -> tuple[int, str]:
        if Path(kwargs.get("dir") or ".").resolve().is_relative_to(out):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return make(*args, **kwargs)

    monkeypatch.setattr(files.tempfile, "mkstemp", refuse)
    message = one_line_error(kg(*WRITERS[command](reading_list, data, out)))
    assert f"cannot write {out}" in message and "permission denied: write somewhere you may write" in message
    assert list(out.iterdir()) == []


def fail_fsync(monkeypatch: pytest.MonkeyPatch, when: Callable[[str], bool]) -> None:
    """``os.fsync`` of a file whose path satisfies ``when`` fails as on a full disk."""
    sync = os.fsync

    def fsync(fd: int) -> None:
        if when(os.readlink(f"/proc/self/fd/{fd}")):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        sync(fd)

    monkeypatch.setattr(files.os, "fsync", fsync)


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_a_full_disk_is_one_line_and_leaves_nothing_behind(
    command: str, reading_list: Path, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    fail_fsync(monkeypatch, lambda path: path.startswith(str(out)))
    message = one_line_error(kg(*WRITERS[command](reading_list, data, out)))
    assert f"cannot write {out}" in message and "the disk is full: free some space and run again" in message
    assert [p for p in out.rglob("*") if p.is_file()] == []  # no temporary left


# --- kg.ttl and kg.html as a pair ------------------------------------------------------


@pytest.fixture
def built(reading_list: Path, tmp_path: Path) -> Path:
    """An output directory holding a first build's pair."""
    out = tmp_path / "out"
    assert kg("build", str(reading_list), "--offline", "--out", str(out)).returncode == 0
    reading_list.write_text(LIST + "- [A third synthetic page](https://example.org/three)\n", encoding="utf-8")
    return out


def test_a_full_disk_while_writing_the_map_replaces_neither(
    built: Path, reading_list: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(built)
    fail_fsync(monkeypatch, lambda path: ".kg.html." in Path(path).name)
    message = one_line_error(kg("build", str(reading_list), "--offline", "--out", str(built)))
    assert f"cannot write {built / 'kg.html'}: the disk is full" in message
    # Before the fix kg.ttl was already the new one here, kg.html the old one.
    assert snapshot(built) == before


def test_a_map_that_cannot_replace_the_old_one_puts_the_turtle_back(built: Path, reading_list: Path) -> None:
    """The last moment a pair can fail: kg.ttl is replaced, then kg.html cannot be (a
    directory took its name). The old kg.ttl comes back."""
    (built / "kg.html").unlink()
    (built / "kg.html").mkdir()
    before = snapshot(built)
    message = one_line_error(kg("build", str(reading_list), "--offline", "--out", str(built)))
    assert f"cannot write {built / 'kg.html'}: a directory has that name: remove it" in message
    assert snapshot(built) == before
    assert (built / "kg.html").is_dir()


def test_ctrl_c_between_the_two_replacements_puts_the_first_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commit put the old kg.ttl back on an OSError only: a Ctrl-C (KeyboardInterrupt)
    after kg.ttl was replaced left the new kg.ttl beside the old kg.html, and the copy kept
    aside was removed."""
    for name in ("kg.ttl", "kg.html"):
        (tmp_path / name).write_text(f"old {name}", encoding="utf-8")
    replace = os.replace

    def interrupted(source: Any, target: Any) -> None:
        if Path(target).name == "kg.html" and ".new" in Path(source).name:
            raise KeyboardInterrupt
        replace(source, target)

    monkeypatch.setattr(files.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt), files.Outputs() as outputs:
        for name in ("kg.ttl", "kg.html"):
            outputs.write(tmp_path / name, lambda path, name=name: path.write_text(f"new {name}", encoding="utf-8"))
        outputs.commit()
    assert {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()} == {
        "kg.ttl": "old kg.ttl", "kg.html": "old kg.html"
    }


def test_a_build_replaces_both_and_keeps_the_previous_turtle(built: Path, reading_list: Path) -> None:
    old = (built / "kg.ttl").read_bytes()
    assert kg("build", str(reading_list), "--offline", "--out", str(built)).returncode == 0
    assert b"example.org/three" in (built / "kg.ttl").read_bytes()
    assert b"example.org/three" in (built / "kg.html").read_bytes()
    assert (built / PREVIOUS).read_bytes() == old
    assert sorted(p.name for p in built.iterdir()) == ["kg.html", "kg.ttl", "previous"]  # no temporary left


SHAPE = """\
# A synthetic shape no list meets: every topic would need a definition.
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://example.org/shapes#TopicDefined> a sh:NodeShape ;
    sh:targetClass skos:Concept ;
    sh:property [ sh:path skos:definition ; sh:minCount 1 ; sh:message "a synthetic shape wants a definition" ] .
"""


def test_a_build_that_fails_its_shapes_replaces_nothing_and_says_where_it_wrote(
    built: Path, reading_list: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPE, encoding="utf-8")
    monkeypatch.setattr("kg.rdf.validate.shapes_file", lambda: shapes)
    before = snapshot(built)
    ran = kg("build", str(reading_list), "--offline", "--out", str(built))
    assert ran.returncode == 1 and "a synthetic shape wants a definition" in ran.stderr
    said = " ".join(ran.stderr.split())
    assert f"the previous outputs in {built} were left as they were; this build is in {built / INVALID}" in said
    assert {k: v for k, v in snapshot(built).items() if not k.startswith("invalid/")} == before
    assert sorted(p.name for p in (built / INVALID).iterdir()) == ["kg.html", "kg.ttl"]
    assert b"example.org/three" in (built / INVALID / "kg.ttl").read_bytes()


def test_an_address_with_two_hashes_is_escaped_with_its_line(reading_list: Path, tmp_path: Path) -> None:
    reading_list.write_text(LIST + "- [Two hashes](https://example.org/a#b#c)\n", encoding="utf-8")
    ran = kg("build", str(reading_list), "--offline", "--out", str(tmp_path / "out"))
    # Before the fix: left out with a warning without a line, then the build failed its
    # own shapes (exit 1) with both outputs replaced.
    assert ran.returncode == 0, ran.stderr
    assert "list.md: line 8: the address https://example.org/a#b#c is read as https://example.org/a#b%23c" in ran.stderr
    assert "schema:url <https://example.org/a#b%23c>" in (tmp_path / "out" / "kg.ttl").read_text(encoding="utf-8")


# --- options that cannot be used -------------------------------------------------------


@pytest.mark.parametrize("base", ["http://a b/", "not-a-url", "", "javascript:alert(1)/", "https://"])
@pytest.mark.parametrize("command", ["build", "add"])
def test_a_base_iri_that_is_no_http_namespace_is_refused(
    command: str, base: str, reading_list: Path, tmp_path: Path
) -> None:
    args = (
        ("build", str(reading_list), "--offline", "--out", str(tmp_path / "out"))
        if command == "build"
        else ("add", "topic", "A synthetic topic", "--list", str(reading_list), "--extensions", str(tmp_path / "out"))
    )
    message = usage_error(kg(*args, "--base-iri", base))
    assert "'--base-iri'" in message and "give an http(s) address with a host, ending in / or #" in message
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("build", "--max-age", "99999999999999999999d"), "is too long: at most 999999999d"),
        (("build", "--api-url", "http://[::1"), None),  # already held: a clean error naming the URL
        (("push", "--endpoint", "http://[::1/store"), "not an http(s) URL of a Graph Store endpoint"),
        (("push", "--endpoint", "http://example.org:99999/store"), "not an http(s) URL of a Graph Store endpoint"),
    ],
)
def test_an_option_that_cannot_be_used_is_one_clear_line(
    args: tuple[str, ...], said: str | None, reading_list: Path, data: Path, tmp_path: Path
) -> None:
    target = (str(reading_list), "--online", "--out", str(tmp_path / "out")) if args[0] == "build" else (str(data),)
    ran = kg(*args, *target)
    assert ran.returncode in (1, 2) and "Traceback" not in ran.stderr, ran
    assert args[-1] in ran.stderr.replace("\n", "").replace("│", "").replace(" ", "") or said is None
    if said:
        assert said in " ".join(ran.stderr.replace("│", " ").split())
    assert not (tmp_path / "out").exists()


def test_kg_add_refuses_an_address_without_a_host(reading_list: Path, tmp_path: Path) -> None:
    ran = kg("add", "resource", "https://", "--title", "Nothing", "--topic", "Things",
             "--list", str(reading_list), "--extensions", str(tmp_path / "ext"))  # fmt: skip
    assert "'https://' is not the address of a resource: give its full http(s) address" in one_line_error(ran)
    assert not (tmp_path / "ext").exists()


# --- values too long for one RDF term --------------------------------------------------


@pytest.fixture(scope="module")
def huge_literal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Turtle with one literal of 17 MiB (pyoxigraph parses no term over 16 MiB)."""
    path = tmp_path_factory.mktemp("huge") / "huge.ttl"
    path.write_text(f'<https://example.org/w> <http://purl.org/dc/terms/title> "{"a" * (17 * 2**20)}" .\n',
                    encoding="utf-8")  # fmt: skip
    return path


@pytest.mark.parametrize(
    "args", [("stats",), ("validate",), ("render",), ("query", "ASK {}", "--data")], ids=lambda a: a[0]
)
def test_a_literal_over_16_mib_is_one_clear_line(args: tuple[str, ...], huge_literal: Path) -> None:
    message = one_line_error(kg(*args, str(huge_literal)))
    assert "huge.ttl: a single literal or IRI is longer than 16 MiB" in message and "shorten it" in message


def test_a_title_too_long_for_kg_is_refused_with_its_line(reading_list: Path, tmp_path: Path) -> None:
    reading_list.write_text(LIST + f"- [{'t' * 1_000_001}](https://example.org/long)\n", encoding="utf-8")
    message = one_line_error(kg("build", str(reading_list), "--offline", "--out", str(tmp_path / "out")))
    assert "list.md: line 8: a title of 1,000,001 characters, more than kg takes in one text" in message
    assert not (tmp_path / "out").exists()


def test_a_value_too_long_for_the_turtle_writer_is_named(tmp_path: Path) -> None:
    """What the list's limit does not catch (a value from another source) still stops the
    writer with the node's name, not pyoxigraph's MemoryError."""
    graph = KnowledgeGraph()
    graph.add(WorkNode(iri="https://example.org/w", label="t" * (17 * 2**20), kind="Work"))
    with pytest.raises(OutputError, match="a value of <https://example.org/w> takes 17,8.* bytes, more than the 16 MiB"):
        write_turtle(graph, tmp_path / "kg.ttl")
    assert list(tmp_path.iterdir()) == []


def test_validate_of_a_truncated_file_names_the_line(tmp_path: Path) -> None:
    cut = tmp_path / "cut.ttl"
    cut.write_text("@prefix dcterms: <http://purl.org/dc/terms/> .\n@pre", encoding="utf-8")
    # rdflib said "string index out of range" here.
    message = one_line_error(kg("validate", str(cut)))
    assert "cut.ttl: not valid RDF: Parser error at line 2" in message


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.json", "[" * 100_000),
        ("deep.bib", "@article{a, title={" + "{" * 100_000 + "}" * 100_000 + "}, url={https://example.org/x}}\n"),
    ],
)
def test_a_library_nested_thousands_deep_is_one_line(name: str, text: str, tmp_path: Path) -> None:
    """json and pylatexenc recurse once per bracket: a RecursionError, before."""
    library = tmp_path / name
    library.write_text(text, encoding="utf-8")
    message = one_line_error(kg("build", str(library), "--offline", "--out", str(tmp_path / "out")))
    assert f"{name}: brackets or braces nested thousands deep" in message


def test_a_message_is_one_line_when_piped(tmp_path: Path) -> None:
    """Piped output has 80 columns; a longer message used to be cut into lines, which grep
    then found in pieces. Here: what kg stats says of a file deep in folders, and the
    violations kg validate finds in a synthetic graph."""
    deep = tmp_path / ("folder-" * 8) / ("another-" * 8)
    deep.mkdir(parents=True)
    data = deep / "small-field.ttl"
    data.write_bytes((Path(__file__).parent / "data" / "small-field.ttl").read_bytes())
    stats = kg("stats", str(data))
    assert f"{data}: 101 triples" in stats.stdout.splitlines()
    ran = kg("validate", str(data))
    assert ran.returncode == 1
    said = [line for line in (ran.stdout + ran.stderr).splitlines() if "prov#wasDerivedFrom" in line]
    assert len(said) == 4 and all(line.endswith("says what it was derived from (at least the list).") for line in said)


def test_a_written_file_keeps_its_permissions_or_follows_the_umask(tmp_path: Path) -> None:
    """Outputs were made 0644 whatever the file had been and whatever the umask said: a
    private kg.ttl became readable by everyone on the machine."""
    private = tmp_path / "private.ttl"
    private.write_text("old", encoding="utf-8")
    private.chmod(0o600)
    files.atomic_write_text(private, "new")
    with files.Outputs() as outputs:
        outputs.write(private, lambda path: path.write_text("newer", encoding="utf-8"))
        outputs.commit()
    assert (private.stat().st_mode & 0o777, private.read_text(encoding="utf-8")) == (0o600, "newer")
    mask = os.umask(0o077)
    try:
        files.atomic_write_text(tmp_path / "fresh.ttl", "x")
    finally:
        os.umask(mask)
    assert (tmp_path / "fresh.ttl").stat().st_mode & 0o777 == 0o600
    files.atomic_write_text(tmp_path / "shared.ttl", "x")
    assert (tmp_path / "shared.ttl").stat().st_mode & 0o777 == 0o666 & ~mask


def test_an_unexpected_os_error_gets_advice_that_fits_reading_too(capsys: pytest.CaptureFixture[str]) -> None:
    """An OSError the library did not turn into its own error may come from reading:
    "write somewhere you may write" was the advice for a file that could not be read."""
    import typer

    from kg.cli.common import run

    def denied() -> None:
        raise PermissionError(errno.EACCES, "Permission denied", "list.md")

    with pytest.raises(typer.Exit):
        run(denied)
    assert " ".join(capsys.readouterr().err.split()) == "error: list.md: permission denied: check its permissions"


def test_ctrl_c_while_writing_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "kg.ttl"
    target.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt), files.atomic_writer(target) as handle:
        handle.write(b"half of the new")
        raise KeyboardInterrupt
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["kg.ttl"]


def test_rdf_xml_broken_before_its_root_is_named_with_its_line(tmp_path: Path) -> None:
    from kg.errors import DataError
    from kg.rdf.store import load_store

    broken = tmp_path / "broken.rdf"
    broken.write_text("<?xml version='1.0'?>\n<!-- a comment never closed\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"broken\.rdf: line 2, column \d+: not valid RDF/XML: "):
        load_store(broken)
