"""Size limits that keep a wrong or hostile file from exhausting memory."""

from __future__ import annotations

from pathlib import Path

from app.core.errors import InputError

MAX_FILE_BYTES = 200 * 1024 * 1024  # for formats read whole (plain text)
MAX_LINE_BYTES = 20 * 1024 * 1024  # one JSONL/CSV/CoNLL line


def check_file_size(path: Path, limit: int = MAX_FILE_BYTES) -> int:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    if size > limit:
        raise InputError(
            f"file is too large ({size / 2**20:.0f} MiB; the limit is {limit / 2**20:.0f} MiB "
            "for this format); split it or use JSONL",
            path=path,
        )
    return size


def check_line_size(line: bytes, lineno: int) -> None:
    if len(line) > MAX_LINE_BYTES:
        raise InputError(
            f"line is too long ({len(line) / 2**20:.0f} MiB; the limit is "
            f"{MAX_LINE_BYTES / 2**20:.0f} MiB)",
            line=lineno,
        )
