"""One registry of file formats: the CLI's ``--format`` choices, the GUI's file filters, and
the files of a training set all come from it.

Readers are functions ``(path, ReadOptions) -> Iterator[Record]``; writers are classes
``(target, WriteOptions) -> RecordWriter`` that take records one at a time and make their file
appear only when closed. Formats register themselves with :func:`reader` and :func:`writer`.
What a reader reads but does not import (a rejected Prodigy answer, a brat relation) it counts
in ``ReadOptions.left_out``, and the import summary says so.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, cast

from app.core.errors import InputError
from app.core.offset_units import OffsetUnit
from app.core.records import Record


class LeftOut:
    """What a reader read but did not turn into documents or labels (a rejected Prodigy answer,
    a cancelled Label Studio annotation, a brat relation), counted for the import summary.

    ``add(counter, what)``: ``counter`` names the :class:`app.io.importer.FileResult` count it
    adds to ("" for none), ``what`` says in words what was left out and why."""

    __slots__ = ("counts",)

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()

    def add(self, counter: str, what: str, n: int = 1) -> None:
        if n:
            self.counts[(counter, what)] += n


@dataclass(frozen=True, slots=True)
class ReadOptions:
    text_column: str | None = None
    left_out: LeftOut = field(default_factory=LeftOut, compare=False)


class Reader(Protocol):
    def __call__(self, path: Path, options: ReadOptions) -> Iterator[Record]: ...


@dataclass(frozen=True, slots=True)
class WriteOptions:
    """What a writer must know before the first record (so that every record, and every
    split of a training set, is written the same way)."""

    split_clitics: bool = False  # proclitics before the article as tokens of their own
    labels: tuple[str, ...] = ()  # entity labels the files must list (Hugging Face labels.json)
    labels_file: bool = True  # token formats: write their tag names beside the file
    offsets: OffsetUnit | None = None  # the unit to count offsets in (None: the format's own)
    stance_values: tuple[str, ...] = ()  # the schema's (spaCy doc.cats)
    stance_targets: tuple[str, ...] = ()  # every target of the export (spaCy doc.cats)


@dataclass(slots=True)
class WriteReport:
    """What went into one file, and what could not (ideally nothing), with why."""

    path: str = ""
    records: int = 0
    spans_in: int = 0  # spans offered to the writer
    spans: int = 0  # spans written
    warnings: list[str] = field(default_factory=list)
    also_written: list[str] = field(default_factory=list)  # files written beside the target


class RecordWriter(Protocol):
    report: WriteReport

    def write(self, record: Record) -> None: ...

    def close(self) -> None:
        """Finish: the file appears (atomically)."""

    def abort(self) -> None:
        """Give up: no file appears, a previous one is left as it was."""


class WriterFactory(Protocol):
    def __call__(self, target: Path | str, options: WriteOptions) -> RecordWriter: ...


@dataclass(slots=True)
class Format:
    name: str
    description: str
    extensions: tuple[str, ...]
    read: Reader | None = None
    open: WriterFactory | None = None
    training_file: str | None = None  # e.g. "{split}.conll": written by ``export --split``
    foreign_offsets: bool = False  # its reader's offsets may count another unit (offsets.py)
    # the unit its writer counts in by default; None: it writes no offsets (--offsets refused)
    offsets: OffsetUnit | None = OffsetUnit.CODEPOINTS
    needs: str | None = None  # a module the writer imports (``spacy``), checked before use
    folder: bool = False  # its writer's target is a folder of files (brat), not a file
    module: str = ""  # where it is defined (the formats' order: BUILTIN_FORMAT_MODULES)

    @property
    def file_filter(self) -> str:
        """A Qt-style file dialog filter, e.g. ``JSON Lines (*.jsonl *.json)``."""
        return f"{self.description} ({' '.join('*' + e for e in self.extensions)})"

    def missing(self) -> str:
        """Why this format cannot be written here ("" when it can). Asks whether the module is
        installed without importing it: spaCy alone would add 70 MB to a training export whose
        spaCy files a second process writes."""
        if self.needs is None:
            return ""
        try:
            found = importlib.util.find_spec(self.needs) is not None
        except (ImportError, ValueError):  # a parent package missing; a module set to None
            found = False
        if not found:
            return (
                f"the {self.name} format needs {self.needs}, which is not installed "
                "(pip install 'tawsim[training]')"
            )
        return ""


_FORMATS: dict[str, Format] = {}
BUILTIN_FORMAT_MODULES = (
    "app.io.formats.plain_text",
    "app.io.formats.jsonl",
    "app.io.formats.prodigy",
    "app.io.formats.label_studio",
    "app.io.formats.brat",
    "app.io.formats.csv_table",
    "app.io.formats.conll",
    "app.io.formats.hf_tokens",
    "app.io.formats.spacy_docbin",
    "app.io.formats.stance_jsonl",
)


def _format(name: str, description: str, extensions: tuple[str, ...]) -> Format:
    fmt = _FORMATS.get(name)
    if fmt is None:
        fmt = _FORMATS[name] = Format(name, description, extensions)
    return fmt


def reader(
    name: str, description: str, extensions: tuple[str, ...], *, foreign_offsets: bool = False
) -> Callable[[Reader], Reader]:
    """Register a reader; ``foreign_offsets``: its files may count offsets in another unit
    than code points, decided per file from evidence (:mod:`app.io.offsets`)."""

    def register(fn: Reader) -> Reader:
        fmt = _format(name, description, extensions)
        fmt.read, fmt.foreign_offsets, fmt.module = fn, foreign_offsets, fn.__module__
        return fn

    return register


def writer(
    name: str,
    description: str,
    extensions: tuple[str, ...],
    *,
    training_file: str | None = None,
    needs: str | None = None,
    offsets: OffsetUnit | None = OffsetUnit.CODEPOINTS,
    folder: bool = False,
) -> Callable[[type], type]:
    """Register a writer class; ``training_file`` puts the format into every training set;
    ``offsets`` is the unit the tool that reads the format counts in (``None``: the format has
    no offsets, and asking for a unit is refused); ``folder``: the writer
    makes a folder of files at its target (a front end asks for a folder, not a file)."""

    def register(cls: type) -> type:
        fmt = _format(name, description, extensions)
        fmt.open = cast(WriterFactory, cls)
        fmt.training_file, fmt.needs, fmt.offsets = training_file, needs, offsets
        fmt.folder, fmt.module = folder, cls.__module__
        return cls

    return register


def _load_builtin_formats() -> None:
    # Importing the modules runs their registration decorators (order = detection order).
    for module in BUILTIN_FORMAT_MODULES:
        importlib.import_module(module)


def formats() -> list[Format]:
    """Every format, in the order of :data:`BUILTIN_FORMAT_MODULES` (whichever was imported
    first), then any other."""
    _load_builtin_formats()
    order = {module: k for k, module in enumerate(BUILTIN_FORMAT_MODULES)}
    return sorted(_FORMATS.values(), key=lambda f: order.get(f.module, len(order)))


def get(name: str) -> Format:
    _load_builtin_formats()
    try:
        return _FORMATS[name]
    except KeyError:
        raise InputError(f"unknown format {name!r}; known: {', '.join(_FORMATS)}") from None


def import_formats() -> list[Format]:
    return [f for f in formats() if f.read is not None]


def export_formats() -> list[Format]:
    return [f for f in formats() if f.open is not None]


def training_formats() -> list[Format]:
    return [f for f in export_formats() if f.training_file is not None]


_CONLL_LINE = re.compile(r"^\S+(?:[ \t]+(?:O|[BIES]-\S+))+$")


def looks_like_conll(path: Path, sample: int = 30) -> bool:
    """Do the first non-blank lines read ``TOKEN TAG [TAG...]`` with BIO tags? Most of them
    (four in five) is enough: a CoNLL file with a bad tag is read as CoNLL, whose reader
    refuses the tag with its line, instead of being imported as prose with its tags inside."""
    try:
        with path.open("rb") as handle:
            lines = []
            for raw in handle:
                text = raw.decode("utf-8", errors="replace").strip()
                if text and not text.startswith("-DOCSTART-"):
                    lines.append(text)
                if len(lines) >= sample:
                    break
    except OSError:
        return False
    matching = sum(bool(_CONLL_LINE.match(ln)) for ln in lines)
    return len(lines) >= 3 and matching * 5 >= len(lines) * 4


def detect(path: Path) -> Format:
    """The import format for a file, from its extension."""
    suffix = path.suffix.lower()
    if suffix == ".txt" and looks_like_conll(path):
        return get("conll")  # ANERcorp and Wojood ship CoNLL as .txt
    for fmt in import_formats():
        if suffix in fmt.extensions:
            return fmt
    known = ", ".join(sorted({e for f in import_formats() for e in f.extensions}))
    raise InputError(f"unknown file type {suffix or '(none)'!r}; known: {known}", path=path)
