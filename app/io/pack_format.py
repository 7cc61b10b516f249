"""The ``.tawsim`` pack format: a zip of ``manifest.json``, ``documents.jsonl`` and ``sets.jsonl``.

This module says what the entries hold: the manifest, and one JSON object per document and per
set, turned into (and made from) :class:`app.core.records.Record` parts. How the zip is written
and verified is :mod:`app.io.pack_zip`.
"""

from __future__ import annotations

import hashlib
import uuid as uuid_module
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeGuard

from app.core.domain import EntitySpan, SetStatus, StanceJudgement, TextRange
from app.core.errors import InputError
from app.core.records import DocumentData, SetData

FORMAT_NAME = "tawsim-pack"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DOCUMENTS = "documents.jsonl"
SETS = "sets.jsonl"
DATA_ENTRIES = (DOCUMENTS, SETS)


@dataclass(frozen=True, slots=True)
class EntryInfo:
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class Manifest:
    tool_version: str
    created_at: str
    database_uuid: str
    annotator: str | None
    statuses: tuple[str, ...]
    counts: dict[str, int]
    entries: dict[str, EntryInfo]
    format_version: int = FORMAT_VERSION

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT_NAME,
            "format_version": self.format_version,
            "tool_version": self.tool_version,
            "created_at": self.created_at,
            "database_uuid": self.database_uuid,
            "annotator": self.annotator,
            "statuses": list(self.statuses),
            "counts": self.counts,
            "entries": {n: {"sha256": e.sha256, "size": e.size} for n, e in self.entries.items()},
        }

    @classmethod
    def from_json(cls, obj: object) -> Manifest:
        if not isinstance(obj, dict) or obj.get("format") != FORMAT_NAME:
            raise InputError("not a Tawsim pack (its manifest.json names another format)")
        version = obj.get("format_version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise InputError(f"not a Tawsim pack (format version {version!r} is not valid)")
        if version > FORMAT_VERSION:
            raise InputError(
                f"made by a newer Tawsim (pack format version {version}; this Tawsim reads "
                f"version {FORMAT_VERSION}); update Tawsim to unpack it"
            )
        entries, counts = obj.get("entries"), obj.get("counts")
        if not isinstance(entries, dict) or not isinstance(counts, dict):
            raise InputError("damaged: manifest.json lacks its entries or counts")
        parsed = {}
        for name, info in entries.items():
            check_entry_name(name)
            info = info if isinstance(info, dict) else {}
            sha, size = info.get("sha256"), info.get("size")
            if not (isinstance(sha, str) and len(sha) == 64 and _is_int(size) and size >= 0):
                raise InputError(f"damaged: manifest.json describes entry {name} badly")
            parsed[name] = EntryInfo(sha.lower(), size)
        annotator, statuses = obj.get("annotator"), obj.get("statuses")
        return cls(
            tool_version=str(obj.get("tool_version", "")),
            created_at=str(obj.get("created_at", "")),
            database_uuid=str(obj.get("database_uuid", "")),
            annotator=annotator if isinstance(annotator, str) else None,
            statuses=tuple(map(str, statuses)) if isinstance(statuses, list) else (),
            counts={str(k): v for k, v in counts.items() if _is_int(v)},
            entries=parsed,
            format_version=version,
        )


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def check_entry_name(name: str) -> None:
    """Refuse any entry name that is not a plain file name: no folders, no way out."""
    if not name or ".." in name or name.startswith("~") or any(c in name for c in "/\\:\x00"):
        raise InputError(f"not a Tawsim pack: unsafe entry name {name!r} refused")


# -- records -------------------------------------------------------------------------------

_KINDS = {str: "a string", int: "an integer", list: "a list", dict: "an object"}


def _get(obj: object, key: str, kind: type, where: str, *, optional: bool = False) -> Any:
    """``obj[key]``, checked to be of ``kind`` (or None when ``optional``)."""
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a JSON object")
    value = obj.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise InputError(f"{where}: field {key!r} must be {_KINDS[kind]}")
    return value


def _uuid(obj: object, key: str, where: str) -> str:
    try:
        return str(uuid_module.UUID(_get(obj, key, str, where)))
    except ValueError:
        raise InputError(f"{where}: field {key!r} is not a UUID") from None


def _time(obj: object, key: str, where: str) -> datetime | None:
    value = _get(obj, key, str, where, optional=True)
    try:
        moment = None if value is None else datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"{where}: field {key!r} is not an ISO date and time") from None
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC) if moment else None


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _range(obj: object, where: str) -> TextRange:
    try:
        return TextRange(_get(obj, "start", int, where), _get(obj, "end", int, where))
    except ValueError as exc:
        raise InputError(f"{where}: {exc}") from None


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_json(doc: DocumentData) -> dict[str, Any]:
    return {
        "uuid": doc.uuid,
        "content_hash": content_hash(doc.text),
        "text": doc.text,
        "title": doc.title or "",
        "source": doc.source,
        "meta": dict(doc.meta),
        **({"occurrence": doc.occurrence} if doc.occurrence != 1 else {}),
    }


