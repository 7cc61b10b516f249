"""The label schema: the bundled default loads; broken files get clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.errors import SchemaError
from app.core.resources import default_schema_path
from app.core.schema import load_schema, parse_schema


def test_default_schema_covers_arabic_news() -> None:
    schema = load_schema(default_schema_path())
    assert {"PER", "ORG", "GPE", "LOC", "DATE", "EVENT", "NORP", "WEAPON", "MISC"} <= set(
        schema.label_names
    )
    assert schema.stance_values == ("FAVOR", "AGAINST", "NEUTRAL", "NONE")
    assert schema.allow_nested and schema.free_targets
    hotkeys = [e.hotkey for e in schema.entities]
    assert hotkeys == [str(i) for i in range(1, 10)]
    assert all(e.color.startswith("#") and e.description for e in schema.entities)


def test_extra_labels_get_colours_and_keep_the_schema() -> None:
    schema = load_schema(default_schema_path()).with_extra_labels(["PERS", "PER", "OCC"])
    assert schema.label_names[-2:] == ("PERS", "OCC")
    assert schema.label("PERS") is not None and schema.label("PERS").hotkey == ""


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[[entities]\nname=", "not valid TOML"),
        ("[schema]\nname='x'\n", "no [[entities]] defined"),
        ("[[entities]]\nname='PER'\ncolor='red'\n", "color 'red' must look like #rrggbb"),
        ("[[entities]]\nname='PER'\n[[entities]]\nname='PER'\n", "defined twice"),
        ("[[entities]]\nname='شخص'\n", "must start with a Latin letter"),
        (
            "[[entities]]\nname='A'\nhotkey='1'\n[[entities]]\nname='B'\nhotkey='1'\n",
            "already used by A",
        ),
        ("[[entities]]\nname='A'\nhotkey='F1'\n", "single key"),
        ("[[entities]]\nname='A'\n[stance]\nvalues=[]\n", "must not be empty"),
        ("[[entities]]\nname='A'\n[stance]\nvalues=['X','X']\n", "must be unique"),
        ("[schema]\nallow_nested='yes'\n[[entities]]\nname='A'\n", "allow_nested must be a bool"),
    ],
)
def test_broken_schema_is_explained(toml: str, message: str) -> None:
    with pytest.raises(SchemaError, match=r"^my\.toml: .*" + __import__("re").escape(message)):
        parse_schema(toml, origin="my.toml")


def test_missing_schema_file(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="schema file not found"):
        load_schema(tmp_path / "nope.toml")
