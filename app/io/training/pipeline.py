"""A spaCy entity recogniser trained from the approved sets, and its suggestions.

``tawsim train OUTDIR`` (:func:`train_pipeline`) trains a blank Arabic pipeline (``ner``, CPU)
on the approved sets and saves it atomically: the folder holds the previous pipeline or the
complete new one. The annotator's window loads such a folder (:class:`ModelSuggester`) and
pre-annotates the open document off the GUI thread; its suggestions carry the model's name and
version, which an accepted span's audit entry records.

Entities are taken as spaCy's own tokenizer sees the text (what the pipeline meets when it
predicts): a span whose edges fall inside a token is left out of training and counted, and of
nested or overlapping spans the longest are kept (``doc.ents`` cannot overlap). spaCy is
imported only here, when asked for.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.errors import InputError
from app.core.records import Record
from app.core.suggestions import Suggestion

PIPELINE_NAME = "tawsim_ner"
Progress = Callable[[int, int], None]  # (iterations done, iterations)


@dataclass(slots=True)
class TrainReport:
    documents: int = 0
    spans: int = 0  # trained on
    spans_unaligned: int = 0  # edges inside a spaCy token: left out
    spans_overlapping: int = 0  # nested or overlapping a longer one: left out
    labels: list[str] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)  # the entity loss after each iteration
    name: str = ""


def _spacy() -> Any:
    try:
        import spacy
    except ImportError:
        raise InputError(
            "spaCy is not installed: install Tawsim with its training extra "
            "(pip install -e '.[training]')"
        ) from None
    return spacy


def _examples(nlp: Any, records: Iterable[Record], report: TrainReport) -> list[Any]:
    from spacy.training import Example
    from spacy.util import filter_spans

    examples = []
    for record in records:
        if record.annotation is None:
            continue
        doc = nlp.make_doc(record.document.text)
        spans = []
        for s in record.annotation.spans:
            span = doc.char_span(s.start, s.end, label=s.label)
            if span is None:
                report.spans_unaligned += 1
            else:
                spans.append(span)
        kept = filter_spans(spans)
        report.spans_overlapping += len(spans) - len(kept)
        report.spans += len(kept)
        report.documents += 1
        entities = [(e.start_char, e.end_char, e.label_) for e in kept]
        examples.append(Example.from_dict(doc, {"entities": entities}))
    return examples


def train_pipeline(
    records: Iterable[Record],
    outdir: Path,
    *,
    iterations: int = 10,
    seed: int = 13,
    progress: Progress | None = None,
) -> TrainReport:
    """Train on ``records`` (their sets' spans) and save the pipeline to ``outdir``."""
    spacy = _spacy()
    from spacy.util import fix_random_seed, minibatch

    if iterations < 1:
        raise InputError("--iterations must be at least 1")
    fix_random_seed(seed)
    nlp = spacy.blank("ar")
    ner = nlp.add_pipe("ner")
    report = TrainReport()
    examples = _examples(nlp, records, report)
    if not report.spans:
        raise InputError(
            "nothing to train on: no approved span lines up with spaCy's tokens "
            f"({report.documents} document(s), {report.spans_unaligned} span(s) left out)"
        )
    report.labels = sorted({e.label_ for ex in examples for e in ex.reference.ents})
    for label in report.labels:
        ner.add_label(label)
    optimizer = nlp.initialize(lambda: examples)
    shuffle = random.Random(seed)
    for done in range(1, iterations + 1):
        shuffle.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=16):
            nlp.update(batch, sgd=optimizer, losses=losses, drop=0.2)
        report.losses.append(round(losses.get("ner", 0.0), 3))
        if progress is not None:
            progress(done, iterations)
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = (
        f"Tawsim: entities from {report.documents} approved document(s), "
        f"{report.spans} span(s), {iterations} iteration(s)"
    )
    report.name = f"{PIPELINE_NAME}@1.0.0"
    _save_atomically(nlp, outdir)
    return report


def _save_atomically(nlp: Any, outdir: Path) -> None:
    """``outdir`` holds the previous pipeline or the complete new one, never a mix."""
    outdir = outdir.resolve()
    if outdir.exists() and not (outdir / "meta.json").exists() and any(outdir.iterdir()):
        raise InputError(f"{outdir} is a folder that does not hold a pipeline; choose another")
    outdir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{outdir.name}-", dir=outdir.parent))
    try:
        nlp.to_disk(staging / "pipeline")
        old = None
        if outdir.exists():
            old = staging / "previous"
            outdir.rename(old)
        (staging / "pipeline").rename(outdir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


class ModelSuggester:
    """A trained pipeline's entities for a text, as suggestions that name the model."""

    def __init__(self, path: Path):
        spacy = _spacy()
        try:
            self.nlp = spacy.load(path)
        except (OSError, ValueError) as exc:
            raise InputError(f"{path} is not a spaCy pipeline: {exc}") from None
        meta = self.nlp.meta
        self.name = f"{meta.get('name', path.name)}@{meta.get('version', '?')}"

    def suggest(self, text: str) -> list[Suggestion]:
        doc = self.nlp(text)
        return [
            Suggestion(e.start_char, e.end_char, e.label_, f"model:{self.name}") for e in doc.ents
        ]
