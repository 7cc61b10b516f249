"""``tawsim export OUTDIR --split ...``: a training set in every format, with a dataset card.

A light planning query (each document's source and labels, streamed) feeds the splits, planned
in a byte per document (:func:`~app.io.training.splits.plan_splits`); then ONE pass over the
records feeds every open writer — each split in each training format of the registry
(:func:`app.io.registry.training_formats`) — and counts what goes in for the card. Memory does
not grow with the corpus: records stream, writers stream (spaCy's in files of bounded size).

Data files depend only on the data, the split fractions and the seed (byte-identical on a
re-run); the card also records when and by which Tawsim version it was made. A format whose
library is missing (spaCy) is left out with a warning.

The folder is written whole or not at all: everything goes into a hidden sibling that replaces
OUTDIR in one step at the end (:class:`~app.io.output.AtomicFolder`), so a cancel, an error or a
kill at any moment leaves the previous training set as it was, never a new ``train`` beside an
old ``test``. A non-empty OUTDIR that is not a training set Tawsim wrote is refused, not
replaced.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.core.domain import Selection
from app.core.errors import Conflict, InputError
from app.core.second_process import threshold
from app.core.tokens import tag_names
from app.io import registry
from app.io.exporter import vocabulary
from app.io.output import AtomicFolder, write_atomically
from app.io.registry import RecordWriter, WriteOptions, WriteReport
from app.io.training.dataset_card import CARD_FILE, CARD_TITLE, CardTally, write_card
from app.io.training.splits import plan_splits
from app.io.writer_process import RemoteWriter, WriterProcess
from app.store.core import Tawsim

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
"""From this many documents, the formats that ask for it (spaCy) are written by a second process
(:mod:`app.io.writer_process`): below, starting it (and spaCy in it) costs more than it saves.
``TAWSIM_SECOND_PROCESS_FROM_DOCUMENTS`` overrides it."""


def _open_writers(
    outdir: Path,
    splits: list[str],
    options: WriteOptions,
    report: DatasetReport,
    documents: int,
) -> dict[str, list[RecordWriter]]:
    writers: dict[str, list[RecordWriter]] = {split: [] for split in splits}
    formats = []
    for fmt in registry.training_formats():
        missing = fmt.missing()
        if missing:
            report.skipped_formats.append(missing)
        else:
            formats.append(fmt)
    elsewhere = documents >= threshold(
        "TAWSIM_SECOND_PROCESS_FROM_DOCUMENTS", SECOND_PROCESS_FROM_DOCUMENTS
    )
    process = (
        WriterProcess.start() if elsewhere and any(f.second_process for f in formats) else None
    )
    try:
        for split in splits:
            for fmt in formats:
                assert fmt.open is not None and fmt.training_file is not None
                target = outdir / fmt.training_file.format(split=split)
                if fmt.second_process and process is not None:
                    writers[split].append(process.open(fmt.name, target, options))
                else:
                    writers[split].append(fmt.open(target, options))
    except BaseException:
        for opened in writers.values():
            for writer in opened:
                writer.abort()
        raise
    return writers


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
    folder = AtomicFolder(outdir)
    assert folder.path is not None
    try:
        total = sum(plan.sizes.values())
        writers = _open_writers(folder.path, list(ratios), options, report, total)
        every = [w for split in ratios for w in writers[split]]
        # The second process's writers last: they are sent the tokens found here.
        order = {
            split: sorted(ws, key=lambda w: isinstance(w, RemoteWriter))
            for split, ws in writers.items()
        }
        tally = CardTally()
        try:
            for done, record in enumerate(core.records(include), start=1):
                split = plan.split_of(record.document.id)
                if split is None:
                    raise Conflict(
                        "the data changed while the training set was written (a set was "
                        "approved or imported meanwhile); nothing was written: export again"
                    )
                for writer in order[split]:
                    writer.write(record)
                tally.add(split, record)
                if progress is not None:
                    progress(done)  # may raise Cancelled
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
    report.card = outdir / CARD_FILE
    for result in report.results:  # where the files are now
        result.path = str(outdir / Path(result.path).name)
    return report
