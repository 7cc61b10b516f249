"""Reading one JSON object as a record: the native, Prodigy and doccano shapes, detected.

- native / Prodigy: ``{"text", "spans": [{"start", "end", "label"}], "stance": [...], "meta"}``
- doccano: ``{"text", "label": [[start, end, "LABEL"], ...]}`` or
  ``{"text", "entities": [{"start_offset", "end_offset", "label"}]}``
"""

from __future__ import annotations

import uuid as uuid_module
from typing import Any

from app.core.domain import EntitySpan, SetStatus, StanceJudgement, TextRange
from app.core.errors import InputError
from app.core.records import DocumentData, Record, SetData

# Keys that describe the record itself; everything else is kept in ``meta``.
_RECORD_KEYS = {
    "id",
    "text",
    "meta",
    "spans",
    "label",
    "entities",
    "stance",
    "annotator",
    "status",
    "set_id",
    "title",
    "source",
    "comment",
}
# Derived data from other tools, not worth keeping.
_DROPPED_KEYS = {"tokens", "_input_hash", "_task_hash", "_view_id", "_is_binary"}


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{what} must be an integer, got {value!r}")
    return value


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{what} must be a string, got {value!r}")
    return value


def _range(obj: Any, what: str) -> TextRange:
    if not isinstance(obj, dict) or "start" not in obj or "end" not in obj:
        raise InputError(f"{what} must be an object with start and end, got {obj!r}")
    start, end = _int(obj["start"], f"{what} start"), _int(obj["end"], f"{what} end")
    if end < start or start < 0:
        raise InputError(f"{what} [{start}, {end}) ends before it starts")
    return TextRange(start, end)


def _span(start: Any, end: Any, label: Any) -> EntitySpan:
    s, e = _int(start, "span start"), _int(end, "span end")
    if e < s:
        raise InputError(f"span [{s}, {e}) ends before it starts")
    if s < 0:
        raise InputError(f"span [{s}, {e}) starts before the text")
    return EntitySpan(s, e, _str(label, "span label"))


def _spans(obj: dict[str, Any], texts: list[str | None]) -> list[EntitySpan] | None:
    """The record's spans, in the file's offsets; ``texts`` gets the text each one claims
    (native and Prodigy spans carry it: it tells which unit the offsets count)."""
    if "spans" in obj:
        raw = obj["spans"]
        if not isinstance(raw, list):
            raise InputError("spans must be a list")
        out = []
        for item in raw:
            if not isinstance(item, dict) or not {"start", "end", "label"} <= item.keys():
                raise InputError(f"each span needs start, end and label, got {item!r}")
            out.append(_span(item["start"], item["end"], item["label"]))
            claimed = item.get("text")
            texts.append(_str(claimed, "span text") if claimed is not None else None)
        return out
    if isinstance(obj.get("label"), list):  # doccano sequence labelling
        out = []
        for item in obj["label"]:
            if isinstance(item, str):  # doccano text classification: not spans
                return None
            if not isinstance(item, list) or len(item) != 3:
                raise InputError(f"each doccano label must be [start, end, label], got {item!r}")
            out.append(_span(*item))
        return out
    if isinstance(obj.get("entities"), list):  # doccano's newer export
        out = []
        for item in obj["entities"]:
            if not isinstance(item, dict):
                raise InputError(f"each entity must be an object, got {item!r}")
            out.append(_span(item.get("start_offset"), item.get("end_offset"), item.get("label")))
        return out
    return None


def _stances(obj: dict[str, Any]) -> list[StanceJudgement]:
    raw = obj.get("stance", [])
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InputError("stance must be a list of {target, label, evidence, holder}")
    out = []
    for item in raw:
        if not isinstance(item, dict) or "target" not in item or "label" not in item:
            raise InputError(f"each stance needs target and label, got {item!r}")
        evidence = item.get("evidence") or []
        if not isinstance(evidence, list):
            raise InputError("stance evidence must be a list of {start, end}")
        holder = item.get("holder")
        out.append(
            StanceJudgement(
                target=_str(item["target"], "stance target"),
                value=_str(item["label"], "stance label"),
                evidence=tuple(_range(e, "evidence") for e in evidence),
                holder=_range(holder, "stance holder") if holder is not None else None,
            )
        )
    return out


def _is_uuid(value: Any) -> bool:
    try:
        uuid_module.UUID(str(value))
    except ValueError:
        return False
    return True


def _status(value: Any) -> SetStatus | None:
    if value is None:
        return None
    try:
        return SetStatus(value)
    except ValueError:
        allowed = ", ".join(s.value for s in SetStatus)
        raise InputError(f"status {value!r} is not one of {allowed}") from None


def record_from_json(obj: Any, *, text_key: str | None, origin: str, line: int) -> Record:
    if not isinstance(obj, dict):
        raise InputError(f"expected a JSON object, got {type(obj).__name__}")
    key = text_key or "text"
    if key not in obj:
        keys = ", ".join(sorted(obj)) or "none"
        hint = "" if text_key else "; name the text field with --text-column"
        raise InputError(f"no {key!r} field (fields: {keys}){hint}")
    text = _str(obj[key], f"field {key!r}")
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise InputError("meta must be an object")
    meta = dict(meta)
    skip = _RECORD_KEYS | _DROPPED_KEYS | {key}
    meta.update({k: v for k, v in obj.items() if k not in skip})
    title = obj.get("title", meta.pop("title", ""))
    source = obj.get("source", meta.pop("source", ""))
    annotator = obj.get("annotator")
    span_texts: list[str | None] = []
    spans = _spans(obj, span_texts)
    stances = _stances(obj)
    status = _status(obj.get("status"))
    # A record that names an annotator, a status, a set or a comment is an annotation set,
    # even with no spans ("no entities here"); only an export of a document nobody annotated
    # has ``"annotator": null`` and nothing else.
    marks_a_set = bool(stances) or any(
        obj.get(k) for k in ("annotator", "status", "set_id", "comment")
    )
    if spans is None and marks_a_set:
        spans = []
    if "annotator" in obj and not marks_a_set and not spans:
        spans = None  # a document nobody has annotated yet (``export --include all``)
    given_id = obj.get("id")
    if given_id is not None and not _is_uuid(given_id):
        meta.setdefault("id", given_id)  # doccano's integer id, another tool's key: kept
    document = DocumentData(
        text,
        uuid=str(given_id) if given_id is not None else "",
        title=str(title or ""),
        source=str(source or ""),
        meta=meta,
    )
    if spans is None:
        return Record(document, None, origin, line)
    annotation = SetData(
        annotator=_str(annotator, "annotator") if annotator else None,
        status=status,
        spans=tuple(spans),
        stances=tuple(stances),
        span_texts=tuple(span_texts) if any(t is not None for t in span_texts) else (),
        comment=_str(obj.get("comment") or "", "comment"),
        uuid=str(obj["set_id"]) if obj.get("set_id") else "",
    )
    return Record(document, annotation, origin, line)
