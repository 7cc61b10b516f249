"""Offsets in other units: converted exactly, and the unit of a file decided from evidence."""

from __future__ import annotations

import itertools

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from app.core.offset_units import OffsetUnit, Sample, UnitMap, _edge_score, decide

TEXT = "😀 وصل الوفد إلى جدة 🇸🇦 ثم زار الرياض‍ و👨‍👩‍👧 الدمام"


def at(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def in_unit(text: str, unit: OffsetUnit, span: tuple[int, int]) -> tuple[int, int]:
    mapping = UnitMap(text, unit)
    return mapping.from_codepoint(span[0]), mapping.from_codepoint(span[1])


def test_conversions_there_and_back() -> None:
    jeddah = at(TEXT, "جدة")
    for unit in OffsetUnit:
        mapping = UnitMap(TEXT, unit)
        start, end = in_unit(TEXT, unit, jeddah)
        assert (mapping.to_codepoint(start), mapping.to_codepoint(end)) == jeddah
    assert in_unit(TEXT, OffsetUnit.UTF16, jeddah) == (jeddah[0] + 1, jeddah[1] + 1)
    assert UnitMap(TEXT, OffsetUnit.UTF16).to_codepoint(1) is None  # inside the emoji


def test_the_doccano_case_from_the_issue() -> None:
    """doccano counts UTF-16: read as code points, جدة would become 'ة إ'-ish; decided: utf16."""
    spans = [in_unit(TEXT, OffsetUnit.UTF16, at(TEXT, w)) for w in ("جدة", "الرياض", "الدمام")]
    decision = decide([Sample(TEXT, [(s, e, None) for s, e in spans], "f:1")])
    assert decision.unit is OffsetUnit.UTF16 and decision.decided
    wrong = TEXT[spans[0][0] : spans[0][1]]
    assert wrong != "جدة"  # what reading them as code points would have given


def test_span_text_decides_and_contradiction_is_refused() -> None:
    jeddah = at(TEXT, "جدة")
    s8, e8 = in_unit(TEXT, OffsetUnit.UTF8, jeddah)
    assert decide([Sample(TEXT, [(s8, e8, "جدة")], "f:1")]).unit is OffsetUnit.UTF8
    s16, e16 = in_unit(TEXT, OffsetUnit.UTF16, jeddah)
    both = [Sample(TEXT, [(s8, e8, "جدة")], "f:1"), Sample(TEXT, [(s16, e16, "جدة")], "f:2")]
    refused = decide(both)
    assert refused.unit is None and "no one offset unit fits every record" in refused.why


def test_nothing_to_decide_where_the_units_agree() -> None:
    text = "Nvidia opened an office in Tokyo"
    decision = decide([Sample(text, [(*at(text, "Tokyo"), None)], "f:1")])
    assert decision.unit is OffsetUnit.CODEPOINTS and not decision.decided
    # Arabic letters are two UTF-8 bytes: byte offsets fall inside them, code points win.
    arabic = "زار الوفد مدينة جدة"
    assert (
        decide([Sample(arabic, [(*at(arabic, "جدة"), None)], "f:1")]).unit is OffsetUnit.CODEPOINTS
    )


def test_inconclusive_evidence_is_refused_with_the_record() -> None:
    text = "😀😀😀😀"  # no words: no edge tells the units apart
    refused = decide([Sample(text, [(0, 2, None)], "f.jsonl:7")])
    assert refused.unit is None and refused.why.startswith("f.jsonl:7:")


def test_a_span_that_splits_tanween_is_not_taken_for_grapheme_counting() -> None:
    text = "قال أيضًا إن"
    start = text.index("أيض")
    decision = decide([Sample(text, [(start, start + 3, None)], "f:1")])
    assert decision.unit is OffsetUnit.CODEPOINTS


def test_a_span_cut_before_word_final_tanween_is_not_taken_for_graphemes() -> None:
    """Counted in graphemes the edge would move over the tanween: code points keep it as
    given (and the import reports it) rather than widening the span."""
    text = "قال محمدٌ إن الاجتماع مهم."
    decision = decide([Sample(text, [(4, 8, None)], "f:1")])
    assert decision.unit is OffsetUnit.CODEPOINTS


def test_a_span_that_stops_before_a_non_joiner_is_not_taken_for_graphemes() -> None:
    """In graphemes '2024' would take the ZWNJ after it (one cluster with the 4)."""
    text = "في عام 2024\u200cم وقع الحدث."
    assert decide([Sample(text, [(7, 11, None)], "f:1")]).unit is OffsetUnit.CODEPOINTS


def test_an_edge_inside_an_emoji_sequence_is_not_a_word_edge() -> None:
    """Read as UTF-16, [0, 5) would end inside the family emoji: code points win."""
    text = "👨\u200d👩\u200d👧 قالت"
    decision = decide([Sample(text, [(0, 5, None)], "f:1")])
    assert decision.unit is OffsetUnit.CODEPOINTS


@pytest.mark.parametrize(
    ("text", "index", "start", "score"),
    [
        ("🇸🇦 جدة", 1, False, 0),  # inside a flag
        ("👨\u200d👩 جدة", 1, False, 0),  # before the ZWJ of an emoji sequence
        ("👨\u200d👩 جدة", 2, True, 0),  # after it
        ("😀 جدة", 1, False, 2),  # after an emoji
        ("فرنسا\u200cوبريطانيا", 5, False, 2),  # beside a ZWNJ between letters
        ("فرنسا\u200cوبريطانيا", 6, True, 2),
        ("مصرَ\u200cوالأردن", 4, False, 2),  # a diacritic, then the ZWNJ
        ("قال محمدٌ إن", 8, False, 2),  # before tanween: as good as a word edge
        ("قال محمدٌ إن", 8, True, 0),  # a span that starts with the tanween
        ("في 2024\u200cم", 7, False, 2),  # a digit, then a ZWNJ: as good as a word edge
        ("قال محمد إن", 6, False, 0),  # inside a word
    ],
)
def test_edge_scores(text: str, index: int, start: bool, score: int) -> None:
    assert _edge_score(text, index, start=start) == score


def mixed(first: OffsetUnit, last: OffsetUnit) -> list[Sample]:
    """Three records counted in ``first`` and a fourth in ``last`` (the reviewer's file)."""
    rows = [
        ("😀 زار الرئيس محمد مدينة الرياض أمس.", ["محمد", "الرياض"], first),
        ("🇸🇦 وصل الوزير خالد إلى جدة.", ["خالد", "جدة"], first),
        ("🎉 احتفلت تونس بفوز المنتخب.", ["تونس"], first),
        ("👍 قال سعيد إن بيروت جميلة.", ["سعيد", "بيروت"], last),
    ]
    return [
        Sample(text, [(*in_unit(text, unit, at(text, w)), None) for w in words], f"m.jsonl:{n}")
        for n, (text, words, unit) in enumerate(rows, 1)
    ]


@pytest.mark.parametrize(
    ("first", "last"),
    [(OffsetUnit.UTF16, OffsetUnit.CODEPOINTS), (OffsetUnit.CODEPOINTS, OffsetUnit.UTF16)],
)
def test_a_record_in_another_unit_than_the_rest_is_refused(
    first: OffsetUnit, last: OffsetUnit
) -> None:
    decision = decide(mixed(first, last))
    assert decision.unit is None
    assert decision.why.startswith("m.jsonl:4:"), decision.why
    assert first.value in decision.why and last.value in decision.why
    assert "سعيد" in decision.why  # what the other unit reads


def test_a_record_that_rules_out_the_others_unit_does_not_make_them_read_in_its_own() -> None:
    """The last record, in code points, puts a UTF-16 offset inside an emoji: UTF-16 is out,
    but code points cut the words of the others, which UTF-16 reads between words."""
    samples = [mixed(OffsetUnit.UTF16, OffsetUnit.UTF16)[n] for n in (0, 2)]  # not the flag
    text = "😀😀 قال سعيد"
    samples.append(Sample(text, [(*at(text, "قال"), None)], "m.jsonl:4"))
    decision = decide(samples)
    assert decision.unit is None and decision.why.startswith("m.jsonl:1:"), decision.why


def test_a_record_read_before_a_words_tanween_in_the_files_unit_is_refused() -> None:
    """Read in UTF-16 like the rest, the last record's 'جديدةً' becomes ' جديدة': no edge
    inside a word, but one between a letter and its tanween; in code points it is a word."""
    samples = [mixed(OffsetUnit.UTF16, OffsetUnit.UTF16)[n] for n in (0, 2)]
    text = "😀 زار مدينةً جديدةً اليوم"
    samples.append(Sample(text, [(*at(text, "جديدةً"), None)], "m.jsonl:3"))
    decision = decide(samples)
    assert decision.unit is None and decision.why.startswith("m.jsonl:3:"), decision.why


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("😀 زار مدينةً جديدةً اليوم", (14, 19)),  # 'ديدةً'; in UTF-16 'جديدة' before its tanween
        ("😀 قال محمد", (3, 7)),  # 'ال م'; in UTF-16 'قال ', with the space
    ],
)
def test_a_sloppy_span_is_not_taken_for_a_mix_by_a_reading_that_is_not_whole_words(
    text: str, span: tuple[int, int]
) -> None:
    """A code point file with a span that cuts words: read in UTF-16 it is not whole words
    either, so no evidence that the record counts UTF-16; the file is read in code points."""
    samples = [mixed(OffsetUnit.CODEPOINTS, OffsetUnit.CODEPOINTS)[n] for n in (0, 2)]
    samples.append(Sample(text, [(*span, None)], "m.jsonl:3"))
    assert decide(samples).unit is OffsetUnit.CODEPOINTS


