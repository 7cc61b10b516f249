"""Records as plain values for a second process (:func:`app.core.records.packed`)."""

from __future__ import annotations

import pickle
from dataclasses import MISSING, fields
from datetime import UTC, datetime

from app.core.domain import EntitySpan, SetStatus, StanceJudgement, TextRange
from app.core.records import DocumentData, Record, SetData, packed, unpacked

TEXT = "قال بوريل إن الاتحاد الأوروبي شريك"


def full_record() -> Record:
    """A record with every field of every part away from its default."""
    when = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)
    return Record(
        DocumentData(TEXT, "d-1", "عنوان", "وكالة", {"lang": "ar", "n": [1, 2]}, 7, 2),
        SetData(
            "amal",
            SetStatus.APPROVED,
            (EntitySpan(4, 9, "PER"), EntitySpan(13, 29, "ORG")),
            (
                StanceJudgement("الاتحاد", "FAVOR", (TextRange(0, 3), TextRange(30, 34)), None),
                StanceJudgement("بوريل", "NONE", (), TextRange(4, 9)),
            ),
            "تمام",
            "s-1",
            ("p-1", "p-2"),
            ("t-1", "t-2"),
            "u-1",
            "rana",
            when,
            when.replace(hour=8),
            when.replace(hour=9),
            3,
            ("بوريل", None),
        ),
        "corpus.jsonl",
        4,
    )


def test_every_field_is_away_from_its_default() -> None:
    record = full_record()
    for part in (record, record.document, record.annotation):
        for f in fields(part):
            default = f.default_factory() if f.default_factory is not MISSING else f.default
            assert getattr(part, f.name) != default, f.name


def test_a_packed_record_comes_back_equal() -> None:
    record = full_record()
    assert unpacked(pickle.loads(pickle.dumps(packed(record)))) == record
    bare = Record(DocumentData(TEXT))
    assert unpacked(pickle.loads(pickle.dumps(packed(bare)))) == bare


def test_packed_is_plain_values_only() -> None:
    """Nothing of Tawsim's own types crosses the pipe (each would cost a Python call)."""
    plain = (str, int, float, type(None), tuple, list, dict, datetime)

    def check(value: object) -> None:
        assert isinstance(value, plain), type(value)
        if isinstance(value, tuple | list):
            for item in value:
                check(item)
        if isinstance(value, dict):
            for item in value.values():
                check(item)

    check(packed(full_record()))
