"""The ontology is the source of truth: code uses only its terms, and every term is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.errors import OntologyError
from kg.model.ontology import load_ontology, parse_turtle_file
from kg.model.vocab import KG
from kg.resources import ontology_dir, shapes_file

PACKAGE = Path(__file__).resolve().parent.parent / "kg"


def declared_terms() -> set[str]:
    graph = load_ontology().graph
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {str(s) for k in kinds for s in graph.subjects(RDF.type, k) if str(s).startswith(str(KG._NS))}


def test_namespace_object_and_ontology_declare_the_same_terms() -> None:
    in_code = {str(KG._NS) + name for name in KG.__annotations__}
    assert in_code == declared_terms()


def test_every_kg_term_used_in_the_code_is_declared() -> None:
    used = set()
    for path in PACKAGE.rglob("*.py"):
        used |= set(re.findall(r"\bKG\.([A-Za-z_]\w*)", path.read_text(encoding="utf-8")))
    used -= {"_NS"}
    declared = declared_terms()
    undeclared = {name for name in used if str(KG._NS) + name not in declared}
    assert not undeclared


def test_every_term_has_a_label_and_a_comment() -> None:
    graph = load_ontology().graph
    for term in declared_terms():
        assert graph.value(URIRef(term), RDFS.label) is not None, term
        assert graph.value(URIRef(term), RDFS.comment) is not None, term


def test_ontology_has_a_version() -> None:
    graph = load_ontology().graph
    ontology = next(graph.subjects(RDF.type, OWL.Ontology))
    assert graph.value(ontology, OWL.versionInfo) is not None
    assert graph.value(ontology, OWL.versionIRI) is not None


def test_every_kind_is_a_work_and_maps_to_a_standard_class() -> None:
    ontology = load_ontology()
    kinds = ontology.work_kinds()
    assert URIRef(KG.Preprint) in kinds and URIRef(KG.Course) in kinds
    for kind in kinds:
        outside = [c for c in ontology.superclasses(kind) if not str(c).startswith(str(KG._NS))]
        assert outside, f"{kind} has no standard-vocabulary superclass"


def test_shapes_cover_every_class_kg_emits() -> None:
    shapes = Graph().parse(shapes_file())
    SH = "http://www.w3.org/ns/shacl#"
    targets = {str(o) for o in shapes.objects(None, URIRef(SH + "targetClass"))}
    assert {str(KG.Work), str(KG.ReadingList), "http://xmlns.com/foaf/0.1/Person",
            "http://www.w3.org/2004/02/skos/core#Concept", "http://purl.org/spar/cito/Citation",
            "https://schema.org/LinkRole"} <= targets


def test_a_malformed_ontology_file_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b .\n", encoding="utf-8")
    with pytest.raises(OntologyError, match=r"bad\.ttl: line 3"):
        parse_turtle_file(bad)


def test_ontology_directory_holds_the_files() -> None:
    assert (ontology_dir() / "kg.ttl").is_file()
    assert (ontology_dir() / "extensions").is_dir()


def test_ontology_files_that_cannot_serve_are_named(tmp_path: Path) -> None:
    """A missing file, a folder, a term past what the parser holds, and Turtle that
    declares no ontology: each an OntologyError naming the file and what is wrong."""
    with pytest.raises(OntologyError, match=r"nowhere\.ttl: no such file"):
        load_ontology(base=[tmp_path / "nowhere.ttl"])
    with pytest.raises(OntologyError, match=rf"{re.escape(str(tmp_path))}: cannot be read"):
        parse_turtle_file(tmp_path)
    huge = tmp_path / "huge.ttl"
    huge.write_text('<https://example.org/a> <https://example.org/b> "' + "x" * (17 * 2**20) + '" .\n', encoding="utf-8")
    with pytest.raises(OntologyError, match=r"huge\.ttl: a single literal or IRI is longer than 16 MiB"):
        parse_turtle_file(huge)
    plain = tmp_path / "plain.ttl"
    plain.write_text("<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n", encoding="utf-8")
    with pytest.raises(OntologyError, match="declares no owl:Ontology"):
        load_ontology(base=[plain])
