"""A fuzz harness over whole commands (issue 12): hostile reading lists through the build,
hostile Turtle through the commands that read RDF, hostile libraries through the build. Each input either succeeds, with
Turtle that parses back and conforms to the kg shapes, or fails with one clear line (a
KgError whose message is one line; exit status 1 and one ``error:`` line for the CLI).
Anything else (a traceback, a hang, a run-away allocation) fails the test, and hypothesis
shrinks it to a small case.

Reference-manager libraries (BibTeX, RIS, CSL-JSON) go through the build as lists do,
mutated from the synthetic ones in ``tests/data/library``. The parser alone is fuzzed in
``test_readinglist.py``; the API's hostile answers in
``test_hostile_api.py``. Here the inputs reach every stage: identification, the graph,
the Turtle writer, SHACL, the map, and the RDF readers.

Bounded: a fixed number of examples, derandomized (the same inputs on every run, no
example database), each under ``tests/guards.py``'s deadline and memory cap; about 5 s
in the suite. ``KG_FUZZ_EXAMPLES=500`` (say) runs a heavier, randomized search by hand:

    KG_FUZZ_EXAMPLES=500 .venv/bin/python -m pytest tests/test_fuzz.py -n 0

Every input is synthetic, drawn from the pieces below (example.org addresses, made-up
titles and ids).
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cli_runs import kg
from guards import bounded
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from kg.errors import KgError
from kg.pipeline import BuildResult, BuildSettings, build

HEAVY = int(os.environ.get("KG_FUZZ_EXAMPLES", "0"))
"""Examples per test for a manual run; 0: the suite's small, fixed sample."""


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=HEAVY or examples,
        derandomize=not HEAVY,
        database=None,
        deadline=None,  # each example runs under bounded()'s deadline instead
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    """A fresh directory per example (pytest's tmp_path is one per test)."""
    with tempfile.TemporaryDirectory(prefix="kg-fuzz-") as directory:
        yield Path(directory)


# --- hostile reading lists -----------------------------------------------------------------

ODD = [
    "\x00", "\x01", "\x07", "\x1b[31m", "\x7f", "\u0085", "\u00a0", "\u200b", "\u200d", "\u2028", "\u2029",
    "\u202e", "\u2066", "\u2069", "\ufeff", "\ufffd", "e\u0301", "\U0001f600", "深度学习", "العربية", "𝕏",
    "&amp;", "&#0;", "&#x202E;", "<script>alert(1)</script>", "<!--", "-->", "`", "``", "\\", "\\[", "*", "**",
    "_", "|", "[", "]", "(", ")", "<", ">", '"', "'", "#", "%", "%zz", "%00", "~~~", "    ", "\t",
]  # fmt: skip
URLS = [
    "https://example.org/a#b#c", "https://example.org/a b", "<https://example.org/a b>", "https://",
    "http://[::1", "http://[::1]/x", "https://example.org:99999/x", "https://example.org:0/", "javascript:alert(1)",
    "data:text/html,<b>x</b>", "mailto:a@example.org", "#anchor", "https://bücher.example/x", "https://例え.example/テスト",
    "https://example.org/%zz", "https://example.org/%00", "https://example.org/a\"b", "https://example.org/a{b}|c^d`e",
    "https://example.org/?q=a#b", "https://user:pass@example.org/", "HTTPS://EXAMPLE.ORG/UP", "https://example.org/" + "x" * 3000,
    "https://arxiv.org/abs/2101.00001", "https://arxiv.org/abs/2101.00001v2#x#y", "https://doi.org/10.1234/a b",
    "https://doi.org/10.1234/x0#1#2", "https://github.com/a/b", "https://img.shields.io/badge/x", "https://example.org/\u202e",
]  # fmt: skip

