"""The public corpora in ../shared/data import and export back through the database.

Skipped on a fresh clone without ../shared/data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.domain import Selection, SetStatus
from app.io.exporter import ExportOptions, export
from app.io.formats.conll import read_conll
from app.io.importer import ImportOptions, import_paths
from app.io.registry import ReadOptions
from app.store.core import Tawsim
from app.store.database import Database
from tests.conftest import shared_file

pytestmark = pytest.mark.shared_data


def conll_rows(path: Path) -> list[list[tuple[str, ...]]]:
    """Sentences as lists of (token, *tags), layout lines dropped, IOB1 starts made IOB2."""
    sentences: list[list[tuple[str, ...]]] = []
    current: list[tuple[str, ...]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            continue
        if not line.strip():
            if current:
                sentences.append(current)
            current = []
            continue
        current.append(tuple(line.split()))
    if current:
        sentences.append(current)
    return sentences


def entities(path: Path) -> list[list[tuple[int, int, str]]]:
    """Per document, the (token-level) entity spans the reader decodes."""
    return [
        sorted((s.start, s.end, s.label) for s in (r.annotation.spans if r.annotation else ()))
        for r in read_conll(path, ReadOptions())
    ]


@pytest.mark.parametrize(
    "parts",
    [
        ("anercorp_camellab_test", "ANERCorp_CamelLab_test.txt"),
        ("wojood_nested_ner_sample", "train.txt"),
        ("wojood_nested_ner_sample", "val.txt"),
    ],
)
def test_conll_corpus_round_trips_through_the_database(
    db: Database, tmp_path: Path, parts: tuple[str, str]
) -> None:
    original = shared_file(*parts)
    src = tmp_path / (original.stem + ".conll")
    src.write_bytes(original.read_bytes())
    summary = import_paths(
        Tawsim(db, "tester"),
        [src],
        ImportOptions(annotator="gold", status=SetStatus.APPROVED),
    )
    assert not summary.rejected, summary.rejected[0].error
    out = tmp_path / "out.conll"
    report = export(Tawsim(db), out, ExportOptions(format="conll", include=Selection.APPROVED))
    assert report.warnings == []
    # Every sentence is a document, a repeated one (a lone "." ...) too: sentence for sentence.
    before = conll_rows(src)
    after = conll_rows(out)
    assert summary.total("documents_added") == len(before)
    # Same tokens, sentence for sentence.
    assert [[row[0] for row in s] for s in after] == [[row[0] for row in s] for s in before]
    assert sum(len(s) for s in after) == sum(len(s) for s in before)
    # Same entities (IOB1 starts such as ANERcorp's leading I-PERS are written as B-).
    assert entities(out) == entities(src)
    # Importing the same file again adds nothing.
    again = import_paths(
        Tawsim(db, "tester"), [src], ImportOptions(annotator="gold", status=SetStatus.APPROVED)
    )
    assert (again.total("documents_added"), again.total("sets_added")) == (0, 0)
    if parts[1] == "val.txt":  # val has no IOB1 starts: byte-for-byte the same tags
        assert after == before


def test_saudinewsnet_jsonl_imports_with_text_column(db: Database, tmp_path: Path) -> None:
    src = shared_file("saudinewsnet_sample", "saudinewsnet_2015-08-09_sample500.jsonl")
    summary = import_paths(Tawsim(db, "tester"), [src], ImportOptions(text_column="content"))
    assert not summary.rejected, summary.rejected[0].error
    assert summary.total("documents_added") >= 490  # a few articles may repeat
    out = tmp_path / "all.jsonl"
    export(Tawsim(db), out, ExportOptions(include=Selection.ALL))
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    original = json.loads(src.read_text(encoding="utf-8").splitlines()[0])
    assert first["text"] == original["content"].replace("\r\n", "\n").replace("\r", "\n")
    assert first["meta"]["url"] == original["url"]
    assert first["meta"]["title"] == original["title"]


def test_mawqif_csv_with_bom_and_crlf_imports(db: Database) -> None:
    src = shared_file("mawqif_stance", "Mawqif_AllTargets_Test.csv")
    summary = import_paths(Tawsim(db, "tester"), [src], ImportOptions())
    assert not summary.rejected, summary.rejected[0].error
    assert summary.total("documents_added") + summary.total("documents_duplicate") == 619
