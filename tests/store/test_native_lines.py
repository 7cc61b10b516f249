"""The native JSON Lines a SQLite database renders itself (app.store.native_lines) are the
bytes the format's writer writes for the same records, whatever the texts, metadata, spans and
stances; an export that renders half of them in a second process writes the same file, from
one state of the data, and leaves nothing behind when cancelled."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core import json_text
from app.core.domain import EntitySpan, Role, Selection, SetStatus, StanceJudgement, TextRange
from app.core.errors import Cancelled
from app.core.native_json import native_object
from app.core.records import DocumentData, Record, SetData
from app.io.exporter import ExportOptions, export
from app.io.writer_process import WriterProcess
from app.store.core import Tawsim
from app.store.database import Database
from tests.conftest import as_user

SELECTIONS = (Selection.APPROVED, Selection.SUBMITTED, Selection.ALL)


def rendered(core: Tawsim, selection: Selection) -> tuple[bytes, int]:
    lines = [x for batch in core.native_lines(selection) for x in batch]
    return b"".join(x.line + b"\n" for x in lines), sum(x.spans for x in lines)


def written(core: Tawsim, selection: Selection) -> tuple[bytes, int]:
    records = list(core.records(selection))
    data = b"".join(json_text.dumps_line(native_object(r)) for r in records)
    return data, sum(len(r.annotation.spans) for r in records if r.annotation)


def assert_same_lines(core: Tawsim) -> None:
    for selection in SELECTIONS:
        assert rendered(core, selection) == written(core, selection), selection


# -- any data --------------------------------------------------------------------------------

# Any character a stored text may hold (no NUL, no lone surrogate: refused at import).
text_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(text_chars, max_size=8)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(text_chars, max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
labels = st.sampled_from(["PER", "ORG", "LOC", "جهة", "MISC"])


@st.composite
def records(draw: Any) -> Record:
    text = draw(st.text(text_chars, min_size=1, max_size=40).filter(lambda t: t.strip()))
    meta = draw(st.dictionaries(st.text(text_chars, max_size=6), json_values, max_size=4))
    title = draw(st.none() | st.text(text_chars.filter(lambda c: c not in "\r\n"), max_size=10))
    document = DocumentData(
        text, title=title, source=draw(st.text(text_chars, max_size=6)), meta=meta
    )
    if draw(st.booleans()):
        return Record(document)

    def ranges() -> Any:
        return st.tuples(st.integers(0, len(text) - 1), st.integers(1, len(text))).filter(
            lambda r: r[0] < r[1]
        )

    spans = draw(
        st.lists(
            st.builds(lambda r, label: EntitySpan(r[0], r[1], label), ranges(), labels),
            max_size=5,
            unique=True,
        )
    )
    stances = draw(
        st.lists(
            st.builds(
                lambda target, value, evidence, holder: StanceJudgement(
                    target,
                    value,
                    tuple(TextRange(*r) for r in evidence),
                    None if holder is None else TextRange(*holder),
                ),
                st.sampled_from(["الحكومة", "ORG", "x y"]),
                st.sampled_from(["FAVOR", "AGAINST", "NEUTRAL", "NONE"]),
                st.lists(ranges(), max_size=2),
                st.none() | ranges(),
            ),
            max_size=3,
            unique_by=lambda j: j.target,
        )
    )
    status = draw(st.sampled_from([SetStatus.IN_PROGRESS, SetStatus.SUBMITTED, SetStatus.APPROVED]))
    annotator = draw(st.sampled_from(["amal", "omar"]))
    comment = draw(st.text(text_chars, max_size=10))
    return Record(document, SetData(annotator, status, tuple(spans), tuple(stances), comment))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(corpus=st.lists(records(), min_size=1, max_size=6))
def test_rendered_lines_are_the_written_lines(
    corpus: list[Record], _template_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "any.db"
    shutil.copy(_template_db, path)
    with Database.open(path) as db:
        core = Tawsim(db, "admin")
        core.ingest(corpus)
        assert_same_lines(core)


def test_a_row_sqlite_cannot_read_is_rendered_from_its_record(db_path: Path) -> None:
    with Database.open(db_path) as db:
        core = Tawsim(db, "admin")
        judgement = StanceJudgement("الحكومة", "FAVOR", (TextRange(0, 2),), None)
        core.ingest(
            [
                Record(
                    DocumentData(f"نص رقم {i}"),
                    SetData("amal", SetStatus.APPROVED, (EntitySpan(0, 2, "PER"),), (judgement,)),
                )
                for i in range(4)
            ]
            + [Record(DocumentData("نص بلا عمل"))]
        )
    con = sqlite3.connect(db_path)
    with con:  # metadata Python reads and SQLite does not; evidence that is not a list
        con.execute("""UPDATE documents SET meta = '{"score": NaN}' WHERE id IN (1, 5)""")
        con.execute("UPDATE stances SET evidence = 'null' WHERE id = 3")
    con.close()
    with Database.open(db_path) as db:
        core = Tawsim(db, "admin")
        assert_same_lines(core)
        assert b"NaN" in rendered(core, Selection.ALL)[0]


# -- two processes ---------------------------------------------------------------------------


def big_corpus(db: Database, n: int) -> None:
    """``n`` documents: most with amal's set, some with omar's too, a few with none."""
    admin = as_user(db, "admin", Role.ADMIN)
    as_user(db, "amal", Role.ANNOTATOR)
    as_user(db, "omar", Role.ANNOTATOR)
    wanted = []
    for i in range(n):
        text = f"قال وزير الخارجية {i} إن الاتحاد الأوروبي سيجتمع"
        document = DocumentData(text, meta={"n": i})
        if i % 10 == 9:
            wanted.append(Record(document))
            continue
        status = SetStatus.APPROVED if i % 3 else SetStatus.SUBMITTED
        wanted.append(Record(document, SetData("amal", status, (EntitySpan(4, 8, "PER"),))))
        if i % 4 == 0:
            wanted.append(
                Record(document, SetData("omar", SetStatus.SUBMITTED, (EntitySpan(4, 17, "ORG"),)))
            )
    admin.ingest(wanted)


@pytest.fixture
def second_processes(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every export of the test renders in two processes; the renders started are listed."""
    monkeypatch.setenv("TAWSIM_SECOND_PROCESS_FROM_DOCUMENTS", "0")
    started: list[Any] = []
    call = WriterProcess.call

    def watched(self: WriterProcess, target: str, *args: Any) -> None:
        started.append(target)
        call(self, target, *args)

    monkeypatch.setattr(WriterProcess, "call", watched)
    return started


