"""``kg serve`` (a local SPARQL endpoint) and ``kg push`` (upload to a store)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from kg.cli.common import DEFAULT_DATA, out, run

__all__ = ["push", "serve"]


def serve(
    data: Annotated[Path, typer.Argument(help="The RDF file to serve.")] = DEFAULT_DATA,
    port: Annotated[
        int, typer.Option("--port", "-p", min=1, max=65535, help="Port on 127.0.0.1 (1-65535; 0 is refused: "
                          "the endpoint's address must be known before it starts).")
    ] = 7878,
    writable: Annotated[
        bool, typer.Option("--writable", help="Accept SPARQL updates and Graph Store writes (to a temporary copy).")
    ] = False,
    allow_remote: Annotated[
        bool,
        typer.Option("--allow-remote", help="Let SERVICE and LOAD send requests to other servers (any web page can send the endpoint a query)."),
    ] = False,
    timeout: Annotated[
        int, typer.Option(metavar="SECONDS", min=0, help="Cancel a query still running after this many seconds (0: no limit).")
    ] = 60,
) -> None:
    """Serve the graph as a SPARQL 1.1 endpoint on localhost (Oxigraph server; Ctrl-C stops it)."""
    from kg.errors import EndpointError
    from kg.sparql.serve import running_server

    _interrupt_on_sigterm()

    def serve_until_stopped() -> None:
        with running_server(
            [data], port=port, writable=writable, allow_remote=allow_remote, query_timeout=timeout
        ) as server:
            mode = "read-write (a temporary copy)" if writable else "read-only"
            remote = "allowed" if allow_remote else "refused (--allow-remote allows them)"
            try:  # a stop may come as soon as the first line is out
                out.print(f"serving {data} ({server.triples} triples), {mode}")
                out.print(f"SERVICE and LOAD to other servers: {remote}")
                out.print(f"SPARQL endpoint: {server.query_url}")
                out.print(f"Graph Store:     {server.store_url}")
                out.print(f"in a browser:    {server.url}/   (Ctrl-C stops the server)")
                status = server.wait()
            except KeyboardInterrupt:
                return
            raise EndpointError(f"the Oxigraph server stopped on its own (exit status {status})")

    run(serve_until_stopped)
    out.print("stopped")


def _interrupt_on_sigterm() -> None:
    """Stop on SIGTERM as on Ctrl-C, so the server child is stopped and its files removed."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def push(
    endpoint: Annotated[
        str,
        typer.Option(
            help="Graph Store HTTP Protocol URL, e.g. http://localhost:7878/store (Oxigraph), "
            "http://localhost:3030/DATASET/data (Fuseki).",
        ),
    ],
    data: Annotated[Path, typer.Argument(help="The RDF file to upload.")] = DEFAULT_DATA,
    graph: Annotated[
        str | None, typer.Option(help="IRI of the named graph to write. Default: the default graph.")
    ] = None,
    add: Annotated[bool, typer.Option("--add", help="Add to the graph (POST) instead of replacing it (PUT).")] = False,
) -> None:
    """Upload the graph to a SPARQL store (Graph Store HTTP Protocol; auth from KG_PUSH_USER/KG_PUSH_PASSWORD)."""
    from kg.sparql.push import push_graph

    result = run(
        lambda: push_graph(
            data, endpoint, graph=graph, replace=not add,
            user=os.environ.get("KG_PUSH_USER"), password=os.environ.get("KG_PUSH_PASSWORD"),
        )
    )
    action = "added" if add else "replaced"
    target = f"graph <{graph}>" if graph else "the default graph"
    out.print(f"pushed {result.triples} triples to {endpoint}: {target} {action} (HTTP {result.status})")
