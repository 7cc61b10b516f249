"""The tokens of many documents at once, for the token formats of a large export.

:func:`app.core.tokens.tag_document` tokenizes one document and tags it; a training export of
a hundred thousand news articles would call it, and every writer would then walk every token,
in Python. :class:`TokenBatch` does the same for a batch of documents in a few numpy
operations over their texts joined: the tokens of plain text (:func:`app.core.tokens.
_plain_edges`: each character's class), cut at every span edge, each span's first and last
token, IOB2 tags, sentence breaks, and where each token lies in the UTF-8 bytes. Writers then
make their bytes for the whole batch at once (:func:`gather`).

It takes only what it finds exactly as :func:`~app.core.tokens.tag_document` would, and says
so per document (:attr:`TokenBatch.taken`): plain text, spans inside the text on token edges
after the cuts, none overlapping another (one layer of tags), at least one token. Every other
document (nested spans, a text outside the plain alphabet, a span left out with a warning) is
written one by one, as before; tests compare both ways on arbitrary documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy

from app.core.domain import EntitySpan
from app.core.tokens import _MARK, _NOT_PLAIN, _SPACE, _classes

Array = Any  # numpy arrays (numpy's own stubs would type nothing more here)


GATHER_STEP = 1 << 18
"""Bytes gathered per step: the indexes of a step (four bytes each, a few arrays at once) stay
a few megabytes, however long the lines of a batch (a batch of Hugging Face lines is ~10 MB)."""


def gather(source: Array, offsets: Array, lengths: Array) -> Array:
    """The bytes ``source[offsets[i]:offsets[i] + lengths[i]]`` for each ``i``, one after the
    other (uint8), a step of about :data:`GATHER_STEP` bytes at a time."""
    lengths = numpy.asarray(lengths, dtype=numpy.int64)
    offsets = numpy.asarray(offsets, dtype=numpy.int64)
    ends = numpy.cumsum(lengths)
    total = int(ends[-1]) if len(ends) else 0
    out = numpy.empty(total, dtype=numpy.uint8)
    if total == 0:
        return out
    # int32 indexes where the source allows (half the memory traffic of int64)
    kind = numpy.int32 if len(source) < 2**31 and GATHER_STEP < 2**31 else numpy.int64
    cuts = numpy.searchsorted(ends, numpy.arange(GATHER_STEP, total, GATHER_STEP), side="right")
    bounds = [0, *numpy.unique(cuts).tolist(), len(lengths)]
    for low, high in pairwise(bounds):
        if high <= low:
            continue
        first = int(ends[low - 1]) if low else 0
        size = int(ends[high - 1]) - first
        step = lengths[low:high]
        # each output byte's index: the segment's offset, minus where the segment begins in
        # the output, plus the byte's place in the output
        at = numpy.repeat((offsets[low:high] - (ends[low:high] - step - first)).astype(kind), step)
        at += numpy.arange(size, dtype=kind)
        out[first : first + size] = source[at]
    return out


def layout(counts: Array, pieces: Sequence[tuple[Array, Array]]) -> tuple[Array, Array, Array]:
    """The segments of documents made of ``pieces`` in order, for :func:`gather`: each piece
    either one segment per document (``offsets`` and ``lengths`` of shape ``(documents,)``)
    or some segments per token (shape ``(tokens, k)``, the tokens of every document one after
    the other; ``counts`` says how many each document has). Returns the segments' offsets and
    lengths, and where each document's segments begin."""
    n_docs = len(counts)
    sizes = numpy.zeros(n_docs, dtype=numpy.int64)
    for offsets, _ in pieces:
        sizes += 1 if offsets.ndim == 1 else offsets.shape[1] * counts
    block_start = numpy.cumsum(sizes) - sizes
    out_offsets = numpy.zeros(int(sizes.sum()), dtype=numpy.int64)
    out_lengths = numpy.zeros_like(out_offsets)
    doc_of = numpy.repeat(numpy.arange(n_docs), counts)
    nth = numpy.arange(len(doc_of)) - (numpy.cumsum(counts) - counts)[doc_of]
    at = block_start.copy()  # where the next piece of each document goes
    for offsets, lengths in pieces:
        if offsets.ndim == 1:
            out_offsets[at], out_lengths[at] = offsets, lengths
            at += 1
            continue
        k = offsets.shape[1]
        where = (at[doc_of] + k * nth)[:, None] + numpy.arange(k)
        out_offsets[where], out_lengths[where] = offsets, lengths
        at += k * counts
    return out_offsets, out_lengths, block_start


