"""Growing the ontology and the list: `kg add` writes checked Turtle to ontology/extensions/,
the next build includes it like the list's own entries, and bad extensions are refused
with their file and line, with nothing half-written."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from cli_runs import kg

from kg import files
from kg.errors import OntologyError, OutputError
from kg.model.vocab import DEFAULT_BASE_IRI
from kg.read.additions import Addition, Workspace, add_kind, add_resource, add_topic
from kg.read.extensions import apply_extensions
from kg.read.markdown import read_reading_list
from kg.resources import DEFAULT_LIST

LISTS = Path(__file__).parent / "lists"
BASE = DEFAULT_BASE_IRI
SEED_LIST = f"{BASE}list/deep-learning-theory"
SGD = f"{BASE}topic/deep-learning-theory/optimization/sgd"
PREFIXES = """PREFIX kg: <https://w3id.org/kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""


def ask(store: ox.Store, where: str) -> bool:
    return bool(store.query(PREFIXES + f"ASK {{ {where} }}"))


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` (temporary files included) with its bytes."""
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_a_new_resource_topic_and_kind_appear_in_the_next_build(tmp_path: Path) -> None:
    steps = [
        ("add", "kind", "LectureNotes", "--parent", "Book", "--comment", "Notes written for a course."),
        ("add", "topic", "Noise of SGD", "--broader", "Optimization / SGD"),
        ("add", "resource", "arXiv:2106.10165", "--title", "Synthetic lecture notes on SGD noise",
         "--topic", "Noise of SGD", "--kind", "LectureNotes", "--note", "关于噪声的笔记", "--year", "2021"),
    ]
    for step in steps:
        result = kg(*step, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "ontology/extensions/" in result.stdout
    built = kg("build", "--out", "out", cwd=tmp_path)  # ./ontology/extensions is the default
    assert built.returncode == 0, built.stdout + built.stderr  # the build validates its output
    assert "extensions added 1 resources and 1 topics" in built.stdout
    store = ox.Store()
    store.load(path=str(tmp_path / "out" / "kg.ttl"), format=ox.RdfFormat.TURTLE)
    notes, topic = "<https://arxiv.org/abs/2106.10165>", f"<{SGD}/noise-of-sgd>"
    # The kind, with its whole chain of superclasses (as for the shipped kinds).
    assert ask(store, f"{notes} a kg:LectureNotes, kg:Book, kg:Work, <http://purl.org/spar/fabio/Book>")
    # Identified like a list entry: the arXiv id, the list's own facts, where it came from.
    assert ask(store, f"""{notes} kg:arxivId "2106.10165" ; kg:listedIn <{SEED_LIST}> ;
        dcterms:subject {topic} ; kg:curatorNote "关于噪声的笔记"@zh ;
        kg:listedYear "2021"^^<http://www.w3.org/2001/XMLSchema#gYear> ;
        prov:wasDerivedFrom <{SEED_LIST}> ;
        kg:sourceDescription "ontology/extensions/resources.ttl, line 9" """)
    assert ask(store, f"{topic} a skos:Concept ; skos:broader <{SGD}> ; skos:prefLabel 'Noise of SGD'@en")
    # `kg validate` knows the new kind from the same extensions.
    assert kg("validate", "out/kg.ttl", cwd=tmp_path).returncode == 0
    (tmp_path / "none").mkdir()
    unaware = kg("validate", "out/kg.ttl", "--extensions", "none", cwd=tmp_path)
    assert unaware.returncode == 1 and "unknown class https://w3id.org/kg/ontology#LectureNotes" in unaware.stderr


def test_an_added_resource_is_enriched_like_the_lists_own(tmp_path: Path) -> None:
    """Two resources the bundled facts know, added to another list, get their facts."""
    listing = LISTS / "awesome-bullets.md"
    for ref, topic in (("https://arxiv.org/abs/1702.08489", "Foundations"), ("https://arxiv.org/abs/2006.00625", "Surveys")):
        added = kg("add", "resource", ref, "--title", "as the curator wrote it", "--topic", topic,
                   "--list", str(listing), "--extensions", "ext", cwd=tmp_path)
        assert added.returncode == 0, added.stderr
    built = kg("build", str(listing), "--out", "out", "--extensions", "ext", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    store = ox.Store()
    store.load(path=str(tmp_path / "out" / "kg.ttl"), format=ox.RdfFormat.TURTLE)
    depth, vardi = "<https://arxiv.org/abs/1702.08489>", "<https://arxiv.org/abs/2006.00625>"
    assert ask(store, f"{depth} dcterms:title 'Depth Separation for Neural Networks' ; "
                      "kg:listedTitle 'as the curator wrote it' ; dcterms:creator/foaf:name 'Amit Daniely'")
    assert ask(store, f"{vardi} cito:cites {depth}")


def test_a_kind_the_curator_names_is_not_overridden_by_a_source(tmp_path: Path) -> None:
    """The bundled facts call 2105.04026 a survey; the curator says book, and book it stays."""
    listing = LISTS / "awesome-bullets.md"
    added = kg("add", "resource", "https://arxiv.org/abs/2105.04026", "--title", "Modern mathematics",
               "--topic", "Foundations", "--kind", "Book", "--list", str(listing),
               "--extensions", "ext", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    built = kg("build", str(listing), "--out", "out", "--extensions", "ext", "--offline", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    store = ox.Store()
    store.load(path=str(tmp_path / "out" / "kg.ttl"), format=ox.RdfFormat.TURTLE)
    # Named by its Semantic Scholar id, which the bundled facts give.
    modern = "<https://www.semanticscholar.org/paper/c1229904319da71ac87d80c90976666944b4323f>"
    assert ask(store, f"{modern} a kg:Book ; dcterms:title 'The Modern Mathematics of Deep Learning'")
    assert not ask(store, f"{modern} a kg:Survey")


def test_entries_for_another_list_wait_for_its_build(tmp_path: Path) -> None:
    ws = Workspace(tmp_path, read_reading_list(LISTS / "awesome-bullets.md"), BASE)
    add_resource(ws, "https://example.org/synthetic/a", title="Synthetic A", topic="Foundations")
    seed = read_reading_list(DEFAULT_LIST)
    extended = apply_extensions(seed, sorted(tmp_path.glob("*.ttl")), base_iri=BASE)
    assert extended.entries == () and extended.reading_list == seed


BROKEN = """@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<https://example.org/synthetic/a> a kg:Paper ;
    dcterms:title "Synthetic A" ;
    dcterms:subject <https://example.org/t> ,
"""


def test_a_malformed_extension_stops_the_build_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "ontology" / "extensions").mkdir(parents=True)
    (tmp_path / "ontology" / "extensions" / "broken.ttl").write_text(BROKEN, encoding="utf-8")
    result = kg("build", "--out", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert "ontology/extensions/broken.ttl: line 7, column 1: Unexpected end" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_each_problem_of_an_extension_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.ttl"
    path.write_text(f"""@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

<https://example.org/synthetic/ok> a kg:Paper ; dcterms:title "Fine" ;
    schema:url <https://example.org/synthetic/ok> ; kg:listedIn <{SEED_LIST}> ; dcterms:subject <{SGD}> .

<https://example.org/synthetic/no-topic> a kg:Paper ; dcterms:title "No such topic" ;
    schema:url <https://example.org/synthetic/no-topic> ; kg:listedIn <{SEED_LIST}> ;
    dcterms:subject <{BASE}topic/nowhere> .

<https://example.org/synthetic/no-kind> a kg:Pamphlet ; dcterms:title "Unknown kind" ;
    schema:url <https://example.org/synthetic/no-kind> ; kg:listedIn <{SEED_LIST}> ; dcterms:subject <{SGD}> .

<https://example.org/synthetic/twice> a kg:Paper ; dcterms:title "On the list already" ;
    schema:url <https://arxiv.org/pdf/1702.08489v3.pdf> ; kg:listedIn <{SEED_LIST}> ; dcterms:subject <{SGD}> .

<{BASE}topic/wrong-place> a skos:Concept ; skos:prefLabel "Misplaced"@en ;
    skos:inScheme <{SEED_LIST}> ; skos:broader <{SGD}> .
""", encoding="utf-8")
    seed = read_reading_list(DEFAULT_LIST)
    with pytest.raises(OntologyError) as caught:
        apply_extensions(seed, [path], base_iri=BASE)
    assert f"{path}: line 13: " in str(caught.value) and "unknown class" in str(caught.value)
    path.write_text(path.read_text().replace("kg:Pamphlet", "kg:Paper"))
    with pytest.raises(OntologyError) as caught:
        apply_extensions(seed, [path], base_iri=BASE)
    message = str(caught.value)
    assert f"{path}: line 19: a topic's IRI follows from its broader topics and label: write <{SGD}/misplaced>" in message
    path.write_text(path.read_text().replace(f"{BASE}topic/wrong-place", f"{SGD}/misplaced"))
    with pytest.raises(OntologyError) as caught:
        apply_extensions(seed, [path], base_iri=BASE)
    message = str(caught.value)
    assert message.startswith("2 problems in the extensions:")
    assert f"{path}: line 9: unknown topic <{BASE}topic/nowhere>" in message
    assert f"{path}: line 16: https://arxiv.org/pdf/1702.08489v3.pdf is already on the list (line 48" in message


def test_shapes_check_what_an_entry_must_say(tmp_path: Path) -> None:
    path = tmp_path / "thin.ttl"
    path.write_text(f"""@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<https://example.org/synthetic/thin> a kg:Paper ;
    schema:url "https://example.org/synthetic/thin" ;
    kg:listedIn <{SEED_LIST}> ;
    kg:curatorNote "no language" ;
    dcterms:subject <{SGD}> .
""", encoding="utf-8")
    with pytest.raises(OntologyError) as caught:
        apply_extensions(read_reading_list(DEFAULT_LIST), [path], base_iri=BASE)
    message = str(caught.value)
    assert f"{path}: line 5: dcterms:title: A resource needs exactly one dcterms:title" in message
    assert "schema:url: A resource needs exactly one schema:url, an http(s) address" in message
    assert "kg:curatorNote: The curator's note is one literal tagged with its language" in message


@pytest.mark.parametrize(
    ("command", "args", "options", "message"),
    [
        ("resource", ("https://arxiv.org/abs/1702.08489",), {"title": "T", "topic": "SGD"}, "already on the list (line 48"),
        ("resource", ("https://example.org/synthetic/b",), {"title": "T", "topic": "Noize"}, "unknown topic 'Noize'"),
        ("resource", ("https://example.org/synthetic/b",), {"title": "T", "topic": "SGD", "kind": "Pamphlet"}, "unknown kind 'Pamphlet': one of"),
        ("resource", ("not an id",), {"title": "T", "topic": "SGD"}, "not an http(s) address, an arXiv id or a DOI"),
        ("resource", ("https://example.org/synthetic/b",), {"title": "T", "topic": "SGD", "note": "n", "note_lang": "not a tag!"}, "is not a language tag"),
        ("resource", ("https://example.org/synthetic/b",), {"title": " ", "topic": "SGD"}, "the title is empty"),
        ("resource", ("https://example.org/synthetic/b",), {"title": "T", "topic": "SGD", "year": 20210}, "not a year"),
        ("topic", ("SGD",), {"broader": "Optimization"}, "'Deep Learning Theory / Optimization / SGD' is already a topic (line"),
        ("topic", ("Synthetic existing topic",), {"broader": "SGD"}, "is already a topic (" ),
        ("kind", ("Book",), {"parent": "Work"}, "kg:Book already exists"),
        ("kind", ("lecture notes",), {"parent": "Book"}, "one CamelCase word"),
        ("kind", ("Pamphlet",), {"parent": "Leaflet"}, "unknown kind 'Leaflet'"),
    ],
)
def test_bad_entries_are_refused_and_nothing_is_written(
    tmp_path: Path, command: str, args: tuple[str, ...], options: dict[str, object], message: str
) -> None:
    ws = Workspace(tmp_path, read_reading_list(DEFAULT_LIST), BASE)
    add_topic(ws, "Synthetic existing topic", broader="SGD")
    before = snapshot(tmp_path)
    adders: dict[str, Callable[..., Addition]] = {"resource": add_resource, "topic": add_topic, "kind": add_kind}
    with pytest.raises(OntologyError) as caught:
        adders[command](ws, *args, **options)
    assert message in str(caught.value)
    assert snapshot(tmp_path) == before


def test_kg_add_says_what_is_wrong_and_exits_1(tmp_path: Path) -> None:
    result = kg("add", "resource", "https://example.org/synthetic/b", "--title", "T", "--topic", "Noize", cwd=tmp_path)
    assert result.returncode == 1
    said = " ".join(result.stderr.split())
    assert "unknown topic 'Noize'" in said and "--list LIST.md extends another list" in said and "Traceback" not in said
    assert not (tmp_path / "ontology").exists()


def test_an_ambiguous_topic_lists_the_candidates(tmp_path: Path) -> None:
    ws = Workspace(tmp_path, read_reading_list(DEFAULT_LIST), BASE)
    add_topic(ws, "Synthetic twin", broader="SGD")
    add_topic(ws, "Synthetic twin", broader="Course")
    with pytest.raises(OntologyError, match=r"'synthetic twin' is ambiguous: .*give more of its path") as caught:
        add_resource(ws, "https://example.org/synthetic/c", title="C", topic="synthetic twin")
    assert "Optimization / SGD / Synthetic twin (" in str(caught.value)
    assert "Course / Synthetic twin (" in str(caught.value)
    added = add_resource(ws, "https://example.org/synthetic/c", title="C", topic="SGD / Synthetic twin")
    assert added.path == tmp_path / "resources.ttl"


def test_kg_add_refuses_while_another_extension_is_broken(tmp_path: Path) -> None:
    (tmp_path / "broken.ttl").write_text(BROKEN, encoding="utf-8")
    before = snapshot(tmp_path)
    ws = Workspace(tmp_path, read_reading_list(DEFAULT_LIST), BASE)
    with pytest.raises(OntologyError, match=r"broken\.ttl: line 7"):
        add_topic(ws, "Synthetic", broader="SGD")
    assert snapshot(tmp_path) == before


def test_a_write_that_fails_midway_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = Workspace(tmp_path, read_reading_list(DEFAULT_LIST), BASE)
    add_topic(ws, "Synthetic first", broader="SGD")
    before = snapshot(tmp_path)

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(files.os, "replace", crash)
    with pytest.raises(OutputError, match="simulated"):  # one line naming the file, for the CLI
        add_topic(ws, "Synthetic second", broader="SGD")
    assert snapshot(tmp_path) == before  # no half-written file, no temporary left behind
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_appending_keeps_the_users_text_and_adds_only_missing_prefixes(tmp_path: Path) -> None:
    own = tmp_path / "topics.ttl"
    own.write_text("# my own notes\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n", encoding="utf-8")
    ws = Workspace(tmp_path, read_reading_list(DEFAULT_LIST), BASE)
    added = add_topic(ws, "Synthetic appended", broader="SGD")
    text = own.read_text(encoding="utf-8")
    assert text.startswith("# my own notes\n@prefix skos:")
    assert text.count("@prefix skos:") == 1
    assert text.splitlines()[added.line - 1].startswith(f"<{SGD}/synthetic-appended> a skos:Concept")
