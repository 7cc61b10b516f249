"""Tests for app.core.arabic.span_snapping."""

from __future__ import annotations

import unicodedata
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.arabic.span_snapping import snap_span, strip_leading_clitic
from app.core.graphemes import grapheme_boundaries

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_21805d7ab441cd75.txt"
ANER = ROOT.parent / "shared" / "data" / "anercorp_camellab_test" / "ANERCorp_CamelLab_test.txt"
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
FLAG = "\U0001f1f8\U0001f1e6"

PIECES = [
    "و", "ف", "ب", "ك", "ل", "ا", "ال", "أ", "ي", "ة", "ـ", "\u064e", "\u0650", "\u0651",
    " ", "  ", "،", "؛", "«", "»", ".", "(", "\u200f", "\u200c", "a", "Z", "7", "٣",
    FAMILY, FLAG, "\u0301",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)


def snapped(text: str, fragment: str, *, occurrence: int = 0, **options: bool) -> str:
    """Snap the selection of ``fragment`` (its n-th occurrence) and return the result."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(fragment, start + 1)
    s, e = snap_span(text, start, start + len(fragment), **options)
    return text[s:e]


def is_word_cluster(cluster: str) -> bool:
    return unicodedata.category(cluster[0])[0] == "M" or any(
        unicodedata.category(ch)[0] in "LN" for ch in cluster
    )


@pytest.mark.parametrize(
    ("text", "fragment", "expected"),
    [
        ("منسق السياسة الخارجية بالاتحاد الأوروبي", "لاتحا", "الاتحاد"),
        (
            "منسق السياسة الخارجية بالاتحاد الأوروبي",
            "ارجية بالاتحاد الأ",
            "الخارجية بالاتحاد الأوروبي",
        ),
        ("اليابان والاتحاد الأوروبي", "والاتحاد", "الاتحاد"),
        ("يعلنان وبالاتحاد", "وبالاتحاد", "الاتحاد"),
        ("قال فبالعراق", "بالعراق", "العراق"),
        ("كالعادة", "كالعادة", "العادة"),
        ("أعلن وَالاتِّحادِ اليوم", "وَالاتِّحادِ", "الاتِّحادِ"),
        ("أعلن وَالاتِّحادِ اليوم", "ت", "الاتِّحادِ"),
        ("قال: «بالصين»، ثم", " «بالصين»، ", "الصين"),
        ("تاكيشي إيوايا: “نحن نعيش", "إيوايا: “", "إيوايا"),
        ("التوترات الإقليمية | الأخبار العسكرية", "الإقليمية | ", "الإقليمية"),
        ("شركة Nvidia أعلنت", "vidi", "Nvidia"),
        ("في عام 2024، أعلنت", "024،", "2024"),
        ("شركة (Nvidia) في ٢٠٢٤.", "(Nvidia) في ٢٠٢٤.", "Nvidia) في ٢٠٢٤"),
        ("مع " + FLAG + "بالرياض" + FLAG, FLAG + "بالرياض" + FLAG, "الرياض"),
        ("\u200fبالقاهرة\u200f", "\u200fبالقاهرة\u200f", "القاهرة"),
        ("بـالاتحاد", "بـالاتحاد", "الاتحاد"),
    ],
)
def test_snap_examples(text: str, fragment: str, expected: str) -> None:
    assert snapped(text, fragment) == expected


@pytest.mark.parametrize(
    "word",
    [
        "وزير", "بريطانيا", "كندا", "فرنسا", "لبنان", "والد", "والي", "والده", "بالله",
        "للاتحاد", "وللاتحاد", "كاليفورنيا", "وكاليفورنيا", "بالتيمور", "فالنسيا", "بألمانيا",
        "و",
    ],
)  # fmt: skip
def test_words_that_are_not_split_by_default(word: str) -> None:
    text = f"قال {word} أمس"
    assert snapped(text, word) == word


def test_stripping_can_be_turned_off() -> None:
    text = "منسق السياسة بالاتحاد الأوروبي"
    assert snapped(text, "لاتحا", strip_proclitics=False) == "بالاتحاد"


def test_strip_article() -> None:
    text = "قال وَبِالاتِّحادِ والصين والله الكسندر"
    assert snapped(text, "الاتِّحادِ", strip_article=True) == "اتِّحادِ"
    assert snapped(text, "والصين", strip_article=True) == "صين"
    assert snapped(text, "والله", strip_article=True) == "والله"
    assert snapped(text, "الكسندر", strip_article=True) == "الكسندر"
    # Without proclitic stripping the first word does not start with the article.
    assert snapped(text, "والصين", strip_article=True, strip_proclitics=False) == "والصين"


def test_diacritics_on_clitics_go_with_the_clitic() -> None:
    text = "وَبِالاتِّحادِ"
    s, e = snap_span(text, 0, len(text))
    assert (s, e) == (4, len(text))
    assert text[:s] == "وَبِ"


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("قال ، ثم", 3, 6, (3, 3)),
        ("قال ، ثم", 5, 5, (5, 5)),
        ("قال ، ثم", 1, 1, (1, 1)),  # empty selection is not expanded
        ("بَيت", 1, 1, (0, 0)),  # rounded down to a cluster boundary
        (FAMILY, 0, len(FAMILY), (0, 0)),
        ("«»", 2, 0, (0, 0)),
    ],
)
def test_nothing_selected(text: str, start: int, end: int, expected: tuple[int, int]) -> None:
    assert snap_span(text, start, end) == expected


def test_reversed_selection() -> None:
    text = "منسق السياسة بالاتحاد الأوروبي"
    assert snap_span(text, 20, 15) == snap_span(text, 15, 20)


@pytest.mark.parametrize(("start", "end"), [(-1, 2), (0, 4), (5, 1)])
def test_out_of_range(start: int, end: int) -> None:
    with pytest.raises(ValueError):
        snap_span("abc", start, end)
    with pytest.raises(ValueError):
        strip_leading_clitic("abc", start, end)


def test_seed_article() -> None:
    text = SEED.read_text(encoding="utf-8")
    assert snapped(text, "لاتحاد الأوروبي جوزيب") == "الاتحاد الأوروبي جوزيب"
    assert snapped(text, "والاتحاد") == "الاتحاد"
    assert snapped(text, " وزير الخارجية") == "وزير الخارجية"
    assert snapped(text, "الصين وكوريا الشمالية وروسيا.") == "الصين وكوريا الشمالية وروسيا"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("بواشنطن", "واشنطن"),
        ("وواشنطن", "واشنطن"),
        ("لأفغانستان", "أفغانستان"),
        ("وبواشنطن", "بواشنطن"),  # one letter per call
        ("وبريطانيا", "بريطانيا"),
        ("وَبِواشنطن", "بِواشنطن"),
        ("بـواشنطن", "واشنطن"),
        ("للاتحاد", "لاتحاد"),
        ("بو", "و"),
        ("و", "و"),  # would leave nothing
        ("واشنطن", "اشنطن"),  # unconditional: the user asked for it
        ("أمريكا", "أمريكا"),
        ("Nvidia", "Nvidia"),
    ],
)
def test_strip_leading_clitic(word: str, expected: str) -> None:
    text = f"في {word} أمس"
    start = text.index(word)
    end = start + len(word)
    assert text[strip_leading_clitic(text, start, end) : end] == expected


def test_strip_leading_clitic_never_empties_the_span() -> None:
    text = "بواشنطن"
    assert strip_leading_clitic(text, 0, 1) == 0
    assert strip_leading_clitic(text, 0, 0) == 0
    assert strip_leading_clitic(text, 0, 2) == 1


@pytest.mark.shared_data
@pytest.mark.skipif(not ANER.exists(), reason="shared ANERCorp data not available")
def test_anercorp_tokens() -> None:
    sentences: list[list[str]] = [[]]
    for line in ANER.read_text(encoding="utf-8").splitlines():
        if line.strip():
            sentences[-1].append(line.rsplit(" ", 1)[0])
        else:
            sentences.append([])
    texts = {tok: " ".join(s) for s in sentences for tok in s if tok in ("بواشنطن", "لأفغانستان؛")}
    afghan = texts["لأفغانستان؛"]
    assert snapped(afghan, "لأفغانستان؛") == "لأفغانستان"
    assert snapped(afghan, "سبة لأفغان") == "النسبة لأفغانستان"
    s, e = snap_span(afghan, afghan.index("لأفغانستان؛"), afghan.index("لأفغانستان؛") + 11)
    assert afghan[strip_leading_clitic(afghan, s, e) : e] == "أفغانستان"
    washington = texts["بواشنطن"]
    s, e = snap_span(washington, washington.index("واشنطن"), washington.index("واشنطن") + 6)
    assert washington[s:e] == "بواشنطن"
    assert washington[strip_leading_clitic(washington, s, e) : e] == "واشنطن"


@given(texts, st.data(), st.booleans(), st.booleans())
def test_snapped_span_is_clean(
    text: str, data: st.DataObject, strip_proclitics: bool, strip_article: bool
) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(0, len(text)))
    options = {"strip_proclitics": strip_proclitics, "strip_article": strip_article}
    s, e = snap_span(text, start, end, **options)
    boundaries = grapheme_boundaries(text)
    assert 0 <= s <= e <= len(text)
    assert s in boundaries
    assert e in boundaries
    if s < e:
        clusters = [text[a:b] for a, b in pairwise(boundaries) if s <= a and b <= e]
        assert is_word_cluster(clusters[0])
        assert is_word_cluster(clusters[-1])
        assert e == len(text) or not is_word_cluster(text[e : boundaries[boundaries.index(e) + 1]])
    assert snap_span(text, s, e, **options) == (s, e)


@given(texts, st.data())
def test_unstripped_span_covers_every_selected_word_character(
    text: str, data: st.DataObject
) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    s, e = snap_span(text, start, end, strip_proclitics=False)
    for i in range(start, end):
        if unicodedata.category(text[i])[0] in "LN":
            assert s <= i < e
    stripped_start, stripped_end = snap_span(text, start, end)
    assert stripped_end == e
    assert s <= stripped_start <= e


@given(texts, st.data())
def test_strip_leading_clitic_removes_at_most_one_letter(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    result = strip_leading_clitic(text, start, end)
    if result != start:
        assert start < result < end
        assert result in grapheme_boundaries(text)
        removed = [
            ch for ch in text[start:result] if unicodedata.category(ch)[0] == "L" and ch != "\u0640"
        ]  # tatweel is Lm but not a letter here
        assert removed[0] in "وفبكل"
        assert set(removed[1:]) <= {"ـ"}
