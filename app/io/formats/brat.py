"""brat standoff: a ``.txt`` holding the text and an ``.ann`` beside it holding annotations.

Reading (``.ann``; the ``.txt`` of the same name beside it is the text)
    One ``.ann`` is one document with one set (annotator ``--annotator``, else the one its
    name gives when Tawsim wrote it, ``<document uuid>.<annotator>.ann``, else the importing
    user; status ``--status`` or submitted). Importing another's set takes a reviewer or an
    admin, as every import does. Text-bound lines ``T<n>\\tLABEL START END\\tTEXT``
    are spans; their TEXT is the evidence of the offsets' unit (brat counts code points, as
    Python does; the importer checks it). A discontinuous span (``T2\\tLOC 0 5;7 10\\t...``) is
    refused naming its file and line: Tawsim has no discontinuous spans. The one exception is
    brat's own way of writing a span across a line break, as fragments whose gaps are only
    line breaks and spaces: that is one span. Other lines are not entity spans and are counted
    in the import summary: relations (``R``), events (``E``, whose trigger ``T`` lines are left
    out with them), attributes and modifications (``A``, ``M``), normalizations (``N``), notes
    (``#``) and equivalences (``*``). An ``.ann`` with no lines at all is how brat shows a
    document nobody has annotated yet: the text is imported without a set, and counted; one
    that Tawsim wrote for an annotator's set is that set, with no entities.
    A folder import reads each ``.ann`` with its ``.txt``; such a ``.txt`` is not also
    imported as a plain-text document (:func:`app.io.importer.expand_paths`).

Writing (``--format brat``: the target is a folder)
    The folder is written beside the target under a temporary name and renamed into place
    when complete (the target must not exist, or be an empty folder). Each set is a
    ``<document uuid>.<annotator>.txt`` (the text, exactly) and ``.ann`` (brat pairs a text
    with one ``.ann``, so a document with several sets has a pair for each), the annotator's
    name written so any file system keeps it and reading gives it back (:func:`name_in_file`).
    A name too long for a file name (over 255 bytes once written so: some 35 Arabic letters)
    is left out of it, the pair named ``<document uuid>-<n>``, read back as the importing
    user's set (or ``--annotator``'s), and the report's warnings say so.
    ``annotation.conf`` lists the entity labels used. Offsets count code points, as brat does,
    unless ``--offsets`` asks for another unit (a span with an edge inside one of its units is
    left out, with a warning). brat has no place for stance, titles, sources, metadata or the set's
    status, shows a set with no entities as "not annotated" (an empty ``.ann``), and cannot
    show a span that starts or ends with a line break: each is counted in the report's
    warnings, and documents nobody annotated are left out (counted).
"""

from __future__ import annotations

import os
import re
import shutil
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

from app.core.domain import EntitySpan
from app.core.errors import InputError
from app.core.offset_units import OffsetUnit, UnitMap
from app.core.records import DocumentData, Record, SetData
from app.core.text_intake import decode_utf8, file_name
from app.io.limits import check_file_size
from app.io.line_reader import decoded_lines
from app.io.output import part_folder
from app.io.registry import ReadOptions, WriteOptions, WriteReport, reader, writer

EXTENSIONS = (".ann",)
NOT_SPANS = "annotations_skipped"
_KINDS = {
    "R": "relation(s) (R)",
    "E": "event(s) (E)",
    "A": "attribute(s) (A)",
    "M": "modification(s) (M)",
    "N": "normalization(s) (N)",
    "#": "note(s) (#)",
    "*": "equivalence(s) (*)",
}
_FRAGMENT = re.compile(r"(\d+) (\d+)")
_KEPT = re.compile(r"[A-Za-z0-9_.@-]")  # kept as they are in a file name; the rest is %XX
MAX_FILE_NAME = 255
"""Bytes in a file name on the usual file systems (ext4, APFS and NTFS allow 255)."""
# What the writer names a set's files: ``<document uuid>.<annotator, as name_in_file>``.
_OWN_NAME = re.compile(
    r"(?P<doc>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(?P<who>.+)"
)


def name_in_file(name: str, *, every: bool = False) -> str:
    """``name`` as a part of a file name that every file system keeps as written: ASCII
    letters, digits and ``_.@-`` as they are, every other character as ``%XX`` of its UTF-8
    bytes (``every``: all of them, for a name that differs from another only in case, which
    a case-insensitive file system would not tell apart). ``urllib.parse.unquote`` gives the
    name back."""
    return "".join(
        c if not every and _KEPT.fullmatch(c) else "".join(f"%{b:02X}" for b in c.encode())
        for c in name
    )


def _written_by_tawsim(ann: Path) -> tuple[str, str] | None:
    """The document uuid and annotator of an ``.ann`` the writer named, else None."""
    m = _OWN_NAME.fullmatch(ann.stem)
    if m is None:
        return None
    try:
        who = urllib.parse.unquote(m["who"], errors="strict")
    except UnicodeDecodeError:
        return None
    return (m["doc"], who) if who.strip() else None


