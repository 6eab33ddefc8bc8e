"""Upload a graph to any SPARQL 1.1 store through the Graph Store HTTP Protocol.

Fuseki (``/DATASET/data``), GraphDB (``/repositories/REPO/rdf-graphs/service``), Virtuoso
(``/sparql-graph-crud``) and Oxigraph (``/store``) all speak it: ``PUT`` replaces a graph,
``POST`` adds to it; ``?graph=IRI`` names the graph, ``?default`` the default graph. The
file is parsed here first, so a bad file fails with its line before anything is sent.

Credentials (HTTP basic auth) are passed in by the caller, which reads them from the
environment; they are never logged.
"""

from __future__ import annotations

import base64
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import DataError, EndpointError
from kg.rdf.store import load_store, rdf_format

__all__ = ["PushResult", "push_graph", "graph_store_url"]

log = logging.getLogger(__name__)


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
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise EndpointError(f"{endpoint}: not an http(s) URL of a Graph Store endpoint")
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
    timeout: float = 600.0,
) -> PushResult:
    """Send the triples of ``data`` to a Graph Store endpoint; replace the graph or add to it.

    Raises DataError for a file that is not valid RDF (before any request) and
    EndpointError for a server that cannot be reached or answers with an error.
    """
    fmt = rdf_format(Path(data))
    if fmt.supports_datasets:
        raise DataError(f"{data}: {fmt.name} holds several graphs; push Turtle or N-Triples")
    triples = len(load_store(Path(data)))  # parse first: a bad file never reaches the server
    url = graph_store_url(endpoint, graph)
    method = "PUT" if replace else "POST"
    headers = {"Content-Type": fmt.media_type}
    if user is not None:
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    request = urllib.request.Request(
        url, data=Path(data).read_bytes(), headers=headers, method=method
    )
    log.info("%s %s (%d triples)", method, url, triples)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as err:
        raise _refused(url, err) from err
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise EndpointError(f"cannot reach {url}: {reason}") from err
    return PushResult(url=url, method=method, status=status, triples=triples)


def _refused(url: str, err: urllib.error.HTTPError) -> EndpointError:
    with err:  # the error holds the connection: read what the server said, then close it
        body = err.read().decode("utf-8", errors="replace").strip()
    if err.code in (401, 403):
        return EndpointError(
            f"{url}: HTTP {err.code}: the server refused the credentials "
            "(set KG_PUSH_USER and KG_PUSH_PASSWORD)"
        )
    said = f": {' '.join(body.split())[:300]}" if body else ""
    return EndpointError(f"{url}: HTTP {err.code} {err.reason}{said}")
