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
from collections.abc import Callable

from app.core.arabic.matching_key import FOLD_VERSION, fold, matching_key
from app.core.arabic.span_snapping import CLITIC_LOOKALIKES, MIN_STEM_LETTERS

WORDS_VERSION = 2
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
# A word: letters and digits. Everything else (punctuation, symbols, marks, the underscore,
# which is also a LIKE wildcard) separates words. SQLite's FTS5 tokenizer would keep marks,
# symbols and unassigned characters inside its tokens, so the index is given the words
# already split by this pattern: its tokens are then exactly these words, and the word list
# (``search_terms``) that expands a typed prefix holds exactly the index's terms.
_WORD = re.compile(r"[^\W_]+")
_BETWEEN_WORDS = re.compile(r"[\W_]+")


def _words_of_key(key: str) -> str:
    return _ARTICLE.sub(f" {ARTICLE} ", key)


def _split(key: str) -> list[str]:
    return _WORD.findall(_words_of_key(key))


def index_words(text: str) -> str:
    """What the search index stores for ``text``: the words of its folded key, the article
    split off, one space between them."""
    return _BETWEEN_WORDS.sub(" ", _words_of_key(fold(text))).strip()


def query_words(search: str) -> list[str]:
    """The words a search looks for, in order (empty when it has none)."""
    return _split(fold(search))


def _typed_last_word(search: str) -> list[str] | None:
    """The search's words with its last word split as if it were being typed (الا → ال ا),
    when that reads differently from :func:`query_words`; else None."""
    words = _WORD.findall(fold(search))
    last = _TYPING.match(words[-1]) if words else None
    if last is None:
        return None
    head = _split(" ".join(words[:-1]))
    tail = [w for w in (last.group(1), ARTICLE, words[-1][last.end() :]) if w]
    typed = head + tail
    return typed if typed != query_words(search) else None


def phrases(search: str) -> list[list[str]]:
    """The phrases a search finds (any one of them), each a list of words whose last one is
    a prefix: one, or two when the last word reads differently while being typed."""
    words = query_words(search)
    if not words:
        return []
    typed = _typed_last_word(search)
    return [words] if typed is None else [words, typed]


Expand = Callable[[str], "list[str] | None"]
"""The index's words that start with a prefix, or None when there are too many to list."""


def _quoted(words: list[str]) -> str:
    return '"' + " ".join(words).replace('"', '""') + '"'


def match_expression(search: str, expand: Expand | None = None) -> str | None:
    """The SQLite FTS5 query for ``search`` (None when it finds nothing).

    FTS5 answers a prefix (``"ال عام" *``) by merging the lists of every word with that prefix
    before it returns a first row: 60-90 ms for a common prefix in a million articles. Given
    ``expand``, each phrase is asked for as the exact phrases its prefix can complete to
    (``"ال عام" OR "ال عامه" OR ...``), which FTS5 reads lazily, in a millisecond or two; a
    prefix with too many words to list (``expand`` says None) stays a prefix query."""
    parts: dict[str, None] = {}
    for words in phrases(search):
        completions = expand(words[-1]) if expand is not None else None
        if completions is None:
            parts[_quoted(words) + " *"] = None
        for word in completions or ():
            parts[_quoted([*words[:-1], word])] = None
    return " OR ".join(parts) or None


def index_terms(*words: str) -> set[str]:
    """The distinct words of :func:`index_words` strings (what FTS5 reads as its terms)."""
    return set(" ".join(words).split())


def stored_words(text: str) -> str:
    """The index's words as one string for a database without FTS5: single-spaced, with a
    space in front, so :func:`like_patterns` can match them."""
    return " " + index_words(text)


def like_patterns(search: str) -> list[str]:
    """The search as ``LIKE`` patterns over :func:`stored_words` (``%``, ``_`` and ``\\`` are
    not in words, so no escaping is needed)."""
    return ["% " + " ".join(words) + "%" for words in phrases(search)]


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
