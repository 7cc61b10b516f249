"""``tawsim export OUTDIR --split ...``: a training set in every format, with a dataset card.

A light planning query (each document's source and labels) feeds the splits; then ONE pass
over the records feeds every open writer — each split in each training format of the registry
(:func:`app.io.registry.training_formats`) — and counts what goes in for the card. Data files
depend only on the data, the split fractions and the seed (byte-identical on a re-run); the card
also records when and by which Tawsim version it was made. A format whose library is missing
(spaCy) is left out with a warning; on any error or cancel, no file is left half written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.core.domain import Selection
from app.core.errors import Conflict, InputError
from app.core.tokens import tag_names
from app.io import registry
from app.io.output import write_atomically
from app.io.registry import RecordWriter, WriteOptions, WriteReport
from app.io.training.dataset_card import CardTally, write_card
from app.io.training.splits import SplitItem, assign_splits
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


def _open_writers(
    outdir: Path, splits: list[str], options: WriteOptions, report: DatasetReport
) -> dict[str, list[RecordWriter]]:
    writers: dict[str, list[RecordWriter]] = {split: [] for split in splits}
    formats = []
    for fmt in registry.training_formats():
        missing = fmt.missing()
        if missing:
            report.skipped_formats.append(missing)
        else:
            formats.append(fmt)
    try:
        for split in splits:
            for fmt in formats:
                assert fmt.open is not None and fmt.training_file is not None
                target = outdir / fmt.training_file.format(split=split)
                writers[split].append(fmt.open(target, options))
    except BaseException:
        for opened in writers.values():
            for writer in opened:
                writer.abort()
        raise
    return writers


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
    if str(outdir) == "-":
        raise InputError("--split writes a folder of files; give its name, not -")
    if outdir.exists() and not outdir.is_dir():
        raise InputError("exists and is not a folder; --split writes a folder", path=outdir)
    if not outdir.parent.exists():
        raise InputError("the folder to export into does not exist", path=outdir.parent)
    items = [SplitItem(*row) for row in core.document_labels(include)]
    if not items:
        wider = " or ".join(include.wider)
        raise InputError(
            f"nothing to export with --include {include.value}"
            + (f"; try --include {wider}" if wider else "")
        )
    outdir.mkdir(exist_ok=True)
    report = DatasetReport(outdir, dict(ratios), seed, include)
    assigned = assign_splits(items, ratios, seed)
    report.documents = {name: list(assigned.values()).count(name) for name in ratios}
    labels, targets = core.labels_and_targets(include)
    report.labels = tag_names(labels)
    options = WriteOptions(
        split_clitics=split_clitics,
        labels_file=False,  # one labels.json for every split, below
        labels=labels,
        stance_values=core.schema().stance_values,
        stance_targets=targets,
    )
    writers = _open_writers(outdir, list(ratios), options, report)
    every = [w for split in ratios for w in writers[split]]
    tally = CardTally()
    try:
        for done, record in enumerate(core.records(include), start=1):
            split = assigned.get(record.document.uuid)
            if split is None:
                raise Conflict(
                    "the data changed while the training set was written (a set was approved or "
                    "imported meanwhile); nothing was written: export again"
                )
            for writer in writers[split]:
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
    write_atomically(outdir / LABELS_FILE, names)
    report.card = write_card(core, report, tally)
    return report
