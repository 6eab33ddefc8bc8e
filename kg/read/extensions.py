"""Extensions: Turtle files in ``ontology/extensions/`` that grow the ontology and the list.

An extension file says things in the vocabulary the exported graph uses:

- a new **kind** of resource, merged into the ontology::

      kg:LectureNotes a owl:Class ; rdfs:subClassOf kg:Book ; rdfs:label "Lecture notes"@en .

- a new **topic** of a list, under a broader one::

      <…/topic/deep-learning-theory/sgd/noise> a skos:Concept ; skos:prefLabel "Noise"@en ;
          skos:inScheme <…/list/deep-learning-theory> ; skos:broader <…/topic/deep-learning-theory/sgd> .

- a new **resource** of a list::

      <https://arxiv.org/abs/2106.10165> a kg:Book ; dcterms:title "…" ;
          schema:url <https://arxiv.org/abs/2106.10165> ; kg:listedIn <…/list/deep-learning-theory> ;
          dcterms:subject <…/topic/…> ; kg:curatorNote "…"@en ; kg:listedYear "2021"^^xsd:gYear .

Topics and resources become :class:`~kg.model.records.Entry` records appended to the reading
list *before* identification, so a build identifies and enriches them like the list's own
entries; each keeps the file and line it came from (``Entry.source``, ``Entry.line``).
Entries for another list (another ``kg:listedIn``) wait for that list's build.

Everything is checked before use: Turtle syntax, the SHACL shapes of
``ontology/extension-shapes.ttl``, the closed ``kg:`` vocabulary, and what shapes cannot
see: unknown kinds and topics, topic IRIs that do not follow from their labels (the build
mints topic IRIs from labels), resources the list already has. Each problem names its file
and line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SDO, SKOS

from kg.errors import OntologyError
from kg.identify.identifiers import identify_url
from kg.model.iris import list_iri, topic_iri
from kg.model.kinds import kind_name
from kg.model.ontology import Ontology, load_ontology, parse_turtle_file
from kg.model.records import Entry, ReadingList
from kg.model.vocab import DEFAULT_BASE_IRI, KG
from kg.rdf.validate import load_shapes, validate_graph
from kg.read.topics import topic_paths
from kg.resources import ontology_dir
from kg.sparql.stats import compact

__all__ = [
    "EXTENSIONS_DIR",
    "Extended",
    "Topic",
    "apply_extensions",
    "extension_files",
    "extension_shapes_file",
    "kind_name",
    "resource_tokens",
]

log = logging.getLogger(__name__)

EXTENSIONS_DIR = Path("ontology") / "extensions"
"""Where the command line looks for extensions by default: relative to the working
directory, since the ontology an installed kg ships sits read-only in site-packages."""


def extension_files(directory: Path | None = None) -> list[Path]:
    """The ``*.ttl`` files of an extensions directory, in name order.

    Without a directory, those of ``./ontology/extensions`` if it exists; a directory
    given explicitly must exist.
    """
    if directory is None:
        directory = EXTENSIONS_DIR
        if not directory.is_dir():
            return []
    elif not Path(directory).is_dir():
        what = "not a directory" if Path(directory).exists() else "no such directory"
        raise OntologyError(f"{directory}: {what}: give the directory of extension files (*.ttl)")
    return sorted(p for p in Path(directory).glob("*.ttl") if p.is_file())


def extension_shapes_file() -> Path:
    """The SHACL shapes extension files must conform to."""
    return ontology_dir() / "extension-shapes.ttl"


def resource_tokens(url: str) -> set[tuple[str, str]]:
    """What identifies a linked work: its normalised URL and the ids the URL names. Two
    resources sharing a token are the same work (an arXiv abstract and its PDF)."""
    return set(identify_url(url).items())


@dataclass(frozen=True)
class Topic:
    """A topic of a list, from the list itself or from an extension."""

    iri: str
    entry: Entry
    path: tuple[str, ...]
    """Labels from the outermost topic down to this one."""

    @property
    def where(self) -> str:
        return f"{self.entry.source}, line {self.entry.line}" if self.entry.source else f"line {self.entry.line}"


@dataclass(frozen=True)
class Extended:
    """A reading list with its extensions applied, and the ontology they extend."""

    reading_list: ReadingList
    ontology: Ontology
    entries: tuple[Entry, ...]
    """The entries the extensions added (topics first, broader before narrower)."""
    topics: dict[str, Topic]
    """Every topic of the list by IRI, the list's own and the added ones."""
    list_iri: str


@dataclass(frozen=True)
class _File:
    path: Path
    graph: Graph
    lines: dict[str, int]
    """Line of the statement that first describes each subject."""


