"""Hostile files for the fuzz tests of every importer and of unpack (issue 11).

Each fuzz case starts from a valid file of its format (:func:`seed_cases`: files written by
Tawsim's own writers from a small Arabic corpus, byte for byte the same on every run, plus
hand-written files of other tools' shapes), its texts made new to the database
(:func:`salted`), and mutates it: structurally (keys dropped, doubled, swapped or given a
hostile value: huge, negative, float or boolean offsets, lone surrogates, NUL and control
characters, deep nesting, NaN, giant integers, labels blank, multi-line or huge, Arabic with
tashkeel, tatweel, ZWJ and emoji), by field (CSV cells, CoNLL tags, brat offsets), by line
(dropped, doubled, swapped, cut, a BOM, CR or CRLF) and by byte (flipped, inserted, deleted,
invalid UTF-8, random bytes, an empty file); its file name may hold Arabic, a line break or a
byte that is not UTF-8.

:class:`Bench` runs cases against one SQLite database reused across a test's examples and checks
what issue 11 asks: a refusal leaves the database exactly as it was (no commit at all, seen by
``PRAGMA data_version`` on a connection of its own, and the same row counts, largest row ids and
small tables); what is accepted obeys the store's rules and exports again in every format.

``TAWSIM_FUZZ_EXAMPLES`` sets the number of cases per test (default :data:`DEFAULT_EXAMPLES`).
"""

from __future__ import annotations

import contextlib
import copy
import csv
import io
import itertools
import json
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from click.testing import CliRunner
from hypothesis import HealthCheck
from hypothesis import strategies as st

from app.cli.main import main
from app.core import json_text
from app.core.domain import (
    EntitySpan,
    Role,
    Selection,
    SetStatus,
    StanceJudgement,
    TextRange,
)
from app.core.offset_units import OffsetUnit
from app.core.record_rules import MAX_LABEL, MAX_NAME, text_problem, word_problem
from app.core.records import DocumentData, Record, SetData
from app.io import registry
from app.io.exporter import ExportOptions, export, write_records
from app.io.registry import WriteOptions
from app.store.core import Tawsim
from app.store.database import Database
from app.store.values import IngestOptions

T = TypeVar("T")
DEFAULT_EXAMPLES = 2000

FUZZ_SETTINGS = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
}
"""Every fuzz test's: no deadline (a case writes files and commits), big and slow draws allowed."""


def examples(default: int = DEFAULT_EXAMPLES, share: float = 1.0) -> int:
    """Cases for one test: ``TAWSIM_FUZZ_EXAMPLES`` (or ``default``) times ``share``."""
    n = int(os.environ.get("TAWSIM_FUZZ_EXAMPLES", default))
    return max(1, round(n * share))


# --- the corpus the seeds are made from -----------------------------------------------------

# Tashkeel, tatweel, ZWNJ, ZWJ sequences, a flag and astral emoji, Latin, Arabic-Indic digits.
TEXT_1 = "قالَ الرئيسُ 🇯🇵 إنَّ شركةَ Nvidia ستفتتحُ مكتبًا في طوكيو ـــ عام ٢٠٢٤ و\u200cكذلك 😀 هنا."
TEXT_2 = "أعلنت اليابانُ والاتحادُ الأوروبيُّ عن شراكةٍ أمنيةٍ جديدة 🤝 في بروكسل."
TEXT_3 = "👨\u200d👩\u200d👧 وصل جوزيب بوريل إلى طوكيو\nوقال: «الاتحادُ الأوروبيُّ ملتزمٌ» بالشراكة."
TEXT_4 = "نص لم يعلّمه أحد بعد 🌙 فيه كشيدة: الـــعربية."
TEXTS = (TEXT_1, TEXT_2, TEXT_3, TEXT_4)


def span_of(text: str, word: str, label: str) -> EntitySpan:
    start = text.index(word)
    return EntitySpan(start, start + len(word), label)


def _range(text: str, word: str) -> TextRange:
    start = text.index(word)
    return TextRange(start, start + len(word))


def fixed_uuid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


AT = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def _set(n: int, annotator: str, status: SetStatus, spans: tuple[EntitySpan, ...],
         stances: tuple[StanceJudgement, ...] = (), comment: str = "") -> SetData:  # fmt: skip
    """A set with every id and time given, so that every seed file is the same on every run
    (the draws of a derandomized test depend on the seeds' bytes)."""
    reviewed = status in (SetStatus.APPROVED, SetStatus.REJECTED)
    return SetData(
        annotator, status, spans, stances, comment,
        uuid=fixed_uuid(100 + n),
        span_ids=tuple(fixed_uuid(1000 + 10 * n + i) for i in range(len(spans))),
        stance_ids=tuple(fixed_uuid(2000 + 10 * n + i) for i in range(len(stances))),
        annotator_uuid=fixed_uuid(300 + sum(map(ord, annotator))),
        reviewed_by="tester" if reviewed else None,
        reviewed_at=AT if reviewed else None,
        created_at=AT,
        updated_at=AT,
    )  # fmt: skip


def corpus() -> list[Record]:
    """Every kind of set the formats carry: statuses, nested spans, stance with evidence and
    holder, a comment, a model's predictions, a document nobody annotated."""
    stance = StanceJudgement(
        "اليابان",
        "FAVOR",
        (_range(TEXT_1, "طوكيو"), _range(TEXT_1, "🇯🇵")),
        _range(TEXT_1, "الرئيسُ"),
    )
    spans_1 = (
        span_of(TEXT_1, "الرئيسُ", "PER"),
        span_of(TEXT_1, "🇯🇵", "MISC"),
        span_of(TEXT_1, "Nvidia", "ORG"),
        span_of(TEXT_1, "طوكيو", "GPE"),
    )
    spans_2 = (span_of(TEXT_2, "اليابانُ", "GPE"), span_of(TEXT_2, "بروكسل", "GPE"))
    spans_3 = (
        span_of(TEXT_3, "جوزيب بوريل", "PER"),
        span_of(TEXT_3, "طوكيو", "GPE"),
        span_of(TEXT_3, "الاتحادُ الأوروبيُّ", "ORG"),
        span_of(TEXT_3, "الأوروبيُّ", "NORP"),
    )
    against = StanceJudgement("الاتحاد الأوروبي", "AGAINST", (_range(TEXT_3, "ملتزمٌ"),), None)
    d1 = DocumentData(
        TEXT_1, uuid=fixed_uuid(1), title="خبر ١", meta={"url": "https://example.com/خبر", "n": 3}
    )
    d2 = DocumentData(TEXT_2, uuid=fixed_uuid(2), source="كونا")
    d3 = DocumentData(TEXT_3, uuid=fixed_uuid(3))
    d4 = DocumentData(TEXT_4, uuid=fixed_uuid(4))
    nvidia = (span_of(TEXT_1, "Nvidia", "ORG"),)
    return [
        Record(d1, _set(1, "amal", SetStatus.SUBMITTED, spans_1, (stance,), "راجعيه")),
        Record(d1, _set(2, "omar", SetStatus.IN_PROGRESS, nvidia)),
        Record(d2, _set(3, "amal", SetStatus.APPROVED, spans_2)),
        Record(d2, _set(4, "model:v1", SetStatus.SUBMITTED, (span_of(TEXT_2, "بروكسل", "LOC"),))),
        Record(d3, _set(5, "rana@example.org", SetStatus.SUBMITTED, spans_3, (against,))),
        Record(d3, _set(6, "omar", SetStatus.REJECTED, (), (), "لا كيانات؟")),
        Record(d4),
    ]


