"""SQLAlchemy models. Every record that may travel between laptops carries a UUID.

The invariants live here as constraints, so no write path and no race can break them: one set
per document and annotator, at most one approved set per document (a partial unique index),
spans with ``0 <= start < end`` inside their document's text (CHECKs against the text's length,
which each span and stance carries from its set by a composite foreign key, and each set from
its document by a trigger), no span twice in a set, one stance per target, holder ranges that
are ranges. Only :mod:`app.store` uses these classes; everything above it sees records
(:mod:`app.core.records`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.store.bulk import new_uuids

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


ONE_GOLD_INDEX = "uq_annotation_sets_one_gold"
APPROVED_ONLY = "status = 'approved'"
SPAN_UNIQUE_INDEX = "uq_spans_set_extent_label"
SET_LENGTH_KEY = "uq_annotation_sets_id_text_length"
"""The unique index spans and stances refer to: a set with the length of its document's text
(migration 0013)."""


def new_uuid() -> str:
    """A fresh UUID (version 7: time-ordered, see :func:`app.store.bulk.new_uuids`)."""
    return new_uuids(1)[0]


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        datetime: DateTime(timezone=True),
    }


class UuidMixin:
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)


class Setting(Base):
    """Project-wide settings, e.g. the label schema's TOML text."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class LabelRecord(Base):
    """A label added to the project's label set by an import (not in the schema file)."""

    __tablename__ = "labels"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    origin: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UserRecord(UuidMixin, Base):
    __tablename__ = "users"
    name: Mapped[str] = mapped_column(String(255), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (CheckConstraint("role IN ('annotator', 'reviewer', 'admin')", name="role"),)


class DocumentRecord(UuidMixin, Base):
    __tablename__ = "documents"
    # The document's key: SHA-256 of the text (of the text and ``occurrence`` from the second
    # occurrence of a text in a corpus of sentences on; app.store.ingest.document_key).
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    text_hash: Mapped[str | None] = mapped_column(String(64), default=None)  # of the text alone
    occurrence: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    length: Mapped[int] = mapped_column(Integer)  # len(text) in code points, never changed
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sets: Mapped[list[AnnotationSetRecord]] = relationship(back_populates="document")


class TallyRecord(Base):
    """A count kept by triggers (migration 0007): ``documents``."""

    __tablename__ = "tallies"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class SetTallyRecord(Base):
    """How many sets an annotator has in a status, kept by triggers (migration 0007)."""

    __tablename__ = "set_tallies"
    annotator_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class SearchPendingRecord(Base):
    """A document not in the search index yet (:mod:`app.store.search_index`)."""

    __tablename__ = "search_pending"
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )


class AnnotationSetRecord(UuidMixin, Base):
    __tablename__ = "annotation_sets"
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16), default="in_progress")
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    reviewed_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Goes up with every change of the set (labels, status): a stale edit is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # The length of the document's text, set by the database (a trigger, migration 0013) from
    # the document whatever a writer gives: what the spans' and stances' bounds are checked by.
    text_length: Mapped[int] = mapped_column(Integer, server_default="0")

    document: Mapped[DocumentRecord] = relationship(back_populates="sets")
    annotator: Mapped[UserRecord] = relationship(foreign_keys=[annotator_id])
    reviewed_by: Mapped[UserRecord | None] = relationship(foreign_keys=[reviewed_by_id])
    spans: Mapped[list[SpanRecord]] = relationship(
        back_populates="annotation_set",
        cascade="all, delete-orphan",
        order_by="(SpanRecord.start, SpanRecord.end.desc(), SpanRecord.id)",
    )
    stances: Mapped[list[StanceRecord]] = relationship(
        back_populates="annotation_set",
        cascade="all, delete-orphan",
        order_by="StanceRecord.id",
    )

    __table_args__ = (
        UniqueConstraint("document_id", "annotator_id", name="document_annotator"),
        CheckConstraint(
            "status IN ('in_progress', 'submitted', 'approved', 'rejected')", name="status"
        ),
        # At most one approved (gold) set per document, whatever path writes it.
        Index(
            ONE_GOLD_INDEX,
            "document_id",
            unique=True,
            sqlite_where=sql_text(APPROVED_ONLY),
            postgresql_where=sql_text(APPROVED_ONLY),
        ),
        Index(SET_LENGTH_KEY, "id", "text_length", unique=True),
    )


def _to_set(name: str) -> ForeignKeyConstraint:
    """A span's or stance's set and its text's length: a row cannot claim another length than
    its set's, so a CHECK on the row itself keeps it inside the text (no trigger per row)."""
    return ForeignKeyConstraint(
        ["set_id", "text_length"],
        ["annotation_sets.id", "annotation_sets.text_length"],
        ondelete="CASCADE",
        name=name,
    )


class SpanRecord(UuidMixin, Base):
    __tablename__ = "spans"
    set_id: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(64))
    text_length: Mapped[int] = mapped_column(Integer)  # the set's (see _to_set)

    annotation_set: Mapped[AnnotationSetRecord] = relationship(back_populates="spans")

    __table_args__ = (
        CheckConstraint('start >= 0 AND "end" > start', name="range"),
        CheckConstraint('"end" <= text_length', name="within_text"),
        _to_set("fk_spans_set_id_annotation_sets"),
        # One span per extent and label in a set (also the index spans are read by).
        Index(SPAN_UNIQUE_INDEX, "set_id", "start", "end", "label", unique=True),
    )


class StanceRecord(UuidMixin, Base):
    __tablename__ = "stances"
    set_id: Mapped[int] = mapped_column(Integer)
    target: Mapped[str] = mapped_column(Text)
    value: Mapped[str] = mapped_column(String(32))
    holder_start: Mapped[int | None] = mapped_column(Integer, default=None)
    holder_end: Mapped[int | None] = mapped_column(Integer, default=None)
    # Evidence ranges as [[start, end], ...] in code points.
    evidence: Mapped[list[list[int]]] = mapped_column(JSON, default=list)
    text_length: Mapped[int] = mapped_column(Integer)  # the set's (see _to_set)

    annotation_set: Mapped[AnnotationSetRecord] = relationship(back_populates="stances")

    __table_args__ = (
        UniqueConstraint("set_id", "target", name="set_target"),
        CheckConstraint(
            "(holder_start IS NULL AND holder_end IS NULL) OR (holder_start IS NOT NULL AND "
            "holder_end IS NOT NULL AND holder_start >= 0 AND holder_end > holder_start)",
            name="holder_range",
        ),
        CheckConstraint(
            "holder_end IS NULL OR holder_end <= text_length", name="holder_within_text"
        ),
        _to_set("fk_stances_set_id_annotation_sets"),
    )


class AuditRecord(UuidMixin, Base):
    """Who changed what, when, with the state before and after."""

    __tablename__ = "audit_log"
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_uuid: Mapped[str] = mapped_column(String(36))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)

    user: Mapped[UserRecord] = relationship()

    __table_args__ = (Index("ix_audit_entity", "entity_uuid"),)
