"""Links on the map: only http(s) addresses ever become hrefs."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from kg.map.attrs import display_text
from kg.model.graph import (
    PERSON,
)
from kg.model.iris import identifier_pages

__all__ = ["http_url", "node_links"]

logger = logging.getLogger(__name__)


_BLANK_OR_CONTROL = re.compile(r"[\x00-\x20\x7f]")

# --------------------------------------------------------------------------------------
# Links: only http(s) addresses ever become hrefs
# --------------------------------------------------------------------------------------


def http_url(url: object) -> str | None:
    """``url`` if it is an absolute http(s) address a browser reads the same way, else None.

    Browsers drop tabs and newlines and trim control characters before reading a scheme,
    so ``java\\tscript:`` is ``javascript:`` to them; anything with whitespace or control
    characters is refused outright rather than normalised.
    """
    if not isinstance(url, str) or _BLANK_OR_CONTROL.search(url):
        return None
    if not url.lower().startswith(("http://", "https://")):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def _person_links(attrs: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """(text, address) of a person's profiles (``s2_author_id`` and ``orcid`` attributes)."""
    if author := display_text(attrs.get("s2_author_id")):
        yield "Semantic Scholar", f"https://www.semanticscholar.org/author/{quote(author, safe='')}"
    if orcid := display_text(attrs.get("orcid")):
        yield "ORCID", f"https://orcid.org/{quote(orcid, safe='')}"


# How the panel names each identifier's page.
_ID_LINK_TEXT = {
    "arxiv": "arXiv:{}",
    "doi": "DOI {}",
    "s2": "Semantic Scholar",
    "corpus_id": "Semantic Scholar",
    "openreview": "OpenReview",
    "github": "GitHub {}",
    "wikipedia": "Wikipedia",
    "pmcid": "{}",
    "isbn": "ISBN {}",
}


def _id_links(ids: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """(text, address) for each identifier of a work that has a public landing page."""
    shown: set[str] = set()
    for scheme, value, iri in identifier_pages({k: str(v) for k, v in ids.items() if v}):
        text = _ID_LINK_TEXT.get(scheme, scheme).format(value)
        if iri.startswith("https://") and text not in shown:
            shown.add(text)  # a paper id and a corpus id lead to the same page
            yield text, iri


def node_links(attrs: Mapping[str, Any], group: str) -> list[list[str]]:
    """``[text, href]`` pairs, deduplicated by address; unsafe addresses are dropped."""
    url = attrs.get("url")
    # The list's own address, named by its site ("arxiv.org"), as the curator linked it.
    host = urlsplit(str(url)).hostname if http_url(url) else None
    candidates: list[tuple[str, object]] = [(str(host or "Link"), url)]
    ids = attrs.get("ids")
    if group == PERSON:
        candidates.extend(_person_links(attrs))
    elif isinstance(ids, Mapping):
        candidates.extend(_id_links(ids))
    candidates.append(("Open-access PDF", attrs.get("open_access_pdf")))
    related = attrs.get("related")
    if isinstance(related, (list, tuple)):
        for item in related:
            if isinstance(item, (list, tuple)) and len(item) == 2:
                candidates.append((display_text(item[1]) or "Related", item[0]))
    links: list[list[str]] = []
    seen: set[str] = set()
    for text, address in candidates:
        href = http_url(address)
        if href is None:
            if address is not None:
                logger.debug("dropped a non-http(s) link of %r", attrs.get("label"))
            continue
        if href not in seen:
            seen.add(href)
            links.append([text, href])
    return links


