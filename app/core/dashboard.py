"""What the dashboard and ``tawsim report`` show: frozen figures, read by the application core
(:meth:`app.store.core.Tawsim.dashboard`) as the acting user may see them.

Plain data: no Qt, no SQL, no matplotlib. "Handed in" means what :attr:`Selection.SUBMITTED`
takes everywhere (submitted, approved and rejected sets); "approved" the gold sets.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

DECISION_ACTIONS = ("set.approve", "set.reject", "set.reopen")
"""The audit log's review decisions, counted per day."""
AGREEMENT_WEEKS = 26
"""Agreement is computed for the most recent weeks with shared documents, at most this many."""
AGREEMENT_PER_WEEK = 100
"""At most this many shared documents a week are scored (a fixed sample beyond)."""


@dataclass(frozen=True, slots=True)
class LabelInfo:
    """An entity label as the charts show it: the schema's order, names and colours."""

    name: str
    name_ar: str = ""
    color: str = ""


@dataclass(frozen=True, slots=True)
class AnnotatorSets:
    """One annotator's sets in each status (the kept counts, not a recount)."""

    annotator: str
    in_progress: int = 0
    submitted: int = 0
    approved: int = 0
    rejected: int = 0

    @property
    def handed_in(self) -> int:
        return self.submitted + self.approved + self.rejected

    @property
    def total(self) -> int:
        return self.in_progress + self.handed_in


@dataclass(frozen=True, slots=True)
class LabelCount:
    """Spans of one label in one annotator's handed-in sets, and of those in approved ones."""

    annotator: str
    label: str
    handed_in: int
    approved: int


@dataclass(frozen=True, slots=True)
class StanceCount:
    """Stance judgements of one value towards one target in handed-in and in approved sets."""

    target: str
    value: str
    handed_in: int
    approved: int


@dataclass(frozen=True, slots=True)
class DecisionDay:
    """Review decisions (audit log) on one day, UTC."""

    day: date
    approved: int = 0
    rejected: int = 0
    reopened: int = 0

    @property
    def total(self) -> int:
        return self.approved + self.rejected + self.reopened


@dataclass(frozen=True, slots=True)
class WeekAgreement:
    """Agreement over the documents whose last hand-in fell in one ISO week.

    ``documents`` were handed in by two or more annotators that week; ``measured`` of them
    were scored (all of them, or a fixed sample of :data:`AGREEMENT_PER_WEEK`)."""

    week: str
    """ISO week, ``2025-W07``."""
    monday: date
    documents: int
    measured: int
    entity_f1: float | None
    """Mean pairwise entity F1, exact match (None: no pair marked an entity)."""
    overlap_f1: float | None
    stance_alpha: float | None
    """Krippendorff's alpha (nominal), every target pooled: defined for any number of
    annotators (Cohen's kappa only for two)."""
    stance_kappa: float | None
    stance_items: int

    @property
    def sampled(self) -> bool:
        return self.measured < self.documents


@dataclass(frozen=True, slots=True)
class Dashboard:
    viewer: str
    own_work_only: bool
    """The viewer is an annotator: every figure holds their own sets only (blind annotation)."""
    made_at: datetime
    documents: int
    labels: tuple[LabelInfo, ...]
    """The schema's labels, then any other label a span uses."""
    stance_values: tuple[str, ...]
    annotators: tuple[AnnotatorSets, ...]
    label_counts: tuple[LabelCount, ...]
    stances: tuple[StanceCount, ...]
    decisions: tuple[DecisionDay, ...]
    """In day order; days without a decision are left out."""
    agreement: tuple[WeekAgreement, ...]
    """In week order: the last :data:`AGREEMENT_WEEKS` weeks with shared documents."""
    agreement_weeks: int
    """How many weeks have shared documents in all (more than ``len(agreement)``: cut)."""

    def label(self, name: str) -> LabelInfo:
        return next((x for x in self.labels if x.name == name), LabelInfo(name))

    @property
    def used_labels(self) -> tuple[LabelInfo, ...]:
        """The labels some handed-in span has, in schema order."""
        used = {c.label for c in self.label_counts if c.handed_in}
        return tuple(x for x in self.labels if x.name in used)

    def spans_by_label(self, *, approved: bool = False) -> dict[str, int]:
        """Spans per label (handed in, or approved), every label in order, zeros included."""
        totals = dict.fromkeys((x.name for x in self.labels), 0)
        for c in self.label_counts:
            totals[c.label] = totals.get(c.label, 0) + (c.approved if approved else c.handed_in)
        return totals

    def spans_by_annotator(self, *, approved: bool = False) -> dict[str, dict[str, int]]:
        """annotator -> label -> spans (handed in, or approved), annotators by name."""
        table: dict[str, dict[str, int]] = defaultdict(dict)
        for c in sorted(self.label_counts, key=lambda c: c.annotator):
            table[c.annotator][c.label] = c.approved if approved else c.handed_in
        return dict(table)

    def stance_by_target(self, *, approved: bool = True) -> dict[str, dict[str, int]]:
        """target -> value -> judgements, targets by how many judgements they have."""
        table: dict[str, dict[str, int]] = defaultdict(dict)
        for s in self.stances:
            n = s.approved if approved else s.handed_in
            if n:
                table[s.target][s.value] = n
        return dict(sorted(table.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])))

    @property
    def decision_totals(self) -> DecisionDay:
        """Every decision, summed (``day`` is the last day with one, or today)."""
        days = self.decisions
        return DecisionDay(
            days[-1].day if days else self.made_at.date(),
            sum(d.approved for d in days),
            sum(d.rejected for d in days),
            sum(d.reopened for d in days),
        )

    @property
    def agreement_sampled(self) -> bool:
        return any(w.sampled for w in self.agreement)

    @property
    def agreement_sample_size(self) -> int:
        """How many documents a sampled week was scored on (0: no week was sampled)."""
        return max((w.measured for w in self.agreement if w.sampled), default=0)
