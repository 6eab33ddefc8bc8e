"""The Python API (kg.build, kg.load, kg.render, kg.query): the README's examples run as
written, the conversions agree with the Turtle, and importing kg does nothing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

import kg
from kg.errors import DataError, QueryError

REPO = Path(__file__).resolve().parents[1]


def readme_python_blocks(section: str) -> list[str]:
    """The ```python blocks of one README section, in order."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index(f"## {section}\n")
    end = text.find("\n## ", start + 1)
    body = text[start : end if end > 0 else None]
    return re.findall(r"```python\n(.*?)```", body, flags=re.S)


def test_the_readmes_python_api_examples_run_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = readme_python_blocks("Python API")
    assert len(blocks) >= 2
    monkeypatch.chdir(tmp_path)  # the examples write outputs/ where they run
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, "README.md (Python API)", "exec"), namespace)  # noqa: S102
    page = namespace["page"]
    assert isinstance(page, Path) and page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "outputs" / "kg.ttl").is_file() and (tmp_path / "outputs" / "kg.html").is_file()


@pytest.fixture(scope="module")
def seed_turtle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("api")
    result = kg.build(out_dir=out, mode="offline", validate=False, html=False)
    assert result.turtle_path == out / "kg.ttl"
    return result.turtle_path


@pytest.fixture(scope="module")
def seed(seed_turtle: Path) -> kg.KnowledgeGraph:
    return kg.load(seed_turtle)


def test_load_gives_the_typed_graph_and_its_conversions_agree(seed: kg.KnowledgeGraph, seed_turtle: Path) -> None:
    works = list(seed.works())
    assert sum(1 for w in works if w.in_list) == 27
    network = seed.to_networkx()
    assert network.number_of_nodes() == len(seed) and network.number_of_edges() == seed.number_of_edges()
    store = seed.to_pyoxigraph()
    rdf = seed.to_rdflib()
    assert len(store) == len(rdf) > 1000
    # the views hold what the Turtle holds: the same triples
    written = ox.Store()
    written.load(path=seed_turtle, format=ox.RdfFormat.TURTLE)
    assert set(store) == set(written)
    people = {p.iri for p in seed.people()}
    asked = {row["p"] for row in kg.query("SELECT ?p WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> }", seed)}
    assert asked == people


def test_query_answers_with_plain_values(seed: kg.KnowledgeGraph, tmp_path: Path) -> None:
    count = kg.query("SELECT (COUNT(*) AS ?n) (1.5 AS ?x) (true AS ?b) WHERE { ?s ?p ?o }", seed)
    row = count.rows[0]
    assert row["n"] == len(seed.to_pyoxigraph()) and isinstance(row["n"], int)
    assert row["x"] == 1.5 and row["b"] is True
    assert kg.query("ASK { ?s ?p ?o }", seed).boolean is True
    built = kg.query("CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 3", seed)
    assert len(built.triples) == 3 and not built.rows
    ranked = kg.query("most-cited", seed, params={"min": "1"})
    assert ranked.variables == ("resource", "title", "cited_by", "reported")
    assert [r["cited_by"] for r in ranked] == sorted((r["cited_by"] for r in ranked), reverse=True)


def test_query_is_read_only_and_refuses_remote_requests(seed: kg.KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="read-only"):
        kg.query("INSERT DATA { <http://a/b> <http://a/c> 1 }", seed)
    with pytest.raises(QueryError, match="allow"):
        kg.query("SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", seed)


def test_render_writes_the_map_of_a_graph_or_a_file(seed: kg.KnowledgeGraph, tmp_path: Path) -> None:
    page = kg.render(seed, tmp_path / "map.html", title="My field")
    html = page.read_text(encoding="utf-8")
    assert "<title>My field</title>" in html and '<body data-engine="vis">' in html
    turtle = tmp_path / "field.ttl"
    turtle.write_bytes(seed.to_ntriples())
    drawn = kg.render(turtle, engine="canvas")
    assert drawn == tmp_path / "field.html" and '<body data-engine="canvas">' in drawn.read_text(encoding="utf-8")


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=re.escape(str(tmp_path / "nope.ttl"))):
        kg.load(tmp_path / "nope.ttl")


def test_importing_kg_sets_nothing_up(tmp_path: Path) -> None:
    """A fresh interpreter (the point of this child process): no handler on the root logger,
    no file written, none of the stages' libraries loaded until a name is used."""
    probe = (
        "import logging, sys, kg\n"
        "assert not logging.getLogger().handlers, logging.getLogger().handlers\n"
        "heavy = {'networkx', 'rdflib', 'pyoxigraph', 'semanticscholar', 'httpx', 'pyshacl'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
        "assert kg.__version__ and callable(kg.load)\n"
        "assert not logging.getLogger().handlers\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert list(tmp_path.iterdir()) == []
