"""Importing files: read records with the format's reader, store them through the core.

Each file is one transaction (:func:`import_paths`), or all files together are
(:func:`import_all_or_nothing`): a bad record names its file and line and changes nothing.
What a reader read but did not import (a rejected Prodigy answer, a cancelled Label Studio
annotation, a brat relation) is counted in the file's result and said in its notices.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.core.domain import SetStatus
from app.core.errors import Cancelled, DatabaseBusy, InputError, TawsimError
from app.core.errors import Conflict as Refused
from app.core.offset_units import OffsetUnit
from app.core.record_rules import MAX_NAME, word_problem
from app.core.records import Record
from app.core.text_intake import file_name
from app.io import registry
from app.io.offsets import in_codepoints
from app.io.registry import Format, LeftOut, ReadOptions
from app.store.core import Tawsim
from app.store.values import Conflict, IngestOptions, IngestReport


@dataclass(frozen=True, slots=True)
class ImportOptions:
    format: str = "auto"
    annotator: str | None = None
    status: SetStatus | None = None
    text_column: str | None = None
    strict_labels: bool = False
    offsets: OffsetUnit | None = None  # force the unit of the files' offsets (else decided)


@dataclass(slots=True)
class FileResult:
    path: Path
    documents_added: int = 0
    documents_duplicate: int = 0
    sets_added: int = 0
    sets_unchanged: int = 0
    spans_added: int = 0
    stances_added: int = 0
    labels_added: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # stored, but not as given (and why)
    # Stored exactly as given although an edge cuts a character: for an annotator to fix.
    kept_as_given: list[str] = field(default_factory=list)
    spans_trimmed: int = 0  # whitespace taken off a span's edges (doccano#1360)
    offsets: str = ""  # the unit the file's offsets counted in (formats from other tools)
    error: TawsimError | None = None
    # Read but never labels (each also said in ``notices``, with why):
    answers_rejected: int = 0  # Prodigy ``answer: reject``: the text only
    answers_ignored: int = 0  # Prodigy ``answer: ignore``: the text only
    annotations_cancelled: int = 0  # Label Studio ``was_cancelled``
    annotations_skipped: int = 0  # not entity spans: Label Studio choices, brat relations...

    def count_left_out(self, left: LeftOut) -> None:
        """Count what the reader left out, and say it in the notices."""
        for (counter, what), n in sorted(left.counts.items()):
            if counter:
                setattr(self, counter, getattr(self, counter) + n)
            self.notices.append(f"{self.path}: {n} {what}")


@dataclass(slots=True)
class ImportSummary:
    files: list[FileResult] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files if f.error is None)

    @property
    def rejected(self) -> list[FileResult]:
        return [f for f in self.files if f.error is not None]

    @property
    def labels_added(self) -> list[str]:
        return sorted({n for f in self.files for n in f.labels_added})


Progress = Callable[[Path, int], None]
"""Called with the file and records done; may raise :class:`Cancelled`, which rolls back the
file being imported (or, with :func:`import_all_or_nothing`, everything)."""

__all__ = ["Cancelled", "ImportOptions", "ImportSummary", "import_all_or_nothing", "import_paths"]


def _paired_texts(files: list[Path]) -> list[Path]:
    """``files`` without the ``.txt`` files whose ``.ann`` (brat) is among them: the brat
    reader reads that text with its annotations; it is not a document of its own too."""
    annotated = {(p.parent, p.stem) for p in files if p.suffix.lower() == ".ann"}
    return [p for p in files if p.suffix.lower() != ".txt" or (p.parent, p.stem) not in annotated]


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named, plus the importable files found (recursively) in folders named; a
    ``.txt`` beside an ``.ann`` of the same name is brat's text, read with the ``.ann``."""
    known = {e for f in registry.import_formats() for e in f.extensions}
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in known
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        elif path.exists():
            out.append(path)
        else:
            raise InputError("no such file or folder", path=path)
    if not out:
        raise InputError(
            f"no importable files found (known types: {', '.join(sorted(known))})",
            path=", ".join(str(p) for p in paths),
        )
    return _paired_texts(out)


def _format_for(path: Path, options: ImportOptions) -> Format:
    return registry.detect(path) if options.format == "auto" else registry.get(options.format)


@dataclass(slots=True)
class Reading:
    """A file being read: its records with code point offsets, the unit its offsets counted
    in ("" for formats whose offsets are Tawsim's own), and what the reading left out (filled
    as the records are consumed)."""

    records: Iterator[Record]
    offsets: str
    left_out: LeftOut


