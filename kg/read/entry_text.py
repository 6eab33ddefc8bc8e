"""What one item of a list says: its title, byline (authors, year, venue), note and links.

The title is, in this order: the text of the item's first link unless it only names the
link's kind (``[pdf]``) or a venue; else the first **bold** run, else the first *italic*
run that is not a list of names; else a "quoted" title; else the plain text before the
first link (after any authors written before it), up to a description separator (`` - ``,
`` — ``, ``: `` before a lower-case word, a sentence end). A citation's title goes on past
``: `` and a lower-case word when its sentence is followed by names or a venue ("Dropout: a
simple way to … overfitting. Nitish Srivastava, …"), and a quoted title past a colon and
its subtitle. Venue and year written inside the title ("… (2018)", "[ICLR 2021] …") leave
it for the byline.

The byline is read around the title (:mod:`kg.read.bylines`), and from a line of its own
below it (``*Zonghan Wu, Shirui Pan, …*``). What is left is the curator's note.

>>> from kg.read.markdown import parse_reading_list
>>> e, = parse_reading_list("- **Distilling the knowledge** (2015), G. Hinton et al. "
...                         "[[pdf]](http://arxiv.org/pdf/1503.02531)").entries
>>> e.title, e.year, e.authors, e.et_al, e.url_role, e.note
('Distilling the knowledge', 2015, ('G. Hinton',), True, 'paper', None)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kg.model.records import Entry, Link
from kg.read.bylines import (
    BREAK_MARK,
    LINK_MARK,
    Byline,
    Part,
    is_venue_like,
    leading_byline,
    parts,
    trailing_byline,
    venue_year,
    venue_year_within,
    year_in_parentheses,
)
from kg.read.inline import Span, squash
from kg.read.language import text_language
from kg.read.links import address_title, is_generic, link_role
from kg.read.people import names_in_prose, person_names

__all__ = [
    "Fields", "meaningful", "resource_fields", "split_number", "topic_fields", "trim", "without_link_debris",
]

# Separators curators put between a link and their note ("- desc", ": desc", "，desc").
_TRIM = " \t\n,，:：;；-–—·、|" + BREAK_MARK + LINK_MARK
# "6.2 ", "1.1.3 ", "12. ", "3) ", "4、": at most three digits a part, so "2020. …" is text.
_NUMBER = re.compile(
    r"^\s*(?:(?P<dotted>\d{1,3}(?:\.\d{1,3})+)\.?(?=\s|$)|(?P<plain>\d{1,3})[.)、．](?!\d))"
)
_QUOTED = re.compile(r"[“\"«「『]([^“”\"«»「」『』\u2063\u2064]{2,}?)[”\"»」』]")
_DANGLING = re.compile(r"\s+(?:at|on|from|via|see)\s*[:：]?\s*$", re.IGNORECASE)
"""Words that point at the link after them ("The RKHS primer at https://…"): no title's end."""
_ENDS_WITH_YEAR = re.compile(r"(?:\b(?:19|20)\d\d[a-z]?|['’]\d\d)\W*$")
_WORK_ROLES = ("paper", "book")
"""Roles of a link that is the work itself, preferred as the entry's own link."""
_ASIDE_ROLES = frozenset({"code", "slides", "video", "social", "poster", "demo", "data", "bibtex"})


def trim(text: str) -> str:
    """Collapse whitespace and strip the separators around a note or title.

    >>> trim(" - 白盒神经网络。"), trim("，：;")
    ('白盒神经网络。', '')
    """
    return squash(text.replace(BREAK_MARK, " ").replace(LINK_MARK, " ")).strip(_TRIM)


def meaningful(text: str) -> str | None:
    """``text`` trimmed, or None when nothing but punctuation or symbols is left.

    >>> meaningful("。") is None, meaningful(" (2019) ")
    (True, '(2019)')
    """
    trimmed = trim(text)
    return trimmed if any(ch.isalnum() for ch in trimmed) else None


