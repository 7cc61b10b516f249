"""Tests for app.core.utf16."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.utf16 import Utf16Map

EMOJI = "\U0001f600"
ASTRAL = ["\U0001f600", "\U0001f1f8", "\U00020000", "\U0010fffd", "\U0001d11e"]
mixed_text = st.one_of(
    st.text(max_size=50),
    st.lists(st.sampled_from([*ASTRAL, "a", "ب", "\u064e", "\uffff", "\u200d"]), max_size=50).map(
        "".join
    ),
)


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_examples() -> None:
    text = "a" + EMOJI + "ب" + EMOJI
    mapping = Utf16Map(text)
    assert mapping.length == 4
    assert mapping.utf16_length == 6
    assert [mapping.to_utf16(i) for i in range(5)] == [0, 1, 3, 4, 6]
    assert [mapping.to_code_point(u) for u in range(7)] == [0, 1, 1, 2, 3, 3, 4]


def test_text_without_astral_characters_is_identity() -> None:
    mapping = Utf16Map("الاتحاد الأوروبي")
    assert all(mapping.to_utf16(i) == i == mapping.to_code_point(i) for i in range(17))


@pytest.mark.parametrize("bad", [-1, 3])
def test_code_point_index_out_of_range(bad: int) -> None:
    with pytest.raises(ValueError):
        Utf16Map(EMOJI + "a").to_utf16(bad)


@pytest.mark.parametrize("bad", [-1, 4])
def test_utf16_index_out_of_range(bad: int) -> None:
    with pytest.raises(ValueError):
        Utf16Map(EMOJI + "a").to_code_point(bad)


@given(mixed_text)
def test_to_utf16_counts_utf16_units(text: str) -> None:
    mapping = Utf16Map(text)
    assert mapping.utf16_length == utf16_units(text)
    for i in range(len(text) + 1):
        assert mapping.to_utf16(i) == utf16_units(text[:i])


@given(mixed_text)
def test_round_trip_from_code_points(text: str) -> None:
    mapping = Utf16Map(text)
    for i in range(len(text) + 1):
        assert mapping.to_code_point(mapping.to_utf16(i)) == i


@given(mixed_text)
def test_utf16_index_inside_a_pair_rounds_down(text: str) -> None:
    mapping = Utf16Map(text)
    starts = {mapping.to_utf16(i) for i in range(len(text) + 1)}
    for u in range(mapping.utf16_length + 1):
        cp = mapping.to_code_point(u)
        if u in starts:
            assert mapping.to_utf16(cp) == u
        else:  # the low surrogate position of an astral character
            assert mapping.to_utf16(cp) == u - 1
            assert ord(text[cp]) > 0xFFFF
