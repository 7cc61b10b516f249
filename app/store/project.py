"""Project-wide state: the label schema, labels imports added, this database's own id."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.resources import default_schema_path
from app.core.schema import LabelSchema, load_schema, parse_schema
from app.store.audit import record_audit
from app.store.identity import require_reviewer
from app.store.models import LabelRecord, Setting, SpanRecord, UserRecord

SCHEMA_KEY = "schema_toml"
DATABASE_UUID_KEY = "database_uuid"


def stored_schema(session: Session) -> LabelSchema:
    """The schema chosen with ``init`` (the default one if none was), without imported labels."""
    row = session.get(Setting, SCHEMA_KEY)
    if row is None:
        return load_schema(default_schema_path())
    return parse_schema(row.value, origin="schema stored in the database")


def project_schema(session: Session) -> LabelSchema:
    """The stored schema plus every label that imports added to the project."""
    extra = session.scalars(select(LabelRecord.name).order_by(LabelRecord.id)).all()
    return stored_schema(session).with_extra_labels(extra)


def set_schema(session: Session, user: UserRecord, schema: LabelSchema) -> list[str]:
    """Store ``schema``; labels existing spans use but it lacks are kept (and returned)."""
    require_reviewer(user, "change the project's label schema")
    row = session.get(Setting, SCHEMA_KEY)
    before = {"name": stored_schema(session).name}
    if row is None:
        session.add(Setting(key=SCHEMA_KEY, value=schema.source_text))
    else:
        row.value = schema.source_text
    session.flush()
    in_use = set(session.scalars(select(SpanRecord.label).distinct()))
    kept = add_labels(session, in_use - set(schema.label_names), origin="in use at schema change")
    record_audit(
        session,
        user,
        "schema.set",
        "project",
        "schema",
        before=before,
        after={"name": schema.name, "labels": list(schema.label_names), "kept": kept},
    )
    return kept


def add_labels(session: Session, names: Iterable[str], origin: str) -> list[str]:
    """Add labels unknown to the project; returns the names actually added."""
    known = set(project_schema(session).label_names)
    added = []
    for name in sorted(set(names) - known):
        session.add(LabelRecord(name=name, origin=origin))
        added.append(name)
    session.flush()
    return added


def setting(session: Session, key: str) -> str | None:
    row = session.get(Setting, key)
    return None if row is None else row.value


def put_setting(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    session.flush()
