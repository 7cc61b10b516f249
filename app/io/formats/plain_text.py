"""Plain ``.txt`` files: one document each; its first non-empty line is the title."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from app.core.errors import InputError
from app.core.records import DocumentData, Record
from app.core.text_intake import decode_utf8, file_name
from app.io.limits import check_file_size
from app.io.registry import ReadOptions, reader


@reader("txt", "Plain text", (".txt",))
def read_plain_text(path: Path, options: ReadOptions) -> Iterator[Record]:
    check_file_size(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    try:
        text = decode_utf8(data)
    except InputError as exc:
        raise exc.located(path) from None
    if not text.strip("\ufeff \t\r\n"):
        raise InputError("file is empty", path=path)
    yield Record(DocumentData(text, source=file_name(path)), origin=str(path), line=1)
