"""The search index's words made by a second process while this one stores the last batch's.

Indexing a batch of documents is two kinds of work: making their words (folding, splitting off
the article: Python, about two thirds of it) and storing them (SQLite's full-text index). When
many documents are pending, a second process (:mod:`app.core.second_process`) makes the next
batch's words while this one stores the current batch's, in its own transaction as before. A
document's text never changes, so words made ahead are the words; which documents a batch holds
is still settled in its transaction (:func:`app.store.search_index.take`).

The protocol is pickled values: a list of ``(document id, text)`` in, its
:func:`~app.store.search_index.words_of` out, in order; the end of the input ends it. A second
process that fails makes nothing more: the rest is made here.
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Callable
from typing import IO, Any

from app.core.second_process import end, serve_quietly, start, threshold
from app.store.search_index import words_of

SECOND_PROCESS_FROM_DOCUMENTS = 20_000
"""Fewer pending documents are indexed here alone: starting a process costs about 0.3 s."""

Words = tuple[list[tuple[int, str]], list[str]]


def worth_it(pending: int) -> bool:
    return pending >= threshold(
        "TAWSIM_SECOND_PROCESS_FROM_DOCUMENTS", SECOND_PROCESS_FROM_DOCUMENTS
    )


def serve(given: IO[bytes] | None = None, answer: IO[bytes] | None = None) -> int:
    """The second process: words for each batch of texts, until the end of its input."""
    given = given or sys.stdin.buffer
    answer = answer or sys.stdout.buffer
    while True:
        try:
            texts = pickle.load(given)
        except EOFError:
            return 0
        pickle.dump(words_of(texts), answer, protocol=pickle.HIGHEST_PROTOCOL)
        answer.flush()


class WordProcess:
    """A second process making words, one batch ahead; made here when it cannot."""

    def __init__(self) -> None:
        self._process = start("app.store.word_process")
        self._asked: list[tuple[int, str]] | None = None

    def ask(self, texts: list[tuple[int, str]]) -> None:
        """Start on ``texts``' words (the answer to the previous question must be read)."""
        assert self._asked is None
        self._asked = texts
        if self._process is not None and self._process.stdin is not None:
            try:
                pickle.dump(texts, self._process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                self._process.stdin.flush()
            except (OSError, ValueError):
                self.stop()

    def answer(self) -> Words:
        """The words of the texts last asked for (waits for them)."""
        texts, self._asked = self._asked, None
        assert texts is not None
        if self._process is not None and self._process.stdout is not None:
            try:
                found: Words = pickle.load(self._process.stdout)
                return found
            except (EOFError, OSError, ValueError, pickle.UnpicklingError):
                self.stop()
        return words_of(texts)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            end(process, at_once=False)


def index_ahead(
    read: Callable[[int], list[tuple[int, str]]],
    store: Callable[[list[int], Words], int],
    should_stop: Callable[[], bool],
    progress: Callable[[int], Any],
) -> int:
    """Index every pending document read by ``read(after_id)``, a batch at a time: the next
    batch's words made by a second process while ``store(ids, words)`` stores this batch's (in
    its transaction; it returns how many of ``ids`` it took). How many were indexed."""
    done = 0
    words = WordProcess()
    try:
        batch = read(0)
        if batch:
            words.ask(batch)
        while batch and not should_stop():
            found = words.answer()
            after = batch[-1][0]
            following = read(after)
            if following:
                words.ask(following)
            done += store([i for i, _ in batch], found)
            progress(done)
            batch = following
    finally:
        words.stop()
    return done


if __name__ == "__main__":
    sys.exit(serve_quietly(serve))
