"""SPARQL on the exported graph: read-only by construction, executed by pyoxigraph.

A query is looked at before it runs. pyoxigraph's engine is linked with an HTTP client:
``SERVICE <url>`` makes a request the moment the query starts and ``LOAD <url>`` fetches
a document, so a query that reaches another server is refused unless the caller allows it
(``allow_remote``); an update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``…) is refused
unless the caller allows it (``allow_update``), and even then it changes only the
in-memory store, never a file. The look is lexical: a small tokenizer skips comments,
strings and IRIs, so ``"SERVICE"`` in a string or ``ex:service`` as a name is no keyword.

Named queries ship in ``kg/queries/*.rq``. Each opens with comments saying what it
answers; a comment ``# param k = 2`` declares a parameter ``?k`` and its default, which
:func:`bind_parameters` replaces by a value given on the command line.

>>> inspect_query("PREFIX ex: <http://e/> DELETE WHERE { ?s ex:p ?o }").form
'update'
>>> inspect_query('SELECT * { SERVICE <http://e/sparql> { ?s ?p "SERVICE" } }').remote
('SERVICE <http://e/sparql>',)
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryError
from kg.files import not_a_file
from kg.model.vocab import PREFIXES
from kg.sparql.stats import compact

__all__ = [
    "QueryInfo",
    "NamedQuery",
    "Parameter",
    "QueryOutcome",
    "RESULT_FORMATS",
    "GRAPH_FORMATS",
    "QUERIES_DIR",
    "inspect_query",
    "named_queries",
    "named_query",
    "declared_parameters",
    "parse_assignments",
    "bind_parameters",
    "load_query",
    "run_query",
    "serialize_result",
    "solution_rows",
    "term_text",
]

log = logging.getLogger(__name__)

QUERIES_DIR = Path(__file__).resolve().parent / "queries"
"""Where the named queries live (one ``NAME.rq`` file each)."""

RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}
"""Standard SPARQL 1.1 result formats, for SELECT and ASK."""

GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}
"""RDF formats for what CONSTRUCT and DESCRIBE return."""

# --- a lexical look at the query -------------------------------------------------------

# Order matters: comments, strings and IRIs are consumed whole first, so nothing inside
# them is read as a keyword; a prefixed name (``service:x``, ``ex:SERVICE``) is tried
# before a bare word. Anything else is one character of punctuation.
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
             | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
             | '(?:[^'\\\n]|\\.)*'
             | "(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<bnode>_:[\w.-]*)
  | (?P<name>(?:[^\W\d_][\w.-]*)?:(?:[\w:%-]|\\.|\.(?=[\w:%\\-]))*)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_QUERY_FORMS = frozenset({"select", "construct", "describe", "ask"})
_UPDATE_FORMS = frozenset(
    {"insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with"}
)
_PROLOGUE = frozenset({"base", "prefix"})


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int


def _tokens(text: str) -> Iterator[_Token]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            yield _Token(kind, match.group(), match.start())


@dataclass(frozen=True)
class QueryInfo:
    """What a query is, as far as its words tell."""

    form: str
    """``select``, ``construct``, ``describe``, ``ask``, ``update`` or ``unknown``."""
    keyword: str
    """The word that decided ``form`` (``DELETE``, ``SELECT``…), as written."""
    remote: tuple[str, ...] = ()
    """Each ``SERVICE <iri>`` or ``LOAD <iri>`` found: requests to other servers."""


def inspect_query(text: str) -> QueryInfo:
    """The form of a query or update, and every place it would reach another server."""
    tokens = list(_tokens(text))
    form, keyword = "unknown", ""
    for token in tokens:
        if token.kind != "word" or token.text.lower() in _PROLOGUE:
            continue
        word = token.text.lower()
        form = word if word in _QUERY_FORMS else "update" if word in _UPDATE_FORMS else "unknown"
        keyword = token.text
        break
    remote = []
    for index, token in enumerate(tokens):
        if token.kind == "word" and token.text.lower() in ("service", "load"):
            following = [t.text for t in tokens[index + 1 : index + 3]]
            if following and following[0].lower() == "silent":
                following = following[1:]
            remote.append(f"{token.text.upper()} {following[0] if following else ''}".strip())
    return QueryInfo(form=form, keyword=keyword, remote=tuple(remote))


# --- named queries and their parameters --------------------------------------------------

_PARAM = re.compile(r"^#\s*param\s+(?P<name>\w+)\s*=\s*(?P<value>\S+)\s*(?P<help>.*)$")


@dataclass(frozen=True)
class Parameter:
    """A value a query leaves open: ``# param k = 2  (least number of …)``."""

    name: str
    default: str
    """SPARQL term text used when no value is given."""
    help: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """A query shipped with kg: ``kg query NAME``."""

    name: str
    path: Path
    description: str
    """What the query answers (its leading comment, without the ``#``)."""
    parameters: tuple[Parameter, ...] = ()

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


