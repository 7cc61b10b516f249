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
from app.core.offset_units import Decision, OffsetUnit
from app.core.record_rules import MAX_NAME, word_problem
from app.core.records import Record
from app.core.text_intake import file_name
from app.io import registry
from app.io.offsets import in_codepoints
from app.io.registry import Format, LeftOut, ReadOptions
from app.io.unit_guess import FileToRead, Guess, Overruled, second_process_from
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
    guess: Guess | None = None  # the unit guessed while a second process decides it


def _offsets_said(unit: OffsetUnit, decided: bool) -> str:
    return unit.value if decided else f"{unit.value} (every unit gives the same spans)"


def read_records(
    path: Path,
    options: ImportOptions,
    decision: Decision | None = None,
    *,
    second_process: bool = False,
) -> Reading:
    """``path``'s records with code point offsets. The unit is ``options.offsets``, else
    ``decision``, else decided from the file: first, or (``second_process``, for a large file)
    by a second process while the records are converted in a guessed unit, which the caller
    must settle (:func:`_stored`)."""
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
    if (
        second_process
        and options.offsets is None
        and decision is None
        and path.stat().st_size >= second_process_from()
    ):
        reading.guess = Guess.start(FileToRead(fmt.name, path, options.text_column), records)
        if reading.guess is not None:
            reading.records = reading.guess.records(records)
            return reading
    try:
        found, unit, decided = in_codepoints(records, options.offsets, decision)
    except InputError as exc:
        raise exc.located(path) from None
    reading.records = found
    reading.offsets = _offsets_said(unit, decided)
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
                readings, report = _stored(core, [path], options, progress)
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
    return _result(path, report, readings.get(path))


@dataclass(slots=True)
class _Attempt:
    """One reading of the files to import into one transaction, each file's records in turn."""

    files: list[Path]
    options: ImportOptions
    known: dict[Path, Decision | None]  # the files decided by a second process already
    current: Path | None = None
    readings: dict[Path, Reading] = field(default_factory=dict)
    guesses: list[tuple[Path, Guess]] = field(default_factory=list)

    def records(self) -> Iterator[Record]:
        for path in self.files:
            self.current = path
            try:
                reading = read_records(
                    path, self.options, self.known.get(path), second_process=path not in self.known
                )
                self.readings[path] = reading
                if reading.guess is not None:
                    self.guesses.append((path, reading.guess))
                yield from reading.records
            except InputError as exc:
                raise exc.located(path) from None

    def told(self, progress: Progress | None) -> Callable[[int], None] | None:
        if progress is None:
            return None
        return lambda n: progress(self.current or self.files[0], n)


def _stored(
    core: Tawsim, files: list[Path], options: ImportOptions, progress: Progress | None
) -> tuple[dict[Path, Reading], IngestReport]:
    """``files`` read and stored in one transaction, each file's records in turn.

    A large file is stored in a guessed unit while a second process decides its unit
    (:mod:`app.io.unit_guess`). Unless every decision confirms its guess, whatever happened on
    the guesses (records stored, a record refused) is rolled back and the files read again, each
    file whose guess was wrong in its decided unit (or refused as its decision says)."""
    source = ", ".join(map(file_name, files))
    known: dict[Path, Decision | None] = {}
    while True:
        attempt = _Attempt(files, options, known)
        try:
            report = core.ingest(
                attempt.records(), _ingest_options(options, source), attempt.told(progress)
            )
        except (Overruled, TawsimError):
            if all(guess.confirmed() for _, guess in attempt.guesses):
                raise
            # Read again with every decision known (None: decided here, the slow way).
            known.update((path, guess.verdict()) for path, guess in attempt.guesses)
            continue
        finally:
            for _, guess in attempt.guesses:
                guess.stop()
        for path, guess in attempt.guesses:
            verdict = guess.verdict()
            assert verdict is not None and verdict.unit is not None  # else Overruled
            attempt.readings[path].offsets = _offsets_said(verdict.unit, verdict.decided)
        return attempt.readings, report


def import_all_or_nothing(
    core: Tawsim, paths: Iterable[Path], options: ImportOptions, progress: Progress | None = None
) -> ImportSummary:
    """Import every file in one transaction: the first bad file (or a cancel) changes nothing.

    Raises the first file's :class:`TawsimError` (located in its file) or :class:`Cancelled`.
    """
    files = expand_paths(paths)
    readings, report = _stored(core, files, options, progress)
    return ImportSummary([_result(path, report, readings.get(path)) for path in files])