def split_number(text: str) -> tuple[str | None, str]:
    """A number written at the start of ``text``, and the text after it.

    >>> split_number("6.2 [Depth"), split_number("12. Foo"), split_number("2020 was")
    (('6.2', ' [Depth'), ('12', ' Foo'), (None, '2020 was'))
    """
    match = _NUMBER.match(text)
    if not match:
        return None, text
    return match.group("dotted") or match.group("plain"), text[match.end() :]


@dataclass(frozen=True, slots=True)
class Fields:
    """What an item says, before it gets a key, a line and a parent."""

    title: str
    number: str | None = None
    url: str | None = None
    url_role: str | None = None
    related: tuple[Link, ...] = ()
    note: str | None = None
    byline: Byline = Byline()

    def entry(
        self, key: str, line: int, parent: str | None, heading_level: int | None = None
    ) -> Entry:
        return Entry(
            key=key,
            title=self.title,
            line=line,
            url=self.url,
            related=self.related,
            number=self.number,
            parent=parent,
            note=self.note,
            note_lang=text_language(self.note) if self.note else None,
            year=self.byline.year,
            heading_level=heading_level,
            authors=self.byline.authors,
            et_al=self.byline.et_al,
            venue=self.byline.venue,
            url_role=self.url_role,
        )


# ---------------------------------------------------------------------------------------
# Titles
# ---------------------------------------------------------------------------------------


def _clean_title(text: str, *, before_address: bool = False) -> tuple[str, Byline]:
    """A title without the quotes, dot, venue or year around it, and without a word that
    points at the bare address after it (``before_address``: "The primer at https://…").

    >>> _clean_title('"Attention Is All You Need."')
    ('Attention Is All You Need', Byline(authors=(), et_al=False, year=None, venue=None))
    >>> _clean_title("[ICLR 2021] Rethinking Attention (2020)")[0]
    'Rethinking Attention'
    """
    title = trim(text)
    byline = Byline()
    if title[:1] in "([【（" and (found := parts(title)) and found[0].start > 0 and len(found) > 1:
        head = venue_year(found[0].text)  # "[ICLR 2021] Title"
        if head is not None and title[: found[0].start].strip() in "([【（":
            byline, title = head, title[found[1].start :]
    ends_byline = title[-1:] in ")]）】" or bool(_ENDS_WITH_YEAR.search(title))
    tail, cut = trailing_byline(title) if ends_byline else (Byline(), len(title))
    if cut > 0 and (tail.year is not None or tail.venue is not None) and not tail.authors:
        if meaningful(title[:cut]):
            byline, title = byline.fill(tail), title[:cut]
    title = trim(_DANGLING.sub("", title) if before_address else title)
    if len(title) > 2 and title[0] in "“\"«「『" and title[-1] in "”\"»」』":
        title = trim(title[1:-1])
    if title.endswith(".") and not re.search(r"(?:\b[A-Z]|\bal|\betc)\.$", title):
        title = title[:-1].rstrip()
    return title, byline


def _good_title(text: str) -> bool:
    """True for text that can be a title: words, not a kind of link, a venue or a year
    ("[ICCV 2017]", "(2015)").

    >>> _good_title("Mask R-CNN"), _good_title("[ICCV 2017]"), _good_title("[pdf]")
    (True, False, False)
    """
    title = meaningful(text)
    if title is None or is_generic(title) or split_number(title)[1].strip(" .") == "":
        return False
    byline, cut = leading_byline(title)
    return meaningful(title[cut:]) is not None or not (byline.year or byline.venue)


def _runs(spans: Sequence[Span], limit: int, style: str) -> list[tuple[int, int]]:
    """The runs of plain (not linked) spans in ``style`` that read as a title."""
    runs, index = [], 0
    while index < limit:
        if getattr(spans[index], style) and spans[index].url is None and not spans[index].brk:
            end = index
            while end < limit and getattr(spans[end], style) and spans[end].url is None:
                end += 1
            if _good_title("".join(s.text for s in spans[index:end])):
                runs.append((index, end))
            index = end
        else:
            index += 1
    return runs


