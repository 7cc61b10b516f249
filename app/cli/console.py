"""Terminal output: an error console on stderr and a progress bar that hides itself off a TTY.

Whatever a message carries from the user's data (file names, span texts, labels, names, an
error's text) is printed as it is: :func:`say` and :func:`tagged` never read it as Rich markup
(``[b]``, ``[/x]``) or emoji codes (``:smile:``), which would eat it or crash."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

err_console = Console(stderr=True, soft_wrap=True)


def printable(path: os.PathLike[str] | str) -> str:
    """A path as text any terminal can print: bytes of its name that are not UTF-8 (a file
    from another system, held by Python as lone surrogates) become U+FFFD."""
    return os.fsencode(path).decode("utf-8", "replace")


def say(message: object) -> None:
    """Print ``message`` on stderr exactly as it is."""
    err_console.print(Text(str(message)))


def tagged(tag: str, style: str, message: object) -> None:
    """Print ``tag`` in ``style`` (``warning`` in yellow), then ``message`` exactly as it is."""
    err_console.print(Text.assemble((tag, style), " ", str(message)))


class Bar:
    def __init__(self, progress: Progress, task: int):
        self._progress = progress
        self._task = task

    def update(self, name: str, done: int) -> None:
        self._progress.update(self._task, completed=done, description=name)


@contextmanager
def progress_bar(label: str, total: int | None = None) -> Iterator[Bar]:
    progress = Progress(
        TextColumn(label, markup=False),
        TextColumn("{task.description}", style="bold", markup=False),  # a file name: as it is
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    )
    with progress:
        yield Bar(progress, progress.add_task("", total=total))


CONFLICTS_KEPT = 3
"""The exit status of an import or unpack that stored what it could and kept local sets where
the file's differed (1 means refused: nothing was changed)."""


def exit_if_conflicts(conflicts: int) -> None:
    """After an import or unpack: say how to settle the conflicts listed above, exit 3."""
    if not conflicts:
        return
    tagged(
        "to resolve",
        "yellow",
        f"{conflicts} set(s) above differ from the local ones, which were kept. Compare each "
        "(open the document in Tawsim, or `tawsim export - --include all`), correct the local "
        "set where the file's is right, then import or unpack the file again: sets that "
        "now agree are reported unchanged.",
    )
    raise SystemExit(CONFLICTS_KEPT)
