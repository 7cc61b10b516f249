"""How raw input becomes a document's stored text, and how offsets follow it.

Stored text is the input after UTF-8 decoding, removal of a leading BOM and newline
normalization (CRLF and lone CR become LF). Nothing else ever changes it: no reshaping, no
Unicode normalization. Offsets given against the raw input are moved with :class:`OffsetShift`.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import PurePath

from app.core.errors import InputError

BOM = "\ufeff"
MAX_DOCUMENT_CHARS = 5_000_000


def decode_utf8(data: bytes) -> str:
    """Decode bytes strictly; a bad byte is reported with its line and column."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at column {column}); "
            "save the file as UTF-8 and try again",
            line=line,
        ) from None


def file_name(path: PurePath) -> str:
    """``path``'s name as text that can be stored (a document's source, the audit log): bytes
    of a name that are not UTF-8 (a file from another system, which Python holds as lone
    surrogates) become U+FFFD."""
    return os.fsencode(path.name).decode("utf-8", "replace")


@dataclass(frozen=True, slots=True)
class OffsetShift:
    """Maps offsets in the raw text to offsets in the stored text.

    ``removed`` lists raw indices of characters that were dropped (a BOM, the ``\\r`` of a CRLF);
    a raw offset moves left by the number of removed characters before it.
    """

    removed: tuple[int, ...] = ()

    def __call__(self, raw_offset: int) -> int:
        return raw_offset - bisect_right(self.removed, raw_offset - 1)

    @property
    def is_identity(self) -> bool:
        return not self.removed


def normalize_text(raw: str) -> tuple[str, OffsetShift]:
    """Strip a leading BOM and turn CRLF / CR into LF, returning the offset shift."""
    if not raw.startswith(BOM) and "\r" not in raw:
        return raw, OffsetShift()
    removed: list[int] = []
    if raw.startswith(BOM):
        removed.append(0)
    parts: list[str] = []
    start = len(removed)
    i = raw.find("\r", start)
    while i != -1:
        parts.append(raw[start:i])
        if raw.startswith("\r\n", i):
            removed.append(i)
            start = i + 1
        else:
            parts.append("\n")
            start = i + 1
        i = raw.find("\r", start)
    parts.append(raw[start:])
    return "".join(parts), OffsetShift(tuple(removed))


def check_document_size(text: str) -> None:
    if len(text) > MAX_DOCUMENT_CHARS:
        raise InputError(
            f"document is too large ({len(text):,} characters; the limit is {MAX_DOCUMENT_CHARS:,})"
        )
