"""Authors, year and venue in the words around a listed work: its *byline*.

Curators write them in a few habits, which these functions read from plain text (the
Markdown structure, bold titles and links, is read before, from markdown-it's tokens):

- years: ``(2015)``, ``2019.``, ``arxiv 2019``, ``ICML 2017``, ``NeurIPS'20``, ``June 2019``,
  and after a list of names any words then a year (``Judea Pearl. Statistics Surveys 2009.``);
- venues: ``ICML 2017``, ``IEEE TNN 2009``, ``arxiv``, ``NeurIPS (2017)``, ``In Proceedings
  of …``; an unknown run of acronyms counts as a venue only beside a year;
- authors: ``G. Hinton et al.``, ``by A and B``, ``Last, First and Last, First``,
  ``A, B, C.``, ``Hinton, G., Vinyals, O., & Dean, J.``, ``Rong Ge 等``.

Text is cut into *parts* at commas, brackets, spaced dashes, colons and sentence ends
(not at the dot of an initial, "G. Hinton"). :func:`leading_byline` reads byline parts from
the start of a text and :func:`trailing_byline` from its end; both say where the rest is.

>>> leading_byline("(2015), G. Hinton et al. Distillation in practice")
(Byline(authors=('G. Hinton',), et_al=True, year=2015, venue=None), 25)
>>> trailing_byline("a simple proof, ICML 2017.")
(Byline(authors=(), et_al=False, year=2017, venue='ICML'), 14)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.read.inline import squash
from kg.read.people import Names, looks_like_prose, person_names

__all__ = [
    "BREAK_MARK",
    "LINK_MARK",
    "Byline",
    "Part",
    "is_venue_like",
    "leading_byline",
    "iter_parts",
    "parts",
    "trailing_byline",
    "venue_year",
    "venue_year_within",
    "year_ending",
    "year_in_parentheses",
]

BREAK_MARK = "\u2063"
"""Stands for a line break in an item's text: it separates parts, and is a space in the note."""
LINK_MARK = "\u2064"
"""Stands for a link that is neither the title nor a byline ("[code](…)"): it separates
parts like a line break, and leaves the note with the punctuation around it (see
:func:`kg.read.entry_text.without_link_debris`)."""


@dataclass(frozen=True, slots=True)
class Byline:
    """Who wrote a work, when and where it appeared, as the list says."""

    authors: tuple[str, ...] = ()
    et_al: bool = False
    """The list says there are more authors than it names ("et al.", "等")."""
    year: int | None = None
    venue: str | None = None

    @staticmethod
    def of(names: Names | None) -> Byline:
        """The byline of a list of people (empty for None)."""
        return Byline(names.authors, names.et_al) if names is not None else Byline()

    def fill(self, other: Byline) -> Byline:
        """This byline, with what it lacks taken from ``other``."""
        take_authors = not self.authors and bool(other.authors)
        return Byline(
            authors=other.authors if take_authors else self.authors,
            et_al=other.et_al if take_authors else self.et_al,
            year=self.year if self.year is not None else other.year,
            venue=self.venue if self.venue is not None else other.venue,
        )


# ---------------------------------------------------------------------------------------
# Parts
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Part:
    """A piece of text between two separators, with its place in the text."""

    text: str
    start: int
    end: int
    before: str
    """The separator in front of it ("" at the start)."""


_SEPARATOR = re.compile(
    r"[,;，；、|\u2063\u2064。()\[\]（）【】–—]|[:：](?=\s|$)|(?<=\s)--?(?=\s)|\.(?=\s|$|\u2063|\u2064)"
    r"|(?<=\s)by(?=\s+[^\W\d_])"  # "Title by A and B": "by" opens a list of names
    r"|(?<=[^\s,;:]) {2,}(?=\S)"  # "PaperBench  OpenAI introduces…": two spaces part a cell
)
_ABBREVIATIONS = frozenset(
    {"al", "vs", "etc", "e.g", "i.e", "proc", "conf", "int", "jr", "sr", "st", "dr", "no",
     "vol", "pp", "eds", "ed", "trans", "j", "univ", "dept", "fig", "ch", "sec"}
)  # fmt: skip
_INITIALS = re.compile(r"[A-Z](?:\.-?[A-Z]|-[A-Z])*")  # "G", "G.E", "J.-P", "J-P"
"""Initials before a dot. A run of capitals without dots ("GPT", "AI", "GE") is an acronym
or undotted initials after a surname ("Hinton GE."): its dot ends a sentence."""


