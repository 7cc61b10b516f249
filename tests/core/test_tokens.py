from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import tokens as tokens_module
from app.core.domain import EntitySpan
from app.core.tokens import (
    TaggedDocument,
    Token,
    bio_tags,
    tag_document,
    tokenize,
    whitespace_after,
)

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


def first_tokenizer(
    text: str, cuts: list[int], split_clitics: bool, pretokenized: bool
) -> list[tuple[int, int]]:
    """The tokenizer as first written (every grapheme cluster matched, whitespace ones
    dropped; every word's edges sorted): the faster one must give the same tokens."""
    import regex

    from app.core.arabic import snap_span

    pattern = regex.compile(r"\S+" if pretokenized else r"[\w\p{M}\u200c\u200d]+|\X")
    ordered = sorted(set(cuts))
    tokens: list[tuple[int, int]] = []
    for match in pattern.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        if start == end:
            continue
        edges = [start]
        if split_clitics:
            stripped, _ = snap_span(text, start, end, strip_proclitics=True)
            if start < stripped < end:
                edges.append(stripped)
        edges += [c for c in ordered if start < c < end]
        edges = [*sorted(set(edges)), end]
        tokens.extend((a, b) for a, b in pairwise(edges) if a < b)
    return tokens


# Spaces of every kind, marks after spaces and letters, joiners, a prepended sign, modifiers.
TRICKY = (
    "بالوكتاب aZ1٣ .،\u00a0\t\r\n\u001c\u001f\u064b\u0651\u0670\u200c\u200d\u0600\u0903\U0001f3fd😀"
)


@given(st.text(alphabet=TRICKY, max_size=50), st.data())
def test_the_tokenizer_gives_what_it_first_gave(text: str, data: st.DataObject) -> None:
    cuts = data.draw(st.lists(st.integers(0, len(text)), max_size=8))
    clitics, pretokenized = data.draw(st.booleans()), data.draw(st.booleans())
    got = tokenize(text, cuts, split_clitics=clitics, pretokenized=pretokenized)
    assert [tuple(t) for t in got] == first_tokenizer(text, cuts, clitics, pretokenized)


def first_sentence_starts(tagged: TaggedDocument) -> set[int]:
    """Sentence starts as first computed (each token's line by a search over line starts)."""
    from bisect import bisect_right

    line_starts = [0, *(i + 1 for i, c in enumerate(tagged.text) if c == "\n")]
    lines = [bisect_right(line_starts, t.start) for t in tagged.tokens]
    breaks = {i for i in range(1, len(lines)) if lines[i] != lines[i - 1]}
    first = {t.start: i for i, t in enumerate(tagged.tokens)}
    last = {t.end: i for i, t in enumerate(tagged.tokens)}
    for layer in tagged.layers:
        for span in layer:
            breaks.difference_update(range(first[span.start] + 1, last[span.end] + 1))
    return breaks


@given(st.text(alphabet="بال \n\r\n.a", max_size=40), st.data())
def test_sentence_starts_are_what_they_first_were(text: str, data: st.DataObject) -> None:
    offsets = st.integers(0, len(text))
    spans = [
        EntitySpan(min(a, b), max(a, b) + (a == b), "X")
        for a, b in data.draw(st.lists(st.tuples(offsets, offsets), max_size=4))
    ]
    tagged = tag_document(text, spans, pretokenized=data.draw(st.booleans()))
    assert tagged.sentence_starts() == first_sentence_starts(tagged)


def test_python_and_regex_disagree_on_spaces_only_where_the_tokenizer_knows() -> None:
    import regex

    odd = {c for c in map(chr, range(0x110000)) if c.isspace() != bool(regex.match(r"\s", c))}
    assert odd == set("\x1c\x1d\x1e\x1f")  # _SPACE_CLUSTER sends these the careful way


def regex_found(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in tokens_module._WORD.finditer(text)]


