"""Checking a graph against the ontology's SHACL shapes and its closed vocabulary.

Two checks, one report:

- SHACL (pySHACL) with the shapes of ``ontology/shapes.ttl``: cardinalities, datatypes,
  the classes a link must point to. No inference: exported data states every superclass.
- Closed vocabulary: every class and property of the kg namespace used in the data must
  be declared by the ontology (or an extension). A typo such as ``kg:Preprnt`` is an error
  rather than a silent new class.
- Bylines: the members of a ``bibo:authorList`` (``rdf:_1``, ``rdf:_2``, …) are creators
  of its work and are numbered from 1 without a gap. One pass over the bylines here, where
  a SHACL-SPARQL constraint would run a query per byline (minutes at 25,000 works). The
  list's bylines as written (``kg:listedAuthorList``) hold names: non-empty texts, numbered
  the same way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg.errors import OntologyError
from kg.model.ontology import Ontology, parse_turtle_file
from kg.model.vocab import BIBO, DCTERMS, KG, member_number
from kg.resources import shapes_file

__all__ = ["Violation", "ValidationReport", "validate_graph", "load_shapes"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, order=True)
class Violation:
    """One way the data fails the shapes or the vocabulary."""

    focus: str
    path: str
    message: str
    value: str = ""
    severity: str = "Violation"

    def __str__(self) -> str:
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.focus}  {self.path}: {self.message}{value}"


@dataclass(frozen=True)
class ValidationReport:
    violations: list[Violation] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not any(v.severity == "Violation" for v in self.violations)


def load_shapes(path: Path | None = None) -> Graph:
    return parse_turtle_file(path or shapes_file())


def validate_graph(data: Graph, ontology: Ontology, shapes: Graph | None = None) -> ValidationReport:
    """Check ``data`` against the shapes and the ontology's vocabulary."""
    shapes = shapes if shapes is not None else load_shapes()
    conforms, results, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True
    )
    if not isinstance(results, Graph):
        raise OntologyError(f"the SHACL validator failed: {results}")
    violations = (
        sorted(_shacl_violations(results))
        + sorted(_vocabulary_violations(data, ontology))
        + sorted(_byline_violations(data))
    )
    log.info("validation: %d problem(s)", len(violations))
    return ValidationReport(violations)


def _shacl_violations(results: Graph) -> list[Violation]:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        fields = {
            name: "" if (value := results.value(result, pred)) is None else str(value)
            for name, pred in (
                ("focus", SH.focusNode),
                ("path", SH.resultPath),
                ("message", SH.resultMessage),
                ("value", SH.value),
                ("severity", SH.resultSeverity),
            )
        }
        fields["message"] = fields["message"] or "does not conform"
        fields["severity"] = fields["severity"].rsplit("#", 1)[-1] or "Violation"
        found.append(Violation(**fields))
    return found


def _vocabulary_violations(data: Graph, ontology: Ontology) -> list[Violation]:
    namespace = str(KG._NS)
    found = []
    for cls in set(data.objects(None, RDF.type)):
        if isinstance(cls, URIRef) and str(cls).startswith(namespace) and cls not in ontology.classes:
            focus = next(data.subjects(RDF.type, cls))
            found.append(Violation(str(focus), str(RDF.type), f"unknown class {cls}: declare it in an extension (kg add kind)", str(cls)))
    for prop in set(data.predicates()):
        if str(prop).startswith(namespace) and prop not in ontology.properties:
            subject, _, value = next(data.triples((None, prop, None)))
            shown = str(value) if isinstance(value, Literal) else f"<{value}>"
            found.append(Violation(str(subject), str(prop), f"unknown property {prop}", shown))
    return found


def _byline_violations(data: Graph) -> list[Violation]:
    found = []
    for work, byline in data.subject_objects(BIBO.authorList):
        numbers = set()
        for predicate, member in data.predicate_objects(byline):
            number = member_number(str(predicate))
            if number is None:
                continue
            numbers.add(number)
            if (work, DCTERMS.creator, member) not in data:
                found.append(Violation(
                    str(byline), f"rdf:_{number}",
                    f"a member of the byline of <{work}> is not a dcterms:creator of it", str(member),
                ))
        found += _gaps(byline, numbers)
    for work, byline in data.subject_objects(KG.listedAuthorList):
        numbers = set()
        for predicate, member in data.predicate_objects(byline):
            if (number := member_number(str(predicate))) is None:
                continue
            numbers.add(number)
            if not isinstance(member, Literal) or not str(member).strip():
                found.append(Violation(
                    str(byline), f"rdf:_{number}",
                    f"a name of the list's byline of <{work}> must be a non-empty text", str(member),
                ))
        found += _gaps(byline, numbers)
    return found


def _gaps(byline: Node, numbers: set[int]) -> list[Violation]:
    if numbers == set(range(1, len(numbers) + 1)):
        return []
    return [Violation(
        str(byline), "rdf:_n", f"a byline numbers its members 1, 2, 3… without a gap; this one has {sorted(numbers)}",
    )]