def _emphasized(spans: Sequence[Span], limit: int) -> tuple[int, int] | None:
    """The first bold run, else the first italic run that is not a list of names (an
    italic byline), else the first italic run."""
    strong = _runs(spans, limit, "strong")
    if strong:
        return strong[0]
    em = _runs(spans, limit, "em")
    named = [person_names("".join(s.text for s in spans[i:j]), lenient=True) is not None for i, j in em]
    return next((run for run, names in zip(em, named, strict=True) if not names), em[0] if em else None)


def _title_spans(spans: Sequence[Span], limit: int) -> tuple[int, int] | None:
    """The span(s) holding the title, when a link or emphasis marks it."""
    first = next((i for i in range(limit) if spans[i].url), None)
    emphasized = _emphasized(spans, limit)
    if first is not None and _good_title(spans[first].text):
        if emphasized is None or person_names(spans[first].text) is None:
            return first, first + 1
    return emphasized


def _is_hard(separator: str, following: str) -> bool:
    """True for a separator that ends a plain-text title (a description follows)."""
    core = separator.strip(" ")
    if any(mark in core for mark in ("-", "–", "—", BREAK_MARK, LINK_MARK, "。", "|", ";", "；", ".")):
        return True
    if not core and separator.startswith("  "):
        return True  # two spaces between a title and its description
    return (":" in core or "：" in core) and following[:1].islower()


def _opens_description(separator: str) -> bool:
    """True for the colon that (before a lower-case word) starts a description."""
    return separator.strip(" ") in (":", "：")


def _subtitle_before_byline(text: str, found: Sequence[Part], index: int) -> bool:
    """True when the lower-case words after a colon (part ``index`` on) run to a sentence
    end that names or a venue follow: a citation's title goes on past its colon
    ("Estimating individual treatment effect: generalization bounds and algorithms. Uri
    Shalit, Fredrik D. Johansson. ICML 2017."); a description is not followed by a byline.
    """
    end = next((j for j in range(index + 1, len(found)) if _is_hard(found[j].before, found[j].text)), None)
    if end is None or found[end].before.strip(" ") not in (".", "。"):
        return False
    byline, _ = leading_byline(text[found[end].start :])
    return bool(byline.authors) or byline.venue is not None


def _title_read_as_name(leading: Byline, rest: str) -> bool:
    """True when the one "name" read at the start of a plain-text item is its title: a
    title of capitalised words reads as a name ("Invariant Risk Minimization"), and an item
    has one title and one byline, so it is the title when nothing but a byline follows it
    ("Prioritized Experience Replay (ICLR 2016)") or two names or more do
    ("Invariant Risk Minimization. Martin Arjovsky, Léon Bottou. arXiv 2019.").
    "Jonathan Ho. Classifier-Free Diffusion Guidance." stays a byline and a title.
    """
    if len(leading.authors) != 1 or leading.et_al:
        return False
    following, end = leading_byline(rest)
    return meaningful(rest[end:]) is None or len(following.authors) >= 2


def _with_closing_bracket(text: str, stop: int) -> str:
    """``text[:stop]``, with the bracket right after it when that bracket closes one the
    title opened: a bracket is a separator, so "Concept Activation Vectors (TCAV)." would
    lose its ")".

    >>> _with_closing_bracket("Vectors (TCAV). ICML", 13), _with_closing_bracket("A (B) c", 3)
    ('Vectors (TCAV)', 'A (')
    """
    head = text[:stop]
    for opening, closing in ("()", "[]", "（）", "【】"):
        if text[stop : stop + 1] == closing and head.count(opening) > head.count(closing):
            return head + closing
    return head


