"""``kg lint``: what a curator fixes before publishing a reading list.

Offline: it reads the list, the bundled facts and (if there is one) the response cache of
earlier builds, and never fetches a link. Each finding names a line, a rule
(:data:`~kg.lint.findings.RULES`) and a fix; errors (the same work twice, a broken link)
make :meth:`LintReport.failed` true.

>>> report = lint_text('''# L
... ## Papers
... - [A](https://arxiv.org/abs/1901.00596)
... - [A, again](https://arxiv.org/pdf/1901.00596v2.pdf)
... ''', use_cache=False)
>>> [(f.line, f.rule, f.severity) for f in report.findings]
[(4, 'duplicate', 'error')]
"""

from __future__ import annotations

from itertools import chain
from pathlib import Path

from kg.lint.findings import RULES, Finding, LintReport
from kg.lint.rules import (
    duplicates,
    empty_sections,
    identifiers,
    links,
    loose_items,
    missing_years,
    mixed_bullets,
    no_topic,
    untitled,
)
from kg.lint.same_work import known_equivalents
from kg.lint.scan import scan_markdown
from kg.read.markdown import parse_reading_list, read_list_text

__all__ = ["RULES", "Finding", "LintReport", "lint_reading_list", "lint_text"]


def lint_text(
    text: str, *, source: str = "<string>", cache_dir: Path | None = None, use_cache: bool = True
) -> LintReport:
    """Lint the Markdown of a list. ``cache_dir``: the response cache to consult (default:
    the user cache directory, if a build made one); ``use_cache=False`` ignores any cache."""
    reading_list = parse_reading_list(text, source=source)
    resources = [e for e in reading_list.entries if not e.is_topic]
    ids = identifiers(resources)
    groups, known = known_equivalents(list(ids.values()), cache_dir=cache_dir, use_cache=use_cache)
    scan = scan_markdown(text)
    found = chain(
        duplicates(resources, ids, groups, known),
        no_topic(reading_list),
        untitled(resources),
        missing_years(reading_list),
        empty_sections(scan),
        mixed_bullets(scan),
        loose_items(scan),
        links(scan),
    )
    return LintReport(source, tuple(sorted(set(found))), len(resources), len(known))


def lint_reading_list(
    path: str | Path, *, cache_dir: Path | None = None, use_cache: bool = True
) -> LintReport:
    """Lint a list file. Raises :class:`~kg.errors.ReadingListError` when it cannot be read."""
    text = read_list_text(path)
    return lint_text(text, source=str(path), cache_dir=cache_dir, use_cache=use_cache)
