"""Suggestions from approved spans: clitic-aware, whole-word, never over a span."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.core.arabic.matching_key import fold, matching_key
from app.core.suggestions import (
    PROCLITICS,
    Lexicon,
    Suggestion,
    _overlaps,
    _placed,
    build_lexicon,
    suggest,
)

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


def scanned(text: str, lexicon: dict[str, str], taken: list[tuple[int, int]]) -> list[Suggestion]:
    """The first implementation, kept as the oracle: every key searched for in turn, the
    longest first, each occurrence checked (one ``str.find`` per key: slow on a big lexicon)."""
    mk = matching_key(text)
    found: list[tuple[int, int, str]] = []
    for needle in sorted(lexicon, key=len, reverse=True):
        at = mk.key.find(needle)
        while at != -1:
            hit = _placed(mk, at, at + len(needle))
            if hit is not None and not _overlaps(hit, taken, found):
                found.append((*hit, lexicon[needle]))
            at = mk.key.find(needle, at + 1)
    return [Suggestion(a, b, label) for a, b, label in sorted(found)]


PIECES = ["الفيروس", "فيروس", "الاتحاد", "بوريل", "ال", "و", "ب", "ل", "لل", "وب", "فل", "ات",
          "ُ", "ّ", "أ", "إ", "ى", "ة", " ", " ", "\n", "،", ".", "(", "-", "2020", "٣", "EU",
          "e", "\u200c", "ـ"]  # fmt: skip


@given(
    st.lists(st.sampled_from(PIECES), max_size=30).map("".join),
    st.dictionaries(
        st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map(lambda p: fold("".join(p))),
        st.sampled_from(["PER", "ORG", "LOC"]),
        max_size=12,
    ),
    st.lists(st.tuples(st.integers(0, 40), st.integers(1, 8)), max_size=2),
)
@example("و فيروس", {"و": "PER", "فيروس": "LOC"}, [])  # a one-letter key at the start
@example("وب (الاتحاد)", {"(الاتحاد)": "ORG"}, [])  # a key that begins with no letter
@settings(max_examples=600)
def test_looking_keys_up_finds_what_searching_for_each_key_found(
    text: str, lexicon: dict[str, str], taken: list[tuple[int, int]]
) -> None:
    ranges = [(a, a + n) for a, n in taken]
    expected = scanned(text, lexicon, ranges)
    assert suggest(text, lexicon, ranges) == expected
    assert suggest(text, Lexicon(lexicon), ranges) == expected
