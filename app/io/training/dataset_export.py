"""``tawsim export OUTDIR --split ...``: a training set in every format, with a dataset card.

Two passes over the database, both streamed: the first reads what the splits need (document,
source, labels), the second writes each split in each format. Data files depend only on the
data, the split fractions and the seed (byte-identical on a re-run); the card also records
when and by which Tawsim version it was made.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.core.errors import InputError
from app.core.records import Record
from app.io.exporter import Include, atomic_output
from app.io.formats.jsonl import write_jsonl
from app.io.registry import WriteReport
from app.io.training.result import FormatResult
from app.io.training.splits import SplitItem, assign_splits
from app.store.core import Tawsim


@dataclass(slots=True)
class DatasetReport:
    outdir: Path
    ratios: dict[str, float]
    seed: int
    include: Include
    documents: dict[str, int] = field(default_factory=dict)  # per split
    results: list[FormatResult] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    card: Path | None = None


Writer = Callable[[Iterator[Record], Path], FormatResult]


def _native(records: Iterator[Record], out: Path) -> FormatResult:
    report = WriteReport()
    with atomic_output(out) as handle:
        write_jsonl(records, handle, report)
    return FormatResult(str(out), report.records, report.spans, report.spans)


def _writers(
    stance_values: tuple[str, ...], targets: tuple[str, ...], split_clitics: bool
) -> dict[str, Writer]:
    from app.io.training.spacy_docbin import write_docbin
    from app.io.training.stance_jsonl import write_stance_jsonl
    from app.io.training.token_formats import write_conll_tokens, write_hf_tokens

    return {
        "jsonl": _native,
        # Every split gets the same cats (all targets of the export), as textcat needs.
        "spacy": lambda r, out: write_docbin(
            r, out, stance_values=stance_values, stance_targets=targets
        ),
        "tokens.jsonl": lambda r, out: write_hf_tokens(r, out, split_clitics=split_clitics),
        "conll": lambda r, out: write_conll_tokens(r, out, split_clitics=split_clitics),
        "stance.jsonl": write_stance_jsonl,
    }


def export_dataset(
    core: Tawsim,
    outdir: Path,
    *,
    ratios: dict[str, float],
    seed: int,
    include: Include = Include.APPROVED,
    split_clitics: bool = False,
    progress: Callable[[int], None] | None = None,
) -> DatasetReport:
    if outdir.exists() and not outdir.is_dir():
        raise InputError("exists and is not a folder; --split writes a folder", path=outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    report = DatasetReport(outdir, dict(ratios), seed, include)
    items: dict[str, SplitItem] = {}
    labels: set[str] = set()
    targets: set[str] = set()
    for record in core.records(include):
        spans = record.annotation.spans if record.annotation else ()
        labels.update(s.label for s in spans)
        targets.update(j.target for j in (record.annotation.stances if record.annotation else ()))
        doc = record.document
        old = items.get(doc.uuid)
        found = frozenset(s.label for s in spans) | (old.labels if old else frozenset())
        items[doc.uuid] = SplitItem(doc.uuid, doc.source, found)
    if not items:
        raise InputError(
            f"nothing to export with --include {include.value}"
            + ("; try --include submitted or all" if include is not Include.ALL else "")
        )
    assigned = assign_splits(items.values(), ratios, seed)
    report.documents = {name: list(assigned.values()).count(name) for name in ratios}
    report.labels = ["O", *[f"{p}-{label}" for label in sorted(labels) for p in "BI"]]
    stance_values = core.schema().stance_values
    writers = _writers(stance_values, tuple(sorted(targets)), split_clitics)
    done = 0
    for split in ratios:
        for suffix, write in writers.items():

            def records(split: str = split) -> Iterator[Record]:
                for record in core.records(include):
                    if assigned[record.document.uuid] == split:
                        yield record

            report.results.append(write(records(), outdir / f"{split}.{suffix}"))
            done += 1
            if progress is not None:
                progress(done)
    (outdir / "labels.json").write_text(
        json.dumps({"ner_tags": report.labels}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    from app.io.training.dataset_card import write_card

    report.card = write_card(core, report)
    return report
