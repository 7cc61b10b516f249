"""Reading one JSON object as a record: the native, Prodigy and doccano shapes, detected.

- native / Prodigy: ``{"text", "spans": [{"start", "end", "label"}], "stance": [...], "meta"}``
- doccano: ``{"text", "label": [[start, end, "LABEL"], ...]}`` or
  ``{"text", "entities": [{"start_offset", "end_offset", "label"}]}``

Prodigy: its ``answer`` decides. ``accept`` (or no answer) is labels; ``reject`` and
``ignore`` never are: the text is read as a document without a set (the reader counts them for
the import summary). ``_annotator_id`` (else ``_session_id``) names the annotator of a record
without ``annotator``, so the sets of several annotators on one text stay apart; those two keys,
``_timestamp`` and ``answer`` describe one annotator's answer, not the document, and are not
kept in its ``meta`` (a document several annotators answered has one meta, and an accept is a
set, a reject or an ignore a count). ``tokens``, ``_input_hash`` and ``_task_hash`` are
derived from the text and spans and dropped. A file written by Tawsim's ``prodigy`` writer
carries the set's identity in ``meta`` (``tawsim_document``, ``tawsim_set``, ``annotator``,
``status``): it is read back as the same document and set.

Whole files of JSON objects: :func:`json_items` (a JSON list, with the line each object starts
on, for messages) and :func:`json_lines` (JSON Lines).
"""

from __future__ import annotations

import json
import uuid as uuid_module
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.core import json_text
from app.core.domain import EntitySpan, SetStatus, StanceJudgement, TextRange
from app.core.errors import InputError
from app.core.records import DocumentData, Record, SetData
from app.core.text_intake import BOM, decode_utf8
from app.io.limits import check_file_size
from app.io.line_reader import decoded_lines
from app.io.registry import LeftOut

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
# Prodigy's keys about one answer (who, when, what): the set's, not the document's.
_ANSWER_KEYS = {"_annotator_id", "_session_id", "_timestamp", "answer"}
# What Tawsim's Prodigy writer puts in ``meta`` to name the set (read back, not kept in meta).
OWN_META = ("tawsim_document", "tawsim_set", "annotator", "status")
ANSWERS = ("accept", "reject", "ignore")
# The answers that are never labels, and the import summary's count of each.
LEFT_OUT_ANSWERS = {"reject": "answers_rejected", "ignore": "answers_ignored"}


def as_int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{what} must be an integer, got {value!r}")
    return value


def as_str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{what} must be a string, got {value!r}")
    return value


def _range(obj: Any, what: str) -> TextRange:
    if not isinstance(obj, dict) or "start" not in obj or "end" not in obj:
        raise InputError(f"{what} must be an object with start and end, got {obj!r}")
    start, end = as_int(obj["start"], f"{what} start"), as_int(obj["end"], f"{what} end")
    if end < start or start < 0:
        raise InputError(f"{what} [{start}, {end}) ends before it starts")
    return TextRange(start, end)


def _span(start: Any, end: Any, label: Any) -> EntitySpan:
    s, e = as_int(start, "span start"), as_int(end, "span end")
    if e < s:
        raise InputError(f"span [{s}, {e}) ends before it starts")
    if s < 0:
        raise InputError(f"span [{s}, {e}) starts before the text")
    return EntitySpan(s, e, as_str(label, "span label"))


def _spans(obj: dict[str, Any], texts: list[str | None]) -> list[EntitySpan] | None:
    """The record's spans, in the file's offsets; ``texts`` gets the text each one claims
    (native and Prodigy spans carry it: it tells which unit the offsets count)."""
    if "spans" in obj:
        raw = obj["spans"]
        if not isinstance(raw, list):
            raise InputError("spans must be a list")
        out = []
        for item in raw:
            if type(item) is dict:  # the common case, quickly (bool is no int here)
                start, end, label = item.get("start"), item.get("end"), item.get("label")
                claimed = item.get("text")
                if (
                    type(start) is int
                    and type(end) is int
                    and type(label) is str
                    and 0 <= start <= end
                    and (claimed is None or type(claimed) is str)
                ):
                    out.append(EntitySpan(start, end, label))
                    texts.append(claimed)
                    continue
            if not isinstance(item, dict) or not {"start", "end", "label"} <= item.keys():
                raise InputError(f"each span needs start, end and label, got {item!r}")
            out.append(_span(item["start"], item["end"], item["label"]))
            claimed = item.get("text")
            texts.append(as_str(claimed, "span text") if claimed is not None else None)
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
                target=as_str(item["target"], "stance target"),
                value=as_str(item["label"], "stance label"),
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


def as_status(value: Any) -> SetStatus | None:
    if value is None:
        return None
    try:
        return SetStatus(value)
    except ValueError:
        allowed = ", ".join(s.value for s in SetStatus)
        raise InputError(f"status {value!r} is not one of {allowed}") from None


