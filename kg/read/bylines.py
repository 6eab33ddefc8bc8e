"""Authors, year and venue in the words around a listed work: its *byline*.

Curators write them in a few habits, which these functions read from plain text (the
Markdown structure, bold titles and links, is read before, from markdown-it's tokens):

- years: ``(2015)``, ``2019.``, ``arxiv 2019``, ``ICML 2017``, ``NeurIPS'20``, ``June 2019``;
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

__all__ = [
    "BREAK_MARK",
    "Byline",
    "Part",
    "leading_byline",
    "names_in_prose",
    "iter_parts",
    "parts",
    "person_names",
    "trailing_byline",
    "venue_year",
    "venue_year_within",
    "year_in_parentheses",
]

BREAK_MARK = "\u2063"
"""Stands for a link or a line break in an item's text: it separates parts, and is a space
in the note."""


@dataclass(frozen=True, slots=True)
class Byline:
    """Who wrote a work, when and where it appeared, as the list says."""

    authors: tuple[str, ...] = ()
    et_al: bool = False
    """The list says there are more authors than it names ("et al.", "等")."""
    year: int | None = None
    venue: str | None = None

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
    r"[,;，；、|\u2063。()\[\]（）【】–—]|[:：](?=\s|$)|(?<=\s)--?(?=\s)|\.(?=\s|$|\u2063)"
    r"|(?<=\s)by(?=\s+[^\W\d_])"  # "Title by A and B": "by" opens a list of names
)
_ABBREVIATIONS = frozenset(
    {"al", "vs", "etc", "e.g", "i.e", "proc", "conf", "int", "jr", "sr", "st", "dr", "no",
     "vol", "pp", "eds", "ed", "trans", "j", "univ", "dept", "fig", "ch", "sec"}
)  # fmt: skip
_INITIALS = re.compile(r"(?:[A-Z]\.?-?)+")  # "G", "G.E", "J.-P"


def _is_sentence_end(text: str, dot: int) -> bool:
    """False for the dot of an initial ("G. Hinton") or an abbreviation ("et al. 2015")."""
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
# People
# ---------------------------------------------------------------------------------------

_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la",
     "le", "ten", "ter", "zu", "bin", "ibn", "al", "el", "y", "mc"}
)  # fmt: skip
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
# Words that are no one's name, though lists capitalise them ("Deep Graph Library").
_NOT_NAMES = frozenset(
    """
    a an the of for and or in on at to with without via from by is are be as into over under
    towards toward beyond using this that these those our we you your how what why when all
    new more most not no one two three part chapter section week day lecture lectures notes
    deep learning neural network networks net nets graph graphs model models machine survey
    review introduction intro tutorial overview guide primer paper papers code blog post
    video slides course book books theory data library framework toolkit toolbox benchmark
    dataset official implementation awesome list resources reinforcement attention
    transformer transformers language languages vision image images generative adversarial
    optimization convex stochastic gradient gradients kernel kernels methods method analysis
    approach algorithm algorithms system systems processing natural computer science
    statistical statistics probabilistic bayesian inference representation representations
    classification detection segmentation recognition large small scale efficient fast
    robust simple general self supervised unsupervised semantic training fine tuning
    diffusion embedding embeddings knowledge distillation question answering reasoning
    memory agent agents policy control robot robotics university institute lab group team
    google microsoft meta facebook openai deepmind preprint arxiv github pytorch tensorflow
    python jax keras foundations applications application basics advanced open source free
    online website homepage project demo home page talk talks workshop conference journal
    proceedings transactions symposium ieee acm springer mit press oxford cambridge
    january february march april may june july august september october november december
    """.split()
)
_WORD = re.compile(r"(?:[a-zà-ÿ]['’])?[^\W\d_][^\W\d_]*(?:['’-][^\W\d_]+)*\.?")
_INITIAL = re.compile(r"(?:[A-Z]\.?-?){1,3}")
_HAN_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")
_ET_AL = re.compile(r"[\s,]*(?:et\.?\s*al\.?|and others|& others|等人?|ほか)$", re.IGNORECASE)
_BY = re.compile(r"^(?:by|authors?|作者)\s*[:：]?\s+|^(?:作者)[:：]\s*", re.IGNORECASE)
_AND = r"(?:,?\s+(?:and|&)\s+|\s*&\s*|\s+und\s+|\s*和\s*)"


@functools.lru_cache(maxsize=16384)
def _token_kind(token: str, *, lenient: bool) -> str | None:
    """``initial``, ``particle``, ``suffix``, ``word`` (a capitalised name word), or None."""
    folded = token.casefold()
    if _INITIAL.fullmatch(token) and (
        token.endswith(".") or (len(token) <= 2 and token.isupper() and token not in {"A", "I"})
    ):
        return "initial"
    if folded.strip(".,") in _NOT_NAMES:
        return None
    if folded in _PARTICLES and token[0].islower():  # "Le" or "Van" may be a surname
        return "particle"
    if folded in _SUFFIXES:
        return "suffix"
    if _WORD.fullmatch(token) and all(ord(c) < 0x2000 for c in token):  # Latin, Greek, Cyrillic
        head = token.lstrip("dlDL'’") if token[1:2] in ("'", "’") else token
        if head[:1].isupper() and (len(head) <= 2 or any(c.islower() for c in head)):
            return "word"
        return None
    if lenient and _HAN_NAME.fullmatch(token):
        return "word"
    return None


def _person(text: str, *, lenient: bool) -> str | None:
    """``text`` as one person's name, or None when it cannot be one.

    >>> _person("Philip S. Yu", lenient=False), _person("J.-P. Vert", lenient=False)
    ('Philip S. Yu', 'J.-P. Vert')
    >>> _person("Deep Graph Library", lenient=False) is None, _person("IEEE", lenient=False)
    (True, None)
    """
    tokens = text.split()
    if not 1 <= len(tokens) <= 5:
        return None
    kinds = [_token_kind(t, lenient=lenient) for t in tokens]
    if None in kinds or "word" not in kinds:
        return None
    last = len(kinds) - 1 - (kinds[-1] == "suffix")
    if kinds[last] != "word" and not (kinds[last] == "initial" and kinds[0] == "word"):
        return None  # "Hinton G." is a name; "Hinton de" is not
    return " ".join(tokens)


def _split_people(text: str) -> tuple[list[str], bool]:
    """The names in a list of people, and whether the list gave them as "Last, First"."""
    if ";" in text or "；" in text:
        groups = [g.strip() for g in re.split(r"[;；]", text) if g.strip()]
        return [" ".join(reversed(g.split(",", 1))) if g.count(",") == 1 else g for g in groups], True
    pairs = [g.strip() for g in re.split(_AND, text) if g.strip()]
    if len(pairs) >= 2 and all(g.count(",") == 1 for g in pairs):
        return [" ".join(p.strip() for p in reversed(g.split(","))) for g in pairs], True
    names = [n.strip() for n in re.split(rf"\s*[,，、]\s*|{_AND}", text) if n.strip()]
    names = [n.removeprefix("and ").removeprefix("& ") for n in names]
    if len(names) >= 3 and " " not in names[0] and all(" " in n for n in names[1:]):
        # MLA: "Kingma, Diederik P., and Jimmy Ba": only the first name is turned round
        return [f"{names[1]} {names[0]}", *names[2:]], True
    initials = names[1::2]
    if len(names) >= 2 and len(names) % 2 == 0 and all(_INITIAL.fullmatch(i.replace(" ", "")) for i in initials):
        return [f"{names[i + 1]} {names[i]}" for i in range(0, len(names), 2)], True  # APA
    return names, False


_LOWER_IN_NAMES = frozenset({"and", "by", "et", "al", "al.", "al.,", "others", "und"}) | _PARTICLES


def _has_prose(text: str) -> bool:
    """True when a lower-case word that no list of names holds shows ``text`` is prose."""
    return any(
        word[:1].islower() and word.rstrip(",;.") not in _LOWER_IN_NAMES and word[1:2] not in "'’"
        for word in text.split()
    )


def person_names(text: str, *, lenient: bool = False) -> Byline | None:
    """The people a piece of text names, in order, or None when it is not only names.

    A single name needs two words ("G. Hinton"), "et al." or "by" before it; ``lenient``
    (a line set in italics under the title) also takes names in Chinese script.

    >>> person_names("by Boucheron, Lugosi and Massart").authors
    ('Boucheron', 'Lugosi', 'Massart')
    >>> person_names("Hinton, Geoffrey and Vinyals, Oriol").authors
    ('Geoffrey Hinton', 'Oriol Vinyals')
    >>> person_names("Rong Ge 等"), person_names("GraphSAGE") is None
    (Byline(authors=('Rong Ge',), et_al=True, year=None, venue=None), True)
    """
    core = squash(text).strip(" ,;:")
    if not core or len(core) > 600 or _has_prose(core):
        return None
    if core.endswith(".") and not _INITIAL.fullmatch(core.rsplit(None, 1)[-1]):
        core = core[:-1]  # a sentence's dot, not an initial's ("Dean, J.")
    by = bool(_BY.search(core))
    core = _BY.sub("", core)
    et_al = bool(_ET_AL.search(core))
    core = _ET_AL.sub("", core).strip(" ,")
    if core.endswith(".") and not _INITIAL.fullmatch(core.rsplit(None, 1)[-1]):
        core = core[:-1]
    if not core or len(core) > 600:
        return None
    names, inverted = _split_people(core)
    if len(names) == 2 and et_al and " " not in names[0] + names[1] and not inverted:
        names = [f"{names[1]} {names[0]}"]  # "Vaswani, Ashish, et al."
    people = [_person(n, lenient=lenient) for n in names]
    if not people or any(p is None for p in people):
        return None
    single_word = len(people) == 1 and " " not in str(people[0])
    if single_word and not (et_al or by or (lenient and _HAN_NAME.fullmatch(str(people[0])))):
        return None
    return Byline(authors=tuple(str(p) for p in people), et_al=et_al)


_NAME_IN_PROSE = re.compile(
    r"(?:^|(?<=[^\x00-\x7f]))\s*((?:[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?\s+){1,2}[A-Z][a-z]+(?:-[A-Za-z]+)?)"
    r"\s*(?P<mark>等|[(（]\s*(?:19|20)\d\d\s*[)）])"
)


def names_in_prose(text: str) -> Byline | None:
    """An author named inside a note in Chinese or Japanese: "Gal Vardi等证明了…" (et al.),
    "…核心要素，Ding-Xuan Zhou(2018)".

    >>> names_in_prose("卷积网络的通用逼近能力，Ding-Xuan Zhou(2018)，20年发表。").authors
    ('Ding-Xuan Zhou',)
    >>> names_in_prose("see Ding-Xuan Zhou (2018)") is None
    True
    """
    match = _NAME_IN_PROSE.search(text)
    if match is None:
        return None
    found = person_names(match.group(1))
    return Byline(found.authors, et_al=match.group("mark") == "等") if found else None


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
    return not _has_prose(part.text) and len(part.text) < 200


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
            return names, index + step
        if index == start:
            return None
        index -= step


_WINDOW = 240
"""Characters read first at either end of a long text; the whole text is read only when
the byline reaches the window's edge."""


