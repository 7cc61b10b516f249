"""spaCy ``DocBin`` (``.spacy``) training files, as ``spacy train`` reads them.

One ``Doc`` per record. Words come from :func:`app.core.tokens.tokenize` (the same as every
token format: cut at every span edge, the file's own tokens for a document read from CoNLL,
proclitics split with ``--split-clitics``), so every span covers whole tokens (``و`` glued
before an entity, an emoji glued to a word). ``doc.text`` equals the document's text
exactly: spaCy's ``spaces`` only stand for one ``" "`` after a word, so any other whitespace
(``"\\n\\n"``, a second space, a no-break space) becomes a whitespace token of its own, as
spaCy's own tokenizer does.

Entities
    Every span is in ``doc.spans["sc"]`` (the ``spancat`` default key), nested and overlapping
    ones included, in the annotation set's order. ``doc.ents`` holds a non-overlapping subset,
    chosen greedily: longest first, then earliest, then first listed (two labels on one
    extent, as in Wojood: the first). A span that cannot be aligned (none should) is left out
    and listed in ``WriteReport.warnings`` with why.

Stance, as ``doc.cats`` for ``textcat_multilabel``
    The labels are ``"{target}|{value}"`` for every target in ``stance_targets`` or judged
    anywhere in the file, and every value in ``stance_values`` (plus any other value met in the
    data). Pass the same ``WriteOptions.stance_targets`` (every target of the whole export) to
    each split's file so train and dev share one label set. Every annotated
    doc carries *all* of them, so the label set is the same in every doc: ``1.0`` for the value
    judged towards a target, ``0.0`` for that target's other values, and ``0.0`` for every value
    of a target not judged in this doc. A record without an annotation set
    (``--include all``) gets neither ``doc.ents`` nor ``doc.cats``: spaCy treats both as
    missing, not as negative.

``doc.user_data`` (written with ``store_user_data=True``) carries ``uuid`` (the document's),
``set_uuid``, ``annotator``, ``status``, ``source`` and ``stance``: each judgement as
``{"target", "value", "evidence": [[start, end], ...], "holder": [start, end] | None}`` in
code point offsets (``doc.char_span`` maps them to tokens).

Size
    Up to :data:`SHARD_DOCS` documents are one ``.spacy`` file. A larger export is a folder of
    that name holding numbered ``.spacy`` files of :data:`SHARD_DOCS` documents each (spaCy's
    ``Corpus`` and ``spacy train --paths.train`` read a folder of ``.spacy`` files as one
    corpus), so memory stays bounded however large the export. The files hold what spaCy's
    ``DocBin`` writes for the same ``Doc`` objects (:class:`DocBinShard`; a test compares them,
    decompressed: Tawsim compresses faster, :data:`ZLIB_LEVEL`), made without the ``Doc``
    objects or a growing spaCy vocabulary. They store the attributes a training set has
    (:data:`ATTRS`: words, entities), not empty tags and parses.

spaCy is imported only when a file is written, so the rest of Tawsim starts (and installs)
without it. Every stance label must be known before the first document
(``WriteOptions.stance_targets`` and ``stance_values``: the export passes all of them).
"""

from __future__ import annotations

import shutil
import struct
import tempfile
import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate, compress, pairwise
from operator import add, sub
from pathlib import Path
from typing import Any

from app.core.domain import EntitySpan, StanceJudgement
from app.core.errors import Conflict
from app.core.records import Record
from app.core.tokens import is_pretokenized, token_edges
from app.io.output import replace_with_folder, write_atomically
from app.io.registry import WriteOptions, WriteReport, writer

