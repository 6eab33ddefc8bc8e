"""What ``kg lint`` reports: findings, each with a line, a rule, a message and a fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = ["RULES", "Finding", "LintReport", "Severity"]

Severity = Literal["error", "warning"]

RULES: dict[str, tuple[Severity, str]] = {
    "duplicate": ("error", "the same work is listed twice"),
    "malformed-link": ("error", "a link whose syntax or address is broken"),
    "http": ("warning", "http:// to a site that serves https://"),
    "tracking": ("warning", "tracking parameters in a link (utm_*, fbclid…)"),
    "not-a-resource": ("warning", "an item that looks like an entry but links to no resource"),
    "no-topic": ("warning", "a resource outside every section"),
    "untitled": ("warning", "a resource with no words but a generic link text (\"[pdf]\")"),
    "empty-section": ("warning", "a heading with nothing under it"),
    "mixed-bullets": ("warning", "bullets of two kinds in one section"),
    "missing-year": ("warning", "a year missing where most entries of the section give one"),
}
"""Every rule: its severity and what it finds."""


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """One thing a curator may fix, at one line of the list."""

    line: int
    rule: str
    message: str
    fix: str
    severity: Severity = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "severity", RULES[self.rule][0])


@dataclass(frozen=True, slots=True)
class LintReport:
    """The findings about one list, in line order."""

    source: str
    findings: tuple[Finding, ...]
    resources: int = 0
    """How many resources the list has (for the summary)."""
    known_equivalents: int = 0
    """Pairs of identifiers (preprint ↔ DOI) the bundled facts and the cache knew."""

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def failed(self, *, strict: bool = False) -> bool:
        """True when the list should not be published as it is."""
        return self.errors > 0 or (strict and self.warnings > 0)

    def as_json(self) -> dict[str, Any]:
        """The report as plain data, for ``kg lint --format json``."""
        return {
            "file": self.source,
            "errors": self.errors,
            "warnings": self.warnings,
            "resources": self.resources,
            "findings": [{**asdict(f), "file": self.source} for f in self.findings],
        }
