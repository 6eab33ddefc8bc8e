"""How long-running stages report progress: a callback the CLI fills with progress bars."""

from __future__ import annotations

import logging
from typing import Protocol

__all__ = ["Progress", "Silent"]

log = logging.getLogger(__name__)


class Progress(Protocol):
    """What the pipeline tells whoever watches it (the CLI draws progress bars)."""

    def stage(self, name: str, total: int | None = None) -> None:
        """A new stage starts; ``total`` steps if it knows how many."""

    def advance(self, amount: int = 1) -> None:
        """``amount`` more steps of the current stage are done."""


class Silent:
    """Progress for nobody: stages go to the log."""

    def stage(self, name: str, total: int | None = None) -> None:
        log.info("stage: %s", name)

    def advance(self, amount: int = 1) -> None:
        pass
