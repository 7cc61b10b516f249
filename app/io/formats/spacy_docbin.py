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
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, pairwise
from operator import add, sub
from pathlib import Path
from typing import Any

import numpy

from app.core.domain import EntitySpan, StanceJudgement
from app.core.errors import Conflict
from app.core.murmur import hash64, padded
from app.core.records import Record
from app.core.token_batch import TokenBatch
from app.core.tokens import is_pretokenized, token_edges
from app.io.output import part_folder, replace_with_folder, write_atomically
from app.io.registry import WriteOptions, WriteReport, writer
from app.io.text_writer import BatchedTextWriter, shared_batch

SPAN_KEY = "sc"
SHARD_DOCS = 128
"""Documents per ``.spacy`` file (about 2 MB in memory for news articles; a training export
holds one file of each split at a time, in each of its two processes)."""
ATTRS = ("ORTH", "ENT_IOB", "ENT_TYPE")
"""What each token carries into the file: its text and its entity (a knowledge base id and an
entity id would be zero in every row: left out, spaCy reads them as zero)."""
ATTR_IDS = (65, 77, 78)
"""spaCy's numbers for :data:`ATTRS` (``spacy.attrs.IDS``; a test checks them)."""
ENT_I, ENT_O, ENT_B = 1, 2, 3
"""spaCy's ``ENT_IOB`` values (0 is missing)."""
EMPTY_SPAN_GROUPS = b"\x90"
"""``Doc.spans`` with no group, serialised (an empty msgpack list)."""
ZLIB_LEVEL = 1
"""spaCy compresses at zlib's default level (6); level 1 takes a third of the time for a file
about 6% larger, and spaCy reads either (``zlib.decompress``)."""
try:  # ISA-L's zlib: the same format (spaCy reads it with zlib), four times faster
    from isal.isal_zlib import compress as zlib_compress
except ImportError:  # a platform without its wheel
    from zlib import compress as zlib_compress