def found(text: str) -> list[tuple[int, int]]:
    """The tokens the tokenizer finds before any cut: in bulk for plain text, else by match."""
    edges = tokens_module._plain_edges(text) or tokens_module._matched(text, pretokenized=False)
    return list(zip(*edges, strict=True))


def _kind(c: str) -> tuple[object, ...]:
    """What a character's tokens depend on: its class, and the properties the grapheme-aware
    pattern reads (word character, mark, space, grapheme cluster break)."""
    import unicodedata

    import regex

    gcb = next(
        name
        for name in ("Other", "Extend", "Control", "SpacingMark", "Prepend", "ZWJ", "CR", "LF")
        if regex.match(rf"\p{{GCB={name}}}", c)
    )
    classes = tokens_module._classes()
    return classes[ord(c)], unicodedata.category(c), gcb, bool(regex.match(r"\w", c)), c.isspace()


def test_plain_text_is_tokenized_by_re_exactly_as_by_regex() -> None:
    """Every character of the plain alphabet, beside a character of every kind there (each
    side), and the characters of every kind beside each other, give the tokens the
    grapheme-aware pattern gives, wherever the bulk path takes the text. (Every pair of the
    whole alphabet, 3.3 million, was compared once: 110 s.)"""
    plain, _marks = tokens_module._plain_alphabet()
    kinds: dict[tuple[object, ...], list[str]] = {}
    for c in plain:
        kinds.setdefault(_kind(c), []).append(c)
    some = [c for group in kinds.values() for c in group[:2]]
    taken = tried = 0
    cases = [(a, b) for a in plain for b in (*some, "")]
    cases += [(b, a) for a in plain for b in some]
    for a, b in cases:
        text = f"x{a}{b}"
        if tokens_module._SPACE_CLUSTER.search(text):
            continue
        assert found(text) == regex_found(text), repr(text)
        tried += 1
        taken += tokens_module._plain_edges(text) is not None
    assert taken > tried * 0.9  # the bulk path was taken, not only the fallback


def test_the_plain_alphabet_holds_what_copied_news_text_holds() -> None:
    plain, _marks = tokens_module._plain_alphabet()
    for c in "\u200f\u202b\u202cﻷﻹﻻﺝé°×€‰":
        assert c in plain, hex(ord(c))
    for c in "\u0600\u200b\u200d\u2028\ufeff\x1c":  # join what follows, or not spaces alike
        assert c not in plain, hex(ord(c))


@settings(max_examples=400)
@given(
    st.text(
        st.sampled_from(
            [
                *"بالاتحادً،؟ ٣4a_.-ـ\n\tپ",
                "\u0670",
                "\u00a0",
                "«",
                "\u2014",
                "\u0652",
                "😀",
                "\u200d",
                "\u0600",
                "é",
                "\u0301",
            ]
        ),
        max_size=40,
    )
)
def test_any_text_gets_the_tokens_of_the_grapheme_aware_pattern(text: str) -> None:
    if not tokens_module._SPACE_CLUSTER.search(text):
        assert found(text) == regex_found(text)


def test_tokens_found_in_another_process_are_taken_as_found() -> None:
    """A training export's second process is sent the tokens the first found in a text
    (``known_edges``), and takes them (``remember_edges``) instead of finding them again."""
    from app.core.tokens import known_edges, remember_edges, token_edges

    text = "وصل الوفد إلى طوكيو"
    found = token_edges(text, [5, 4])
    assert ((4, 5), False, False, found) in known_edges(text)
    assert known_edges("نص لم يقسم بعد") == []
    tokens_module._RECENT.clear()  # the other process
    given = ((0,), (len(text),))  # not what it would find: it is taken, not found again
    remember_edges(text, [((4, 5), False, False, given)])
    assert token_edges(text, [4, 5]) == given
    assert token_edges(text, [4]) != given  # other cuts: found
    for n in range(10):
        token_edges(f"نص رقم {n}")
    assert len(tokens_module._RECENT) == tokens_module.RECENT_KEPT
    tokens_module._RECENT.clear()