def _plain_title(flat: str, start: int, end: int) -> tuple[int, int] | None:
    """Where a title written as plain text lies in ``flat[start:end]``.

    Authors or a venue before it count only when a sentence or a bracket closes them
    ("J. Ho, T. Salimans. Title", "[ICLR 2021] Title"): "Auto-Encoding Variational Bayes:
    …" is a title, not three names.
    """
    region = flat[start:end]
    leading, cut = leading_byline(region)
    if cut and not any(mark in region[:cut].rstrip()[-2:] for mark in ".)]）】"):
        cut = 0
    if cut and _title_read_as_name(leading, region[cut:]):
        cut = 0
    stop, previous = 0, None
    found = parts(region[cut:])
    for index, part in enumerate(found):  # up to the first separator that ends a title
        if previous is not None and _is_hard(part.before, part.text):
            if not (_opens_description(part.before) and _subtitle_before_byline(region[cut:], found, index)):
                break
        stop, previous = part.end, part
    if previous is None:
        return None
    head = _with_closing_bracket(region[cut:], stop)
    _, tail = trailing_byline(head, in_title=True)
    if tail > 0 and meaningful(head[:tail]):
        head = head[:tail]
    if not meaningful(head):
        return None
    first = cut + len(head) - len(head.lstrip())
    return start + first, start + cut + len(head.rstrip())


# ---------------------------------------------------------------------------------------
# A resource: an item with at least one qualifying link
# ---------------------------------------------------------------------------------------


def _lines(spans: Sequence[Span]) -> list[list[Span]]:
    lines: list[list[Span]] = [[]]
    for span in spans:
        if span.brk:
            lines.append([])
        else:
            lines[-1].append(span)
    return [line for line in lines if line]


def _author_line(line: Sequence[Span]) -> Byline | None:
    """The people a line below the title names, when that is all the line says."""
    if any(s.url for s in line):
        return None
    text = "".join(s.text for s in line)
    if not meaningful(text):
        return None
    lenient = all(s.emphasized for s in line if s.text.strip())
    names = person_names(text, lenient=lenient)
    return Byline.of(names) if names is not None else None


def _without_author_lines(spans: Sequence[Span], own: int) -> tuple[list[Span], int, Byline | None]:
    """The item without the line of authors under its first line, if it has one."""
    lines = _lines(spans[:own])
    authors = None
    kept = lines[:1]
    for line in lines[1:]:
        found = _author_line(line) if authors is None else None
        if found is None:
            kept.append(line)
        else:
            authors = found
    joined: list[Span] = []
    for line in kept:
        if joined:
            joined.append(Span(" ", brk=True))
        joined.extend(line)
    return joined + list(spans[own:]), len(joined), authors


def _flatten(spans: Sequence[Span], title: tuple[int, int] | None) -> tuple[str, list[int]]:
    """The item's words as one string, and where each span starts in it. Links that are
    neither the title nor a byline ("[NeurIPS 2017]") are marks that separate parts."""
    pieces: list[str] = []
    starts: list[int] = []
    offset = 0
    for index, span in enumerate(spans):
        in_title = title is not None and title[0] <= index < title[1]
        if span.brk:
            text = BREAK_MARK
        elif span.url and not in_title:  # "[NeurIPS 2017](…)", "[G. Hinton](…)"; not "[arXiv]"
            worded = not is_generic(span.text) and (
                venue_year(span.text) is not None or person_names(span.text) is not None
            )
            text = span.text if worded else LINK_MARK
        else:
            text = span.text
        starts.append(offset)
        pieces.append(text)
        offset += len(text)
    starts.append(offset)
    return "".join(pieces), starts


def _own_link(links: Sequence[Span], title: Span | None) -> Span:
    """The entry's own link: the titled link, else the first that is the work itself
    ("[pdf]", "[book]"), else the first that says nothing of its kind, else the first
    that is not beside the work (code, slides, video…), else the first."""
    if title is not None:
        return title
    roles = [link_role(s.text, str(s.url)) for s in links]
    for wanted in (*_WORK_ROLES, None):
        found = next((s for s, r in zip(links, roles, strict=True) if r == wanted), None)
        if found is not None:
            return found
    return next((s for s, r in zip(links, roles, strict=True) if r not in _ASIDE_ROLES), links[0])


def _related(links: Iterable[Span], own: str) -> tuple[Link, ...]:
    """Further links of an item, each target once, never the item's own URL."""
    seen, related = {own}, []
    for link in links:
        if link.url and link.url not in seen:
            seen.add(link.url)
            related.append(Link(link.url, squash(link.text), link_role(link.text, link.url)))
    return tuple(related)