def declared_parameters(text: str) -> dict[str, Parameter]:
    """The ``# param NAME = DEFAULT  help`` comments of a query, by name.

    >>> declared_parameters("# param k = 2  (least count)\\nSELECT ...")["k"]
    Parameter(name='k', default='2', help='(least count)')
    """
    found = {}
    for line in text.splitlines():
        match = _PARAM.match(line.strip())
        if match:
            found[match["name"]] = Parameter(match["name"], match["value"], match["help"].strip())
    return found


def _description(text: str) -> str:
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        if not _PARAM.match(stripped):
            lines.append(stripped.lstrip("#").strip())
    return " ".join(part for part in lines if part)


@cache
def named_queries() -> tuple[NamedQuery, ...]:
    """Every query that ships with kg, by name."""
    queries = []
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        parameters = tuple(declared_parameters(text).values())
        queries.append(NamedQuery(path.stem, path, _description(text), parameters))
    return tuple(queries)


def named_query(name: str) -> NamedQuery | None:
    """The shipped query called ``name``, if there is one."""
    return next((q for q in named_queries() if q.name == name), None)


_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?|[+-]?\d+[eE][+-]?\d+")


def _parameter_term(name: str, value: str) -> str:
    """SPARQL text for a parameter value: a number, an ``<IRI>``, or a quoted string.

    Strings are escaped by pyoxigraph, so a value can never change the query's shape.

    >>> _parameter_term("k", "3"), _parameter_term("t", 'a "b"')
    ('3', '"a \\\\"b\\\\""')
    """
    value = value.strip()
    if _INTEGER.fullmatch(value) or _DECIMAL.fullmatch(value):
        return value
    if value.startswith("<") and value.endswith(">"):
        try:
            return str(ox.NamedNode(value[1:-1]))
        except ValueError as err:
            raise QueryError(f"parameter {name}: {value} is not a valid IRI") from err
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return str(ox.Literal(value))


def bind_parameters(text: str, values: Mapping[str, str]) -> str:
    """The query with each declared parameter variable replaced by its value (or default).

    >>> bind_parameters("# param k = 2\\nSELECT * { ?s ?p ?o FILTER(?o >= ?k) }", {"k": "5"})
    '# param k = 2\\nSELECT * { ?s ?p ?o FILTER(?o >= 5) }'
    """
    declared = declared_parameters(text)
    unknown = sorted(set(values) - set(declared))
    if unknown:
        takes = ", ".join(sorted(declared)) or "none"
        raise QueryError(f"unknown parameter {', '.join(unknown)}: this query takes {takes}")
    if not declared:
        return text
    terms = {
        name: _parameter_term(name, values.get(name, p.default)) for name, p in declared.items()
    }
    pieces, last = [], 0
    for token in _tokens(text):
        if token.kind == "var" and token.text[1:] in terms:
            pieces += [text[last : token.start], terms[token.text[1:]]]
            last = token.start + len(token.text)
    return "".join(pieces) + text[last:]


def load_query(spec: str) -> tuple[str, str]:
    """The text of a query given as a file, a shipped query's name, or SPARQL itself, and
    the name to use for it in messages.

    A ``.rq``/``.sparql`` path or an existing file is read; then a shipped name is looked
    up; anything that reads as a query or update is taken as it is.
    """
    looks_like_path = "\n" not in spec and len(spec) < 1024
    if looks_like_path:
        path = Path(spec)
        try:
            is_file = path.is_file()
        except OSError:
            is_file = False
        if is_file or path.suffix.lower() in (".rq", ".sparql", ".ru"):
            if (problem := not_a_file(path)) not in (None, "no such file"):  # a FIFO would wait for a writer
                raise QueryError(f"{path}: {problem}: give the path of a query file (.rq)")
            try:
                return path.read_text(encoding="utf-8"), str(path)
            except (OSError, UnicodeDecodeError) as err:
                raise QueryError(f"{path}: cannot read the query: {err}") from err
        named = named_query(spec)
        if named is not None:
            return named.text, named.name
    if inspect_query(spec).form != "unknown" or any(c in spec for c in " \t\n{"):
        return spec, "query"  # text: the parser will say where it goes wrong
    raise QueryError(
        f"{spec!r} is not a query file, a named query or a SPARQL query "
        "(`kg query --list` shows the named ones)"
    )


# --- running ----------------------------------------------------------------------------

_SYNTAX_POSITION = re.compile(r"^error at (\d+):(\d+)(?:-\d+:\d+)?:?\s*(.*)$", re.S)

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