def seeded_database(path: Path) -> Database:
    """A database holding :func:`corpus` (merged as a pack is: every id kept), its first user
    (``tester``) the admin."""
    db = Database.open(path)
    core = Tawsim(db, "tester")
    core.join()
    core.ingest(corpus(), IngestOptions(merge=True))
    return db


# --- valid files of every format (the seeds) ------------------------------------------------


@dataclass(frozen=True)
class Case:
    """Files to import: ``files`` by name, ``main`` the one named on the command line."""

    files: dict[str, bytes]
    main: str
    format: str = "auto"

    def write(self, folder: Path) -> Path:
        for name, data in self.files.items():
            (folder / name).write_bytes(data)
        return folder / self.main


def _jsonl(*objs: Any) -> bytes:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs).encode()


def _exported(db: Database, fmt: str, folder: Path, name: str) -> dict[str, bytes]:
    """The files Tawsim's writer ``fmt`` makes from every set (and unannotated document)."""
    out = folder / name
    export(Tawsim(db, "tester"), out, ExportOptions(format=fmt, include=Selection.ALL))
    if out.is_dir():
        return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}
    return {out.name: out.read_bytes()}


def _ls_region(text: str, word: str, label: str, utf16: bool = False) -> dict[str, Any]:
    start = text.index(word)
    end = start + len(word)
    if utf16:
        start = len(text[:start].encode("utf-16-le")) // 2
        end = len(text[:end].encode("utf-16-le")) // 2
    value = {"start": start, "end": end, "text": word, "labels": [label]}
    return {"value": value, "id": "r1", "from_name": "label", "to_name": "text", "type": "labels"}


def _hand_written() -> dict[str, list[Case]]:
    """Shapes of other tools that Tawsim's writers do not make."""
    s = TEXT_1.index("طوكيو")
    doccano_label = {"id": 7, "text": TEXT_1, "label": [[s, s + 5, "GPE"]], "annotator": "amal"}
    b = TEXT_2.index("بروكسل")
    doccano_entities = {
        "id": 8,
        "text": TEXT_2,
        "entities": [{"id": 1, "start_offset": b, "end_offset": b + 6, "label": "GPE"}],
    }
    t = TEXT_3.index("طوكيو")
    prodigy = {
        "text": TEXT_3,
        "spans": [{"start": t, "end": t + 5, "label": "GPE", "text": "طوكيو", "token_start": 4}],
        "answer": "accept",
        "_annotator_id": "ds-amal",
        "_session_id": "ds-amal",
        "_input_hash": 1,
        "_task_hash": 2,
        "_timestamp": 1700000000,
        "_view_id": "ner_manual",
    }
    rejected = dict(prodigy, answer="reject", _annotator_id="ds-omar")
    task = {
        "id": 3,
        "data": {"text": TEXT_1, "title": "t", "extra": 1},
        "meta": {"k": "v"},
        "annotations": [
            {
                "id": 1,
                "completed_by": {"id": 9, "email": "amal@example.org"},
                "result": [
                    _ls_region(TEXT_1, "طوكيو", "GPE", utf16=True),
                    {"value": {"choices": ["FAVOR"]}, "type": "choices", "to_name": "text"},
                    {"from_id": "r1", "to_id": "r2", "type": "relation"},
                ],
                "was_cancelled": False,
            },
            {"id": 2, "completed_by": 7, "result": [], "was_cancelled": True},
        ],
        "predictions": [
            {"model_version": "v2", "result": [_ls_region(TEXT_1, "Nvidia", "ORG", utf16=True)]}
        ],
    }
    json_min = {
        "id": 4,
        "text": TEXT_2,
        "label": [_ls_region(TEXT_2, "بروكسل", "GPE", utf16=True)["value"]],
        "annotator": "omar",
        "annotation_id": 12,
        "lead_time": 3.5,
    }
    csv_text = (
        "text,title,source,extra\n"
        f'"{TEXT_1}",خبر,كونا,١\n'
        f'"{TEXT_3}","عنوان, بفاصلة",,"قيمة ""مقتبسة"""\n'
    )
    tsv_text = f"id\ttext\n1\t{TEXT_2}\n2\t{TEXT_1}\n"
    wojood = (
        "-DOCSTART- O\n\nوزير B-PER\nخارجية I-PER B-ORG\nالسعودية I-PER I-ORG B-GPE\n"
        "في O\nالرياض B-GPE\n. O\n\nجدة S-GPE\n"
    )
    anercorp = "وصل O\nجوزيب I-PERS\nبوريل I-PERS\nإلى O\nطوكيو B-LOC\n. O\n\nاليابان B-LOC\n"
    p = TEXT_3.index("جوزيب")
    nl = TEXT_3.index("\n")
    ann = (
        f"T1\tGPE {t} {t + 5}\tطوكيو\n"
        f"T2\tPER {p} {p + 11}\tجوزيب بوريل\n"
        f"T3\tEVENT {p + 6} {nl};{nl + 1} {nl + 5}\tبوريل إلى طوكيو وقال\n"
        "R1\tLocated Arg1:T2 Arg2:T1\n"
        "E1\tVisit:T2 Agent:T2\n"
        "A1\tNegated E1\n"
        "N1\tReference T1 Wikidata:Q1490\tTokyo\n"
        "#1\tAnnotatorNotes T1\tملاحظة\n"
        "*\tEquiv T1 T2\n"
    )
    return {
        "jsonl": [
            Case({"d.jsonl": _jsonl(doccano_label, doccano_entities)}, "d.jsonl"),
            Case({"p.jsonl": _jsonl(prodigy, rejected)}, "p.jsonl"),
            Case({"ls.jsonl": _jsonl(task, json_min)}, "ls.jsonl"),
            Case({"t.ndjson": _jsonl({"text": TEXT_2}, {"text": TEXT_3, "meta": {}})}, "t.ndjson"),
        ],
        "label-studio": [
            Case(
                {"tasks.json": json.dumps([task, json_min], ensure_ascii=False).encode()},
                "tasks.json",
            ),
            Case({"one.json": json.dumps(task, indent=1).encode()}, "one.json"),
            Case({"mix.json": json.dumps([prodigy, doccano_label]).encode()}, "mix.json"),
        ],
        "csv": [
            Case({"t.csv": csv_text.encode()}, "t.csv"),
            Case({"t.tsv": tsv_text.encode()}, "t.tsv"),
        ],
        "conll": [
            Case({"w.conll": wojood.encode()}, "w.conll"),
            Case({"a.txt": anercorp.encode()}, "a.txt"),  # detected as CoNLL
            Case({"a.bio": anercorp.encode()}, "a.bio"),
            Case({"w.iob": wojood.replace("S-GPE", "B-GPE").encode()}, "w.iob"),
        ],
        "brat": [
            Case({"n.txt": TEXT_3.encode(), "n.ann": ann.encode()}, "n.ann"),
            Case({"e.txt": TEXT_2.encode(), "e.ann": b""}, "e.ann"),
        ],
        "txt": [
            Case({"t.txt": f"{TEXT_1}\n\n{TEXT_3}\n".encode()}, "t.txt"),
            Case({"s.txt": "\ufeffسطر\r\nسطر ثانٍ\r\n".encode()}, "s.txt"),
        ],
    }