def prodigy_answer(obj: dict[str, Any]) -> str | None:
    """Prodigy's ``answer`` of the record (None: it has none)."""
    answer = obj.get("answer")
    if answer is not None and answer not in ANSWERS:
        raise InputError(f"answer {answer!r} is not one of {', '.join(ANSWERS)} (Prodigy's)")
    return answer


def note_answer(obj: Any, left_out: LeftOut) -> None:
    """Count a Prodigy answer that is never labels (``reject``, ``ignore``)."""
    answer = obj.get("answer") if isinstance(obj, dict) else None
    if answer in LEFT_OUT_ANSWERS:
        left_out.add(
            LEFT_OUT_ANSWERS[answer],
            f"Prodigy answer(s) {answer!r} read as text only, never as labels",
        )


def _own_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Take the set's identity out of the ``meta`` of a record Tawsim's Prodigy writer wrote."""
    if "tawsim_set" not in meta:
        return {}
    return {k: meta.pop(k) for k in OWN_META if k in meta}


def record_from_json(obj: Any, *, text_key: str | None, origin: str, line: int) -> Record:
    if not isinstance(obj, dict):
        raise InputError(f"expected a JSON object, got {type(obj).__name__}")
    key = text_key or "text"
    if key not in obj:
        keys = ", ".join(sorted(obj)) or "none"
        hint = "" if text_key else "; name the text field with --text-column"
        raise InputError(f"no {key!r} field (fields: {keys}){hint}")
    text = as_str(obj[key], f"field {key!r}")
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise InputError("meta must be an object")
    meta = dict(meta)
    own = _own_meta(meta)
    span_texts: list[str | None] = []
    spans = _spans(obj, span_texts)
    skip = _RECORD_KEYS | _DROPPED_KEYS | _ANSWER_KEYS | {key}
    meta.update({k: v for k, v in obj.items() if k not in skip})
    if spans is None and obj.get("label") is not None:
        meta["label"] = obj["label"]  # a classification label (Prodigy, doccano): not spans
    title = obj.get("title", meta.pop("title", ""))
    source = obj.get("source", meta.pop("source", ""))
    for field, value in (("title", title), ("source", source)):
        if value is not None and not isinstance(value, str):
            raise InputError(f"the {field} must be a string, got {type(value).__name__}")
    annotator = (
        obj.get("annotator")
        or own.get("annotator")
        or obj.get("_annotator_id")
        or obj.get("_session_id")
    )
    stances = _stances(obj)
    status = as_status(obj.get("status") or own.get("status"))
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
    if prodigy_answer(obj) in LEFT_OUT_ANSWERS:
        spans = None  # rejected or ignored in Prodigy: never labels (the summary counts it)
    given_id = obj.get("id", own.get("tawsim_document"))
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
        annotator=as_str(annotator, "annotator") if annotator else None,
        status=status,
        spans=tuple(spans),
        stances=tuple(stances),
        span_texts=tuple(span_texts) if any(t is not None for t in span_texts) else (),
        comment=as_str(obj.get("comment") or "", "comment"),
        uuid=str(obj.get("set_id") or own.get("tawsim_set") or ""),
    )
    return Record(document, annotation, origin, line)


# --- whole files ---------------------------------------------------------------------------


def json_items(path: Path) -> Iterator[tuple[int, Any]]:
    """The objects of a JSON list (or the one object) with the line each starts on."""
    check_file_size(path)
    try:
        text = decode_utf8(path.read_bytes())
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    except InputError as exc:
        raise exc.located(path) from None
    text = text.removeprefix(BOM)
    pos, line, counted = _skip(text, 0), 1, 0

    def item_at(at: int) -> tuple[int, Any, int]:
        nonlocal line, counted
        line += text.count("\n", counted, at)
        counted = at
        try:
            obj, end = json_text.raw_decode_incoming(text, at)
        except InputError as exc:
            raise exc.located(path, line) from None
        return line, obj, _skip(text, end)

    try:
        if pos == len(text):
            raise InputError("file is empty", path=path)
        if text[pos] != "[":
            at, obj, pos = item_at(pos)
            if pos != len(text):
                raise json.JSONDecodeError("extra data after the task", text, pos)
            yield at, obj
            return
        pos = _skip(text, pos + 1)
        while pos < len(text) and text[pos] != "]":
            at, obj, pos = item_at(pos)
            yield at, obj
            if pos < len(text) and text[pos] == ",":
                pos = _skip(text, pos + 1)
            elif pos >= len(text) or text[pos] != "]":
                raise json.JSONDecodeError("expected ',' or ']' after a task", text, pos)
        if pos >= len(text) or _skip(text, pos + 1) != len(text):
            raise json.JSONDecodeError("expected one list of tasks", text, min(pos, len(text)))
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg} (column {exc.colno})", path=path, line=exc.lineno
        ) from None


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """The objects of a JSON Lines file with their line numbers."""
    for lineno, line in decoded_lines(path):
        if line.strip():
            try:
                obj = json_text.loads_incoming(line)
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"not valid JSON: {exc.msg} (column {exc.colno})", path=path, line=lineno
                ) from None
            except InputError as exc:
                raise exc.located(path, lineno) from None
            yield lineno, obj
