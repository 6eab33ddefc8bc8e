"""What a SPARQL text is (a query of which form, or an update) and which other servers it
would send requests to, read from a real SPARQL parser's parse of it: rdflib's.

kg never decides this by looking at words: a hand-written tokenizer read ``<2)SERVICE#>``
as an IRI where SPARQL sees a less-than sign, and ended comments only at ``\\n`` where
SPARQL also ends them at ``\\r``, and both let ``SERVICE`` through. pyoxigraph, which runs
the queries, cannot parse without running (and so without calling the services), so the
text is parsed by rdflib's implementation of the SPARQL 1.1 grammar and the parse tree is
searched for every ``SERVICE`` pattern (under ``FILTER EXISTS``, in sub-queries, in an
update's ``WHERE``…) and every ``LOAD``. The tree, not rdflib's algebra: every call is
already in it, and translating it would add a step that fails on queries pyoxigraph runs.
A text in which neither word appears (:func:`mentions_remote`) needs no parse for this: no
engine calls a service whose keyword is not written, so ``kg query`` leaves it to
pyoxigraph's own parse (and saves rdflib's 0.1 s start).

Two parsers can still read one text two ways. Where they are known to differ, the text
rdflib parses is made to read as pyoxigraph reads it (:func:`_as_pyoxigraph_reads_it`:
given ``?s ?p "\\u0022" . SERVICE <…> { } ?s ?p "\\u0022"``, rdflib's own entry point
reads one long string where pyoxigraph calls the service); where rdflib cannot parse a text
pyoxigraph might run, a text that mentions ``SERVICE`` or ``LOAD`` at all is refused
(:attr:`QueryInfo.unchecked`); and whatever runs, runs where no connection can be made
unless allowed (:mod:`kg.sparql.sandbox`). ``tests/test_sparql_remote.py`` runs pyoxigraph
on texts built to read two ways, and fails if one the check lets through calls a server.

>>> inspect_query("PREFIX ex: <http://e/> DELETE WHERE { ?s ex:p ?o }").form
'update'
>>> inspect_query('SELECT * { SERVICE <http://e/sparql> { ?s ?p "SERVICE" } }').remote
('SERVICE <http://e/sparql>',)
>>> inspect_query('SELECT * { FILTER(1<2)SERVICE#>\\n<http://e/q> { ?s ?p ?o } }').remote
('SERVICE <http://e/q>',)
>>> inspect_query("SELECT * { ?s ?p ?o # comment\\r SERVICE <http://e/q> { } \\n }").remote
('SERVICE <http://e/q>',)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyparsing import ParserElement

__all__ = ["QueryInfo", "inspect_query", "mentions_remote", "warm_up"]

_QUERY_FORMS = {
    "SelectQuery": "select",
    "ConstructQuery": "construct",
    "DescribeQuery": "describe",
    "AskQuery": "ask",
}
_UPDATE_KEYWORDS = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
}


@dataclass(frozen=True)
class QueryInfo:
    """What a query is, as its parse tells."""

    form: str
    """``select``, ``construct``, ``describe``, ``ask``, ``update``, or ``unknown`` when the
    text does not parse (pyoxigraph will say where, or run what it alone reads)."""
    keyword: str = ""
    """What decided ``form``: ``SELECT``, ``INSERT DATA``, ``DELETE``…"""
    remote: tuple[str, ...] = ()
    """Each ``SERVICE <iri>`` or ``LOAD <iri>``: a request to another server."""
    unchecked: str = ""
    """Why the text could not be checked when it does not parse but mentions ``SERVICE``
    or ``LOAD``: where rdflib's parser stopped."""


def inspect_query(text: str) -> QueryInfo:
    """The form of a query or update, and every place it would reach another server."""
    readable = _as_pyoxigraph_reads_it(text)
    failures: list[Exception] = []
    for kind, parser in _parsers().items():
        try:
            parsed = parser.parse_string(readable, parse_all=True)
        except Exception as err:  # pyparsing's errors, rdflib's actions' (a bad number…)
            failures.append(err)
            continue
        if kind == "query":
            prologue, query = parsed[0], parsed[1]
            form = _QUERY_FORMS.get(query.name, "unknown")
            return QueryInfo(form, form.upper(), _remote_calls(query, _prefixes(prologue)))
        update = parsed[0]
        operations = list(_field(update, "request") or [])
        keyword = _update_keyword(operations[0]) if operations else ""
        return QueryInfo("update", keyword, _remote_calls(update, _prefixes(_field(update, "prologue"))))
    if mentions_remote(text):
        farthest = max(failures, key=lambda err: getattr(err, "loc", -1))
        return QueryInfo("unknown", unchecked=_where(farthest))
    return QueryInfo("unknown")


_REMOTE_WORD = re.compile(r"service|load", re.IGNORECASE)

