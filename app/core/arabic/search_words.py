"""Word search over Arabic text: what the search index stores and how a query reads it.

The index holds, for each document, its folded key (:func:`~app.core.arabic.fold`) with the
article ال made a word of its own wherever :mod:`~app.core.arabic.span_snapping` would strip
it: at the start of a written word or after its proclitics (و ف, ب ك ل), before at least
:data:`MIN_STEM_LETTERS` letters, never in a :data:`CLITIC_LOOKALIKES` word. The proclitics
stay one word::

    وبالاتحاد الأوروبي  →  وب ال اتحاد ال اوروبي

A search is read the same way and finds the documents holding its words in that order, the
last one as a prefix (so the list narrows while a word is being typed)::

    الاتحاد       finds  الاتحاد، بالاتحاد، للاتحاد، والاتحاد ...
    اتحاد         finds  the same, and اتحاد (the article is a word of its own)
    الاتح         finds  the same (a prefix of the last word)
    بالاتحاد      finds  بالاتحاد (not وبالاتحاد: وب is one word)
    تحاد          finds  nothing: words are found from their beginning, not from inside

:func:`word_ranges` gives the places in one text that a search finds, for highlighting.
"""

from __future__ import annotations

import re

from app.core.arabic.matching_key import FOLD_VERSION, fold, matching_key
from app.core.arabic.span_snapping import CLITIC_LOOKALIKES, MIN_STEM_LETTERS

WORDS_VERSION = 1
"""The version of the word rules below. Bump it whenever they change: a database records the
:data:`INDEX_VERSION` its index was built with, and its next index build re-indexes every
document when that is not the current one."""

INDEX_VERSION = f"{FOLD_VERSION}.{WORDS_VERSION}"

ARTICLE = "ال"


def _lookalike_guards() -> str:
    """``(?<=كال)يفورنيا|...``: after this ال, the rest of a look-alike word follows."""
    guards = []
    for word in sorted(CLITIC_LOOKALIKES):
        at = word.find(ARTICLE)
        if at != -1:
            guards.append(f"(?<={word[: at + 2]}){word[at + 2 :]}")
    return "|".join(guards)


_LETTER = r"[^\W\d_]"
# ال that starts a written word, or follows one or two proclitics that start it; matched from
# its literal first letters, which is several times faster than from the word start.
_ARTICLE = re.compile(
    rf"{ARTICLE}(?:(?<=(?<!\w)[وف][بكل]{ARTICLE})|(?<=(?<!\w)[وفبكل]{ARTICLE})|(?<!\w{ARTICLE}))"
    rf"(?!{_lookalike_guards()})(?={_LETTER}{{{MIN_STEM_LETTERS}}})"
)
# The last word of a search while it is being typed: proclitics and the article, nothing
# required after them (الا may become الاتحاد).
_TYPING = re.compile(rf"^([وف]?[بكل]?){ARTICLE}")
# Letters and digits, as SQLite's FTS5 (unicode61) reads a word: the underscore separates
# words there, and is a LIKE wildcard elsewhere.
_WORD = re.compile(r"[^\W_]+")


def _words_of_key(key: str) -> str:
    return _ARTICLE.sub(f" {ARTICLE} ", key)


def index_words(text: str) -> str:
    """What the search index stores for ``text``: its folded key, the article split off."""
    return _words_of_key(fold(text))


def query_words(search: str) -> list[str]:
    """The words a search looks for, in order (empty when it has none)."""
    return _WORD.findall(index_words(search))


def _typed_last_word(search: str) -> list[str] | None:
    """The search's words with its last word split as if it were being typed (الا → ال ا),
    when that reads differently from :func:`query_words`; else None."""
    words = _WORD.findall(fold(search))
    last = _TYPING.match(words[-1]) if words else None
    if last is None:
        return None
    head = _WORD.findall(_words_of_key(" ".join(words[:-1])))
    tail = [w for w in (last.group(1), ARTICLE, words[-1][last.end() :]) if w]
    typed = head + tail
    return typed if typed != query_words(search) else None


def _phrase(words: list[str]) -> str:
    return '"' + " ".join(words).replace('"', '""') + '" *'


def match_expression(search: str) -> str | None:
    """The SQLite FTS5 query for ``search`` (None when it has no words: it finds nothing)."""
    words = query_words(search)
    if not words:
        return None
    typed = _typed_last_word(search)
    return _phrase(words) if typed is None else f"{_phrase(words)} OR {_phrase(typed)}"


def stored_words(text: str) -> str:
    """The index's words as one string for a database without FTS5: single-spaced, with a
    space in front, so :func:`like_patterns` can match them."""
    return " " + " ".join(_WORD.findall(index_words(text)))


def like_patterns(search: str) -> list[str]:
    """The search as ``LIKE`` patterns over :func:`stored_words` (``%``, ``_`` and ``\\`` are
    not in words, so no escaping is needed)."""
    words = query_words(search)
    if not words:
        return []
    typed = _typed_last_word(search)
    return ["% " + " ".join(w) + "%" for w in ([words] if typed is None else [words, typed])]


def word_starts(key: str) -> set[int]:
    """Positions in a folded key where a search word may start."""
    starts = {m.start() for m in _WORD.finditer(key)}
    for match in _ARTICLE.finditer(key):
        starts.update(match.span())
    return starts


def word_ranges(text: str, search: str) -> list[tuple[int, int]]:
    """Original ``(start, end)`` ranges in ``text`` where ``search`` occurs from the start of
    a word (alef forms, hamza seats, tashkeel, tatweel and the dropped alef of لل folded),
    left to right, not overlapping: what a search highlights in a document it found."""
    needle = " ".join(fold(search).split())
    if not needle:
        return []
    mk = matching_key(text)
    starts = word_starts(mk.key)
    ranges: list[tuple[int, int]] = []
    position = mk.key.find(needle)
    while position != -1:
        if position in starts:
            end = position + len(needle)
            ranges.append((mk.to_original_start(position), mk.to_original_end(end)))
            position = mk.key.find(needle, end)
        else:
            position = mk.key.find(needle, position + 1)
    return ranges
