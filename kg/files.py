"""Files at the edges: inputs checked before they are read, outputs written so that a crash,
a full disk or Ctrl-C never leaves one half-written, nor a pair of outputs that do not match.

- :func:`not_a_file` says what an input is when it is not a regular file (a directory, a
  named pipe, a device), from its metadata alone: reading ``/dev/zero`` never ends and
  reading a FIFO waits for a writer.
- :func:`atomic_writer` writes one file through a temporary beside it, renamed over it.
- :class:`Outputs` writes several files (``kg.ttl`` and ``kg.html``) that go together:
  each to a temporary, then all replaced, or none.
- Every ``OSError`` on the way out becomes an :class:`~kg.errors.OutputError` that names
  the path and says what to do (:func:`output_error`).
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TypeVar

from kg.errors import OutputError

__all__ = [
    "Outputs",
    "atomic_write",
    "atomic_write_text",
    "atomic_writer",
    "make_directory",
    "not_a_file",
    "output_error",
    "what_to_do",
]

T = TypeVar("T")

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def not_a_file(path: Path) -> str | None:
    """None when ``path`` is a regular file (or a link to one); else what it is instead,
    found without opening it.

    >>> not_a_file(Path("/dev/null")), not_a_file(Path("/")), not_a_file(Path("/no/such/file"))
    ('a character device, not a file', 'a directory, not a file', 'no such file')
    """
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "no such file"
    except OSError as err:
        return f"cannot be read: {err.strerror or err}"
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return f"{kind}, not a file"


# --- writing ---------------------------------------------------------------------------

_WHAT_TO_DO = {
    errno.ENOSPC: "the disk is full: free some space and run again",
    errno.EDQUOT: "the disk quota is used up: free some space and run again",
    errno.EACCES: "permission denied: write somewhere you may write, or change the permissions",
    errno.EPERM: "permission denied: write somewhere you may write, or change the permissions",
    errno.EROFS: "the file system is read-only: write somewhere else",
    errno.EISDIR: "a directory has that name: remove it or write somewhere else",
    errno.ENAMETOOLONG: "the name is too long: choose a shorter one",
}


def what_to_do(err: OSError, *, writing: bool = True) -> str:
    """What an OSError means for the user, and what to do about it, in a few words
    (``writing``: the advice says where to write instead; else it fits a file read too)."""
    if not writing and err.errno in (errno.EACCES, errno.EPERM):
        return "permission denied: check its permissions"
    return _WHAT_TO_DO.get(err.errno or 0) or (err.strerror or str(err))


def output_error(err: OSError, path: Path) -> OutputError:
    """The error to raise when writing ``path`` failed with ``err``: one line naming the
    path and what to do."""
    if err.errno in (errno.EEXIST, errno.ENOTDIR):  # a file stands where a directory must be
        blocker = _file_in_the_way(Path(path).parent)
        if blocker is not None:
            return OutputError(f"cannot write {path}: {blocker} is a file, not a directory: write somewhere else")
    return OutputError(f"cannot write {path}: {what_to_do(err)}")


def _file_in_the_way(directory: Path) -> Path | None:
    """The first of ``directory`` and its parents, from the top, that exists and is not a
    directory."""
    for candidate in [*reversed(directory.parents), directory]:
        if candidate.exists() and not candidate.is_dir():
            return candidate
    return None


def make_directory(directory: Path) -> None:
    """``mkdir -p directory``, failing with an OutputError that names what is in the way."""
    try:
        Path(directory).mkdir(parents=True, exist_ok=True)
    except OSError as err:
        blocker = _file_in_the_way(Path(directory))
        if blocker == Path(directory):
            raise OutputError(f"cannot write into {directory}: it is a file, not a directory: "
                              "choose a directory to write into") from err
        if blocker is not None:
            raise OutputError(f"cannot write into {directory}: {blocker} is a file, not a directory: "
                              "write somewhere else") from err
        raise OutputError(f"cannot make the directory {directory}: {what_to_do(err)}") from err


def _mode_for(target: Path) -> int:
    """The permissions a file written over ``target`` gets: those it has, else what a new
    file gets under this process's umask (a temporary file is made 0600)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    try:  # Linux says it without changing it
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere: read by setting it, then put back
    os.umask(mask)
    return mask


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through: ``path`` holds either its old or its new
    content, never half, whatever happens before the ``with`` block ends.

    The bytes go to a temporary file in the same directory, are flushed to disk, then
    renamed over ``path`` (:class:`Outputs` of one file). A failure to write (a full disk,
    a read-only directory, a directory named ``path``) raises OutputError.
    """
    path = Path(path)
    with Outputs() as outputs:
        staged = outputs.stage(path, suffix=".tmp")
        try:
            with staged.open("wb") as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as err:
            raise output_error(err, path) from err
        outputs.commit()


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` so that ``path`` holds either its old or its new content, never half."""
    with atomic_writer(path) as handle:
        handle.write(data)


