"""Run one piece of work in a child process: stopped at a deadline, and unable to connect
to any server unless allowed.

pyoxigraph evaluates a query in Rust, holding no Python lock and checking no signal: a
thread running it cannot be stopped, and a three-way cartesian product runs for hours (an
``ORDER BY`` over one reached 5.8 GB). A child process can be stopped: :func:`run_forked`
forks (the child shares the parent's in-memory store, copied only where written, so
nothing is serialized on the way in), runs the work there, streams what it writes back
through a pipe, and kills the child when the deadline passes. Forking costs a few
milliseconds per query (``benchmarks/query_isolation.py`` measures it).

A ``memory`` limit caps what the child may add to its address space once the work is
prepared (``RLIMIT_AS``, Linux): an allocation past it fails, in Rust by aborting the child
(SIGABRT), in Python with MemoryError; either way the parent reports it, and the machine
never swaps or wakes the OOM killer for one query. What the work writes is held by the
parent until the work returns, so it is bounded by the same limit: a query whose result
streams out never grows the child, but would grow the parent without it.

The child also installs the connection filter of :mod:`kg.sparql.sandbox` (unless the
network is allowed), so what the query checker let through still cannot reach a server.
It dies with its parent (Linux), and ignores Ctrl-C: the parent stops it.

Where ``os.fork`` does not exist (Windows) the work runs in this process, with no deadline.
"""

from __future__ import annotations

import faulthandler
import io
import math
import os
import pickle
import select
import signal
import struct
import sys
import tempfile
import time
from collections.abc import Callable
from typing import BinaryIO, Generic, TypeVar

from kg.sparql import sandbox

__all__ = ["Stopped", "Finished", "forking", "run_forked", "run_here"]

T = TypeVar("T")
P = TypeVar("P")

_DATA, _VALUE, _ERROR, _FILTERED, _STARTED = b"D", b"V", b"E", b"F", b"S"
_HEADER = struct.Struct(">cQ")  # kind, length
_READ_SIZE = 1 << 20


class Stopped(Exception):
    """The work did not finish: past its deadline (``timed_out``), or the child died."""

    def __init__(self, reason: str, *, timed_out: bool = False, out_of_memory: bool = False) -> None:
        super().__init__(reason)
        self.timed_out = timed_out
        self.out_of_memory = out_of_memory
        """It needed more memory than its limit."""


class Finished(Generic[T]):
    """What the work returned, the bytes it wrote, and whether connections were refused
    while it ran."""

    def __init__(self, value: T, data: bytes, isolated: bool, filtered: bool) -> None:
        self.value = value
        self.data = data
        self.isolated = isolated
        """It ran in a child (so what it changed in memory stayed there)."""
        self.filtered = filtered
        """No connection could be made while it ran (:mod:`kg.sparql.sandbox`)."""


def forking() -> bool:
    """Whether work can run in a child here."""
    return hasattr(os, "fork")


def run_here(prepare: Callable[[], P], work: Callable[[P, BinaryIO], T]) -> Finished[T]:
    """The work in this process, as :func:`run_forked` would report it (no deadline)."""
    out = io.BytesIO()
    value = work(prepare(), out)
    return Finished(value, out.getvalue(), isolated=False, filtered=False)


