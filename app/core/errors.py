"""User-facing errors: things a person did or supplied, reported without a traceback."""

from __future__ import annotations

import errno
from pathlib import Path


class TawsimError(Exception):
    """Base class for every error whose message is meant for the user."""


class InputError(TawsimError):
    """Bad input data, located by file and (where known) line."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(self.__str__())

    def located(self, path: str | Path, line: int | None = None) -> InputError:
        """Return a copy of this error with a file (and line) attached, keeping existing ones."""
        return InputError(
            self.message,
            path=self.path or path,
            line=self.line if self.line is not None else line,
        )

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        return where + self.message


class SchemaError(TawsimError):
    """A label schema file that cannot be used."""


class PermissionDenied(TawsimError):
    """A user tried something their role does not allow."""


class NotFound(TawsimError):
    """A record the user named does not exist."""


class DatabaseError(TawsimError):
    """A database that cannot be opened, migrated or written."""


class PasswordRefused(DatabaseError):
    """The database server wants a (different) password for this login."""


class DatabaseBusy(DatabaseError):
    """Another writer held the database for longer than Tawsim waits; nothing was changed."""


class Cancelled(Exception):
    """The user cancelled a long operation; whatever it was doing was rolled back."""


class Conflict(TawsimError):
    """A change the database refused because it breaks one of its rules (often because
    someone else changed the same thing at the same moment)."""


class StaleEdit(Conflict):
    """A change made on a view that another window or machine has changed since."""


_NOTHING_CHANGED = "what was being written was undone (nothing is left half-written)"


def resource_failure(exc: BaseException) -> str | None:
    """A clear message for running out of memory or disk, or another failure of the machine
    rather than of Tawsim (a file that cannot be written, a database the disk cannot hold);
    None for anything else (a bug: its traceback is worth having)."""
    if isinstance(exc, MemoryError):
        return (
            f"ran out of memory; {_NOTHING_CHANGED}. Close other programs, or work in smaller "
            "parts (fewer files at a time, a narrower --include) and try again"
        )
    text = str(exc)
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        if exc.errno == errno.ENOSPC:
            return f"no space left on the disk{where}; {_NOTHING_CHANGED}. Free some and try again"
        if exc.errno == errno.EDQUOT:
            return f"disk quota exceeded{where}; {_NOTHING_CHANGED}"
        return f"{exc.strerror or text}{where}; {_NOTHING_CHANGED}"
    # SQLite's own words, through any database layer (not imported here).
    if "database or disk is full" in text:
        return f"the disk is full (the database cannot grow); {_NOTHING_CHANGED}"
    if "out of memory" in text.lower() and type(exc).__name__ == "OperationalError":
        return f"the database ran out of memory; {_NOTHING_CHANGED}"
    return None
