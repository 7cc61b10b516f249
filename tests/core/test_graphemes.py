"""Tests for app.core.graphemes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.graphemes import (
    grapheme_boundaries,
    is_grapheme_boundary,
    next_grapheme_boundary,
    previous_grapheme_boundary,
    snap_to_grapheme,
)

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # man ZWJ woman ZWJ girl
FLAG_SA = "\U0001f1f8\U0001f1e6"
FLAG_EG = "\U0001f1ea\U0001f1ec"

# Characters that exercise every rule with context: regional indicators, emoji with ZWJ,
# skin tones and VS16, Indic consonants with virama, Hangul jamo, prepend, CR LF, tashkeel.
TRICKY = [
    "\U0001f1f8", "\U0001f1e6", "\U0001f1ea", "\U0001f468", "\U0001f469", "\u2764",
    "\u200d", "\u200c", "\ufe0f", "\U0001f3fd", "\u0915", "\u0937", "\u094d", "\u093c",
    "\u093f", "\u1100", "\u1161", "\u11a8", "\uac00", "\u0600", "\r", "\n", " ", "a",
    "\u0301", "\u0628", "\u064e", "\u0651", "\u0640", "\u200f",
]  # fmt: skip
tricky_text = st.lists(st.sampled_from(TRICKY), max_size=40).map("".join)
any_text = st.one_of(tricky_text, st.text(max_size=40))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", [0]),
        ("abc", [0, 1, 2, 3]),
        ("وَالاتِّحادِ", [0, 2, 3, 4, 5, 8, 9, 10, 12]),
        (FAMILY, [0, len(FAMILY)]),
        (FLAG_SA + FLAG_EG, [0, 2, 4]),
        (FLAG_SA + "\U0001f1ea", [0, 2, 3]),
        ("a\r\nb", [0, 1, 3, 4]),
        ("क्ष", [0, 3]),
    ],
)
def test_grapheme_boundaries_examples(text: str, expected: list[int]) -> None:
    assert grapheme_boundaries(text) == expected


@given(any_text)
def test_is_grapheme_boundary_agrees_with_full_segmentation(text: str) -> None:
    boundaries = set(grapheme_boundaries(text))
    for index in range(len(text) + 1):
        assert is_grapheme_boundary(text, index) == (index in boundaries), index


def test_is_grapheme_boundary_uses_left_context_for_flags_and_emoji() -> None:
    flags = "x" + FLAG_SA + FLAG_EG
    assert [is_grapheme_boundary(flags, i) for i in range(6)] == [
        True, True, False, True, False, True,
    ]  # fmt: skip
    # ZWJ before a pictograph joins only when an emoji precedes the ZWJ.
    assert not is_grapheme_boundary(FAMILY, 3)
    assert is_grapheme_boundary("a\u200d\U0001f469", 2)


def test_is_grapheme_boundary_on_long_text_near_the_end() -> None:
    text = "كلمة " * 20_000 + "وَ" + FAMILY
    assert not is_grapheme_boundary(text, len(text) - 1 - len(FAMILY))
    assert is_grapheme_boundary(text, len(text) - len(FAMILY))
    assert not is_grapheme_boundary(text, len(text) - 1)


@pytest.mark.parametrize("index", [-1, 4])
def test_out_of_range_index_is_rejected(index: int) -> None:
    with pytest.raises(ValueError):
        is_grapheme_boundary("abc", index)
    with pytest.raises(ValueError):
        snap_to_grapheme("abc", index, forward=True)


def test_snap_to_grapheme_examples() -> None:
    text = "بَيت"
    assert snap_to_grapheme(text, 1, forward=True) == 2
    assert snap_to_grapheme(text, 1, forward=False) == 0
    assert snap_to_grapheme(text, 2, forward=False) == 2
    assert snap_to_grapheme(FAMILY, 4, forward=True) == len(FAMILY)
    assert snap_to_grapheme(FAMILY, 4, forward=False) == 0


@given(any_text, st.data())
def test_snap_to_grapheme_finds_nearest_boundary(text: str, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(text)))
    boundaries = grapheme_boundaries(text)
    after = snap_to_grapheme(text, index, forward=True)
    before = snap_to_grapheme(text, index, forward=False)
    assert after == min(b for b in boundaries if b >= index)
    assert before == max(b for b in boundaries if b <= index)


@given(any_text.filter(bool), st.data())
def test_next_and_previous_boundary(text: str, data: st.DataObject) -> None:
    boundaries = grapheme_boundaries(text)
    position = data.draw(st.sampled_from(boundaries[:-1]))
    following = boundaries[boundaries.index(position) + 1]
    assert next_grapheme_boundary(text, position) == following
    assert previous_grapheme_boundary(text, following) == position


def test_next_and_previous_boundary_reject_the_ends() -> None:
    with pytest.raises(ValueError):
        next_grapheme_boundary("ab", 2)
    with pytest.raises(ValueError):
        previous_grapheme_boundary("ab", 0)
