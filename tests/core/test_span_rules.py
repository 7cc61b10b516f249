"""What an edge that cuts a character is called, and which edges are word edges."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.domain import EntitySpan
from app.core.schema import LabelSchema
from app.core.span_rules import _quick_edges, check_set, edge_problem, range_problem

ZWNJ, ZWJ = "\u200c", "\u200d"


@pytest.mark.parametrize(
    "text",
    [
        f"فرنسا{ZWNJ}وبريطانيا",  # a letter, then the ZWNJ
        f"مصرَ{ZWNJ}والأردن",  # a letter and its fatha, then the ZWNJ
        f"مصرًّ{ZWJ}والأردن",  # two diacritics, then a ZWJ
    ],
)
def test_an_edge_before_a_joiner_after_a_word_is_a_word_edge(text: str) -> None:
    joiner = next(i for i, c in enumerate(text) if c in ZWNJ + ZWJ)
    assert edge_problem(text, joiner) == ""
    assert edge_problem(text, joiner + 1) == ""


def test_a_non_joiner_after_a_digit_is_named_as_what_it_is() -> None:
    text = f"في عام 2024{ZWNJ}م وقع الحدث."
    why = edge_problem(text, text.index(ZWNJ))
    assert why and "emoji" not in why
    assert "zero-width non-joiner" in why and "U+200C" in why and "'4'" in why


def test_a_joiner_after_a_digit_is_a_joiner_not_a_non_joiner() -> None:
    text = f"2024{ZWJ}م"
    why = edge_problem(text, 4)
    assert "zero-width joiner" in why and "non-joiner" not in why and "emoji" not in why


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("\U0001f468\u200d\U0001f469\u200d\U0001f467", 1),  # family: before a ZWJ
        ("\U0001f468\u200d\U0001f469\u200d\U0001f467", 2),  # family: after a ZWJ
    ],
)
def test_an_edge_inside_an_emoji_zwj_sequence_says_so(text: str, index: int) -> None:
    assert "emoji sequence joined by a zero-width joiner" in edge_problem(text, index)


def test_other_cuts_keep_their_messages() -> None:
    assert "diacritic arabic fathatan" in edge_problem("أيضًا", 3)
    assert "inside a flag" in edge_problem("\U0001f1f8\U0001f1e6", 1)
    assert "emoji" in edge_problem("\U0001f44d\U0001f3fd", 1)  # a skin tone


SCHEMA = LabelSchema("s", 1, ())
_PIECES = st.sampled_from(
    [*"كتب الولد مصرَ ٍّ 1a", ZWNJ, ZWJ, "\U0001f468", "\U0001f1f8", "\U0001f1e6", "\u0915", "\u094d"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join), st.integers(-2, 16), st.integers(-2, 16))
def test_the_quick_edge_check_passes_only_what_the_full_rules_pass(
    text: str, start: int, end: int
) -> None:
    """``_quick_edges`` (a cached pair of characters) lets a range through only where the
    full rules (bounds, then each edge's problem) find nothing: a quick path that passed a
    cut cluster would store it without the report every import gives."""
    if _quick_edges(text, start, end):
        assert 0 <= start < end <= len(text)
        assert range_problem(text, start, end) == ""
    if 0 <= start < end <= len(text):
        kept = check_set(text, [EntitySpan(start, end, "X")], [], SCHEMA, strict_edges=False)
        assert bool(kept) == bool(range_problem(text, start, end))
