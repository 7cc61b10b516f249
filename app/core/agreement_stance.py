"""Stance agreement: Cohen's kappa, Krippendorff's alpha (nominal) and Gwet's AC1.

An *item* is one (document, target); each annotator who judged that target on that document
gives it one rating (the stance value). Items rated by fewer than two annotators carry no
agreement information and are left out of every figure (they are counted in
``single_rated``). With no item left, every figure is ``None`` and the status is
``"no overlap"``.

- Percent agreement: per item, the share of agreeing ordered rater pairs,
  ``Σ_k r_ik(r_ik − 1) / (r_i(r_i − 1))``, averaged over items (Gwet's ``p_a``; with two
  annotators it is the share of items they agree on).
- Cohen's kappa, only when exactly two annotators rated the items:
  ``(p_o − p_e) / (1 − p_e)`` with ``p_e = Σ_k p_ak · p_bk`` from each annotator's own marginals.
- Krippendorff's alpha (nominal), any number of annotators, missing ratings allowed, from the
  coincidence matrix: ``1 − (n − 1) · Σ_u (m_u² − Σ_c n_uc²)/(m_u − 1) / (n² − Σ_c n_c²)``.
  Written here (exactly, over integers) rather than taken from the ``krippendorff`` package,
  which is GPL-3.0; the tests check it against that package on random data.
- Gwet's AC1: ``(p_a − p_e) / (1 − p_e)`` with ``p_e = Σ_k π_k(1 − π_k) / (q − 1)``,
  ``π_k = mean_i(r_ik / r_i)`` and ``q`` the number of stance values (the schema's values plus
  any others seen). Unlike kappa it stays high when one value dominates and raters agree.

A coefficient that is undefined (a 0/0, e.g. kappa when both annotators always gave the same
single value, so chance agreement is 1) is ``None`` with a reason, never NaN.

Every coefficient is computed exactly over integer counts (``fractions``) and rounded once to a
float.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from app.core.agreement_entities import NO_OVERLAP, OK

Ratings = Mapping[str, str]
"""One item's ratings: annotator name -> stance value."""


@dataclass(frozen=True, slots=True)
class Coefficient:
    value: float | None
    reason: str | None = None
    """Why ``value`` is ``None``."""

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "reason": self.reason}


def _no_overlap() -> Coefficient:
    return Coefficient(None, "no item was judged by two or more annotators")


@dataclass(frozen=True, slots=True)
class StanceScores:
    items: int
    """Items rated by at least two annotators: the ones every figure is computed over."""
    single_rated: int
    annotators: tuple[str, ...]
    percent_agreement: float | None
    cohen_kappa: Coefficient
    krippendorff_alpha: Coefficient
    gwet_ac1: Coefficient

    @property
    def status(self) -> str:
        return OK if self.items else NO_OVERLAP

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "items": self.items,
            "single_rated": self.single_rated,
            "annotators": list(self.annotators),
            "percent_agreement": self.percent_agreement,
            "cohen_kappa": self.cohen_kappa.to_dict(),
            "krippendorff_alpha": self.krippendorff_alpha.to_dict(),
            "gwet_ac1": self.gwet_ac1.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class StanceAgreement:
    overall: StanceScores
    """All targets pooled: every (document, target) is one item."""
    per_target: dict[str, StanceScores]

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_dict(),
            "per_target": {t: s.to_dict() for t, s in self.per_target.items()},
        }


def _by_raters(counts: Sequence[Counter[str]]) -> dict[int, Counter[str]]:
    """Value counts summed over the items with the same number of ratings ``r_i``."""
    grouped: dict[int, Counter[str]] = {}
    for item in counts:
        grouped.setdefault(item.total(), Counter()).update(item)
    return grouped


def _percent_agreement(counts: Sequence[Counter[str]]) -> Fraction:
    agreeing: dict[int, int] = {}  # r_i -> Σ_k r_ik(r_ik - 1) over those items
    for item in counts:
        r = item.total()
        agreeing[r] = agreeing.get(r, 0) + sum(n * (n - 1) for n in item.values())
    total = sum((Fraction(a, r * (r - 1)) for r, a in agreeing.items()), Fraction(0))
    return total / len(counts)


