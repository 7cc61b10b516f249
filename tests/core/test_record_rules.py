"""The rules every incoming record obeys (app.core.record_rules.check_record)."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.domain import EntitySpan, SetStatus, StanceJudgement
from app.core.errors import InputError
from app.core.record_rules import check_record
from app.core.records import DocumentData, Record, SetData


def record(**fields: Any) -> Record:
    document = {k: fields.pop(k) for k in ("text", "title", "source") if k in fields}
    return Record(
        DocumentData(**{"text": "وصل بوريل", **document}),
        SetData(**{"annotator": "amal", "status": SetStatus.SUBMITTED, **fields}),
    )


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"annotator": 1}, "the annotator name must be a string, got int"),
        ({"comment": None}, "the comment must be a string, got NoneType"),
        ({"spans": (EntitySpan(4, 9, 7),)}, "a span's label must be a string, got int"),  # type: ignore[arg-type]
        ({"stances": (StanceJudgement(["x"], "FAVOR"),)}, "a stance target must be a string"),  # type: ignore[arg-type]
        ({"stances": (StanceJudgement("x", 2.5),)}, "a stance value must be a string, got float"),  # type: ignore[arg-type]
        ({"source": b"kuna"}, "the source must be a string, got bytes"),
        ({"title": 5}, "the title must be a string, got int"),
    ],
)
def test_a_value_that_is_not_a_string_is_refused(fields: dict[str, Any], said: str) -> None:
    """Found by fuzzing: a Label Studio file whose ``tawsim.annotator`` was a number reached
    the name rules as an int, and the import crashed with an AttributeError; a reader that
    lets a number through is now refused like any other bad value."""
    with pytest.raises(InputError, match=said):
        check_record(record(**fields))


def test_a_good_record_passes() -> None:
    check_record(record(spans=(EntitySpan(4, 9, "PER"),), stances=(StanceJudgement("x", "FAVOR"),)))