def atomic_write_text(path: Path, text: str) -> None:
    """:func:`atomic_write` for text, always UTF-8 whatever the platform's default."""
    atomic_write(path, text.encode("utf-8"))


class Outputs:
    """Files that go together, written first to temporaries beside them, then replaced
    all at once by :meth:`commit`, or none of them.

    ``with Outputs() as outputs:`` hands out the temporaries (:meth:`write`, :meth:`stage`);
    leaving the block without a commit (an error, or a build kept aside) removes what was
    staged.

    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> with Outputs() as outputs:
    ...     _ = outputs.write(out / "a.txt", lambda path: path.write_text("a"))
    ...     _ = outputs.write(out / "b.txt", lambda path: path.write_text("b"))
    ...     outputs.commit()
    >>> sorted(p.name for p in out.iterdir())
    ['a.txt', 'b.txt']
    """

    def __init__(self) -> None:
        self._staged: dict[Path, Path] = {}

    def __enter__(self) -> Outputs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def stage(self, target: Path, suffix: str = ".new") -> Path:
        """A temporary path, in ``target``'s directory, to write ``target``'s new content to."""
        target = Path(target)
        make_directory(target.parent)
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
        except OSError as err:
            raise output_error(err, target) from err
        os.close(fd)
        self._staged[target] = Path(tmp)
        return Path(tmp)

    def staged(self, target: Path) -> Path:
        """Where ``target``'s new content is until the commit."""
        return self._staged[Path(target)]

    def write(self, target: Path, write: Callable[[Path], T]) -> T:
        """``write(staged)`` with a staged path for ``target``; an error names ``target``,
        the file the user knows, not the temporary."""
        staged = self.stage(target)
        try:
            return write(staged)
        except OutputError as err:
            raise OutputError(str(err).replace(str(staged), str(target))) from err

    def commit(self) -> None:
        """Replace every target by its staged file. When one cannot be replaced (say, a
        directory has its name), those already replaced get their old content back and
        OutputError names the one that failed."""
        replaced: list[Path] = []
        backups: dict[Path, Path] = {}
        target = Path()
        try:
            for target, staged in self._staged.items():
                os.chmod(staged, _mode_for(target))
                if target.is_file():
                    backups[target] = _kept_aside(target)
                os.replace(staged, target)
                replaced.append(target)
        except BaseException as err:  # Ctrl-C too: a pair is replaced whole or not at all
            for done in reversed(replaced):
                if done in backups:
                    os.replace(backups.pop(done), done)
                else:
                    done.unlink(missing_ok=True)
            if isinstance(err, OSError):
                raise output_error(err, target) from err
            raise
        finally:
            for backup in backups.values():
                backup.unlink(missing_ok=True)
            self.discard()

    def move_to(self, directory: Path) -> list[Path]:
        """Put the staged files in ``directory`` under their targets' names instead (a
        build that fails its own checks: kept for a look, replacing nothing); return them."""
        with Outputs() as aside:
            for target, staged in self._staged.items():
                kept = aside.stage(directory / target.name)
                try:
                    shutil.copyfile(staged, kept)
                except OSError as err:
                    raise output_error(err, kept) from err
            aside.commit()
        moved = [directory / target.name for target in self._staged]
        self.discard()
        return moved

    def discard(self) -> None:
        """Remove what was staged and not committed."""
        for staged in self._staged.values():
            staged.unlink(missing_ok=True)
        self._staged.clear()


def _kept_aside(path: Path) -> Path:
    """A second name for ``path``'s current content (a hard link, else a copy), so that a
    commit that fails halfway can put it back."""
    aside = path.with_name(f".{path.name}.{secrets.token_hex(4)}.old")
    try:
        os.link(path, aside)
    except OSError:
        shutil.copy2(path, aside)
    return aside
