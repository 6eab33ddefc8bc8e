"""Run the ``kg`` command in tests: in this process (the default: fast, and measured by
coverage like any library call) or as a child process, where the process itself is what
a test checks (``python -m kg`` exit codes, signals, ``kg serve``'s lifetime).

Both return what a user sees: the exit status, stdout and stderr.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import typer.main
from typer.core import TyperGroup
from typer.testing import CliRunner

from kg.cli import app

__all__ = ["REPO", "Ran", "kg", "kg_popen", "kg_process"]

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Ran:
    """One run of ``kg``, as a child process would report it."""

    returncode: int
    stdout: str
    stderr: str


def kg(*args: str, cwd: Path | None = None, **env_vars: str) -> Ran:
    """Run ``kg ARGS`` in this process, with its own stdout and stderr (80 columns, no
    terminal, as a child with piped output), from ``cwd``, with ``env_vars`` set.

    What a command changes in the process is put back: the root logger (the CLI
    configures logging as a program does) and the SIGTERM handler (``kg serve`` sets one).
    An exception kg does not turn into a message fails the test with its traceback.
    """
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    sigterm = signal.getsignal(signal.SIGTERM)
    status: int | str | None = 0
    try:
        with (
            contextlib.chdir(cwd or Path.cwd()),
            CliRunner().isolation(env={"COLUMNS": "80", **env_vars}) as (stdout, stderr, _),
        ):
            try:
                _command().main(args=list(args), prog_name="kg")
            except SystemExit as stopped:  # click ends every run with one
                status = stopped.code
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                said = stdout.getvalue().decode(), stderr.getvalue().decode()
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        signal.signal(signal.SIGTERM, sigterm)
    code = status if isinstance(status, int) else 0 if status is None else 1
    return Ran(code, *said)


@functools.cache
def _command() -> TyperGroup:
    """The click command typer makes of ``kg.cli.app``, made once: making it reads every
    option's annotations again, 40 ms a run (CliRunner.invoke makes it on each call)."""
    command = typer.main.get_command(app)
    assert isinstance(command, TyperGroup)
    return command


def _child_env(env_vars: dict[str, str]) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), **env_vars}


def kg_process(*args: str, cwd: Path | None = None, **env_vars: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m kg ARGS`` in a child process (on this checkout's code) and wait."""
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd, check=False,
        timeout=600, env=_child_env(env_vars),
    )


def kg_popen(*args: str) -> subprocess.Popen[str]:
    """Start ``python -m kg ARGS`` in a child process, Ctrl-C acting on it as in a terminal
    (a suite started in the background would otherwise hand it SIGINT ignored)."""
    return subprocess.Popen(
        [sys.executable, "-m", "kg", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=_child_env({}), preexec_fn=_default_sigint,
    )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
