"""Links on the map: only http(s) addresses ever become hrefs."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import quote, urlsplit

from kg.model.iris import identifier_pages
from kg.model.nodes import Node, PersonNode, WorkNode
from kg.model.records import Identifiers

__all__ = ["http_url", "node_links"]

logger = logging.getLogger(__name__)

_BLANK_OR_CONTROL = re.compile(r"[\x00-\x20\x7f]")


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


def _person_links(person: PersonNode) -> Iterable[tuple[str, str]]:
    """(text, address) of a person's profiles."""
    if person.s2_author_id:
        yield "Semantic Scholar", f"https://www.semanticscholar.org/author/{quote(person.s2_author_id, safe='')}"
    if person.orcid:
        yield "ORCID", f"https://orcid.org/{quote(person.orcid, safe='')}"


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


def _id_links(ids: Identifiers) -> Iterable[tuple[str, str]]:
    """(text, address) for each identifier of a work that has a public landing page."""
    shown: set[str] = set()
    for scheme, value, iri in identifier_pages(ids):
        text = _ID_LINK_TEXT.get(scheme, scheme).format(value)
        if iri.startswith("https://") and text not in shown:
            shown.add(text)  # a paper id and a corpus id lead to the same page
            yield text, iri


def node_links(node: Node) -> list[list[str]]:
    """``[text, href]`` pairs, deduplicated by address; unsafe addresses are dropped."""
    candidates: list[tuple[str, str | None]] = []
    if isinstance(node, PersonNode):
        candidates.extend(_person_links(node))
    elif isinstance(node, WorkNode):
        # The list's own address, named by its site ("arxiv.org"), as the curator linked it.
        host = urlsplit(node.url).hostname if http_url(node.url) else None
        candidates.append((str(host or "Link"), node.url))
        candidates.extend(_id_links(node.ids))
        candidates.append(("Open-access PDF", node.open_access_pdf))
        for link in node.listing.related if node.listing else ():
            candidates.append((link.text.strip() or "Related", link.url))
    links: list[list[str]] = []
    seen: set[str] = set()
    for text, address in candidates:
        href = http_url(address)
        if href is None:
            if address is not None:
                logger.debug("dropped a non-http(s) link of %r", node.label)
            continue
        if href not in seen:
            seen.add(href)
            links.append([text, href])
    return links
