"""Label Studio tasks: its JSON, JSON-MIN and JSONL exports in, JSON tasks out.

Reading (``.json``; JSONL tasks are recognised by the ``jsonl`` reader, line by line)
    - JSON: a list of tasks ``{"id", "data": {"text"}, "annotations", "predictions"}``. Each
      annotation not cancelled is a set of the annotator who made it (``completed_by``: its
      ``email``, else ``ls-user-<id>``); a cancelled one (``was_cancelled``) is never labels:
      skipped and counted. Each prediction is a set of ``model:<model_version>``, submitted. A
      task with no annotation left is a document without a set.
    - JSON-MIN: one flat object per annotation (``id``, data fields, region lists under the
      config's ``from_name``, ``annotator``, ``annotation_id``); region lists are found by
      their shape, every other field is kept in ``meta``.
    - In a ``.json`` list, any other object is read as the ``jsonl`` reader reads it.

    The text is ``data[--text-column]``, else ``data.text``, else the only string field of
    ``data`` (else the file is refused, the fields listed). ``data.title`` and ``data.source``
    are the document's; ``data.meta``, the task's ``meta``, other ``data`` fields and the task's
    id (``ls_task_id``) go into its meta. A ``labels`` result is one span per label; results of
    other types (choices, relations, text areas...) are not spans: skipped and counted. When the
    labels of a task point at several texts (``to_name``), only the imported text's are read.
    Label Studio's editor stores code points (since label-studio-frontend#308, about Label
    Studio 1.5: ``charsToCodePoints`` and ``findGlobalOffset`` in ``utils/selection-tools``);
    older versions stored UTF-16 code units (JavaScript string indices). Each region carries
    its ``text``: the format has ``foreign_offsets``, and the importer decides the unit of each
    file from that evidence.

Writing (``--format label-studio``)
    A JSON list of tasks, streamed one document at a time: ``data`` holds ``text``, ``title``,
    ``source``, ``meta`` and ``tawsim_id`` (the document's uuid); approved and submitted sets
    are ``annotations`` (results ``from_name`` "label", ``to_name`` "text", ``type`` "labels",
    code point offsets as Label Studio counts them (``--offsets utf16`` for a Label Studio
    older than 1.5), ``ground_truth`` for the approved set, and a ``tawsim`` object
    with annotator, status and set uuid that Label Studio ignores and a re-import reads); sets
    of ``model:*`` annotators are ``predictions`` with their ``model_version``. No
    ``completed_by``: Label Studio refuses users it does not know and gives annotations to
    whoever imports them. Stance and sets in progress or rejected are left out, counted in the
    report's warnings.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.core.domain import EntitySpan, SetStatus
from app.core.errors import InputError
from app.core.offset_units import OffsetUnit, UnitMap
from app.core.records import DocumentData, Record, SetData
from app.io.formats.json_shapes import (
    as_int,
    as_status,
    as_str,
    json_items,
    json_lines,
    note_answer,
    record_from_json,
)
from app.io.registry import LeftOut, ReadOptions, WriteOptions, reader, writer
from app.io.text_writer import TextWriter

EXTENSIONS = (".json",)
MODEL = "model:"  # annotators whose sets are a model's predictions
CANCELLED = "cancelled Label Studio annotation(s) (was_cancelled) skipped: never labels"
# JSON-MIN's own fields (everything else is the task's data, or a result by its from_name).
_MIN_KEYS = {"id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time"}
_DATA_KEYS = {"title", "source", "meta", "tawsim_id"}  # data fields that are not meta


# --- reading -------------------------------------------------------------------------------


def is_task(obj: Any) -> bool:
    return isinstance(obj, dict) and isinstance(obj.get("data"), dict)


def _is_regions(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and "labels" in v and "start" in v for v in value)
    )


def is_min(obj: Any) -> bool:
    """A JSON-MIN object: an annotation's id, or a list of labelled regions."""
    return isinstance(obj, dict) and (
        "annotation_id" in obj or any(_is_regions(v) for v in obj.values())
    )


