"""Upload a graph to any SPARQL 1.1 store through the Graph Store HTTP Protocol.

Fuseki (``/DATASET/data``), GraphDB (``/repositories/REPO/rdf-graphs/service``), Virtuoso
(``/sparql-graph-crud``) and Oxigraph (``/store``) all speak it: ``PUT`` replaces a graph,
``POST`` adds to it; ``?graph=IRI`` names the graph, ``?default`` the default graph. The
file is parsed here first, so a bad file fails with its line before anything is sent.

Credentials (HTTP basic auth) are passed in by the caller, which reads them from the
environment; they are never logged. The request goes through kg's network policy
(:class:`kg.sources.http.Session`): a redirect is never followed (the credentials and the
data would go along to wherever it points) but reported as a failure, and nothing is
reported pushed unless the endpoint itself answered 2xx. A ``PUT`` (replace) is sent again
after a 429, 502, 503, 504 or a dropped connection, since sending it twice does what sending
it once does; a ``POST`` (add) only when no connection could be made, so nothing is ever
added twice.
"""

from __future__ import annotations

import logging
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox

from kg.errors import DataError, EndpointError
from kg.rdf.store import load_store, rdf_format
from kg.sources.http import (
    AttemptFailed,
    GaveUp,
    NetworkPolicy,
    Reply,
    Retrying,
    Session,
    retry_after_seconds,
)

__all__ = ["PUSH_POLICY", "PushResult", "push_graph", "graph_store_url"]

log = logging.getLogger(__name__)

PUSH_POLICY = NetworkPolicy(
    timeout=60.0, connect_timeout=10.0, deadline=600.0, max_body=2**20, max_attempts=3,
    backoff_base=1.0, max_wait=30.0,
)
"""Patient with a big upload (ten minutes), brief about the answer (1 MiB), three attempts."""
_RETRY_STATUSES = frozenset({429, 502, 503, 504})


@dataclass(frozen=True)
class PushResult:
    url: str
    """The request URL (endpoint plus ``graph=`` or ``default``)."""
    method: str
    """``PUT`` (the graph was replaced) or ``POST`` (the triples were added)."""
    status: int
    triples: int


def graph_store_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol URL of ``graph`` (the default graph when ``None``).

    >>> graph_store_url("http://localhost:7878/store", "https://example.org/g")
    'http://localhost:7878/store?graph=https%3A%2F%2Fexample.org%2Fg'
    >>> graph_store_url("http://h/ds/data?x=1", None)
    'http://h/ds/data?x=1&default'
    """
    try:
        parts = urllib.parse.urlsplit(endpoint)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a malformed host or port: "http://[::1/store"
        usable = False
    if not usable:
        raise EndpointError(f"{endpoint}: not an http(s) URL of a Graph Store endpoint (such as http://localhost:7878/store)")
    if graph is None:
        extra = "default"
    else:
        try:
            ox.NamedNode(graph)
        except ValueError as err:
            raise EndpointError(f"--graph {graph}: not an absolute IRI") from err
        extra = urllib.parse.urlencode({"graph": graph})
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urllib.parse.urlunsplit(parts._replace(query=query))


def push_graph(
    data: Path,
    endpoint: str,
    *,
    graph: str | None = None,
    replace: bool = True,
    user: str | None = None,
    password: str | None = None,
    policy: NetworkPolicy = PUSH_POLICY,
    sleep: Callable[[float], None] = time.sleep,
) -> PushResult:
    """Send the triples of ``data`` to a Graph Store endpoint; replace the graph or add to it.

    Raises DataError for a file that is not valid RDF (before any request) and
    EndpointError for a server that cannot be reached, redirects, or answers with an error.
    """
    fmt = rdf_format(Path(data))
    if fmt.supports_datasets:
        raise DataError(f"{data}: {fmt.name} holds several graphs; push Turtle or N-Triples")
    triples = len(load_store(Path(data)))  # parse first: a bad file never reaches the server
    url = graph_store_url(endpoint, graph)
    method = "PUT" if replace else "POST"
    body = Path(data).read_bytes()
    auth = httpx.BasicAuth(user, password or "") if user is not None else None
    log.info("%s %s (%d triples)", method, url, triples)

    def attempt() -> Reply:
        reply = session.exchange(method, url, content=body, headers={"content-type": fmt.media_type})
        if method == "PUT" and reply.status in _RETRY_STATUSES:
            raise AttemptFailed(f"HTTP {reply.status}", wait=retry_after_seconds(reply.headers.get("retry-after")))
        return reply

    def idempotent(failure: AttemptFailed) -> bool:
        return failure.retryable and (method == "PUT" or failure.connection)

    with Session(policy, auth=auth) as session:
        try:
            reply = Retrying(policy, sleep=sleep).run(attempt, describe=f"{method} {url}", retry=idempotent)
        except GaveUp as gave_up:
            raise EndpointError(_unsent(url, gave_up)) from None
    if not 200 <= reply.status < 300:
        raise _refused(url, reply, with_credentials=user is not None)
    return PushResult(url=url, method=method, status=reply.status, triples=triples)


def _unsent(url: str, gave_up: GaveUp) -> str:
    last = gave_up.last
    if last.connection:
        return f"cannot reach {url}: {last.reason}"
    said = gave_up.describe(url) if gave_up.attempts > 1 else f"{url}: {last.reason}"
    return f"{said}; whether the store took the upload is not known: check it before pushing again"


def _refused(url: str, reply: Reply, *, with_credentials: bool) -> EndpointError:
    if reply.is_redirect:
        along = "the data and the credentials" if with_credentials else "the data"
        return EndpointError(
            f"{url}: HTTP {reply.status}: the endpoint redirects the upload to "
            f"{reply.headers.get('location', '(nowhere)')!r}. kg follows no redirect on an "
            f"upload ({along} would go along), so nothing was pushed: give the final URL "
            "with --endpoint."
        )
    if reply.status in (401, 403):
        return EndpointError(
            f"{url}: HTTP {reply.status}: the server refused the credentials "
            "(set KG_PUSH_USER and KG_PUSH_PASSWORD)"
        )
    said = " ".join(reply.text.split())[:300]
    reason = httpx.codes.get_reason_phrase(reply.status)
    return EndpointError(f"{url}: HTTP {reply.status} {reason}{': ' + said if said else ''}".rstrip())
