"""Export work that runs in a second process, on the other core.

A large export has two halves that need nothing of each other: the native JSON Lines of the
second half of the documents (:func:`render_lines`), the training files of the second part of
every split (:func:`app.io.training.dataset_export.write_part`). A second process
(:mod:`app.core.second_process`) does one of them while this one does the first: it reads the
database itself, in a transaction of its own (the caller makes sure both read the same data:
:class:`app.store.database.ChangeProbe`), and writes its files beside this process's.

The protocol is pickled tuples. To the second process: ``("call", "module:function",
args)``: the function is called with ``args`` and ``say``, a callback for how far it is. From
it: ``("progress", n)`` as often as the function says, then ``("done", result)``, or
``("failed", what)`` for what went wrong, after which it ends. A parent that stops listening
(it ended the work, or it is gone) ends the second process at its next word: the files it was
writing are left in the staging folder, which the parent discards (or, if killed, the next
export does).
"""

from __future__ import annotations

import contextlib
import errno as errno_codes
import importlib
import pickle
import select
import subprocess
import sys
import traceback
from collections.abc import Callable
from typing import IO, Any

from app.core import errors
from app.core.second_process import end, serve_quietly, start

MODULE = "app.io.writer_process"

Say = Callable[[int], None]
"""How far a called function is (the number of records it has done)."""


def _what(exc: BaseException) -> tuple[Any, ...]:
    """An exception as plain values that cross the pipe (:func:`_rebuilt` makes it again)."""
    if isinstance(exc, OSError) and exc.errno is not None:
        return ("OSError", exc.errno, exc.strerror or str(exc), exc.filename)
    if isinstance(exc, MemoryError):
        return ("MemoryError", str(exc))
    if isinstance(exc, errors.TawsimError):
        return ("TawsimError", type(exc).__name__, str(exc))
    return ("bug", "".join(traceback.format_exception(exc)))


def _rebuilt(what: tuple[Any, ...]) -> BaseException:
    kind = what[0]
    if kind == "OSError":
        return OSError(what[1], what[2], what[3])
    if kind == "MemoryError":
        return MemoryError(what[1])
    if kind == "TawsimError":
        cls = getattr(errors, what[1], errors.TawsimError)
        try:
            return cls(what[2])
        except TypeError:
            return errors.TawsimError(what[2])
    return RuntimeError(f"the second process of the export failed:\n{what[1]}")


def serve(given: IO[bytes] | None = None, answer: IO[bytes] | None = None) -> int:
    """The second process: run what it is told to (see the module docstring)."""
    given = given or sys.stdin.buffer
    answer = answer or sys.stdout.buffer

    def say(message: tuple[Any, ...]) -> None:
        pickle.dump(message, answer, protocol=pickle.HIGHEST_PROTOCOL)
        answer.flush()

    try:
        while True:
            try:
                message = pickle.load(given)
            except EOFError:  # the parent is gone, or done
                break
            _kind, target, args = message
            module, name = target.split(":")
            function = getattr(importlib.import_module(module), name)
            result = function(*args, say=lambda n: say(("progress", n)))
            say(("done", result))
    except BrokenPipeError:
        raise  # the parent stopped listening: serve_quietly ends this process
    except BaseException as exc:  # said to the parent, which raises it
        with contextlib.suppress(OSError):
            say(("failed", _what(exc)))
        return 1
    return 0


class WriterProcess:
    """A second process that runs one export job at a time (:meth:`call`)."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdin is not None and process.stdout is not None
        self._process, self._input, self._output = process, process.stdin, process.stdout
        self.progress = 0  # what the running job said it has done
        self._said: tuple[str, Any] | None = None  # read by poll_progress, not yet taken
        self._busy = False

    @classmethod
    def start(cls) -> WriterProcess | None:
        """A second process; None when none can be started (do the work here)."""
        process = start(MODULE)
        return None if process is None else cls(process)

    def call(self, target: str, *args: Any) -> None:
        """Start ``module:function(*args, say=...)`` there; :meth:`result` waits for it."""
        try:
            pickle.dump(("call", target, args), self._input, protocol=pickle.HIGHEST_PROTOCOL)
            self._input.flush()
        except (BrokenPipeError, ValueError):  # it ended (ValueError: we closed it)
            raise self._failure() from None
        self._busy = True
        self.progress = 0

    def poll_progress(self) -> int:
        """How many records the job said it has done, reading only what it said so far."""
        while self._said is None and select.select([self._output], [], [], 0)[0]:
            kind, said = self._message()
            if kind == "progress":
                self.progress = said
            else:
                self._said = (kind, said)
        return self.progress

    def result(self) -> Any:
        """What the job returned, once it is done (what went wrong in it, raised here)."""
        kind, said = self._said if self._said else self._message()
        while kind == "progress":
            self.progress = said
            kind, said = self._message()
        self._said = None
        self._busy = False
        if kind == "failed":
            self.stop()
            raise _rebuilt(said)
        return said

    def _message(self) -> tuple[str, Any]:
        try:
            kind, said = pickle.load(self._output)
        except (EOFError, ValueError, pickle.UnpicklingError):
            raise self._failure() from None
        return kind, said

    def _failure(self) -> BaseException:
        code = self.stop()
        return OSError(
            errno_codes.EPIPE, f"the second process of the export ended unexpectedly (exit {code})"
        )

    def stop(self) -> int:
        """End the second process (at once, if it is still working); its exit code."""
        return end(self._process, at_once=self._busy)

    @property
    def running(self) -> bool:
        return self._process.poll() is None


def render_lines(
    url: str,
    actor: str,
    selection: str,
    annotator: str | None,
    within: tuple[int | None, int | None],
    part: str,
    say: Say,
) -> tuple[int, int]:
    """The native lines of the documents ``within`` into the file ``part``, read from the
    database itself (the parent makes sure both read the same data); (records, spans)."""
    from app.core.domain import Selection
    from app.store.core import Tawsim
    from app.store.database import Database

    records = spans = 0
    with Tawsim(Database(url, migrate_on_open=False), actor) as core, open(part, "wb") as out:
        for lines in core.native_lines(Selection(selection), annotator=annotator, within=within):
            out.write(b"\n".join([x.line for x in lines]) + b"\n")
            records += len(lines)
            spans += sum(x.spans for x in lines)
            say(records)
    return records, spans


if __name__ == "__main__":
    sys.exit(serve_quietly(serve))
