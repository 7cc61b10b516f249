"""Stored text: UTF-8 decoding, BOM removal, newline normalization, and offsets that follow."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import InputError
from app.core.text_intake import decode_utf8, normalize_text


def test_crlf_cr_and_bom() -> None:
    raw = "\ufeffأ\r\nب\rج\n"
    text, shift = normalize_text(raw)
    assert text == "أ\nب\nج\n"
    # Every character that survives keeps pointing at itself.
    assert [text[shift(i)] for i in range(1, 8)] == ["أ", "\n", "\n", "ب", "\n", "ج", "\n"]
    assert shift(len(raw)) == len(text)


def test_nothing_else_changes() -> None:
    raw = "الـعـربية أَيْضًا \u200f Nvidia ٢٠٢٤ 😀\u00a0\u2028"
    text, shift = normalize_text(raw)
    assert text == raw and shift.is_identity


@given(
    st.lists(st.sampled_from(["ا", "ب", "\r", "\n", "\r\n", "😀", "\u064e", " "]), max_size=40).map(
        "".join
    )
)
def test_offsets_follow_the_characters(raw: str) -> None:
    text, shift = normalize_text(raw)
    assert "\r" not in text
    assert text == raw.replace("\r\n", "\n").replace("\r", "\n")
    for i, ch in enumerate(raw):
        if ch == "\r":
            assert text[shift(i)] == "\n"
        else:
            assert text[shift(i)] == ch
    positions = [shift(i) for i in range(len(raw) + 1)]
    assert positions == sorted(positions) and positions[-1] == len(text)


def test_bad_utf8_names_line_and_column() -> None:
    with pytest.raises(InputError, match=r"^line 2: not valid UTF-8 \(byte 0xff at column 3\)"):
        decode_utf8("سطر\n".encode() + b"ab\xffcd")
