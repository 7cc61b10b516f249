"""A second Tawsim process, for work that can run on the other core of a laptop.

Started as this Python running ``python -m MODULE`` (the bundle, whose executable is Tawsim and
not Python: ``tawsim HIDDEN-COMMAND``, which :mod:`app.main` sends to the module's ``serve``).
Not :mod:`multiprocessing`, which would run the parent's main script again in the child. The two
talk over the child's standard input and output.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable

HIDDEN_COMMANDS = {
    "_offsets-decision": "app.io.unit_guess",
    "_writers": "app.io.writer_process",
    "_index-words": "app.store.word_process",
}
"""The bundle's hidden commands, and the module whose ``serve()`` each runs."""


def command(module: str) -> list[str]:
    """How to start ``module``'s ``serve()`` in a second process."""
    if getattr(sys, "frozen", False):  # the bundle
        [hidden] = [name for name, served in HIDDEN_COMMANDS.items() if served == module]
        return [sys.executable, hidden]
    return [sys.executable, "-m", module]


def threshold(variable: str, default: int) -> int:
    """From how large a job a second process is started: ``default``, unless the environment
    variable says otherwise (the tests and the bundle's smoke test set 0)."""
    said = os.environ.get(variable, "")
    return int(said) if said.isdigit() else default


def start(module: str) -> subprocess.Popen[bytes] | None:
    """``module``'s ``serve()`` in a second process, its standard input and output piped to
    this one (its errors go where this one's go); None when no process can be started.

    It runs in a session of its own, so a Ctrl-C in the terminal reaches only this process,
    which ends it (else it would stop with a traceback of its own)."""
    try:
        return subprocess.Popen(
            command(module),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,
            env={**os.environ, PARENT_VARIABLE: str(os.getpid())},
        )
    except OSError:
        return None


PARENT_VARIABLE = "TAWSIM_PARENT_PID"
"""Tells a second process which process started it (:func:`_die_with_parent`)."""
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Have Linux kill this second process when the process that started it dies (a kill of
    the parent would otherwise leave it finishing its job: writing a part file nobody will
    collect). Elsewhere it stops at the end of its input, once its job is done."""
    parent = os.environ.get(PARENT_VARIABLE, "")
    if not sys.platform.startswith("linux") or not parent.isdigit():
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != int(parent):  # it died before the signal was asked for
        os._exit(0)


def end(process: subprocess.Popen[bytes], *, at_once: bool) -> int:
    """End ``process``: killed (``at_once``), or by the end of its input; its exit code."""
    if at_once and process.poll() is None:
        process.kill()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    try:
        return process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


def serve_quietly(serve: Callable[[], int]) -> int:
    """Run a second process's ``serve``: a parent that stops listening (it ended the work, or
    it is gone) ends it without a traceback."""
    _die_with_parent()
    try:
        return serve()
    except BrokenPipeError:
        # Python would complain again when it flushes standard output at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
