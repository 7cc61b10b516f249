"""Import and export from the File menu: off the GUI thread, with progress and cancel.

Import is all-or-nothing (one transaction, rolled back on a bad file or cancel); export writes
a temporary file that replaces the target only when complete.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from app.core.domain import Selection
from app.gui.messages import notify
from app.gui.operations import run_op
from app.gui.worker import Job
from app.io import registry
from app.io.exporter import ExportOptions, export
from app.io.importer import ImportOptions, ImportSummary, import_all_or_nothing
from app.io.registry import WriteReport
from app.store.core import Tawsim


def _filters(formats: list[registry.Format]) -> str:
    return ";;".join(f.file_filter for f in formats)


class TransferActions(QObject):
    imported = Signal()

    def __init__(self, window: QMainWindow, core: Tawsim):
        super().__init__(window)
        self.window = window
        self.core = core
        self.job: Job | None = None

    def _start(
        self, title: str, work: Callable[[Callable[[int], None]], Any], done: Callable[[Any], None]
    ) -> None:
        def finished(result: Any) -> None:
            self.job = None
            done(result)

        self.job = run_op(self.window, title, work, finished)
        for signal in (self.job.signals.failed, self.job.signals.cancelled):
            signal.connect(lambda *_: setattr(self, "job", None))

    def import_files(self) -> None:
        formats = registry.import_formats()
        all_ext = " ".join("*" + e for f in formats for e in f.extensions)
        names, _ = QFileDialog.getOpenFileNames(
            self.window,
            self.tr("Import documents"),
            "",
            self.tr("All supported") + f" ({all_ext});;" + _filters(formats),
        )
        if names:
            self.run_import([Path(n) for n in names])

    def run_import(self, paths: list[Path], options: ImportOptions | None = None) -> None:
        core, opts = self.core, options or ImportOptions()

        def work(progress: Callable[[int], None]) -> ImportSummary:
            return import_all_or_nothing(core, paths, opts, progress=lambda _path, n: progress(n))

        def done(summary: ImportSummary) -> None:
            added = summary.total("documents_added")
            dup = summary.total("documents_duplicate")
            text = self.tr("{added} document(s) added, {dup} already present.").format(
                added=added, dup=dup
            )
            if summary.labels_added:
                text += (
                    "\n"
                    + self.tr("Labels added to the project: ")
                    + ", ".join(summary.labels_added)
                )
            said = [
                str(x) for f in summary.files for x in (*f.conflicts, *f.notices, *f.kept_as_given)
            ]
            if said:  # nothing stored otherwise than given goes unsaid
                notify(
                    self.window,
                    self.tr("Imported — read what was not stored as given"),
                    text
                    + "\n\n"
                    + "\n\n".join(said[:20])
                    + (
                        "\n\n" + self.tr("… and {n} more").format(n=len(said) - 20)
                        if len(said) > 20
                        else ""
                    ),
                    QMessageBox.Icon.Warning,
                )
            self.window.statusBar().showMessage(text, 10000)
            self.imported.emit()

        self._start(self.tr("Importing"), work, done)

    def export_file(self) -> None:
        formats = registry.export_formats()
        name, chosen = QFileDialog.getSaveFileName(
            self.window, self.tr("Export approved annotations"), "export.jsonl", _filters(formats)
        )
        if name:
            fmt = next((f for f in formats if f.file_filter == chosen), formats[0])
            self.run_export(Path(name), ExportOptions(format=fmt.name, include=Selection.APPROVED))

    def run_export(self, path: Path, options: ExportOptions) -> None:
        core = self.core

        def work(progress: Callable[[int], None]) -> WriteReport:
            return export(core, path, options, progress=progress)

        def done(report: WriteReport) -> None:
            text = self.tr("Exported {n} record(s) to {path}.").format(n=report.records, path=path)
            if report.warnings:
                notify(
                    self.window,
                    self.tr("Export warnings"),
                    text + "\n\n" + "\n".join(report.warnings[:20]),
                    QMessageBox.Icon.Warning,
                )
            self.window.statusBar().showMessage(text, 10000)

        self._start(self.tr("Exporting"), work, done)