odd_text = st.lists(
    st.one_of(st.sampled_from(ODD), st.text(st.characters(codec="utf-8"), max_size=12)), max_size=6
).map("".join)
url = st.one_of(st.sampled_from(URLS), st.builds("https://example.org/{}".format, odd_text))
link = st.one_of(
    st.builds("[{}]({})".format, odd_text, url),
    st.builds("[[{}]]({})".format, odd_text, url),
    st.builds("[{} [{}] {}]({})".format, odd_text, odd_text, odd_text, url),
    st.builds("<{}>".format, url),
    url,
)
byline = st.sampled_from(["", " (2021)", " et al.", ", 2019.", " - A. Author, B. Author", " arXiv:2101.00001",
                          " doi:10.1234/x", " NeurIPS'20", " 等"])  # fmt: skip
item = st.builds(
    "{}{} {}{}{}".format,
    st.sampled_from(["", "  ", "    ", "\t"]),
    st.sampled_from(["-", "*", "+", "1.", "2)", "-   ", "- [ ]"]),
    link,
    byline,
    st.one_of(st.just(""), st.builds(" - {}".format, odd_text)),
)
heading = st.builds("{} {}".format, st.sampled_from(["#", "##", "###", "####", "#######"]), odd_text)
table = st.builds("| {} | {} |\n|---|---|\n| {} | {} |".format, odd_text, odd_text, link, odd_text)
line = st.one_of(item, item, item, heading, table, link, odd_text, st.builds("[{}]: {}".format, odd_text, url),
                 st.just("```"), st.just("<details>"), st.just("> quoted"), st.just(""))  # fmt: skip
reading_list = st.builds(
    lambda first, lines, ending, bom: bom + ending.join([first, *lines]),
    heading,
    st.lists(line, min_size=1, max_size=14),
    st.sampled_from(["\n", "\r\n", "\r", "\n\n"]),
    st.sampled_from(["", "\ufeff"]),
)


def one_line(error: KgError) -> str:
    message = str(error)
    assert message and "\n" not in message and "\r" not in message, repr(message)
    return message


def built_or_refused_in_one_line(path: Path, *, html: bool) -> BuildResult | None:
    """Build ``path`` offline: Turtle that parses back whole and conforms to the shapes, or
    a one-line KgError and no kg.ttl (then None)."""
    out = path.parent / "out"
    settings = BuildSettings(list_path=path, out_dir=out, s2=None, insights=None, html=html)
    try:
        result = bounded(lambda: build(settings), seconds=30)
    except KgError as error:
        one_line(error)
        assert not (out / "kg.ttl").exists()
        return None
    assert result.report is not None and result.report.conforms, [str(v) for v in result.report.violations][:5]
    assert len(Graph().parse(result.turtle_path, format="turtle")) == result.triples
    return result


@fuzz_settings(examples=25)
@given(text=reading_list, html=st.booleans())
def test_a_hostile_list_builds_valid_turtle_or_fails_in_one_line(text: str, html: bool) -> None:
    with scratch() as directory:
        path = directory / "list.md"
        path.write_bytes(text.encode("utf-8"))
        result = built_or_refused_in_one_line(path, html=html)
        if result is not None:
            assert (result.html_path is not None) == html


# --- hostile Turtle ------------------------------------------------------------------------

SNIPPETS = [
    '"\\u0000"', '"\x00"', '"""unclosed', '"x"^^<http://www.w3.org/2001/XMLSchema#integer>', '"x"@-', '"x"@en-',
    "1e999999", "-0.0e-99999", '"NaN"^^<http://www.w3.org/2001/XMLSchema#double>', '"\u202e\u2066"', "<>",
    "<javascript:alert(1)>", "<http://a b/>", "@base <javascript:x> .", "@prefix : <not an iri> .", "@prefix rdf: <x:> .",
    "[" * 64, "(" * 64, "_:b1 <http://e/p> _:b1 .", "<http://e/s> <http://e/p> <http://e/o> ; ; .", ". . .",
    "PREFIX dcterms: <http://purl.org/dc/terms/>", "\r", "\r\n", "\ufeff", "#", "'", "'''", '"' * 7,
    "<https://example.org/w> a <https://w3id.org/kg/ontology#Preprnt> .",
    '<https://example.org/w> <http://purl.org/dc/terms/title> "' + "t" * 5000 + '" .',
]  # fmt: skip
READERS = {
    "stats": ("stats",),
    "validate": ("validate",),
    "render": ("render",),
    "query": ("query", "SELECT ?s (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?s", "--data"),
}


