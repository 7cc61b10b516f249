"""CoNLL/BIO token files: one ``TOKEN TAG [TAG ...]`` line per token, blank lines between sentences.

Reading
    Columns are separated by any whitespace. Every column after the token is a tag: ``O``,
    ``B-TYPE``, ``I-TYPE`` (BIOES ``E-TYPE``/``S-TYPE`` are accepted too). A token inside nested
    entities carries one tag per entity, outermost first (Wojood: ``فلسطين I-ORG B-GPE``). Files
    with POS or chunk columns (CoNLL-2003) are rejected at the first such column: keep only the
    token and entity columns. ``-DOCSTART-`` lines separate documents; before the first one (or
    in files without any) every sentence is a document of its own. A document's text is its
    tokens joined by one space, its sentences joined by ``\\n``; spans get character offsets.

    Decoding is lenient: each open entity continues while the token has an ``I-`` tag of its
    type (one tag per entity, outermost first) and closes otherwise; ``B-`` tags open entities,
    and so do ``I-`` tags left over, which reads IOB1 files (ANERcorp: ``O`` then ``I-PERS``).
    A ``B-`` tag thus closes an entity of its type that no ``I-`` tag continues, so adjacent
    entities of one type stay apart. Entities never cross a sentence break.

    The reader marks each document ``meta["pretokenized"]``: its text is the file's tokens
    joined by spaces, and writing it out again keeps those tokens (:mod:`app.core.tokens`).

Writing
    The tokens of :func:`app.core.tokens.tag_document` — the same as every token format —
    cut at every span edge (so ``بالاتحاد`` is written ``ب O`` / ``الاتحاد B-ORG`` when the span
    leaves the clitic out, and a comma glued to an entity is a token of its own), always IOB2,
    one ``-DOCSTART- O`` line and a blank line per document, a blank line between sentences (a
    line of the text, unless a span crosses the line break). Nested spans are spread over tag
    columns, one IOB2 layer each, outermost first, trailing ``O`` columns left out: for spans
    that nest (Wojood's) that is exactly Wojood's list of tags, outer first, so reading a Wojood
    file and writing it back reproduces its tags; spans that cross keep a valid IOB2 sequence
    in every column (an ``O`` may then stand before a deeper tag). What cannot be written (a
    document nobody annotated, a span on whitespace, a label with spaces) is left out and
    reported in ``WriteReport.warnings``.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy

from app.core.domain import EntitySpan
from app.core.errors import InputError
from app.core.records import DocumentData, Record, SetData
from app.core.token_batch import Pool, TokenBatch, gather
from app.core.tokens import PRETOKENIZED, TaggedDocument, is_pretokenized, tag_document
from app.io.line_reader import decoded_lines
from app.io.registry import ReadOptions, reader, writer
from app.io.text_writer import BatchedTextWriter

EXTENSIONS = (".conll", ".bio", ".iob")
DOCSTART = "-DOCSTART-"

_TAG = re.compile(r"([BIES])-(\S+)")
_TOKEN = re.compile(r"\S+")


# --- reading -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Entity:
    label: str
    start: int
    end: int
    order: int
    last: bool = False  # an E- or S- tag ended it on the current token


@dataclass(slots=True)
class _Document:
    """The document being read: text so far, open entities, finished spans."""

    line: int | None = None
    parts: list[str] = field(default_factory=list)
    length: int = 0
    sentence_ended: bool = False
    open: list[_Entity] = field(default_factory=list)
    done: list[_Entity] = field(default_factory=list)
    opened: int = 0

    def add(self, token: str, tags: list[tuple[str, str]], line: int) -> None:
        if self.line is None:
            self.line = line
        if self.parts:
            self.parts.append("\n" if self.sentence_ended else " ")
            self.length += 1
        self.sentence_ended = False
        start = self.length
        self.parts.append(token)
        self.length += len(token)
        pending = list(tags)
        still_open: list[_Entity] = []
        for entity in self.open:  # outermost first
            k = next(
                (i for i, (p, lab) in enumerate(pending) if p in "IE" and lab == entity.label),
                None,
            )
            if entity.last or k is None:
                self.done.append(entity)
                continue
            prefix, _ = pending.pop(k)
            entity.end = self.length
            entity.last = prefix == "E"
            still_open.append(entity)
        for prefix, label in pending:
            still_open.append(_Entity(label, start, self.length, self.opened, prefix in "ES"))
            self.opened += 1
        self.open = still_open

    def end_sentence(self) -> None:
        self.done.extend(self.open)
        self.open = []
        self.sentence_ended = True

    def record(self, origin: str) -> Record | None:
        self.end_sentence()
        if not self.parts:
            return None
        text = "".join(self.parts)
        self.done.sort(key=lambda e: (e.start, -e.end, e.order))
        spans = [EntitySpan(e.start, e.end, e.label) for e in self.done]
        document = DocumentData(text, meta={PRETOKENIZED: True})
        return Record(document, SetData(spans=tuple(spans)), origin, self.line)


def _parse_tag(tag: str, path: Path, line: int) -> tuple[str, str] | None:
    if tag == "O":
        return None
    match = _TAG.fullmatch(tag)
    if match is None:
        raise InputError(
            f"bad tag {tag!r}: expected O, B-TYPE or I-TYPE (every column after the token"
            " must be a tag; POS or chunk columns are not supported)",
            path=path,
            line=line,
        )
    return match[1], match[2]


@reader("conll", "CoNLL/BIO tokens", EXTENSIONS)
def read_conll(path: Path, options: ReadOptions) -> Iterator[Record]:
    """Yield one record per document (see the module docstring), streaming the file. A text
    met again in the file (a lone ``.`` sentence) is its next occurrence: a document of its own,
    so the corpus round-trips sentence for sentence."""
    document = _Document()
    per_docstart = False  # after a -DOCSTART- line, blank lines only end sentences
    tokens = 0
    seen: Counter[bytes] = Counter()  # how often each text has come (by a digest of it)

    def counted(record: Record | None) -> Record | None:
        if record is None:
            return None
        key = hashlib.blake2b(record.document.text.encode("utf-8"), digest_size=16).digest()
        seen[key] += 1
        if seen[key] == 1:
            return record
        return replace(record, document=replace(record.document, occurrence=seen[key]))

    for number, line in decoded_lines(path):
        fields = line.split()
        if not fields or fields[0] == DOCSTART:
            if fields or not per_docstart:
                record = counted(document.record(str(path)))
                if record is not None:
                    yield record
                document = _Document()
                per_docstart = per_docstart or bool(fields)
            else:
                document.end_sentence()
            continue
        if len(fields) == 1:
            raise InputError(f"token {fields[0]!r} has no tag", path=path, line=number)
        tags = [t for t in (_parse_tag(f, path, number) for f in fields[1:]) if t is not None]
        document.add(fields[0], tags, number)
        tokens += 1
    record = counted(document.record(str(path)))
    if record is not None:
        yield record
    if tokens == 0:
        raise InputError("no tokens (expected lines of TOKEN TAG)", path=path)


# --- writing -------------------------------------------------------------------------------


def _plain_label(label: str) -> bool:
    """Whether a label can be a CoNLL tag (a word without spaces)."""
    return bool(label) and not any(c.isspace() for c in label)


def _crossing(tagged: TaggedDocument) -> Iterator[tuple[EntitySpan, EntitySpan]]:
    """Pairs of same-label spans that overlap without one containing the other."""
    placed = sorted((s for layer in tagged.layers for s in layer), key=lambda s: (s.start, -s.end))
    for i, a in enumerate(placed):
        for b in placed[i + 1 :]:
            if b.start >= a.end:
                break
            if b.label == a.label and b.end > a.end:
                yield a, b


@writer("conll", "CoNLL/BIO tokens", EXTENSIONS, training_file="{split}.conll", offsets=None)
class ConllWriter(BatchedTextWriter):
    """Each annotated record as one ``-DOCSTART-`` document in IOB2 (see the module docstring)."""

    unannotated = 0

    def takes(self, batch: TokenBatch, records: list[Record]) -> Any:
        taken = super().takes(batch, records)
        bad = [k for k, label in enumerate(batch.labels) if not _plain_label(label)]
        if bad:  # a label with spaces: said by the writer of one record
            taken[batch.span_doc[numpy.isin(batch.span_label, bad)]] = False
        return taken

    def render(self, batch: TokenBatch, docs: Any, records: list[Record]) -> tuple[bytes, Any]:
        """``-DOCSTART- O``, a blank line, a line per token (a blank one before each
        sentence), a blank line: for every document at once (:func:`token_batch.gather`)."""
        tokens = batch.tokens_of(docs)
        counts = batch.end_token[docs] - batch.first_token[docs]
        pool = Pool(len(batch.utf8))
        header, line_break = pool.add(f"{DOCSTART} O\n\n".encode()), pool.add(b"\n")
        tags = numpy.array([pool.add(f" {name}\n".encode()) for name in batch.tag_names])
        # each document: its header, three pieces a token (break, word, tag), a last newline
        block = 3 * counts + 2
        block_start = numpy.cumsum(block) - block
        offsets = numpy.zeros(int(block.sum()), dtype=numpy.int64)
        lengths = numpy.zeros_like(offsets)
        offsets[block_start], lengths[block_start] = header
        offsets[block_start + block - 1], lengths[block_start + block - 1] = line_break
        doc_of = numpy.repeat(numpy.arange(len(docs)), counts)
        before = numpy.cumsum(counts) - counts
        at = block_start[doc_of] + 1 + 3 * (numpy.arange(len(tokens)) - before[doc_of])
        offsets[at] = line_break[0]
        lengths[at] = batch.breaks[tokens]
        word_at, word_len = batch.token_bytes()
        offsets[at + 1], lengths[at + 1] = word_at[tokens], word_len[tokens]
        tag = batch.tags[tokens]
        offsets[at + 2], lengths[at + 2] = tags[tag, 0], tags[tag, 1]
        source = numpy.frombuffer(batch.utf8 + pool.bytes(), dtype=numpy.uint8)
        data = gather(source, offsets, lengths).tobytes()
        for record in records:
            spans = len(record.annotation.spans) if record.annotation else 0
            self.report.spans_in += spans
            self.report.spans += spans
            self.report.records += 1
        return data, numpy.cumsum(numpy.add.reduceat(lengths, block_start))

    def write_one(self, record: Record) -> None:
        doc, annotation = record.document, record.annotation
        if annotation is None:
            self.unannotated += 1  # CoNLL cannot say "not annotated": all-O would be a claim
            return
        spans = list(annotation.spans)
        self.report.spans_in += len(spans)
        bad = [s for s in spans if not _plain_label(s.label)]
        self.report.warnings.extend(
            f"{doc.uuid} [{s.start}, {s.end}) {s.label}: label has spaces" for s in bad
        )
        tagged = tag_document(
            doc.text,
            [s for s in spans if s not in bad],
            split_clitics=self.options.split_clitics,
            pretokenized=is_pretokenized(doc.meta),
        )
        self.report.warnings.extend(
            f"{doc.uuid} [{s.start}, {s.end}) {s.label}: {why}" for s, why in tagged.left_out
        )
        if not tagged.starts:
            self.report.warnings.append(f"{doc.uuid}: document has no tokens; not exported")
            return
        self.report.warnings.extend(
            f"{doc.uuid}: {a.label!r} spans [{a.start}, {a.end}) and [{b.start}, {b.end}) "
            "overlap without nesting; BIO cannot tell them apart"
            for a, b in _crossing(tagged)
        )
        self._write_tokens(doc.uuid, tagged)
        self.report.records += 1
        self.report.spans += tagged.placed

    def _write_tokens(self, uuid: str, tagged: TaggedDocument) -> None:
        tags = tagged.tags()
        if len(tags) == 1:
            columns = tags[0]
        else:  # nested: one column per layer, trailing O columns dropped
            columns = []
            for row in zip(*tags, strict=True):
                n = len(row)
                while n > 1 and row[n - 1] == "O":
                    n -= 1
                columns.append(" ".join(row[:n]))
        words = tagged.words
        self.report.warnings.extend(
            [f"{uuid}: token {DOCSTART} reads back as a document break"] * words.count(DOCSTART)
        )
        lines = [f"{DOCSTART} O\n", *map("{} {}".format, words, columns), "\n"]
        for i in sorted(tagged.sentence_starts(), reverse=True):
            lines.insert(i + 1, "")  # a blank line before the sentence (after -DOCSTART-)
        self.write_bytes("\n".join(lines).encode())

    def part_state(self) -> dict[str, Any]:
        return {"unannotated": self.unannotated}

    def absorb_state(self, state: dict[str, Any]) -> None:
        self.unannotated += state["unannotated"]

    def finish(self) -> None:
        if self.unannotated:
            self.report.warnings.append(
                f"{self.unannotated} document(s) nobody annotated left out: CoNLL has no way to "
                "say 'not annotated' (all O would claim 'no entities')"
            )