# A statement's subject is the first term of a line that starts a statement.
_FIRST_TERM = re.compile(r"^\s*(<[^>\s]*>|[^\s<\"'#@;,()\[\]]*:[^\s;,()\[\]]*)")
_TRAILING_COMMENT = re.compile(r"(^|\s)#.*$")


def _subject_lines(text: str, graph: Graph) -> dict[str, int]:
    lines: dict[str, int] = {}
    starts_statement = True
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _TRAILING_COMMENT.sub("", raw).rstrip()
        if not line:
            continue
        if starts_statement and not line.lstrip().lower().startswith(("@prefix", "@base", "prefix", "base")):
            match = _FIRST_TERM.match(line)
            if match:
                term = match[1].rstrip(".")
                try:
                    iri = term[1:-1] if term.startswith("<") else str(graph.namespace_manager.expand_curie(term))
                except ValueError:
                    iri = ""
                if iri:
                    lines.setdefault(iri, number)
        starts_statement = line.endswith(".")
    return lines


def _read(path: Path, text: str | None) -> _File:
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise OntologyError(f"{path}: cannot read the extension: {err}") from err
    graph = parse_turtle_file(path, text=text)
    return _File(path, graph, _subject_lines(text, graph))


def _locate(subject: object, files: Sequence[_File]) -> tuple[_File, int]:
    """The file and line that describe ``subject`` (line 1 when no statement starts with it)."""
    for file in files:
        if str(subject) in file.lines:
            return file, file.lines[str(subject)]
    found = next((f for f in files if (URIRef(str(subject)), None, None) in f.graph), files[0])
    return found, 1


class _Problems:
    """Problems found so far, each with its file and line; raised together at the end."""

    def __init__(self, files: Sequence[_File]) -> None:
        self._files = files
        self.found: list[str] = []

    def add(self, subject: object, message: str) -> None:
        file, line = _locate(subject, self._files)
        self.found.append(f"{file.path}: line {line}: {message}")

    def raise_if_any(self) -> None:
        unique = list(dict.fromkeys(self.found))
        if len(unique) == 1:
            raise OntologyError(unique[0])
        if unique:
            raise OntologyError(f"{len(unique)} problems in the extensions:\n" + "\n".join(unique))


def apply_extensions(
    reading_list: ReadingList,
    paths: Iterable[Path],
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    texts: Mapping[Path, str] | None = None,
) -> Extended:
    """The list with the topics and resources the extension files add, and the ontology
    with the classes they declare. ``texts`` stands in for files about to be written.

    Raises OntologyError listing every problem with its file and line.
    """
    texts = texts or {}
    files = [_read(Path(p), texts.get(Path(p))) for p in dict.fromkeys(paths)]
    shipped = load_ontology()
    merged = Graph()
    for file in files:
        merged += file.graph
    ontology = Ontology(shipped.graph + merged) if files else shipped
    the_list = list_iri(reading_list.source, base_iri)
    topics = _list_topics(reading_list, base_iri)
    if not files:
        return Extended(reading_list, ontology, (), topics, the_list)
    problems = _Problems(files)
    for violation in validate_graph(merged, ontology, load_shapes(extension_shapes_file())).violations:
        path = compact(violation.path) if violation.path else ""
        problems.add(violation.focus, f"{path}: {violation.message}" if path else violation.message)
    _check_classes(merged, shipped, ontology, problems)
    problems.raise_if_any()
    keys: set[str] = set()
    added = _topics(merged, the_list, topics, base_iri, problems, files, keys)
    problems.raise_if_any()
    added += _resources(merged, the_list, reading_list, topics, ontology, problems, files, keys)
    problems.raise_if_any()
    extended = replace(reading_list, entries=reading_list.entries + tuple(added))
    log.info("extensions: %d file(s), %d entries added to %s", len(files), len(added), the_list)
    return Extended(extended, ontology, tuple(added), topics, the_list)


def _list_topics(reading_list: ReadingList, base_iri: str) -> dict[str, Topic]:
    paths = topic_paths(reading_list)
    topics: dict[str, Topic] = {}
    for entry in reading_list.entries:
        if entry.is_topic:
            path = paths[entry.key] + (entry.title,)
            topics.setdefault(topic_iri(path, base_iri), Topic(topic_iri(path, base_iri), entry, path))
    return topics


def _check_classes(merged: Graph, shipped: Ontology, ontology: Ontology, problems: _Problems) -> None:
    """New classes have new names and subclass classes the ontology knows: declared ones,
    or the standard classes kg's own are subclasses of (schema:Book, fabio:Preprint…)."""
    known = set(ontology.classes) | {
        c for c in shipped.graph.objects(None, RDFS.subClassOf) if isinstance(c, URIRef)
    }
    for cls in sorted({c for c in merged.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}):
        if cls in shipped.classes:
            problems.add(cls, f"{compact(str(cls))} is a class of kg's own ontology: give the new one another name")
        for parent in merged.objects(cls, RDFS.subClassOf):
            if isinstance(parent, URIRef) and parent not in known:
                problems.add(cls, f"unknown class {compact(str(parent))}: {compact(str(cls))} must subclass a known kind (kg:Book, kg:Paper…)")