def parse_document(obj: dict[str, Any], where: str) -> tuple[DocumentData, str]:
    """The document and the content hash the pack claims for it."""
    document = DocumentData(
        text=_get(obj, "text", str, where),
        uuid=_uuid(obj, "uuid", where),
        title=_get(obj, "title", str, where, optional=True) or "",
        source=_get(obj, "source", str, where, optional=True) or "",
        meta=_get(obj, "meta", dict, where, optional=True) or {},
        occurrence=_get(obj, "occurrence", int, where, optional=True) or 1,
    )
    if document.occurrence < 1:
        raise InputError(f"{where}: field 'occurrence' must be 1 or more")
    return document, _get(obj, "content_hash", str, where)


def _range_json(r: TextRange | None) -> dict[str, int] | None:
    return None if r is None else {"start": r.start, "end": r.end}


def set_json(data: SetData, document_uuid: str) -> dict[str, Any]:
    return {
        "uuid": data.uuid,
        "document": document_uuid,
        "annotator": {"name": data.annotator, "uuid": data.annotator_uuid},
        "status": data.status.value if data.status else None,
        "comment": data.comment,
        "reviewed_by": data.reviewed_by,
        "reviewed_at": _iso(data.reviewed_at),
        "created_at": _iso(data.created_at),
        "updated_at": _iso(data.updated_at),
        "spans": [
            {"uuid": u, "start": s.start, "end": s.end, "label": s.label}
            for u, s in zip(data.span_ids, data.spans, strict=True)
        ],
        "stances": [
            {
                "uuid": u,
                "target": j.target,
                "label": j.value,
                "evidence": [_range_json(r) for r in j.evidence],
                "holder": _range_json(j.holder),
            }
            for u, j in zip(data.stance_ids, data.stances, strict=True)
        ],
    }


def parse_set(obj: dict[str, Any], where: str) -> tuple[str, SetData]:
    """The UUID of the set's document in the pack, and the set."""
    try:
        status = SetStatus(_get(obj, "status", str, where))
    except ValueError:
        known = ", ".join(s.value for s in SetStatus)
        raise InputError(f"{where}: field 'status' must be one of {known}") from None
    spans, span_ids = [], []
    for n, item in enumerate(_get(obj, "spans", list, where), start=1):
        at = f"{where}, span {n}"
        r = _range(item, at)
        span_ids.append(_uuid(item, "uuid", at))
        spans.append(EntitySpan(r.start, r.end, _get(item, "label", str, at)))
    stances, stance_ids = [], []
    for n, item in enumerate(_get(obj, "stances", list, where), start=1):
        at = f"{where}, stance {n}"
        holder = _get(item, "holder", dict, at, optional=True)
        stances.append(
            StanceJudgement(
                target=_get(item, "target", str, at),
                value=_get(item, "label", str, at),
                evidence=tuple(
                    _range(r, f"{at}, evidence") for r in _get(item, "evidence", list, at)
                ),
                holder=None if holder is None else _range(holder, f"{at}, holder"),
            )
        )
        stance_ids.append(_uuid(item, "uuid", at))
    annotator = _get(obj, "annotator", dict, where)
    name = _get(annotator, "name", str, f"{where}, annotator").strip()
    if not name:
        raise InputError(f"{where}: the set has no annotator name")
    data = SetData(
        annotator=name,
        status=status,
        spans=tuple(spans),
        stances=tuple(stances),
        comment=_get(obj, "comment", str, where, optional=True) or "",
        uuid=_uuid(obj, "uuid", where),
        span_ids=tuple(span_ids),
        stance_ids=tuple(stance_ids),
        annotator_uuid=_uuid(annotator, "uuid", where) if annotator.get("uuid") else None,
        reviewed_by=_get(obj, "reviewed_by", str, where, optional=True),
        reviewed_at=_time(obj, "reviewed_at", where),
        created_at=_time(obj, "created_at", where),
        updated_at=_time(obj, "updated_at", where),
    )
    return _uuid(obj, "document", where), data