# Backslash pairs are kept whole so that the ``\\u`` of ``\\\\u0022`` (a backslash, then
# the letter u) is not read as an escape.
_CODEPOINT_ESCAPE = re.compile(r"\\\\|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")


def mentions_remote(text: str) -> bool:
    """Whether ``SERVICE`` or ``LOAD`` appears anywhere, in any case, as written or with
    its ``\\u`` escapes read (as SPARQL 1.1 reads them; pyoxigraph only reads them in
    strings and IRIs): no engine calls a service whose keyword is not in the text."""
    expanded = _CODEPOINT_ESCAPE.sub(_expand_escape, text)
    return _REMOTE_WORD.search(text) is not None or _REMOTE_WORD.search(expanded) is not None


def _expand_escape(match: re.Match[str]) -> str:
    if match[0] == "\\\\":
        return match[0]
    try:
        return chr(int(match[0][2:], 16))
    except ValueError:  # beyond Unicode
        return match[0]


def _as_pyoxigraph_reads_it(text: str) -> str:
    """The text with the lexical points where rdflib and pyoxigraph disagree made to agree.

    - pyoxigraph ends a comment at ``\\r`` as well as ``\\n`` (as SPARQL says); rdflib only
      at ``\\n``. A raw ``\\r`` can only be a line end, whitespace, or part of a long
      string, so reading it as ``\\n`` changes no structure.
    - rdflib expands ``\\uXXXX`` everywhere before it parses, so ``"\\u0022"`` would end a
      string for it; pyoxigraph reads such escapes only inside strings and IRIs, as one
      character. Each becomes a plain ``x`` here (and the parsers are called without
      rdflib's expansion), which is one character wherever pyoxigraph accepts it.
    """
    text = text.replace("\r", "\n")
    return _CODEPOINT_ESCAPE.sub(lambda m: m[0] if m[0] == "\\\\" else "x", text)


@cache
def _parsers() -> dict[str, ParserElement]:
    """rdflib's grammars for a query and an update, called directly: its ``parseQuery``
    would first expand the ``\\u`` escapes that :func:`_as_pyoxigraph_reads_it` removed.

    Each parses a first text here: pyparsing prepares a grammar on its first use (30 ms),
    which a forked child would otherwise redo for every query."""
    from rdflib.plugins.sparql.parser import Query, UpdateUnit

    Query.parse_string("ASK {}", parse_all=True)
    UpdateUnit.parse_string("CLEAR ALL", parse_all=True)
    return {"query": Query, "update": UpdateUnit}


def warm_up() -> None:
    """Import and prepare the parser now (before a fork, so that each child has it)."""
    _parsers()


def _where(err: Exception) -> str:
    line, column = getattr(err, "lineno", None), getattr(err, "col", None)
    reason = " ".join(str(getattr(err, "msg", err)).split())[:200]
    return f"line {line}, column {column}: {reason}" if line and column else reason


def _nodes(tree: Any) -> Iterator[Any]:
    """Every rdflib ``CompValue`` (a parse node: a mapping with a ``name``) of a parse
    tree, in the order of the text."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            yield node
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, ParseResults | list | tuple):  # ParseResults also passes
            stack.extend(reversed(list(node)))  # for a Mapping: test it before one


def _field(node: Any, key: str) -> Any:
    """A field of a parse node, ``None`` when absent (``CompValue.get`` answers the key)."""
    return node[key] if key in node else None


def _remote_calls(tree: Any, prefixes: Mapping[str, str]) -> tuple[str, ...]:
    found: list[str] = []
    for node in _nodes(tree):
        if node.name == "ServiceGraphPattern":
            found.append(f"SERVICE {_term_text(_field(node, 'term'), prefixes)}")
        elif node.name == "Load":
            found.append(f"LOAD {_term_text(_field(node, 'iri'), prefixes)}")
    return tuple(dict.fromkeys(found))


def _prefixes(prologue: Any) -> dict[str, str]:
    return {
        str(_field(decl, "prefix") or ""): str(decl["iri"])
        for decl in _nodes(prologue)
        if decl.name == "PrefixDecl" and "iri" in decl
    }


def _term_text(term: Any, prefixes: Mapping[str, str]) -> str:
    """An IRI as ``<iri>`` (a prefixed name resolved where its prefix is declared), a
    variable as ``?name``."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef, Variable

    if isinstance(term, Variable):
        return f"?{term}"
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, CompValue) and term.name == "pname":
        prefix, local = str(_field(term, "prefix") or ""), str(_field(term, "localname") or "")
        return f"<{prefixes[prefix]}{local}>" if prefix in prefixes else f"{prefix}:{local}"
    return str(term)


def _update_keyword(operation: Any) -> str:
    name = getattr(operation, "name", "")
    if name == "Modify":
        parts = [word for word in ("DELETE", "INSERT") if word.lower() in operation]
        return "/".join(parts) or "MODIFY"
    return _UPDATE_KEYWORDS.get(name, name.upper())
