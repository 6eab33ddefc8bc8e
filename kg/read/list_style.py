"""Writing new items into a reading list the way its curator writes them.

A new item is made from its neighbour: the last resource already filed under the same
topic. The neighbour's own lines are taken as a template and the fields the parser read
from them (:class:`~kg.model.records.Entry`: link, title, number, authors, year, venue,
note, further links) are replaced by the new work's, each where the neighbour has it. So
the bullet or number, the indentation, bold or italics around the title, the link form
(inline, reference-style with its definition, autolink, bare address), a table's
columns, the place of the byline and the note all stay as the curator writes them;
further links the new work does not have (code, slides) go, and so does a field the
new work lacks, with the punctuation before it.

Each result is read back with the list's parser: the new item must be a resource with
the new address and the new title, filed under the topic. Only the list's own items
serve as neighbours, never one added before. A neighbour that is a paragraph (a list
written without bullets) gets its new item as a paragraph of its own, blank lines
around it. When the neighbour cannot serve as a template
(its title is not written out as the parser read it, say), the item is written in the
plainest habit, ``- [Title](address)``, under the topic; when that fails too it is
left out, with the reason.

Nothing here writes a file: :func:`add_items` returns the new text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.tree import SyntaxTreeNode

from kg.identify.identifiers import identify_url
from kg.model.records import Entry, ReadingList
from kg.read.markdown import markdown_parser, parse_reading_list
from kg.read.topics import topic_paths

__all__ = ["NewItem", "Placement", "Added", "add_items", "format_authors"]


@dataclass(frozen=True, slots=True)
class NewItem:
    """A work to add to the list, with what the list may say of it."""

    title: str
    url: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Placement:
    item: NewItem
    topic: tuple[str, ...]
    """The topic, by its path of titles from the outermost (lines move as items are added)."""


@dataclass(frozen=True, slots=True)
class Added:
    item: NewItem
    topic: tuple[str, ...]
    line: int
    """1-based line of the new text the item starts on."""
    styled: bool
    """Written after its neighbour's model (False: in the plainest habit)."""


@dataclass(frozen=True, slots=True)
class _Block:
    own: tuple[int, int]
    """0-based lines [start, end) of the entry's own text."""
    extent: tuple[int, int]
    """The lines of the entry with everything nested in it."""


def _blocks(text: str) -> dict[int, _Block]:
    """Where each list item, table row and paragraph is, by its first line (0-based)."""
    found: dict[int, _Block] = {}
    lines = text.splitlines()

    def trimmed(start: int, end: int) -> int:
        # The blank lines that close a list belong to no item: an item written after
        # them would take the paragraph below (a bold sub-heading) as its own text.
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        return end

    def walk(node: SyntaxTreeNode) -> None:
        for child in node.children:
            if child.map is None:
                walk(child)
                continue
            start, end = child.map
            if child.type == "list_item":
                # Its own text: every block of it up to a nested list (a byline may be a
                # paragraph of its own under the title).
                nested = next((c.map[0] for c in child.children if c.type in _LIST_TYPES and c.map), end)
                found.setdefault(start, _Block((start, trimmed(start, nested)), (start, trimmed(start, end))))
            elif child.type in ("tr", "paragraph", "heading"):
                found.setdefault(start, _Block((start, end), (start, end)))
            walk(child)

    walk(SyntaxTreeNode(markdown_parser().parse(text)))
    return found


_LIST_TYPES = ("bullet_list", "ordered_list")
_LIST_MARKER = re.compile(r"\s*(?:[-*+]|\d+[.)])[ \t]+")
"""A list item's marker and the space after it ("**Title**" starts with no marker)."""
_NUMBER = re.compile(r"\d+(?:\.\d+)*")
_REFERENCE = re.compile(r"\]\[([^\]]+)\]")
_DEFINITION = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*\S")


