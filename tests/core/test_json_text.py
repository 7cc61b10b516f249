"""JSON written by orjson where it can, by the standard library where orjson would change a
value: whatever Python reads back is what was written."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from app.core import json_text

VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(VALUES)
def test_what_is_read_back_is_what_was_written(value: object) -> None:
    same = json.dumps(value)  # NaN written as NaN on both sides, so comparable
    assert json.dumps(json_text.loads(json_text.dumps(value))) == same
    line = json_text.dumps_line(value)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert json.dumps(json_text.loads(line)) == same


def test_nan_infinity_and_big_integers_are_not_turned_into_null_or_floats() -> None:
    meta = {"score": float("nan"), "max": float("inf"), "id": 2**70, "note": None}
    assert (
        json_text.dumps(meta)
        == '{"score":NaN,"max":Infinity,"id":1180591620717411303424,"note":null}'
    )
    assert json_text.dumps({"a": "عربي", "b": None}) == '{"a":"عربي","b":null}'


def test_files_from_other_tools_are_read_strictly() -> None:
    import pytest

    from app.core.errors import InputError

    assert json_text.loads_incoming('{"a": [1, 2.5, "x"]}') == {"a": [1, 2.5, "x"]}
    for text, said in [
        ('{"a": 1, "a": 2}', "the key 'a' appears twice"),
        ('{"a": NaN}', "NaN is not a number"),
        ('{"a": 1e999}', "too large to store"),
        ('{"a": ' + "1" * 4001 + "}", "4001 digits"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ]:
        with pytest.raises(InputError, match=said):
            json_text.loads_incoming(text)
    with pytest.raises(json.JSONDecodeError):
        json_text.loads_incoming('{"a": }')
