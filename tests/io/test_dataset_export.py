"""``tawsim export OUTDIR --split``: every split in every training format, and a card."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.core.domain import Role, Selection, SetStatus
from app.io.importer import ImportOptions, import_paths
from app.io.training.dataset_export import export_dataset
from app.store.core import Tawsim
from app.store.database import Database
from app.store.demo_annotations import annotate_sample
from tests.cli.test_cli import tawsim
from tests.conftest import FIXTURES, SEEDS, as_user, decide

RATIOS = {"train": 0.6, "dev": 0.2, "test": 0.2}


@pytest.fixture
def gold_db(db: Database, tmp_path: Path) -> Database:
    """The demo corpus with the sample annotations approved, plus the Wojood excerpt."""
    import_paths(Tawsim(db, "admin"), [SEEDS], ImportOptions())
    ws = as_user(db, "amal", Role.ANNOTATOR)
    first = ws.page_ids(ws.query(), None, 1)[0]
    annotate_sample(ws, first)
    ws.submit(first)
    decide(db, first, "amal")
    wojood = tmp_path / "wojood.conll"
    wojood.write_bytes((FIXTURES / "wojood_excerpt.txt").read_bytes())
    summary = import_paths(
        Tawsim(db, "admin"),
        [wojood],
        ImportOptions(annotator="gold", status=SetStatus.APPROVED),
    )
    assert not summary.rejected
    return db


def test_every_split_in_every_format_and_the_same_files_again(
    gold_db: Database, tmp_path: Path
) -> None:
    first = export_dataset(Tawsim(gold_db), tmp_path / "a", ratios=RATIOS, seed=3)
    again = export_dataset(Tawsim(gold_db), tmp_path / "b", ratios=RATIOS, seed=3)
    other = export_dataset(Tawsim(gold_db), tmp_path / "c", ratios=RATIOS, seed=4)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    for split in RATIOS:
        for suffix in ("jsonl", "spacy", "tokens.jsonl", "conll", "stance.jsonl"):
            assert f"{split}.{suffix}" in names
    for name in names:
        if name != "README.md":  # the card records the export time
            assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert first.documents == again.documents and sum(first.documents.values()) == sum(
        other.documents.values()
    )
    # No document in two splits; every approved span in every format.
    seen: dict[str, str] = {}
    for split in RATIOS:
        for line in (tmp_path / "a" / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)["id"]
            assert seen.setdefault(doc, split) == split
    total = sum(first.documents.values())
    assert len(seen) == total
    for result in first.results:
        assert result.warnings == [], result.path
        assert result.spans == result.spans_in, result.path
    card = (tmp_path / "a" / "README.md").read_text(encoding="utf-8")
    for needed in (
        "## Splits",
        "## Stance",
        "## Annotators",
        "## Agreement",
        "Warnings",
        "every exported span reached every format",
        "arabic-news v1",
    ):
        assert needed in card


def test_cli_split_export(gold_db: Database, tmp_path: Path) -> None:
    gold_db.close()
    db_path = gold_db.url
    out = tmp_path / "dataset"
    result = tawsim(
        "--user",
        "admin",
        "export",
        out,
        "--split",
        "train=0.8,dev=0.1,test=0.1",
        "--seed",
        "1",
        "--split-clitics",
        db=db_path,
    )
    assert result.returncode == 0, result.stderr
    assert (out / "README.md").exists() and (out / "train.spacy").exists()
    bad = tawsim("export", out, "--split", "train=0.8,dev=0.1", db=db_path)
    assert bad.returncode == 1 and "add up to 1" in bad.stderr


def test_nothing_approved_is_a_clear_error(db: Database, tmp_path: Path) -> None:
    from app.core.errors import InputError

    import_paths(Tawsim(db, "admin"), [SEEDS], ImportOptions())
    with pytest.raises(InputError, match="nothing to export with --include approved"):
        export_dataset(
            Tawsim(db), tmp_path / "x", ratios=RATIOS, seed=0, include=Selection.APPROVED
        )


def test_plain_conll_and_training_conll_are_one_writer(gold_db: Database, tmp_path: Path) -> None:
    """``export --format conll`` and ``export DIR --split`` write the same documents the same
    way: one writer, one tokenizer (the split files together hold the plain file's documents)."""
    from app.io.exporter import ExportOptions, export

    core = Tawsim(gold_db)
    export_dataset(core, tmp_path / "split", ratios=RATIOS, seed=3)
    export(core, tmp_path / "all.conll", ExportOptions(format="conll"))

    def documents(text: str) -> list[str]:
        return sorted(d for d in text.split("-DOCSTART- O\n\n") if d)

    together = "".join(
        (tmp_path / "split" / f"{split}.conll").read_text(encoding="utf-8") for split in RATIOS
    )
    plain = (tmp_path / "all.conll").read_text(encoding="utf-8")
    assert documents(together) == documents(plain) and len(documents(plain)) > 1
    # The demo's clitic stays out of its ORG span in both: ب O, then الاتحاد B-ORG.
    assert "ب O\nالاتحاد B-ORG I-MISC" not in plain  # nested: outer MISC first
    assert "ب I-MISC\nالاتحاد I-MISC B-ORG\n" in plain


def test_every_format_is_listed_by_the_cli_and_the_gui(tmp_path: Path) -> None:
    from app.io import registry

    names = [f.name for f in registry.export_formats()]
    assert {"jsonl", "doccano", "conll", "hf-tokens", "spacy", "stance-jsonl"} <= set(names)
    shown = tawsim("export", "--help", db=tmp_path / "t.db").stdout
    assert all(name in shown for name in names)
    training = {f.training_file for f in registry.training_formats()}
    assert training == {
        "{split}.jsonl",
        "{split}.spacy",
        "{split}.tokens.jsonl",
        "{split}.conll",
        "{split}.stance.jsonl",
    }


# -- the folder is written whole or not at all ---------------------------------------------


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "README.md"
    }


