"""The queries that ship with kg (``kg/sparql/queries/*.rq``, ``kg query NAME``), their
parameters, and where a query given on the command line comes from.

Each named query opens with comments saying what it answers; a comment ``# param k = 2``
declares a parameter ``?k`` and its default, which :func:`bind_parameters` replaces by a
value given on the command line, always as one escaped SPARQL term.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryError
from kg.files import not_a_file
from kg.sparql.check import inspect_query

__all__ = [
    "QUERIES_DIR",
    "NamedQuery",
    "Parameter",
    "bind_parameters",
    "declared_parameters",
    "load_query",
    "named_queries",
    "named_query",
    "parse_assignments",
]

QUERIES_DIR = Path(__file__).resolve().parent / "queries"
"""Where the named queries live (one ``NAME.rq`` file each)."""


# --- where the variables are, for parameters ------------------------------------------

# Only bind_parameters reads this, to find the variables a value replaces; nothing here
# decides what a query may do (that is the parse's job, kg.sparql.check), and a value
# always goes in as one escaped term. Comments, strings, IRIs and prefixed names are
# consumed whole first so that a ``?k`` inside them is left alone; a comment ends at \r
# or \n, as in SPARQL.
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
             | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
             | '(?:[^'\\\r\n]|\\.)*'
             | "(?:[^"\\\r\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<name>(?:[^\W\d_][\w.-]*)?:(?:[\w:%-]|\\.|\.(?=[\w:%\\-]))*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _variables(text: str) -> Iterator[tuple[int, str]]:
    """Where each variable starts, and its text (``?k``)."""
    for match in _TOKEN.finditer(text):
        if match.lastgroup == "var":
            yield match.start(), match.group()


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
    for start, variable in _variables(text):
        if variable[1:] in terms:
            pieces += [text[last:start], terms[variable[1:]]]
            last = start + len(variable)
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
            if (problem := not_a_file(path)) not in (None, "no such file"):
                # a FIFO would wait for a writer; a directory has no text
                raise QueryError(f"{path}: {problem}: give the path of a query file (.rq)")
            try:
                return path.read_text(encoding="utf-8"), str(path)
            except (OSError, UnicodeDecodeError) as err:
                raise QueryError(f"{path}: cannot read the query: {err}") from err
        named = named_query(spec)
        if named is not None:
            return named.text, named.name
    if any(c in spec for c in " \t\r\n{") or inspect_query(spec).form != "unknown":
        return spec, "query"  # text: the parser will say where it goes wrong
    raise QueryError(
        f"{spec!r} is not a query file, a named query or a SPARQL query "
        "(`kg query --list` shows the named ones)"
    )


def parse_assignments(pairs: Sequence[str]) -> dict[str, str]:
    """``["k=3", "t=x"]`` -> ``{"k": "3", "t": "x"}``; QueryError on a pair without ``=``."""
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {pair!r}: write NAME=VALUE, e.g. --param k=3")
        values[name.strip()] = value
    return values