def format_authors(names: Sequence[str], model: str, et_al: bool) -> str:
    """``names`` written the way ``model`` (a byline of the list) writes names: "Surname,
    I." or "I. Surname" or full names or surnames alone, joined with its "and", "&" or
    commas, "et al." after the first when the model shortens.

    >>> format_authors(["Ada Lovelace", "Alan Turing"], "Hinton, G., & Dean, J.", False)
    'Lovelace, A., & Turing, A.'
    >>> format_authors(["Ada Lovelace", "Alan Turing", "Kurt Gödel"], "Wu et al.", True)
    'Lovelace et al.'
    >>> format_authors(["Ada Lovelace", "Alan Turing"], "Sepp Hochreiter and Jürgen Schmidhuber", False)
    'Ada Lovelace and Alan Turing'
    """
    if not names:
        return ""
    parts = [n.split() for n in names]
    model = re.sub(r"\s*,?\s*et al\.?", " et al", model)
    shortened = et_al or "et al" in model
    model = model.replace(" et al", "")
    inverted = re.match(r"^[^\W\d][\w'\-]+,\s+[A-Z]\.", model) is not None
    initials_first = re.match(r"^([A-Z]\.\s*)+[^\W\d]", model) is not None
    full = not inverted and not initials_first and re.match(r"^[^\W\d][\w'\-]+\s+[^\W\d]", model) is not None
    if shortened and len(names) > 2:
        parts = parts[:1]
        tail = " et al."
    else:
        tail = ""

    def one(words: list[str]) -> str:
        surname, given = words[-1], words[:-1]
        initials = " ".join(f"{w[0]}." for w in given if w)
        if inverted:
            return f"{surname}, {initials}" if initials else surname
        if initials_first:
            return f"{initials} {surname}".strip()
        return " ".join(words) if full else surname

    written = [one(p) for p in parts]
    if tail or len(written) == 1:
        return written[0] + tail
    last = ", & " if ", &" in model else " & " if "&" in model else " and " if " and " in model else ", "
    return ", ".join(written[:-1]) + last + written[-1]


class _Template:
    """The neighbour's own text, with the spans that hold its fields."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.edits: list[tuple[int, int, str]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e, _ in self.edits)

    def find(self, needle: str, *, word: bool = False, before: int | None = None) -> tuple[int, int] | None:
        """The first occurrence of ``needle`` no edit covers (as a whole word or number)."""
        if not needle:
            return None
        pattern = re.escape(needle)
        if word:
            pattern = rf"(?<![\w.]){pattern}(?![\w])"
        for match in re.finditer(pattern, self.raw):
            if self.free(*match.span()) and (before is None or match.start() < before):
                return match.span()
        return None

    def replace(self, span: tuple[int, int], text: str) -> None:
        self.edits.append((span[0], span[1], text))

    def remove(self, span: tuple[int, int]) -> None:
        """Remove the span and the separator before it (" - ", ", ", ": ", parentheses around it)."""
        start, end = span
        head = self.raw[:start]
        if head.endswith("(") and self.raw[end:end + 1] == ")":
            start, end = start - 1, end + 1
            head = self.raw[:start]
        separator = re.search(r"(?:\s*[-–—:,;.]\s*|\s+)$", head)
        if separator and self.free(separator.start(), start):
            start = separator.start()
        self.edits.append((start, end, ""))

    def set(self, span: tuple[int, int], text: str | None) -> None:
        """Replace the span with ``text``, or remove it (with its separator) when None."""
        if text is None:
            self.remove(span)
        else:
            self.replace(span, text)

    def text(self) -> str:
        out = self.raw
        for start, end, text in sorted(self.edits, reverse=True):
            out = out[:start] + text + out[end:]
        return out


def _escape(text: str, table: bool) -> str:
    text = " ".join(text.split()).replace("[", "\\[").replace("]", "\\]")
    return text.replace("|", "\\|") if table else text


def _styled(raw: str, model: Entry, item: NewItem, number: str | None, table: bool) -> tuple[str, str | None]:
    """The new item in the neighbour's words, and the reference label to define (if any)."""
    t = _Template(raw)
    label = None
    assert model.url is not None
    url_span = t.find(model.url)
    if url_span is not None:
        while url_span is not None:
            t.replace(url_span, item.url)
            url_span = t.find(model.url)
    else:
        reference = next((m for m in _REFERENCE.finditer(raw)), None)
        if reference is None:
            raise ValueError("the neighbour's address is not in its text")
        label = "kg-" + re.sub(r"[^a-z0-9]+", "-", item.title.lower()).strip("-")[:40]
        t.replace(reference.span(1), label)
    for link in model.related:
        constructs = list(re.finditer(r"\[\[?[^\[\]]*\]?\]\(\s*<?" + re.escape(link.url) + r">?\s*\)", raw))
        spans = [m.span() for m in constructs] or [s for s in [t.find(link.url)] if s is not None]
        for found in reversed(spans):
            if t.free(*found):
                t.remove(found)
    title = t.find(model.title)
    if title is None:
        raise ValueError("the neighbour's title is not written out as read")
    t.replace(title, _escape(item.title, table))
    for old, new in ((model.note, _like(model.note, item.note)), (model.venue, item.venue)):
        field_span = t.find(old) if old else None
        if field_span is not None:
            t.set(field_span, _escape(new, table) if new else None)
    _identifiers(t, model.url, item.url)
    if model.year:
        year = t.find(str(model.year), word=True)
        while year is not None:
            t.set(year, str(item.year) if item.year else None)
            year = t.find(str(model.year), word=True)
    if model.authors:
        _authors(t, model, item, table)
    if number is not None and model.number:
        number_span = t.find(model.number, word=True, before=title[0])
        if number_span is not None:
            t.replace(number_span, number)
    return t.text(), label


