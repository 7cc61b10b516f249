"""The dataset card (``README.md`` in the export folder): what is in the training set."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import __version__
from app.core.domain import Selection
from app.core.records import Record
from app.io import registry
from app.io.output import write_atomically
from app.store.core import Tawsim

if TYPE_CHECKING:
    from app.io.training.dataset_export import DatasetReport

WHAT = {
    "jsonl": "native JSONL (Prodigy-compatible: text, spans, stance, meta)",
    "spacy": "spaCy DocBin: doc.ents, nested spans in doc.spans['sc'], stance in "
    "doc.cats as 'target|VALUE'",
    "hf-tokens": "Hugging Face token classification: tokens, ner_tags (BIO; names in "
    "labels.json), ner_tags_nested, offsets",
    "conll": "CoNLL/BIO, IOB2, nested tags outer first",
    "stance-jsonl": "stance classification: text, target, label, evidence, holder",
}


@dataclass(slots=True)
class Tally:
    labels: Counter[str] = field(default_factory=Counter)
    stance: Counter[tuple[str, str]] = field(default_factory=Counter)
    annotators: Counter[str] = field(default_factory=Counter)


@dataclass(slots=True)
class CardTally:
    """What the records written to each split hold, counted as they pass."""

    splits: dict[str, Tally] = field(default_factory=dict)

    def absorb(self, other: CardTally) -> None:
        """Another part's tally (of other records) added to this one."""
        for split, theirs in other.splits.items():
            tally = self.splits.setdefault(split, Tally())
            tally.labels.update(theirs.labels)
            tally.stance.update(theirs.stance)
            tally.annotators.update(theirs.annotators)

    def add(self, split: str, record: Record) -> None:
        tally = self.splits.setdefault(split, Tally())
        a = record.annotation
        if a is None:
            return
        tally.labels.update(s.label for s in a.spans)
        tally.stance.update((j.target, j.value) for j in a.stances)
        if a.annotator:
            tally.annotators[a.annotator] += 1


def _fmt(value: Any) -> str:
    return "—" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


CARD_FILE = "README.md"
CARD_TITLE = "# Dataset card"


def write_card(core: Tawsim, report: DatasetReport, tally: CardTally, folder: Path) -> Path:
    """Write the card into ``folder`` (where the training set is being written)."""
    schema = core.schema()
    agreement = core.agreement(Selection.SUBMITTED).to_dict()
    lines = [
        CARD_TITLE,
        "",
        f"Exported by Tawsim {__version__} on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: "
        f"`--include {report.include.value}`, splits "
        + ", ".join(f"{k}={v:g}" for k, v in report.ratios.items())
        + f", seed {report.seed}. Label schema: {schema.name} v{schema.version}.",
        "",
        "## Splits",
        "",
        "| split | documents | spans | "
        + " | ".join(sorted({x[2:] for x in report.labels if x != "O"}))
        + " |",
    ]
    label_names = sorted({x[2:] for x in report.labels if x != "O"})
    lines.append("|---" * (3 + len(label_names)) + "|")
    stance_rows: list[str] = []
    annotators: Counter[str] = Counter()
    for split in report.ratios:
        counted = tally.splits.get(split, Tally())
        labels, stance, who = counted.labels, counted.stance, counted.annotators
        annotators.update(who)
        lines.append(
            f"| {split} | {report.documents.get(split, 0)} | {sum(labels.values())} | "
            + " | ".join(str(labels[n]) for n in label_names)
            + " |"
        )
        stance_rows += [f"| {split} | {t} | {v} | {n} |" for (t, v), n in sorted(stance.items())]
    lines += ["", "## Stance", ""]
    lines += (
        ["| split | target | value | documents |", "|---|---|---|---|", *stance_rows]
        if stance_rows
        else ["No stance judgements."]
    )
    lines += ["", "## Annotators", ""]
    lines += [f"- {name}: {n} set(s)" for name, n in sorted(annotators.items())] or ["- none"]
    average = agreement["entities"]["average_f1"]
    overall = agreement["stance"]["overall"]
    lines += [
        "",
        "## Agreement (submitted and reviewed sets)",
        "",
        f"- Entities, average pairwise F1: exact "
        f"{_fmt(average['exact_match']['overall']['f1'])}, overlap "
        f"{_fmt(average['overlap_match']['overall']['f1'])} "
        f"({agreement['shared_documents']} document(s) annotated by two or more).",
        f"- Stance: {overall['status']}; Cohen's kappa "
        f"{_fmt(overall['cohen_kappa']['value'])}, Krippendorff's alpha "
        f"{_fmt(overall['krippendorff_alpha']['value'])}, Gwet's AC1 "
        f"{_fmt(overall['gwet_ac1']['value'])}.",
        "",
        "## Files",
        "",
        *[
            f"- `{fmt.training_file}`: {WHAT.get(fmt.name, fmt.description)}"
            for fmt in registry.training_formats()
            if not fmt.missing()
        ],
        "- `labels.json`: the BIO tag names, in the order of the Hugging Face ClassLabel.",
        "",
        "## Warnings",
        "",
    ]
    dropped = [(r.path, d) for r in report.results for d in r.warnings]
    lines += [f"- {why}" for why in report.skipped_formats]
    if dropped:
        lines += [f"- `{Path(path).name}`: {why}" for path, why in dropped]
    elif not report.skipped_formats:
        lines.append("None: every exported span reached every format.")
    card = folder / CARD_FILE
    write_atomically(card, "\n".join(lines) + "\n")
    return card