def text_field(fields: dict[str, Any], given: str | None, ignore: set[str]) -> str:
    """The key of the text: ``given``, else ``text``, else the only string field."""
    if given is not None or "text" in fields:
        key = given or "text"
        if key not in fields:
            raise InputError(f"no {key!r} field in the task's data (fields: {_keys(fields)})")
        return key
    strings = [k for k, v in fields.items() if isinstance(v, str) and k not in ignore]
    if len(strings) != 1:
        raise InputError(
            f"which field is the text? the task's data has {_keys(fields)}; "
            "name it with --text-column"
        )
    return strings[0]


def _keys(fields: dict[str, Any]) -> str:
    return ", ".join(sorted(fields)) or "none"


def annotator_name(completed_by: Any) -> str | None:
    """``completed_by`` as a name: its email when given, else ``ls-user-<id>``."""
    if completed_by is None:
        return None
    if isinstance(completed_by, dict):
        if completed_by.get("email"):
            return as_str(completed_by["email"], "completed_by email")
        completed_by = completed_by.get("id")
    if isinstance(completed_by, str) and not completed_by.isdigit():
        return completed_by
    if isinstance(completed_by, bool) or not isinstance(completed_by, int | str):
        raise InputError(f"completed_by names no user (an email or an id): {completed_by!r}")
    return f"ls-user-{completed_by}"


def _regions(
    values: list[Any], spans: list[EntitySpan], texts: list[str | None], what: str
) -> None:
    """Spans from labelled regions ``{"start", "end", "text", "labels": [...]}``."""
    for value in values:
        if not isinstance(value, dict) or not isinstance(value.get("labels"), list):
            raise InputError(f"{what} must have a value with start, end and labels: {value!r}")
        start, end = (
            as_int(value.get("start"), f"{what} start"),
            as_int(value.get("end"), f"{what} end"),
        )
        if start < 0 or end < start:
            raise InputError(f"{what} [{start}, {end}) ends before it starts")
        text = value.get("text")
        for label in value["labels"]:
            spans.append(EntitySpan(start, end, as_str(label, f"{what} label")))
            texts.append(as_str(text, f"{what} text") if text is not None else None)


def _set(results: Any, target: str | None, left_out: LeftOut, **fields: Any) -> SetData:
    if not isinstance(results, list):
        raise InputError("an annotation's result must be a list")
    spans: list[EntitySpan] = []
    texts: list[str | None] = []
    for result in results:
        if not isinstance(result, dict):
            raise InputError(f"each result must be an object, got {result!r}")
        kind = result.get("type")
        if kind != "labels":
            left_out.add("annotations_skipped", f"Label Studio result(s) of type {kind!r} skipped")
        elif target is not None and result.get("to_name") != target:
            left_out.add(
                "annotations_skipped",
                f"labels result(s) on {result.get('to_name')!r}, not the imported text, skipped",
            )
        else:
            _regions([result.get("value")], spans, texts, "a labels result")
    span_texts = tuple(texts) if any(t is not None for t in texts) else ()
    return SetData(spans=tuple(spans), span_texts=span_texts, **fields)


