"""Files and folders that appear only when complete: written next to the target, renamed
into place.

A cancel, an error or a crash never leaves half a file, and never touches a previous file of
the same name. ``-`` is standard output (text only), written as it goes. A folder
(:class:`AtomicFolder`, a training set) is written beside its target and swapped with it in
one step, so a kill at any moment leaves the previous folder or the complete new one.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import glob
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

from app.core.errors import InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


PART_SUFFIX = ".part"


def part_file(target: Path) -> tuple[int, Path]:
    """A new hidden file beside ``target`` to write it in (``.NAME.PID.XXXX.part``), open (its
    descriptor and path): named for this process, so that what a killed run leaves is removed
    by the next write of ``target`` (:func:`remove_dead_parts`)."""
    remove_dead_parts(target)
    fd, name = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}.", suffix=PART_SUFFIX, dir=target.parent
    )
    return fd, Path(name)


def part_folder(target: Path, suffix: str = PART_SUFFIX) -> Path:
    """:func:`part_file`'s folder: a new hidden folder beside ``target`` to write it in."""
    remove_dead_parts(target, suffix)
    return Path(
        tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}.", suffix=suffix, dir=target.parent)
    )


def remove_dead_parts(target: Path, suffix: str = PART_SUFFIX) -> None:
    """The parts of ``target`` (:func:`part_file`, :func:`part_folder`) that a process no longer
    running left (a kill, a crash), removed; a live process's are left to it."""
    head = f".{target.name}."
    try:
        found = list(target.parent.glob(glob.escape(head) + "*" + suffix))
    except OSError:
        return
    for stale in found:
        pid = stale.name[len(head) :].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    stale.unlink()


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
            fd, tmp = part_file(path)
        except OSError as exc:
            raise InputError(f"cannot write here: {exc.strerror}", path=path) from None
        self._tmp = tmp
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
            self.stream.flush()
            os.fsync(self.stream.fileno())  # on disk before it has the name
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


def copy_file(source: IO[bytes], target: IO[bytes]) -> None:
    """The rest of ``source`` appended to ``target`` (both files, ``target`` flushed): by
    the kernel where it can (``copy_file_range``), else through a buffer."""
    target.flush()
    copy_range = getattr(os, "copy_file_range", None)
    if copy_range is not None:
        try:
            while copy_range(source.fileno(), target.fileno(), 1 << 30):
                pass
            return
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                raise
    shutil.copyfileobj(source, target, 1 << 20)


def write_atomically(target: Path, data: bytes | str) -> None:
    """Write a small file whole (labels.json, a dataset card, a DocBin)."""
    out = AtomicFile(target, binary=isinstance(data, bytes))
    try:
        out.stream.write(data)
    except BaseException:
        out.discard()
        raise
    out.commit()


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where that is not available."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError, TypeError):  # no renameat2 (TypeError: Windows)
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # an old kernel, or a file system that cannot
    raise OSError(code, os.strerror(code), str(b))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def replace_with_folder(folder: Path, target: Path) -> None:
    """Put the complete ``folder`` at ``target``, in place of whatever is there, in one step.

    Where the system cannot swap two paths at once, the previous ``target`` is renamed away
    first: a kill between the two renames leaves it beside, under a hidden name.
    """
    if not target.exists() and not target.is_symlink():
        os.rename(folder, target)
        return
    if _exchange(folder, target):
        _remove(folder)  # the previous one, now under the temporary name
        return
    previous = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    previous.rmdir()
    os.rename(target, previous)
    os.rename(folder, target)
    _remove(previous)


class AtomicFolder:
    """A folder of files written into a temporary sibling (:attr:`path`) and swapped into place
    whole by :meth:`commit`; :meth:`discard` removes the sibling. Siblings left by a killed
    run of the same target are removed first."""

    SUFFIX = ".tawsim-part"

    def __init__(self, target: Path):
        self.target = target
        parent = target.parent
        if not parent.exists():
            raise InputError("the folder to export into does not exist", path=parent)
        self._remove_leftovers()
        try:
            self.path: Path | None = part_folder(target, self.SUFFIX)
        except OSError as exc:
            raise InputError(f"cannot write here: {exc.strerror}", path=parent) from None
        os.chmod(self.path, 0o777 & ~_umask())

    def _remove_leftovers(self) -> None:
        # (the folders that killed runs were writing are removed by part_folder.)
        # Where folders cannot be swapped in one step (no renameat2), a kill between the two
        # renames of replace_with_folder leaves the previous folder aside: put it back, or
        # remove it once the new one is in place.
        for previous in self.target.parent.glob(f".{self.target.name}.*.old"):
            if self.target.exists():
                shutil.rmtree(previous, ignore_errors=True)
            else:
                os.rename(previous, self.target)

    def commit(self) -> None:
        assert self.path is not None
        try:
            replace_with_folder(self.path, self.target)
        except OSError as exc:
            self.discard()
            raise InputError(f"cannot write the export: {exc.strerror}", path=self.target) from None
        self.path = None

    def discard(self) -> None:
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path = None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
