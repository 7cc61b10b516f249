"""Writing and reading ``.tawsim`` zips safely.

Writing goes to a temporary file renamed into place only when complete. Reading never
extracts anything to disk: members are streamed from the zip, every name must be one the format
knows, sizes are bounded, and every entry's size and SHA-256 must match the manifest before a
record is used (and are checked again while the records are read).
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from app.core import json_text
from app.core.errors import InputError
from app.io.output import part_file
from app.io.pack_format import (
    DATA_ENTRIES,
    MANIFEST,
    EntryInfo,
    Manifest,
    check_entry_name,
)

MAX_ENTRY_BYTES = 1 << 30  # uncompressed size of one entry
MAX_MANIFEST_BYTES = 1 << 20
MAX_LINE_BYTES = 64 << 20  # one record; a document of 5M characters fits with room to spare
MAX_RATIO = 100  # uncompressed / compressed, checked for entries larger than RATIO_FLOOR
RATIO_FLOOR = 1 << 20
ZIP_MAGIC = b"PK\x03\x04"


# -- writing -------------------------------------------------------------------------------


class EntryWriter:
    """One zip entry being written as JSON Lines, hashed and measured as it goes."""

    def __init__(self, name: str, stream: IO[bytes]):
        self.name, self._stream = name, stream
        self.sha = hashlib.sha256()
        self.size = 0

    def write_json_line(self, obj: dict[str, Any]) -> None:
        data = json_text.dumps_line(obj)
        self.size += len(data)
        if self.size > MAX_ENTRY_BYTES:
            raise InputError(
                f"the pack's {self.name} would exceed {MAX_ENTRY_BYTES >> 20} MiB, more than a "
                "pack may hold; pack fewer sets (one annotator, or fewer statuses)"
            )
        self.sha.update(data)
        self._stream.write(data)


class PackWriter:
    """A zip written to a temporary file next to ``out`` and renamed to ``out`` on success."""

    def __init__(self, out: Path, created: datetime):
        if out.is_dir():
            raise InputError("is a folder; give a file name for the pack", path=out)
        if not out.parent.exists():
            raise InputError("the folder to write the pack into does not exist", path=out.parent)
        self.out = out
        self.entries: dict[str, EntryInfo] = {}
        self._date = (created.year, created.month, created.day, created.hour, created.minute, 0)
        try:
            fd, self._tmp = part_file(out)
        except OSError as exc:
            raise InputError(f"cannot write here: {exc.strerror}", path=out) from None
        self._file = os.fdopen(fd, "wb")
        self._zip = zipfile.ZipFile(self._file, "w", compression=zipfile.ZIP_DEFLATED)

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self._date)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    @contextmanager
    def entry(self, name: str) -> Iterator[EntryWriter]:
        # force_zip64: the whole zip may pass 2 GiB even though each entry is bounded.
        with self._zip.open(self._info(name), "w", force_zip64=True) as stream:
            writer = EntryWriter(name, stream)
            yield writer
        self.entries[name] = EntryInfo(writer.sha.hexdigest(), writer.size)

    def write_manifest(self, manifest: Manifest) -> None:
        data = json.dumps(manifest.to_json(), ensure_ascii=False, indent=2).encode("utf-8")
        self._zip.writestr(self._info(MANIFEST), data)

    def __enter__(self) -> PackWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> None:
        try:
            try:
                self._zip.close()
                self._file.flush()
                os.fsync(self._file.fileno())
            finally:
                self._file.close()
            if kind is None:
                os.replace(self._tmp, self.out)
        except OSError as error:
            exc = exc or error
        if exc is not None:
            self._tmp.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise InputError(f"cannot write the pack: {exc.strerror}", path=self.out) from None


# -- reading -------------------------------------------------------------------------------


class PackReader:
    """An open pack, verified on entry; read its records with :meth:`records`."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> PackReader:
        self._zip = _open_zip(self.path)
        try:
            self.manifest = self._verify()
        except BaseException:
            self._zip.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._zip.close()

    def _verify(self) -> Manifest:
        infos = self._zip.infolist()
        names = [i.filename for i in infos]
        for info in infos:
            check_entry_name(info.filename)
            if info.is_dir() or info.flag_bits & 0x1:
                raise InputError(f"not a Tawsim pack: entry {info.filename} is not a plain file")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise InputError(
                    f"not a Tawsim pack: entry {info.filename} uses an odd compression"
                )
        if len(set(names)) != len(names):
            raise InputError("damaged: the zip holds the same entry twice")
        if MANIFEST not in names:
            raise InputError("not a Tawsim pack (it has no manifest.json)")
        manifest = Manifest.from_json(self._manifest_json())
        for name in sorted({*names, *manifest.entries} - {MANIFEST}):
            if name not in DATA_ENTRIES or name not in manifest.entries:
                raise InputError(f"not a Tawsim pack: unexpected entry {name}")
        for name in DATA_ENTRIES:
            if name not in manifest.entries:
                raise InputError(f"damaged: manifest.json does not list {name}")
            if name not in names:
                raise InputError(f"damaged: entry {name} is missing")
            _check_size(self._zip.getinfo(name), manifest.entries[name])
        for name in DATA_ENTRIES:
            for _ in self._lines(name, manifest.entries[name]):
                pass
        return manifest

    def _manifest_json(self) -> object:
        info = self._zip.getinfo(MANIFEST)
        too_large = InputError("not a Tawsim pack (its manifest.json is far too large)")
        if info.file_size > MAX_MANIFEST_BYTES:
            raise too_large
        try:
            with self._zip.open(info) as stream:
                data = stream.read(MAX_MANIFEST_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise InputError(f"damaged: entry {MANIFEST} cannot be read ({exc})") from None
        if len(data) > MAX_MANIFEST_BYTES:
            raise too_large
        try:
            return json_text.loads_incoming(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, InputError):
            raise InputError("not a Tawsim pack (its manifest.json is not JSON)") from None

    def _lines(self, name: str, expected: EntryInfo) -> Iterator[bytes]:
        """The entry's lines, streamed; raises unless its size and SHA-256 are as expected."""
        sha, size = hashlib.sha256(), 0
        try:
            with self._zip.open(name) as stream:
                while line := stream.readline(MAX_LINE_BYTES + 1):
                    size += len(line)
                    if size > expected.size:
                        raise InputError(f"damaged: entry {name} is longer than the manifest says")
                    if len(line) > MAX_LINE_BYTES:
                        raise InputError(f"refused: {name} holds a record over 64 MiB")
                    sha.update(line)
                    yield line
        except zipfile.BadZipFile as exc:
            detail = "checksum mismatch (CRC-32)" if "CRC" in str(exc) else f"is corrupt ({exc})"
            raise InputError(f"damaged: entry {name} {detail}") from None
        except (zlib.error, EOFError, OSError) as exc:
            raise InputError(f"damaged: entry {name} is corrupt ({exc})") from None
        if size != expected.size or sha.hexdigest() != expected.sha256:
            raise InputError(f"damaged: entry {name} checksum mismatch")

    def records(self, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
        """``(line number, object)`` for each record of a data entry, re-verified as read."""
        for lineno, line in enumerate(self._lines(name, self.manifest.entries[name]), start=1):
            try:
                obj = json_text.loads_incoming(line.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise InputError(f"damaged: {name} line {lineno} is not JSON") from None
            except InputError as exc:
                raise InputError(f"refused: {name} line {lineno}: {exc.message}") from None
            if not isinstance(obj, dict):
                raise InputError(f"damaged: {name} line {lineno} is not a JSON object")
            yield lineno, obj


def _check_size(info: zipfile.ZipInfo, expected: EntryInfo) -> None:
    name = info.filename
    if max(expected.size, info.file_size) > MAX_ENTRY_BYTES:
        raise InputError(
            f"refused: entry {name} would unpack to more than {MAX_ENTRY_BYTES >> 20} MiB"
        )
    if info.file_size != expected.size:
        raise InputError(f"damaged: entry {name} size differs from the manifest")
    if expected.size > RATIO_FLOOR and expected.size > MAX_RATIO * max(info.compress_size, 1):
        raise InputError(
            f"refused: entry {name} is compressed more than {MAX_RATIO}:1 (a compression bomb?)"
        )


def _open_zip(path: Path) -> zipfile.ZipFile:
    if not path.is_file():
        raise InputError("no such file" if not path.exists() else "not a file", path=path)
    try:
        return zipfile.ZipFile(path, "r")
    except zipfile.BadZipFile:
        with path.open("rb") as handle:
            if handle.read(len(ZIP_MAGIC)) == ZIP_MAGIC:
                raise InputError("damaged: the zip file is truncated or corrupt") from None
        raise InputError("not a Tawsim pack (it is not a zip file)") from None
    except OSError as exc:
        raise InputError(f"cannot read the pack: {exc.strerror}", path=path) from None