def run_forked(
    prepare: Callable[[], P],
    work: Callable[[P, BinaryIO], T],
    *,
    timeout: float | None,
    memory: int | None = None,
    allow_network: bool = False,
) -> Finished[T]:
    """Run ``work(prepare(), out)`` in a forked child and return what ``work`` returned
    and wrote to ``out``.

    ``timeout`` seconds (``None``: no limit) count from the end of ``prepare`` (reading
    the data is not the query's time); so do ``memory`` bytes (``None``: no limit), on top
    of what the child holds then. An exception either raises is raised here (it must
    pickle). Raises Stopped when the time passes first, the memory runs out or the child
    dies.
    """
    filter_ready = sandbox.ready() and not allow_network  # the C library found before the fork
    said = _StderrCapture()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        status = 1
        try:
            os.close(read_end)
            said.take_over()
            status = _child(prepare, work, write_end, filter_ready, memory)
        finally:
            os._exit(status)
    os.close(write_end)
    reaped = False
    try:
        return _collect(read_end, timeout, memory)
    except MemoryError:
        if memory is None:
            raise
        raise Stopped("it needed more memory than its limit", out_of_memory=True) from None
    except _ChildGone:
        _, status = os.waitpid(pid, 0)
        reaped = True
        text = said.text()
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGABRT and _RUST_OOM in text:
            said.consumed = True  # told as the limit, not as Rust's own line
            reason = "it needed more memory than its limit" if memory is not None else "the machine ran out of memory"
            raise Stopped(reason, out_of_memory=memory is not None) from None
        raise Stopped(_death(status, text)) from None
    finally:
        os.close(read_end)
        if not reaped:  # still ours to kill: not waited for, its number not reused
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        said.close()


_RUST_OOM = "memory allocation of"
"""How Rust's allocator starts the line it writes before aborting."""


class _StderrCapture:
    """The child's standard error, kept in memory (a memfd; a temporary file elsewhere):
    passed on to this process's when the child is done, unless it explained a death the
    parent reports in its own words (Rust's "memory allocation of N bytes failed")."""

    _KEPT = 1 << 16  # the last 64 KiB: a child can write much more

    def __init__(self) -> None:
        if hasattr(os, "memfd_create"):
            self._file = os.fdopen(os.memfd_create("kg-engine-stderr"), "w+b")
        else:
            self._file = tempfile.TemporaryFile()
        self.consumed = False

    def take_over(self) -> None:
        """In the child: its standard error goes to the capture."""
        sys.stderr.flush()
        os.dup2(self._file.fileno(), 2)

    def text(self) -> str:
        self._file.seek(0, os.SEEK_END)
        size = self._file.tell()
        self._file.seek(max(0, size - self._KEPT))
        return self._file.read().decode("utf-8", errors="replace")

    def close(self) -> None:
        try:
            if not self.consumed and (text := self.text()):
                sys.stderr.write(text)
                sys.stderr.flush()
        finally:
            self._file.close()


def _child(
    prepare: Callable[[], P], work: Callable[[P, BinaryIO], object], fd: int, filter_ready: bool,
    memory: int | None,
) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    faulthandler.disable()  # an abort (memory) is the parent's to report, without a stack dump
    _no_core_dump()
    sandbox.die_with_parent(signal.SIGKILL)  # a kill -9 of kg query leaves no runaway query
    frames = _FrameWriter(fd)
    if filter_ready:
        try:
            sandbox.forbid_connections()
            frames.frame(_FILTERED, b"")
        except sandbox.SandboxError:
            pass  # the check of the query text is what stands, as without a child
    out = io.BufferedWriter(frames, buffer_size=1 << 16)
    try:
        prepared = prepare()
        if memory is not None:
            _limit_memory(memory)
        frames.frame(_STARTED, b"")
        value = work(prepared, out)
        out.flush()
        answer = pickle.dumps(value)
    except Exception as err:  # noqa: BLE001 - sent to the parent, which raises it
        frames.frame(_ERROR, _pickled_error(err))
        return 0
    except BaseException as err:  # noqa: BLE001 - pyo3's PanicException is one: named, not "status 1"
        frames.frame(_ERROR, _pickled_error(Stopped(f"{type(err).__name__}: {err}")))
        return 0
    frames.frame(_VALUE, answer)
    return 0


def _no_core_dump() -> None:
    """A crash of the engine (a query nested too deep) is reported by the parent; a core
    file of a process holding the whole graph would only fill the disk."""
    import resource  # POSIX only; this runs only after a fork

    _, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (0, hard))


