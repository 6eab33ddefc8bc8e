"""The checks of ``kg lint``: each reads the parsed list (and the Markdown scan) and
yields findings with a line and a fix. Nothing here fetches anything.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from kg.identify.identifiers import identify_url
from kg.identify.urls import host_is
from kg.lint.findings import Finding
from kg.lint.same_work import Known, Token, WorkGroups, describe, identity_tokens
from kg.lint.scan import Scan
from kg.model.records import Entry, Identifiers, ReadingList
from kg.read.links import address_title
from kg.read.topics import topic_paths

__all__ = [
    "duplicates",
    "empty_sections",
    "links",
    "loose_items",
    "missing_years",
    "mixed_bullets",
    "no_topic",
    "untitled",
]

_HTTPS_HOSTS = (
    "arxiv.org", "github.com", "gitlab.com", "doi.org", "openreview.net", "wikipedia.org",
    "youtube.com", "youtu.be", "twitter.com", "x.com", "proceedings.mlr.press",
    "papers.nips.cc", "proceedings.neurips.cc", "aclanthology.org", "jmlr.org", "medium.com",
    "nature.com", "science.org", "sciencedirect.com", "springer.com", "ieeexplore.ieee.org",
    "dl.acm.org", "semanticscholar.org", "paperswithcode.com", "huggingface.co",
    "colab.research.google.com", "openai.com", "deepmind.com", "distill.pub",
    "stackexchange.com", "stackoverflow.com", "zhihu.com", "bilibili.com", "reddit.com",
    "google.com", "microsoft.com", "readthedocs.io", "coursera.org", "edx.org", "kaggle.com",
)  # fmt: skip
"""Sites that serve every page over https: an http:// link to them is only slower."""

_TRACKING = ("utm_", "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_hsenc", "_hsmi",
             "igshid", "ref_src", "ref_url", "spm", "yclid")  # fmt: skip
_TRACKING_ON = {("youtube.com", "youtu.be"): ("si", "feature", "pp"), ("x.com", "twitter.com"): ("s", "t")}
_IMAGE_FILES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".ico")


def _title_of(entries: dict[str, Entry], key: str | None) -> str:
    return entries[key].title if key and key in entries else ""


# ---------------------------------------------------------------------------------------
# Entries
# ---------------------------------------------------------------------------------------


def _why_one(mine: set[Token], theirs: set[Token], known: Known) -> str:
    """Why two entries are one work: an identifier they share, or who joined them."""
    shared = mine & theirs
    if shared:
        return f"both are {describe(shared)}"
    for tokens, source in known:
        if tokens & mine and tokens & theirs:
            return f"{describe(tokens & theirs)} and {describe(tokens & mine)} name one work, says {source}"
    return "their identifiers name one work"


def duplicates(
    resources: Sequence[Entry], ids: dict[str, Identifiers], groups: WorkGroups, known: Known
) -> Iterator[Finding]:
    """The same work twice: one identifier (arXiv abs and pdf links), or two identifiers
    the bundled facts or the cache know to name one work (a preprint and its DOI)."""
    first: dict[tuple[str, str], Entry] = {}
    for entry in resources:
        tokens = identity_tokens(ids[entry.key])
        work = groups.work(tokens)
        if work is None:
            continue
        if work not in first:
            first[work] = entry
            continue
        earlier = first[work]
        why = _why_one(tokens, identity_tokens(ids[earlier.key]), known)
        yield Finding(
            entry.line, "duplicate",
            f"{entry.title!r} is the same work as {earlier.title!r} on line {earlier.line} ({why})",
            f"keep one of the two entries (line {earlier.line} or {entry.line}) and move what the other says to it",
        )  # fmt: skip


def no_topic(reading_list: ReadingList) -> Iterator[Finding]:
    """Resources before the first section, in a list that has sections."""
    paths = topic_paths(reading_list)
    sections = [e for e in reading_list.entries if e.is_topic and e.heading_level and e.heading_level > 1]
    if not sections:
        return
    top = tuple(e.title for e in reading_list.entries[:1] if e.heading_level == 1)
    for entry in reading_list.entries:
        if not entry.is_topic and paths[entry.key] in {(), top}:
            yield Finding(
                entry.line, "no-topic", f"{entry.title!r} is outside every section",
                f"move it under a section, e.g. {sections[0].title!r} (line {sections[0].line})",
            )  # fmt: skip


def untitled(resources: Sequence[Entry]) -> Iterator[Finding]:
    """Resources whose only words are generic link texts: kg titles them by their address."""
    for entry in resources:
        if entry.url and entry.title == address_title(entry.url):
            yield Finding(
                entry.line, "untitled", f"the entry has no title but its link text, so kg calls it {entry.title!r}",
                f"write the work's title before the link: \"- Title [pdf]({entry.url})\"",
            )  # fmt: skip