def _is_sentence_end(text: str, dot: int) -> bool:
    """False for the dot of an initial ("G. Hinton") or an abbreviation ("et al. 2015").

    >>> _is_sentence_end("G. Hinton", 1), _is_sentence_end("Associations in GPT. NeurIPS", 19)
    (False, True)
    """
    head = text[max(0, dot - 24) : dot]
    word = head.rsplit(None, 1)[-1] if head.strip() else ""
    word = word.lstrip("([（【\"“")
    if not word:
        return True
    if word.casefold() == "al":  # "et al." closes a list of names
        return True
    if word.casefold() in _ABBREVIATIONS:
        return False
    return not (_INITIALS.fullmatch(word) and sum(c.isupper() for c in word) <= 3 and len(word) <= 6)


def iter_parts(text: str) -> Iterator[Part]:
    """The non-empty parts of ``text``, with their offsets, one by one."""
    start, before = 0, ""
    for match in _SEPARATOR.finditer(text):
        if match.start() < start:
            continue  # inside the spaces of the separator before
        if match.group() == "." and not _is_sentence_end(text, match.start()):
            continue
        left, right = match.start(), match.end()
        while left > start and text[left - 1].isspace():
            left -= 1
        while right < len(text) and text[right].isspace():
            right += 1
        piece = text[start:left]
        if piece.strip():
            yield Part(piece.strip(), start, left, before)
            before = ""
        before += text[left:right]
        start = right
    if text[start:].strip():
        yield Part(text[start:].strip(), start, len(text), before)


def parts(text: str) -> list[Part]:
    """The non-empty parts of ``text``, with their offsets.

    >>> [p.text for p in parts("Wu et al., IEEE TNNLS (2020). A survey - of GNNs")]
    ['Wu et al.', 'IEEE TNNLS', '2020', 'A survey', 'of GNNs']
    >>> [p.text for p in parts("G. E. Hinton, J. Dean. Distilling")]
    ['G. E. Hinton', 'J. Dean', 'Distilling']
    """
    return list(iter_parts(text))


# ---------------------------------------------------------------------------------------
# Years and venues
# ---------------------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR_ONLY = re.compile(
    rf"(?:{_MONTH}\s+(?:\d{{1,2}},?\s+)?)?(?P<year>(?:19|20)\d\d)[a-z]?"
    r"|(?P<iso>(?:19|20)\d\d)[-/.]\d{1,2}(?:[-/.]\d{1,2})?",
    re.IGNORECASE,
)
_VENUE_YEAR = re.compile(
    r"(?P<venue>.*?[^\s'’,])\s*(?:['’](?P<yy>\d\d)|,?\s+(?P<year>(?:19|20)\d\d)[a-z]?)",
)
_IN = re.compile(r"^(?:in|at|published in|accepted (?:at|to|by))\s*[:：]?\s+", re.IGNORECASE)
_VOLUME = re.compile(r"(?:,?\s+(?:vol\.?|volume)\s*\d+|\s+\d{1,3})$", re.IGNORECASE)
_ARXIV = re.compile(  # "arXiv", "arXiv preprint arXiv:1706.03762", "CoRR abs/1503.02531"
    r"(?P<venue>arxiv|corr)(?:\s+preprint)?"
    r"(?:[\s,]*(?:arxiv)?\s*(?::|abs/)?\s*(?:\d{4}\.\d{4,5}|[a-z-]+/\d{7})(?:v\d+)?)?",
    re.IGNORECASE,
)
_PAREN_YEAR = re.compile(r"[(（]\s*((?:19|20)\d\d)\s*[)）]")
_YEAR_WORD = re.compile(r"\b(?:19|20)\d\d\b")
_KNOWN_WITH_YEAR = re.compile(r"\b[A-Za-z]{3,8}\s*(?:['’]\d\d|\s(?:19|20)\d\d)\b")