@dataclass
class QueryOutcome:
    """What a query returned, or what an update did to the in-memory store."""

    info: QueryInfo
    result: QueryResult | None = None
    """Solutions, a boolean or triples; ``None`` after an update."""
    triples_before: int | None = None
    triples_after: int | None = None
    """Size of the in-memory store around an update."""


def _syntax_error(err: SyntaxError, text: str, source: str) -> QueryError:
    """pyoxigraph's "error at 3:14: expected …" as "SOURCE: line 3, column 14: …" plus the
    line itself with a caret under the column (the parser reports the farthest point it
    reached, which is the end of the query when something is left open)."""
    message = str(err)
    match = _SYNTAX_POSITION.match(message)
    if match is None:
        return QueryError(f"{source}: {message}")
    line, column, reason = int(match[1]), int(match[2]), _readable(match[3])
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return QueryError(f"{source}: line {line}, column {column} (the end of the query): {reason}")
    shown = lines[line - 1].expandtabs(1)
    caret = " " * (max(column, 1) - 1) + "^"
    return QueryError(f"{source}: line {line}, column {column}: {reason}\n  {shown}\n  {caret}")


def _readable(reason: str) -> str:
    """The parser's reason without the Unicode character classes it lists in full."""
    reason = " ".join(reason.split())
    cut = reason.find(", [")
    if cut > 0:
        reason = reason[:cut] + ", …"
    return reason if len(reason) <= 200 else reason[:199] + "…"


def run_query(
    store: ox.Store,
    text: str,
    *,
    allow_update: bool = False,
    allow_remote: bool = False,
    source: str = "query",
) -> QueryOutcome:
    """Run a SPARQL query (or, if allowed, an update) on ``store``.

    Raises QueryError, naming ``source`` and the line and column of a syntax error, and
    saying which flag would allow what was refused.
    """
    info = inspect_query(text)
    if info.remote and not allow_remote:
        raise QueryError(
            f"{source}: refused: {', '.join(info.remote)} would send requests to another "
            "server; pass --allow-remote to allow it"
        )
    if info.form == "update":
        if not allow_update:
            raise QueryError(
                f"{source}: refused: {info.keyword.upper()} is a SPARQL update and kg query is "
                "read-only; pass --allow-update to apply it to an in-memory copy (the data "
                "file is never changed)"
            )
        before = len(store)
        try:
            store.update(text)
        except SyntaxError as err:
            raise _syntax_error(err, text, source) from err
        except (OSError, RuntimeError, ValueError) as err:
            raise QueryError(f"{source}: the update failed: {err}") from err
        return QueryOutcome(info, None, before, len(store))
    try:
        result = store.query(text)
    except SyntaxError as err:
        raise _syntax_error(err, text, source) from err
    except (OSError, RuntimeError, ValueError) as err:
        raise QueryError(f"{source}: the query failed: {err}") from err
    return QueryOutcome(info, result)


def serialize_result(result: QueryResult, fmt: str) -> bytes:
    """Results in a standard format: SPARQL JSON/CSV/TSV/XML, or Turtle/N-Triples/JSON-LD
    for a graph (prefixed with kg's usual prefixes)."""
    if isinstance(result, ox.QueryTriples):
        if fmt not in GRAPH_FORMATS:
            raise QueryError(
                f"a CONSTRUCT or DESCRIBE query returns a graph: use --format "
                f"{', '.join(GRAPH_FORMATS)}, not {fmt}"
            )
        data = ox.serialize(result, format=GRAPH_FORMATS[fmt], prefixes=dict(PREFIXES))
    else:
        if fmt not in RESULT_FORMATS:
            raise QueryError(
                f"SELECT and ASK results come as {', '.join(RESULT_FORMATS)} (or table), not {fmt}"
            )
        data = result.serialize(format=RESULT_FORMATS[fmt])
    assert data is not None  # serialize returns bytes when given no output
    return data


def term_text(term: object, short: bool = True) -> str:
    """A term as a person reads it: a prefixed name or IRI, a literal's text, a blank
    node's label; ``""`` for an unbound variable. (Standard formats keep every detail.)"""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value) if short else term.value
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def solution_rows(result: ox.QuerySolutions) -> tuple[list[str], Iterator[list[str]]]:
    """Variable names and rows of readable cell texts."""
    names = [v.value for v in result.variables]

    def rows() -> Iterator[list[str]]:
        for solution in result:
            yield [term_text(solution[name]) for name in names]

    return names, rows()


def parse_assignments(pairs: Sequence[str]) -> dict[str, str]:
    """``["k=3", "t=x"]`` -> ``{"k": "3", "t": "x"}``; QueryError on a pair without ``=``."""
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {pair!r}: write NAME=VALUE, e.g. --param k=3")
        values[name.strip()] = value
    return values