def _no_leftovers(parent: Path) -> bool:
    return not [p for p in parent.iterdir() if p.name.startswith(".")]


def test_a_re_export_replaces_the_whole_folder(gold_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "dataset"
    export_dataset(Tawsim(gold_db), out, ratios=RATIOS, seed=3)
    export_dataset(Tawsim(gold_db), out, ratios={"train": 0.5, "test": 0.5}, seed=3)
    names = {p.name for p in out.iterdir()}
    assert not any(n.startswith("dev.") for n in names)  # no old split beside the new ones
    assert "train.jsonl" in names and _no_leftovers(tmp_path)


def test_a_folder_that_is_not_a_training_set_is_refused(gold_db: Database, tmp_path: Path) -> None:
    from app.core.errors import InputError

    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="no dataset card"):
        export_dataset(Tawsim(gold_db), out, ratios=RATIOS, seed=3)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_an_error_midway_leaves_the_previous_training_set(
    gold_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.io.formats import conll

    out = tmp_path / "dataset"
    export_dataset(Tawsim(gold_db), out, ratios=RATIOS, seed=3)
    before = _files(out)

    def broken(self: object, record: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(conll.ConllWriter, "write", broken)
    with pytest.raises(OSError):
        export_dataset(Tawsim(gold_db), out, ratios=RATIOS, seed=4)
    assert _files(out) == before and _no_leftovers(tmp_path)


def test_a_large_spacy_split_is_a_folder_spacy_reads_as_one_corpus(
    gold_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import spacy
    from spacy.training import Corpus

    from app.io.formats import spacy_docbin

    monkeypatch.setattr(spacy_docbin, "SHARD_DOCS", 2)
    report = export_dataset(Tawsim(gold_db), tmp_path / "d", ratios={"train": 1.0}, seed=1)
    folder = tmp_path / "d" / "train.spacy"
    assert folder.is_dir() and len(list(folder.glob("*.spacy"))) > 1
    nlp = spacy.blank("ar")
    docs = [example.reference for example in Corpus(folder)(nlp)]
    assert len(docs) == report.documents["train"]
    assert sum(len(d.ents) for d in docs) > 0


def test_without_a_one_step_swap_a_kill_between_renames_is_repaired(
    gold_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where folders cannot be exchanged in one step, the previous folder is renamed aside
    before the new one moves in: a kill between the two leaves it aside, and the next export
    puts it back first (or removes it, when the new folder made it into place)."""
    from app.io import output

    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    out = tmp_path / "dataset"
    export_dataset(Tawsim(gold_db), out, ratios=RATIOS, seed=3)
    first = (out / "train.jsonl").read_bytes()
    aside = tmp_path / ".dataset.x1.old"
    out.rename(aside)  # killed between the two renames
    folder = output.AtomicFolder(out)  # what the next export does first
    assert out.is_dir() and (out / "train.jsonl").read_bytes() == first and not aside.exists()
    folder.discard()
    out.rename(aside)
    shutil.copytree(aside, out)  # killed after the new folder moved in
    output.AtomicFolder(out).discard()
    assert out.is_dir() and _no_leftovers(tmp_path)
