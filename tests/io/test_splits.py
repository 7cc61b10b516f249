from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import InputError
from app.io.training.splits import SplitItem, assign_splits, parse_ratios

RATIOS = {"train": 0.8, "dev": 0.1, "test": 0.1}


def items(n: int) -> list[SplitItem]:
    labels = [frozenset({"PER"}), frozenset({"GPE", "ORG"}), frozenset()]
    return [SplitItem(f"doc-{i}", f"src{i % 2}", labels[i % 3]) for i in range(n)]


def test_parse_ratios() -> None:
    assert parse_ratios("train=0.8,dev=0.1,test=0.1") == RATIOS
    for bad, message in [
        ("train=0.8,dev=0.1", "add up to 1"),
        ("train=x", "bad split"),
        ("train=0.5,train=0.5", "named twice"),
        ("=1", "bad split"),
    ]:
        with pytest.raises(InputError, match=message):
            parse_ratios(bad)


def test_deterministic_and_proportional() -> None:
    data = items(1000)
    first = assign_splits(data, RATIOS, seed=7)
    assert first == assign_splits(list(reversed(data)), RATIOS, seed=7)  # order-free
    assert first != assign_splits(data, RATIOS, seed=8)
    sizes = {name: list(first.values()).count(name) for name in RATIOS}
    assert sizes == {"train": 800, "dev": 100, "test": 100}
    # Each stratum is split in proportion too.
    stratum = [i.key for i in data if i.source == "src0" and i.labels == frozenset({"PER"})]
    in_train = sum(first[k] == "train" for k in stratum)
    assert abs(in_train / len(stratum) - 0.8) < 0.05


@given(st.integers(1, 60), st.integers(0, 10_000))
def test_every_document_in_exactly_one_split(n: int, seed: int) -> None:
    data = items(n)
    assigned = assign_splits(data, RATIOS, seed)
    assert set(assigned) == {i.key for i in data}
    assert set(assigned.values()) <= set(RATIOS)