def cohen_kappa(items: Sequence[Ratings], a: str, b: str) -> Coefficient:
    """Cohen's kappa of ``b`` against ``a`` over the items both rated."""
    pairs = [(item[a], item[b]) for item in items if a in item and b in item]
    if not pairs:
        return _no_overlap()
    n = len(pairs)
    agreed = sum(x == y for x, y in pairs)
    a_marg, b_marg = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    chance = sum(a_marg[k] * b_marg[k] for k in a_marg)  # p_e · n²
    if chance == n * n:
        return Coefficient(
            None, "both annotators gave every item the same value: chance agreement is 1"
        )
    return Coefficient(float(Fraction(agreed * n - chance, n * n - chance)))


def krippendorff_alpha(counts: Sequence[Counter[str]]) -> Coefficient:
    """Krippendorff's alpha (nominal) from per-item value counts (items with ≥ 2 ratings)."""
    values = sorted({v for item in counts for v in item})
    if len(values) < 2:
        return Coefficient(None, "every rating has the same value: expected disagreement is 0")
    observed = sum(
        (
            Fraction(item.total() ** 2 - sum(n * n for n in item.values()), item.total() - 1)
            for item in counts
        ),
        Fraction(0),
    )
    totals = Counter[str]()
    for item in counts:
        totals.update(item)
    n = totals.total()
    expected = n * n - sum(c * c for c in totals.values())
    return Coefficient(float(1 - (n - 1) * observed / expected))


def gwet_ac1(counts: Sequence[Counter[str]], categories: Sequence[str] = ()) -> Coefficient:
    """Gwet's AC1 from per-item value counts; ``q`` = ``categories`` plus the values seen."""
    q = len(set(categories).union(*counts))
    if q < 2:
        return Coefficient(
            None, "only one stance value is known: AC1 needs at least two categories"
        )
    pa = _percent_agreement(counts)
    pi: dict[str, Fraction] = {}  # Σ_i r_ik / r_i, summed per r_i first to stay fast
    for r, summed in _by_raters(counts).items():
        for value, n in summed.items():
            pi[value] = pi.get(value, Fraction(0)) + Fraction(n, r)
    shares = [p / len(counts) for p in pi.values()]
    pe = sum((p * (1 - p) for p in shares), Fraction(0)) / (q - 1)
    return Coefficient(float((pa - pe) / (1 - pe)))


def stance_scores(items: Sequence[Ratings], categories: Sequence[str] = ()) -> StanceScores:
    """All figures for a list of items (see the module docstring for definitions)."""
    rated = [item for item in items if len(item) >= 2]
    single = len(items) - len(rated)
    if not rated:
        none = _no_overlap()
        return StanceScores(0, single, (), None, none, none, none)
    annotators = tuple(sorted({name for item in rated for name in item}))
    counts = [Counter(item.values()) for item in rated]
    if len(annotators) == 2:
        kappa = cohen_kappa(rated, *annotators)
    else:
        kappa = Coefficient(
            None,
            f"Cohen's kappa is for exactly two annotators; {len(annotators)} rated these "
            "items (see Krippendorff's alpha)",
        )
    return StanceScores(
        items=len(rated),
        single_rated=single,
        annotators=annotators,
        percent_agreement=float(_percent_agreement(counts)),
        cohen_kappa=kappa,
        krippendorff_alpha=krippendorff_alpha(counts),
        gwet_ac1=gwet_ac1(counts, categories),
    )


class StanceTally:
    """Collects ratings per (document, target), one document at a time."""

    def __init__(self) -> None:
        self._items: dict[str, list[dict[str, str]]] = {}

    def add_document(self, stances: Mapping[str, Mapping[str, str]]) -> None:
        """Add one document: annotator name -> {target: value}."""
        by_target: dict[str, dict[str, str]] = {}
        for name, judged in stances.items():
            for target, value in judged.items():
                by_target.setdefault(target, {})[name] = value
        for target, ratings in by_target.items():
            self._items.setdefault(target, []).append(ratings)

    def result(self, categories: Sequence[str] = ()) -> StanceAgreement:
        per_target = {
            target: stance_scores(self._items[target], categories) for target in sorted(self._items)
        }
        pooled = [item for target in sorted(self._items) for item in self._items[target]]
        return StanceAgreement(stance_scores(pooled, categories), per_target)