def seed_cases(folder: Path) -> dict[str, list[Case]]:
    """Valid files by the import format that reads them (``write-only`` for the files of the
    formats Tawsim writes but does not read: their readers' extensions decide)."""
    folder.mkdir(parents=True, exist_ok=True)
    db = seeded_database(folder / "seeds.db")
    try:
        cases = _hand_written()
        made = {
            fmt: _exported(db, fmt, folder, name)
            for fmt, name in [
                ("jsonl", "native.jsonl"),
                ("doccano", "doccano.jsonl"),
                ("prodigy", "prodigy.jsonl"),
                ("label-studio", "tasks.json"),
                ("brat", "brat"),
                ("conll", "tokens.conll"),
                ("hf-tokens", "tokens.tokens.jsonl"),
                ("stance-jsonl", "stance.stance.jsonl"),
                ("spacy", "docs.spacy"),
            ]
        }
    finally:
        db.close()
    cases["jsonl"] += [Case(made[f], next(iter(made[f]))) for f in ("jsonl", "doccano", "prodigy")]
    cases["label-studio"].append(Case(made["label-studio"], "tasks.json"))
    cases["conll"].append(Case(made["conll"], "tokens.conll"))
    brat = made["brat"]
    for ann in (n for n in brat if n.endswith(".ann")):
        txt = ann.removesuffix(".ann") + ".txt"
        cases["brat"].append(Case({ann: brat[ann], txt: brat[txt]}, ann))
    cases["write-only"] = [
        Case(made["hf-tokens"], "tokens.tokens.jsonl"),
        Case(made["stance-jsonl"], "stance.stance.jsonl"),
        Case(made["spacy"], "docs.spacy"),
        Case(made["spacy"], "docs.spacy", format="spacy"),
        Case(made["jsonl"], "native.jsonl", format="conll"),  # a format forced on the wrong file
        Case(cases["conll"][0].files, "w.conll", format="jsonl"),
    ]
    return cases


# --- JSON the standard library would not write ------------------------------------------------


@dataclass(frozen=True)
class Raw:
    """JSON text written as it is (``NaN``, ``1e400``, 5,000 digits, deep nesting, bad JSON)."""

    text: str


@dataclass(frozen=True)
class Again:
    """A dict key written as ``name`` a second time: ``{"text": .., "text": ..}``."""

    name: str
    n: int = 1


def dump_json(value: Any, *, ascii_only: bool, indent: str | None = None, depth: int = 0) -> str:
    """``value`` as JSON text, with :class:`Raw` values and :class:`Again` keys as they are.
    ``ascii_only=False`` leaves lone surrogates in the text (invalid UTF-8 once encoded)."""
    nl = "" if indent is None else "\n" + indent * (depth + 1)
    end = "" if indent is None else "\n" + indent * depth
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        items = [
            json.dumps(k.name if isinstance(k, Again) else str(k), ensure_ascii=ascii_only)
            + ":"
            + dump_json(v, ascii_only=ascii_only, indent=indent, depth=depth + 1)
            for k, v in value.items()
        ]
        return "{" + nl + ("," + nl).join(items) + end + "}" if items else "{}"
    if isinstance(value, list):
        items = [dump_json(v, ascii_only=ascii_only, indent=indent, depth=depth + 1) for v in value]
        return "[" + nl + ("," + nl).join(items) + end + "]" if items else "[]"
    if isinstance(value, float) and value != value:
        return "NaN"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return json.dumps(value, ensure_ascii=ascii_only)


def encode(text: str) -> bytes:
    """UTF-8, lone surrogates written as their (invalid) three bytes."""
    return text.encode("utf-8", "surrogatepass")


# --- hostile pieces ---------------------------------------------------------------------------

