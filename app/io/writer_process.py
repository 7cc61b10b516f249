"""Writers that run in a second process, fed the records over a pipe.

A training export writes every split in every format in one pass over the records; the spaCy
files cost as much as all the other formats together (tokens, word hashes, compression). Their
writers can run in a second process (:mod:`app.core.second_process`) on the other core: the records
go to it pickled over its standard input (a few tens of microseconds a record, against a
millisecond of writing), so it writes exactly what the same writers would write here, from the
same records, without reading the database itself (no second snapshot to agree on).

The protocol is pickled tuples. To the second process: ``("open", key, format, target,
options)``, ``("write", key, packed, tokens)`` (the record as plain values,
:func:`app.core.records.packed`: a third of the time of pickling the record itself; and the
tokens already found in its text here, :func:`app.core.tokens.known_edges`, so the second
process does not find them again),
``("close", key)``, ``("abort", key)``. From it: one
answer to each ``open`` and ``close`` (``("done", report)``), or ``("failed", what)`` for the
first thing that went wrong, after which it ends. A parent that dies (or ends its input) ends the
second process without finishing any file: the staging folder it wrote into is discarded, as for
any interrupted export.
"""

from __future__ import annotations

import contextlib
import errno as errno_codes
import pickle
import subprocess
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from app.core import errors
from app.core.records import Record, packed, unpacked
from app.core.second_process import end, serve_quietly, start
from app.core.tokens import known_edges, remember_edges
from app.io import registry
from app.io.registry import RecordWriter, WriteOptions, WriteReport

MODULE = "app.io.writer_process"


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
    return RuntimeError(f"the second process writing the training files failed:\n{what[1]}")


def serve(given: IO[bytes] | None = None, answer: IO[bytes] | None = None) -> int:
    """The second process: open, feed and close writers as told (see the module docstring)."""
    given = given or sys.stdin.buffer
    answer = answer or sys.stdout.buffer
    writers: dict[int, RecordWriter] = {}

    def say(message: tuple[Any, ...]) -> None:
        pickle.dump(message, answer, protocol=pickle.HIGHEST_PROTOCOL)
        answer.flush()

    try:
        while True:
            try:
                message = pickle.load(given)
            except EOFError:  # the parent is gone, or done: finish nothing
                break
            kind, key = message[0], message[1]
            if kind == "write":
                record = unpacked(message[2])
                remember_edges(record.document.text, message[3])
                writers[key].write(record)
            elif kind == "open":
                fmt = registry.get(message[2])
                assert fmt.open is not None
                writers[key] = fmt.open(Path(message[3]), message[4])
                say(("done", None))
            elif kind == "close":
                writer = writers.pop(key)
                writer.close()
                say(("done", writer.report))
            else:  # abort
                writers.pop(key).abort()
    except BaseException as exc:  # said to the parent, which raises it
        for writer in writers.values():
            writer.abort()
        with contextlib.suppress(OSError):
            say(("failed", _what(exc)))
        return 1
    for writer in writers.values():
        writer.abort()
    return 0


class WriterProcess:
    """A second process holding writers; :meth:`open` gives a stand-in for each."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdin is not None and process.stdout is not None
        self._process, self._input, self._output = process, process.stdin, process.stdout
        self._keys = 0
        self._open: set[int] = set()

    @classmethod
    def start(cls) -> WriterProcess | None:
        """A second process for writers; None when none can be started (write here)."""
        process = start(MODULE)
        return None if process is None else cls(process)

    def open(self, fmt: str, target: Path, options: WriteOptions) -> RemoteWriter:
        key = self._keys
        self._keys += 1
        self.send(("open", key, fmt, str(target), options))
        self.answer()
        self._open.add(key)
        return RemoteWriter(self, key, WriteReport(str(target)))

    def close(self, key: int) -> WriteReport:
        """Close writer ``key``: its file is complete, and its report comes back. The process
        ends with its last writer."""
        self.send(("close", key))
        report: WriteReport = self.answer()
        self._open.discard(key)
        if not self._open:
            self.stop()
        return report

    def send(self, message: tuple[Any, ...]) -> None:
        try:
            pickle.dump(message, self._input, protocol=pickle.HIGHEST_PROTOCOL)
            if message[0] != "write":
                self._input.flush()
        except (BrokenPipeError, ValueError):  # it ended (ValueError: we closed it)
            raise self._failure() from None

    def answer(self) -> Any:
        try:
            kind, said = pickle.load(self._output)
        except (EOFError, ValueError, pickle.UnpicklingError):
            raise self._failure() from None
        if kind == "failed":
            self.stop()
            raise _rebuilt(said)
        return said

    def _failure(self) -> BaseException:
        """Why the second process ended: what it said, or its exit."""
        try:
            kind, said = pickle.load(self._output)
            if kind == "failed":
                return _rebuilt(said)
        except Exception:
            pass
        code = self.stop()
        return OSError(
            errno_codes.EPIPE,
            f"the second process writing the training files ended unexpectedly (exit {code})",
        )

    def stop(self) -> int:
        """End the second process (at once, if it is still writing); its exit code."""
        return end(self._process, at_once=bool(self._open))

    @property
    def running(self) -> bool:
        return self._process.poll() is None


@dataclass(slots=True)
class RemoteWriter:
    """A writer in a :class:`WriterProcess`, as a :class:`~app.io.registry.RecordWriter`: its
    report is the second process's once it is closed."""

    process: WriterProcess
    key: int
    report: WriteReport = field(default_factory=WriteReport)

    def write(self, record: Record) -> None:
        """Send ``record``, with the tokens this process already found in its text (the
        writers here ran first: :func:`app.core.tokens.known_edges`)."""
        text = record.document.text
        self.process.send(("write", self.key, packed(record), known_edges(text)))

    def close(self) -> None:
        self.report = self.process.close(self.key)

    def abort(self) -> None:
        self.process.stop()


if __name__ == "__main__":
    sys.exit(serve_quietly(serve))
