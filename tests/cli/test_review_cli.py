"""``tawsim review``: batch decisions from the command line, roles enforced."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import stats, tawsim
from tests.conftest import write_jsonl

TEXT_A = "أعلنت اليابان والاتحاد الأوروبي عن شراكة"
TEXT_B = "زار بوريل طوكيو يوم الجمعة"


def span(text: str, word: str, label: str) -> dict:
    start = text.index(word)
    return {"start": start, "end": start + len(word), "label": label}


def setup(tmp_path: Path) -> Path:
    db = tmp_path / "t.db"
    # The first user (TAWSIM_USER=tester) becomes the database's admin and adds a reviewer.
    assert tawsim("init", db=db).returncode == 0
    added = tawsim("users", "add", "rana", "--role", "reviewer", db=db)
    assert added.returncode == 0, added.stderr
    jp = span(TEXT_A, "اليابان", "GPE")
    for name, spans_a, spans_b in [
        ("amal", [jp], [span(TEXT_B, "بوريل", "PER")]),
        ("omar", [jp], [span(TEXT_B, "طوكيو", "GPE")]),
        ("huda", [jp, span(TEXT_A, "الاتحاد الأوروبي", "ORG")], []),
    ]:
        src = write_jsonl(
            tmp_path / f"{name}.jsonl",
            {"text": TEXT_A, "spans": spans_a},
            {"text": TEXT_B, "spans": spans_b},
        )
        result = tawsim("import", src, "--annotator", name, db=db)
        assert result.returncode == 0, result.stderr
    return db


def queue(db: Path) -> list[dict]:
    result = tawsim("review", "queue", "--json", db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_queue_marks_disagreement_and_filters(tmp_path: Path) -> None:
    db = setup(tmp_path)
    items = queue(db)
    assert len(items) == 2 and {i["level"] for i in items} == {"minor"}
    assert [len(i["sets"]) for i in items] == [3, 3]
    only_org = json.loads(tawsim("review", "queue", "--json", "--label", "ORG", db=db).stdout)
    assert [i["title"] for i in only_org] == [TEXT_A]


def test_annotator_cannot_approve(tmp_path: Path) -> None:
    db = setup(tmp_path)
    set_uuid = queue(db)[0]["sets"][0]["set"]
    result = tawsim("--user", "amal", "review", "approve", set_uuid, db=db)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "amal is an annotator and cannot approve" in result.stderr
    assert stats(db)["sets_by_status"]["approved"] == 0


def test_auto_approve_needs_n_identical_sets(tmp_path: Path) -> None:
    db = setup(tmp_path)
    three = tawsim("--user", "rana", "review", "auto-approve", "--min-agree", "3", db=db)
    assert "approved 0 document(s)" in three.stdout
    # TEXT_A: amal and omar agree completely (huda added ORG); TEXT_B: nobody agrees.
    two = tawsim("--user", "rana", "review", "auto-approve", "--min-agree", "2", db=db)
    assert two.returncode == 0 and "approved 1 document(s)" in two.stdout
    assert stats(db)["sets_by_status"]["approved"] == 1
    assert [i["title"] for i in queue(db)] == [TEXT_B]
    out = tmp_path / "gold.jsonl"
    assert tawsim("export", out, db=db).returncode == 0
    [gold] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert gold["text"] == TEXT_A and [s["label"] for s in gold["spans"]] == ["GPE"]


def test_one_gold_set_per_document_and_reject_with_comment(tmp_path: Path) -> None:
    db = setup(tmp_path)
    item = next(i for i in queue(db) if i["title"] == TEXT_B)
    amal_set = next(s["set"] for s in item["sets"] if s["annotator"] == "amal")
    omar_set = next(s["set"] for s in item["sets"] if s["annotator"] == "omar")
    assert tawsim("--user", "rana", "review", "approve", amal_set, db=db).returncode == 0
    second = tawsim("--user", "rana", "review", "approve", omar_set, db=db)
    assert second.returncode == 1 and "one gold set" in second.stderr
    rejected = tawsim(
        "--user", "rana", "review", "reject", omar_set, "--comment", "طوكيو ليست المقصودة", db=db
    )
    assert rejected.returncode == 0
    assert stats(db)["sets_by_status"]["rejected"] == 1


def test_batch_approve_by_annotator(tmp_path: Path) -> None:
    db = setup(tmp_path)
    none = tawsim("--user", "rana", "review", "approve", db=db)
    assert none.returncode == 1 and "name sets to approve, or a filter" in none.stderr
    result = tawsim("--user", "rana", "review", "approve", "--annotator", "huda", db=db)
    assert result.returncode == 0 and "approved 2 set(s)" in result.stdout
    assert queue(db) == []


def test_only_an_admin_manages_users(tmp_path: Path) -> None:
    db = setup(tmp_path)
    refused = tawsim("--user", "rana", "users", "set-role", "amal", "reviewer", db=db)
    assert refused.returncode == 1 and "only an admin manages users" in refused.stderr
    newcomer = tawsim("--user", "stranger", "review", "approve", "--annotator", "amal", db=db)
    assert newcomer.returncode == 1 and "stranger is an annotator" in newcomer.stderr
    ok = tawsim("users", "set-role", "amal", "reviewer", db=db)
    assert ok.returncode == 0
    listed = json.loads(tawsim("users", "list", "--json", db=db).stdout)
    assert {"name": "amal", "role": "reviewer"} in listed


def test_agree_reports_known_disagreement(tmp_path: Path) -> None:
    db = setup(tmp_path)
    result = tawsim("agree", "--json", db=db)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    pairs = {(p["a"], p["b"]): p for p in report["entities"]["pairs"]}
    # amal ~ omar: TEXT_A agrees (GPE), TEXT_B differs (PER بوريل vs GPE طوكيو):
    # exact tp 1, amal-only 1, omar-only 1 -> F1 = 2/4 = 0.5
    counts = pairs[("amal", "omar")]["exact_match"]["overall"]
    assert (counts["tp"], counts["a_only"], counts["b_only"]) == (1, 1, 1)
    assert counts["f1"] == 0.5
    text = tawsim("agree", db=db)
    assert "amal ~ omar: 2 document(s), F1 0.500 / 0.500" in text.stdout


def test_model_pre_annotations_wait_for_a_reviewer(tmp_path: Path) -> None:
    """A model's predictions come in as a named annotator; a reviewer corrects and approves."""
    db = tmp_path / "t.db"
    assert tawsim("init", db=db).returncode == 0
    assert tawsim("users", "add", "rana", "--role", "reviewer", db=db).returncode == 0
    predictions = write_jsonl(
        tmp_path / "pred.jsonl",
        {"text": TEXT_B, "spans": [span(TEXT_B, "بوريل", "PER"), span(TEXT_B, "طوكيو", "LOC")]},
    )
    result = tawsim("import", predictions, "--annotator", "model:v1", db=db)
    assert result.returncode == 0, result.stderr
    [item] = queue(db)
    assert [s["annotator"] for s in item["sets"]] == ["model:v1"]
    approved = tawsim("--user", "rana", "review", "approve", item["sets"][0]["set"], db=db)
    assert approved.returncode == 0
    assert stats(db)["sets_by_status"]["approved"] == 1


def test_the_approved_documents_are_listed_for_looking_back(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    record = {
        "text": "وصل بوريل إلى طوكيو",
        "spans": [{"start": 4, "end": 9, "label": "PER"}],
        "annotator": "amal",
        "status": "submitted",
    }
    src = write_jsonl(tmp_path / "a.jsonl", record)
    assert tawsim("import", src, db=db).returncode == 0
    waiting = tawsim("review", "queue", "--json", db=db)
    [item] = json.loads(waiting.stdout)
    assert "0 approved document(s)" in tawsim("review", "queue", "--approved", db=db).stdout
    assert tawsim("review", "approve", item["sets"][0]["set"], db=db).returncode == 0
    listed = tawsim("review", "queue", "--approved", db=db).stdout
    assert item["document"] in listed and "1 approved document(s)" in listed
    assert "0 document(s) waiting" in tawsim("review", "queue", db=db).stdout