def _limit_memory(allowance: int) -> None:
    """Let this process's address space grow by ``allowance`` bytes at most (Linux: its
    current size is read from /proc; elsewhere the limit is not set)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return
    import resource  # POSIX only; this runs only after a fork

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = size + allowance
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    # An allocation past the limit aborts with one line from Rust; no backtrace after it.
    os.environ["RUST_BACKTRACE"] = "0"


def _pickled_error(err: BaseException) -> bytes:
    try:
        data = pickle.dumps(err)
        pickle.loads(data)  # one whose __init__ takes other arguments pickles, then fails here
        return data
    except Exception:  # noqa: BLE001 - an error that does not pickle still has a message
        return pickle.dumps(RuntimeError(f"{type(err).__name__}: {err}"))


class _FrameWriter(io.RawIOBase):
    """What the work writes, sent as frames: kind (one byte), length, bytes."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        chunk = bytes(data)  # type: ignore[call-overload]
        if chunk:
            self.frame(_DATA, chunk)
        return len(chunk)

    def frame(self, kind: bytes, payload: bytes) -> None:
        view = memoryview(_HEADER.pack(kind, len(payload)) + payload)
        while view:
            view = view[os.write(self._fd, view) :]


class _ChildGone(Exception):
    """The pipe closed before the child sent what the work returned."""


def _collect(fd: int, timeout: float | None, memory: int | None = None) -> Finished[T]:
    buffer = bytearray()
    data: list[bytes] = []
    held = 0  # bytes of data
    filtered = False
    deadline: float | None = None  # set when the work starts
    # poll, not select: select refuses a descriptor numbered 1024 or more, which a process
    # that holds many files or sockets (a server calling the API) hands out.
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    while True:
        if deadline is None:
            poller.poll()
        else:
            # Checked before every read, not only when the pipe is idle: a child that
            # writes without pause would otherwise never be found late.
            left = deadline - time.monotonic()
            if left <= 0 or not poller.poll(math.ceil(left * 1000)):
                raise Stopped(f"it ran past {timeout:g} s", timed_out=True)
        chunk = os.read(fd, _READ_SIZE)
        if not chunk:
            raise _ChildGone
        buffer += chunk
        start = 0  # of the next frame; what precedes it is dropped once per read
        while len(buffer) - start >= _HEADER.size:
            kind, length = _HEADER.unpack_from(buffer, start)
            end = start + _HEADER.size + length
            if len(buffer) < end:
                break
            payload = bytes(buffer[start + _HEADER.size : end])
            start = end
            if kind == _DATA:
                data.append(payload)
                held += len(payload)
                if memory is not None and held > memory:
                    raise Stopped("its result grew past the memory limit", out_of_memory=True)
            elif kind == _FILTERED:
                filtered = True
            elif kind == _STARTED and timeout is not None:
                deadline = time.monotonic() + timeout
            elif kind == _ERROR:
                raise pickle.loads(payload)
            elif kind == _VALUE:
                value: T = pickle.loads(payload)
                return Finished(value, b"".join(data), isolated=True, filtered=filtered)
        del buffer[:start]


def _death(status: int, said: str = "") -> str:
    """Why the child ended without an answer, from its wait status and the last line it
    wrote to standard error."""
    last = said.strip().splitlines()[-1] if said.strip() else ""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = str(number)
        hints: dict[int, str] = {
            signal.SIGKILL: " (out of memory?)",
            # pyoxigraph's parser recurses once per nesting level: a query nested some
            # thousands deep overflows the stack.
            signal.SIGSEGV: " (a query nested very deep does this: write it flatter)",
        }
        hint = hints.get(number, "")
        return f"the engine's process was killed by signal {name}{hint}" + (f": {last}" if last else "")
    return f"the engine's process ended with status {os.WEXITSTATUS(status)}" + (f": {last}" if last else "")