PIECES = [
    # Arabic letters, hamza forms, alef maqsura, ta marbuta
    *"ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآئؤىة",
    # tashkeel, superscript alef, tatweel, Arabic-Indic digits, Arabic comma and question mark
    *"\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640",
    "٢٠٢٤",
    "،",
    "؟",
    "ـــ",
    # joiners, marks, bidi controls, BOM, invisible
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202e",
    "\u2066",
    "\u2069",
    "\ufeff",
    "\u00ad",
    "\u034f",
    # emoji: astral, flags, ZWJ sequences, skin tone, variation selector, keycap
    "😀",
    "🇯🇵",
    "🇸",
    "👨\u200d👩\u200d👧",
    "👍🏽",
    "\ufe0f",
    "1\ufe0f\u20e3",
    "𝕏",
    # spaces and breaks
    " ",
    "  ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\u00a0",
    "\u2028",
    "\u2029",
    "\x85",
    "\x0b",
    "\x0c",
    # controls, NUL, lone surrogates, noncharacters
    "\x00",
    "\x01",
    "\x1b",
    "\x7f",
    "\ud800",
    "\udfff",
    "\ud83d",
    "\uffff",
    "\U0010ffff",
    # Latin, digits, combining on Latin, syntax of the formats
    "a",
    "Z",
    "é",
    "e\u0301",
    "0",
    "9",
    '"',
    "'",
    "\\",
    ",",
    ";",
    ":",
    "{",
    "}",
    "[",
    "]",
    "%",
    "#",
    "-",
    "B-",
    "I-",
    "O",
    "T1",
    "-DOCSTART-",
    "[b]",
    ":smile:",
    "..",
    "/",
]

hostile_text = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=12).map("".join),
    st.sampled_from(["", " ", "\n", "PER", "ORG", "GPE", "FAVOR", "amal", "model:v1", "ـ"]),
    st.builds(
        lambda piece, n: piece * n,
        st.sampled_from(["ب", "ـ", "\u064e", "L", " "]),
        st.sampled_from([65, 101, 2000, 70_000]),
    ),
    st.text(max_size=8),
)
"""Strings that strain every rule: Arabic with marks, emoji, controls, NUL, surrogates..."""

BIG_INTS = [
    2**31 - 1,
    2**31,
    2**32,
    2**53 + 1,
    2**63 - 1,
    2**63,
    2**64,
    -(2**63) - 1,
    10**30,
    -(10**30),
]
hostile_int = st.one_of(st.integers(-3, 80), st.sampled_from(BIG_INTS), st.integers())
RAW_TOKENS = [
    "NaN",
    "-NaN",
    "Infinity",
    "-Infinity",
    "1e400",
    "-1e400",
    "1e-400",
    "-0",
    "0.0",
    "5.0",
    "1E2",
    "9" * 4001,
    "-" + "9" * 5000,
    "[" * 40 + "]" * 40,
    "[" * 3000 + "]" * 3000,
    '{"a":' * 60 + "1" + "}" * 60,
    "tru",
    "undefined",
    "'x'",
    '"\\ud800"',
    '"\\udfff\\ud800"',
    '"\\ud83d\\ude00"',
    '"\\u0000"',
    '"\\x41"',
    '"a\tb"',
    '"\\uDFFF"',
    "01",
    "0x10",
    "",
    "[1,]",
    "{}",
    "[]",
]
raw_token = st.sampled_from(RAW_TOKENS).map(Raw)
hostile_scalar = st.one_of(
    hostile_int,
    st.floats(),
    st.booleans(),
    st.none(),
    hostile_text,
    raw_token,
)
hostile_value = st.recursive(
    hostile_scalar,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(
            st.sampled_from(["start", "end", "label", "text", "x"]) | hostile_text,
            children,
            max_size=3,
        ),
    ),
    max_leaves=6,
)

KNOWN_KEYS = [
    "text", "spans", "label", "start", "end", "annotator", "status", "stance", "meta", "id",
    "set_id", "title", "source", "comment", "answer", "_annotator_id", "_session_id",
    "entities", "start_offset", "end_offset", "labels", "data", "annotations", "predictions",
    "result", "value", "was_cancelled", "completed_by", "type", "to_name", "from_name",
    "evidence", "holder", "target", "tokens", "annotation_id", "tawsim_id", "tawsim_set",
    "tawsim_document", "model_version", "tawsim", "email", "occurrence", "uuid",
    "content_hash", "document", "stances", "reviewed_by", "reviewed_at", "created_at",
    "updated_at", "name", "format", "format_version", "counts", "entries", "sha256", "size",
    "documents", "sets", "statuses", "database_uuid", "tool_version", "ner_tags",
]  # fmt: skip
STATUSES = ["in_progress", "submitted", "approved", "rejected", "done", "APPROVED", ""]


