"""``kg add``: a new kind, topic or resource, written into an extension file once checked.

Each function resolves what the user typed (a topic by label or path, a kind by name, an
arXiv id or DOI as an address), writes the Turtle for the new entry, appends it to the
extension file's text *in memory*, and checks every extension with that text in place
(:func:`kg.extensions.apply_extensions`: syntax, SHACL shapes, known kinds and topics,
duplicates). Only then is the file written, atomically: a refused entry leaves every
file as it was.

>>> camel_label("LectureNotes")
'Lecture notes'
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from kg.errors import OntologyError
from kg.files import atomic_write_text
from kg.identify.identifiers import extract_identifiers, identify_url
from kg.identify.kinds import guess_kind
from kg.model.iris import check_base_iri, identifier_iris, topic_iri, work_iri
from kg.model.kinds import camel_label
from kg.model.ontology import Ontology, kind_iri
from kg.model.records import ReadingList
from kg.model.vocab import PREFIXES
from kg.read.extensions import (
    Extended,
    Topic,
    apply_extensions,
    extension_files,
    kind_name,
    resource_tokens,
)
from kg.read.language import text_language
from kg.read.links import escape_address, qualifies
from kg.sparql.stats import compact

__all__ = [
    "Workspace",
    "Addition",
    "add_kind",
    "add_topic",
    "add_resource",
    "resource_url",
    "camel_label",
    "find_kind",
    "find_topic",
]

log = logging.getLogger(__name__)

_HEADER = (
    "# kg extension: entries added to the ontology and the reading list. `kg add` appends\n"
    "# here after checking; edit freely, `kg build` checks the file again.\n"
)
_PREFIX_LINE = re.compile(r"(?im)^\s*@?prefix\s+([\w.-]*):\s*<([^>]*)>")
_USED_PREFIX = re.compile(r"(?<![\w<\"/#])([a-z]+):[A-Za-z]")
_KIND_NAME = re.compile(r"[A-Z][A-Za-z0-9]*")


@dataclass(frozen=True)
class Workspace:
    """Where additions go, and the list they extend."""

    directory: Path
    """The extensions directory (created on first write)."""
    reading_list: ReadingList
    base_iri: str

    def __post_init__(self) -> None:
        check_base_iri(self.base_iri)  # ValueError: what is added would get a broken IRI


@dataclass(frozen=True)
class Addition:
    """What ``kg add`` wrote."""

    path: Path
    iri: str
    line: int
    """Line of the new statement in ``path``."""
    turtle: str


def _current(ws: Workspace) -> Extended:
    files = extension_files(ws.directory) if ws.directory.is_dir() else []
    return apply_extensions(ws.reading_list, files, base_iri=ws.base_iri)


def _normal(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .:;,")


def find_topic(extended: Extended, spec: str) -> Topic:
    """A topic by IRI, by label, or by the end of its path (``"Optimization / SGD"``)."""
    if spec in extended.topics:
        return extended.topics[spec]
    wanted = [_normal(part) for part in spec.split("/")] if "/" in spec else [_normal(spec)]
    found = [
        t for t in extended.topics.values()
        if [_normal(label) for label in t.path[-len(wanted):]] == wanted
    ]
    if len(found) == 1:
        return found[0]
    if found:
        options = "; ".join(f"{' / '.join(t.path)} ({t.where})" for t in found[:6])
        raise OntologyError(f"topic {spec!r} is ambiguous: {options}; give more of its path")
    labels = sorted({t.path[-1] for t in extended.topics.values()})
    close = difflib.get_close_matches(spec, labels, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    raise OntologyError(
        f"unknown topic {spec!r} in {extended.reading_list.source}{hint} "
        "(`kg add topic` adds one; --list LIST.md extends another list)"
    )


def find_kind(ontology: Ontology, spec: str) -> URIRef:
    """A kind of resource by local name (``Preprint``), label, ``kg:`` name or IRI."""
    kinds = ontology.work_kinds()
    if spec.startswith("kg:"):
        spec = spec[3:]
    if spec.startswith(("http://", "https://")) and URIRef(spec) in kinds:
        return URIRef(spec)
    wanted = _normal(spec)
    for cls in kinds:
        if wanted in (_normal(kind_name(cls)), _normal(ontology.label(cls))):
            return cls
    names = ", ".join(kind_name(c) for c in kinds)
    raise OntologyError(f"unknown kind {spec!r}: one of {names} (`kg add kind` declares a new one)")


def resource_url(ref: str) -> str:
    """The address of a resource given as a URL, an arXiv id or a DOI.

    >>> resource_url("arXiv:2106.10165"), resource_url("10.1007/978-3-030-36720-6")
    ('https://arxiv.org/abs/2106.10165', 'https://doi.org/10.1007/978-3-030-36720-6')
    >>> resource_url("2106.10165"), resource_url("https://example.org/a#b#c")
    ('https://arxiv.org/abs/2106.10165', 'https://example.org/a#b%23c')
    """
    ref = ref.strip()
    if ref.lower().startswith(("http://", "https://")):
        if not qualifies(ref):  # "https://", a bad port, a badge service
            raise OntologyError(f"{ref!r} is not the address of a resource: give its full http(s) address, with a host")
        return escape_address(ref)  # as the list's links are read: a second # becomes %23
    ids = extract_identifiers(ref)
    if not (ids.arxiv or ids.doi):
        ids = extract_identifiers(f"arXiv:{ref}")
    iris = identifier_iris(ids)
    if not iris:
        raise OntologyError(f"{ref!r} is not an http(s) address, an arXiv id or a DOI")
    return iris[0]


def _iri(value: str) -> str:
    try:
        return str(ox.NamedNode(value))
    except ValueError as err:
        raise OntologyError(f"{value!r} is not a valid IRI") from err


def _text(value: str, what: str, lang: str | None = None) -> str:
    value = " ".join(value.split())
    if not value:
        raise OntologyError(f"the {what} is empty")
    try:
        return str(ox.Literal(value, language=lang) if lang else ox.Literal(value))
    except ValueError as err:
        raise OntologyError(f"{lang!r} is not a language tag (BCP 47: en, zh, pt-BR…)") from err


def _class(cls: URIRef) -> str:
    name = kind_name(cls)
    return f"kg:{name}" if name != str(cls) else _iri(str(cls))


def _statement(subject: str, pairs: list[tuple[str, str]]) -> str:
    """``subject p1 o1 ; p2 o2 .`` over lines, the way the shipped Turtle reads."""
    body = " ;\n    ".join(f"{p} {o}" for p, o in pairs)
    return f"{subject} {body} .\n"


def _append(ws: Workspace, file_name: str, comment: str, statement: str, iri: str) -> Addition:
    """Check the extensions with ``statement`` appended to ``file_name``, then write it."""
    target = ws.directory / file_name
    try:
        old = target.read_text(encoding="utf-8") if target.exists() else _HEADER
    except (OSError, UnicodeDecodeError) as err:
        raise OntologyError(f"{target}: cannot read the extension: {err}") from err
    declared = {p: ns for p, ns in _PREFIX_LINE.findall(old)}
    needed = sorted({p for p in _USED_PREFIX.findall(statement) if p in PREFIXES})
    missing = [f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in needed if declared.get(p) != PREFIXES[p]]
    text = old.rstrip("\n") + "\n"
    if missing:
        text += "".join(missing)
    text += f"\n# {comment}\n"
    line = text.count("\n") + 1
    text += statement
    files = extension_files(ws.directory) if ws.directory.is_dir() else []
    apply_extensions(ws.reading_list, [*files, target], base_iri=ws.base_iri, texts={target: text})
    atomic_write_text(target, text)
    log.info("%s: added %s at line %d", target, iri, line)
    return Addition(path=target, iri=iri, line=line, turtle=statement)


def add_kind(
    ws: Workspace,
    name: str,
    *,
    parent: str,
    label: str | None = None,
    comment: str | None = None,
    file_name: str = "kinds.ttl",
) -> Addition:
    """Declare ``kg:NAME``, a new kind of resource below an existing one."""
    if not _KIND_NAME.fullmatch(name):
        raise OntologyError(f"{name!r}: a kind's name is one CamelCase word, e.g. LectureNotes")
    current = _current(ws)
    cls = kind_iri(name)
    if cls in current.ontology.classes:
        raise OntologyError(f"kg:{name} already exists ({current.ontology.label(cls)})")
    superclass = find_kind(current.ontology, parent)
    pairs = [
        ("a", "owl:Class"),
        ("rdfs:subClassOf", _class(superclass)),
        ("rdfs:label", _text(label or camel_label(name), "label", "en")),
    ]
    if comment:
        pairs.append(("rdfs:comment", _text(comment, "comment", "en")))
    note = f"kg add kind: a kind of {compact(str(superclass))}"
    return _append(ws, file_name, note, _statement(f"kg:{name}", pairs), str(cls))


def add_topic(
    ws: Workspace,
    label: str,
    *,
    broader: str | None = None,
    lang: str | None = None,
    file_name: str = "topics.ttl",
) -> Addition:
    """Add a topic to the list, under ``broader`` (a topic's label, path or IRI) or at the top."""
    current = _current(ws)
    label = " ".join(label.split())
    above = find_topic(current, broader) if broader else None
    path = (above.path if above else ()) + (label,)
    iri = topic_iri(path, ws.base_iri)
    if iri in current.topics:
        raise OntologyError(f"{' / '.join(path)!r} is already a topic ({current.topics[iri].where})")
    pairs = [
        ("a", "skos:Concept"),
        ("skos:prefLabel", _text(label, "topic's label", lang or text_language(label))),
        ("skos:inScheme", _iri(current.list_iri)),
    ]
    if above is not None:
        pairs.append(("skos:broader", _iri(above.iri)))
    where = f"under {' / '.join(above.path)}" if above else "at the top of the list"
    return _append(ws, file_name, f"kg add topic, {where}", _statement(_iri(iri), pairs), iri)


def add_resource(
    ws: Workspace,
    ref: str,
    *,
    title: str,
    topic: str,
    kind: str | None = None,
    note: str | None = None,
    note_lang: str | None = None,
    year: int | None = None,
    file_name: str = "resources.ttl",
) -> Addition:
    """Add a resource (a URL, arXiv id or DOI) to the list under ``topic``.

    The kind is guessed from the address and title as for the list's own entries unless
    given.
    """
    current = _current(ws)
    url = resource_url(ref)
    under = find_topic(current, topic)
    for entry in current.reading_list.entries:
        if entry.url and resource_tokens(entry.url) & resource_tokens(url):
            where = f"{entry.source}, line {entry.line}" if entry.source else f"line {entry.line}"
            raise OntologyError(f"{url} is already on the list ({where}: {entry.title!r})")
    ids = identify_url(url)
    cls = find_kind(current.ontology, kind) if kind else kind_iri(
        guess_kind(url, ids, title=title, topics=under.path, note=note or "")
    )
    if year is not None and not 1000 <= year <= 2999:
        raise OntologyError(f"{year}: not a year")
    iri = work_iri(ids, ws.base_iri)
    pairs = [
        ("a", _class(cls)),
        ("dcterms:title", _text(title, "title")),
        ("schema:url", _iri(url)),
        ("kg:listedIn", _iri(current.list_iri)),
        ("dcterms:subject", _iri(under.iri)),
    ]
    if note:
        pairs.append(("kg:curatorNote", _text(note, "note", note_lang or text_language(note))))
    if year is not None:
        pairs.append(("kg:listedYear", f'"{year:04d}"^^xsd:gYear'))
    comment = f"kg add resource, under {' / '.join(under.path)}"
    return _append(ws, file_name, comment, _statement(_iri(iri), pairs), iri)

