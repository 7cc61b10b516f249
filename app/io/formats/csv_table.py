"""CSV tables: one document per row, text in the ``text`` column unless ``--text-column``."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from app.core.errors import InputError
from app.core.records import DocumentData, Record
from app.core.text_intake import file_name
from app.io.line_reader import decoded_lines
from app.io.registry import ReadOptions, reader

_FIELD_LIMIT = 20 * 1024 * 1024


@reader("csv", "CSV table", (".csv", ".tsv"))
def read_csv(path: Path, options: ReadOptions) -> Iterator[Record]:
    csv.field_size_limit(_FIELD_LIMIT)
    lines = decoded_lines(path)
    current = [0]

    def numbered() -> Iterator[str]:
        for lineno, text in lines:
            current[0] = lineno
            yield text

    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    rows = csv.reader(numbered(), delimiter=delimiter, strict=True)
    try:
        header = next(rows, None)
        if header is None or not any(h.strip() for h in header):
            raise InputError("file is empty (no header row)", path=path, line=1)
        header = [h.strip() for h in header]
        twice = sorted({h for h in header if header.count(h) > 1})
        if twice:
            raise InputError(
                f"the header names {', '.join(map(repr, twice))} more than once (which column "
                "is meant?); rename one",
                path=path,
                line=1,
            )
        column = options.text_column or "text"
        if column not in header:
            raise InputError(
                f"no column {column!r}; the columns are: {', '.join(header)} "
                "(choose one with --text-column)",
                path=path,
                line=1,
            )
        found = False
        while True:
            row_line = current[0] + 1
            row = next(rows, None)
            if row is None:
                break
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise InputError(
                    f"row has {len(row)} columns but the header has {len(header)}",
                    path=path,
                    line=row_line,
                )
            cells = dict(zip(header, row, strict=True))
            text = cells.pop(column)
            if not text.strip():
                raise InputError(f"column {column!r} is empty", path=path, line=row_line)
            found = True
            title = cells.pop("title", "")
            source = cells.pop("source", "") or file_name(path)
            document = DocumentData(text, title=title, source=source, meta=cells)
            yield Record(document, origin=str(path), line=row_line)
    except csv.Error as exc:
        raise InputError(f"not valid CSV: {exc}", path=path, line=current[0]) from None
    if not found:
        raise InputError("file has a header but no rows", path=path)
