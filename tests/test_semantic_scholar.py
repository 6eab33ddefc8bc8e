"""The Semantic Scholar source through the real ``semanticscholar`` client and real HTTP,
against a local server speaking the Graph API (``tests/s2server.py``, synthetic data).

The test list is synthetic too: its arXiv ids and DOIs name no real work.
"""

from __future__ import annotations

import math
import re
import socket
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyoxigraph as ox
import pytest
from s2server import FakeS2Server, Faults, SyntheticApi

from kg.errors import AuthError, FetchError
from kg.identify.entries import identify_entries
from kg.model.build import build_graph
from kg.model.records import Corpus, Identifiers, Origin, Person, Work
from kg.pipeline import BuildResult, BuildSettings, build
from kg.read.markdown import read_reading_list
from kg.sources.cache import CACHE_FILE, Clock, ResponseCache, utc_now
from kg.sources.http import NetworkPolicy
from kg.sources.semantic_scholar import (
    PAGE_SIZE,
    FetchReport,
    S2Settings,
    SemanticScholarSource,
    lower_bound,
)

LIST = """\
# Synthetic field (a test list; every id here is made up)

## Papers
- [Deep synthetic networks](https://arxiv.org/abs/2101.00001) the big one
- [Shallow synthetic networks](https://arxiv.org/pdf/2101.00002v3.pdf)
- [A synthetic journal article](https://doi.org/10.5555/SYNTH.LIST.3)
- [Synthetic rate reduction](https://openreview.net/forum?id=SYNTHxx0001)
- [A Synthetic Paper Known Only By Its Title](https://example.org/files/paper.pdf)
- [Close but not the same](https://example.org/files/other.pdf)
- [Missing synthetic preprint](https://arxiv.org/abs/2101.99999)

## Books
- [A synthetic book nobody indexed](https://example.org/book/123)

## Courses
- [A synthetic course](https://example.org/courses/dl)
"""

BIG = "arxiv:2101.00001"


def synthetic_api(**overrides: object) -> SyntheticApi:
    options: dict[str, object] = dict(
        missing=frozenset({"ARXIV:2101.99999"}),
        unmatched=frozenset({"Missing synthetic preprint", "A synthetic book nobody indexed"}),
        retitled={"Close but not the same": "An entirely different synthetic study"},
        citation_counts={BIG: 2500},
        big_every=10**9,
        typical=60,
        pool=5000,
    )
    options.update(overrides)
    return SyntheticApi(**options)  # type: ignore[arg-type]


FAST = NetworkPolicy(rate=float("inf"), backoff_base=0.01, backoff_cap=0.05, timeout=5)


@pytest.fixture
def reading_list(tmp_path: Path) -> Path:
    path = tmp_path / "synthetic.md"
    path.write_text(LIST, encoding="utf-8")
    return path


def settings(url: str, cache: Path, **options: object) -> S2Settings:
    return S2Settings(**{"mode": "online", "api_url": url, "cache_dir": cache, "network": FAST, **options})  # type: ignore[arg-type]


def enrich(path: Path, s2: S2Settings, clock: Clock = utc_now) -> tuple[Corpus, FetchReport]:
    corpus = Corpus(reading_list=read_reading_list(path))
    identify_entries(corpus)
    return corpus, SemanticScholarSource(s2, clock=clock).enrich(corpus)


def build_with(path: Path, out: Path, s2: S2Settings, *, validate: bool = False) -> BuildResult:
    return build(BuildSettings(list_path=path, out_dir=out, html=False, validate=validate, s2=s2))


def unresolved_by_title(corpus: Corpus) -> dict[str, str]:
    titles = {e.key: e.title for e in corpus.entries}
    return {titles[k]: reason for k, reason in corpus.unresolved.items()}


def kinds_of(server: FakeS2Server) -> Counter[str]:
    def kind(target: str) -> str:
        path = target.split("?", 1)[0]
        return path.rsplit("/", 1)[-1] if not path.endswith("/match") else "match"

    return Counter(kind(s.target) for s in server.seen)


# --- resolving ------------------------------------------------------------------------


