from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from app.core.tokens import Token, bio_tags, tokenize, whitespace_after

TEXT = "قال بوريل: «بالاتحاد الأوروبي» 😀🇯🇵 في 2024م، وأَيْضًا Nvidia."


def words(text: str, tokens: list[Token]) -> list[str]:
    return [text[t.start : t.end] for t in tokens]


def test_words_punctuation_emoji_and_digits() -> None:
    assert words(TEXT, tokenize(TEXT)) == [
        "قال",
        "بوريل",
        ":",
        "«",
        "بالاتحاد",
        "الأوروبي",
        "»",
        "😀",
        "🇯🇵",
        "في",
        "2024م",
        "،",
        "وأَيْضًا",
        "Nvidia",
        ".",
    ]


def test_cut_at_span_edges_and_clitics() -> None:
    at = TEXT.index("الاتحاد")
    cut = words(TEXT, tokenize(TEXT, [at, at + len("الاتحاد الأوروبي")]))
    assert "ب" in cut and "الاتحاد" in cut
    split = words(TEXT, tokenize(TEXT, split_clitics=True))
    assert split[4:6] == ["ب", "الاتحاد"]
    assert "وأَيْضًا" in split  # not a clitic before the article: left whole


def test_bio_tags_and_spaces() -> None:
    text = "زار جوزيب بوريل طوكيو"
    tokens = tokenize(text)
    assert bio_tags(tokens, [(4, 15, "PER"), (16, 21, "GPE")]) == ["O", "B-PER", "I-PER", "B-GPE"]
    assert whitespace_after(text, tokens) == [True, True, True, False]


@given(st.text(alphabet="بالاتحد وً😀.،abc1", max_size=40), st.data())
def test_tokens_cover_every_non_space_character_once(text: str, data: st.DataObject) -> None:
    cuts = data.draw(st.lists(st.integers(0, len(text)), max_size=4))
    tokens = tokenize(text, cuts)
    covered = "".join(text[t.start : t.end] for t in tokens)
    assert covered == "".join(ch for ch in text if not ch.isspace())
    assert all(a.end <= b.start for a, b in pairwise(tokens))
