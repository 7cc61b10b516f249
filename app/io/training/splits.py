"""Deterministic, stratified, document-level train/dev/test splits.

Each document goes to exactly one split (documents are unique by text, so an exact duplicate
can never straddle two splits; all annotation sets of a document follow it). Documents are
grouped by stratum — their source and the set of labels they contain — shuffled with the seed
inside each stratum, and dealt out one by one to the split furthest below its share (overall,
then within the stratum), so the whole is split exactly as asked and every stratum nearly so.
"""

from __future__ import annotations

import hashlib
import sys
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy

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


def _shuffle_key(seed: int, key: str) -> int:
    """Where a unit falls in its stratum's shuffle: the first 64 bits of SHA-256 (the order of
    the whole hex digest, which earlier versions sorted by, in a small integer)."""
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


@dataclass(slots=True)
class SplitPlan:
    """Which split each document goes to, one byte per document id (a million documents: a
    megabyte), planned by :func:`plan_splits`."""

    names: list[str]
    by_id: bytearray
    sizes: dict[str, int]

    def split_of(self, document_id: int | None) -> str | None:
        if document_id is None or not 0 <= document_id < len(self.by_id):
            return None
        n = self.by_id[document_id]
        return self.names[n - 1] if n else None


PlanRow = tuple[int, str, frozenset[str], str]
"""``(document id, source, labels, group)``: documents of one group (the same text) go to one
split, as one unit; the group names the unit in the shuffle."""


def plan_splits(rows: Iterable[PlanRow], ratios: Mapping[str, float], seed: int) -> SplitPlan:
    """Deal the documents of ``rows`` out to the splits (see the module docstring), holding
    about thirty bytes per document at the peak (a million documents: ~30 MB): each document
    is three numbers in arrays (its id, its place in the shuffle, its stratum), and units are
    sorted by numpy on (stratum rank, shuffle key, unit number).

    Documents of one group share their shuffle key (it is the group's hash), so sorting by
    that key brings them together; the unit is named by its first document in ``rows``."""
    ids = array("q")
    shuffle = array("Q")
    stratum_of = array("I")
    strata: dict[tuple[str, tuple[str, ...]], int] = {}
    for doc_id, source, labels, group in rows:
        key = (sys.intern(source), tuple(sorted(labels)))
        found = strata.get(key)
        if found is None:
            found = strata[key] = len(strata)
        ids.append(doc_id)
        shuffle.append(_shuffle_key(seed, group))
        stratum_of.append(found)
    leader_of = _same_groups(shuffle, stratum_of, strata)
    ordered = sorted(strata)
    rank = numpy.zeros(len(ordered), dtype=numpy.int64)
    for position, key in enumerate(ordered):
        rank[strata[key]] = position
    keep = numpy.ones(len(ids), dtype=bool)
    keep[list(leader_of)] = False
    unit = numpy.flatnonzero(keep)
    unit_rank = rank[numpy.frombuffer(stratum_of, dtype=numpy.uint32)[unit]] if len(unit) else unit
    order = numpy.lexsort((unit, numpy.frombuffer(shuffle, dtype=numpy.uint64)[unit], unit_rank))
    unit, unit_rank = unit[order], unit_rank[order]
    del shuffle, order
    names = list(ratios)
    by_id = bytearray(max(ids, default=-1) + 1)
    sizes = dict.fromkeys(names, 0)
    for n, chosen in _deal(_in_steps(unit_rank, unit), len(unit), ratios):
        by_id[ids[n]] = chosen + 1
        sizes[names[chosen]] += 1
    for follower, leader in leader_of.items():  # the same text again: with its first
        by_id[ids[follower]] = by_id[ids[leader]]
        sizes[names[by_id[ids[follower]] - 1]] += 1
    return SplitPlan(names, by_id, sizes)


