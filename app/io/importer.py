"""Importing files: read records with the format's reader, store them through the core.

Each file is one transaction (:func:`import_paths`), or all files together are
(:func:`import_all_or_nothing`): a bad record names its file and line and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.core.domain import SetStatus
from app.core.errors import Cancelled, InputError, TawsimError
from app.core.offset_units import OffsetUnit
from app.core.records import Record
from app.io import registry
from app.io.offsets import in_codepoints
from app.io.registry import Format, ReadOptions
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
    offsets: str = ""  # the unit the file's offsets counted in (formats from other tools)
    error: TawsimError | None = None


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


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named, plus the importable files found (recursively) in folders named."""
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
    return out


def _format_for(path: Path, options: ImportOptions) -> Format:
    return registry.detect(path) if options.format == "auto" else registry.get(options.format)


def read_records(path: Path, options: ImportOptions) -> tuple[Iterator[Record], str]:
    """The file's records with code point offsets, and the unit its offsets counted in ("" for
    formats whose offsets are Tawsim's own, computed by the reader)."""
    fmt = _format_for(path, options)
    read = fmt.read
    if read is None:
        raise InputError(f"format {fmt.name!r} cannot be imported", path=path)
    read_options = ReadOptions(text_column=options.text_column)
    if not fmt.foreign_offsets:
        return read(path, read_options), ""
    try:
        records, unit, decided = in_codepoints(lambda: read(path, read_options), options.offsets)
    except InputError as exc:
        raise exc.located(path) from None
    return records, unit.value if decided else f"{unit.value} (every unit gives the same spans)"


def _ingest_options(options: ImportOptions, source: str) -> IngestOptions:
    return IngestOptions(
        annotator=options.annotator,
        status=options.status,
        strict_labels=options.strict_labels,
        source=source,
    )


def _result(path: Path, report: IngestReport, offsets: str = "") -> FileResult:
    counts = report.counts(str(path))
    return FileResult(
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
        offsets=offsets,
    )


def import_paths(
    core: Tawsim, paths: Iterable[Path], options: ImportOptions, progress: Progress | None = None
) -> ImportSummary:
    """Import each file in its own transaction; a rejected file is reported, not raised."""
    summary = ImportSummary()
    for path in expand_paths(paths):
        summary.files.append(import_file(core, path, options, progress))
    return summary


def import_file(
    core: Tawsim, path: Path, options: ImportOptions, progress: Progress | None = None
) -> FileResult:
    try:
        records, offsets = read_records(path, options)
        report = core.ingest(
            records,
            _ingest_options(options, path.name),
            None if progress is None else (lambda n: progress(path, n)),
        )
    except InputError as exc:
        return FileResult(path, error=exc.located(path))
    except TawsimError as exc:  # a role or a rule refused the file: say which file
        return FileResult(path, error=type(exc)(f"{path}: {exc}"))
    return _result(path, report, offsets)


def import_all_or_nothing(
    core: Tawsim, paths: Iterable[Path], options: ImportOptions, progress: Progress | None = None
) -> ImportSummary:
    """Import every file in one transaction: the first bad file (or a cancel) changes nothing.

    Raises the first file's :class:`TawsimError` (located in its file) or :class:`Cancelled`.
    """
    files = expand_paths(paths)
    current = [files[0]]
    units: dict[Path, str] = {}

    def records() -> Iterator[Record]:
        for path in files:
            current[0] = path
            try:
                found, units[path] = read_records(path, options)
                yield from found
            except InputError as exc:
                raise exc.located(path) from None

    report = core.ingest(
        records(),
        _ingest_options(options, ", ".join(p.name for p in files)),
        None if progress is None else (lambda n: progress(current[0], n)),
    )
    return ImportSummary([_result(path, report, units.get(path, "")) for path in files])