# --- reading -------------------------------------------------------------------------------


def _text_of(ann: Path) -> tuple[Path, str]:
    txt = ann.with_suffix(".txt")
    if not txt.exists():
        raise InputError(
            f"the text of this brat file is missing: {txt} (brat keeps it in a .txt file with "
            "the same name beside the .ann)",
            path=ann,
        )
    check_file_size(txt)
    try:
        return txt, decode_utf8(txt.read_bytes())
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=txt) from None
    except InputError as exc:
        raise exc.located(txt) from None


def _span(fields: str, text: str, where: tuple[Path, int]) -> tuple[EntitySpan, bool]:
    """The span of a ``T`` line's middle field ``LABEL START END[;START END...]``, and whether
    it was written as fragments (a span across a line break, in brat's way)."""
    label, _, offsets = fields.partition(" ")
    pieces = offsets.split(";")
    fragments = [_FRAGMENT.fullmatch(p.strip()) for p in pieces]
    if not label or not all(fragments):
        raise InputError(
            f"expected 'LABEL START END' in a text-bound annotation, got {fields!r}",
            path=where[0],
            line=where[1],
        )
    ranges = [(int(m[1]), int(m[2])) for m in fragments if m]
    for (_, end), (start, _) in pairwise(ranges):
        gap = text[end:start]
        if start < end or "\n" not in gap or gap.strip(" \t\r\n"):
            raise InputError(
                f"discontinuous span {offsets!r} ({len(ranges)} fragments): Tawsim's spans are "
                "continuous; join the fragments or split them into spans of their own in brat",
                path=where[0],
                line=where[1],
            )
    return EntitySpan(ranges[0][0], ranges[-1][1], label), len(ranges) > 1


def _trigger(line: str) -> str:
    """The trigger's id of an event line (``E1<TAB>Attack:T3 Target:T2``: ``T3``)."""
    _, _, args = line.partition("\t")
    first = args.split(maxsplit=1)[0] if args.split() else ""
    return first.partition(":")[2]


@reader("brat", "brat standoff (.ann beside its .txt)", EXTENSIONS, foreign_offsets=True)
def read_brat(path: Path, options: ReadOptions) -> Iterator[Record]:
    ann = path if path.suffix.lower() == ".ann" else path.with_suffix(".ann")
    txt, text = _text_of(ann)
    lines = [(n, line.rstrip("\r\n")) for n, line in decoded_lines(ann)]
    triggers = {_trigger(line) for _, line in lines if line.startswith("E")}
    left: Counter[str] = Counter()
    spans: list[EntitySpan] = []
    texts: list[str | None] = []
    first_line: int | None = None
    for number, line in lines:
        if not line.strip():
            continue
        first_line = first_line or number
        kind = line[:1]
        if kind != "T":
            if kind not in _KINDS:
                raise InputError(
                    f"not a brat annotation line: {line[:40]!r} (expected T, R, E, A, M, N, # "
                    "or * and a number)",
                    path=ann,
                    line=number,
                )
            left[_KINDS[kind]] += 1
            continue
        parts = line.split("\t", 2)
        if len(parts) < 2:
            raise InputError(
                f"expected 'T<n>\\tLABEL START END\\tTEXT', got {line!r}", path=ann, line=number
            )
        if parts[0] in triggers:
            left["event trigger(s) (T lines of events)"] += 1
            continue
        span, fragmented = _span(parts[1], text, (ann, number))
        spans.append(span)
        texts.append(parts[2] if len(parts) > 2 and not fragmented else None)
    for what, n in sorted(left.items()):
        options.left_out.add(NOT_SPANS, f"brat {what} are not entity spans; not imported", n)
    own = _written_by_tawsim(ann)
    annotator = own[1] if own else None
    document = DocumentData(text, uuid=own[0] if own else "", source=file_name(txt))
    if first_line is None and own is not None:  # the writer's file for a set with no entities
        yield Record(document, SetData(annotator), str(ann), 1)
        return
    if first_line is None:
        options.left_out.add(
            "",
            "brat .ann file(s) with no annotation: the text imported without a set "
            "(brat cannot tell 'not annotated yet' from 'no entities')",
        )
        yield Record(document, None, str(ann), 1)
        return
    span_texts = tuple(texts) if any(t is not None for t in texts) else ()
    found = SetData(annotator, spans=tuple(spans), span_texts=span_texts)
    yield Record(document, found, str(ann), first_line)


# --- writing -------------------------------------------------------------------------------


def _fragments(text: str, span: EntitySpan) -> list[tuple[int, int]]:
    """The span as brat writes it: one fragment per line it covers."""
    out = []
    at = span.start
    for piece in text[span.start : span.end].split("\n"):
        if piece:
            out.append((at, at + len(piece)))
        at += len(piece) + 1
    return out


