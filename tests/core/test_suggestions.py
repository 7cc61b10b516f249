"""Suggestions from approved spans: clitic-aware, whole-word, never over a span."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from app.core.arabic.matching_key import fold
from app.core.suggestions import PROCLITICS, Suggestion, build_lexicon, suggest

LEXICON = build_lexicon(
    [("الفيروس", "MISC", 3), ("فيروس", "MISC", 1), ("الاتحاد الأوروبي", "ORG", 5),
     ("الاتحاد", "ORG", 1), ("بوريل", "PER", 2), ("بوريل", "LOC", 1), ("ب", "PER", 9)]
)  # fmt: skip


def shown(text: str, found: list[Suggestion]) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in found]


def test_a_proclitic_is_left_out_of_the_suggestion() -> None:
    text = "تحدث الوزير عن انتشار بالفيروس وعن الفيروس نفسه"
    assert shown(text, suggest(text, LEXICON)) == [("الفيروس", "MISC"), ("الفيروس", "MISC")]


def test_a_word_that_goes_on_is_not_matched() -> None:
    assert suggest("انتشرت فيروسات كثيرة", LEXICON) == []
    assert shown("انتشر فيروس جديد", suggest("انتشر فيروس جديد", LEXICON)) == [("فيروس", "MISC")]


def test_lam_and_the_article_suggest_the_article_without_the_preposition() -> None:
    text = "وللاتحاد الأوروبي موقف، وقال للاتحاد"
    assert shown(text, suggest(text, LEXICON)) == [
        ("لاتحاد الأوروبي", "ORG"),
        ("لاتحاد", "ORG"),
    ]


def test_the_longest_match_wins_and_spans_are_left_alone() -> None:
    text = "قال الاتحاد الأوروبي وبوريل"
    assert shown(text, suggest(text, LEXICON)) == [
        ("الاتحاد الأوروبي", "ORG"),
        ("بوريل", "PER"),  # approved as PER more often than as LOC
    ]
    taken = [(text.index("بوريل"), text.index("بوريل") + 2)]
    assert shown(text, suggest(text, LEXICON, taken)) == [("الاتحاد الأوروبي", "ORG")]


def test_spelling_and_diacritics_do_not_hide_a_match() -> None:
    text = "أكد الإتحادُ الأوروبيّ"
    assert shown(text, suggest(text, LEXICON)) == [("الإتحادُ الأوروبيّ", "ORG")]


def test_one_letter_spans_are_not_suggested() -> None:
    assert "ب" not in LEXICON


WORDS = ["الفيروس", "فيروس", "الاتحاد", "بوريل", "الأوروبي", "قال", "في"]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", *sorted(PROCLITICS), "است", "م"]),
            st.sampled_from(WORDS),
            st.sampled_from(["", "ات", "ه", "ًا"]),
        ),
        max_size=12,
    )
)
def test_every_suggestion_is_a_whole_approved_word_after_at_most_a_proclitic(
    words: list[tuple[str, str, str]],
) -> None:
    text = " ".join(p + w + s for p, w, s in words)
    found = suggest(text, LEXICON)
    ends = sorted((s.start, s.end) for s in found)
    assert all(b <= c for (_a, b), (c, _d) in pairwise(ends))  # no overlap
    for s in found:
        surface = text[s.start : s.end]
        key = fold(surface)
        assert key in LEXICON or "ا" + key in LEXICON  # (للاتحاد: the article's alef dropped)
        assert LEXICON.get(key, LEXICON.get("ا" + key)) == s.label
        after = text[s.end : s.end + 1]
        assert not after.isalpha()  # the word ends there
        word_start = text.rfind(" ", 0, s.start) + 1
        assert fold(text[word_start : s.start]) in {"", *PROCLITICS, "ل"}
