"""The label schema: entity labels, nesting rules and stance targets/values, loaded from TOML."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path
from typing import Any

from app.core.errors import SchemaError

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_LABEL_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]*$")
DEFAULT_STANCE_VALUES = ("FAVOR", "AGAINST", "NEUTRAL", "NONE")
# Colours for labels that arrive from imported files (ANERcorp's PERS, Wojood's types).
EXTRA_COLORS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#aec7e8",
    "#ffbb78",
)


@dataclass(frozen=True, slots=True)
class EntityLabel:
    name: str
    color: str
    hotkey: str = ""
    description: str = ""
    name_ar: str = ""
    examples: tuple[str, ...] = ()  # a few texts the label covers, shown with its description


@dataclass(frozen=True, slots=True)
class LabelSchema:
    name: str
    version: int
    entities: tuple[EntityLabel, ...]
    allow_nested: bool = True
    keep_definite_article: bool = True
    stance_targets: tuple[str, ...] = ()
    free_targets: bool = True
    stance_values: tuple[str, ...] = DEFAULT_STANCE_VALUES
    description: str = ""
    guidelines: str = ""  # the annotation guidelines, Markdown ([schema] guidelines = """...""")
    source_text: str = field(default="", compare=False, repr=False)

    @property
    def label_names(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.entities)

    def label(self, name: str) -> EntityLabel | None:
        return next((e for e in self.entities if e.name == name), None)

    def with_extra_labels(self, names: Iterable[str]) -> LabelSchema:
        """The schema plus labels found in imported files (no hotkey, generated colours)."""
        known = set(self.label_names)
        extra = [n for n in names if n not in known]
        added = tuple(
            EntityLabel(n, EXTRA_COLORS[i % len(EXTRA_COLORS)], description="added by import")
            for i, n in enumerate(extra)
        )
        return replace(self, entities=self.entities + added)


def load_schema(path: str | Path) -> LabelSchema:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SchemaError(f"{path}: schema file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(f"{path}: cannot read schema ({exc})") from None
    return parse_schema(text, origin=str(path))


def parse_schema(text: str, origin: str = "<schema>") -> LabelSchema:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SchemaError(f"{origin}: not valid TOML: {exc}") from None
    try:
        return _build(data, text)
    except SchemaError as exc:
        raise SchemaError(f"{origin}: {exc}") from None


def _expect(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise SchemaError(f"{where} must be a {names}, got {value!r}")
    return value


def _build(data: dict[str, Any], source_text: str) -> LabelSchema:
    head = _expect(data.get("schema", {}), dict, "[schema]")
    raw_entities = _expect(data.get("entities", []), list, "[[entities]]")
    if not raw_entities:
        raise SchemaError("no [[entities]] defined; a schema needs at least one entity label")
    entities: list[EntityLabel] = []
    seen: set[str] = set()
    hotkeys: dict[str, str] = {}
    for i, raw in enumerate(raw_entities, start=1):
        where = f"entity #{i}"
        _expect(raw, dict, where)
        name = _expect(raw.get("name"), str, f"{where} name")
        if not _LABEL_NAME.match(name):
            raise SchemaError(
                f"{where}: label name {name!r} must start with a Latin letter "
                "and hold only letters, digits, _ . : -"
            )
        if name in seen:
            raise SchemaError(f"label {name!r} is defined twice")
        seen.add(name)
        color = _expect(raw.get("color", EXTRA_COLORS[i % len(EXTRA_COLORS)]), str, f"{name} color")
        if not _COLOR.match(color):
            raise SchemaError(f"{name}: color {color!r} must look like #rrggbb")
        hotkey = _expect(raw.get("hotkey", ""), str, f"{name} hotkey")
        if len(hotkey) > 1:
            raise SchemaError(f"{name}: hotkey {hotkey!r} must be a single key")
        if hotkey and hotkey in hotkeys:
            raise SchemaError(f"{name}: hotkey {hotkey!r} is already used by {hotkeys[hotkey]}")
        if hotkey:
            hotkeys[hotkey] = name
        entities.append(
            EntityLabel(
                name=name,
                color=color,
                hotkey=hotkey,
                description=_expect(raw.get("description", ""), str, f"{name} description"),
                name_ar=_expect(raw.get("name_ar", ""), str, f"{name} name_ar"),
                examples=tuple(
                    _expect(e, str, f"{name} examples")
                    for e in _expect(raw.get("examples", []), list, f"{name} examples")
                ),
            )
        )
    stance = _expect(data.get("stance", {}), dict, "[stance]")
    targets = _expect(stance.get("targets", []), list, "stance targets")
    values = _expect(stance.get("values", list(DEFAULT_STANCE_VALUES)), list, "stance values")
    if not values:
        raise SchemaError("stance values must not be empty")
    for v in (*targets, *values):
        _expect(v, str, "stance targets and values")
    if len(set(values)) != len(values):
        raise SchemaError("stance values must be unique")
    version = _expect(head.get("version", 1), int, "schema version")
    return LabelSchema(
        name=_expect(head.get("name", "unnamed"), str, "schema name"),
        version=version,
        description=_expect(head.get("description", ""), str, "schema description"),
        guidelines=_expect(head.get("guidelines", ""), str, "schema guidelines"),
        entities=tuple(entities),
        allow_nested=_expect(head.get("allow_nested", True), bool, "allow_nested"),
        keep_definite_article=_expect(
            head.get("keep_definite_article", True), bool, "keep_definite_article"
        ),
        stance_targets=tuple(targets),
        free_targets=_expect(stance.get("free_targets", True), bool, "free_targets"),
        stance_values=tuple(values),
        source_text=source_text,
    )


def label_help(label: EntityLabel) -> str:
    """A label's name, Arabic name, description and examples as one tooltip (rich text)."""
    head = f"<b>{escape(label.name)}</b>" + (f" — {escape(label.name_ar)}" if label.name_ar else "")
    parts = [head]
    if label.description:
        parts.append(escape(label.description))
    if label.examples:
        parts.append("، ".join(escape(e) for e in label.examples))
    if label.hotkey:
        parts.append(
            f"key {escape(label.hotkey)} (Alt+{escape(label.hotkey)}: exactly as selected)"
        )
    return "<br>".join(parts)


def guidelines_markdown(schema: LabelSchema) -> str:
    """The schema's guidelines, then every label with its description and examples."""
    lines = [schema.guidelines.strip(), "", "## Labels", ""] if schema.guidelines else [
        "## Labels", ""]  # fmt: skip
    for label in schema.entities:
        name = f"**{label.name}**" + (f" ({label.name_ar})" if label.name_ar else "")
        examples = f" — {'، '.join(label.examples)}" if label.examples else ""
        lines.append(f"- {name}: {label.description}".rstrip(": ") + examples)
    return "\n".join(lines)