def missing_years(reading_list: ReadingList, *, least: int = 3) -> Iterator[Finding]:
    """Entries without a year in a section where most entries give one (entries nested
    under another resource are parts of it, and go by its year)."""
    entries = {e.key: e for e in reading_list.entries}
    by_section: dict[str | None, list[Entry]] = defaultdict(list)
    for entry in reading_list.entries:
        nested = entry.parent is not None and not entries[entry.parent].is_topic
        if not entry.is_topic and not nested:  # a part of a listed work goes by its year
            by_section[entry.parent].append(entry)
    for section, members in by_section.items():
        dated = sum(1 for e in members if e.year is not None)
        if len(members) < least or dated * 2 < len(members) or dated == len(members):
            continue
        name = _title_of(entries, section) or "the list"
        for entry in members:
            if entry.year is None:
                yield Finding(
                    entry.line, "missing-year",
                    f"{entry.title!r} gives no year; {dated} of the {len(members)} entries of {name!r} do",
                    "add the year as the others do, e.g. \"(2019)\" after the title",
                )  # fmt: skip


# ---------------------------------------------------------------------------------------
# The Markdown
# ---------------------------------------------------------------------------------------


def empty_sections(scan: Scan) -> Iterator[Finding]:
    for heading in scan.headings:
        if heading.empty and heading.level > 1:
            yield Finding(
                heading.line, "empty-section", f"the section {heading.title!r} has nothing under it",
                "add its entries, or remove the heading",
            )  # fmt: skip


def mixed_bullets(scan: Scan) -> Iterator[Finding]:
    """Bullets of two kinds ("-" and "*") at one depth of one section."""
    groups: dict[tuple[int, int, bool], list[tuple[int, str]]] = defaultdict(list)
    for run in scan.lists:
        ordered = run.marker in {".", ")"}
        groups[(run.section, run.depth, ordered)].append((run.line, run.marker))
    for runs in groups.values():
        counts = Counter(marker for _, marker in runs)
        if len(counts) < 2:
            continue
        usual = max(counts, key=lambda m: (counts[m], -min(line for line, mk in runs if mk == m)))
        for line, marker in runs:
            if marker != usual:
                yield Finding(
                    line, "mixed-bullets", f"items marked {marker!r} here, {usual!r} in the rest of the section",
                    f"mark them {usual!r} like the others (a new marker also starts a new list)",
                )  # fmt: skip


def loose_items(scan: Scan) -> Iterator[Finding]:
    """Items that read like entries but link to an anchor, a relative path or an image."""
    for item in scan.loose:
        text = " ".join(item.text.split())[:60]
        if item.reason == "anchor":
            message = f"{text!r} links only to the anchor {item.href!r}, so it is no resource"
            fix = "link the work's address, or put the item under a \"Contents\" heading"
        elif item.reason == "relative":
            message = f"{text!r} links to {item.href!r}, a path inside the repository, not an address"
            fix = "give the full https:// address of the resource"
        elif not item.href.lower().split("?")[0].endswith(_IMAGE_FILES):
            message = f"{text!r} is an image of {item.href!r}, which is no image file"
            fix = "remove the \"!\" before the brackets to make it a link"
        else:
            message = f"{text!r} shows an image and links nowhere"
            fix = "link the resource the image stands for: [![…](image)](https://…)"
        yield Finding(item.line, "not-a-resource", message, fix)


def _without_tracking(url: str) -> str | None:
    """``url`` without its tracking parameters, or None when it has none."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return None
    extra = next((names for hosts, names in _TRACKING_ON.items() if host_is(host, *hosts)), ())
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in query if not k.lower().startswith(_TRACKING) and k not in extra]
    if len(kept) == len(query):
        return None
    return urlunsplit(parts._replace(query=urlencode(kept)))


def _malformed(href: str) -> str | None:
    """Why an http(s) address is broken, or None."""
    if " " in href or "%20" in href.split("?")[0].split("//", 1)[-1].split("/", 1)[0]:
        return "it has a space in it"
    try:
        parts = urlsplit(href)
        _ = parts.port
    except ValueError as err:
        return str(err)
    if parts.scheme in {"http", "https"} and not parts.hostname:
        return "it has no host"
    if parts.hostname and "." not in parts.hostname and parts.hostname != "localhost":
        return f"{parts.hostname!r} is no host name"
    return None


def links(scan: Scan) -> Iterator[Finding]:
    """Broken link syntax, broken addresses, http:// where https:// is standard, tracking."""
    for line, text, reason in scan.broken:
        yield Finding(line, "malformed-link", f"{text!r} is no link: {reason}", "write it as [text](https://address) with no space")
    for link in scan.links:
        if link.image or not link.href.lower().startswith(("http:", "https:")):
            continue
        if (why := _malformed(link.href)) is not None:
            yield Finding(link.line, "malformed-link", f"the address {link.href!r} is broken: {why}", "correct the address")
            continue
        host = (urlsplit(link.href).hostname or "").lower()
        if link.href.lower().startswith("http:") and host_is(host, *_HTTPS_HOSTS):
            secure = "https:" + link.href[5:]
            yield Finding(link.line, "http", f"{link.href} uses http://, but {host} serves https://", f"use {secure}")
        if (clean := _without_tracking(link.href)) is not None:
            yield Finding(link.line, "tracking", f"{link.href} carries tracking parameters", f"use {clean}")


def identifiers(resources: Sequence[Entry]) -> dict[str, Identifiers]:
    return {e.key: identify_url(str(e.url)) for e in resources}
