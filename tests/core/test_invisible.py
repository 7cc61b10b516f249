"""Tests for app.core.arabic.invisible."""

from __future__ import annotations

import pytest

from app.core.arabic.invisible import (
    BIDI_CONTROLS,
    INVISIBLE_CHARS,
    find_invisible,
    has_bidi_controls,
    visible_symbol,
)

EXPECTED_NAMES = {
    0x200E: "LRM", 0x200F: "RLM", 0x202A: "LRE", 0x202B: "RLE", 0x202C: "PDF",
    0x202D: "LRO", 0x202E: "RLO", 0x2066: "LRI", 0x2067: "RLI", 0x2068: "FSI",
    0x2069: "PDI", 0x200D: "ZWJ", 0x200C: "ZWNJ", 0x061C: "ALM", 0x200B: "ZWSP",
    0xFEFF: "BOM", 0x2060: "WJ",
}  # fmt: skip


@pytest.mark.parametrize(("code_point", "name"), sorted(EXPECTED_NAMES.items()))
def test_named_characters(code_point: int, name: str) -> None:
    assert INVISIBLE_CHARS[chr(code_point)] == name


def test_mapping_is_read_only() -> None:
    with pytest.raises(TypeError):
        INVISIBLE_CHARS["x"] = "X"  # type: ignore[index]


def test_find_invisible() -> None:
    text = "\u200fالاتحاد\u200c الأوروبي\u2067x\u2069"
    assert find_invisible(text) == [(0, "RLM"), (8, "ZWNJ"), (18, "RLI"), (20, "PDI")]
    assert find_invisible("الاتحاد الأوروبي") == []


@pytest.mark.parametrize("control", sorted(BIDI_CONTROLS))
def test_has_bidi_controls_for_each_control(control: str) -> None:
    assert has_bidi_controls("مرحبا" + control + "world")


@pytest.mark.parametrize("text", ["", "مرحبا world", "می\u200cخواهم", "\ufeffa", "a\u200db"])
def test_no_bidi_controls(text: str) -> None:
    assert not has_bidi_controls(text)


def test_visible_symbol() -> None:
    assert visible_symbol("\u200f") == "‹RLM›"
    assert visible_symbol("\u061c") == "‹ALM›"
    assert visible_symbol("\u2061") == "‹U+2061›"  # unnamed format character
    assert visible_symbol("ب") == "ب"
    assert visible_symbol(" ") == " "


@pytest.mark.parametrize("ch", ["", "ab"])
def test_visible_symbol_needs_one_character(ch: str) -> None:
    with pytest.raises(ValueError):
        visible_symbol(ch)


def test_every_symbol_is_printable() -> None:
    for ch in INVISIBLE_CHARS:
        symbol = visible_symbol(ch)
        assert symbol.isprintable()
        assert not set(symbol) & set(INVISIBLE_CHARS)
