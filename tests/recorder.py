"""A local HTTP server standing in for another server a query could call (a SPARQL endpoint
for ``SERVICE``, a document for ``LOAD``): it records every request it receives, and
answers each with one solution, ``?s = <http://remote/x>`` (SYNTHETIC: made up here).

The tests that say "no request was sent" assert that its record stays empty; the ones that
allow remote calls show the record is not empty for want of trying.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["ANSWER_ROW", "Recorder", "recording_server"]

ANSWER_ROW = "http://remote/x"
_ANSWER = (
    b'{"head":{"vars":["s"]},"results":{"bindings":'
    b'[{"s":{"type":"uri","value":"' + ANSWER_ROW.encode() + b'"}}]}}'
)


@dataclass
class Recorder:
    """The server's address and what it received."""

    url: str
    requests: list[str] = field(default_factory=list)
    """``METHOD /path`` of each request, in order."""

    def endpoint(self, path: str = "sparql") -> str:
        return f"{self.url}/{path}"


@contextmanager
def recording_server() -> Iterator[Recorder]:
    recorder = Recorder(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            recorder.requests.append(f"{self.command} {self.path}")
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(_ANSWER)))
            self.end_headers()
            self.wfile.write(_ANSWER)

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    recorder.url = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()  # quick to stop
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