_KNOWN_VENUES = frozenset(
    {
        "arxiv", "arxiv preprint", "corr", "biorxiv", "medrxiv", "ssrn",
        "neurips", "nips", "icml", "iclr", "colt", "aistats", "uai", "alt", "cvpr", "iccv",
        "eccv", "bmvc", "wacv", "acl", "emnlp", "naacl", "naacl-hlt", "coling", "eacl",
        "conll", "tacl", "aaai", "ijcai", "kdd", "sigkdd", "www", "the web conference",
        "wsdm", "sigir", "cikm", "icdm", "sdm", "recsys", "icde", "vldb", "sigmod", "stoc",
        "focs", "soda", "icalp", "itcs", "siggraph", "siggraph asia", "icra", "iros", "rss",
        "corl", "icassp", "interspeech", "miccai", "isbi", "chi", "uist", "log", "tmlr",
        "jmlr", "mlj", "tpami", "pami", "tnnls", "tnn", "tkde", "tip", "tog", "ijcv", "jair",
        "nature", "science", "pnas", "cell", "neuron", "neural computation",
        "neural networks", "machine learning", "annals of statistics",
        "the annals of statistics", "distill", "jasa", "biometrika",
        "physical review letters", "nature communications", "nature machine intelligence",
        "science advances", "communications of the acm", "cacm", "proceedings of the ieee",
        "advances in neural information processing systems",
        "journal of machine learning research", "foundations and trends in machine learning",
        "springer", "wiley", "o'reilly", "manning", "now publishers", "elsevier",
    }
)  # fmt: skip
_VENUE_WORDS = frozenset(
    {
        "proceedings", "proc", "proc.", "conference", "conf", "conf.", "journal",
        "transactions", "trans", "trans.", "symposium", "workshop", "workshops", "annual",
        "international", "int.", "intl", "letters", "advances", "magazine", "meeting",
        "congress", "bulletin", "quarterly", "findings", "track", "press", "publishing",
        "publishers",
    }
)  # fmt: skip
_OPENING_VENUE_WORDS = frozenset({"journal", "proceedings", "proc.", "transactions", "advances", "annals"})
_LOWER_VENUE_WORDS = frozenset({"of", "on", "in", "the", "and", "for", "&", "–", "-"})
_ACRONYM = re.compile(r"[A-Z][A-Za-z0-9&-]*")


def _is_acronym(token: str) -> bool:
    return bool(_ACRONYM.fullmatch(token)) and sum(c.isupper() for c in token) >= 2


def _is_venue(text: str, *, with_year: bool) -> bool:
    """True for a venue's name: a known one, one made of venue words ("Proceedings of …"),
    or, beside a year, a short run of acronyms ("IEEE TNN").

    >>> _is_venue("NeurIPS", with_year=False), _is_venue("IEEE TNN", with_year=False)
    (True, False)
    >>> _is_venue("IEEE TNN", with_year=True), _is_venue("Deep Learning", with_year=True)
    (True, False)
    """
    folded = text.casefold()
    if folded in _KNOWN_VENUES:
        return True
    tokens = text.split()
    if not tokens or len(tokens) > 14:
        return False
    first = tokens[0].casefold()
    if first in _KNOWN_VENUES and all(t.casefold() in _VENUE_WORDS for t in tokens[1:]):
        return True  # "ICML Workshop", "NeurIPS Workshops"
    if with_year and tokens[0][0].isupper() and first in _OPENING_VENUE_WORDS and len(tokens) > 2:
        return True  # "Journal of computer-aided molecular design 2016"
    if any(t.casefold() in _VENUE_WORDS for t in tokens):
        return all(
            t[0].isupper() or t[0].isdigit() or t.casefold() in _LOWER_VENUE_WORDS | _VENUE_WORDS
            for t in tokens
        )
    return with_year and len(tokens) <= 4 and all(_is_acronym(t) for t in tokens)


