"""The native JSON Lines shape of a record: one line per document and set (``docs/formats.md``).

:func:`native_object` is the shape in Python, for every record; a SQLite database renders the
same lines itself for a bulk export (:mod:`app.store.native_lines`), and a test holds the two
equal byte for byte.
"""

from __future__ import annotations

from typing import Any

from app.core.offset_units import UnitMap
from app.core.records import Record


def native_object(record: Record, mapping: UnitMap | None = None) -> dict[str, Any]:
    """The native line of ``record``; offsets in code points, or in ``mapping``'s unit (which
    raises ValueError for an edge inside one of its units)."""
    doc, aset = record.document, record.annotation
    at = mapping.from_codepoint if mapping is not None else int
    meta = dict(doc.meta)
    meta["title"] = doc.title or ""
    meta["source"] = doc.source
    return {
        "id": doc.uuid,
        "text": doc.text,
        "meta": meta,
        "set_id": aset.uuid if aset else None,
        "annotator": aset.annotator if aset else None,
        "status": str(aset.status) if aset and aset.status else None,
        "comment": aset.comment if aset else "",
        "spans": [
            {
                "start": at(s.start),
                "end": at(s.end),
                "label": s.label,
                "text": doc.text[s.start : s.end],
            }
            for s in (aset.spans if aset else ())
        ],
        "stance": [
            {
                "target": st.target,
                "label": st.value,
                "evidence": [{"start": at(r.start), "end": at(r.end)} for r in st.evidence],
                "holder": (
                    {"start": at(st.holder.start), "end": at(st.holder.end)} if st.holder else None
                ),
            }
            for st in (aset.stances if aset else ())
        ],
    }