# --- mutations of a JSON tree -------------------------------------------------------------------


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _nodes(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _nodes(v, (*path, i))


def _get(tree: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        tree = tree[step]
    return tree


def pick(draw: Callable[..., Any], items: Sequence[T]) -> T:
    """One of ``items``. ``st.sampled_from`` would be a new strategy for each list, which
    hypothesis validates anew on each draw; ``st.integers`` of the same bounds is cached."""
    return items[draw(st.integers(0, len(items) - 1))]


def _like(draw: Callable[..., Any], value: Any) -> Any:
    """A hostile value in the neighbourhood of ``value`` (an offset near the text's end, the
    same string with a piece inside...)."""
    if isinstance(value, bool) or value is None:
        return draw(hostile_value)
    if isinstance(value, int):
        how = draw(st.integers(0, 3))
        if how == 0:
            return value + draw(st.integers(-2, 2))
        if how == 1:
            return pick(draw, [-value, value * 2, -1, 0, float(value), str(value), True, None])
        if how == 2:
            return pick(draw, [value + 10**6, Raw(f"{value}.0"), Raw(f"{value}e0")])
        return draw(hostile_int)
    if isinstance(value, str):
        if value in STATUSES and draw(st.booleans()):
            return pick(draw, STATUSES)
        how = draw(st.integers(0, 4))
        if how == 0:
            at = draw(st.integers(0, len(value)))
            return value[:at] + draw(hostile_text) + value[at:]
        if how == 1:
            return value[: draw(st.integers(0, len(value)))]
        if how == 2:
            return draw(hostile_text)
        return value.upper() + value if how == 3 else value * 40
    if isinstance(value, list) and value:
        i = draw(st.integers(0, len(value) - 1))
        return pick(
            draw, [value[:i] + value[i + 1 :], [*value, value[i]], value[::-1], [value], value * 30]
        )
    return draw(hostile_value)


TREE_CHANGES = ("like", "like", "like", "hostile", "delete", "again", "add", "swap", "wrap")
TREE_CHANGES += ("raw", "copy")
key_strategy = st.sampled_from(KNOWN_KEYS) | hostile_text


def change_tree(draw: Callable[..., Any], seed: Any, max_steps: int = 4) -> Any:
    """``seed`` (a parsed JSON value) with one to ``max_steps`` hostile changes."""
    tree = copy.deepcopy(seed)
    for _ in range(draw(st.integers(1, max_steps))):
        nodes = list(_nodes(tree))
        path, value = pick(draw, nodes)
        op = pick(draw, TREE_CHANGES)
        new: Any = value
        if op == "like":
            new = _like(draw, value)
        elif op == "hostile":
            new = draw(hostile_value)
        elif op == "raw":
            new = draw(raw_token)
        elif op == "wrap":
            new = pick(draw, [[value], {"value": value}, {"": value}, [[[[value]]]]])
        elif op == "copy":  # another node's value here (a list where a number was...)
            new = copy.deepcopy(pick(draw, nodes)[1])
        elif op == "swap" and path:
            other_path, other = pick(draw, nodes)
            if other_path and not _related(path, other_path):
                _get(tree, other_path[:-1])[other_path[-1]] = copy.deepcopy(value)
                new = copy.deepcopy(other)
        elif op == "delete" and path:
            parent = _get(tree, path[:-1])
            del parent[path[-1]]
            continue
        elif op == "again" and path and isinstance(_get(tree, path[:-1]), dict):
            parent = _get(tree, path[:-1])
            name = path[-1].name if isinstance(path[-1], Again) else str(path[-1])
            same = draw(st.booleans())
            parent[Again(name, len(parent))] = copy.deepcopy(value) if same else draw(hostile_value)
            continue
        elif op == "add":
            if isinstance(value, dict):
                key = draw(key_strategy)
                if draw(st.booleans()):
                    value[key] = draw(hostile_value)
                else:  # a value from elsewhere in the tree: a list of spans where a label was
                    value[key] = copy.deepcopy(pick(draw, nodes[:20])[1])
                continue
            if isinstance(value, list):
                value.insert(draw(st.integers(0, len(value))), draw(hostile_value))
                continue
            new = draw(hostile_value)
        if not path:
            tree = new
        else:
            _get(tree, path[:-1])[path[-1]] = new
    return tree


def _related(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """Whether one path leads through the other (swapping them would nest a value in itself)."""
    n = min(len(a), len(b))
    return a[:n] == b[:n]


# --- mutations of lines and bytes -------------------------------------------------------------

HOSTILE_BYTES = [
    b"\x00",
    b"\xff",
    b"\xfe",
    b"\xc3",
    b"\xc0\xaf",
    b"\xed\xa0\x80",
    b"\xef\xbb\xbf",
    b"\xf4\x90\x80\x80",
    b"\x80",
    b"\r",
    b"\n",
    b"\r\n",
    b'"',
    b",",
    b"\t",
    b"{",
    b"[",
    b"]",
    b" ",
    b";",
]


LINE_CHANGES = ("drop", "double", "swap", "blank", "junk", "cut", "join", "bom", "crlf", "cr")
LINE_CHANGES += ("no-final", "many")


def change_lines(draw: Callable[..., Any], data: bytes, max_steps: int = 3) -> bytes:
    """``data`` with lines dropped, doubled, swapped, cut or added, a BOM, CR or CRLF endings."""
    lines = data.splitlines(keepends=True) or [b""]
    for _ in range(draw(st.integers(1, max_steps))):
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        op = pick(draw, LINE_CHANGES)
        if op == "drop" and len(lines) > 1:
            del lines[i]
        elif op == "double":
            lines.insert(i, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "blank":
            lines.insert(i, pick(draw, [b"\n", b"  \n", b"\r\n", b"\t\n"]))
        elif op == "junk":
            lines.insert(i, encode(draw(hostile_text)) + b"\n")
        elif op == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif op == "join" and i + 1 < len(lines):
            lines[i : i + 2] = [lines[i].rstrip(b"\r\n") + lines[i + 1]]
        elif op == "bom":
            lines[0] = b"\xef\xbb\xbf" + lines[0]
        elif op == "crlf":
            lines = [ln.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") for ln in lines]
        elif op == "cr":
            lines = [ln.replace(b"\r\n", b"\n").replace(b"\n", b"\r") for ln in lines]
        elif op == "no-final":
            lines[-1] = lines[-1].rstrip(b"\r\n")
        elif op == "many":
            lines.insert(i, b"\n" * 50)
    return b"".join(lines)


BYTE_CHANGES = ("flip", "insert", "insert", "delete", "cut", "random", "empty")
inserted_bytes = st.sampled_from(HOSTILE_BYTES) | st.binary(min_size=1, max_size=4)


def change_bytes(draw: Callable[..., Any], data: bytes, max_steps: int = 3) -> bytes:
    """``data`` with bits flipped, bytes inserted or deleted, cut short, or replaced whole."""
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, max_steps))):
        at = draw(st.integers(0, len(buf)))
        op = pick(draw, BYTE_CHANGES)
        if op == "flip" and at < len(buf):
            buf[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            buf[at:at] = draw(inserted_bytes)
        elif op == "delete":
            del buf[at : at + draw(st.integers(1, 8))]
        elif op == "cut":
            del buf[at:]
        elif op == "random":
            buf = bytearray(draw(st.binary(max_size=200)))
        elif op == "empty":
            buf = bytearray()
    return bytes(buf)


# --- mutations of fields in text formats (CSV, CoNLL, brat) -------------------------------------

FIELD_TOKENS = [
    "O", "B-PER", "I-PER", "E-GPE", "S-LOC", "B-", "I-", "B-PE R", "X-PER", "b-per", "B-PER\x00",
    "B-" + "L" * 70, "-DOCSTART-", "T1", "T99", "R1", "E1", "A1", "#", "*", "Q", "0", "-1", "5",
    "12", "999999", str(2**64), "3.5", "1e3", "٣", "5;7", "5 7;9 11", "GPE", "", " ", "\t",
    '"', '""', "\"a\"b\"", "\ud800", "\u2028", "ـ", "😀",
]  # fmt: skip


FIELD_CHANGES = ("token", "token", "hostile", "edit", "drop", "double", "int")
field_token = st.sampled_from(FIELD_TOKENS)
field_or_text = field_token | hostile_text


def change_fields(draw: Callable[..., Any], data: bytes, sep: str, max_steps: int = 3) -> bytes:
    """A line's field (split at ``sep`` characters) replaced, doubled, dropped or edited."""
    text = data.decode("utf-8", "surrogatepass")
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, max_steps))):
        i = draw(st.integers(0, len(lines) - 1))
        parts = _split_keep(lines[i], sep)
        fields = [k for k, p in enumerate(parts) if p not in sep]
        if not fields:
            lines[i] = draw(field_or_text)
            continue
        k = pick(draw, fields)
        op = pick(draw, FIELD_CHANGES)
        if op == "token":
            parts[k] = draw(field_token)
        elif op == "hostile":
            parts[k] = draw(hostile_text)
        elif op == "edit":
            parts[k] = _like(draw, parts[k])
            if not isinstance(parts[k], str):
                parts[k] = dump_json(parts[k], ascii_only=False)
        elif op == "drop":
            del parts[k]
        elif op == "double":
            parts.insert(k, parts[k] + sep[0])
        elif op == "int" and parts[k].isdigit():
            parts[k] = str(_like(draw, int(parts[k])))
        lines[i] = "".join(parts)
    return encode("\n".join(lines))


