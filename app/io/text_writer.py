"""The base of every writer to a text file (one ``write_record`` per format)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, TextIO, cast

import numpy

from app.core.records import Record
from app.core.token_batch import TokenBatch
from app.core.tokens import is_pretokenized
from app.io.output import AtomicFile, copy_file
from app.io.registry import WriteOptions, WriteReport


class TextWriter:
    """Records into a text file that appears when :meth:`close` is called."""

    def __init__(self, target: Path | str, options: WriteOptions):
        self.options = options
        self.report = WriteReport(str(target))
        self._file = AtomicFile(target)
        self.out = cast(TextIO, self._file.stream)

    @property
    def target(self) -> Path | None:
        """The file this writer makes (None: standard output)."""
        return None if self.report.path == "-" else Path(self.report.path)

    def restart(self) -> None:
        """Drop everything written so far: the file is empty again, the report new."""
        self._file.discard()
        self.report = WriteReport(self.report.path)
        self._file = AtomicFile(self.report.path)
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

    # -- a file written by two processes (app.io.training.dataset_export) --------------------

    def close_part(self) -> dict[str, Any]:
        """Close a file that is the second part of another (no last lines): what
        :meth:`finish` would read of this part (:meth:`absorb` takes it in the first)."""
        self._file.commit()
        return self.part_state()

    def part_state(self) -> dict[str, Any]:
        """What :meth:`finish` reads beyond the report (none by default)."""
        return {}

    def absorb(self, part: Path, report: WriteReport, state: dict[str, Any]) -> None:
        """The file ``part`` (written by :meth:`close_part` elsewhere, with its ``report``
        and ``state``) after what this writer wrote."""
        self.flush_pending()
        self.out.flush()
        with part.open("rb") as given:
            copy_file(given, self.out.buffer)
        absorb_report(self.report, report)
        self.absorb_state(state)

    def absorb_state(self, state: dict[str, Any]) -> None:
        """Take in another part's :meth:`part_state`."""

    def flush_pending(self) -> None:
        """Write what waits for a batch (nothing by default)."""


def absorb_report(report: WriteReport, part: WriteReport) -> None:
    """``part``'s counts and warnings added to ``report`` (its records came after)."""
    report.records += part.records
    report.spans_in += part.spans_in
    report.spans += part.spans
    report.warnings.extend(part.warnings)


class BatchedTextWriter(TextWriter):
    """A token format's writer: records wait until :data:`BATCH` of them are in, then the
    plain ones are tokenized and written together (:class:`app.core.token_batch.TokenBatch`,
    :meth:`render`), every other one by :meth:`write_one`, in the order they came. All of it
    goes to the file's bytes (:meth:`write_bytes`), so nothing is reordered."""

    BATCH = 128
    """Records tokenized and rendered together: a batch's arrays (several numbers for every
    token) stay a few megabytes."""

    def __init__(self, target: Path | str, options: WriteOptions):
        super().__init__(target, options)
        self._pending: list[Record] = []

    def write(self, record: Record) -> None:
        self._pending.append(record)
        if len(self._pending) >= self.BATCH:
            self._write_pending()

    def write_one(self, record: Record) -> None:
        """Write one record on its own (what the batch does not take)."""
        raise NotImplementedError

    def takes(self, batch: TokenBatch, records: list[Record]) -> Any:
        """Which of ``batch``'s documents (``records``: the record of each) this format writes
        in bulk, among those the batch took (bools): by default, those with an annotation."""
        return batch.taken & numpy.array([r.annotation is not None for r in records], dtype=bool)

    def render(self, batch: TokenBatch, docs: Any, records: list[Record]) -> tuple[bytes, Any]:
        """The bytes of ``batch``'s documents ``docs`` (their ``records``), one after the
        other, and where each one's end; counts them in the report."""
        raise NotImplementedError

    def write_bytes(self, data: bytes | memoryview) -> None:
        buffer = getattr(self.out, "buffer", None)
        if buffer is None:  # a text stream without bytes (a test's capture)
            self.out.write(bytes(data).decode("utf-8"))
        else:
            buffer.write(data)

    def _write_pending(self) -> None:
        records, self._pending = self._pending, []
        if not records:
            return
        bulk: dict[int, int] = {}  # record index -> its place among the rendered documents
        data: bytes = b""
        ends: Any = None
        if not self.options.split_clitics:
            batch, place = shared_batch(records)
            docs = numpy.flatnonzero(self.takes(batch, [records[k] for k in place]))
            if len(docs):
                taken = [records[place[d]] for d in docs.tolist()]
                data, ends = self.render(batch, docs, taken)
                bulk = {place[d]: i for i, d in enumerate(docs.tolist())}
        view = memoryview(data)
        run_start = run_end = 0  # a run of rendered documents not written yet
        for k, record in enumerate(records):
            i = bulk.get(k)
            if i is not None:
                start = int(ends[i - 1]) if i else 0
                if start != run_end:
                    self.write_bytes(view[run_start:run_end])
                    run_start = start
                run_end = int(ends[i])
                continue
            if run_end > run_start:
                self.write_bytes(view[run_start:run_end])
            run_start = run_end
            self.write_one(record)
        if run_end > run_start:
            self.write_bytes(view[run_start:run_end])

    def flush_pending(self) -> None:
        self._write_pending()

    def close(self) -> None:
        self._write_pending()
        super().close()

    def close_part(self) -> dict[str, Any]:
        self._write_pending()
        return super().close_part()

    def abort(self) -> None:
        self._pending = []
        super().abort()


_SHARED: list[Any] = []
"""The last batch tokenized, with its records (the CoNLL and Hugging Face writers of a split
are given the same records: one tokenization for both)."""
_SHARED_LOCK = threading.Lock()  # a GUI export writes on a worker thread


def shared_batch(records: list[Record]) -> tuple[TokenBatch, list[int]]:
    """The :class:`TokenBatch` of ``records``' documents that are not a token file's tokens,
    and which record each of its documents is."""
    key = tuple(map(id, records))
    with _SHARED_LOCK:
        if _SHARED and _SHARED[0] == key:
            return _SHARED[2], _SHARED[3]
    place = [k for k, r in enumerate(records) if not is_pretokenized(r.document.meta)]
    chosen = [records[k] for k in place]
    batch = TokenBatch(
        [r.document.text for r in chosen],
        [None if r.annotation is None else r.annotation.spans for r in chosen],
    )
    with _SHARED_LOCK:
        _SHARED[:] = [key, records, batch, place]  # the records kept: their ids stay theirs
    return batch, place
