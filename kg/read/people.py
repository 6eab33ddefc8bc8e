"""People named by a reading list: "G. Hinton et al.", "by A and B", "Last, First and
Last, First", "A, B, C.", "Hinton, G., Vinyals, O., & Dean, J.", "Rong Ge 等".

A name is one to five words: capitalised words ("Hinton", "Al-Rfou", "O'Neil", "Veličković"),
initials ("G.", "J.-P.", "GE"), lower-case particles ("van der", "de") and suffixes ("Jr.");
words that are no one's name ("Deep", "Library", "Survey"…) rule a text out, and so does a
lower-case word that no list of names holds (prose).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.read.inline import squash

__all__ = ["Names", "looks_like_prose", "names_in_prose", "person_names"]


@dataclass(frozen=True, slots=True)
class Names:
    """The people a text names, in order, and whether it says there are more."""

    authors: tuple[str, ...]
    et_al: bool = False



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


_CAPITAL_AFTER = frozenset({"Mc", "Mac", "Le", "La", "De", "Di", "Da", "Du", "Van", "Von", "Fitz", "Del"})


def _cased_like_a_name(word: str) -> bool:
    """False for a capital inside a word ("PyTorch", "DeepMind"), unless a prefix of names
    comes before it ("LeCun", "McDonald", "DiCaprio").

    >>> _cased_like_a_name("LeCun"), _cased_like_a_name("PyTorch"), _cased_like_a_name("Al-Rfou")
    (True, False, True)
    """
    for part in re.split(r"[-'’]", word):
        for index in range(1, len(part)):
            if part[index].isupper() and part[index - 1].islower() and part[:index] not in _CAPITAL_AFTER:
                return False
    return True


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
        if head[:1].isupper() and (len(head) <= 2 or any(c.islower() for c in head)) and _cased_like_a_name(head):
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


def looks_like_prose(text: str) -> bool:
    """True when a lower-case word that no list of names holds shows ``text`` is prose."""
    return any(
        word[:1].islower() and word.rstrip(",;.") not in _LOWER_IN_NAMES and word[1:2] not in "'’"
        for word in text.split()
    )


def person_names(text: str, *, lenient: bool = False) -> Names | None:
    """The people a piece of text names, in order, or None when it is not only names.

    A single name needs two words ("G. Hinton"), "et al." or "by" before it; ``lenient``
    (a line set in italics under the title) also takes names in Chinese script.

    >>> person_names("by Boucheron, Lugosi and Massart").authors
    ('Boucheron', 'Lugosi', 'Massart')
    >>> person_names("Hinton, Geoffrey and Vinyals, Oriol").authors
    ('Geoffrey Hinton', 'Oriol Vinyals')
    >>> person_names("Rong Ge 等"), person_names("GraphSAGE") is None
    (Names(authors=('Rong Ge',), et_al=True), True)
    """
    core = squash(text).strip(" ,;:")
    if not core or len(core) > 600 or looks_like_prose(core):
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
    return Names(authors=tuple(str(p) for p in people), et_al=et_al)


_NAME_IN_PROSE = re.compile(
    r"(?:^|(?<=[^\x00-\x7f]))\s*((?:[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?\s+){1,2}[A-Z][a-z]+(?:-[A-Za-z]+)?)"
    r"\s*(?P<mark>等|[(（]\s*(?:19|20)\d\d\s*[)）])"
)


def names_in_prose(text: str) -> Names | None:
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
    return Names(found.authors, et_al=match.group("mark") == "等") if found else None