def _entry_key(file: _File, line: int, taken: set[str]) -> str:
    key = f"{file.path.name}:L{line}"
    suffix = 1
    while key in taken:
        suffix += 1
        key = f"{file.path.name}:L{line}-{suffix}"
    taken.add(key)
    return key


def _topics(
    merged: Graph,
    the_list: str,
    topics: dict[str, Topic],
    base_iri: str,
    problems: _Problems,
    files: Sequence[_File],
    keys: set[str],
) -> list[Entry]:
    """Entries for the topics added to this list, each after its broader topic."""
    pending = sorted(s for s in merged.subjects(SKOS.inScheme, URIRef(the_list)) if isinstance(s, URIRef))
    for subject in pending:
        if str(subject) in topics:
            problems.add(subject, f"<{subject}> is already a topic of the list ({topics[str(subject)].where})")
    pending = [s for s in pending if str(s) not in topics]
    added: list[Entry] = []
    while pending:
        ready = [s for s in pending if merged.value(s, SKOS.broader) is None or str(merged.value(s, SKOS.broader)) in topics]
        if not ready:
            for subject in pending:
                problems.add(subject, f"unknown broader topic <{merged.value(subject, SKOS.broader)}>")
            break
        for subject in ready:
            pending.remove(subject)
            broader_iri = merged.value(subject, SKOS.broader)
            broader = topics[str(broader_iri)] if broader_iri is not None else None
            label = str(merged.value(subject, SKOS.prefLabel))
            path = (broader.path if broader else ()) + (label,)
            expected = topic_iri(path, base_iri)
            if str(subject) != expected:
                problems.add(subject, f"a topic's IRI follows from its broader topics and label: write <{expected}>")
                continue
            file, line = _locate(subject, files)
            entry = Entry(
                key=_entry_key(file, line, keys), title=label, line=line,
                parent=broader.entry.key if broader else None, source=str(file.path),
            )
            topics[expected] = Topic(expected, entry, path)
            added.append(entry)
    return added


def _resources(
    merged: Graph,
    the_list: str,
    reading_list: ReadingList,
    topics: dict[str, Topic],
    ontology: Ontology,
    problems: _Problems,
    files: Sequence[_File],
    keys: set[str],
) -> list[Entry]:
    """Entries for the resources added to this list."""
    seen: dict[tuple[str, str], str] = {}
    for entry in reading_list.entries:
        if entry.url:
            for token in resource_tokens(entry.url):
                seen.setdefault(token, f"is already on the list (line {entry.line}, {entry.title!r})")
    added: list[Entry] = []
    for subject in sorted(s for s in merged.subjects(KG.listedIn, URIRef(the_list)) if isinstance(s, URIRef)):
        file, line = _locate(subject, files)
        kinds = [c for c in merged.objects(subject, RDF.type) if isinstance(c, URIRef) and ontology.is_work_kind(c)]
        if len(kinds) != 1:
            named = ", ".join(compact(str(c)) for c in merged.objects(subject, RDF.type))
            problems.add(subject, f"names {'several kinds' if kinds else 'no known kind'} of resource ({named}): "
                         "give one kg:Work class (`kg add kind` declares new ones)")
            continue
        topic = str(merged.value(subject, DCTERMS.subject))
        if topic not in topics:
            problems.add(subject, f"unknown topic <{topic}> of {the_list} (`kg add topic` adds one)")
            continue
        url = str(merged.value(subject, SDO.url))
        clash = next((seen[t] for t in sorted(resource_tokens(url)) if t in seen), None)
        if clash:
            problems.add(subject, f"{url} {clash}")
            continue
        for token in resource_tokens(url):
            seen.setdefault(token, f"is already added ({file.path}, line {line})")
        note = merged.value(subject, KG.curatorNote)
        year = merged.value(subject, KG.listedYear)
        added.append(
            Entry(
                key=_entry_key(file, line, keys),
                title=str(merged.value(subject, DCTERMS.title)),
                line=line,
                url=url,
                parent=topics[topic].entry.key,
                note=str(note) if note is not None else None,
                note_lang=note.language if isinstance(note, Literal) else None,
                year=int(str(year)[:4]) if year is not None and str(year)[:4].isdigit() else None,
                kind=kind_name(str(kinds[0])),
                source=str(file.path),
            )
        )
    return added