def _two_digit_year(text: str) -> int:
    value = int(text)
    return 2000 + value if value < 50 else 1900 + value


def venue_year(text: str, *, year_follows: bool = False) -> Byline | None:
    """The venue and year one part gives, or None when the part is something else.

    ``year_follows`` says the next part is a year ("IEEE TNNLS (2020)").

    >>> venue_year("NeurIPS'20"), venue_year("June 2019")
    (Byline(authors=(), et_al=False, year=2020, venue='NeurIPS'), \
Byline(authors=(), et_al=False, year=2019, venue=None))
    >>> venue_year("arXiv preprint arXiv:1706.03762").venue, venue_year("GraphSAGE") is None
    ('arXiv', True)
    """
    if len(text) > 160:
        return None  # no venue's name is that long
    return _venue_year(text, year_follows)


@functools.lru_cache(maxsize=8192)
def _venue_year(text: str, year_follows: bool) -> Byline | None:
    core = _IN.sub("", squash(text).strip(" .,;:"))
    if not core:
        return None
    if match := _YEAR_ONLY.fullmatch(core):
        return Byline(year=int(match.group("year") or match.group("iso")))
    if match := _ARXIV.fullmatch(core):
        return Byline(venue=match.group("venue"))
    venue, year = core, None
    if match := _VENUE_YEAR.fullmatch(core):
        venue = match.group("venue")
        yy, full = match.group("yy"), match.group("year")
        year = int(full) if full else _two_digit_year(yy)
    venue = _VOLUME.sub("", venue).strip(" ,")
    if not venue or not _is_venue(venue, with_year=year is not None or year_follows):
        return None
    if year is None and (inner := _YEAR_WORD.search(venue)):
        year = int(inner.group())  # "NeurIPS 2021 Workshop"
    return Byline(year=year, venue=venue)


_ENDS_WITH_YEAR = re.compile(r"(?:(?P<head>.*?[^\s,])[\s,]+)?(?P<year>(?:19|20)\d\d)[a-z]?")
_VENUE_LIKE = re.compile(r"[A-Z][\w'’&/.-]*(?:(?:\s+(?:of|on|in|the|and|for))*\s+[A-Z0-9&][\w'’&/.-]*)*")


def year_ending(text: str) -> tuple[Byline, bool] | None:
    """The year a part ends with, whatever comes before it, and whether the words before
    it are a venue (taken as the byline's venue) rather than other words (left as they
    are): for the part right after a list of names, where a citation gives its venue.

    >>> year_ending("Statistics Surveys 2009")
    (Byline(authors=(), et_al=False, year=2009, venue='Statistics Surveys'), True)
    >>> year_ending("Reprinted with corrections in 2009")
    (Byline(authors=(), et_al=False, year=2009, venue=None), False)
    >>> year_ending("Deep Learning") is None
    True
    """
    match = _ENDS_WITH_YEAR.fullmatch(squash(text).strip(" .,;:"))
    if match is None:
        return None
    year, head = int(match.group("year")), _IN.sub("", match.group("head") or "")
    if not head:
        return Byline(year=year), True
    return (Byline(year=year, venue=head), True) if is_venue_like(head) else (Byline(year=year), False)


def is_venue_like(text: str) -> bool:
    """True for words that can name a venue no list knows: up to six capitalised words,
    with "of", "on", "&"… between them ("Statistics Surveys", "Chapman & Hall/CRC").

    >>> is_venue_like("Transformer Circuits Thread"), is_venue_like("Journal of Causal Inference")
    (True, True)
    >>> is_venue_like("a great read"), is_venue_like("Updated for")
    (False, False)
    """
    return _VENUE_LIKE.fullmatch(text) is not None and len(text.split()) <= 6


