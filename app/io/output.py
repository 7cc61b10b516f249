"""Files that appear only when complete: written next to the target, renamed into place.

A cancel, an error or a crash never leaves half a file, and never touches a previous file of
the same name. ``-`` is standard output (text only), written as it goes.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

from app.core.errors import InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class AtomicFile:
    """``stream`` writes to a temporary file that :meth:`commit` renames to ``target``."""

    def __init__(self, target: Path | str, *, binary: bool = False):
        self.target = str(target)
        self._tmp: Path | None = None
        if self.target == "-" and not binary:
            self.stream: IO[Any] = sys.stdout
            return
        path = Path(target)
        if path.is_dir():
            raise InputError("is a folder; give a file name to export to", path=path)
        if not path.parent.exists():
            raise InputError("the folder to export into does not exist", path=path.parent)
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        except OSError as exc:
            raise InputError(f"cannot write here: {exc.strerror}", path=path) from None
        self._tmp = Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # as open() would have made it, not mkstemp's 0600
        if binary:
            self.stream = os.fdopen(fd, "wb")
        else:
            self.stream = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def commit(self) -> None:
        if self._tmp is None:
            self.stream.flush()
            return
        try:
            self.stream.close()
            os.replace(self._tmp, self.target)
        except OSError as exc:
            self.discard()
            raise InputError(f"cannot write the export: {exc.strerror}", path=self.target) from None
        self._tmp = None

    def discard(self) -> None:
        if self._tmp is None:
            return
        self.stream.close()
        self._tmp.unlink(missing_ok=True)
        self._tmp = None


def write_atomically(target: Path, data: bytes | str) -> None:
    """Write a small file whole (labels.json, a dataset card, a DocBin)."""
    out = AtomicFile(target, binary=isinstance(data, bytes))
    try:
        out.stream.write(data)
    except BaseException:
        out.discard()
        raise
    out.commit()
