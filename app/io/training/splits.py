"""Deterministic, stratified, document-level train/dev/test splits.

Each document goes to exactly one split (documents are unique by text, so an exact duplicate
can never straddle two splits; all annotation sets of a document follow it). Documents are
grouped by stratum — their source and the set of labels they contain — shuffled with the seed
inside each stratum, and dealt out one by one to the split furthest below its share (overall,
then within the stratum), so the whole is split exactly as asked and every stratum nearly so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.core.errors import InputError


@dataclass(frozen=True, slots=True)
class SplitItem:
    key: str  # document uuid
    source: str
    labels: frozenset[str]
    group: str = ""  # items of one group go to one split (identical texts: their text hash)


def parse_ratios(spec: str) -> dict[str, float]:
    """``train=0.8,dev=0.1,test=0.1`` → ratios that sum to 1 (order kept)."""
    ratios: dict[str, float] = {}
    for part in spec.split(","):
        name, _, value = part.partition("=")
        name = name.strip()
        try:
            ratio = float(value)
        except ValueError:
            raise InputError(f"bad split {part!r}: write NAME=FRACTION, e.g. train=0.8") from None
        if not name or not name.isidentifier() or ratio < 0:
            raise InputError(f"bad split {part!r}: write NAME=FRACTION, e.g. train=0.8")
        if name in ratios:
            raise InputError(f"split {name!r} is named twice")
        ratios[name] = ratio
    total = sum(ratios.values())
    if not ratios or abs(total - 1.0) > 1e-6:
        raise InputError(f"split fractions must add up to 1 (they add up to {total:g})")
    return ratios


def _shuffle_key(seed: int, key: str) -> str:
    return hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()


def assign_splits(
    items: Iterable[SplitItem], ratios: Mapping[str, float], seed: int
) -> dict[str, str]:
    """Map each item's key to a split name; the same items, ratios and seed give the same map.
    Items of one ``group`` (the same text, occurring twice in a corpus) share a split."""
    groups: dict[str, list[SplitItem]] = {}
    for item in items:
        groups.setdefault(item.group or item.key, []).append(item)
    whole = [
        SplitItem(key, members[0].source, frozenset().union(*(m.labels for m in members)))
        for key, members in groups.items()
    ]
    by_group = _assign(whole, ratios, seed)
    return {m.key: by_group[key] for key, members in groups.items() for m in members}


def _assign(items: Iterable[SplitItem], ratios: Mapping[str, float], seed: int) -> dict[str, str]:
    ordered = sorted(
        items,
        key=lambda i: (i.source, tuple(sorted(i.labels)), _shuffle_key(seed, i.key)),
    )
    names = list(ratios)
    counts = dict.fromkeys(names, 0)
    quota = _apportion(len(ordered), ratios)
    by_stratum: dict[tuple[str, tuple[str, ...]], dict[str, int]] = {}
    assigned: dict[str, str] = {}
    for n, item in enumerate(ordered, start=1):
        stratum = (item.source, tuple(sorted(item.labels)))
        local = by_stratum.setdefault(stratum, dict.fromkeys(names, 0))
        local_n = sum(local.values()) + 1

        def deficit(
            name: str, local: dict[str, int] = local, n: int = n, local_n: int = local_n
        ) -> tuple[float, float, int]:
            # Furthest below its share in this stratum, then overall; ties by order given.
            return (
                ratios[name] * local_n - local[name],
                ratios[name] * n - counts[name],
                -names.index(name),
            )

        chosen = max((name for name in names if counts[name] < quota[name]), key=deficit)
        local[chosen] += 1
        counts[chosen] += 1
        assigned[item.key] = chosen
    return assigned


def _apportion(total: int, ratios: Mapping[str, float]) -> dict[str, int]:
    """Whole counts per split summing to ``total`` (largest remainder; ties by order given)."""
    exact = {name: ratio * total for name, ratio in ratios.items()}
    counts = {name: int(value) for name, value in exact.items()}
    names = list(ratios)
    by_remainder = sorted(names, key=lambda n: (-(exact[n] - counts[n]), names.index(n)))
    for name in by_remainder[: total - sum(counts.values())]:
        counts[name] += 1
    return counts