def venue_year_within(text: str) -> Byline | None:
    """A known venue with its year anywhere in ``text`` ("NeurIPS'18 best paper").

    >>> venue_year_within("an oral at NeurIPS'18, then a journal")
    Byline(authors=(), et_al=False, year=2018, venue='NeurIPS')
    """
    for match in _KNOWN_WITH_YEAR.finditer(text):
        found = venue_year(match.group())
        if found is not None and found.venue and found.venue.casefold() in _KNOWN_VENUES:
            return found
    return None


def year_in_parentheses(text: str) -> int | None:
    """The last ``(YYYY)`` or ``（YYYY）`` year, 1900–2099.

    >>> year_in_parentheses("20年发表 (2018)，（2020）"), year_in_parentheses("(1850)") is None
    (2020, True)
    """
    years = _PAREN_YEAR.findall(text)
    return int(years[-1]) if years else None


# ---------------------------------------------------------------------------------------
# Reading a byline at either end of a text
# ---------------------------------------------------------------------------------------

_AUTHOR_JOINS = frozenset({",", "，", "、", ";", "；"})
_OPENING = "([（【"
_CLOSING = ")]）】"


def _is_year(text: str) -> bool:
    found = venue_year(text)
    return found is not None and found.venue is None


def _nameish(part: Part) -> bool:
    """A quick test that a part may belong to a list of names (before the full reading)."""
    return not looks_like_prose(part.text) and len(part.text) < _LONG_PART


def _authors_at(found: list[Part], text: str, start: int, step: int) -> tuple[Byline, int] | None:
    """The longest list of names beginning at part ``start`` (``step`` 1) or ending there
    (``step`` -1), and the index of the first part beyond it."""
    if not _nameish(found[start]):
        return None
    index = start
    while 0 <= index + step < len(found):
        beyond = index + step
        joint = found[max(index, beyond)].before  # the separator between the two parts
        if joint.strip() not in _AUTHOR_JOINS or not _nameish(found[beyond]):
            break
        index = beyond
    while True:  # the longest run first, then shorter ones
        first, last = sorted((start, index))
        by = "by " if found[first].before.strip() == "by" else ""
        names = person_names(by + text[found[first].start : found[last].end])
        if names is not None:
            return Byline.of(names), index + step
        if index == start:
            return None
        index -= step


_LONG_PART = 200
"""Characters of a part beyond which it is prose, whatever follows (no venue or list of
names between two separators is that long)."""
_WINDOW = 240
"""Characters read first at either end of a long text; the whole text is read only when
the byline reaches the window's edge."""


_LOWER_OPENERS = frozenset(
    {"by", "in", "at", "published", "accepted", "arxiv", "corr", "biorxiv", "medrxiv", "ssrn",
     "van", "von", "de", "der", "di", "da", "du", "le", "la", "et", "and"}
)  # fmt: skip
_EDGE_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _may_hold_byline(text: str, step: int) -> bool:
    """False when the word at the start (or end) of ``text`` shows prose begins (or ends)
    there: a quick test that spares most notes the full reading."""
    words = _EDGE_WORD.findall(text[:60] if step == 1 else text[-60:])
    if not words:
        return False
    word = words[0] if step == 1 else words[-1]
    if word[0].isdigit() or word[0].isupper() or word.casefold() in _LOWER_OPENERS | {"al"}:
        return True
    if word[-1] in "等人ほか":
        return True
    return not word[0].islower() and not _HAN.match(word[-1])


def _prose_part(text: str, step: int) -> bool:
    """True for a part that no byline holds, even cut short: long, or opening (reading
    forward) with a lower-case word that opens no byline."""
    if len(text) >= _LONG_PART:
        return True
    return step == 1 and not _may_hold_byline(text, 1)