@functools.cache
def seed_turtle() -> bytes:
    """The Turtle of a small synthetic list, built once: what the mutations start from (a
    function, not a fixture: hypothesis would print all of it with every failing case)."""
    with scratch() as out:
        listed = Path(__file__).parent / "lists" / "awesome-bullets.md"
        return build(BuildSettings(list_path=listed, out_dir=out, s2=None, html=False, validate=False)).turtle_path.read_bytes()


@st.composite
def mutated(draw: st.DrawFn, start: bytes | None = None, snippets: tuple[str, ...] = tuple(SNIPPETS)) -> bytes:
    """``start`` (the seed Turtle) after one to three edits: cut short, a span deleted,
    doubled or replaced by a hostile snippet, a byte changed."""
    data = seed_turtle() if start is None else start
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        end = min(len(data), at + draw(st.integers(0, 200)))
        edit = draw(st.sampled_from(["cut", "delete", "insert", "double", "byte"]))
        if edit == "cut":
            data = data[:at]
        elif edit == "delete":
            data = data[:at] + data[end:]
        elif edit == "insert":
            data = data[:at] + draw(st.sampled_from(snippets)).encode("utf-8") + data[at:]
        elif edit == "double":
            data = data[:end] + data[at:end] + data[end:]
        elif data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
    return data


@fuzz_settings(examples=30)
@given(data=st.data(), command=st.sampled_from(sorted(READERS)))
def test_hostile_turtle_is_read_or_refused_in_one_line(data: st.DataObject, command: str) -> None:
    turtle = data.draw(mutated(), label="turtle")
    with scratch() as directory:
        path = directory / "kg.ttl"
        path.write_bytes(turtle)
        ran = bounded(lambda: kg(*READERS[command], str(path)), seconds=30)  # a traceback fails the test here
        assert "Traceback" not in ran.stderr
        if ran.returncode == 0:
            if command == "render":
                assert (directory / "kg.html").stat().st_size > 0
            return
        assert ran.returncode == 1, ran
        said = [line for line in ran.stderr.splitlines() if line.strip()]
        if command == "validate" and said and "SHACL violation" in said[0]:
            return  # it parsed, and kg says how it breaks the shapes
        assert len(said) == 1 and said[0].startswith("error: "), ran.stderr


# --- hostile libraries (BibTeX, RIS, CSL-JSON) ---------------------------------------------------

LIBRARIES = Path(__file__).parent / "data" / "library"
LIBRARY_SNIPPETS = (
    *ODD, "{", "}", "{{{{", "}}}}", "@string{a = b}", "@comment{", "@preamble{", "@article{,", "@misc{x,\n}",
    "title = {", "author = {and and}", "year = {-1}", "year = {99999999999999999999}", "doi = {10.1/x0}",
    "url = {javascript:alert(1)}", "\\\\'{e}", "\\url{", "$\\alpha$", "%", "\nTY  - \n", "\nER  - \n",
    "\nAU  - ,,,\n", "\nPY  - 0000\n", "\nUR  - https://\n", "\nDO  - 10.1234/a b\n", "\nKW  - \x00\n",
    "[", "]", "{}", "null", '"title": null', '"issued": {"date-parts": [["x"]]}', '"author": [1]', '"URL": 5',
    '"id": {}', "1e999999", "[" * 64,
)  # fmt: skip


@fuzz_settings(examples=24)
@given(data=st.data(), name=st.sampled_from(["library.bib", "library.ris", "library.json"]))
def test_a_hostile_library_builds_valid_turtle_or_fails_in_one_line(data: st.DataObject, name: str) -> None:
    library = data.draw(mutated((LIBRARIES / name).read_bytes(), LIBRARY_SNIPPETS), label="library")
    with scratch() as directory:
        path = directory / name
        path.write_bytes(library)
        built_or_refused_in_one_line(path, html=False)
