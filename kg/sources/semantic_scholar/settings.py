"""What the Semantic Scholar stage is asked to do, and what it reports."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Literal

from kg.sources.http import NetworkPolicy

__all__ = [
    "SOURCE", "DEFAULT_API_URL", "API_URL_ENV", "BATCH_SIZE", "AUTHOR_BATCH_SIZE", "PAGE_SIZE",
    "PAPER_FIELDS", "EDGE_FIELDS", "AUTHOR_FIELDS", "Mode", "S2Settings", "PartialWork",
    "FetchReport", "env_api_url",
]

SOURCE = "semantic-scholar"
DEFAULT_API_URL = "https://api.semanticscholar.org"
API_URL_ENV = "S2_API_URL"
BATCH_SIZE = 500
AUTHOR_BATCH_SIZE = 1000
PAGE_SIZE = 1000

PAPER_FIELDS = (
    "paperId", "corpusId", "externalIds", "url", "title", "year", "venue", "authors",
    "s2FieldsOfStudy", "publicationTypes", "citationCount", "influentialCitationCount",
    "referenceCount", "tldr", "openAccessPdf",
)  # fmt: skip
"""What is asked about each work of the list."""
EDGE_FIELDS = (
    "isInfluential", "intents", "paperId", "corpusId", "externalIds", "title", "year",
    "venue", "authors", "s2FieldsOfStudy", "publicationTypes", "citationCount",
)  # fmt: skip
"""What is asked about each citation and reference: the edge, and the paper at its far end."""
AUTHOR_FIELDS = ("authorId", "name", "externalIds")

Mode = Literal["online", "offline", "auto"]
"""``online``: fetch what the cache lacks; ``offline``: cache only; ``auto``: online when the
API can be reached, else offline."""


def env_api_url() -> str:
    """The API root from ``S2_API_URL``, else the public API."""
    return os.environ.get(API_URL_ENV, "").strip() or DEFAULT_API_URL


@dataclass(frozen=True)
class S2Settings:
    """Where to ask, what to keep, how much to fetch."""

    mode: Mode = "offline"
    api_url: str = field(default_factory=env_api_url)
    """The API root (``/graph/v1/...`` is appended); default ``S2_API_URL`` or the public API."""
    cache_dir: Path | None = None
    """Directory of the response cache; None: the user cache directory."""
    refresh: bool = False
    """Ask again for everything, replacing what the cache holds."""
    max_age: timedelta | None = None
    """Ask again for answers older than this."""
    max_citations: int = 1000
    """Citing papers fetched per work at most (the API serves at most 9,999)."""
    network: NetworkPolicy = field(default_factory=NetworkPolicy.from_env)

    def __post_init__(self) -> None:
        if not self.api_url.lower().startswith(("http://", "https://")):
            raise ValueError(f"the API URL must be an http(s) URL, not {self.api_url!r}")
        if self.max_citations < 0:
            raise ValueError("max_citations cannot be negative")

    @property
    def api_root(self) -> str:
        """The root the client appends ``/graph/v1/...`` to (a pasted ``/graph/v1`` is cut)."""
        return self.api_url.rstrip("/").removesuffix("/graph/v1")


@dataclass(frozen=True)
class PartialWork:
    """A list work whose citations were not all fetched."""

    label: str
    fetched: int
    total: int | None


@dataclass
class FetchReport:
    """What the Semantic Scholar stage did, for the closing summary."""

    mode: str
    """``online`` or ``offline``: how the run went in the end."""
    fallback: str | None = None
    """Why an ``auto`` run went offline."""
    cache: Path | None = None
    resources: int = 0
    resolved: int = 0
    papers: int = 0
    authors: int = 0
    citations: int = 0
    requests: int = 0
    """HTTP requests sent, retries included."""
    retries: int = 0
    """Of those, the ones sent again after a 429, a 5xx, a timeout or a broken answer."""
    cache_hits: int = 0
    not_cached: int = 0
    """Answers an offline run needed and the cache did not hold."""
    partial: list[PartialWork] = field(default_factory=list)