def _split_keep(line: str, seps: str) -> list[str]:
    out: list[str] = []
    current = ""
    for ch in line:
        if ch in seps:
            out += [current, ch]
            current = ""
        else:
            current += ch
    out.append(current)
    return out


# --- a hostile case of a format --------------------------------------------------------------


def _json_documents(data: bytes, main: str) -> tuple[list[Any], str] | None:
    """The file's JSON values and how they are laid out ("lines" or "whole")."""
    try:
        text = data.decode("utf-8")
        if main.endswith((".jsonl", ".ndjson")):
            return [json.loads(ln) for ln in text.splitlines() if ln.strip()], "lines"
        return [json.loads(text)], "whole"
    except ValueError:
        return None


def change_json_file(draw: Callable[..., Any], data: bytes, main: str) -> bytes:
    parsed = _json_documents(data, main)
    if parsed is None:
        return data
    values, layout = parsed
    ascii_only = draw(st.booleans())
    if layout == "lines":
        i = draw(st.integers(0, max(0, len(values) - 1)))
        if values:
            values[i] = change_tree(draw, values[i])
        return encode("".join(dump_json(v, ascii_only=ascii_only) + "\n" for v in values))
    tree = change_tree(draw, values[0], max_steps=5)
    indent = pick(draw, [None, " ", "\t"])
    return encode(dump_json(tree, ascii_only=ascii_only, indent=indent))


SEPARATORS = {".csv": ",\n", ".tsv": "\t", ".ann": "\t ;", ".conll": " \t", ".bio": " \t",
              ".iob": " \t", ".txt": " \t"}  # fmt: skip


WHOLE_FILES = [
    b"",
    b"\n",
    b"\xef\xbb\xbf",
    b"\x00" * 10,
    b"\r\n\r\n",
    b"[]",
    b"{}",
    b"null",
    b"\xff\xfe" + "نص".encode("utf-16-le"),
]
"""Files that are nothing but an edge case (empty, a BOM, NULs, UTF-16...)."""


whole_file = st.sampled_from(WHOLE_FILES) | st.binary(max_size=300)
FILE_CHANGES = ("structural",) * 5 + ("structural+lines", "structural+bytes", "lines", "bytes")
FILE_CHANGES += ("whole",)


def change_file(draw: Callable[..., Any], name: str, data: bytes) -> bytes:
    """One file of a case, mutated in the way its kind allows, then perhaps by line or byte."""
    suffix = Path(name).suffix.lower()
    mode = pick(draw, FILE_CHANGES)
    if mode == "whole":
        return draw(whole_file)
    out = data
    if mode.startswith("structural"):
        if suffix in (".jsonl", ".ndjson", ".json"):
            out = change_json_file(draw, data, name)
        elif suffix == ".csv" and draw(st.booleans()):
            out = change_csv_cells(draw, data)
        elif suffix in SEPARATORS:
            out = change_fields(draw, data, SEPARATORS[suffix])
        else:
            out = change_bytes(draw, data)
    if mode.endswith("lines"):
        out = change_lines(draw, out)
    if mode.endswith("bytes"):
        out = change_bytes(draw, out)
    return out


def change_csv_cells(draw: Callable[..., Any], data: bytes) -> bytes:
    """A CSV cell replaced with a hostile value, written back with the csv module's quoting."""
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    except (UnicodeDecodeError, csv.Error):
        return data
    if not rows:
        return data
    i = draw(st.integers(0, len(rows) - 1))
    if rows[i]:
        j = draw(st.integers(0, len(rows[i]) - 1))
        header = draw(st.booleans())  # a header repeated: a column named twice
        rows[i][j] = rows[0][j] if header else draw(hostile_text)
    out = io.StringIO()
    csv.writer(out, lineterminator=pick(draw, ["\n", "\r\n", "\r"])).writerows(rows)
    return encode(out.getvalue())


mutated_tree = st.composite(change_tree)
mutated_lines = st.composite(change_lines)
mutated_bytes = st.composite(change_bytes)
"""The changes above as strategies (the pack fuzzing draws them)."""


@dataclass(frozen=True)
class Options:
    """The import options a case runs with (mostly the defaults)."""

    offsets: OffsetUnit | None = None
    annotator: str | None = None
    status: SetStatus | None = None
    text_column: str | None = None
    strict_labels: bool = False
    actor: str = "tester"  # tester is the admin; amal an annotator
    all_or_nothing: bool = False  # the GUI's way: a good file beside it, one transaction
    format: str | None = None  # a format forced on the file (--format), else the case's


IMPORT_FORMATS = ["auto", "txt", "jsonl", "label-studio", "csv", "conll", "brat"]
"""``--format`` choices (:func:`registry.import_formats`; a test checks the list is whole)."""
NAME_PREFIXES = ["", "", "", "", "", "خبر ", "a b", os.fsdecode(b"\xff"), "x\ny", "%ff", "..", "~"]
"""Put before a case's file names: Arabic, a space, a byte that is not UTF-8 (a file from
another system), a line break..."""

options_strategy = st.one_of(
    st.just(Options()),
    st.just(Options()),
    st.just(Options()),
    st.builds(
        Options,
        offsets=st.none() | st.sampled_from(list(OffsetUnit)),
        annotator=st.sampled_from(
            [None, None, "amal", "model:v1", " x", "a\nb", "\ud800", "L" * (MAX_NAME + 1)]
        ),
        status=st.none() | st.sampled_from(list(SetStatus)),
        text_column=st.sampled_from([None, None, "body", "text", "title", "", "\x00"]),
        strict_labels=st.booleans(),
        actor=st.sampled_from(["tester", "tester", "amal"]),
        all_or_nothing=st.booleans(),
        format=st.sampled_from([None, None, None, None, *IMPORT_FORMATS]),
    ),
)