def test_resources_resolve_by_id_batch_and_title_with_reasons_for_the_rest(reading_list: Path, tmp_path: Path) -> None:
    with FakeS2Server(synthetic_api()) as server:
        corpus, report = enrich(reading_list, settings(server.url, tmp_path / "cache"))
    assert report.resolved == 5 and report.resources == 9
    reasons = unresolved_by_title(corpus)
    assert set(reasons) == {
        "Close but not the same", "Missing synthetic preprint", "A synthetic book nobody indexed",
        "A synthetic course",
    }
    assert reasons["A synthetic course"].startswith("not a paper (Course)")
    assert reasons["Missing synthetic preprint"] == (
        "Semantic Scholar does not know ARXIV:2101.99999; no title match for 'Missing synthetic preprint'"
    )
    assert reasons["A synthetic book nobody indexed"] == "no title match for 'A synthetic book nobody indexed'"
    assert "'An entirely different synthetic study', is not 'Close but not the same'" in reasons["Close but not the same"]
    # One batch call for every id (a null in place of the unknown ones), then title matches:
    # OpenReview (unknown to the API by id), the PDFs, the book, the missing preprint.
    batches = [s for s in server.seen if s.target.startswith("/graph/v1/paper/batch")]
    assert len(batches) == 1
    assert '"ARXIV:2101.99999"' in batches[0].body and '"URL:https://openreview.net/forum?id=SYNTHxx0001"' in batches[0].body
    assert kinds_of(server)["match"] == 5
    by_title = {e.title: corpus.entry_ids[e.key] for e in corpus.entries if e.url}
    assert by_title["Synthetic rate reduction"].s2 is not None  # found by its title
    assert by_title["Synthetic rate reduction"].openreview == "SYNTHxx0001"
    assert by_title["A synthetic journal article"].doi == "10.5555/synth.list.3"  # lower-cased


def test_requests_meet_the_lower_bound(reading_list: Path, tmp_path: Path) -> None:
    api = synthetic_api()
    with FakeS2Server(api) as server:
        corpus, report = enrich(reading_list, settings(server.url, tmp_path / "cache", max_citations=3000))
    kinds = kinds_of(server)
    assert report.requests == len(server.seen) == sum(kinds.values())
    works = [w for w in corpus.works if w.citations_fetched is not None]
    assert len(works) == 5
    pages = [min(w.citation_count or 0, 3000) for w in works] + [w.reference_count or 0 for w in works]
    bound = lower_bound(7, pages)  # seven resources carry an id: one batch
    # On top of the bound: the five title matches and one author batch; nothing else.
    assert report.requests == bound + 5 + 1
    assert kinds["batch"] == 2 and kinds["citations"] == sum(math.ceil(min(w.citation_count or 0, 3000) / PAGE_SIZE) for w in works)


def test_citations_page_past_two_thousand(reading_list: Path, tmp_path: Path) -> None:
    api = synthetic_api()
    with FakeS2Server(api) as server:
        corpus, report = enrich(reading_list, settings(server.url, tmp_path / "cache", max_citations=3000))
    big = next(w for w in corpus.works if w.ids.arxiv == "2101.00001" and w.citations_fetched is not None)
    assert big.ids.s2 is not None
    served = len(api.edges(big.ids.s2, "citations"))  # the pool's 2,500 and list papers citing it
    assert big.citation_count == 2500 and big.citations_fetched == served > 2500
    offsets = [re.search(r"offset=(\d+)", s.target).group(1)  # type: ignore[union-attr]
               for s in server.seen if f"{big.ids.s2}/citations" in s.target]
    assert offsets == ["0", "1000", "2000"]
    citing = {c.citing.s2 for c in corpus.citations if c.cited.s2 == big.ids.s2}
    assert len(citing) == served
    assert report.partial == []


def test_the_cap_keeps_the_true_total_and_says_partial(reading_list: Path, tmp_path: Path) -> None:
    with FakeS2Server(synthetic_api()) as server:
        corpus, report = enrich(reading_list, settings(server.url, tmp_path / "cache", max_citations=1000))
    big = next(w for w in corpus.works if w.ids.arxiv == "2101.00001" and w.citations_fetched is not None)
    assert (big.citation_count, big.citations_fetched) == (2500, 1000)
    assert [(p.fetched, p.total) for p in report.partial] == [(1000, 2500)]
    assert sum(1 for s in server.seen if f"{big.ids.s2}/citations" in s.target) == 1


def test_the_key_goes_on_every_request_even_citations(reading_list: Path, tmp_path: Path) -> None:
    policy = replace(FAST, api_key="synthetic-key")
    with FakeS2Server(synthetic_api(), api_key="synthetic-key") as server:
        enrich(reading_list, settings(server.url, tmp_path / "cache", network=policy))
    kinds = kinds_of(server)
    assert kinds["citations"] and kinds["references"]
    assert {s.api_key for s in server.seen} == {"synthetic-key"}
    assert {s.status for s in server.seen} <= {200, 404}