def _like(model: str | None, note: str | None) -> str | None:
    """``note`` punctuated like the neighbour's note: in parentheses, with a final stop or not."""
    if not model or not note:
        return note
    note = note.rstrip(".") + "." if model.rstrip(")").endswith(".") else note.rstrip(".")
    return f"({note})" if model.startswith("(") and model.endswith(")") else note


def _identifiers(t: _Template, old_url: str, new_url: str) -> None:
    """The neighbour's arXiv id or DOI written out in its text ("arXiv:1707.06347"): the
    new work's of the same kind, or nothing."""
    old, new = identify_url(old_url), identify_url(new_url)
    for scheme in ("arxiv", "doi"):
        value = getattr(old, scheme)
        span = t.find(value) if value else None
        while span is not None:
            replacement = getattr(new, scheme)
            if replacement is None:
                head = re.search(r"(?:arXiv|doi|DOI):?\s*$", t.raw[: span[0]])
                span = (head.start(), span[1]) if head and t.free(head.start(), span[0]) else span
            t.set(span, replacement)
            span = t.find(value)


def _authors(t: _Template, model: Entry, item: NewItem, table: bool) -> None:
    """Replace the neighbour's byline (from its first author's name to its last's)."""
    spans = []
    for name in model.authors:
        for word in name.split():
            if len(word.strip(".")) > 1 and (span := t.find(word.strip(","), word=True)) is not None:
                spans.append(span)
    if not spans:
        return
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    head = re.search(r"(?:[A-Z]\.\s*)+$", t.raw[:start])
    start = head.start() if head else start
    tail = re.match(r",?\s*(?:[A-Z]\.\s*)*[A-Z]\.|\s*(?:,\s*)?(?:et al\.?|等)", t.raw[end:])
    end = end + tail.end() if tail else end
    if not t.free(start, end):
        return
    written = format_authors(item.authors, t.raw[start:end], model.et_al)
    t.set((start, end), _escape(written, table) if written else None)


def _next_number(number: str | None, step: int) -> str | None:
    """The number after ``number`` by ``step`` ("12" → "13", "6.2" → "6.3")."""
    if not number or not _NUMBER.fullmatch(number):
        return None
    head, _, last = number.rpartition(".")
    return f"{head}.{int(last) + step}" if head else str(int(last) + step)


def add_items(text: str, placements: Sequence[Placement]) -> tuple[str, list[Added], list[tuple[NewItem, str]]]:
    """``text`` with each placement's item added under its topic (see the module
    docstring); also what was added where, and what was left out and why."""
    added: list[Added] = []
    skipped: list[tuple[NewItem, str]] = []
    reading_list = parse_reading_list(text)
    originals = {e.url for e in reading_list.entries if e.url}
    for placement in placements:
        result = _add_one(text, reading_list, placement, originals)
        if isinstance(result, str):
            skipped.append((placement.item, result))
        else:
            # The parse that checked the new text is the next item's starting point.
            text, reading_list, line, styled = result
            added.append(Added(placement.item, placement.topic, line, styled))
    return text, added, skipped


