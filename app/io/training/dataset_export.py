"""``tawsim export OUTDIR --split ...``: a training set in every format, with a dataset card.

A light planning query (each document's source and labels, streamed) feeds the splits, planned
in a byte per document (:func:`~app.io.training.splits.plan_splits`); then ONE pass over the
records feeds every open writer — each split in each training format of the registry
(:func:`app.io.registry.training_formats`) — and counts what goes in for the card. Memory does
not grow with the corpus: records stream, writers stream (spaCy's in files of bounded size).

Data files depend only on the data, the split fractions and the seed (byte-identical on a
re-run, and whether one process wrote them or two); the card also records when and by which
Tawsim version it was made. A format whose library is missing (spaCy) is left out with a
warning.

Two processes. From :data:`SECOND_PROCESS_FROM_DOCUMENTS` documents of a SQLite database, a
second process (:mod:`app.io.writer_process`, :func:`write_part`) writes the second part of
every split, read from the database itself, while this one writes the first: each split is
parted at a document (:class:`Part`; a split of several spaCy files at a whole file, so that
the files are those one process writes). The second's files are then appended to the first's
(its spaCy files go into the same folder, after the first's), its counts and its card's tally
added. The two read in transactions of their own: a :class:`~app.store.database.ChangeProbe`
made before the plan and asked after both are done says whether anything was committed
meanwhile; if so the export is written again, by this process alone, in one transaction.

The folder is written whole or not at all: everything goes into a hidden sibling that replaces
OUTDIR in one step at the end (:class:`~app.io.output.AtomicFolder`), so a cancel, an error or a
kill at any moment leaves the previous training set as it was, never a new ``train`` beside an
old ``test``. A non-empty OUTDIR that is not a training set Tawsim wrote is refused, not
replaced.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy

from app.core.domain import Selection
from app.core.errors import Conflict, InputError
from app.core.second_process import threshold
from app.core.tokens import tag_names
from app.io import registry
from app.io.exporter import vocabulary
from app.io.formats.spacy_docbin import SHARD_DOCS, DocBinWriter
from app.io.output import AtomicFolder, write_atomically
from app.io.registry import Format, RecordWriter, WriteOptions, WriteReport
from app.io.training.dataset_card import CARD_FILE, CARD_TITLE, CardTally, write_card
from app.io.training.splits import SplitPlan, plan_splits
from app.io.writer_process import Say, WriterProcess
from app.store.core import Tawsim
from app.store.database import ChangeProbe, Database

LABELS_FILE = "labels.json"


@dataclass(slots=True)
class DatasetReport:
    outdir: Path
    ratios: dict[str, float]
    seed: int
    include: Selection
    documents: dict[str, int] = field(default_factory=dict)  # per split
    results: list[WriteReport] = field(default_factory=list)
    skipped_formats: list[str] = field(default_factory=list)  # why a format is not there
    labels: list[str] = field(default_factory=list)
    card: Path | None = None


SECOND_PROCESS_FROM_DOCUMENTS = 5000
"""From this many documents, a second process writes the second part of every split (see the
module docstring): below, starting it costs more than it saves.
``TAWSIM_SECOND_PROCESS_FROM_DOCUMENTS`` overrides it."""
PROGRESS_EVERY = 500
"""Records between two looks at how far the second process is."""


@dataclass(frozen=True, slots=True)
class Part:
    """The records one of two processes writes: of each split, those of the documents
    before its boundary (the first part) or from it on (the second)."""

    boundaries: dict[str, int]  # split -> the first document of its second part
    second: bool

    @property
    def documents(self) -> tuple[int | None, int | None]:
        """The documents to read (from, up to): every one a record of this part may be of."""
        if self.second:
            return min(self.boundaries.values()), None
        return None, max(self.boundaries.values())

    def takes(self, split: str, document_id: int) -> bool:
        return (document_id >= self.boundaries[split]) == self.second


def _boundaries(plan: SplitPlan) -> dict[str, int]:
    """Where each split's second part begins: about its middle, at a whole spaCy file when the
    split is more than one (the first part is then whole files)."""
    by_id = numpy.frombuffer(bytes(plan.by_id), dtype=numpy.uint8)
    boundaries = {}
    for code, name in enumerate(plan.names, start=1):
        ids = numpy.flatnonzero(by_id == code)
        if len(ids) > SHARD_DOCS:
            first = SHARD_DOCS * max(1, round(len(ids) / 2 / SHARD_DOCS))
        else:
            first = len(ids) // 2
        if len(ids):
            boundaries[name] = int(ids[first])
    return boundaries


def _formats(report: DatasetReport | None = None) -> list[Format]:
    """The training formats that can be written here (why the others cannot, in ``report``)."""
    formats = []
    for fmt in registry.training_formats():
        missing = fmt.missing()
        if missing:
            if report is not None:
                report.skipped_formats.append(missing)
        else:
            formats.append(fmt)
    return formats


def _open_writers(
    folder: Path, splits: list[str], options: WriteOptions, formats: list[Format]
) -> dict[str, list[RecordWriter]]:
    writers: dict[str, list[RecordWriter]] = {split: [] for split in splits}
    try:
        for split in splits:
            for fmt in formats:
                assert fmt.open is not None and fmt.training_file is not None
                writers[split].append(
                    fmt.open(folder / fmt.training_file.format(split=split), options)
                )
    except BaseException:
        for opened in writers.values():
            for writer in opened:
                writer.abort()
        raise
    return writers


def _part_name(fmt: Format, split: str) -> str:
    """The file the second process writes its part of ``split`` in ``fmt`` into."""
    assert fmt.training_file is not None
    return f".second-part.{fmt.training_file.format(split=split)}"


def _write(
    core: Tawsim,
    include: Selection,
    plan: SplitPlan,
    writers: dict[str, list[RecordWriter]],
    part: Part | None,
    progress: Callable[[int], None] | None = None,
    elsewhere: Callable[[], int] = lambda: 0,
) -> CardTally:
    """Every record of ``part`` (all of them, without one) into the writers of its split;
    ``progress`` is told the records done here and ``elsewhere``."""
    tally = CardTally()
    documents = part.documents if part is not None else (None, None)
    done = also = 0
    for record in core.records(include, documents=documents):
        document_id = record.document.id
        split = plan.split_of(document_id)
        if split is None or document_id is None:
            raise Conflict(
                "the data changed while the training set was written (a set was "
                "approved or imported meanwhile); nothing was written: export again"
            )
        if part is not None and not part.takes(split, document_id):
            continue
        for writer in writers[split]:
            writer.write(record)
        tally.add(split, record)
        done += 1
        if progress is not None:
            if done % PROGRESS_EVERY == 0:
                also = elsewhere()
            progress(done + also)  # may raise Cancelled
    return tally


def write_part(
    url: str,
    actor: str,
    include: str,
    plan: SplitPlan,
    boundaries: dict[str, int],
    folder: str,
    spacy_folders: dict[str, tuple[str | None, int]],
    options: WriteOptions,
    say: Say,
) -> tuple[dict[str, list[tuple[WriteReport, dict[str, Any]]]], CardTally]:
    """The second process's part of a training export (see the module docstring): every
    split's records from its boundary on, read from the database itself, into files in
    ``folder`` (spaCy's into the first process's folder of the split, after its files, or
    handed back); each writer's report and state, and the card's tally."""
    with Tawsim(Database(url, migrate_on_open=False), actor) as core:
        splits = list(boundaries)
        formats = _formats()
        writers: dict[str, list[RecordWriter]] = {split: [] for split in splits}
        try:
            for split in splits:
                for fmt in formats:
                    assert fmt.open is not None and fmt.training_file is not None
                    if fmt.name == "spacy":
                        shards, after = spacy_folders[split]
                        target = Path(folder) / fmt.training_file.format(split=split)
                        writers[split].append(
                            DocBinWriter.second_part(
                                target, options, None if shards is None else Path(shards), after
                            )
                        )
                    else:
                        writers[split].append(
                            fmt.open(Path(folder) / _part_name(fmt, split), options)
                        )
            counted = [0]

            def progress(done: int) -> None:
                if done - counted[0] >= PROGRESS_EVERY:
                    counted[0] = done
                    say(done)

            tally = _write(
                core, Selection(include), plan, writers, Part(boundaries, True), progress
            )
            results = {
                split: [(w.report, w.close_part()) for w in writers[split]]  # type: ignore[attr-defined]
                for split in splits
            }
        except BaseException:
            for opened in writers.values():
                for writer in opened:
                    writer.abort()
            raise
    return results, tally


def _check_target(outdir: Path) -> None:
    if str(outdir) == "-":
        raise InputError("--split writes a folder of files; give its name, not -")
    if outdir.exists() and not outdir.is_dir():
        raise InputError("exists and is not a folder; --split writes a folder", path=outdir)
    if not outdir.parent.exists():
        raise InputError("the folder to export into does not exist", path=outdir.parent)
    if outdir.is_dir() and any(outdir.iterdir()):
        card = outdir / CARD_FILE
        ours = card.is_file() and card.read_text(encoding="utf-8", errors="replace").startswith(
            CARD_TITLE
        )
        if not ours:
            raise InputError(
                "holds files, and no dataset card of a training set Tawsim wrote; an export "
                "replaces the whole folder: give a new or empty folder",
                path=outdir,
            )


def export_dataset(
    core: Tawsim,
    outdir: Path,
    *,
    ratios: dict[str, float],
    seed: int,
    include: Selection = Selection.APPROVED,
    split_clitics: bool = False,
    progress: Callable[[int], None] | None = None,
) -> DatasetReport:
    _check_target(outdir)
    probe = core.db.change_probe()  # before the plan: what is committed after it is seen
    try:
        report = _export(core, outdir, ratios, seed, include, split_clitics, progress, probe)
        if report is None:  # changed while two processes read it: once more, here alone
            report = _export(core, outdir, ratios, seed, include, split_clitics, progress, None)
            assert report is not None
    finally:
        if probe is not None:
            probe.close()
    return report


def _export(
    core: Tawsim,
    outdir: Path,
    ratios: dict[str, float],
    seed: int,
    include: Selection,
    split_clitics: bool,
    progress: Callable[[int], None] | None,
    probe: ChangeProbe | None,
) -> DatasetReport | None:
    """The training set, in two processes where ``probe`` allows; None when the data changed
    while they read it (nothing written)."""
    plan = plan_splits(core.document_labels(include), ratios, seed)
    if not any(plan.sizes.values()):
        wider = " or ".join(include.wider)
        raise InputError(
            f"nothing to export with --include {include.value}"
            + (f"; try --include {wider}" if wider else "")
        )
    report = DatasetReport(outdir, dict(ratios), seed, include)
    report.documents = dict(plan.sizes)
    labels, targets, values = vocabulary(core, include)
    report.labels = tag_names(labels)
    options = WriteOptions(
        split_clitics=split_clitics,
        labels_file=False,  # one labels.json for every split, below
        labels=labels,
        stance_values=values,
        stance_targets=targets,
    )
    formats = _formats(report)
    total = sum(plan.sizes.values())
    two = (
        probe is not None
        and total
        >= threshold("TAWSIM_SECOND_PROCESS_FROM_DOCUMENTS", SECOND_PROCESS_FROM_DOCUMENTS)
        and core.count_records(include) == total  # a record a document: parts by documents
    )
    folder = AtomicFolder(outdir)
    assert folder.path is not None
    process = WriterProcess.start() if two else None
    try:
        writers = _open_writers(folder.path, list(ratios), options, formats)
        every = [w for split in ratios for w in writers[split]]
        try:
            if process is None:
                tally = _write(core, include, plan, writers, None, progress)
            else:
                tally = _in_two(
                    core, include, plan, writers, formats, folder.path, options, process, progress
                )
                assert probe is not None
                if probe.changed():  # the two parts may be of different data
                    for writer in every:
                        writer.abort()
                    folder.discard()
                    return None
            for writer in every:
                writer.close()
                report.results.append(writer.report)
        except BaseException:
            for writer in every[len(report.results) :]:
                writer.abort()
            raise
        names = json.dumps({"ner_tags": report.labels}, ensure_ascii=False, indent=2) + "\n"
        write_atomically(folder.path / LABELS_FILE, names)
        write_card(core, report, tally, folder.path)
        folder.commit()
    except BaseException:
        folder.discard()
        raise
    finally:
        if process is not None:
            process.stop()
    report.card = outdir / CARD_FILE
    for result in report.results:  # where the files are now
        result.path = str(outdir / Path(result.path).name)
    return report


def _in_two(
    core: Tawsim,
    include: Selection,
    plan: SplitPlan,
    writers: dict[str, list[RecordWriter]],
    formats: list[Format],
    folder: Path,
    options: WriteOptions,
    process: WriterProcess,
    progress: Callable[[int], None] | None,
) -> CardTally:
    """This process's part while the second writes its own; then its files after these."""
    boundaries = _boundaries(plan)
    by_id = numpy.frombuffer(bytes(plan.by_id), dtype=numpy.uint8)
    spacy_folders: dict[str, tuple[str | None, int]] = {}
    for code, split in enumerate(plan.names, start=1):
        if split not in boundaries:
            continue
        first = int(numpy.count_nonzero(by_id[: boundaries[split]] == code))  # this part's
        spacy = [w for w in writers[split] if isinstance(w, DocBinWriter)]
        if spacy and plan.sizes.get(split, 0) > SHARD_DOCS:
            spacy_folders[split] = (str(spacy[0].shards.folder_now()), first // SHARD_DOCS)
        else:
            spacy_folders[split] = (None, 0)
    process.call(
        "app.io.training.dataset_export:write_part",
        *(core.db.url, core.actor_name, include.value, plan, boundaries, str(folder)),
        *(spacy_folders, options),
    )
    tally = _write(
        core, include, plan, writers, Part(boundaries, False), progress, process.poll_progress
    )
    results, elsewhere = process.result()
    for split, reports in results.items():
        for fmt, writer, (part_report, state) in zip(formats, writers[split], reports, strict=True):
            part = folder / _part_name(fmt, split)
            writer.absorb(part, part_report, state)  # type: ignore[attr-defined]
            if part.exists():
                os.unlink(part)
    tally.absorb(elsewhere)
    return tally
