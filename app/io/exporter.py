"""Exporting: records streamed from the core into one writer of the format registry.

The file appears only when complete (:mod:`app.io.output`): a cancel or an error leaves no half
file and keeps a previous one. Training sets (``export DIR --split``) use the same writers,
several at a time (:mod:`app.io.training.dataset_export`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from app.core.domain import Selection
from app.core.errors import InputError
from app.core.offset_units import OffsetUnit
from app.core.records import Record
from app.io import registry
from app.io.formats.jsonl import NativeWriter
from app.io.native_export import write_native_lines
from app.io.registry import RecordWriter, WriteOptions, WriteReport
from app.store.core import Tawsim


@dataclass(frozen=True, slots=True)
class ExportOptions:
    format: str = "jsonl"
    include: Selection = Selection.APPROVED
    split_clitics: bool = False  # token formats: proclitics before the article as tokens
    offsets: OffsetUnit | None = None  # the unit to count offsets in (None: the format's own)


def open_writer(name: str, out: Path | str, options: WriteOptions) -> RecordWriter:
    """The registered writer ``name``, opened on ``out`` (nothing is there until it closes)."""
    fmt = registry.get(name)
    if fmt.open is None:
        raise InputError(f"format {fmt.name!r} cannot be exported")
    if options.offsets is not None and fmt.offsets is None:
        raise InputError(
            f"the {fmt.name} format has no offsets to count in {options.offsets.value}; "
            "leave out --offsets"
        )
    missing = fmt.missing()
    if missing:
        raise InputError(missing)
    return fmt.open(out, replace(options, offsets=options.offsets or fmt.offsets))


def write_records(
    name: str,
    records: Iterable[Record],
    out: Path | str,
    options: WriteOptions = WriteOptions(),  # noqa: B008 — frozen, never changed
    progress: Callable[[int], None] | None = None,
) -> WriteReport:
    """Write ``records`` to ``out`` in format ``name``; all of it or (on any error) nothing."""
    writer = open_writer(name, out, options)
    try:
        for n, record in enumerate(records, start=1):
            writer.write(record)
            if progress is not None:
                progress(n)  # may raise Cancelled
    except BaseException:
        writer.abort()
        raise
    writer.close()
    return writer.report


def vocabulary(
    core: Tawsim, include: Selection
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Entity labels, stance targets and stance values of an export, all known before its
    first record (some writers need them up front: spaCy's ``doc.cats``): the schema's stance
    values first, then any other value the data use."""
    labels, targets = core.labels_and_targets(include)
    values = (*core.schema().stance_values, *core.stance_values_used(include))
    return labels, targets, tuple(dict.fromkeys(values))


def export(
    core: Tawsim,
    out: Path | str,
    options: ExportOptions,
    progress: Callable[[int], None] | None = None,
) -> WriteReport:
    labels, targets, values = vocabulary(core, options.include)
    write_options = WriteOptions(
        offsets=options.offsets,
        split_clitics=options.split_clitics,
        labels=labels,
        stance_values=values,
        stance_targets=targets,
    )
    native = options.format == "jsonl" and options.offsets in (None, OffsetUnit.CODEPOINTS)
    if native and core.renders_native_lines():
        return _write_native_lines(core, out, options.include, write_options, progress)
    return write_records(
        options.format, core.records(options.include), out, write_options, progress
    )


def _write_native_lines(
    core: Tawsim,
    out: Path | str,
    include: Selection,
    options: WriteOptions,
    progress: Callable[[int], None] | None,
) -> WriteReport:
    """The native JSON Lines as the database renders them (the same bytes as its records
    written by the format's writer, several times faster: :mod:`app.io.native_export`)."""
    writer = open_writer("jsonl", out, options)
    assert isinstance(writer, NativeWriter)
    return write_native_lines(core, writer, include, progress)
