"""``tawsim export FILE.jsonl``: the native JSON Lines as the database renders them.

A SQLite database renders each line itself (:meth:`app.store.core.Tawsim.native_lines`: the
bytes the format's writer would write for the record, several times faster). From
:data:`SECOND_PROCESS_FROM_RECORDS` records on, a second process (:mod:`app.io.writer_process`)
renders the last documents (:data:`SECOND_PROCESS_SHARE` of them) into a file beside the
target while this one renders the others, and its file is then appended to this one's. The two
read in transactions of their own: a :class:`~app.store.database.ChangeProbe` made before the
first read and asked after the last says whether anything was committed meanwhile; if so, the
parts may not be of the same data, and the export is rendered again in this process alone (one
transaction). The target appears only when complete, as with every writer.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable

from app.core.domain import Selection
from app.core.second_process import threshold
from app.io.formats.jsonl import NativeWriter
from app.io.output import part_file
from app.io.registry import WriteReport
from app.io.writer_process import WriterProcess
from app.store.core import Tawsim

SECOND_PROCESS_FROM_RECORDS = 20_000
"""From this many records, a second process renders some of them (below, starting it costs
more than it saves). ``TAWSIM_SECOND_PROCESS_FROM_DOCUMENTS`` overrides it."""

SECOND_PROCESS_SHARE = 0.45
"""The part of the records the second process renders (it starts later than this one)."""

Progress = Callable[[int], None]


def write_native_lines(
    core: Tawsim,
    writer: NativeWriter,
    include: Selection,
    progress: Progress | None = None,
) -> WriteReport:
    """Every record ``include`` takes into ``writer`` (opened on the target, code points),
    as the database renders them; closes the writer (aborts it on any error)."""
    try:
        if not _in_two_processes(core, writer, include, progress):
            _render(core, writer, include, (None, None), progress)
    except BaseException:
        writer.abort()
        raise
    writer.close()
    return writer.report


def _render(
    core: Tawsim,
    writer: NativeWriter,
    include: Selection,
    within: tuple[int | None, int | None],
    progress: Progress | None,
    also_done: Callable[[], int] = lambda: 0,
) -> None:
    for lines in core.native_lines(include, within=within):
        writer.write_lines(lines)
        if progress is not None:
            progress(writer.report.records + also_done())  # may raise Cancelled


def _in_two_processes(
    core: Tawsim, writer: NativeWriter, include: Selection, progress: Progress | None
) -> bool:
    """The export in two halves, one rendered by a second process (see the module
    docstring); False when it was not made so (too small, not a file, no second process, or
    the data changed meanwhile: then nothing was written yet)."""
    target = writer.target
    probe = core.db.change_probe()
    if target is None or probe is None:
        return False
    process = None
    try:
        if core.count_records(include) < threshold(
            "TAWSIM_SECOND_PROCESS_FROM_DOCUMENTS", SECOND_PROCESS_FROM_RECORDS
        ):
            return False
        process = WriterProcess.start()  # starts up while this process finds the middle
        middle = core.native_middle(include, SECOND_PROCESS_SHARE)
        if process is None or middle is None:
            return False
        fd, part = part_file(target)
        os.close(fd)
        try:
            process.call(
                "app.io.writer_process:render_lines",
                *(core.db.url, core.actor_name, include.value, None, (middle, None), str(part)),
            )
            _render(core, writer, include, (None, middle), progress, process.poll_progress)
            records, spans = process.result()
            if probe.changed():  # the halves may be of different data: one process, again
                writer.restart()
                return False
            writer.append_lines_file(part, records, spans)
            if progress is not None:
                progress(writer.report.records)
        finally:
            with contextlib.suppress(OSError):
                part.unlink()
        return True
    finally:
        if process is not None:
            process.stop()
        probe.close()
