"""A process that cannot open a connection to any server: the engines' ``SERVICE`` and
``LOAD`` fail inside it, whatever the query says.

pyoxigraph and the Oxigraph server are linked with an HTTP client: ``SERVICE <url>`` and
``LOAD <url>`` make requests from inside the engine, and neither offers a switch to turn
that off (pyoxigraph 0.5's ``Store.query`` takes no service handler; ``oxigraph serve`` has
no such option). So kg asks the kernel: :func:`forbid_connections` installs a seccomp filter
(Linux, x86-64 and ARM64) under which ``connect`` fails with "Operation not permitted", as
do ``sendto`` with an address (a datagram, or TCP Fast Open) and ``io_uring_setup`` (whose
operations would not pass the filter). Serving on an already bound socket, pipes and
files work as before. (``sendmsg`` with an address, which no engine's HTTP client uses,
is not looked at: the filter cannot read inside the message it points to.) The filter
holds for the process, its threads and what it executes, and cannot be removed.

``kg query`` decides what to refuse from the query's parse (:mod:`kg.sparql.check`) and
runs what it allows in a filtered child (:mod:`kg.sparql.worker`), so a query the parse
misread still sends nothing. ``kg serve`` runs the Oxigraph server itself under the filter.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct
import sys
from functools import cache

__all__ = ["SandboxError", "forbid_connections", "installed", "prctl", "ready", "supported"]

# Numbers from the kernel's headers: <linux/audit.h> (architectures), the syscall tables
# (arch/x86/entry/syscalls/syscall_64.tbl; include/uapi/asm-generic/unistd.h for ARM64),
# <linux/seccomp.h>, <linux/filter.h> and <linux/prctl.h>.
_ARCHITECTURES = {
    # machine: (AUDIT_ARCH_*, connect, sendto, io_uring_setup, x32 syscalls exist)
    "x86_64": (0xC000003E, 42, 44, 425, True),
    "aarch64": (0xC00000B7, 203, 206, 425, False),
}
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_DENY = _RET_ERRNO | errno.EPERM
_LOAD_WORD = 0x20  # BPF_LD | BPF_W | BPF_ABS: load 32 bits of struct seccomp_data
_JUMP_IF_EQUAL = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JUMP_IF_AT_LEAST = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_RETURN = 0x06  # BPF_RET | BPF_K
_NR, _ARCH = 0, 4  # offsets in struct seccomp_data
_SENDTO_ADDRESS = 16 + 8 * 4  # args[4], the destination address pointer (low word first)
_X32_BIT = 0x40000000


class SandboxError(OSError):
    """The filter cannot be installed here (not Linux, another architecture, or refused)."""


_JumpTo = str | None
"""The label of the instruction a BPF jump goes to; ``None``: the next one."""


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]


def _program(arch: int, connect: int, sendto: int, io_uring_setup: int, x32: bool) -> bytes:
    """The filter, as BPF: a foreign architecture or ABI, ``connect`` and
    ``io_uring_setup`` are denied; ``sendto`` only when it names an address; the rest
    passes. A jump names the instruction it goes to; the next one when it names none."""
    ops: list[tuple[str, int, int, _JumpTo, _JumpTo]] = [  # (label, code, k, if true, if false)
        ("", _LOAD_WORD, _ARCH, None, None),
        ("", _JUMP_IF_EQUAL, arch, None, "deny"),  # 32-bit calls would not be seen below
        ("", _LOAD_WORD, _NR, None, None),
        *([("", _JUMP_IF_AT_LEAST, _X32_BIT, "deny", None)] if x32 else []),
        ("", _JUMP_IF_EQUAL, connect, "deny", None),
        ("", _JUMP_IF_EQUAL, io_uring_setup, "deny", None),
        ("", _JUMP_IF_EQUAL, sendto, None, "allow"),
        ("", _LOAD_WORD, _SENDTO_ADDRESS, None, None),  # a send without an address passes
        ("", _JUMP_IF_EQUAL, 0, None, "deny"),
        ("", _LOAD_WORD, _SENDTO_ADDRESS + 4, None, None),
        ("", _JUMP_IF_EQUAL, 0, "allow", "deny"),
        ("deny", _RETURN, _DENY, None, None),
        ("allow", _RETURN, _RET_ALLOW, None, None),
    ]
    where = {label: index for index, (label, *_) in enumerate(ops) if label}

    def skip(index: int, target: _JumpTo) -> int:
        return 0 if target is None else where[target] - index - 1

    return b"".join(
        struct.pack("HBBI", code, skip(index, true), skip(index, false), k)
        for index, (_, code, k, true, false) in enumerate(ops)
    )


def supported() -> bool:
    """Whether this system can have the filter (it may still refuse it)."""
    return sys.platform == "linux" and platform.machine() in _ARCHITECTURES


@cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def prctl(option: int, value: int) -> int:
    """``prctl(option, value)`` on Linux (the C library found once; see :func:`ready`)."""
    return int(_libc().prctl(option, value, 0, 0, 0))


def die_with_parent(signum: int) -> None:
    """Ask Linux to send this process ``signum`` when its parent dies (elsewhere: nothing),
    so that a ``kill -9`` of kg leaves no engine or server of its own running. Safe
    between ``fork`` and ``exec`` once :func:`ready` was called."""
    if sys.platform == "linux":
        parent = os.getppid()
        prctl(_PR_SET_PDEATHSIG, signum)
        if os.getppid() != parent:  # it died before the request was made
            os._exit(1)


def ready() -> bool:
    """:func:`supported`, with the C library looked up now: call it before ``fork`` so
    that the child needs no dynamic loading (whose lock another thread may hold)."""
    if sys.platform == "linux":
        _libc()
    return supported()


_installed = False


def installed() -> bool:
    """Whether this process runs under the filter (installed by :func:`forbid_connections`)."""
    return _installed


def forbid_connections() -> None:
    """From now on this process (and anything it starts) cannot connect to any server.

    Safe to call between ``fork`` and ``exec`` (it only calls ``prctl``). Raises
    SandboxError when the system does not allow it.
    """
    global _installed
    if not supported():
        raise SandboxError(f"no connection filter for {sys.platform} on {platform.machine()}")
    program = _program(*_ARCHITECTURES[platform.machine()])
    libc = _libc()
    filter_ = _Program(len(program) // 8, program)
    # No new privileges: what the filter allows cannot be widened by executing a setuid
    # program, which is also what lets a process without privileges install a filter.
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or libc.prctl(
        _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(filter_), 0, 0
    ) != 0:
        code = ctypes.get_errno()
        raise SandboxError(code, f"the kernel refused the connection filter: {errno.errorcode.get(code, code)}")
    _installed = True
