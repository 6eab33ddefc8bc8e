"""Running something hostile in this process without letting it hang or eat the machine.

:func:`bounded` runs an action under a deadline (SIGALRM: it interrupts Python code and a
blocked system call, such as opening a FIFO no one writes to) and a cap on the process's
address space (a run-away allocation fails inside the action, as MemoryError or an abort
of a native parser, instead of taking gigabytes from the other tests). Both only matter
when kg regresses: a passing run ends long before either.

The action runs in the test's own thread (the main one), as ``kg`` in-process needs: it
sets signal handlers, which only the main thread may.
"""

from __future__ import annotations

import resource
import signal
from collections.abc import Callable
from types import FrameType
from typing import TypeVar

import pytest

__all__ = ["bounded"]

T = TypeVar("T")


class _TimeUp(BaseException):  # not an Exception: no `except Exception` in kg may swallow it
    pass


def _address_space() -> int:
    """The bytes of address space this process has mapped now (VmSize)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmSize in /proc/self/status")


def bounded(action: Callable[[], T], *, seconds: float = 20, extra_memory: int = 2 * 2**30) -> T:
    """``action()``, failing the test if it runs past ``seconds`` or tries to take more than
    ``extra_memory`` bytes of address space beyond what the process has."""

    def time_up(signum: int, frame: FrameType | None) -> None:
        raise _TimeUp

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + extra_memory
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    previous = signal.signal(signal.SIGALRM, time_up)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return action()
    except _TimeUp:
        pytest.fail(f"still running after {seconds} s: it hangs (or reads without end)")
    except MemoryError:
        pytest.fail(f"tried to take more than {extra_memory / 2**30:.1f} GiB")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