def _fallback_title(links: Sequence[Span], own: Span) -> str:
    """A title when the item has no words but its links' texts: a telling one, else its
    own link's address (a generic text such as "[pdf]" is never a title)."""
    telling = [squash(s.text) for s in links if not is_generic(s.text)]
    return telling[0] if telling else address_title(str(own.url))


def resource_fields(
    spans: Sequence[Span], *, number: str | None = None, own: int | None = None
) -> Fields:
    """Fields of an item with a qualifying link. Only the first ``own`` spans may hold the
    title (a table row passes the links of its other cells after them)."""
    spans, own, line_authors = _without_author_lines(spans, len(spans) if own is None else own)
    links = [s for s in spans if s.url]
    span_title = _title_spans(spans, own)
    flat, starts = _flatten(spans, span_title)
    titled = spans[span_title[0]] if span_title and spans[span_title[0]].url else None
    own_link = _own_link(links, titled)
    if span_title is not None:
        bounds: tuple[int, int] | None = (starts[span_title[0]], starts[span_title[1]])
    else:
        bounds = _quoted(flat, starts[own]) or _title_in_text(flat, starts, spans, own)
    if bounds is None:
        title, byline = _fallback_title(links, own_link), Byline()
        before, after = "", flat
    else:
        bare = any(s.url and s.text.strip().startswith(("http", "www.")) for s in spans[:own])
        title, byline = _clean_title(flat[bounds[0] : bounds[1]], before_address=bare and span_title is None)
        before, after = flat[: bounds[0]], flat[bounds[1] :]
    note, around = _note_and_byline(before, after)
    byline = around.fill(byline)
    if line_authors is not None and len(line_authors.authors) > len(byline.authors):
        byline = Byline(line_authors.authors, line_authors.et_al, byline.year, byline.venue)
    if byline.year is None:
        around_title = before + " " + after
        byline = byline.fill(Byline(year=year_in_parentheses(around_title)))
        byline = byline.fill(venue_year_within(around_title) or Byline())
    if not byline.authors:
        byline = byline.fill(Byline.of(names_in_prose(before + " " + after)))
    url = str(own_link.url)
    return Fields(
        title=title,
        number=number,
        url=url,
        url_role=link_role(own_link.text, url),
        related=_related(links, url),
        note=None if note == title else note,
        byline=byline,
    )


def _quoted(flat: str, end: int) -> tuple[int, int] | None:
    """A "quoted" title in the item's own text."""
    for match in _QUOTED.finditer(flat, 0, end):
        if _good_title(match.group(1)):
            return match.start(), _past_subtitle(flat, match.end(), end)
    return None


_COLON_AFTER_QUOTE = re.compile(r"\s*[:：]\s+(?=\S)")


def _past_subtitle(flat: str, closed: int, end: int) -> int:
    """Where a quoted title ends: at its closing quote (``closed``), or at the end of the
    subtitle a colon after it opens ('"Why Should I Trust You?": Explaining the Predictions
    of Any Classifier.'); a lower-case word after the colon opens a description."""
    colon = _COLON_AFTER_QUOTE.match(flat, closed, end)
    if colon is None or _is_hard(colon.group(), flat[colon.end() : colon.end() + 1]):
        return closed
    stop = 0
    for index, part in enumerate(parts(flat[colon.end() : end])):
        if index and _is_hard(part.before, part.text):
            break
        stop = part.end
    return colon.end() + stop if stop else closed


def _title_in_text(
    flat: str, starts: Sequence[int], spans: Sequence[Span], own: int
) -> tuple[int, int] | None:
    """A plain-text title: before the first link, else after it."""
    first = next((i for i in range(own) if spans[i].url), own)
    after = starts[min(first + 1, own)]
    return _plain_title(flat, 0, starts[first]) or _plain_title(flat, after, starts[own])


_TITLE_STOP = re.compile(r"^\s*\.(?=\s|$|[\u2063\u2064])")
"""The dot that ends a title written as a sentence, left at the start of what follows it."""


