"""One registry of file formats, feeding the CLI's ``--format`` choices and the GUI's file filters.

Readers and writers register themselves with :func:`reader` and :func:`writer`.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TextIO

from app.core.records import Record


@dataclass(frozen=True, slots=True)
class ReadOptions:
    text_column: str | None = None


class Reader(Protocol):
    def __call__(self, path: Path, options: ReadOptions) -> Iterator[Record]: ...


@dataclass(slots=True)
class WriteReport:
    """What a writer could not carry over, for the summary (ideally nothing)."""

    records: int = 0
    spans: int = 0
    warnings: list[str] = field(default_factory=list)


class Writer(Protocol):
    def __call__(self, records: Iterable[Record], out: TextIO, report: WriteReport) -> None: ...


@dataclass(slots=True)
class Format:
    name: str
    description: str
    extensions: tuple[str, ...]
    read: Reader | None = None
    write: Writer | None = None

    @property
    def file_filter(self) -> str:
        """A Qt-style file dialog filter, e.g. ``JSON Lines (*.jsonl *.json)``."""
        return f"{self.description} ({' '.join('*' + e for e in self.extensions)})"


_FORMATS: dict[str, Format] = {}
BUILTIN_FORMAT_MODULES = (
    "app.io.formats.plain_text",
    "app.io.formats.jsonl",
    "app.io.formats.csv_table",
    "app.io.formats.conll",
)


def _format(name: str, description: str, extensions: tuple[str, ...]) -> Format:
    fmt = _FORMATS.get(name)
    if fmt is None:
        fmt = _FORMATS[name] = Format(name, description, extensions)
    return fmt


def reader(name: str, description: str, extensions: tuple[str, ...]) -> Callable[[Reader], Reader]:
    def register(fn: Reader) -> Reader:
        _format(name, description, extensions).read = fn
        return fn

    return register


def writer(name: str, description: str, extensions: tuple[str, ...]) -> Callable[[Writer], Writer]:
    def register(fn: Writer) -> Writer:
        _format(name, description, extensions).write = fn
        return fn

    return register


def _load_builtin_formats() -> None:
    # Importing the modules runs their registration decorators (order = detection order).
    for module in BUILTIN_FORMAT_MODULES:
        importlib.import_module(module)


def formats() -> list[Format]:
    _load_builtin_formats()
    return list(_FORMATS.values())


def get(name: str) -> Format:
    _load_builtin_formats()
    return _FORMATS[name]


def import_formats() -> list[Format]:
    return [f for f in formats() if f.read is not None]


def export_formats() -> list[Format]:
    return [f for f in formats() if f.write is not None]


_CONLL_LINE = re.compile(r"^\S+(?:[ \t]+(?:O|[BIES]-\S+))+$")


def looks_like_conll(path: Path, sample: int = 30) -> bool:
    """Do the first non-blank lines read ``TOKEN TAG [TAG...]`` with BIO tags?"""
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
    return len(lines) >= 3 and sum(bool(_CONLL_LINE.match(ln)) for ln in lines) == len(lines)


def detect(path: Path) -> Format:
    """The import format for a file, from its extension."""
    suffix = path.suffix.lower()
    if suffix == ".txt" and looks_like_conll(path):
        return get("conll")  # ANERcorp and Wojood ship CoNLL as .txt
    for fmt in import_formats():
        if suffix in fmt.extensions:
            return fmt
    from app.core.errors import InputError

    known = ", ".join(sorted({e for f in import_formats() for e in f.extensions}))
    raise InputError(f"unknown file type {suffix or '(none)'!r}; known: {known}", path=path)