def _in_steps(first: Any, second: Any, step: int = 65536) -> Iterator[tuple[int, int]]:
    """The pairs of two arrays as Python integers, a step at a time (not a million at once)."""
    for k in range(0, len(first), step):
        yield from zip(first[k : k + step].tolist(), second[k : k + step].tolist(), strict=True)


def _same_groups(
    shuffle: array[int], stratum_of: array[int], strata: dict[tuple[str, tuple[str, ...]], int]
) -> dict[int, int]:
    """Documents of one group (equal shuffle keys), as ``{later document: first document}``;
    the first takes the group's labels together (its stratum is updated in ``stratum_of``)."""
    keys_in = numpy.frombuffer(shuffle, dtype=numpy.uint64)
    by_key = numpy.argsort(keys_in, kind="stable")  # a group's documents in their order
    sorted_keys = keys_in[by_key]
    edges = numpy.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
    run_start = numpy.concatenate([[0], edges]) if len(by_key) else edges
    run_end = numpy.concatenate([edges, [len(by_key)]]) if len(by_key) else edges
    many = numpy.flatnonzero(run_end - run_start > 1)
    keys = list(strata)
    leader_of: dict[int, int] = {}
    for start, end in zip(run_start[many].tolist(), run_end[many].tolist(), strict=True):
        members = by_key[start:end].tolist()
        first = members[0]
        source = keys[stratum_of[first]][0]
        labels = frozenset(x for m in members for x in keys[stratum_of[m]][1])
        merged = (source, tuple(sorted(labels)))
        if merged not in strata:
            strata[merged] = len(strata)
            keys.append(merged)
        stratum_of[first] = strata[merged]
        leader_of.update((m, first) for m in members[1:])
    return leader_of


def _deal(
    units: Iterable[tuple[int, int]], total: int, ratios: Mapping[str, float]
) -> Iterator[tuple[int, int]]:
    """``(unit, split number)`` for units given as ``(stratum, unit)`` in dealing order: each
    goes to the split furthest below its share in its stratum, then overall (ties: the split
    named first), never beyond its share of the whole."""
    names = list(ratios)
    shares = [ratios[name] for name in names]
    apportioned = _apportion(total, ratios)
    quota = [apportioned[name] for name in names]
    counts = [0] * len(names)
    by_stratum: dict[int, list[int]] = {}
    for n, (stratum, unit) in enumerate(units, start=1):
        local = by_stratum.setdefault(stratum, [0] * len(names))
        local_n = sum(local) + 1
        chosen = max(
            (k for k in range(len(names)) if counts[k] < quota[k]),
            key=lambda k: (shares[k] * local_n - local[k], shares[k] * n - counts[k], -k),
        )
        local[chosen] += 1
        counts[chosen] += 1
        yield unit, chosen


def assign_splits(
    items: Iterable[SplitItem], ratios: Mapping[str, float], seed: int
) -> dict[str, str]:
    """Map each item's key to a split name; the same items, ratios and seed give the same map.
    Items of one ``group`` (the same text, occurring twice in a corpus) share a split; an item
    without one is a group of its own, named by its key. (:func:`plan_splits`, for items
    named by key rather than by document id.)"""
    given = sorted(items, key=lambda i: i.key)
    plan = plan_splits(
        ((n, i.source, i.labels, i.group or i.key) for n, i in enumerate(given)), ratios, seed
    )
    return {i.key: plan.split_of(n) or "" for n, i in enumerate(given)}


def _apportion(total: int, ratios: Mapping[str, float]) -> dict[str, int]:
    """Whole counts per split summing to ``total`` (largest remainder; ties by order given)."""
    exact = {name: ratio * total for name, ratio in ratios.items()}
    counts = {name: int(value) for name, value in exact.items()}
    names = list(ratios)
    by_remainder = sorted(names, key=lambda n: (-(exact[n] - counts[n]), names.index(n)))
    for name in by_remainder[: total - sum(counts.values())]:
        counts[name] += 1
    return counts
