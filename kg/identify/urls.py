"""URLs made canonical, and the parts of a URL the identifier and kind rules read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

__all__ = ["normalize_url", "Url", "parse_url", "host_is"]

_DEFAULT_PORTS: Mapping[str, int] = {"http": 80, "https": 443}

# ---------------------------------------------------------------------------------------
# URL normalisation
# ---------------------------------------------------------------------------------------


def normalize_url(url: str) -> str:
    """The URL with case, default port, fragment and trailing slash made canonical.

    The query is kept: it often *is* the identity of the page (``forum?id=…``).

    >>> normalize_url("HTTPS://ArXiv.org:443/abs/1702.08489/#v2")
    'https://arxiv.org/abs/1702.08489'
    >>> normalize_url("http://www.offconvex.org")
    'http://www.offconvex.org/'
    >>> normalize_url("https://openreview.net/forum?id=G70Z8ds32C9#top")
    'https://openreview.net/forum?id=G70Z8ds32C9'
    >>> normalize_url("http://example.org:8080/a/")
    'http://example.org:8080/a'
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:  # a malformed port or IPv6 literal: nothing safe to rewrite
        return text
    if not parts.netloc:
        return urlunsplit((parts.scheme.lower(), "", parts.path, parts.query, ""))
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literals keep their brackets
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    userinfo, at, _ = parts.netloc.rpartition("@")
    path = parts.path
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    elif not path and parts.scheme.lower() in _DEFAULT_PORTS:
        path = "/"
    return urlunsplit((parts.scheme.lower(), f"{userinfo}{at}{host}", path, parts.query, ""))


@dataclass(frozen=True, slots=True)
class Url:
    """The parts of a URL the rules look at, decoded once."""

    scheme: str
    host: str
    """Lower-case host without a leading ``www.``."""
    path: str
    """Percent-decoded path, case kept (ids such as DOIs and repository names live there)."""
    query: Mapping[str, Sequence[str]]
    """Query parameters, names lower-cased."""

    @property
    def segments(self) -> list[str]:
        return [s for s in self.path.split("/") if s]


def parse_url(url: str) -> Url | None:
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return None
    query = {k.lower(): v for k, v in parse_qs(parts.query).items()}
    return Url(
        scheme=parts.scheme.lower(),
        host=host.removeprefix("www."),
        path=unquote(parts.path),
        query=query,
    )


def host_is(host: str, *domains: str) -> bool:
    """True when ``host`` is one of ``domains`` or a subdomain of one.

    >>> host_is("export.arxiv.org", "arxiv.org"), host_is("notarxiv.org", "arxiv.org")
    (True, False)
    """
    return any(host == d or host.endswith("." + d) for d in domains)


