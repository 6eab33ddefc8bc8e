"""A local HTTP server that speaks the Semantic Scholar Graph API, with faults on demand.

SYNTHETIC DATA: every paper, author, title and count it serves is made up from hashes of
the ids it is asked about ("Synthetic paper …", "Synthetic Author …", example.org links);
nothing describes a real work. Only the *shapes* are real: they follow the recorded
answers in ``/work/shared/data/s2-recordings`` (batch lists with ``null`` for unknown ids,
citation pages ``{offset, next, data: [{isInfluential, intents, citingPaper}]}``, a 404
``{"error": …}`` when a title has no match, upper-case DOIs in ``externalIds``).

Any id resolves (except those declared missing), so the server answers for any reading
list: ``ARXIV:x``, ``DOI:x``, ``CorpusId:n``, 40-hex paper ids, ``URL:`` of arXiv pages.
OpenReview ``URL:`` ids are unknown, as they are to the real API. Citations and references
come from a shared pool of papers, so list papers share citing papers, and list papers
cite one another by a fixed rule. Every answer is a pure function of the request, so two
servers (or two runs) agree.

Faults (:class:`Faults`) are drawn per request number from a seeded generator: 429 with
``Retry-After``, 500/502/503, slow answers, JSON bodies cut in half, dropped connections,
and a request to hold (for killing the client mid-run).

Hostile modes (:data:`HOSTILE_MODES`, passed as ``hostile=``) make every answer of a kind
poisoned the way a broken or malicious server could: malformed JSON shapes, bodies that are
not JSON, that never end, that trickle, that are too large, redirects. They are what kg must
refuse cleanly (issue 12, items 7-9); the fuzz harness draws from them.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["Faults", "Seen", "SyntheticApi", "FakeS2Server", "HOSTILE_MODES"]

HOSTILE_MODES: dict[str, str] = {
    # shapes: JSON, but not what the API promises (kg: a clean error, nothing cached)
    "batch-without-paper-id": "paper batch items have no paperId",
    "page-data-string": 'citation and reference pages are {"data": "x"}',
    "page-items-not-objects": "citation and reference pages hold items that are not objects",
    "page-list": "citation and reference pages are [1, 2, 3] (the client's pager spins on it)",
    "page-same-offset": "every citation and reference page claims offset 0 and a next page",
    "match-bad-authors": "title matches have authors [null, 1] (the client's Paper model fails)",
    # bodies: not JSON at all (kg: retried, then a clean error, nothing cached)
    "infinite-count": "papers have citationCount Infinity (not JSON; Python reads it as a float)",
    "deep-nesting": "every 200 answer is 200,000 '[' (too deep for any recursive parser)",
    "not-json": "every 200 answer is plain text",
    # values: well-formed answers with values the graph cannot hold (kg: left out)
    "bad-identifiers": 'DOIs "10.1/x0", author ids with a quote or letters, ORCIDs with a quote',
    "negative-counts": "papers have citation and reference counts below zero",
    "huge-values": "the first paper of a batch has a title of 17 MiB (past any RDF term pyoxigraph holds)",
    # the wire (kg: a deadline, a body cap, no redirect followed)
    "trickle": "every answer, status line included, comes one byte at a time (trickle_seconds)",
    "huge": "every 200 answer is a JSON list of huge_bytes bytes, without a Content-Length",
    "redirect": "every request is redirected (302) to /stolen on the same server",
}
"""What each hostile mode does."""

_FIELDS = ("Computer Science", "Mathematics", "Physics", "Statistics", "Biology")
_TYPES = (["JournalArticle"], ["Conference"], ["JournalArticle", "Review"], [], ["Book"])
PAPER_FIELDS = frozenset({
    "paperId", "corpusId", "externalIds", "url", "title", "abstract", "venue", "year",
    "authors", "fieldsOfStudy", "s2FieldsOfStudy", "publicationTypes", "citationCount",
    "influentialCitationCount", "referenceCount", "tldr", "openAccessPdf", "isOpenAccess",
    "publicationDate", "journal", "publicationVenue",
})  # fmt: skip
EDGE_FIELDS = frozenset({"contexts", "intents", "contextsWithIntent", "isInfluential"})
AUTHOR_FIELDS = frozenset({"authorId", "name", "externalIds", "url", "affiliations", "homepage"})


def _h(text: str) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest()[:12], 16)


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def _prime_at_least(n: int) -> int:
    def prime(k: int) -> bool:
        return k > 1 and all(k % d for d in range(2, int(k**0.5) + 1))

    while not prime(n):
        n += 1
    return n


@dataclass(frozen=True)
class Faults:
    """What goes wrong, by request number (1-based), drawn from ``seed``."""

    rate_429: float = 0.0
    rate_5xx: float = 0.0
    """500, 502 and 503 in turn."""
    rate_slow: float = 0.0
    slow_seconds: float = 0.2
    retry_after: str | None = "0"
    truncate: frozenset[int] = frozenset()
    """Which 200 answers (1st, 2nd…) have their body cut in half, with a Content-Length
    that says so: the HTTP is fine, the JSON is not."""
    drop: frozenset[int] = frozenset()
    """Which 200 answers lose their connection halfway through the body."""
    script: dict[int, int] = field(default_factory=dict)
    """Request number -> the status it gets whatever it asks (429, 500, 503, 401…)."""
    seed: int = 0


@dataclass(frozen=True)
class Seen:
    """One request the server received, and how it answered."""

    number: int
    method: str
    target: str
    body: str
    api_key: str | None
    status: int
    at: float

    @property
    def request(self) -> tuple[str, str, str]:
        return self.method, self.target, self.body


class SyntheticApi:
    """The data: named papers (asked for by id or title) and a pool of others."""

    def __init__(
        self,
        *,
        pool: int = 20_000,
        missing: frozenset[str] = frozenset(),
        unmatched: frozenset[str] = frozenset(),
        retitled: dict[str, str] | None = None,
        citation_counts: dict[str, int] | None = None,
        big_every: int = 4,
        typical: int = 1200,
        published: dict[str, str] | None = None,
    ) -> None:
        self.pool = _prime_at_least(pool)
        self.missing = missing
        self.unmatched = unmatched
        self.retitled = retitled or {}
        """Title asked -> the (different) title the best match has."""
        self.citation_counts = citation_counts or {}
        self.big_every = big_every
        """One named paper in this many has 2,000 to 3,500 citations (paging past 2,000)."""
        self.typical = typical
        """The others have fewer than this many."""
        self.published = published or {}
        """Key of a preprint -> the DOI of its published version: one paper, either id."""
        self._versions = {f"doi:{doi.lower()}": key for key, doi in self.published.items()}
        self.named: dict[str, str] = {}
        """paperId -> the key it was minted from (``arxiv:1702.08489``)."""
        self._lock = threading.Lock()

    # ids -------------------------------------------------------------------------------

    def key_of(self, api_id: str) -> str | None:
        """The canonical key an API id names, or None for ids the API does not know."""
        prefix, _, value = api_id.partition(":")
        kind = prefix.upper()
        if kind == "ARXIV":
            return f"arxiv:{value}"
        if kind == "DOI":
            return f"doi:{value.lower()}"
        if kind == "CORPUSID":
            return f"corpus:{value}"
        if kind == "PMCID":
            return f"pmc:{value}"
        if kind == "URL":
            parts = urlsplit(value)
            if parts.hostname and parts.hostname.endswith("arxiv.org") and "/abs/" in parts.path:
                return f"arxiv:{parts.path.split('/abs/', 1)[1]}"
            return None  # OpenReview and other pages: unknown, as to the real API
        if len(api_id) == 40 and all(c in "0123456789abcdef" for c in api_id.lower()):
            return f"s2:{api_id.lower()}"
        if api_id.startswith("10."):
            return f"doi:{api_id.lower()}"
        return None

    def paper_id(self, key: str) -> str:
        return key[3:] if key.startswith("s2:") else _sha(f"synthetic-named:{key}")

    def lookup(self, api_id: str) -> dict[str, Any] | None:
        if api_id in self.missing:
            return None
        key = self.key_of(api_id)
        if key is None or key in self.missing:
            return None
        return self._named(self._versions.get(key, key))

    def match(self, title: str) -> dict[str, Any] | None:
        if title in self.unmatched:
            return None
        return {**self._named(f"title:{self.retitled.get(title, title)}"), "matchScore": 87.5}

    def _named(self, key: str) -> dict[str, Any]:
        pid = self.paper_id(key)
        with self._lock:
            self.named[pid] = key
        return self._record(pid, key, named=True)

    def _pool_id(self, n: int) -> str:
        return _sha(f"synthetic-pool:{n}")

    def _record(self, pid: str, key: str, *, named: bool) -> dict[str, Any]:
        h = _h(key)
        kind, _, value = key.partition(":")
        external: dict[str, Any] = {"CorpusId": 10_000_000 + h % 90_000_000}
        if kind == "arxiv":
            external["ArXiv"] = value
            if key in self.published:
                external["DOI"] = self.published[key].upper()
            elif h % 3 == 0:  # a published version too: one work, two identifiers
                external["DOI"] = f"10.5555/SYNTH.{h % 100_000}"
        elif kind == "doi":
            external["DOI"] = value.upper()  # the API returns DOIs in mixed case
        elif kind == "pool" and h % 3 == 0:
            external["DOI"] = f"10.5555/SYNTH-POOL.{value}"
        title = value if kind == "title" else f"Synthetic paper {key}"
        return {
            "paperId": pid,
            "externalIds": external,
            "corpusId": external["CorpusId"],
            "url": f"https://www.semanticscholar.org/paper/{pid}",
            "title": title,
            "venue": f"Synthetic Venue {h % 40}",
            "year": 1990 + h % 35,
            "referenceCount": self._reference_total(pid, key) if named else 5 + h % 30,
            "citationCount": self._citation_total(pid, key) if named else h % 200,
            "influentialCitationCount": (h % 200) // 10,
            "isOpenAccess": h % 2 == 0,
            "openAccessPdf": {"url": f"https://example.org/synthetic/{pid}.pdf", "status": "GREEN"} if h % 2 == 0 else None,
            "fieldsOfStudy": [_FIELDS[h % 5]],
            "s2FieldsOfStudy": [{"category": _FIELDS[h % 5], "source": "s2-fos-model"},
                                {"category": _FIELDS[(h // 5) % 5], "source": "external"}],
            "tldr": {"model": "tldr@v2.0.0", "text": f"A synthetic summary of {title}."} if named else None,
            "publicationTypes": _TYPES[h % len(_TYPES)] or None,
            "authors": [self._author_ref(_h(f"{key}/author/{i}")) for i in range(1 + h % 4)],
        }

    def _author_ref(self, h: int) -> dict[str, Any]:
        author_id = str(1_000_000 + h % 400_000)
        return {"authorId": author_id, "name": f"Synthetic Author {author_id}"}

    def author(self, author_id: str) -> dict[str, Any] | None:
        if not author_id.isdigit():
            return None
        orcid = f"0000-0002-{int(author_id) % 10000:04d}-000X" if int(author_id) % 3 == 0 else None
        return {
            "authorId": author_id,
            "name": f"Synthetic Author {author_id}",
            "externalIds": {"ORCID": orcid} if orcid else {},
            "url": f"https://www.semanticscholar.org/author/{author_id}",
        }

    # edges -----------------------------------------------------------------------------

    def _citation_total(self, pid: str, key: str) -> int:
        if key in self.citation_counts:
            return self.citation_counts[key]
        h = _h(f"{key}/citations")
        return 2000 + h % 1500 if h % self.big_every == 0 else h % self.typical

    def _reference_total(self, pid: str, key: str) -> int:
        return 5 + _h(f"{key}/references") % 60

    def _cites(self, a: str, b: str) -> bool:
        """Whether named paper ``a`` cites named paper ``b``: a fixed rule, older cited."""
        if a == b:
            return False
        ya, yb = 1990 + _h(self.named[a]) % 35, 1990 + _h(self.named[b]) % 35
        return (ya, a) > (yb, b) and _h(f"{a}>{b}") % 3 == 0

    def edges(self, pid: str, direction: str) -> list[tuple[str, str]]:
        """(paperId, key) of the papers citing (``citations``) or cited by ``pid``."""
        key = self.named.get(pid)
        if key is None:
            return []
        with self._lock:
            named = sorted(self.named.items())
        if direction == "citations":
            linked = [(p, k) for p, k in named if self._cites(p, pid)]
            total = self._citation_total(pid, key)
        else:
            linked = [(p, k) for p, k in named if self._cites(pid, p)]
            total = self._reference_total(pid, key)
        start, stride = _h(f"{key}/{direction}/start"), 1 + _h(f"{key}/{direction}/stride") % (self.pool - 1)
        pool = [(start + i * stride) % self.pool for i in range(min(total, self.pool))]
        return linked + [(self._pool_id(n), f"pool:{n}") for n in pool]

    def paper(self, pid: str, key: str) -> dict[str, Any]:
        return self._record(pid, key, named=key.split(":", 1)[0] != "pool")

    def edge(self, citing: str, cited: str) -> dict[str, Any]:
        h = _h(f"{citing}>{cited}")
        intents = [["background"], ["methodology"], ["result"], [], ["background", "methodology"]][h % 5]
        return {
            "isInfluential": h % 7 == 0,
            "intents": intents,
            "contexts": [f"Synthetic context {h % 1000}."] if intents else [],
        }


def _select(record: dict[str, Any], fields: list[str], allowed: frozenset[str]) -> dict[str, Any]:
    key = "authorId" if "authorId" in record else "paperId"
    return {key: record[key], **{f: record.get(f) for f in fields if f in allowed and f != key}}


class _BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class FakeS2Server:
    """Serve a :class:`SyntheticApi` on ``127.0.0.1`` (a free port) in a thread."""

    def __init__(
        self,
        api: SyntheticApi | None = None,
        faults: Faults | None = None,
        *,
        api_key: str | None = None,
        hold_at: int | None = None,
        hostile: frozenset[str] | set[str] = frozenset(),
        trickle_seconds: float = 0.05,
        huge_bytes: int = 1_000_000,
    ) -> None:
        unknown = set(hostile) - set(HOSTILE_MODES)
        if unknown:
            raise ValueError(f"no such hostile modes: {sorted(unknown)}")
        self.api = api or SyntheticApi()
        self.faults = faults or Faults()
        self.hostile = frozenset(hostile)
        self.trickle_seconds = trickle_seconds
        self.huge_bytes = huge_bytes
        self.api_key = api_key
        """When set, a request carrying another key gets 403 (as a wrong key does)."""
        self.hold_at = hold_at
        self.held = threading.Event()
        self.release = threading.Event()
        self.seen: list[Seen] = []
        self.cut: list[int] = []
        """Numbers of the requests whose body was truncated or whose connection dropped."""
        self._lock = threading.Lock()
        self._count = 0
        self._ok = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # The head and the body go out in two writes: with Nagle's algorithm the body
            # waits for the client's delayed ACK of the head, 20-40 ms an answer on
            # loopback (a 50-request build spent 2.3 of its 3 s waiting for it).
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server._handle(self, "GET", b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                server._handle(self, "POST", self.rfile.read(length))

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeS2Server:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.release.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def answered(self) -> list[Seen]:
        """Requests that got a definitive answer (200 or 404)."""
        with self._lock:
            return [s for s in self.seen if s.status in (200, 404)]

    # handling ---------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler, method: str, body: bytes) -> None:
        with self._lock:
            self._count += 1
            number = self._count
        key = handler.headers.get("x-api-key")
        status, payload, extra = self._respond(number, method, handler.path, body, key)
        if self.hold_at == number:
            self.held.set()
            self.release.wait(60)
        data = self._body(status, payload, handler.path)
        with self._lock:
            if status == 200:
                self._ok += 1
            ok = self._ok if status == 200 else 0
            cut = ok in self.faults.drop
            if ok in self.faults.truncate:
                data = data[: len(data) // 2]
            if ok in self.faults.truncate | self.faults.drop:
                self.cut.append(number)
            self.seen.append(Seen(number, method, handler.path, body.decode(), key, status, time.monotonic()))
        try:
            if "huge" in self.hostile and status == 200:
                self._send_huge(handler)
            elif "trickle" in self.hostile:
                self._trickle(handler, status, data, extra)
            else:
                handler.send_response(status)
                handler.send_header("content-type", "application/json")
                handler.send_header("content-length", str(len(data)))
                for name, value in extra.items():
                    handler.send_header(name, value)
                handler.end_headers()
                handler.wfile.write(data[: len(data) // 2] if cut else data)
                if cut:
                    handler.close_connection = True
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True

    # hostile modes ----------------------------------------------------------------------

    def _body(self, status: int, payload: Any, target: str) -> bytes:
        if status == 200 and "deep-nesting" in self.hostile:
            return b"[" * 200_000
        if status == 200 and "not-json" in self.hostile:
            return b"Service temporarily replaced by a cat picture."
        if status == 200:
            payload = self._poison(payload, urlsplit(target).path)
        return json.dumps(payload).encode()  # float("inf") comes out as Infinity

    def _poison(self, payload: Any, path: str) -> Any:
        hostile = self.hostile
        is_page = path.endswith(("/citations", "/references"))
        if is_page and "page-list" in hostile:
            return [1, 2, 3]
        if is_page and "page-data-string" in hostile:
            return {"offset": payload["offset"], "data": "x"}
        if is_page and "page-items-not-objects" in hostile:
            return {**payload, "data": [1, "x", None, *payload["data"]]}
        if is_page and "page-same-offset" in hostile:
            return {**payload, "offset": 0, "next": 1000}
        for paper in _papers_in(payload, path):
            if "batch-without-paper-id" in hostile and path.endswith("/paper/batch"):
                paper.pop("paperId", None)
            if "match-bad-authors" in hostile and path.endswith("/search/match"):
                paper["authors"] = [None, 1]
            if "infinite-count" in hostile and "citationCount" in paper:
                paper["citationCount"] = float("inf")
            if "negative-counts" in hostile:
                paper.update({k: -5 for k in ("citationCount", "referenceCount") if k in paper})
            if "bad-identifiers" in hostile:
                if isinstance(paper.get("externalIds"), dict):
                    paper["externalIds"]["DOI"] = "10.1/x0"
                for n, author in enumerate(paper.get("authors") or ()):
                    if isinstance(author, dict):
                        author["authorId"] = ('1"2', "abc")[n % 2]
        if "huge-values" in hostile and path.endswith("/paper/batch") and payload and payload[0] is not None:
            payload[0]["title"] = "Long " * (17 * 2**20 // 5)
        if "bad-identifiers" in hostile and path.endswith("/author/batch"):
            for author in payload:
                if author is not None:
                    author["externalIds"] = {"ORCID": '0000-0002-0000-000"'}
        return payload

    def _trickle(self, handler: BaseHTTPRequestHandler, status: int, data: bytes, extra: dict[str, str]) -> None:
        head = [f"HTTP/1.1 {status} Whatever", "content-type: application/json",
                f"content-length: {len(data)}", *(f"{k}: {v}" for k, v in extra.items())]
        raw = ("\r\n".join(head) + "\r\n\r\n").encode() + data
        for n in range(len(raw)):
            if self.release.is_set():  # the server is closing
                break
            handler.wfile.write(raw[n : n + 1])
            time.sleep(self.trickle_seconds)
        handler.close_connection = True

    def _send_huge(self, handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("content-type", "application/json")
        handler.send_header("connection", "close")  # the body ends when the connection does
        handler.end_headers()
        chunk = b"0," * 32_768
        handler.wfile.write(b"[")
        sent = 1
        while sent < self.huge_bytes and not self.release.is_set():
            handler.wfile.write(chunk)
            sent += len(chunk)
        handler.wfile.write(b"0]")
        handler.close_connection = True

    def _fault(self, number: int) -> tuple[int, dict[str, Any], dict[str, str]] | None:
        faults = self.faults
        scripted = faults.script.get(number)
        if scripted == 429:
            return self._too_many()
        if scripted is not None:
            return scripted, {"message": f"HTTP {scripted} (scripted)"}, {}
        rng = random.Random(f"{faults.seed}:{number}")
        draw = rng.random()
        if rng.random() < faults.rate_slow:
            time.sleep(faults.slow_seconds)
        if draw < faults.rate_429:
            return self._too_many()
        if draw < faults.rate_429 + faults.rate_5xx:
            status = (500, 502, 503)[number % 3]
            return status, {"message": "Internal Server Error"}, {}
        return None

    def _too_many(self) -> tuple[int, dict[str, Any], dict[str, str]]:
        headers = {"retry-after": self.faults.retry_after} if self.faults.retry_after is not None else {}
        message = "Too Many Requests. Please wait and try again or apply for a key for higher rate limits."
        return 429, {"message": message, "code": "429"}, headers

    def _respond(
        self, number: int, method: str, target: str, body: bytes, key: str | None
    ) -> tuple[int, Any, dict[str, str]]:
        if "redirect" in self.hostile and not target.startswith("/stolen"):
            return 302, {"message": "Found"}, {"location": f"{self.url}/stolen{target}"}
        if target.startswith("/stolen"):
            return 200, {"stolen": key}, {}
        if self.api_key is not None and key != self.api_key:
            return 403, {"message": "Forbidden"}, {}
        fault = self._fault(number)
        if fault is not None:
            return fault
        parts = urlsplit(target)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        path = unquote(parts.path)
        try:
            return 200, self._route(method, path, query, body), {}
        except _BadRequest as err:
            return err.status, {"error": str(err)}, {}

    def _route(self, method: str, path: str, query: dict[str, str], body: bytes) -> Any:
        prefix = "/graph/v1/"
        if not path.startswith(prefix):
            raise _BadRequest(404, f"no such endpoint {path}")
        rest = path[len(prefix):]
        fields = [f for f in query.get("fields", "").split(",") if f]
        if not fields:
            raise _BadRequest(400, "kg always names its fields; this request named none")
        if method == "POST" and rest in ("paper/batch", "author/batch"):
            return self._batch(rest, fields, body)
        if method == "GET" and rest == "paper/search/match":
            return self._match(query.get("query", ""), fields)
        if method == "GET" and rest.startswith("paper/") and rest.endswith(("/citations", "/references")):
            paper_id, _, direction = rest[len("paper/"):].rpartition("/")
            return self._page(paper_id, direction, fields, query)
        raise _BadRequest(404, f"no such endpoint {method} {path}")

    def _check_fields(self, fields: list[str], allowed: frozenset[str]) -> None:
        unknown = [f for f in fields if f not in allowed]
        if unknown:
            raise _BadRequest(400, f"Unrecognized or unsupported fields: {unknown}")

    def _batch(self, endpoint: str, fields: list[str], body: bytes) -> list[Any]:
        ids = json.loads(body or b"{}").get("ids")
        if not isinstance(ids, list) or not ids:
            raise _BadRequest(400, "ids must be a non-empty list")
        if endpoint == "paper/batch":
            self._check_fields(fields, PAPER_FIELDS)
            if len(ids) > 500:
                raise _BadRequest(400, "At most 500 paper ids may be requested at once")
            found = [self.api.lookup(str(i)) for i in ids]
            return [_select(p, fields, PAPER_FIELDS) if p else None for p in found]
        self._check_fields(fields, AUTHOR_FIELDS)
        if len(ids) > 1000:
            raise _BadRequest(400, "At most 1000 author ids may be requested at once")
        authors = [self.api.author(str(i)) for i in ids]
        return [_select(a, fields, AUTHOR_FIELDS) if a else None for a in authors]

    def _match(self, title: str, fields: list[str]) -> dict[str, Any]:
        self._check_fields(fields, PAPER_FIELDS)
        found = self.api.match(title)
        if found is None:
            raise _BadRequest(404, "Title match not found")
        return {"data": [{**_select(found, fields, PAPER_FIELDS), "matchScore": found["matchScore"]}]}

    def _page(self, paper_id: str, direction: str, fields: list[str], query: dict[str, str]) -> dict[str, Any]:
        self._check_fields(fields, PAPER_FIELDS | EDGE_FIELDS)
        offset, limit = int(query.get("offset", 0)), int(query.get("limit", 100))
        if limit > 1000:
            raise _BadRequest(400, "Limit must be <= 1000")
        if offset + limit > 10_000:
            raise _BadRequest(400, "offset + limit must be <= 10000")
        if paper_id not in self.api.named:
            raise _BadRequest(404, f"Paper with id {paper_id} not found")
        edges = self.api.edges(paper_id, direction)
        end = "citingPaper" if direction == "citations" else "citedPaper"
        data = []
        for other, key in edges[offset : offset + limit]:
            citing, cited = (other, paper_id) if direction == "citations" else (paper_id, other)
            edge = {f: v for f, v in self.api.edge(citing, cited).items() if f in fields}
            edge[end] = _select(self.api.paper(other, key), fields, PAPER_FIELDS)
            data.append(edge)
        page: dict[str, Any] = {"offset": offset, "data": data}
        if offset + limit < len(edges):
            page["next"] = offset + limit
        return page



def _papers_in(payload: Any, path: str) -> list[dict[str, Any]]:
    """The paper objects in an answer: batch items, title matches, the far ends of edges."""
    if path.endswith("/paper/batch"):
        return [p for p in payload if isinstance(p, dict)]
    if isinstance(payload, dict) and isinstance(payload.get("data"), list):
        found = []
        for item in payload["data"]:
            if isinstance(item, dict) and "paperId" in item:
                found.append(item)
            elif isinstance(item, dict):
                found += [v for k, v in item.items() if k in ("citingPaper", "citedPaper") and isinstance(v, dict)]
        return found
    return []
