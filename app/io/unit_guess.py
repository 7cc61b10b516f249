"""A large file's offset unit decided on the second core while the first stores the file.

Which unit a file's offsets count is decided from the whole file
(:func:`app.core.offset_units.decide`), so without help an import reads a file twice: once to
decide, once to convert and store, and the first reading is a third of the import. For a large
file, a second process makes that decision while this one converts and stores the records in the
unit its first records point to (the *guess*), inside the import's one transaction. Nothing is
committed on a guess:

- when the records run out, the import waits for the second process; if its decision is not the
  guess (another unit, or the file refused), :class:`Overruled` is raised from the records, the
  transaction rolls back, and the importer reads the file again in the decided unit (or refuses
  it with the decision's own message), exactly as the import would have without a second process;
- when a record is refused before that, the importer also waits: a refusal on a wrong guess is
  not the user's error, so it reads again in the decided unit instead;
- a second process that fails (a bad line, no process could be started, it died) decides
  nothing: the importer then decides here, the slow way, which raises what the import always did.

The second process (:mod:`app.core.second_process`) reads what to decide as JSON on its standard
input and writes the decision as JSON on its standard output. ``TAWSIM_SECOND_PROCESS_FROM_BYTES``
overrides the file size from which a second process is started (the tests and the bundle's smoke
test set it to 0).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any

from app.core.offset_units import Decision, OffsetUnit, decide
from app.core.records import Record
from app.core.second_process import end, serve_quietly, start, threshold
from app.io.offsets import samples, to_codepoints
from app.io.registry import LeftOut, ReadOptions

SECOND_PROCESS_FROM_BYTES = 32 * 2**20
"""Smaller files are decided here first: starting a process (a few tenths of a second) would cost
more than it saves."""
GUESS_RECORDS = 1000
"""How many records the guess is made from."""


def second_process_from() -> int:
    return threshold("TAWSIM_SECOND_PROCESS_FROM_BYTES", SECOND_PROCESS_FROM_BYTES)


@dataclass(frozen=True, slots=True)
class FileToRead:
    """What the second process needs to read the file as the importer does."""

    format: str
    path: Path
    text_column: str | None

    def as_json(self) -> bytes:
        return json.dumps(
            {"format": self.format, "path": str(self.path), "text_column": self.text_column}
        ).encode()


def serve(given: IO[bytes] | None = None, answer: IO[bytes] | None = None) -> int:
    """The second process: read a :class:`FileToRead`, decide its unit, write the decision
    (``null`` if the file could not be read to its end: the importer says why)."""
    given = given or sys.stdin.buffer
    answer = answer or sys.stdout.buffer
    out: dict[str, Any] | None
    try:
        from app.io import registry

        asked = json.loads(given.read())
        fmt = registry.get(asked["format"])
        assert fmt.read is not None
        options = ReadOptions(text_column=asked["text_column"], left_out=LeftOut())
        decision = decide(samples(fmt.read(Path(asked["path"]), options)))
        out = {
            "unit": decision.unit.value if decision.unit else None,
            "decided": decision.decided,
            "why": decision.why,
            "candidates": [u.value for u in decision.candidates],
        }
    except Exception:
        out = None
    answer.write(json.dumps(out).encode())
    answer.flush()
    return 0


def _decision(said: bytes) -> Decision | None:
    try:
        got = json.loads(said)
        if got is None:
            return None
        return Decision(
            OffsetUnit(got["unit"]) if got["unit"] else None,
            bool(got["decided"]),
            str(got["why"]),
            tuple(OffsetUnit(u) for u in got["candidates"]),
        )
    except (ValueError, KeyError, TypeError):  # it died, or said something else
        return None


class Overruled(Exception):
    """The second process did not confirm the guess: what was stored on it must roll back."""


@dataclass(slots=True)
class Guess:
    """Records converted in a guessed unit while a second process decides the file's unit."""

    unit: OffsetUnit
    _process: subprocess.Popen[bytes]
    _verdict: list[Decision | None] = field(default_factory=list)

    @classmethod
    def start(cls, file: FileToRead, read: Callable[[], Iterator[Record]]) -> Guess | None:
        """A guess from the first records and the second process deciding the whole file, or
        None when there is nothing to guess from (the first records leave the unit open, or a
        first record is bad: deciding here says so) or no process can be started."""
        try:
            first = decide(samples(islice(read(), GUESS_RECORDS)))
        except Exception:
            return None
        if first.unit is None:
            return None
        process = start("app.io.unit_guess")
        if process is None:
            return None
        assert process.stdin is not None
        try:
            process.stdin.write(file.as_json())
            process.stdin.close()
        except OSError:  # it died at once: it decides nothing
            pass
        return cls(first.unit, process)

    def verdict(self) -> Decision | None:
        """The second process's decision (waited for), or None if it decided nothing."""
        if not self._verdict:
            assert self._process.stdout is not None
            try:
                said = self._process.stdout.read()
            except OSError:
                said = b""
            self._verdict.append(_decision(said))
            self.stop()
        return self._verdict[0]

    def confirmed(self) -> bool:
        verdict = self.verdict()
        return verdict is not None and verdict.unit is self.unit

    def records(self, read: Callable[[], Iterator[Record]]) -> Iterator[Record]:
        """``read()``'s records in the guessed unit; at their end, :class:`Overruled` unless the
        second process decided the same unit."""
        for record in read():
            yield to_codepoints(record, self.unit)
        if not self.confirmed():
            raise Overruled

    @property
    def running(self) -> bool:
        return self._process.poll() is None

    def stop(self) -> None:
        """End the second process (at once, if it is still reading)."""
        end(self._process, at_once=True)


if __name__ == "__main__":
    sys.exit(serve_quietly(serve))