SALTS = itertools.count(1)
"""Each case's own number, which makes its texts new to the database (:func:`salted`)."""


def salted(name: str, data: bytes, salt: int) -> bytes:
    """``data`` with every document made new to the database (the fuzzing reuses one across
    examples, where the seeds' own texts are soon all stored: a record stored before the one
    refused would then change nothing, and a partial import would go unseen). Each corpus text
    gets ``salt`` at its end (offsets are untouched), as it is, or escaped as JSON writes it;
    a CoNLL file a sentence of its own first; a plain text a line at its end."""
    mark = f" رقم {salt:09d}"  # one width: the draws that follow do not depend on it
    if Path(name).suffix.lower() in (".conll", ".bio", ".iob") or b" O\n" in data:
        return f"رقم{salt:09d} O\n\n".encode() + data
    if name.endswith(".txt") and not any(t.encode() in data for t in TEXTS):
        return data + mark.encode()
    for text in TEXTS:
        forms = {text: mark, json.dumps(text, ensure_ascii=False)[1:-1]: mark}
        forms[json.dumps(text)[1:-1]] = json.dumps(mark)[1:-1]
        for shown, extra in forms.items():
            data = data.replace(shown.encode(), (shown + extra).encode())
    return data


@st.composite
def hostile_case(draw: Callable[..., Any], seeds: list[Case]) -> tuple[Case, Options]:
    """A seed of the format (its texts made new: :func:`salted`), each of its files perhaps
    mutated (the main one surely, unless a brat text is changed or dropped instead)."""
    seed = pick(draw, seeds)
    salt = next(SALTS)  # not drawn: hypothesis would draw the same small numbers again and again
    files = {name: salted(name, data, salt) for name, data in seed.files.items()}
    names = sorted(files)
    others = [n for n in names if n != seed.main]
    which = draw(st.integers(0, 2)) if others else 0  # the main file, the others, or all
    for name in names:
        if which == 2 or (which == 0) == (name == seed.main):
            files[name] = change_file(draw, name, files[name])
    if others and draw(st.integers(0, 9)) == 9:  # a brat .txt missing
        del files[pick(draw, others)]
    prefix = pick(draw, NAME_PREFIXES)
    files = {prefix + name: data for name, data in files.items()}
    return Case(files, prefix + seed.main, seed.format), draw(options_strategy)


# --- the database under test ----------------------------------------------------------------


@contextmanager
def bench_in_memory(fallback: Path, template: Path) -> Iterator[Bench]:
    """A :class:`Bench` whose database and files are in memory (``/dev/shm``, where there is
    one, else ``fallback``): a fuzz test makes thousands of small files and commits, which a
    disk makes several times slower. ``os.fsync`` does nothing meanwhile (durability is not
    what these tests test). Removed afterwards, whatever happens."""
    shm = Path("/dev/shm")
    folder = fallback
    if shm.is_dir() and os.access(shm, os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix="tawsim-fuzz-", dir=shm))
    fsync = os.fsync
    os.fsync = lambda fd: None
    try:
        bench = Bench(folder, template)
        try:
            yield bench
        finally:
            bench.close()
    finally:
        os.fsync = fsync
        if folder != fallback:
            shutil.rmtree(folder, ignore_errors=True)


# Tables whose every row is compared (small); the others by row count and largest row id.
SMALL_TABLES = ("settings", "labels", "users", "tallies", "set_tallies", "alembic_version")


