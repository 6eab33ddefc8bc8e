"""Writing files so that a crash or Ctrl-C never leaves one half-written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

__all__ = ["atomic_write", "atomic_write_text", "atomic_writer"]


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through: ``path`` holds either its old or its new
    content, never half, whatever happens before the ``with`` block ends.

    The bytes go to a temporary file in the same directory, are flushed to disk, then
    renamed over ``path`` (a rename within one file system is atomic).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` so that ``path`` holds either its old or its new content, never half."""
    with atomic_writer(path) as handle:
        handle.write(data)


def atomic_write_text(path: Path, text: str) -> None:
    """:func:`atomic_write` for text, always UTF-8 whatever the platform's default."""
    atomic_write(path, text.encode("utf-8"))
