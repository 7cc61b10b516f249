"""Exporting annotation sets, streamed from the database to a file written atomically."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from app.core.domain import Selection
from app.core.errors import InputError
from app.core.records import Record
from app.io import registry
from app.io.registry import WriteReport
from app.store.core import Tawsim

Include = Selection  # the ``--include`` choice: one meaning everywhere (see Selection)


@dataclass(frozen=True, slots=True)
class ExportOptions:
    format: str = "jsonl"
    include: Selection = Selection.APPROVED


@contextmanager
def atomic_output(out: Path | str) -> Iterator[TextIO]:
    """A text stream that becomes ``out`` only when the block finishes without error."""
    if str(out) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    path = Path(out)
    if path.is_dir():
        raise InputError("is a folder; give a file name to export to", path=path)
    if not path.parent.exists():
        raise InputError("the folder to export into does not exist", path=path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror}", path=path) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write the export: {exc.strerror}", path=path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export(
    core: Tawsim,
    out: Path | str,
    options: ExportOptions,
    progress: Callable[[int], None] | None = None,
) -> WriteReport:
    fmt = registry.get(options.format)
    if fmt.write is None:
        raise InputError(f"format {fmt.name!r} cannot be exported")
    report = WriteReport()

    def counted() -> Iterator[Record]:
        for n, record in enumerate(core.records(options.include), start=1):
            yield record
            if progress is not None:
                progress(n)

    with atomic_output(out) as handle:
        fmt.write(counted(), handle, report)
    return report