def _note_and_byline(before: str, after: str) -> tuple[str | None, Byline]:
    """The note (the words around the title that are no byline) and the byline.

    A citation that begins "Authors (Year). Title." names its venue in the one sentence
    after the title, known or not ("Elhage, N., et al. (2022). Toy Models of
    Superposition. Transformer Circuits Thread.").
    """
    after = _TITLE_STOP.sub("", after)
    ahead, cut = leading_byline(after, after_title=True)
    description = after[cut:]
    behind, end = trailing_byline(description)
    description = description[:end]
    preceding, cut = leading_byline(before)
    byline = ahead.fill(preceding).fill(behind)
    rest = meaningful(_balanced(trim(without_link_debris(description))))
    if meaningful(before[cut:]) is None and rest is not None:
        cited = preceding.authors and preceding.year is not None and not ahead.authors
        if cited and byline.venue is None and is_venue_like(rest.rstrip(".")):
            return None, byline.fill(Byline(venue=rest.rstrip(".")))
    note = meaningful(_balanced(trim(without_link_debris(before[cut:] + " " + description))))
    return note, byline


_L = LINK_MARK
_SEP = r"[,，;；/|·、&+:：]"
_JOINED_LINKS = re.compile(rf"{_L}(?:\s*(?:{_SEP}|\band\b|\bor\b|和|及|与)\s*{_L})+")
_POINTER = re.compile(rf"(?:\b(?:see|at|via|here)\b|参见|见)\s*[:：]?\s*{_L}", re.IGNORECASE)
_EMPTY_BRACKETS = re.compile(rf"[(\[（【](?<![A-Za-z0-9_][(\[（【])(?:\s|{_SEP}|{_L})*[)\]）】]")
"""Brackets with nothing in them but links and separators, not right after a word ("f()")."""
_AT_LINK = re.compile(rf"\s*{_SEP}?\s*{_L}\s*")
_SPACE_BEFORE_MARK = re.compile(r"\s+(?=[.,;:!?。，；：！？)\]）】])")


def without_link_debris(text: str) -> str:
    """``text`` without the punctuation the links taken out of it leave (each link is a
    :data:`~kg.read.bylines.LINK_MARK`): brackets holding nothing but links and
    separators, the separators between links, a word pointing at a link ("see"), the
    separator before a link.

    >>> m = LINK_MARK
    >>> without_link_debris(f"the big one ({m}, {m})"), without_link_debris(f"good; see {m}, {m} and {m}.")
    ('the big one', 'good.')
    >>> without_link_debris(f"综述（{m}，{m}）"), without_link_debris(f"notes: {m} / {m}, more")
    ('综述', 'notes, more')
    >>> without_link_debris("a (b) c () softmax()")
    'a (b) c softmax()'
    """
    linked = _L in text  # the patterns that start with a space run only where they can help
    given = text
    if linked:
        text = _POINTER.sub(_L, _JOINED_LINKS.sub(_L, text))
    while (cleaner := _EMPTY_BRACKETS.sub(" ", text)) != text:
        text = cleaner  # "((x))": the inner pair goes first
    if linked:
        text = _AT_LINK.sub(" ", text)
    if text != given:
        text = _SPACE_BEFORE_MARK.sub("", text)
    return squash(text).strip()


def _balanced(text: str) -> str:
    """``text`` without a bracket left open or closed at either end once a byline is cut
    out of "(Book, 2016)".

    >>> _balanced("(Book"), _balanced("a (b) c)"), _balanced("(fine)")
    ('Book', 'a (b) c', '(fine)')
    """
    for opening, closing in ("()", "（）", "[]"):
        if text.startswith(opening) and text.count(opening) > text.count(closing):
            text = text[1:]
        if text.endswith(closing) and text.count(closing) > text.count(opening):
            text = text[:-1]
    return text


# ---------------------------------------------------------------------------------------
# A topic: an item without a qualifying link
# ---------------------------------------------------------------------------------------


def topic_fields(spans: Sequence[Span], *, number: str | None = None) -> Fields | None:
    """Fields of a link-less item: its text is the topic's label."""
    text = "".join(s.text for s in spans)
    title = trim(text)
    if not title:
        return None
    return Fields(title=title, number=number, byline=Byline(year=year_in_parentheses(text)))