MAX_HASHES_KEPT = 20_000
"""Words whose spaCy id is remembered between documents and files, for the documents written
one by one (about 3 MB at most; the documents made together are hashed in bulk)."""
_HASHES: dict[str, int] = {}
"""spaCy's id of each word met (:func:`string_ids`), up to :data:`MAX_HASHES_KEPT`."""


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
        self.pending: list[Record] = []

    @classmethod
    def second_part(
        cls, target: Path, options: WriteOptions, folder: Path | None, after: int
    ) -> DocBinWriter:
        """The writer of the second part of a training export's split (another process
        writes the first): files into the first's ``folder`` after its ``after`` files, or,
        for a split of one file (``folder`` None), documents handed back by
        :meth:`close_part`."""
        writer = cls(target, options)
        if folder is not None:
            writer.shards = ShardedFile(writer.target, folder=folder, after=after)
        return writer

    def close_part(self) -> dict[str, Any]:
        """Close the second part: what :meth:`absorb` takes in the first."""
        self._write_pending()
        if self.shards.part:
            self.shards.close()
            return {"files": self.shards.count - self.shards.first}
        return {"documents": self.shards.shard.state()}

    def absorb(self, part: Path | None, report: WriteReport, state: dict[str, Any]) -> None:
        """The second part of this file, written by another process (:meth:`close_part`)."""
        self._write_pending()
        if "documents" in state:
            self.shards.shard.absorb(state["documents"])
        else:
            self.shards.extra = state["files"]
        self.report.records += report.records
        self.report.spans_in += report.spans_in
        self.report.spans += report.spans
        self.report.warnings.extend(report.warnings)

    BATCH = BatchedTextWriter.BATCH  # the same records as the text writers: one tokenization

    def write(self, record: Record) -> None:
        self.pending.append(record)
        if len(self.pending) >= self.BATCH:
            self._write_pending()

    def _write_pending(self) -> None:
        """The records waiting, in order: the plain ones made together (:meth:`_bulk`),
        every other one by :meth:`write_one`."""
        records, self.pending = self.pending, []
        if not records:
            return
        import numpy

        made: dict[int, PreparedDoc] = {}
        if not self.options.split_clitics:
            batch, place = shared_batch(records)
            docs = numpy.flatnonzero(batch.taken)
            if len(docs):
                taken = [records[place[d]] for d in docs]
                prepared = self._bulk(batch, docs, taken)
                made = {place[d]: p for d, p in zip(docs.tolist(), prepared, strict=True)}
                for record in taken:
                    spans = len(record.annotation.spans) if record.annotation else 0
                    self.report.spans_in += spans
                    self.report.spans += spans
                    self.report.records += 1
        for k, record in enumerate(records):
            ready = made.get(k)
            if ready is None:
                self.write_one(record)
            else:
                self.shards.add(ready)

    def write_one(self, record: Record) -> None:
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
        cats, user_data = self._extras(record)
        if annotation is None:
            self.shards.add(DocParts(words, spaces, None, cats, user_data))
            self.report.records += 1
            return
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
        self.shards.add(DocParts(words, spaces, aligned, cats, user_data))
        self.report.records += 1

    def _extras(self, record: Record) -> tuple[dict[str, float], dict[str, Any]]:
        """A document's ``cats`` and ``user_data`` (see the module docstring)."""
        document, annotation = record.document, record.annotation
        user_data: dict[str, Any] = {"uuid": document.uuid, "source": document.source}
        if annotation is None:
            return {}, user_data
        judged = {j.target: j.value for j in annotation.stances}
        unknown = set(judged.items()) - self.known
        if unknown:
            raise Conflict(
                f"stance {sorted(unknown)[0]} is not among the labels this file was opened "
                "with (the data changed while exporting); export again"
            )
        user_data["set_uuid"] = annotation.uuid
        user_data["annotator"] = annotation.annotator
        user_data["status"] = str(annotation.status)
        user_data["stance"] = [_stance_data(j) for j in annotation.stances]
        cats = {f"{t}|{v}": 1.0 if judged.get(t) == v else 0.0 for t, v in self.labels}
        return cats, user_data

    def _bulk(self, batch: TokenBatch, docs: Any, records: list[Record]) -> list[PreparedDoc]:
        """The ``Doc`` of every document ``docs`` of ``batch`` (their ``records``), made
        together: its words are its tokens and the whitespace between them as
        :func:`words_and_spaces` makes them, their hashes found at once (:mod:`app.core.
        murmur`), entities from the batch's tags."""
        import numpy

        tokens = batch.tokens_of(docs)
        counts: Any = batch.end_token[docs] - batch.first_token[docs]
        doc_of = numpy.repeat(numpy.arange(len(docs)), counts)
        last: Any = numpy.cumsum(counts) - 1  # each document's last token, among ``tokens``
        starts, ends = batch.starts[tokens], batch.ends[tokens]
        following = numpy.empty_like(starts)  # where the next token (or the text) begins
        following[:-1] = starts[1:]
        following[last] = batch.doc_end[docs]
        text = batch.utf8_array
        # one plain space after a token is its ``spaces`` flag; any other whitespace after it
        # is a word of its own, and so is whitespace before a document's first token
        gap = following > ends
        space = numpy.zeros(len(tokens), dtype=bool)
        space[gap] = text[batch.byte_at[ends[gap]]] == 0x20
        ws_start = ends + space
        lead_start = batch.doc_start[docs]
        lead_end = starts[last - counts + 1]
        # the words, in order: [lead] then token, [whitespace] for each token
        block = 2 * counts + 1
        block_start = numpy.cumsum(block) - block
        slot_start = numpy.zeros(int(block.sum()), dtype=numpy.int64)
        slot_end = numpy.zeros_like(slot_start)
        slot_space = numpy.zeros(len(slot_start), dtype=bool)
        slot_token = numpy.full(len(slot_start), -1, dtype=numpy.int64)
        slot_start[block_start], slot_end[block_start] = lead_start, lead_end
        nth = numpy.arange(len(tokens)) - (last - counts + 1)[doc_of]
        at = block_start[doc_of] + 1 + 2 * nth
        slot_start[at], slot_end[at], slot_space[at], slot_token[at] = starts, ends, space, tokens
        slot_start[at + 1], slot_end[at + 1] = ws_start, following
        present = slot_end > slot_start
        word_start, word_end = slot_start[present], slot_end[present]
        word_space, word_token = slot_space[present], slot_token[present]
        word_counts = numpy.add.reduceat(present, block_start)
        word_first = numpy.cumsum(word_counts) - word_counts  # each document's first word
        # the word each token is (for the spans' word indexes)
        word_of_token = numpy.zeros(len(batch.starts), dtype=numpy.int64)
        word_of_token[word_token[word_token >= 0]] = numpy.flatnonzero(word_token >= 0)
        byte_start: Any = batch.byte_at[word_start]
        byte_end: Any = batch.byte_at[word_end]
        orth = hash64(padded(batch.utf8), byte_start, byte_end - byte_start)
        # spaCy's id of a word it knows as a symbol (all ASCII) is not its hash
        symbol_hashes, symbol_ids = _symbol_hashes()
        ascii_words = numpy.flatnonzero(byte_end - byte_start == word_end - word_start)
        at = numpy.searchsorted(symbol_hashes, orth[ascii_words])
        at = numpy.minimum(at, len(symbol_hashes) - 1)
        symbol = symbol_hashes[at] == orth[ascii_words]
        orth[ascii_words[symbol]] = symbol_ids[at[symbol]]
        # entity columns: O for every word of an annotated document, B and I from the tags
        annotated = numpy.array([r.annotation is not None for r in records])
        iob = numpy.where(annotated[numpy.repeat(numpy.arange(len(docs)), word_counts)], ENT_O, 0)
        iob = iob.astype(numpy.uint64)
        token_words = numpy.flatnonzero(word_token >= 0)
        tags = batch.tags[word_token[token_words]]
        tagged = tags > 0
        iob[token_words[tagged]] = numpy.where(tags[tagged] % 2 == 1, ENT_B, ENT_I)
        label_hashes = numpy.array(
            [self._label_hash(label) for label in batch.labels] or [0], dtype=numpy.uint64
        )
        ent_type = numpy.zeros(len(word_start), dtype=numpy.uint64)
        ent_type[token_words[tagged]] = label_hashes[(tags[tagged] - 1) // 2]
        rows = numpy.zeros((len(word_start), len(ATTRS)), dtype=numpy.uint64)
        rows[:, 0], rows[:, 1], rows[:, 2] = orth, iob, ent_type
        # each document's spans on its words, as its span group holds them (msgpack, made here)
        place = numpy.full(len(batch.texts), -1, dtype=numpy.int64)
        place[docs] = numpy.arange(len(docs))
        span_k = place[batch.span_doc]
        mine = numpy.flatnonzero(span_k >= 0)
        span_k = span_k[mine]
        packed_spans = numpy.zeros(len(mine), dtype=_PACKED_SPAN)
        packed_spans["bin"] = _BIN_40
        packed_spans["label"] = label_hashes[batch.span_label[mine]]
        packed_spans["first"] = word_of_token[batch.span_first[mine]] - word_first[span_k]
        packed_spans["end"] = word_of_token[batch.span_last[mine]] + 1 - word_first[span_k]
        doc_start = batch.doc_start[docs][span_k]
        packed_spans["start_char"] = batch.span_start[mine] - doc_start
        packed_spans["end_char"] = batch.span_end[mine] - doc_start
        span_bytes = packed_spans.tobytes()
        span_counts = numpy.bincount(span_k, minlength=len(docs)).tolist()
        span_ends = numpy.cumsum(span_counts).tolist()
        span_labels = [batch.labels[i] for i in batch.span_label[mine].tolist()]
        size = _PACKED_SPAN.itemsize
        pack = self.shards.shard.packer.pack
        prepared = []
        bounds = numpy.cumsum(word_counts).tolist()
        for k, record in enumerate(records):
            a, b = bounds[k] - int(word_counts[k]), bounds[k]
            cats, user_data = self._extras(record)
            group = EMPTY_SPAN_GROUPS
            first, last = span_ends[k] - span_counts[k], span_ends[k]
            if record.annotation is not None:
                group = _span_group(span_counts[k], span_bytes[first * size : last * size])
            prepared.append(
                PreparedDoc(
                    rows[a:b].tobytes("C"),
                    word_space[a:b].tobytes(),
                    b - a,
                    orth[a:b],
                    (batch.text, word_start[a:b], word_end[a:b]),
                    span_labels[first:last],
                    group,
                    cats,
                    pack(user_data),
                )
            )
        return prepared

    def _label_hash(self, label: str) -> int:
        return self.shards.shard._hash_one(label)

    def close(self) -> None:
        self._write_pending()
        self.shards.close()
        if self.shards.count > 1:
            self.report.warnings.append(
                f"{self.shards.count} files of up to {SHARD_DOCS:,} documents in the folder "
                f"{self.target.name} (spaCy reads the folder as one corpus)"
            )

    def abort(self) -> None:
        self.pending = []
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


@dataclass(slots=True)
class PreparedDoc:
    """One ``Doc`` of a ``DocBin`` made with others (:meth:`DocBinWriter._bulk`): its rows of
    attributes and spaces as the file holds them, its words' hashes (``orth``) and where its
    words are (a text, and where each word starts and ends in it), the labels of its spans,
    its span group, cats and user data packed."""

    rows: bytes
    spaces: bytes
    length: int
    orth: Any
    words: tuple[str, Any, Any]
    labels: list[str]
    span_groups: bytes
    cats: dict[str, float]
    user_data: bytes


def string_ids(strings: Sequence[str]) -> list[int]:
    """spaCy's id of each string (``spacy.strings.get_string_id``): 0 for the empty string,
    a symbol's own id, else the string's hash (its UTF-8 bytes, :func:`app.core.murmur.
    hash64`, as ``spacy.strings.hash_string``)."""
    from app.io.formats.spacy_symbols import SYMBOLS

    data = [string.encode("utf-8") for string in strings]
    lengths = numpy.fromiter(map(len, data), dtype=numpy.int64, count=len(data))
    ids: list[int] = hash64(
        padded(b"".join(data)), numpy.cumsum(lengths) - lengths, lengths
    ).tolist()
    for k, string in enumerate(strings):
        if string in SYMBOLS:
            ids[k] = SYMBOLS[string]
        elif not string:
            ids[k] = 0
    return ids


@lru_cache(maxsize=1)
def _symbol_hashes() -> tuple[Any, Any]:
    """The hashes of spaCy's symbols (the strings whose id is not their hash,
    ``get_string_id``), sorted, and their ids."""
    import numpy

    from app.io.formats.spacy_symbols import SYMBOLS

    names = list(SYMBOLS)
    data = [name.encode() for name in names]
    starts = numpy.cumsum([0, *map(len, data)])[:-1]
    hashes = hash64(padded(b"".join(data)), starts, list(map(len, data)))
    ids = numpy.array([SYMBOLS[name] for name in names], dtype=numpy.uint64)
    order = numpy.argsort(hashes)
    return hashes[order], ids[order]


_PACKED_SPAN = numpy.dtype(
    [
        ("bin", "u1", 2),  # msgpack's bin 8 of 40 bytes
        ("id", ">u8"),  # span id
        ("kb_id", ">u8"),  # knowledge base id
        ("label", ">u8"),
        ("first", ">i4"),
        ("end", ">i4"),
        ("start_char", ">i4"),
        ("end_char", ">i4"),
    ]
)
"""One span of a span group as spaCy packs it (``struct.pack(">QQQllll", ...)``), with its
msgpack ``bin`` header."""
_BIN_40 = (0xC4, 40)


def _span_group(n: int, spans: bytes) -> bytes:
    """``{msgpack({"name": "sc", "attrs": {}, "spans": [...]}): ["sc"]}`` as spaCy's
    packer writes it, for ``n`` spans already packed (each a 40-byte ``bin``)."""
    if n < 16:
        header = bytes([0x90 | n])
    elif n < 1 << 16:
        header = b"\xdc" + n.to_bytes(2, "big")
    else:
        header = b"\xdd" + n.to_bytes(4, "big")
    named = _GROUP_HEAD + header + spans
    size = len(named)
    if size < 1 << 8:
        binary = b"\xc4" + size.to_bytes(1, "big")
    elif size < 1 << 16:
        binary = b"\xc5" + size.to_bytes(2, "big")
    else:
        binary = b"\xc6" + size.to_bytes(4, "big")
    return b"\x81" + binary + named + b"\x91\xa2" + SPAN_KEY.encode()


def _slice(text: str, start: int, end: int) -> str:
    return text[start:end]


_GROUP_HEAD = b"\x83\xa4name\xa2sc\xa5attrs\x80\xa5spans"
"""The span group's map up to its list of spans (``name`` is :data:`SPAN_KEY`)."""


class DocBinShard:
    """The bytes of one ``.spacy`` file, built as spaCy's ``DocBin(attrs=ATTRS,
    store_user_data=True)`` would build them from the same ``Doc`` objects (a test compares
    the bytes, decompressed), without making the ``Doc`` objects: spaCy's vocabulary would
    grow with every new word, and a ``Doc`` costs more than the file's few arrays. Strings are
    hashed as spaCy's :func:`spacy.strings.get_string_id` does (:func:`string_ids`)."""

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
        self.prepared: list[PreparedDoc] = []  # their words not among strings yet

    def __len__(self) -> int:
        return len(self.lengths)

    def state(self) -> dict[str, Any]:
        """Its documents as plain values (:meth:`absorb` takes them into another shard)."""
        self._prepared_words()
        names = ("tokens", "spaces", "lengths", "strings", "cats", "span_groups", "user_data")
        return {name: getattr(self, name) for name in names} | {"words": self.words}

    def absorb(self, state: dict[str, Any]) -> None:
        """The documents of another shard's :meth:`state`, after these."""
        for name in ("tokens", "spaces", "lengths", "cats", "span_groups", "user_data"):
            getattr(self, name).extend(state[name])
        self.strings |= state["strings"]
        self.words |= state["words"]

    def _hash_all(self, strings: list[str]) -> list[int]:
        found = list(map(_HASHES.get, strings))
        if None in found:  # words not met yet
            if len(_HASHES) > MAX_HASHES_KEPT:
                _HASHES.clear()
            new = list(set(strings).difference(_HASHES))
            _HASHES.update(zip(new, string_ids(new), strict=True))
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

    def add_prepared(self, doc: PreparedDoc) -> None:
        self.prepared.append(doc)
        if doc.length:
            self.strings.add("")
        self.strings.update(doc.labels)
        self.span_groups.append(doc.span_groups)
        self.tokens.append(doc.rows)
        self.spaces.append(doc.spaces)
        self.lengths.append(doc.length)
        self.cats.append(doc.cats)
        self.user_data.append(doc.user_data)

    def _prepared_words(self) -> None:
        """The words of the documents added prepared, among the file's strings."""
        import numpy

        if not self.prepared:
            return
        orth = numpy.concatenate([p.orth for p in self.prepared])
        _, first = numpy.unique(orth, return_index=True)
        texts = [p.words[0] for p in self.prepared]
        starts = numpy.concatenate([p.words[1] for p in self.prepared])[first].tolist()
        ends = numpy.concatenate([p.words[2] for p in self.prepared])[first].tolist()
        lengths = [p.length for p in self.prepared]
        which = numpy.repeat(numpy.arange(len(texts)), lengths)[first].tolist()
        new = set(map(_slice, map(texts.__getitem__, which), starts, ends)).difference(self.words)
        self.words.update(new)
        self.strings.update(new)
        self.strings.update(map(str.lower, new))
        self.prepared = []

    def to_bytes(self) -> bytes:
        import numpy

        self._prepared_words()

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
        return zlib_compress(self.packer.pack(message), ZLIB_LEVEL)


class ShardedFile:
    """``.spacy`` files of :data:`SHARD_DOCS` documents: one file at ``target``, or a folder
    of numbered files there once there are more (made beside it and moved into place whole
    on :meth:`close`).

    Written by two processes (a training export's second part): the first writes whole
    files into the folder (:meth:`folder_now`) and the second the files after them, into the
    same folder (``after``: the first's number of files); a split too small for a folder is
    one file, whose second part the second process gives back (:meth:`DocBinShard.state`)."""

    def __init__(self, target: Path, *, folder: Path | None = None, after: int = 0):
        self.target = target
        self.count = after  # files written to the folder so far
        self.folder = folder
        self.shard = DocBinShard()
        self.part = folder is not None  # the second part of another's folder
        self.first = after  # the number of the first file this one writes, less one
        self.extra = 0  # files another process wrote into the folder, after these

    def folder_now(self) -> Path:
        """The folder the files are written into (made now: a second process writes into it)."""
        if self.folder is None:
            self.folder = part_folder(self.target)
        return self.folder

    def add(self, doc: DocParts | PreparedDoc) -> None:
        if len(self.shard) == SHARD_DOCS:
            self._flush()
        if isinstance(doc, PreparedDoc):
            self.shard.add_prepared(doc)
        else:
            self.shard.add(doc)

    def _flush(self) -> None:
        folder = self.folder_now()
        self.count += 1
        write_atomically(folder / f"{self.count:04d}.spacy", self.shard.to_bytes())
        self.shard = DocBinShard()

    def close(self) -> None:
        if self.folder is None:  # one file
            write_atomically(self.target, self.shard.to_bytes())
            self.count = 1
            return
        if len(self.shard):
            self._flush()
        if self.part:  # the first process's folder: it moves it into place
            return
        self.count += self.extra
        replace_with_folder(self.folder, self.target)
        self.folder = None

    def discard(self) -> None:
        self.shard = DocBinShard()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