SPAN_KEY = "sc"
SHARD_DOCS = 500
"""Documents per ``.spacy`` file (about 7 MB in memory for news articles)."""
ATTRS = ("ORTH", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID")
"""What each token carries into the file: its text and its entity."""
ATTR_IDS = (65, 77, 78, 452, 454)
"""spaCy's numbers for :data:`ATTRS` (``spacy.attrs.IDS``; a test checks them)."""
ENT_I, ENT_O, ENT_B = 1, 2, 3
"""spaCy's ``ENT_IOB`` values (0 is missing)."""
EMPTY_SPAN_GROUPS = b"\x90"
ZLIB_LEVEL = 1
"""spaCy compresses at zlib's default level (6); level 1 takes a third of the time for a file
about 6% larger, and spaCy reads either (``zlib.decompress``)."""
MAX_HASHES_KEPT = 300_000
"""Words whose spaCy hash is remembered between documents and files (about 40 MB at most)."""
_HASHES: dict[str, int] = {}
"""``Doc.spans`` with no group, serialised (an empty msgpack list)."""


def words_and_spaces(
    text: str, starts: Sequence[int], ends: Sequence[int], cut_at: Iterable[int] = ()
) -> tuple[list[str], list[bool]]:
    """spaCy ``words``/``spaces`` whose concatenation is exactly ``text``: the tokens (from
    ``starts`` to ``ends``), and the whitespace between them, cut at every offset in
    ``cut_at`` inside a whitespace run."""
    if starts and starts[0] == 0 and ends[-1] == len(text):
        # The common case, in bulk: the tokens cover the text with nothing or one plain
        # space between two (no cut can fall inside such a gap).
        gaps = list(map(sub, starts[1:], ends[:-1]))  # characters between two tokens
        between = set(map(text.__getitem__, compress(ends, gaps)))  # each gap's first character
        if max(gaps, default=0) <= 1 and between <= {" "}:
            spaces = list(map(bool, gaps))
            spaces.append(False)
            return list(map(text.__getitem__, map(slice, starts, ends))), spaces
    return _words_and_spaces(text, starts, ends, cut_at)


def _words_and_spaces(
    text: str, starts: Sequence[int], ends: Sequence[int], cut_at: Iterable[int]
) -> tuple[list[str], list[bool]]:
    cuts = sorted(set(cut_at))
    words: list[str] = []
    spaces: list[bool] = []

    def gap(a: int, b: int) -> None:  # whitespace text[a:b] between two tokens
        inner = cuts[bisect_right(cuts, a) : bisect_left(cuts, b)] if cuts else []
        if words and text[a] == " " and a + 1 not in inner:
            spaces[-1] = True  # one plain space after a word is spaCy's own `spaces` flag
            a += 1
        edges = [a, *(c for c in inner if c > a), b]
        for start, end in pairwise(edges):
            if start < end:
                words.append(text[start:end])
                spaces.append(False)

    at = 0
    for start, end in zip(starts, ends, strict=True):
        if at < start:
            if start - at == 1 and words and text[at] == " ":
                spaces[-1] = True  # the common gap: one space (no cut can fall inside it)
            else:
                gap(at, start)
        words.append(text[start:end])
        spaces.append(False)
        at = end
    if at < len(text):
        gap(at, len(text))
    return words, spaces


def non_overlapping(spans: Iterable[TokenSpan]) -> list[TokenSpan]:
    """Longest first, then earliest, then first given; a span overlapping one taken is skipped."""
    taken: list[TokenSpan] = []
    for span in sorted(spans, key=lambda s: (s.start_char - s.end_char, s.start_char)):
        if all(span.end <= t.first or t.end <= span.first for t in taken):
            taken.append(span)
    return sorted(taken, key=lambda s: s.first)


def _stance_data(judgement: StanceJudgement) -> dict[str, Any]:
    holder = judgement.holder
    return {
        "target": judgement.target,
        "value": judgement.value,
        "evidence": [[r.start, r.end] for r in judgement.evidence],
        "holder": None if holder is None else [holder.start, holder.end],
    }


def _why_unaligned(span: EntitySpan, text: str) -> str:
    if not 0 <= span.start < span.end <= len(text):
        return "empty or outside the text"
    return "edges do not fall on token boundaries"


@writer(
    "spacy",
    "spaCy DocBin",
    (".spacy",),
    training_file="{split}.spacy",
    needs="spacy",
    offsets=None,  # a Doc's character offsets are Python's; nothing to count in another unit
    second_process=True,  # half a training export's time: the other core's work
)
class DocBinWriter:
    """One ``Doc`` per record (see the module docstring), written when closed."""

    def __init__(self, target: Path | str, options: WriteOptions):
        from app.core.errors import InputError

        if str(target) == "-":
            raise InputError("a spaCy DocBin is binary: give a file name, not -")
        self.target = Path(target)
        if self.target.is_dir() or not self.target.parent.exists():
            raise InputError("give a file name in an existing folder", path=self.target)
        self.options = options
        self.report = WriteReport(str(target))
        self.labels = [(t, v) for t in options.stance_targets for v in options.stance_values]
        self.known = set(self.labels)
        self.shards = ShardedFile(self.target)

    def write(self, record: Record) -> None:
        document, annotation = record.document, record.annotation
        text = document.text
        spans = annotation.spans if annotation else ()
        cuts = [x for s in spans for x in (s.start, s.end)]
        starts, ends = token_edges(
            text,
            cuts,
            split_clitics=self.options.split_clitics,
            pretokenized=is_pretokenized(document.meta),
        )
        words, spaces = words_and_spaces(text, starts, ends, cuts)
        user_data: dict[str, Any] = {"uuid": document.uuid, "source": document.source}
        if annotation is None:
            self.shards.add(DocParts(words, spaces, None, {}, user_data))
            self.report.records += 1
            return
        judged = {j.target: j.value for j in annotation.stances}
        unknown = set(judged.items()) - self.known
        if unknown:
            raise Conflict(
                f"stance {sorted(unknown)[0]} is not among the labels this file was opened "
                "with (the data changed while exporting); export again"
            )
        # where each word starts and ends in the text (both increasing)
        first_chars = list(accumulate(map(add, map(len, words), spaces), initial=0))
        last_chars = list(map(add, first_chars, map(len, words)))
        aligned: list[TokenSpan] = []
        for span in spans:
            self.report.spans_in += 1
            first = bisect_left(first_chars, span.start)
            end = bisect_left(last_chars, span.end) + 1
            if (
                not 0 <= span.start < span.end <= len(text)
                or first >= len(words)
                or first_chars[first] != span.start
                or end > len(words)
                or last_chars[end - 1] != span.end
            ):
                why = _why_unaligned(span, text)
                self.report.warnings.append(
                    f"{document.uuid} [{span.start}, {span.end}) {span.label}: {why}"
                )
                continue
            aligned.append(TokenSpan(first, end, span.start, span.end, span.label))
        self.report.spans += len(aligned)
        user_data["set_uuid"] = annotation.uuid
        user_data["annotator"] = annotation.annotator
        user_data["status"] = str(annotation.status)
        user_data["stance"] = [_stance_data(j) for j in annotation.stances]
        cats = {f"{t}|{v}": 1.0 if judged.get(t) == v else 0.0 for t, v in self.labels}
        self.shards.add(DocParts(words, spaces, aligned, cats, user_data))
        self.report.records += 1

    def close(self) -> None:
        self.shards.close()
        if self.shards.count > 1:
            self.report.warnings.append(
                f"{self.shards.count} files of up to {SHARD_DOCS:,} documents in the folder "
                f"{self.target.name} (spaCy reads the folder as one corpus)"
            )

    def abort(self) -> None:
        self.shards.discard()


@dataclass(slots=True)
class TokenSpan:
    """A span on whole words: ``[first, end)`` in words, ``[start_char, end_char)`` in text."""

    first: int
    end: int
    start_char: int
    end_char: int
    label: str


@dataclass(slots=True)
class DocParts:
    """What one ``Doc`` of a ``DocBin`` holds: ``spans`` is None for a record without an
    annotation set (entities missing, not outside)."""

    words: list[str]
    spaces: list[bool]
    spans: list[TokenSpan] | None
    cats: dict[str, float]
    user_data: dict[str, Any]


class DocBinShard:
    """The bytes of one ``.spacy`` file, built as spaCy's ``DocBin(attrs=ATTRS,
    store_user_data=True)`` would build them from the same ``Doc`` objects (a test compares
    the bytes, decompressed), without making the ``Doc`` objects: spaCy's vocabulary would
    grow with every new word, and a ``Doc`` costs more than the file's few arrays. Strings are
    hashed by spaCy's own :func:`spacy.strings.get_string_id`."""

    def __init__(self) -> None:
        import srsly

        self.packer = srsly.msgpack.Packer(use_bin_type=True)  # spaCy's msgpack, made once
        self.tokens: list[bytes] = []
        self.spaces: list[bytes] = []
        self.lengths: list[int] = []
        self.strings: set[str] = set()
        self.cats: list[dict[str, float]] = []
        self.span_groups: list[bytes] = []
        self.user_data: list[bytes] = []
        self.words: set[str] = set()  # the words met (their norms are in strings too)

    def __len__(self) -> int:
        return len(self.lengths)

    def _hash_all(self, strings: list[str]) -> list[int]:
        found = list(map(_HASHES.get, strings))
        if None in found:  # words not met yet
            from spacy.strings import get_string_id

            if len(_HASHES) > MAX_HASHES_KEPT:
                _HASHES.clear()
            for string in set(strings).difference(_HASHES):
                _HASHES[string] = get_string_id(string)
            found = list(map(_HASHES.get, strings))
        return found  # type: ignore[return-value]

    def _hash_one(self, string: str) -> int:
        found = _HASHES.get(string)
        return self._hash_all([string])[0] if found is None else found

    def add(self, doc: DocParts) -> None:
        import numpy

        n = len(doc.words)
        rows = numpy.zeros((n, len(ATTRS)), dtype=numpy.uint64)
        rows[:, 0] = self._hash_all(doc.words)
        new = set(doc.words).difference(self.words)
        if new:
            self.words.update(new)
            self.strings.update(new)
            self.strings.update(map(str.lower, new))  # each token's norm (Arabic: lower case)
        if n:
            self.strings.add("")  # each token's empty tag, lemma, morph, dependency ...
        if doc.spans is None:
            self.span_groups.append(EMPTY_SPAN_GROUPS)
        else:
            rows[:, 1] = ENT_O
            for span in non_overlapping(doc.spans):
                rows[span.first, 1] = ENT_B
                rows[span.first + 1 : span.end, 1] = ENT_I
                rows[span.first : span.end, 2] = self._hash_one(span.label)
            self.strings.update(s.label for s in doc.spans)
            group = self.packer.pack(
                {
                    "name": SPAN_KEY,
                    "attrs": {},
                    "spans": [
                        struct.pack(
                            ">QQQllll",
                            0,  # span id
                            0,  # knowledge base id
                            self._hash_one(s.label),
                            s.first,
                            s.end,
                            s.start_char,
                            s.end_char,
                        )
                        for s in doc.spans
                    ],
                }
            )
            self.span_groups.append(self.packer.pack({group: [SPAN_KEY]}))
        self.tokens.append(rows.tobytes("C"))
        self.spaces.append(bytes(doc.spaces))
        self.lengths.append(n)
        self.cats.append(doc.cats)
        self.user_data.append(self.packer.pack(doc.user_data))

    def to_bytes(self) -> bytes:
        import numpy

        message = {
            "version": "0.1",
            "attrs": list(ATTR_IDS),
            "tokens": b"".join(self.tokens),
            "spaces": b"".join(self.spaces),
            "lengths": numpy.asarray(self.lengths, dtype="int32").tobytes("C"),
            "strings": sorted(self.strings),
            "cats": self.cats,
            "flags": [{"has_unknown_spaces": False}] * len(self.lengths),
            "span_groups": self.span_groups,
            "user_data": self.user_data,
        }
        return zlib.compress(self.packer.pack(message), ZLIB_LEVEL)


class ShardedFile:
    """``.spacy`` files of :data:`SHARD_DOCS` documents: one file at ``target``, or a folder
    of numbered files there once there are more (made beside it and moved into place whole
    on :meth:`close`)."""

    def __init__(self, target: Path):
        self.target = target
        self.count = 0  # files written to the folder so far
        self.folder: Path | None = None
        self.shard = DocBinShard()

    def add(self, doc: DocParts) -> None:
        if len(self.shard) == SHARD_DOCS:
            self._flush()
        self.shard.add(doc)

    def _flush(self) -> None:
        if self.folder is None:
            self.folder = Path(
                tempfile.mkdtemp(
                    prefix=f".{self.target.name}.", suffix=".part", dir=self.target.parent
                )
            )
        self.count += 1
        write_atomically(self.folder / f"{self.count:04d}.spacy", self.shard.to_bytes())
        self.shard = DocBinShard()

    def close(self) -> None:
        if self.folder is None:  # one file
            write_atomically(self.target, self.shard.to_bytes())
            self.count = 1
            return
        self._flush()
        replace_with_folder(self.folder, self.target)
        self.folder = None

    def discard(self) -> None:
        self.shard = DocBinShard()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