def one_process(
    core: Tawsim, selection: Selection, out: Path, monkeypatch: pytest.MonkeyPatch
) -> bytes:
    with monkeypatch.context() as m:
        m.setenv("TAWSIM_SECOND_PROCESS_FROM_DOCUMENTS", str(10**9))
        export(core, out, ExportOptions(include=selection))
    return out.read_bytes()


@pytest.mark.parametrize("selection", SELECTIONS)
@pytest.mark.parametrize("who", ["admin", "amal"])
def test_two_processes_write_the_file_one_does(
    sqlite_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    second_processes: list[Any],
    selection: Selection,
    who: str,
) -> None:
    big_corpus(sqlite_db, 60)
    core = Tawsim(sqlite_db, who)
    report = export(core, tmp_path / "two.jsonl", ExportOptions(include=selection))
    assert second_processes, "no second process rendered"
    expected = one_process(core, selection, tmp_path / "one.jsonl", monkeypatch)
    assert (tmp_path / "two.jsonl").read_bytes() == expected
    assert report.records == expected.count(b"\n") == len(list(core.records(selection)))
    assert report.spans == sum(
        len(r.annotation.spans) for r in core.records(selection) if r.annotation
    )
    if who == "amal":  # blind: amal's own sets only, in both halves
        assert b'"annotator":"omar"' not in expected
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_data_changed_meanwhile_is_written_from_one_state(
    sqlite_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    second_processes: list[Any],
) -> None:
    big_corpus(sqlite_db, 1200)  # more than one batch in the first half
    core = Tawsim(sqlite_db, "admin")
    calls = [0]

    def progress(_done: int) -> None:
        calls[0] += 1
        if calls[0] == 1:  # the first batch written: a set of it changed, a set added
            con = sqlite3.connect(sqlite_db.path or "")
            with con:
                con.execute(
                    "UPDATE annotation_sets SET comment = 'غيّرته المراجعة' WHERE id = "
                    "(SELECT min(id) FROM annotation_sets WHERE status = 'approved')"
                )
            con.close()
            Tawsim(Database.open(sqlite_db.url), "admin").ingest(
                [
                    Record(
                        DocumentData("خبر جديد وصل أثناء التصدير"),
                        SetData("amal", SetStatus.APPROVED),
                    )
                ]
            )

    export(core, tmp_path / "out.jsonl", ExportOptions(include=Selection.APPROVED), progress)
    assert second_processes
    data = (tmp_path / "out.jsonl").read_bytes()
    # Written again after the change, in one transaction: both changes, not one half of them.
    assert "غيّرته المراجعة".encode() in data
    assert "خبر جديد".encode() in data
    assert data == one_process(core, Selection.APPROVED, tmp_path / "one.jsonl", monkeypatch)


def test_a_cancelled_export_leaves_nothing(
    sqlite_db: Database, tmp_path: Path, second_processes: list[Any]
) -> None:
    big_corpus(sqlite_db, 1200)
    out = tmp_path / "out" / "export.jsonl"
    out.parent.mkdir()

    def cancel(_done: int) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        export(Tawsim(sqlite_db, "admin"), out, ExportOptions(include=Selection.ALL), cancel)
    assert second_processes
    assert list(out.parent.iterdir()) == []
