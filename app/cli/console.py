"""Terminal output: an error console on stderr and a progress bar that hides itself off a TTY."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

err_console = Console(stderr=True, soft_wrap=True)


class Bar:
    def __init__(self, progress: Progress, task: int):
        self._progress = progress
        self._task = task

    def update(self, name: str, done: int) -> None:
        self._progress.update(self._task, completed=done, description=name)


@contextmanager
def progress_bar(label: str, total: int | None = None) -> Iterator[Bar]:
    progress = Progress(
        TextColumn(f"{label} [bold]{{task.description}}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    )
    with progress:
        yield Bar(progress, progress.add_task("", total=total))
