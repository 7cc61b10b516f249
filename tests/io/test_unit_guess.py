"""A large file's offset unit decided by a second process while the file is stored on a guess
(app.io.unit_guess): whatever the file, the import ends exactly as deciding first would, and
nothing stored on a guess the whole file overrules is kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.domain import Selection
from app.core.errors import Cancelled, TawsimError
from app.core.offset_units import OffsetUnit, UnitMap
from app.io import unit_guess
from app.io.importer import ImportOptions, import_all_or_nothing, import_paths
from app.store.core import Tawsim
from app.store.database import Database
from tests.conftest import write_jsonl

ROWS = [
    ("قال الوزير محمد إن الاجتماع في القاهرة كان مهما.", ["محمد", "القاهرة"]),
    ("زار سعيد بيروت أمس.", ["سعيد", "بيروت"]),
    ("😀 قال سعيد إن بيروت جميلة.", ["سعيد", "بيروت"]),
    ("🇸🇦 وصل الوزير خالد إلى جدة.", ["خالد", "جدة"]),
    ("قال محمدٌ إن الاجتماع مهم.", ["محمدٌ"]),
]
UNITS = list(OffsetUnit)


def record(row: int, unit: OffsetUnit, shift: int = 0) -> dict[str, Any]:
    """Row ``row`` as a doccano record counted in ``unit`` (every offset moved by ``shift``)."""
    text, words = ROWS[row]
    mapping = UnitMap(text, unit)
    label = []
    for word in words:
        start = text.index(word)
        end = start + len(word)
        label.append([mapping.from_codepoint(start) + shift, mapping.from_codepoint(end) + shift])
    return {"text": text, "label": [[a, b, "X"] for a, b in label]}


def outcome(db_path: Path, path: Path) -> tuple[str | None, str, list[tuple[int, int, str]]]:
    """How importing ``path`` into a new database ends: the error, the unit said, the spans."""
    with Database.open(db_path) as db:
        [result] = import_paths(Tawsim(db, "tester"), [path], ImportOptions(annotator="amal")).files
        spans = [
            (s.start, s.end, r.document.text[s.start : s.end])
            for r in Tawsim(db).records(Selection.ALL)
            if r.annotation
            for s in r.annotation.spans
        ]
    return (str(result.error) if result.error else None), result.offsets, spans


@pytest.fixture
def second_process(monkeypatch: pytest.MonkeyPatch) -> list[unit_guess.Guess]:
    """Every file of the test goes to a second process, guessed from its first record; the
    guesses made are listed."""
    monkeypatch.setenv("TAWSIM_SECOND_PROCESS_FROM_BYTES", "0")
    monkeypatch.setattr(unit_guess, "GUESS_RECORDS", 1)
    made: list[unit_guess.Guess] = []
    start = unit_guess.Guess.start

    def watched(*args: Any) -> unit_guess.Guess | None:
        guess = start(*args)
        if guess is not None:
            made.append(guess)
        return guess

    monkeypatch.setattr(unit_guess.Guess, "start", watched)
    return made


def both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, records: list[dict[str, Any]], name: str
) -> tuple[Any, Any]:
    path = write_jsonl(tmp_path / f"{name}.jsonl", *records)
    with monkeypatch.context() as m:
        m.setenv("TAWSIM_SECOND_PROCESS_FROM_BYTES", str(10**12))
        first = outcome(tmp_path / f"{name}-alone.db", path)
    return first, outcome(tmp_path / f"{name}-two.db", path)


CASES = {
    "one unit throughout": [record(0, OffsetUnit.UTF16), record(2, OffsetUnit.UTF16)],
    "the guess overruled": [record(0, OffsetUnit.UTF16), record(1, OffsetUnit.UTF16),
                            record(2, OffsetUnit.UTF16), record(3, OffsetUnit.UTF16)],
    "graphemes shown late": [record(1, OffsetUnit.GRAPHEMES), record(4, OffsetUnit.GRAPHEMES)],
    "refused late: units mixed": [record(0, OffsetUnit.UTF16), record(2, OffsetUnit.UTF16),
                                  record(3, OffsetUnit.CODEPOINTS)],
    "refused late: no unit fits": [record(0, OffsetUnit.CODEPOINTS), record(3, OffsetUnit.UTF16,
                                                                             shift=1)],
    "a record refused in the guessed unit only": [record(1, OffsetUnit.UTF8),
                                                  record(3, OffsetUnit.UTF8)],
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_a_file_ends_as_it_would_without_a_second_process(
    case: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    second_process: list[unit_guess.Guess],
) -> None:
    alone, two = both_ways(tmp_path, monkeypatch, CASES[case], "case")
    assert second_process, "no second process was started"
    assert two == alone
    assert not any(guess.running for guess in second_process)


def test_an_overruled_guess_leaves_nothing_of_its_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, second_process: list[unit_guess.Guess]
) -> None:
    """The first record reads the same in code points and UTF-16, and code points are guessed;
    the emoji of the third say UTF-16: what the guess stored is rolled back, read again."""
    alone, two = both_ways(tmp_path, monkeypatch, CASES["the guess overruled"], "overruled")
    [guess] = second_process
    assert guess.unit is OffsetUnit.CODEPOINTS and not guess.confirmed()
    assert two == alone
    error, said, spans = two
    assert error is None and said == "utf16"
    assert [text for _, _, text in spans] == [w for _, words in ROWS[:4] for w in words]


def test_a_bad_line_the_second_process_stops_at_is_said_as_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, second_process: list[unit_guess.Guess]
) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", record(0, OffsetUnit.CODEPOINTS))
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"text": "نص", "label": [[0, 9, "X"]}\n')  # not JSON
    two = outcome(tmp_path / "two.db", path)
    monkeypatch.setenv("TAWSIM_SECOND_PROCESS_FROM_BYTES", str(10**12))
    assert outcome(tmp_path / "alone.db", path) == two
    assert two[0] is not None and f"{path}:2:" in two[0] and "not valid JSON" in two[0]
    [guess] = second_process
    assert guess.verdict() is None  # it decided nothing: the importer decided, and said why


def test_a_cancelled_import_ends_the_second_process(
    tmp_path: Path, second_process: list[unit_guess.Guess]
) -> None:
    path = write_jsonl(
        tmp_path / "c.jsonl", *[record(n % 2, OffsetUnit.CODEPOINTS) for n in range(50)]
    )

    def cancel(_path: Path, done: int) -> None:
        raise Cancelled

    with Database.open(tmp_path / "c.db") as db, pytest.raises(Cancelled):
        import_paths(Tawsim(db, "tester"), [path], ImportOptions(annotator="amal"), cancel)
    assert second_process and not any(guess.running for guess in second_process)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(ROWS) - 1), st.sampled_from(UNITS), st.sampled_from([0, 0, 1])
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_file_of_mixed_units_ends_as_without_a_second_process(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    second_process: list[unit_guess.Guess],
    rows: list[tuple[int, OffsetUnit, int]],
) -> None:
    tmp_path = tmp_path_factory.mktemp("mixed")
    records = [record(row, unit, shift) for row, unit, shift in rows]
    alone, two = both_ways(tmp_path, monkeypatch, records, "mixed")
    assert two == alone


def all_or_nothing(db_path: Path, paths: list[Path]) -> tuple[str | None, list[str], list[Any]]:
    """How importing ``paths`` in one transaction (the GUI's import) ends."""
    with Database.open(db_path) as db:
        core = Tawsim(db, "tester")
        try:
            files = import_all_or_nothing(core, paths, ImportOptions(annotator="amal")).files
        except TawsimError as exc:
            error, said = str(exc), []
        else:
            error, said = None, [f.offsets for f in files]
        spans = [
            (s.start, s.end, r.document.text[s.start : s.end])
            for r in Tawsim(db).records(Selection.ALL)
            if r.annotation
            for s in r.annotation.spans
        ]
    return error, said, spans


@pytest.mark.parametrize(
    "second", ["the guess overruled", "refused late: units mixed", "one unit throughout"]
)
def test_files_imported_all_or_nothing_end_as_without_a_second_process(
    second: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    second_process: list[unit_guess.Guess],
) -> None:
    """The GUI's import: every file in one transaction. The first file's guess is confirmed,
    the second's is overruled or refused: both are read again, or nothing is stored."""
    paths = [
        write_jsonl(tmp_path / "first.jsonl", *CASES["graphemes shown late"]),
        write_jsonl(tmp_path / "second.jsonl", *CASES[second]),
    ]
    two = all_or_nothing(tmp_path / "two.db", paths)
    assert len(second_process) == 2
    monkeypatch.setenv("TAWSIM_SECOND_PROCESS_FROM_BYTES", str(10**12))
    assert all_or_nothing(tmp_path / "alone.db", paths) == two
    assert not any(guess.running for guess in second_process)