def read_records(path: Path, options: ImportOptions) -> Reading:
    fmt = _format_for(path, options)
    if fmt.read is None:
        raise InputError(f"format {fmt.name!r} cannot be imported", path=path)
    read = fmt.read
    reading = Reading(iter(()), "", LeftOut())

    def records() -> Iterator[Record]:
        # The unit is decided in a first pass over the file: count only the last pass's.
        reading.left_out = LeftOut()
        return read(path, ReadOptions(text_column=options.text_column, left_out=reading.left_out))

    if not fmt.foreign_offsets:
        reading.records = records()
        return reading
    try:
        found, unit, decided = in_codepoints(records, options.offsets)
    except InputError as exc:
        raise exc.located(path) from None
    reading.records = found
    reading.offsets = unit.value if decided else f"{unit.value} (every unit gives the same spans)"
    return reading


def _ingest_options(options: ImportOptions, source: str) -> IngestOptions:
    """The store's options; the annotator named for the import obeys the rules of a name in a
    file (:func:`app.core.record_rules.word_problem`; the store strips its ends)."""
    if options.annotator is not None:
        problem = word_problem(options.annotator.strip(), MAX_NAME)
        if problem:
            raise InputError(f"the annotator name {options.annotator[:40]!r} {problem}")
    return IngestOptions(
        annotator=options.annotator,
        status=options.status,
        strict_labels=options.strict_labels,
        source=source,
    )


def _result(path: Path, report: IngestReport, reading: Reading | None) -> FileResult:
    counts = report.counts(str(path))
    result = FileResult(
        path,
        documents_added=counts.documents_added,
        documents_duplicate=counts.documents_present,
        sets_added=counts.sets_added,
        sets_unchanged=counts.sets_unchanged,
        spans_added=counts.spans_added,
        stances_added=counts.stances_added,
        labels_added=list(report.labels_added),
        conflicts=[c for c in report.conflicts if c.where.startswith(str(path))],
        notices=[n for n in report.notices if n.startswith(str(path))],
        kept_as_given=[k for k in report.kept_as_given if k.startswith(str(path))],
        spans_trimmed=counts.spans_trimmed,
        offsets=reading.offsets if reading else "",
    )
    if reading is not None:
        result.count_left_out(reading.left_out)
    return result


def import_paths(
    core: Tawsim, paths: Iterable[Path], options: ImportOptions, progress: Progress | None = None
) -> ImportSummary:
    """Import each file in its own transaction; a rejected file is reported, not raised."""
    summary = ImportSummary()
    for path in expand_paths(paths):
        summary.files.append(import_file(core, path, options, progress))
    return summary


RACE_ATTEMPTS = 3
"""How often a file is read and stored again when another writer stored the same documents
at the same moment (the database refused this one's copy: the next reading finds them)."""


def import_file(
    core: Tawsim, path: Path, options: ImportOptions, progress: Progress | None = None
) -> FileResult:
    try:
        for attempt in range(RACE_ATTEMPTS):
            try:
                reading = read_records(path, options)
                report = core.ingest(
                    reading.records,
                    _ingest_options(options, file_name(path)),
                    None if progress is None else (lambda n: progress(path, n)),
                )
                break
            except (Refused, DatabaseBusy):
                # Every rule is checked before the database sees a row: a refusal here is
                # another import (or window) that stored the same thing first. Read the file
                # again, as it now is in the database, unless that keeps happening.
                if attempt == RACE_ATTEMPTS - 1:
                    raise
    except InputError as exc:
        return FileResult(path, error=exc.located(path))
    except TawsimError as exc:  # a role or a rule refused the file: say which file (and line)
        said = str(exc)
        return FileResult(
            path, error=type(exc)(said if said.startswith(f"{path}:") else f"{path}: {said}")
        )
    return _result(path, report, reading)


def import_all_or_nothing(
    core: Tawsim, paths: Iterable[Path], options: ImportOptions, progress: Progress | None = None
) -> ImportSummary:
    """Import every file in one transaction: the first bad file (or a cancel) changes nothing.

    Raises the first file's :class:`TawsimError` (located in its file) or :class:`Cancelled`.
    """
    files = expand_paths(paths)
    current = [files[0]]
    readings: dict[Path, Reading] = {}

    def records() -> Iterator[Record]:
        for path in files:
            current[0] = path
            try:
                readings[path] = read_records(path, options)
                yield from readings[path].records
            except InputError as exc:
                raise exc.located(path) from None

    report = core.ingest(
        records(),
        _ingest_options(options, ", ".join(map(file_name, files))),
        None if progress is None else (lambda n: progress(current[0], n)),
    )
    return ImportSummary([_result(path, report, readings.get(path)) for path in files])
