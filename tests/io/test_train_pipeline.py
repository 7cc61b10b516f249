"""``tawsim train``: a spaCy pipeline from the approved sets, and its suggestions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("spacy")

from app.io.training.pipeline import ModelSuggester
from tests.cli.test_cli import tawsim
from tests.conftest import write_jsonl

PEOPLE = ["جوزيب بوريل", "تاكيشي إيوايا", "أنطونيو غوتيريش"]
PLACES = ["طوكيو", "بروكسل", "الرياض", "القاهرة"]


def corpus(path: Path) -> Path:
    """Approved sentences: a person (PER) met someone in a city (GPE)."""
    records = []
    for n in range(36):
        person, place = PEOPLE[n % 3], PLACES[n % 4]
        text = f"وصل {person} إلى {place} يوم {n} لبحث التعاون"
        p, c = text.index(person), text.index(place)
        records.append({
            "text": text, "annotator": "gold", "status": "approved",
            "spans": [{"start": p, "end": p + len(person), "label": "PER"},
                      {"start": c, "end": c + len(place), "label": "GPE"}],
        })  # fmt: skip
    return write_jsonl(path, *records)


def test_a_pipeline_trained_on_approved_sets_suggests_and_names_itself(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert tawsim("import", corpus(tmp_path / "c.jsonl"), db=db).returncode == 0
    out = tmp_path / "model"
    done = tawsim("train", out, "--iterations", "15", db=db)
    assert done.returncode == 0, done.stderr
    assert "on 36 document(s), 72 span(s) (GPE, PER)" in done.stdout
    meta = json.loads((out / "meta.json").read_text())
    assert meta["name"] == "tawsim_ner" and "36 approved document(s)" in meta["description"]
    model = ModelSuggester(out)
    text = "وصل جوزيب بوريل إلى القاهرة أمس"
    found = {(text[s.start : s.end], s.label) for s in model.suggest(text)}
    assert ("جوزيب بوريل", "PER") in found
    assert all(s.source == "model:tawsim_ner@1.0.0" for s in model.suggest(text))
    # Trained again, the folder holds the new pipeline whole (no staging folder left).
    assert tawsim("train", out, "--iterations", "2", db=db).returncode == 0
    assert "2 iteration(s)" in json.loads((out / "meta.json").read_text())["description"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".model-")] == []


def test_training_without_approved_work_or_into_a_wrong_folder_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    write_jsonl(tmp_path / "d.jsonl", {"text": "نص بلا وسم"})
    assert tawsim("import", tmp_path / "d.jsonl", db=db).returncode == 0
    done = tawsim("train", tmp_path / "model", db=db)
    assert done.returncode != 0 and "nothing to train on" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "model").exists()
    assert tawsim("import", corpus(tmp_path / "c.jsonl"), db=db).returncode == 0
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("keep me")
    done = tawsim("train", tmp_path / "notes", "--iterations", "1", db=db)
    assert done.returncode != 0 and "does not hold a pipeline" in done.stderr
    assert (tmp_path / "notes" / "mine.txt").read_text() == "keep me"
    with pytest.raises(Exception, match="not a spaCy pipeline"):
        ModelSuggester(tmp_path / "notes")