def _add_one(
    text: str, reading_list: ReadingList, placement: Placement, originals: set[str]
) -> tuple[str, ReadingList, int, bool] | str:
    paths = topic_paths(reading_list)
    topic = next((e for e in reading_list.entries if e.is_topic and paths[e.key] + (e.title,) == placement.topic), None)
    if topic is None:
        return "its topic is not a section of the list"
    if any(e.url and _same(e.url, placement.item.url) for e in reading_list.entries):
        return "the list has it already"
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    blocks = _blocks(text)
    direct = [
        e for e in reading_list.entries
        if e.parent == topic.key and e.url in originals and e.source is None
    ]  # fmt: skip
    attempts: list[tuple[str, str | None, int]] = []
    if direct:
        model = direct[-1]
        block = _whole_entry(blocks, lines, model)
        raw = "".join(lines[block.own[0]:block.own[1]]).rstrip("\r\n \t")
        at = block.extent[1]
        table = raw.lstrip().startswith("|")
        marker = _LIST_MARKER.match(raw)
        # A paragraph of its own, blank lines around it: written right under a paragraph
        # it would continue it.
        before = newline if not table and marker is None else ""
        lazy = _lazy_numbers(reading_list)
        try:
            styled, label = _styled(raw, model, placement.item, _next_number(model.number, 0 if lazy else 1), table)
            attempts.append((before + styled, label, at))
        except ValueError:
            pass
        prefix = marker.group(0) if marker and not table else "" if before else "- "
        plain = f"{prefix}[{_escape(placement.item.title, False)}]({placement.item.url})"
        attempts.append((before + plain, None, at))
    elif topic.heading_level is not None:
        at = topic.line  # just under the heading
        attempts.append((f"{newline}- [{_escape(placement.item.title, False)}]({placement.item.url})", None, at))
    for number, (item_text, label, at) in enumerate(attempts):
        after_item = newline if item_text.startswith(newline) and at < len(lines) and lines[at].strip() else ""
        candidate = lines[:at] + [item_text.replace("\n", newline) + newline + after_item] + lines[at:]
        if at > 0 and not candidate[at - 1].endswith(("\n", "\r")):
            candidate[at - 1] += newline
        if label is not None:
            candidate = _define(candidate, label, placement.item.url, newline)
        new_text = "".join(candidate)
        after = parse_reading_list(new_text)
        if _placed(after, placement.item, topic, reading_list):
            return new_text, after, at + 1 + item_text.startswith(newline), number == 0 and bool(direct)
    return "no item written in the list's habit reads back under its topic"


def _whole_entry(blocks: dict[int, _Block], lines: list[str], model: Entry) -> _Block:
    """The lines of ``model``'s entry: its block, and the paragraph after it when that
    holds its address (a bold title on a line of its own, the byline and link below)."""
    start = model.line - 1
    block = blocks.get(start, _Block((start, start + 1), (start, start + 1)))
    following = block.extent[1]
    while following < len(lines) and not lines[following].strip():
        following += 1
    after = blocks.get(following)
    url = (model.url or "").rstrip("/")
    own_text = "".join(lines[block.own[0]:block.own[1]])
    if after is not None and url and url not in own_text and url in "".join(lines[after.own[0]:after.own[1]]):
        return _Block((block.own[0], after.own[1]), (block.extent[0], after.extent[1]))
    return block


def _lazy_numbers(reading_list: ReadingList) -> bool:
    """Whether the list numbers its items "1." throughout (Markdown renumbers them)."""
    last: dict[str | None, str] = {}
    for entry in reading_list.entries:
        if entry.url and entry.number:
            if last.get(entry.parent) == entry.number:
                return True
            last[entry.parent] = entry.number
    return False


def _define(lines: list[str], label: str, url: str, newline: str) -> list[str]:
    """Add the reference definition after the list's last one."""
    last = max((i for i, line in enumerate(lines) if _DEFINITION.match(line)), default=len(lines) - 1)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    return lines[: last + 1] + [f"[{label}]: {url}{newline}"] + lines[last + 1:]


def _same(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


def _placed(after: ReadingList, item: NewItem, topic: Entry, before: ReadingList) -> bool:
    """Whether ``after`` has a resource with the item's address and title whose nearest
    topic is ``topic`` (matched by its path of titles, since lines move)."""
    url = item.url
    paths = topic_paths(after)
    wanted = topic_paths(before)[topic.key] + (topic.title,)
    by_key = {e.key: e for e in after.entries}
    for entry in after.entries:
        if entry.url and _same(entry.url, url):
            parent = by_key.get(entry.parent) if entry.parent else None
            filed = parent is not None and parent.is_topic and paths[parent.key] + (parent.title,) == wanted
            return filed and _words(entry.title) == _words(item.title)
    return False


def _words(title: str) -> str:
    """A title as compared after reading back: case, spacing and escapes aside."""
    return " ".join(title.replace("\\", "").casefold().split())