@writer("brat", "brat standoff (a folder of .txt and .ann)", EXTENSIONS, folder=True)
class BratWriter:
    """A folder of ``.txt`` + ``.ann`` pairs that appears when complete (see the docstring)."""

    def __init__(self, target: Path | str, options: WriteOptions):
        self.options = options
        self.report = WriteReport(str(target))
        self.target = Path(target)
        if str(target) == "-":
            raise InputError("brat standoff is a folder of files; give a folder to export to")
        if self.target.exists() and (not self.target.is_dir() or any(self.target.iterdir())):
            raise InputError(
                "exists and is not an empty folder; brat files go into a new folder",
                path=self.target,
            )
        parent = self.target.absolute().parent
        if not parent.is_dir():
            raise InputError("the folder to export into does not exist", path=parent)
        try:
            self.tmp: Path | None = part_folder(parent / self.target.name)
        except OSError as exc:
            raise InputError(f"cannot write here: {exc.strerror}", path=parent) from None
        self.current: list[Record] = []
        self.labels = {x for x in options.labels if x and not any(c.isspace() for c in x)}
        self.left_out: Counter[str] = Counter()

    def write(self, record: Record) -> None:
        if self.current and self.current[0].document.uuid != record.document.uuid:
            self._flush()
        self.current.append(record)

    def _flush(self) -> None:
        sets = [r.annotation for r in self.current if r.annotation is not None]
        doc = self.current[0].document
        self.current = []
        if not sets:
            self.left_out["document(s) nobody annotated left out"] += 1
            return
        first = next((ln.strip() for ln in doc.text.split("\n") if ln.strip()), "")
        if doc.source or doc.meta or not first.startswith((doc.title or "").rstrip("…")):
            self.left_out["document(s) whose title, source or meta brat cannot carry"] += 1
        names: set[str] = set()  # casefolded: a file system may not tell case apart
        for n, a in enumerate(sets, start=1):
            stem = doc.uuid
            if a.annotator:
                stem = f"{doc.uuid}.{name_in_file(a.annotator)}"
                if stem.casefold() in names:
                    stem = f"{doc.uuid}.{name_in_file(a.annotator, every=True)}"
                if len(stem) + len(".ann") > MAX_FILE_NAME:  # an ASCII stem: bytes = characters
                    stem = f"{doc.uuid}-{n}"
                    self.report.warnings.append(
                        f"{doc.uuid}: the annotator name {a.annotator[:40]!r}... is too long "
                        f"for a file name; the set is {stem}.ann, read back as the importing "
                        "user's (or --annotator's)"
                    )
            names.add(stem.casefold())
            self._write_pair(stem, doc, a)

    def _write_pair(self, stem: str, doc: DocumentData, a: SetData) -> None:
        assert self.tmp is not None
        lines: list[str] = []
        unit = self.options.offsets or OffsetUnit.CODEPOINTS
        at = UnitMap(doc.text, unit).from_codepoint
        for s in sorted(a.spans, key=lambda s: (s.start, -s.end, s.label)):
            fragments = _fragments(doc.text, s)
            bad = any(c.isspace() for c in s.label) or not s.label
            if bad or not fragments or (fragments[0][0], fragments[-1][1]) != (s.start, s.end):
                why = "label has spaces" if bad else "starts or ends with a line break"
                self.report.warnings.append(f"{doc.uuid} [{s.start}, {s.end}) {s.label}: {why}")
                continue
            try:
                offsets = ";".join(f"{at(x)} {at(y)}" for x, y in fragments)
            except ValueError:
                self.report.warnings.append(
                    f"{doc.uuid} [{s.start}, {s.end}) {s.label}: an edge inside a "
                    f"{unit.value} unit cannot be written; left out"
                )
                continue
            shown = " ".join(doc.text[x:y] for x, y in fragments)
            lines.append(f"T{len(lines) + 1}\t{s.label} {offsets}\t{shown}\n")
            self.labels.add(s.label)
        if a.stances:
            self.left_out["stance judgement(s) left out: brat standoff has none"] += len(a.stances)
        if not a.spans:
            self.left_out[
                "set(s) with no spans written as an empty .ann (brat shows it as not annotated; "
                "Tawsim reads it back as the set)"
            ] += 1
        (self.tmp / f"{stem}.txt").write_bytes(doc.text.encode("utf-8"))
        (self.tmp / f"{stem}.ann").write_bytes("".join(lines).encode("utf-8"))
        self.report.records += 1
        self.report.spans_in += len(a.spans)
        self.report.spans += len(lines)

    def close(self) -> None:
        if self.tmp is None:
            return
        try:
            if self.current:
                self._flush()
            conf = ["[entities]", *sorted(self.labels), "[relations]", "[events]", "[attributes]"]
            (self.tmp / "annotation.conf").write_text("\n".join(conf) + "\n", encoding="utf-8")
            os.chmod(self.tmp, 0o777 & ~_umask())
            if self.target.is_dir():
                self.target.rmdir()  # empty (checked when opened)
            os.replace(self.tmp, self.target)
        except OSError as exc:
            self.abort()
            raise InputError(f"cannot write the export: {exc.strerror}", path=self.target) from None
        self.tmp = None
        self.report.warnings.extend(f"{n} {what}" for what, n in sorted(self.left_out.items()))

    def abort(self) -> None:
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
