"""Streaming a file line by line as decoded text, with 1-based line numbers for errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from app.core.errors import InputError
from app.core.text_intake import BOM, decode_utf8
from app.io.limits import check_line_size


def _lines(handle: BinaryIO) -> Iterator[bytes]:
    """The file's lines, ended by LF, CRLF or a lone CR (old Mac files) alike; each line is
    given with its ending written as LF, as stored text has it."""
    for raw in handle:
        if b"\r" not in raw:
            yield raw
            continue
        pieces = raw.replace(b"\r\n", b"\n").split(b"\r")
        for piece in pieces[:-1]:
            yield piece + b"\n"
        if pieces[-1]:
            yield pieces[-1]


def decoded_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, text)`` for each line, its line ending kept (as LF), BOM dropped.

    Undecodable bytes raise :class:`InputError` with the file and line.
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot open file: {exc.strerror}", path=path) from None
    with handle:
        for lineno, raw in enumerate(_lines(handle), start=1):
            try:
                check_line_size(raw, lineno)
                text = decode_utf8(raw)
            except InputError as exc:
                raise InputError(exc.message, path=path, line=lineno) from None
            if lineno == 1 and text.startswith(BOM):
                text = text[1:]
            yield lineno, text
