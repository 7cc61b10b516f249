"""The base of every writer to a text file (one ``write_record`` per format)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO, cast

from app.core.records import Record
from app.io.output import AtomicFile
from app.io.registry import WriteOptions, WriteReport


class TextWriter:
    """Records into a text file that appears when :meth:`close` is called."""

    def __init__(self, target: Path | str, options: WriteOptions):
        self.options = options
        self.report = WriteReport(str(target))
        self._file = AtomicFile(target)
        self.out = cast(TextIO, self._file.stream)

    def write(self, record: Record) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Last lines, before the file appears (none by default)."""

    def close(self) -> None:
        self.finish()
        self._file.commit()

    def abort(self) -> None:
        self._file.discard()