def _object(value: Any, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(f"{what} must be an object, got {value!r}")
    return value


def _targets(annotations: list[Any]) -> set[str | None]:
    """The texts (``to_name``: a name, as Label Studio writes it) the labels results of a task
    point at."""
    found: set[str | None] = set()
    for a in annotations:
        if not isinstance(a, dict) or not isinstance(a.get("result"), list):
            continue
        for r in a["result"]:
            if isinstance(r, dict) and r.get("type") == "labels":
                name = r.get("to_name")
                if name is not None and not isinstance(name, str):
                    raise InputError(f"a labels result's to_name must be a name, got {name!r}")
                found.add(name)
    return found


def task_records(
    task: dict[str, Any], *, text_key: str | None, origin: str, line: int, left_out: LeftOut
) -> Iterator[Record]:
    """One record per annotation and prediction of a full task (one without a set if none)."""
    data = task["data"]
    key = text_field(data, text_key, _DATA_KEYS)
    meta = {k: v for k, v in data.items() if k not in _DATA_KEYS and k != key}
    meta.update(_object(data.get("meta"), "data.meta"))
    meta.update(_object(task.get("meta"), "the task's meta"))
    if task.get("id") is not None:
        meta["ls_task_id"] = task["id"]
    document = DocumentData(
        as_str(data[key], f"data.{key}"),
        uuid=str(data.get("tawsim_id") or ""),
        title=str(data.get("title") or ""),
        source=str(data.get("source") or ""),
        meta=meta,
    )
    annotations = task.get("annotations", task.get("completions")) or []
    predictions = task.get("predictions") or []
    if not isinstance(annotations, list) or not isinstance(predictions, list):
        raise InputError("a task's annotations and predictions must be lists")
    target = key if len(_targets([*annotations, *predictions])) > 1 else None
    sets: list[SetData] = []
    for annotation in annotations:
        annotation = _object(annotation, "an annotation")
        if annotation.get("was_cancelled") or annotation.get("skipped"):
            left_out.add("annotations_cancelled", CANCELLED)
            continue
        own = _object(annotation.get("tawsim"), "tawsim")  # written by Tawsim's writer
        name = own.get("annotator") or annotator_name(annotation.get("completed_by"))
        sets.append(
            _set(
                annotation.get("result") or [],
                target,
                left_out,
                annotator=name,
                status=as_status(own.get("status")),
                comment=str(own.get("comment") or ""),
                uuid=str(own.get("set_id") or ""),
            )
        )
    for prediction in predictions:
        prediction = _object(prediction, "a prediction")
        own = _object(prediction.get("tawsim"), "tawsim")
        version = str(prediction.get("model_version") or "unknown")
        sets.append(
            _set(
                prediction.get("result") or [],
                target,
                left_out,
                annotator=MODEL + version,
                status=as_status(own.get("status")) or SetStatus.SUBMITTED,
                uuid=str(own.get("set_id") or ""),
            )
        )
    if not sets:
        yield Record(document, None, origin, line)
    for aset in sets:
        yield Record(document, aset, origin, line)


def min_record(obj: dict[str, Any], *, text_key: str | None, origin: str, line: int) -> Record:
    """A JSON-MIN object (one annotation): its label lists are spans, the rest is data."""
    regions = {k for k, v in obj.items() if _is_regions(v)}
    fields = {k: v for k, v in obj.items() if k not in regions}
    key = text_field(fields, text_key, _MIN_KEYS | _DATA_KEYS)
    meta = {k: v for k, v in fields.items() if k not in _MIN_KEYS | _DATA_KEYS and k != key}
    meta.update(_object(obj.get("meta"), "meta"))
    if obj.get("id") is not None:
        meta["ls_task_id"] = obj["id"]
    document = DocumentData(
        as_str(obj[key], f"field {key!r}"),
        uuid=str(obj.get("tawsim_id") or ""),
        title=str(obj.get("title") or ""),
        source=str(obj.get("source") or ""),
        meta=meta,
    )
    if not regions and "annotation_id" not in obj and "annotator" not in obj:
        return Record(document, None, origin, line)
    spans: list[EntitySpan] = []
    texts: list[str | None] = []
    for k in sorted(regions):
        _regions(obj[k], spans, texts, f"a {k!r} region")
    aset = SetData(
        annotator=annotator_name(obj.get("annotator")),
        spans=tuple(spans),
        span_texts=tuple(texts) if any(t is not None for t in texts) else (),
    )
    return Record(document, aset, origin, line)


def records_of(
    obj: Any, *, text_key: str | None, origin: str, line: int, left_out: LeftOut
) -> Iterator[Record]:
    """The records of one object: a task, a JSON-MIN object, or (in a list of another tool's
    records) a native, Prodigy or doccano record."""
    if not isinstance(obj, dict):
        raise InputError(f"expected a task (a JSON object), got {type(obj).__name__}")
    if is_task(obj):
        yield from task_records(obj, text_key=text_key, origin=origin, line=line, left_out=left_out)
    elif is_min(obj):
        yield min_record(obj, text_key=text_key, origin=origin, line=line)
    else:
        yield record_from_json(obj, text_key=text_key, origin=origin, line=line)
        note_answer(obj, left_out)


@reader("label-studio", "Label Studio tasks (JSON, JSON-MIN)", EXTENSIONS, foreign_offsets=True)
def read_label_studio(path: Path, options: ReadOptions) -> Iterator[Record]:
    lines = path.suffix.lower() in (".jsonl", ".ndjson")
    found = False
    for line, obj in json_lines(path) if lines else json_items(path):
        found = True
        try:
            yield from records_of(
                obj,
                text_key=options.text_column,
                origin=str(path),
                line=line,
                left_out=options.left_out,
            )
        except InputError as exc:
            raise exc.located(path, line) from None
    if not found:
        raise InputError("no tasks in the file", path=path)


# --- writing -------------------------------------------------------------------------------


@writer("label-studio", "Label Studio tasks (JSON)", EXTENSIONS, offsets=OffsetUnit.CODEPOINTS)
class LabelStudioWriter(TextWriter):
    """One task per document, streamed (see the module docstring)."""

    def __init__(self, target: Path | str, options: WriteOptions):
        super().__init__(target, options)
        self.out.write("[")
        self.tasks = 0
        self.current: list[Record] = []
        self.left_out: Counter[str] = Counter()

    def write(self, record: Record) -> None:
        if self.current and self.current[0].document.uuid != record.document.uuid:
            self._flush()
        self.current.append(record)

    def _flush(self) -> None:
        doc = self.current[0].document
        mapping = UnitMap(doc.text, self.options.offsets or OffsetUnit.CODEPOINTS)
        task: dict[str, Any] = {
            "data": {
                "text": doc.text,
                "title": doc.title or "",
                "source": doc.source,
                "meta": dict(doc.meta),
                "tawsim_id": doc.uuid,
            },
            "annotations": [],
            "predictions": [],
        }
        written = False
        for record in self.current:
            a = record.annotation
            if a is not None and not self._annotation(task, doc, a, mapping):
                continue
            written = True
            self.report.records += 1
        self.current = []
        if not written:
            self.report.records += 1  # the document, as a task to annotate
        self.out.write(",\n" if self.tasks else "\n")
        self.out.write(json.dumps(task, ensure_ascii=False, separators=(",", ":")))
        self.tasks += 1

    def _annotation(
        self, task: dict[str, Any], doc: DocumentData, a: SetData, mapping: UnitMap
    ) -> bool:
        if a.status not in (SetStatus.APPROVED, SetStatus.SUBMITTED):
            self.left_out[f"{a.status} set(s) left out: Label Studio has no such state"] += 1
            return False
        self.report.spans_in += len(a.spans)
        if a.stances:
            self.left_out["stance judgement(s) left out: Label Studio's labels have none"] += len(
                a.stances
            )
        results = []
        for n, s in enumerate(a.spans):
            try:
                start, end = mapping.from_codepoint(s.start), mapping.from_codepoint(s.end)
            except ValueError:
                self.report.warnings.append(
                    f"{doc.uuid} [{s.start}, {s.end}) {s.label}: an edge inside a "
                    f"{mapping.unit.value} unit cannot be written; left out"
                )
                continue
            rid = a.span_ids[n].replace("-", "")[:10] if n < len(a.span_ids) else f"r{n}"
            value = {"start": start, "end": end, "text": doc.text[s.start : s.end]}
            results.append(
                {
                    "id": rid,
                    "from_name": "label",
                    "to_name": "text",
                    "type": "labels",
                    "value": {**value, "labels": [s.label]},
                }
            )
        self.report.spans += len(results)
        name = a.annotator or ""
        own = {"annotator": name, "status": str(a.status), "set_id": a.uuid}
        if a.comment:
            own["comment"] = a.comment
        if name.startswith(MODEL):
            if a.status is SetStatus.APPROVED:
                self.left_out[
                    f"approved set(s) of {MODEL}* written as predictions: Label Studio shows "
                    "them as a model's, not as ground truth"
                ] += 1
            task["predictions"].append(
                {"model_version": name[len(MODEL) :], "result": results, "tawsim": own}
            )
            return True
        task["annotations"].append(
            {
                "result": results,
                "was_cancelled": False,
                "ground_truth": a.status is SetStatus.APPROVED,
                "tawsim": own,
            }
        )
        return True

    def finish(self) -> None:
        if self.current:
            self._flush()
        self.out.write("\n]\n")
        self.report.warnings.extend(f"{n} {what}" for what, n in sorted(self.left_out.items()))