def test_a_refused_key_stops_the_build_with_a_clear_error(reading_list: Path, tmp_path: Path) -> None:
    policy = replace(FAST, api_key="stale-key")
    with FakeS2Server(synthetic_api(), api_key="fresh-key") as server:
        with pytest.raises(AuthError, match="S2_API_KEY"):
            build_with(reading_list, tmp_path / "out", settings(server.url, tmp_path / "cache", network=policy))
    assert len(server.seen) == 1
    assert not (tmp_path / "out" / "kg.ttl").exists()


# --- the cache ------------------------------------------------------------------------


def test_a_warm_rebuild_asks_nothing_and_writes_the_same_turtle(reading_list: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with FakeS2Server(synthetic_api()) as server:
        cold = build_with(reading_list, tmp_path / "cold", settings(server.url, cache, max_citations=300))
        asked = len(server.seen)
        warm = build_with(reading_list, tmp_path / "warm", settings(server.url, cache, max_citations=300))
        assert len(server.seen) == asked  # zero requests
    assert cold.fetch is not None and warm.fetch is not None
    assert warm.fetch.requests == 0 and warm.fetch.cache_hits > 0
    assert warm.turtle_path.read_bytes() == cold.turtle_path.read_bytes()
    # Offline, from the same cache, with the server gone: still the same graph.
    offline = build_with(reading_list, tmp_path / "offline", settings("http://127.0.0.1:9", cache, mode="offline", max_citations=300))
    assert offline.turtle_path.read_bytes() == cold.turtle_path.read_bytes()
    assert offline.fetch is not None and offline.fetch.mode == "offline" and offline.fetch.not_cached == 0


def test_a_list_that_grows_asks_only_for_the_new_entry(reading_list: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with FakeS2Server(synthetic_api()) as server:
        enrich(reading_list, settings(server.url, cache))
        before = len(server.seen)
        reading_list.write_text(LIST + "- [One more](https://arxiv.org/abs/2101.00077)\n", encoding="utf-8")
        corpus, report = enrich(reading_list, settings(server.url, cache))
    new = server.seen[before:]
    batches = [s for s in new if "/paper/batch" in s.target]
    assert [b.body for b in batches] == ['{"ids":["ARXIV:2101.00077"]}']
    assert report.resolved == 6
    new_paper = next(w.ids.s2 for w in corpus.works if w.ids.arxiv == "2101.00077")
    pages = [s.target for s in new if "/citations" in s.target or "/references" in s.target]
    assert pages and all(f"/paper/{new_paper}/" in t for t in pages)
    assert sum(1 for s in new if "/author/batch" in s.target) == 1
    assert len(new) == 2 + len(pages)  # no title match is asked twice, even one that failed


def test_offline_without_a_cache_reports_what_it_lacks(reading_list: Path, tmp_path: Path) -> None:
    corpus, report = enrich(reading_list, settings("http://127.0.0.1:9", tmp_path / "none", mode="offline"))
    assert report.mode == "offline" and report.resolved == 0 and report.requests == 0
    assert report.cache is None and not (tmp_path / "none").exists()
    assert unresolved_by_title(corpus)["Deep synthetic networks"] == "offline, and the cache does not hold it"


def test_auto_falls_back_to_offline_at_once_when_unreachable(reading_list: Path, tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    started = time.monotonic()
    corpus, report = enrich(reading_list, settings(url, tmp_path / "cache", mode="auto", network=NetworkPolicy()))
    assert time.monotonic() - started < 3
    assert report.mode == "offline" and report.fallback and "cannot reach" in report.fallback
    assert report.requests == 1


def test_auto_goes_online_when_the_api_answers(reading_list: Path, tmp_path: Path) -> None:
    with FakeS2Server(synthetic_api()) as server:
        corpus, report = enrich(reading_list, settings(server.url, tmp_path / "cache", mode="auto"))
    assert report.mode == "online" and report.fallback is None and report.resolved == 5


def test_failures_that_do_not_stop_fail_loudly_and_keep_what_was_answered(reading_list: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    broken = Faults(script=dict.fromkeys(range(8, 200), 503))
    policy = replace(FAST, max_attempts=2)
    with FakeS2Server(synthetic_api(), broken) as server:
        with pytest.raises(FetchError, match="HTTP 503"):
            enrich(reading_list, settings(server.url, cache, network=policy))
        answered = {s.request for s in server.answered()}
    assert len(answered) == 7
    with FakeS2Server(synthetic_api()) as server:
        corpus, report = enrich(reading_list, settings(server.url, cache))
    assert not answered & {s.request for s in server.seen}
    assert report.resolved == 5 and report.cache_hits >= 7


def test_refresh_and_max_age_ask_again(reading_list: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # the cache's clock: time passes when told

    def clock() -> datetime:
        return now

    with FakeS2Server(synthetic_api()) as server:
        _, first = enrich(reading_list, settings(server.url, cache), clock)
        _, refreshed = enrich(reading_list, settings(server.url, cache, refresh=True), clock)
        now += timedelta(hours=23)
        _, fresh_enough = enrich(reading_list, settings(server.url, cache, max_age=timedelta(days=1)), clock)
        now += timedelta(hours=2)
        _, too_old = enrich(reading_list, settings(server.url, cache, max_age=timedelta(days=1)), clock)
        _, offline = enrich(reading_list, settings(server.url, cache, mode="offline", max_age=timedelta(days=1)), clock)
    assert refreshed.requests == first.requests and refreshed.cache_hits == 0
    assert fresh_enough.requests == 0
    assert too_old.requests == first.requests
    assert offline.requests == 0 and offline.resolved == first.resolved  # offline takes any age
    with ResponseCache(cache / CACHE_FILE) as stored:
        dates = {row.retrieved for row in stored.get_many(stored.keys()).values()}
    assert dates == {"2026-03-02T13:00:00Z"}  # dated by the clock: the last asking


def test_faults_slow_answers_and_a_truncated_body_do_not_change_the_result(reading_list: Path, tmp_path: Path) -> None:
    with FakeS2Server(synthetic_api()) as server:
        clean, _ = enrich(reading_list, settings(server.url, tmp_path / "clean", max_citations=3000))
    faults = Faults(rate_429=0.15, rate_5xx=0.05, rate_slow=0.1, slow_seconds=0.05, truncate=frozenset({4}), seed=7)
    with FakeS2Server(synthetic_api(), faults) as server:
        faulty, report = enrich(reading_list, settings(server.url, tmp_path / "faulty", max_citations=3000))
    statuses = Counter(s.status for s in server.seen)
    assert statuses[429] and statuses[200] and sum(statuses[s] for s in (500, 502, 503))
    assert len(server.cut) == 1  # one answer truncated, and asked again
    assert report.requests == len(server.seen)

    def edges(corpus: Corpus) -> set[tuple[str | None, str | None]]:
        return {(c.citing.s2, c.cited.s2) for c in corpus.citations}

    assert edges(faulty) == edges(clean) and len(edges(clean)) > 2500
    assert unresolved_by_title(faulty) == unresolved_by_title(clean)


# --- the graph ------------------------------------------------------------------------

Q = """
PREFIX kg: <https://w3id.org/kg/ontology#>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX bibo: <http://purl.org/ontology/bibo/>
"""


def test_the_graph_says_what_the_api_said_with_provenance(reading_list: Path, tmp_path: Path) -> None:
    # The list links the same work twice: as a preprint and as its published version.
    reading_list.write_text(LIST + "- [Shallow, published](https://doi.org/10.5555/SYNTH.PUB.2)\n", encoding="utf-8")
    published = {"arxiv:2101.00002": "10.5555/synth.pub.2"}
    with FakeS2Server(synthetic_api(typical=8, pool=500, published=published)) as server:
        result = build_with(reading_list, tmp_path / "out", settings(server.url, tmp_path / "cache", max_citations=100), validate=True)
    assert result.report is not None and result.report.conforms, result.report.violations[:5]
    store = ox.Store()
    store.load(path=str(result.turtle_path), format=ox.RdfFormat.TURTLE)

    def rows(query: str) -> list[dict[str, str]]:
        solutions = store.query(Q + query)
        names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
        return [{n: s[n].value for n in names if s[n] is not None} for s in solutions]  # type: ignore[union-attr]

    big = rows("SELECT ?w ?n ?f WHERE { ?w kg:arxivId '2101.00001' ; kg:citationCount ?n ; kg:citationsFetched ?f }")
    assert len(big) == 1 and (big[0]["n"], big[0]["f"]) == ("2500", "100")
    iri = big[0]["w"]
    assert iri.startswith("https://www.semanticscholar.org/paper/")  # one node, its S2 IRI …
    same = {r["o"] for r in rows(f"SELECT ?o WHERE {{ <{iri}> owl:sameAs ?o }}")}
    assert "https://arxiv.org/abs/2101.00001" in same  # … the same as its arXiv page
    journal = rows("SELECT ?w WHERE { ?w owl:sameAs <https://doi.org/10.5555/synth.list.3> }")
    assert len(journal) == 1  # a lower-cased DOI IRI
    versions = rows("""SELECT ?w WHERE { ?w kg:arxivId '2101.00002' ; bibo:doi '10.5555/synth.pub.2' ;
        owl:sameAs <https://arxiv.org/abs/2101.00002>, <https://doi.org/10.5555/synth.pub.2> }""")
    assert len(versions) == 1 and versions[0]["w"].startswith("https://www.semanticscholar.org/paper/")
    one = versions[0]["w"]
    assert not rows(f"SELECT ?w WHERE {{ ?w kg:arxivId '2101.00002' FILTER(?w != <{one}>) }}")
    # Provenance: the API request and the date it was answered.
    sources = rows(f"SELECT ?s ?t WHERE {{ <{iri}> prov:wasDerivedFrom ?s . ?s prov:generatedAtTime ?t }}")
    assert any(r["s"].startswith(server.url + "/graph/v1/paper/ARXIV:2101.00001?fields=") for r in sources)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r["t"]) for r in sources)
    assert rows(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a cito:cites <{iri}> }}")[0]["n"] == "100"
    # Influence and intents stay on the edges; fields of study join the topics.
    assert int(rows("SELECT (COUNT(*) AS ?n) WHERE { ?c a cito:Citation ; kg:isInfluential true }")[0]["n"]) > 0
    assert int(rows("SELECT (COUNT(*) AS ?n) WHERE { ?c cito:hasCitationCharacterization cito:usesMethodIn }")[0]["n"]) > 0
    fields = rows(f"SELECT ?l WHERE {{ <{iri}> dcterms:subject ?t . ?t skos:prefLabel ?l ; skos:inScheme ?s . FILTER(CONTAINS(STR(?s), 'fields-of-study')) }}")
    assert fields
    authors = rows(f"SELECT ?p ?id WHERE {{ <{iri}> dcterms:creator ?p . ?p kg:s2AuthorId ?id }}")
    assert authors and all(r["p"].endswith("/author/" + r["id"]) for r in authors)


def test_curated_and_fetched_authors_of_a_work_are_the_same_people() -> None:
    """The bundled facts name authors without ids; Semantic Scholar names them with ids and
    sometimes in short ("G. Vardi"): they are one person, with the API's id and ORCID."""
    from kg.model.records import ReadingList

    ids = Identifiers(arxiv="2101.00001")
    curated = Work(ids=ids, title="A work", authors=(Person("Gal Synthetic"), Person("Ohad Example")),
                   origins=(Origin(source="snapshot"),))
    fetched = Work(ids=Identifiers(arxiv="2101.00001", s2="a" * 40), title="A work",
                   authors=(Person("G. Synthetic", s2_author_id="101", orcid="0000-0002-0000-000X"),
                            Person("Ohad Example", s2_author_id="102")),
                   origins=(Origin(source="semantic-scholar"),))
    other = Work(ids=Identifiers(s2="b" * 40), title="Another work",
                 authors=(Person("Gal Synthetic", s2_author_id="999"),), origins=(Origin(source="semantic-scholar"),))
    corpus = Corpus(reading_list=ReadingList(entries=()), works=[curated, fetched, other])
    graph = build_graph(corpus)
    people = {person.label: person for person in graph.people() if person.iri.endswith(("/101", "/102"))}
    creators = sorted(graph.authors("https://www.semanticscholar.org/paper/" + "a" * 40))
    assert creators == ["https://www.semanticscholar.org/author/101", "https://www.semanticscholar.org/author/102"]
    assert people["Gal Synthetic"].iri == "https://www.semanticscholar.org/author/101"  # the curated name
    assert people["Gal Synthetic"].orcid == "0000-0002-0000-000X"
    assert "https://www.semanticscholar.org/author/999" in graph  # a namesake on another work stays apart
    assert sorted(p.iri.rsplit("/", 1)[1] for p in graph.people()) == ["101", "102", "999"]  # no duplicates


def test_it_runs_where_an_event_loop_already_runs(reading_list: Path, tmp_path: Path) -> None:
    """Jupyter, or Playwright's sync API, keep a loop running in the caller's thread."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def inside_a_loop() -> FetchReport:
        asyncio.get_running_loop()
        with FakeS2Server(synthetic_api()) as server:
            return enrich(reading_list, settings(server.url, tmp_path / "cache"))[1]

    with ThreadPoolExecutor(1) as pool:  # a thread of its own, whatever loop this one runs
        assert pool.submit(asyncio.run, inside_a_loop()).result().resolved == 5


def test_settings_take_the_api_root_and_refuse_what_is_not_a_url() -> None:
    assert S2Settings(api_url="http://127.0.0.1:9/graph/v1/").api_root == "http://127.0.0.1:9"
    assert S2Settings(api_url="https://api.example.org").api_root == "https://api.example.org"
    with pytest.raises(ValueError, match="http"):
        S2Settings(api_url="api.semanticscholar.org")