_LOWER_OPENERS = frozenset(
    {"by", "in", "at", "published", "accepted", "arxiv", "corr", "biorxiv", "medrxiv", "ssrn",
     "van", "von", "de", "der", "di", "da", "du", "le", "la", "et", "and"}
)  # fmt: skip
_EDGE_WORD = re.compile(r"[^\W_]+", re.UNICODE)


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
    return not word[0].islower() and not _HAN_NAME.match(word[-1:] * 2)


def _read(text: str, step: int, openers: frozenset[str] | None = None) -> tuple[Byline, int]:
    if not _may_hold_byline(text, step):
        return Byline(), (0 if step == 1 else len(text))
    if len(text) > _WINDOW:  # a long note: read its ends only, unless the byline reaches further
        offset = 0 if step == 1 else len(text) - _WINDOW
        window = text[offset : offset + _WINDOW]
        found = parts(window)
        byline, index = _read_parts(window, found, step, openers)
        inside = index <= len(found) - 2 if step == 1 else index >= 1  # stopped short of the cut
        if inside:
            return byline, offset + _cut(window, found, index, step)
    found = parts(text)
    byline, index = _read_parts(text, found, step, openers)
    return byline, _cut(text, found, index, step)


def _read_parts(
    text: str, found: list[Part], step: int, openers: frozenset[str] | None = None
) -> tuple[Byline, int]:
    """The byline read part by part from one end, and the index of the first other part.
    ``openers``: the separators that may stand before a list of names read backwards."""
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


def leading_byline(text: str) -> tuple[Byline, int]:
    """The byline at the start of ``text``, and where the rest of the text begins."""
    return _read(text, 1)


def trailing_byline(text: str, *, in_title: bool = False) -> tuple[Byline, int]:
    """The byline at the end of ``text``, and where the text before it ends.

    ``in_title``: the text is a title written as plain text, where names at the end count
    only after a comma, "by" or a bracket ("Title, A. Smith, B. Jones"), never after a colon
    ("Graph Networks: Relational Inductive Biases" is a title).
    """
    return _read(text, -1, _TITLE_NAME_OPENERS if in_title else None)


_TITLE_NAME_OPENERS = frozenset({",", "，", "by", "(", "[", "（", "-", "–", "—"})