def _read(
    text: str, step: int, openers: frozenset[str] | None = None, *, after_names: bool = False
) -> tuple[Byline, int]:
    if not _may_hold_byline(text, step):
        return Byline(), (0 if step == 1 else len(text))
    if len(text) > _WINDOW:  # a long note: read its ends only, unless the byline reaches further
        offset = 0 if step == 1 else len(text) - _WINDOW
        window = text[offset : offset + _WINDOW]
        found = parts(window)
        byline, index = _read_parts(window, found, step, openers, after_names=after_names)
        edge = len(found) - 1 if step == 1 else 0  # the part the window may have cut short
        inside = 0 <= index < len(found) and (index != edge or _prose_part(found[index].text, step))
        if inside:
            return byline, offset + _cut(window, found, index, step)
    found = parts(text)
    byline, index = _read_parts(text, found, step, openers, after_names=after_names)
    return byline, _cut(text, found, index, step)


def _read_parts(
    text: str,
    found: list[Part],
    step: int,
    openers: frozenset[str] | None = None,
    *,
    after_names: bool = False,
) -> tuple[Byline, int]:
    """The byline read part by part from one end, and the index of the first other part.
    ``openers``: the separators that may stand before a list of names read backwards;
    ``after_names``: a part ending with a year, right after the names, is the byline's
    (:func:`year_ending`)."""
    byline = Byline()
    index = 0 if step == 1 else len(found) - 1
    while 0 <= index < len(found):
        year_next = index + 1 < len(found) and _is_year(found[index + 1].text)
        got = venue_year(found[index].text, year_follows=year_next)
        if got is not None and (got.year is None or byline.year is None) and (
            got.venue is None or byline.venue is None
        ):
            byline = byline.fill(got)
            index += step
            continue
        if after_names and byline.authors and byline.year is None:
            ending = year_ending(found[index].text)
            if ending is not None:  # "Judea Pearl. Statistics Surveys 2009."
                byline = byline.fill(ending[0])
                if not ending[1]:
                    break  # the words stay the note's
                index += step
                continue
        names = None if byline.authors else _authors_at(found, text, index, step)
        if names is not None and openers is not None and step == -1:
            opened_by = found[names[1] + 1].before.strip()
            names = names if opened_by in openers else None
        if names is None:
            break
        byline, index = byline.fill(names[0]), names[1]
    return byline, index


def _cut(text: str, found: list[Part], index: int, step: int) -> int:
    """Where the rest begins (reading forward) or ends (backward), keeping its brackets."""
    if index == (0 if step == 1 else len(found) - 1):
        return 0 if step == 1 else len(text)  # no byline: the text stays whole
    if step == 1:
        if index >= len(found):
            return len(text)
        start = found[index].start
        gap = text[found[index - 1].end if index > 0 else 0 : start]
        opening = max(gap.rfind(c) for c in _OPENING)
        return start - len(gap) + opening if opening >= 0 else start
    if index < 0:
        return 0
    end = found[index].end
    gap = text[end : found[index + 1].start if index + 1 < len(found) else len(text)]
    closing = min((gap.find(c) for c in _CLOSING if c in gap), default=-1)
    return end + closing + 1 if closing >= 0 else end


def leading_byline(text: str, *, after_title: bool = False) -> tuple[Byline, int]:
    """The byline at the start of ``text``, and where the rest of the text begins.

    ``after_title``: the text follows the title, so a part ending with a year right after
    the names is the byline's, whatever words come before the year ("Judea Pearl.
    Statistics Surveys 2009."). Before a title, "J. Pearl. The Book of Why 2018" is a title.
    """
    return _read(text, 1, after_names=after_title)


def trailing_byline(text: str, *, in_title: bool = False) -> tuple[Byline, int]:
    """The byline at the end of ``text``, and where the text before it ends.

    ``in_title``: the text is a title written as plain text, where names at the end count
    only after a comma, "by" or a bracket ("Title, A. Smith, B. Jones"), never after a colon
    ("Graph Networks: Relational Inductive Biases" is a title).
    """
    return _read(text, -1, _TITLE_NAME_OPENERS if in_title else None)


_TITLE_NAME_OPENERS = frozenset({",", "，", "by", "(", "[", "（", "-", "–", "—"})