def gathered(
    source: Array, offsets: Array, lengths: Array, block_start: Array
) -> tuple[bytes, Array]:
    """:func:`gather` of :func:`layout`'s segments: the bytes, and where each document's end."""
    data = gather(source, offsets, lengths).tobytes()
    ends = (
        numpy.cumsum(numpy.add.reduceat(lengths, block_start))
        if len(block_start)
        else numpy.zeros(0, dtype=numpy.int64)
    )
    return data, ends


class Pool:
    """Byte strings appended to a source buffer, each found again by its (offset, length)."""

    def __init__(self, base: int) -> None:
        self.base = base
        self.parts: list[bytes] = []
        self.size = 0
        self.known: dict[bytes, int] = {}

    def add(self, data: bytes) -> tuple[int, int]:
        at = self.known.get(data)
        if at is None:
            at = self.known[data] = self.base + self.size
            self.parts.append(data)
            self.size += len(data)
        return at, len(data)

    def each(self, parts: Sequence[bytes]) -> tuple[Array, Array]:
        """``parts`` appended (one a document, say), as offsets and lengths."""
        lengths = numpy.fromiter(map(len, parts), dtype=numpy.int64, count=len(parts))
        offsets = self.base + self.size + numpy.cumsum(lengths) - lengths
        self.parts.extend(parts)
        self.size += int(lengths.sum())
        return offsets, lengths

    def table(self, parts: Sequence[bytes]) -> tuple[Array, Array]:
        """:meth:`add` of each of ``parts``, as arrays of offsets and lengths (to index)."""
        found = [self.add(part) for part in parts]
        return (
            numpy.array([a for a, _ in found], dtype=numpy.int64),
            numpy.array([n for _, n in found], dtype=numpy.int64),
        )

    def bytes(self) -> bytes:
        return b"".join(self.parts)