class Bench:
    """One SQLite database reused across a test's examples, and the checks of issue 11."""

    def __init__(self, folder: Path, template: Path):
        self.folder = folder
        self.path = folder / "fuzz.db"
        shutil.copy(template, self.path)
        self.db = Database.open(self.path)
        admin = Tawsim(self.db, "tester")
        admin.join()  # the first user: admin
        admin.add_user("amal", Role.ANNOTATOR)
        self.watch = sqlite3.connect(self.path)
        self.watch.execute("PRAGMA query_only=1")
        self.tables = {  # table -> how to count its rows (and find its largest row id)
            name: "count(*)" if "WITHOUT ROWID" in sql.upper() else "count(*), max(rowid)"
            for name, sql in self.watch.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
            )
            if not sql.upper().startswith("CREATE VIRTUAL")
        }
        self.work = folder / "case"
        self.n = 0
        self.accepted = 0
        self.refused = 0
        self.refusals: dict[str, int] = {}
        self._version = self._data_version()
        self.schema_values = admin.schema().stance_values

    def close(self) -> None:
        self.watch.close()
        self.db.close()

    def core(self, actor: str = "tester") -> Tawsim:
        return Tawsim(self.db, actor)

    # -- the fingerprint ----------------------------------------------------------------------

    def _data_version(self) -> int:
        return int(self.watch.execute("PRAGMA data_version").fetchone()[0])

    def start(self) -> dict[str, Any]:
        """Count a case and take the database's fingerprint before it runs."""
        self.n += 1
        self.committed()
        return self.fingerprint()

    def fingerprint(self) -> dict[str, Any]:
        """Row counts and largest row ids of every table; every row of the small ones."""
        out: dict[str, Any] = {}
        for table, counts in self.tables.items():
            out[table] = self.watch.execute(f'SELECT {counts} FROM "{table}"').fetchone()
            if table in SMALL_TABLES:
                out[table + " rows"] = self.watch.execute(f'SELECT * FROM "{table}"').fetchall()
        return out

    def committed(self) -> bool:
        """Whether anything was committed to the database since the last call."""
        version = self._data_version()
        changed = version != self._version
        self._version = version
        return changed

    # -- one case ---------------------------------------------------------------------------

    def fresh_folder(self) -> Path:
        """The (emptied) folder a case's files are written to."""
        if self.work.exists():
            for path in self.work.iterdir():
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()
        else:
            self.work.mkdir()
        return self.work

    def refused_cleanly(self, before: dict[str, Any], what: str) -> None:
        """A refusal must have changed nothing at all."""
        self.refused += 1
        committed = self.committed()
        after = self.fingerprint()
        diff = {k: _change(before[k], after.get(k)) for k in before if before[k] != after.get(k)}
        assert not committed and not diff, f"{what} was refused but changed the database: {diff}"

    def note_refusal(self, message: str) -> None:
        """Count refusals by what they say (the first words after the file and line)."""
        said = message.replace(str(self.work), "")[:200]
        words = re.sub(r"[^\w\s-]|\d", " ", said.partition(": ")[2]).split()
        key = " ".join(words[:4])
        self.refusals[key] = self.refusals.get(key, 0) + 1

    def summary(self, seconds: float) -> str:
        common = sorted(self.refusals.items(), key=lambda kv: -kv[1])[:8]
        return (
            f"{self.n} cases in {seconds:.1f} s: {self.accepted} accepted, {self.refused} "
            f"refused (most often: {', '.join(f'{k} ({n})' for k, n in common)})"
        )

    def accepted_cleanly(self, before: dict[str, Any]) -> None:
        """What was stored obeys the store's rules and exports again, in every format."""
        self.accepted += 1
        self.committed()
        check_stored(self.watch, before)
        records = list(self.new_records(before))
        if records:
            text, written = exported("jsonl", records, WriteOptions())
            lines = text.split("\n")[:-1]  # (str.splitlines would split at U+2028 too)
            assert len(lines) == written == len(records), "the export left records out"
            for line in lines:  # JSON another tool (and Tawsim, strictly) reads back
                json_text.loads_incoming(line)
            self.export_in_every_format(records)

    def new_records(self, before: dict[str, Any]) -> Iterator[Record]:
        """The records of every document that gained a row since ``before``."""
        first_doc = (before["documents"][1] or 0) + 1
        first_set = (before["annotation_sets"][1] or 0) + 1
        ids = [
            row[0]
            for row in self.watch.execute(
                "SELECT id FROM documents WHERE id >= ? UNION "
                "SELECT document_id FROM annotation_sets WHERE id >= ? ORDER BY 1",
                (first_doc, first_set),
            )
        ]
        core = self.core()
        for doc in core.documents(ids):
            assert doc.id is not None
            sets = core.sets(doc.id)
            if not sets:
                yield Record(doc)
            for data in sets:
                yield Record(doc, data)

    def export_everything(self) -> dict[str, int]:
        """Every export format of the whole database (the end of a test)."""
        return self.export_in_every_format(list(self.core().records(Selection.ALL)))

    def export_in_every_format(self, records: list[Record]) -> dict[str, int]:
        """``records`` in every export format (none may fail on what the fuzzing stored);
        how many records each wrote."""
        sets = [r.annotation for r in records if r.annotation is not None]
        judged = [j for a in sets for j in a.stances]
        values = (*self.schema_values, *sorted({j.value for j in judged}))
        options = WriteOptions(
            labels=tuple(sorted({s.label for a in sets for s in a.spans})),
            stance_targets=tuple(sorted({j.target for j in judged})),
            stance_values=tuple(dict.fromkeys(values)),
        )
        written: dict[str, int] = {}
        for fmt in registry.export_formats():
            if fmt.missing():
                continue
            if fmt.folder or fmt.name == "spacy":  # a folder of files, a binary file
                out = self.folder / f"export.{fmt.name}"
                written[fmt.name] = write_records(fmt.name, records, out, options).records
                if out.is_dir():
                    shutil.rmtree(out)
                else:
                    out.unlink()
            else:
                written[fmt.name] = exported(fmt.name, records, options)[1]
        return written


def exported(fmt: str, records: Iterable[Record], options: WriteOptions) -> tuple[str, int]:
    """What the writer ``fmt`` writes of ``records`` to standard output (``-``), in memory,
    and how many records it says it wrote."""
    buffer = io.BytesIO()
    stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="\n")
    with contextlib.redirect_stdout(stream):
        report = write_records(fmt, records, "-", options)
        stream.flush()
    return buffer.getvalue().decode("utf-8"), report.records


def _change(before: Any, after: Any) -> Any:
    """What changed: the counts before and after, or the rows gone and the rows come."""
    if isinstance(before, list) and isinstance(after, list):
        return {
            "gone": [r for r in before if r not in after],
            "come": [r for r in after if r not in before],
        }
    return (before, after)


def run_cli(argv: list[str]) -> tuple[int, str]:
    """``tawsim ARGV`` as the console script runs it: its exit status and everything it said."""
    runner = CliRunner()
    with runner.isolation() as (out, err, _):
        try:
            main(argv)
            code = 0
        except SystemExit as stopped:
            code = stopped.code if isinstance(stopped.code, int) else 1
        said = out.getvalue().decode(errors="replace") + err.getvalue().decode(errors="replace")
    return code, said


def check_stored(watch: sqlite3.Connection, before: dict[str, Any]) -> None:
    """The rows added since ``before`` obey the rules every record must (the database's own
    constraints aside): spans and stance ranges inside their text, words fit for labels."""
    first_doc = (before["documents"][1] or 0) + 1
    first_set = (before["annotation_sets"][1] or 0) + 1
    for text, title, source in watch.execute(
        "SELECT text, title, source FROM documents WHERE id >= ?", (first_doc,)
    ):
        assert text.strip(), "an empty text was stored"
        for value in (text, title or "", source or ""):
            assert not text_problem(value), value
    for start, end, label, length in watch.execute(
        "SELECT s.start, s.end, s.label, length(d.text) FROM spans s "
        "JOIN annotation_sets a ON a.id = s.set_id JOIN documents d ON d.id = a.document_id "
        "WHERE a.id >= ?",
        (first_set,),
    ):
        assert 0 <= start < end <= length, (start, end, length)
        assert not word_problem(label, MAX_LABEL), label
    for target, value, evidence, hs, he, length in watch.execute(
        "SELECT st.target, st.value, st.evidence, st.holder_start, st.holder_end, length(d.text) "
        "FROM stances st JOIN annotation_sets a ON a.id = st.set_id "
        "JOIN documents d ON d.id = a.document_id WHERE a.id >= ?",
        (first_set,),
    ):
        assert not word_problem(target, MAX_NAME), target
        assert not word_problem(value, MAX_LABEL), value
        for r in json.loads(evidence or "[]"):
            start, end = (r["start"], r["end"]) if isinstance(r, dict) else r
            assert 0 <= start < end <= length, (start, end, length)
        if hs is not None:
            assert 0 <= hs < he <= length, (hs, he, length)
    first_user = (before["users"][1] or 0) + 1
    for (name,) in watch.execute("SELECT name FROM users WHERE id >= ?", (first_user,)):
        assert not word_problem(name, MAX_NAME), name
