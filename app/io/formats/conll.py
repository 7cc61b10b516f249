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

Writing
    Always IOB2 (every entity starts with ``B-``), one ``-DOCSTART- O`` line per document, each
    non-empty line of the text a sentence, tokens the runs of non-whitespace. Tags per token are
    ordered outer first (earliest start, then longest; spans covering the same tokens keep the
    annotation's order), so reading a Wojood file and writing it back reproduces its tags.
    Spans that cannot be written exactly are written at token level and reported in
    ``WriteReport.warnings``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from app.core.domain import EntitySpan
from app.core.errors import InputError
from app.core.records import DocumentData, Record, SetData
from app.io.line_reader import decoded_lines
from app.io.registry import ReadOptions, WriteReport, reader, writer

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
        return Record(DocumentData(text), SetData(spans=tuple(spans)), origin, self.line)


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
    """Yield one record per document (see the module docstring), streaming the file."""
    document = _Document()
    per_docstart = False  # after a -DOCSTART- line, blank lines only end sentences
    tokens = 0
    for number, line in decoded_lines(path):
        fields = line.split()
        if not fields or fields[0] == DOCSTART:
            if fields or not per_docstart:
                record = document.record(str(path))
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
    record = document.record(str(path))
    if record is not None:
        yield record
    if tokens == 0:
        raise InputError("no tokens (expected lines of TOKEN TAG)", path=path)


# --- writing -------------------------------------------------------------------------------


def _tokens(text: str) -> list[tuple[int, int, int]]:
    """(start, end, sentence) of every token; each non-empty line is a sentence."""
    tokens: list[tuple[int, int, int]] = []
    offset = sentence = 0
    for line in text.split("\n"):
        before = len(tokens)
        tokens.extend(
            (offset + m.start(), offset + m.end(), sentence) for m in _TOKEN.finditer(line)
        )
        sentence += len(tokens) > before
        offset += len(line) + 1
    return tokens


def _write_record(record: Record, out: TextIO, report: WriteReport) -> None:
    doc = record.document
    tokens = _tokens(doc.text)
    if not tokens:
        report.warnings.append(f"{doc.uuid}: document has no tokens; not exported")
        return
    starts = [t[0] for t in tokens]
    ends = [t[1] for t in tokens]
    placed: list[tuple[int, int, str]] = []  # first token, last token, label
    for span in record.annotation.spans if record.annotation is not None else ():
        where = f"{doc.uuid}: span [{span.start}, {span.end}) {span.label!r}"
        first = bisect_right(ends, span.start)
        last = bisect_left(starts, span.end) - 1
        if span.end <= span.start or first > last or not _TOKEN.fullmatch(span.label):
            report.warnings.append(f"{where}: covers no token or label has spaces; not exported")
            continue
        if starts[first] != span.start or ends[last] != span.end:
            report.warnings.append(
                f"{where}: span boundary inside a token; exported at token level"
            )
        if tokens[first][2] != tokens[last][2]:
            report.warnings.append(f"{where}: crosses a line break; reads back as several spans")
        placed.append((first, last, span.label))
    placed.sort(key=lambda p: (p[0], -p[1]))  # outer first; stable for equal token ranges
    tags: list[list[str]] = [[] for _ in tokens]
    seen: dict[str, list[int]] = {}  # label -> last tokens of spans placed so far
    for first, last, label in placed:
        if any(first <= other < last for other in seen.setdefault(label, [])):
            report.warnings.append(
                f"{doc.uuid}: {label!r} spans overlap without nesting near token {first + 1};"
                " BIO cannot tell them apart"
            )
        seen[label].append(last)
        tags[first].append("B-" + label)
        for k in range(first + 1, last + 1):
            tags[k].append("I-" + label)
    out.write(f"{DOCSTART} O\n\n")
    sentence = 0
    for (start, end, in_sentence), token_tags in zip(tokens, tags, strict=True):
        if in_sentence != sentence:
            out.write("\n")
            sentence = in_sentence
        token = doc.text[start:end]
        if token == DOCSTART:
            report.warnings.append(f"{doc.uuid}: token {DOCSTART} reads back as a document break")
        out.write(f"{token} {' '.join(token_tags) or 'O'}\n")
    out.write("\n")
    report.records += 1
    report.spans += len(placed)


@writer("conll", "CoNLL/BIO tokens", EXTENSIONS)
def write_conll(records: Iterable[Record], out: TextIO, report: WriteReport) -> None:
    """Write each record as one ``-DOCSTART-`` document in IOB2 (see the module docstring)."""
    for record in records:
        _write_record(record, out, report)
