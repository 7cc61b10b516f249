"""MurmurHash64A of many byte strings at once: the hash spaCy gives a string (its ``ORTH``,
``hash_string``: the UTF-8 bytes, seed 1), for every word of a batch of documents in a few
numpy operations instead of a call per word.

The strings are ranges of one buffer (``starts``, ``lengths``); the result equals
``murmurhash.mrmr.hash64`` (Austin Appleby's ``MurmurHash64A``, little-endian) for each, as a
test checks on arbitrary strings.
"""

from __future__ import annotations

from typing import Any

import numpy

M = numpy.uint64(0xC6A4A7935BD1E995)
R = numpy.uint64(47)
_TAIL_MASKS = numpy.array(
    [(1 << (8 * n)) - 1 for n in range(8)], dtype=numpy.uint64
)  # the low n bytes of a word


def padded(data: bytes) -> Any:
    """``data`` as the buffer :func:`hash64` reads: the little-endian 64-bit word that starts
    at each of its bytes (eight bytes more at the end, so that every string's last word can be
    read whole)."""
    data = data + bytes(8)
    return numpy.ndarray((len(data) - 7,), dtype="<u8", buffer=data, strides=(1,))


def _words(buffer: Any, at: Any) -> Any:
    """The little-endian 64-bit word at each offset ``at`` of ``buffer``."""
    return buffer[at]


def hash64(buffer: Any, starts: Any, lengths: Any, seed: int = 1) -> Any:
    """``MurmurHash64A(buffer[start:start + length], seed)`` for each string (uint64);
    ``buffer`` from :func:`padded`."""
    starts = numpy.asarray(starts, dtype=numpy.int64)
    lengths = numpy.asarray(lengths, dtype=numpy.int64)
    h = numpy.uint64(seed) ^ (lengths.astype(numpy.uint64) * M)
    blocks = lengths >> 3
    j = 0
    while len(having := numpy.flatnonzero(blocks > j)):  # the strings with a jth block
        k = _words(buffer, starts[having] + 8 * j)
        k *= M
        k ^= k >> R
        k *= M
        part = h[having] ^ k
        part *= M
        h[having] = part
        j += 1
    tails = lengths & 7
    with_tail = numpy.flatnonzero(tails)
    if len(with_tail):
        k = _words(buffer, starts[with_tail] + 8 * blocks[with_tail])
        k &= _TAIL_MASKS[tails[with_tail]]
        part = h[with_tail] ^ k
        part *= M
        h[with_tail] = part
    h ^= h >> R
    h *= M
    h ^= h >> R
    return h
