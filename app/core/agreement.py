"""How far annotators agree: entity P/R/F1 per pair and stance coefficients.

Input is each document's work by annotator; a document counts for a pair of annotators only if
both have work on it (an annotation set, even one with no span). Definitions are in
:mod:`app.core.agreement_entities` and :mod:`app.core.agreement_stance`. Everything here is
plain Python: no Qt, no SQL. :meth:`AgreementReport.to_dict`
is JSON-serialisable (no NaN: undefined figures are ``None``, with a reason for coefficients).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.agreement_entities import (
    NO_OVERLAP,
    OK,
    AverageF1,
    EntityAgreement,
    EntityTally,
    MatchCounts,
    MatchScores,
    PairAgreement,
)
from app.core.agreement_stance import (
    Coefficient,
    StanceAgreement,
    StanceScores,
    StanceTally,
    stance_scores,
)
from app.core.domain import EntitySpan

__all__ = [
    "NO_OVERLAP",
    "OK",
    "AgreementReport",
    "AnnotatorWork",
    "AverageF1",
    "Coefficient",
    "EntityAgreement",
    "MatchCounts",
    "MatchScores",
    "PairAgreement",
    "StanceAgreement",
    "StanceScores",
    "compute_agreement",
    "stance_scores",
]


@dataclass(frozen=True, slots=True)
class AnnotatorWork:
    """One annotator's work on one document."""

    spans: tuple[EntitySpan, ...] = ()
    stances: Mapping[str, str] = field(default_factory=dict)
    """Stance target -> stance value."""


WorkByDocument = Mapping[int, Mapping[str, AnnotatorWork]]


@dataclass(frozen=True, slots=True)
class AgreementReport:
    documents: int
    """Documents with work from at least one annotator."""
    shared_documents: int
    """Documents with work from at least two annotators."""
    annotators: tuple[str, ...]
    entities: EntityAgreement
    stance: StanceAgreement

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "shared_documents": self.shared_documents,
            "annotators": list(self.annotators),
            "entities": self.entities.to_dict(),
            "stance": self.stance.to_dict(),
        }


def compute_agreement(
    work: WorkByDocument | Iterable[tuple[int, Mapping[str, AnnotatorWork]]],
    *,
    stance_values: Sequence[str] = (),
) -> AgreementReport:
    """Agreement over ``work``: document id -> annotator name -> :class:`AnnotatorWork`.

    ``work`` may also be an iterable of ``(document_id, work_by_annotator)`` pairs, consumed
    once, so a caller can stream documents (each document must come once, whole).
    ``stance_values`` are the schema's stance values: they set the number of categories of
    Gwet's AC1 (values seen in the data are always added).
    """
    pairs = work.items() if isinstance(work, Mapping) else work
    entities, stance = EntityTally(), StanceTally()
    documents = shared = 0
    for _document_id, by_annotator in pairs:
        if not by_annotator:
            continue
        documents += 1
        shared += len(by_annotator) >= 2
        entities.add_document({name: w.spans for name, w in by_annotator.items()})
        stance.add_document({name: w.stances for name, w in by_annotator.items()})
    return AgreementReport(
        documents=documents,
        shared_documents=shared,
        annotators=tuple(sorted(entities.annotators)),
        entities=entities.result(),
        stance=stance.result(stance_values),
    )