def test_one_unit_throughout_is_not_mixed() -> None:
    for unit in (OffsetUnit.UTF16, OffsetUnit.CODEPOINTS):
        assert decide(mixed(unit, unit)).unit is unit


@given(
    st.lists(
        st.sampled_from(["جدة", "الرياض", "😀", "🇸🇦", "👨‍👩‍👧", "é", "أيضًا", "و‌", "Nvidia"]),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from(list(OffsetUnit)),
    st.data(),
)
def test_word_spans_in_any_unit_come_back_exactly(
    words: list[str], unit: OffsetUnit, data: st.DataObject
) -> None:
    text = " ".join(words)
    starts = [sum(len(w) + 1 for w in words[:i]) for i in range(len(words))]
    chosen = data.draw(st.lists(st.integers(0, len(words) - 1), min_size=1, unique=True))
    spans = [(starts[i], starts[i] + len(words[i])) for i in chosen]
    given_spans = [(*in_unit(text, unit, s), text[s[0] : s[1]]) for s in spans]
    decision = decide([Sample(text, given_spans, "f:1")])
    if decision.unit is None:  # refused: only when another unit reads every span's text too
        readings = [
            u
            for u in OffsetUnit
            if all(
                (a_ := UnitMap(text, u).to_codepoint(a)) is not None
                and (b_ := UnitMap(text, u).to_codepoint(b)) is not None
                and text[a_:b_] == claimed
                for a, b, claimed in given_spans
            )
        ]
        assert len(readings) > 1 and "--" not in decision.why
        return
    mapping = UnitMap(text, decision.unit)
    assert [(mapping.to_codepoint(a), mapping.to_codepoint(b)) for a, b, _ in given_spans] == spans


def naive_offsets(text: str, unit: OffsetUnit) -> list[int | None]:
    """The offset in ``unit`` at each code point index of ``text`` (None: not an edge)."""
    if unit is OffsetUnit.CODEPOINTS:
        return list(range(len(text) + 1))
    if unit is OffsetUnit.GRAPHEMES:
        ends = list(itertools.accumulate(map(len, regex.findall(r"\X", text)), initial=0))
        return [ends.index(i) if i in ends else None for i in range(len(text) + 1)]
    codec = "utf-16-le" if unit is OffsetUnit.UTF16 else "utf-8"
    size = 2 if unit is OffsetUnit.UTF16 else 1
    return [len(text[:i].encode(codec, "surrogatepass")) // size for i in range(len(text) + 1)]


unit_text = st.one_of(
    st.lists(
        st.sampled_from(["ج", "ًّ", " ", "a", "é", "😀", "🇸", "🇦", "\u200d", "\u200c", "👨", "🏽"]),
        max_size=30,
    ).map("".join),
    st.text(max_size=30),
)


@given(unit_text, st.sampled_from(list(OffsetUnit)))
def test_unit_maps_convert_as_a_naive_count_does(text: str, unit: OffsetUnit) -> None:
    naive = naive_offsets(text, unit)
    mapping = UnitMap(text, unit)
    assert mapping.end == naive[-1]
    assert mapping.is_identity == (naive == list(range(len(text) + 1)))
    back = {offset: i for i, offset in enumerate(naive) if offset is not None}
    for offset in range(-2, (naive[-1] or 0) + 3):
        assert mapping.to_codepoint(offset) == back.get(offset)
    for i, offset in enumerate(naive):
        if offset is None:
            with pytest.raises(ValueError):
                mapping.from_codepoint(i)
        else:
            assert mapping.from_codepoint(i) == offset


def test_a_long_text_is_mapped_in_little_memory() -> None:
    """One long document (a book) must not cost a Python object per code point."""
    import tracemalloc

    text = ("قال الرئيس إن الحكومة ستعمل على تحسين الأوضاعِ 😀 في البلاد. " * 20_000)[:1_000_000]
    emoji = text.count("😀")
    budget = {  # bytes the map may hold at its peak, while it is built
        OffsetUnit.UTF16: 64 * emoji + 100_000,  # where the astral characters are
        OffsetUnit.UTF8: 5 * len(text),  # a compact array
        OffsetUnit.GRAPHEMES: 5 * len(text),
    }
    for unit, limit in budget.items():
        tracemalloc.start()
        try:
            mapping = UnitMap(text, unit)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < limit, (unit, peak, limit)
        assert mapping.to_codepoint(mapping.end) == len(text)


@given(
    st.lists(
        st.lists(
            st.sampled_from(["جدة", "الرياض", "😀", "🇸🇦", "👨‍👩‍👧", "أيضًا", "و‌", "غزّةَ", "2024‌م"]),
            min_size=1,
            max_size=8,
        ),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from(list(OffsetUnit)),
    st.data(),
)
def test_word_spans_all_in_one_unit_are_never_taken_for_a_mix(
    records: list[list[str]], unit: OffsetUnit, data: st.DataObject
) -> None:
    samples = []
    for n, words in enumerate(records, 1):
        text = " ".join(words)
        starts = [sum(len(w) + 1 for w in words[:i]) for i in range(len(words))]
        chosen = data.draw(st.lists(st.integers(0, len(words) - 1), min_size=1, unique=True))
        spans = [in_unit(text, unit, (starts[i], starts[i] + len(words[i]))) for i in chosen]
        samples.append(Sample(text, [(a, b, None) for a, b in spans], f"f:{n}"))
    assert "mixes" not in decide(samples).why


CLUSTER_PIECES = [
    "ب", "َ", "ّ", "\u200d", "\u200c", "👨", "👩", "👧", "🇯", "🇵", "🏽", "\ufe0f", "\r", "\n",
    "क", "्", "ष", "ि", "\u1100", "\u1161", "\u11a8", "가", "\u0600", "1", "e", "\u0301", " ",
    "©", "a",
]  # fmt: skip


@given(st.lists(st.sampled_from(CLUSTER_PIECES), max_size=24).map("".join))
def test_positions_inside_clusters_are_found_from_the_characters_that_can_join(text: str) -> None:
    from app.core.graphemes import grapheme_boundaries
    from app.core.offset_units import _inside_clusters

    edges = set(grapheme_boundaries(text))
    assert _inside_clusters(text) == [i for i in range(len(text) + 1) if i not in edges]