class TokenBatch:
    """Tokens and IOB2 tags of a batch of documents (see the module docstring).

    ``texts[d]`` with ``spans[d]`` (None: a document without an annotation set). Token arrays
    run over every document in order; ``first_token[d]:end_token[d]`` are document ``d``'s.
    Offsets ``starts``/``ends`` are code points into ``text`` (the texts joined by ``\\n``);
    ``doc_start[d]`` is where document ``d`` begins in it."""

    def __init__(self, texts: Sequence[str], spans: Sequence[Sequence[EntitySpan] | None]):
        self.texts = texts
        self.spans = spans
        n_docs = len(texts)
        lengths = numpy.fromiter(map(len, texts), dtype=numpy.int64, count=n_docs)
        self.doc_start = numpy.cumsum(lengths + 1) - lengths - 1
        self.doc_end = self.doc_start + lengths
        self.text = "\n".join(texts)
        n = len(self.text)
        codes: Array = numpy.frombuffer(self.text.encode("utf-16-le"), dtype=numpy.uint16)
        if len(codes) != n:  # a character beyond the BMP: count code points, not UTF-16 units
            codes = numpy.frombuffer(self.text.encode("utf-32-le"), dtype=numpy.uint32)
            classes = _classes()[numpy.minimum(codes, 0xFFFF)]
        else:
            classes = _classes()[codes]
        # where each character starts in the UTF-8 bytes
        extra = (codes >= 0x80).view(numpy.uint8) + (codes >= 0x800).view(numpy.uint8)
        if codes.dtype == numpy.uint32:
            extra += (codes >= 0x10000).view(numpy.uint8)
        self.byte_at: Array = numpy.zeros(n + 1, dtype=numpy.int32 if n < 2**29 else numpy.int64)
        numpy.cumsum(extra, out=self.byte_at[1:], dtype=self.byte_at.dtype)
        self.byte_at += numpy.arange(n + 1, dtype=self.byte_at.dtype)
        self.utf8 = self.text.encode("utf-8")
        self.utf8_array = numpy.frombuffer(self.utf8, dtype=numpy.uint8)

        taken = numpy.ones(n_docs, dtype=bool)
        not_plain = numpy.flatnonzero(classes == _NOT_PLAIN)
        word = classes & 1
        marks = numpy.flatnonzero(classes == _MARK)
        lone_marks = marks[(marks == 0) | (word[marks - 1] == 0)]
        for bad in (not_plain, lone_marks):
            if len(bad):
                taken[numpy.searchsorted(self.doc_start, bad, side="right") - 1] = False

        # every span of the documents, in the order a set keeps them (start, longest first;
        # a document whose spans come in another order is not taken)
        given = [g or () for g in spans]
        counts = numpy.fromiter(map(len, given), dtype=numpy.int64, count=n_docs)
        flat = [x for g in given for x in g]
        self.labels: list[str] = []
        label_ids: dict[str, int] = {}
        start_of = [x.start for x in flat]
        end_of = [x.end for x in flat]
        span_labels = [label_ids.setdefault(x.label, len(label_ids)) for x in flat]
        self.labels = list(label_ids)
        self.span_doc = numpy.repeat(numpy.arange(n_docs), counts)
        self.span_label = numpy.array(span_labels, dtype=numpy.int64)
        local_start = numpy.array(start_of, dtype=numpy.int64)
        local_end = numpy.array(end_of, dtype=numpy.int64)
        inside_text = (local_start >= 0) & (local_start < local_end)
        inside_text &= local_end <= lengths[self.span_doc]
        taken[self.span_doc[~inside_text]] = False
        base = self.doc_start[self.span_doc]
        g_start, g_end = base + local_start, base + local_end
        same_doc = self.span_doc[1:] == self.span_doc[:-1]
        later_start = g_start[1:] - g_start[:-1]
        out_of_order = same_doc & (
            (later_start < 0) | ((later_start == 0) & (g_end[1:] > g_end[:-1]))
        )
        taken[self.span_doc[1:][out_of_order]] = False
        self.span_start, self.span_end = g_start, g_end

        # tokens: a start at a non-space that does not go on a word, an end before the next
        # character unless a word goes on; cut at every span edge inside a word
        joined = numpy.zeros(n + 1, dtype=numpy.uint8)  # joined[i]: text[i-1], text[i] one word
        joined[1:n] = word[1:] & word[:-1]
        cuts = numpy.concatenate([g_start[inside_text], g_end[inside_text]])
        joined[cuts[joined[cuts] == 1]] = 0
        token = (classes != _SPACE).view(numpy.uint8)
        starts = numpy.flatnonzero(token > joined[:n])
        ends = numpy.flatnonzero(token > joined[1:]) + 1
        self.starts, self.ends = starts, ends
        n_tokens = len(starts)
        self.first_token = numpy.searchsorted(starts, self.doc_start)
        self.end_token = numpy.searchsorted(starts, self.doc_end)
        taken &= self.end_token > self.first_token

        # each span's first and last token; a span must lie on token edges, overlap none
        first = numpy.searchsorted(starts, g_start)
        last = numpy.searchsorted(ends, g_end)
        on_edges = (first < n_tokens) & (last < n_tokens)
        on_edges[on_edges] &= (starts[first[on_edges]] == g_start[on_edges]) & (
            ends[last[on_edges]] == g_end[on_edges]
        )
        overlapping = same_doc & (g_start[1:] < g_end[:-1])
        taken[self.span_doc[~on_edges]] = False
        taken[self.span_doc[1:][overlapping]] = False
        self.taken = taken
        good = taken[self.span_doc]
        first, last, label_of = first[good], last[good], self.span_label[good]
        self.span_first = numpy.full(len(flat), -1, dtype=numpy.int64)
        self.span_last = numpy.full(len(flat), -1, dtype=numpy.int64)
        self.span_first[good], self.span_last[good] = first, last

        # tags: 0 is O; label k is B 2k + 1, I 2k + 2 (spans of a taken document never overlap)
        step = numpy.zeros(n_tokens + 1, dtype=numpy.int64)
        step[first] = 2 * label_of + 2
        step[last + 1] -= 2 * label_of + 2  # a span may end where the next begins
        tags = numpy.cumsum(step[:n_tokens])
        tags[first] -= 1
        self.tags = tags
        inner = numpy.zeros(n_tokens + 1, dtype=numpy.int32)  # inside a span, not its first
        inner[first + 1] += 1
        inner[last + 1] -= 1
        self.in_span = numpy.cumsum(inner[:n_tokens]) > 0

        # a sentence begins at a token after a line break (not a document's first token),
        # unless a span runs across the break
        line_breaks = numpy.flatnonzero(codes == 10)
        breaks = numpy.zeros(n_tokens, dtype=bool)
        if n_tokens > 1:
            breaks[1:] = numpy.searchsorted(line_breaks, starts[1:]) > numpy.searchsorted(
                line_breaks, ends[:-1]
            )
        breaks[self.first_token[self.first_token < n_tokens]] = False
        self.breaks = breaks & ~self.in_span

    @property
    def tag_names(self) -> list[str]:
        """The name of each tag number (:attr:`tags`)."""
        return ["O", *(f"{p}-{label}" for label in self.labels for p in "BI")]

    def token_bytes(self) -> tuple[Array, Array]:
        """Where each token starts in :attr:`utf8`, and how many bytes it has."""
        at = self.byte_at[self.starts]
        return at, self.byte_at[self.ends] - at

    def tokens_of(self, docs: Array) -> Array:
        """The tokens of documents ``docs`` (indexes, in order), one after the other."""
        counts = self.end_token[docs] - self.first_token[docs]
        before = numpy.cumsum(counts) - counts
        out = numpy.repeat(self.first_token[docs] - before, counts)
        out += numpy.arange(int(counts.sum()), dtype=numpy.int64)
        return out
