"""The spaCy DocBin export, loaded back by spaCy itself and trained on with ``spacy train``."""

from __future__ import annotations

import subprocess
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc, DocBin
from spacy.training import Example

from app.core.domain import EntitySpan, Role, Selection, SetStatus, StanceJudgement, TextRange
from app.core.records import DocumentData, Record, SetData
from app.core.schema import DEFAULT_STANCE_VALUES
from app.core.tokens import token_edges
from app.io.exporter import write_records
from app.io.formats.spacy_docbin import _words_and_spaces, words_and_spaces
from app.io.importer import ImportOptions, import_paths
from app.io.registry import WriteOptions, WriteReport
from app.store.core import Tawsim
from app.store.database import Database
from app.store.demo_annotations import annotate_sample
from tests.conftest import SEEDS, SHARED_DATA, as_user, decide, shared_file

VALUES = tuple(DEFAULT_STANCE_VALUES)
WOJOOD = ("wojood_nested_ner_sample", "val.txt")


def write_docbin(
    records: list[Record],
    out: Path,
    *,
    stance_values: Sequence[str],
    stance_targets: Sequence[str] = (),
) -> WriteReport:
    # As an export does: every target and value of the records, known before the first one.
    judged = [j for r in records if r.annotation for j in r.annotation.stances]
    targets = tuple(dict.fromkeys([*stance_targets, *(j.target for j in judged)]))
    values = tuple(dict.fromkeys([*stance_values, *(j.value for j in judged)]))
    options = WriteOptions(stance_values=values, stance_targets=targets)
    return write_records("spacy", records, out, options)


def record(text: str, spans: Sequence[EntitySpan], *stances: StanceJudgement) -> Record:
    doc = DocumentData(text, uuid=f"doc-{abs(hash(text))}", source="test")
    return Record(
        doc, SetData("amal", SetStatus.APPROVED, tuple(spans), tuple(stances), uuid="set-1")
    )


def at(text: str, needle: str, label: str, n: int = 0) -> EntitySpan:
    start = -1
    for _ in range(n + 1):
        start = text.index(needle, start + 1)
    return EntitySpan(start, start + len(needle), label)


def load(path: Path) -> list[Doc]:
    """The documents of a ``.spacy`` file, or of a folder of them (numbered, in order: what
    spaCy reads as one corpus)."""
    vocab = spacy.blank("ar").vocab
    files = sorted(path.glob("*.spacy")) if path.is_dir() else [path]
    return [doc for f in files for doc in DocBin().from_disk(f).get_docs(vocab)]


def greedy(spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    taken: list[tuple[int, int, str]] = []
    for s in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):  # stable: ties keep order
        if all(s[1] <= t[0] or t[1] <= s[0] for t in taken):
            taken.append(s)
    return sorted(taken, key=lambda s: s[0])


def check(records: list[Record], path: Path) -> list[Doc]:
    """Write, load back, and check every promise the module docstring makes."""
    result = write_docbin(records, path, stance_values=VALUES)
    docs = load(path)
    # a folder of files is said (SHARD_DOCS a file); nothing else is
    assert [w for w in result.warnings if "reads the folder as one corpus" not in w] == []
    assert result.records == len(docs) == len(records)
    assert (
        result.spans_in
        == result.spans
        == sum(len(r.annotation.spans) for r in records if r.annotation)
    )
    targets = dict.fromkeys(s.target for r in records if r.annotation for s in r.annotation.stances)
    labels = {f"{t}|{v}" for t in targets for v in VALUES}
    for rec, doc in zip(records, docs, strict=True):
        assert doc.text == rec.document.text
        assert doc.user_data["uuid"] == rec.document.uuid
        annotation = rec.annotation
        assert annotation is not None
        assert doc.user_data["annotator"] == annotation.annotator
        want = [(s.start, s.end, s.label) for s in annotation.spans]
        got = [(s.start_char, s.end_char, s.label_) for s in doc.spans["sc"]]
        assert got == want  # same spans, same order
        ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        assert ents == greedy(want)
        assert set(doc.cats) == labels
        judged = {j.target: j.value for j in annotation.stances}
        for label, score in doc.cats.items():
            target, value = label.rsplit("|", 1)
            assert score == (1.0 if judged.get(target) == value else 0.0)
        assert len(doc.user_data["stance"]) == len(annotation.stances)
    return docs


@pytest.mark.parametrize(
    "text",
    ["", " ", "\n", "أ  ب", "فقرة.\n\nفقرة  ثانية \n", "  بداية", "نهاية  ", "a \u00a0b\tc\r\nd"],
)
def test_words_and_spaces_rebuild_the_text_exactly(text: str) -> None:
    vocab = spacy.blank("ar").vocab
    for cuts in ([], list(range(len(text) + 1))):
        words, spaces = words_and_spaces(text, *token_edges(text, cuts), cuts)
        assert Doc(vocab, words=words, spaces=spaces).text == text
        assert all(words)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["الاتحاد", "وب", "😀", "،", " ", " ", "  ", "\n", "\u00a0", "ً", "a"])
    ).map("".join),
    st.lists(st.integers(0, 30), max_size=6),
)
def test_the_common_case_in_bulk_is_the_general_case(text: str, cuts: list[int]) -> None:
    """Tokens that cover the text with nothing or one space between them take a shortcut;
    it gives what the general path gives."""
    starts, ends = token_edges(text, cuts)
    assert words_and_spaces(text, starts, ends, cuts) == _words_and_spaces(text, starts, ends, cuts)


def test_emoji_clitic_paragraphs_nested_spans_and_stance(tmp_path: Path) -> None:
    text = "😀جوزيب بوريل🇯🇵  وصل وطوكيو.\n\nوالاتحاد الأوروبي  يرحب بالاتحاد الأوروبي 🙂"
    spans = [
        at(text, "جوزيب بوريل", "PER"),
        at(text, "طوكيو", "GPE"),
        at(text, "الاتحاد الأوروبي", "ORG"),
        at(text, "الأوروبي", "NORP"),  # nested inside the ORG
        at(text, "الاتحاد الأوروبي", "ORG", 1),
        at(text, "يرحب بالاتحاد", "MISC"),  # overlaps the second ORG
    ]
    holder = TextRange(spans[0].start, spans[0].end)
    stance = StanceJudgement("طوكيو", "FAVOR", (TextRange(0, 12),), holder)
    other = record("نص آخر بلا موقف", [])
    docs = check([record(text, spans, stance), other], tmp_path / "t.spacy")
    doc = docs[0]
    assert "\n\n" in [t.text for t in doc]
    assert [e.text for e in doc.ents] == [
        "جوزيب بوريل",
        "طوكيو",
        "الاتحاد الأوروبي",
        "الاتحاد الأوروبي",
    ]
    assert doc.user_data["stance"] == (
        {"target": "طوكيو", "value": "FAVOR", "evidence": ((0, 12),), "holder": (1, 12)},
    )
    assert doc.cats["طوكيو|FAVOR"] == 1.0 and docs[1].cats["طوكيو|FAVOR"] == 0.0


def test_unannotated_records_carry_no_ents_or_cats(tmp_path: Path) -> None:
    bare = Record(DocumentData("نص  بلا تعليق", uuid="u1", source=""), None)
    result = write_docbin([bare], tmp_path / "u.spacy", stance_values=VALUES)
    [doc] = load(tmp_path / "u.spacy")
    assert (result.records, doc.text, doc.cats) == (1, "نص  بلا تعليق", {})
    assert all(t.ent_iob_ == "" for t in doc)  # missing, not "O"


def test_given_targets_give_every_split_one_label_set(tmp_path: Path) -> None:
    text = "وصل جوزيب بوريل إلى طوكيو"
    records = [record(text, [], StanceJudgement("طوكيو", "NONE"))]
    write_docbin(records, tmp_path / "s.spacy", stance_values=VALUES, stance_targets=["الصين"])
    [doc] = load(tmp_path / "s.spacy")
    assert list(doc.cats) == [f"{t}|{v}" for t in ("الصين", "طوكيو") for v in VALUES]
    assert sum(doc.cats.values()) == 1.0 and doc.cats["طوكيو|NONE"] == 1.0


def test_same_records_give_identical_bytes(tmp_path: Path) -> None:
    text = "وصل جوزيب بوريل إلى طوكيو"
    records = [record(text, [at(text, "طوكيو", "GPE")], StanceJudgement("طوكيو", "NONE"))]
    write_docbin(records, tmp_path / "a.spacy", stance_values=VALUES)
    write_docbin(records, tmp_path / "b.spacy", stance_values=VALUES)
    assert (tmp_path / "a.spacy").read_bytes() == (tmp_path / "b.spacy").read_bytes()


def demo_records(db: Database) -> list[Record]:
    """The seeds, the first annotated with the GUI's sample, submitted and approved."""
    import_paths(Tawsim(db, "admin"), [SEEDS], ImportOptions())
    workspace = as_user(db, "amal", Role.ANNOTATOR)
    first = workspace.page_ids(workspace.query(), None, 1)[0]
    annotate_sample(workspace, first)
    workspace.submit(first)
    decide(db, first, "amal")
    return list(Tawsim(db).records(Selection.APPROVED))


def wojood_records(db: Database, tmp_path: Path) -> list[Record]:
    src = tmp_path / "val.conll"
    src.write_bytes(shared_file(*WOJOOD).read_bytes())
    options = ImportOptions(annotator="gold", status=SetStatus.APPROVED)
    assert not import_paths(Tawsim(db, "admin"), [src], options).rejected
    return list(Tawsim(db).records(Selection.APPROVED))


def test_demo_corpus(db: Database, tmp_path: Path) -> None:
    records = demo_records(db)
    assert len(records) == 1 and records[0].annotation is not None
    [doc] = check(records, tmp_path / "demo.spacy")
    assert len(doc.spans["sc"]) > len(doc.ents)  # the nested MISC span is only in "sc"
    assert doc.cats == {
        "اليابان|FAVOR": 1.0,
        "اليابان|AGAINST": 0.0,
        "اليابان|NEUTRAL": 0.0,
        "اليابان|NONE": 0.0,
        "الصين|FAVOR": 0.0,
        "الصين|AGAINST": 1.0,
        "الصين|NEUTRAL": 0.0,
        "الصين|NONE": 0.0,
    }


@pytest.mark.shared_data
def test_wojood_nested_sample(db: Database, tmp_path: Path) -> None:
    records = wojood_records(db, tmp_path)
    docs = check(records, tmp_path / "wojood.spacy")
    assert sum(len(d.spans["sc"]) - len(d.ents) for d in docs) > 0  # it is nested


def test_spacy_trains_and_evaluates_on_the_export(db: Database, tmp_path: Path) -> None:
    """The Done-when of issue 5: ``spacy train`` (blank Arabic, CPU, a few steps), evaluate."""
    records = demo_records(db)
    if (SHARED_DATA / WOJOOD[0] / WOJOOD[1]).exists():  # else the demo document alone
        records = wojood_records(db, tmp_path)  # the demo document and the Wojood sample
    cut = max(1, len(records) * 4 // 5)
    train, dev = records[:cut], records[cut:] or records
    write_docbin(train, tmp_path / "train.spacy", stance_values=VALUES)
    write_docbin(dev, tmp_path / "dev.spacy", stance_values=VALUES)
    cfg, out = tmp_path / "config.cfg", tmp_path / "model"
    python = [sys.executable, "-m", "spacy"]
    pipeline = "ner,textcat_multilabel"
    init = [*python, "init", "config", str(cfg), "--lang", "ar", "--pipeline", pipeline]
    subprocess.run([*init, "--optimize", "efficiency"], check=True, capture_output=True)
    overrides = {
        "paths.train": tmp_path / "train.spacy",
        "paths.dev": tmp_path / "dev.spacy",
        "training.max_steps": 20,
        "training.eval_frequency": 10,
        "training.batcher.size.start": 64,  # words per batch
        "training.batcher.size.stop": 256,
        "system.seed": 0,
    }
    args = [f"--{k}={v}" for k, v in overrides.items()]
    run = subprocess.run(
        [*python, "train", str(cfg), "--output", str(out), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert (out / "model-last").is_dir()
    nlp = spacy.load(out / "model-last")
    examples = [Example(nlp.make_doc(d.text), d) for d in load(tmp_path / "dev.spacy")]
    scores = nlp.evaluate(examples)
    assert "ents_f" in scores and "cats_score" in scores


def reference_docbin(records: Sequence[Record], options: WriteOptions) -> bytes:
    """What spaCy's own ``DocBin`` writes for the ``Doc`` objects the module docstring
    describes (the writer builds the same bytes without them)."""
    from app.io.formats.spacy_docbin import ATTRS

    vocab = spacy.blank("ar").vocab
    docbin = DocBin(attrs=ATTRS, store_user_data=True)
    labels = [(t, v) for t in options.stance_targets for v in options.stance_values]
    for rec in records:
        text, annotation = rec.document.text, rec.annotation
        spans = annotation.spans if annotation else ()
        cuts = [x for s in spans for x in (s.start, s.end)]
        words, spaces = words_and_spaces(text, *token_edges(text, cuts), cuts)
        doc = Doc(vocab, words=words, spaces=spaces)
        doc.user_data["uuid"] = rec.document.uuid
        doc.user_data["source"] = rec.document.source
        if annotation is not None:
            aligned = [
                doc.char_span(s.start, s.end, s.label, alignment_mode="strict")
                if 0 <= s.start < s.end <= len(text)
                else None
                for s in spans
            ]
            doc.spans["sc"] = [s for s in aligned if s is not None]
            taken: list = []
            for s in sorted(
                doc.spans["sc"], key=lambda s: (s.start_char - s.end_char, s.start_char)
            ):
                if all(s.end <= t.start or t.end <= s.start for t in taken):
                    taken.append(s)
            doc.ents = sorted(taken, key=lambda s: s.start)
            doc.user_data["set_uuid"] = annotation.uuid
            doc.user_data["annotator"] = annotation.annotator
            doc.user_data["status"] = str(annotation.status)
            doc.user_data["stance"] = [
                {
                    "target": j.target,
                    "value": j.value,
                    "evidence": [[r.start, r.end] for r in j.evidence],
                    "holder": None if j.holder is None else [j.holder.start, j.holder.end],
                }
                for j in annotation.stances
            ]
            judged = {j.target: j.value for j in annotation.stances}
            doc.cats = {f"{t}|{v}": 1.0 if judged.get(t) == v else 0.0 for t, v in labels}
        docbin.add(doc)
    return docbin.to_bytes()


WORDS = ["الاتحاد", "وبالصين", "X", "PER", "ORG", "a1", "٢٠٢٦", "😀", "،", ".", "ـ", "\u064b"]
GAPS = [" ", "  ", "\n", "\n\n", "\u00a0", "\t", ""]


@st.composite
def docbin_records(draw: st.DrawFn) -> list[Record]:
    out = []
    for n in range(draw(st.integers(1, 3))):
        parts = draw(st.lists(st.tuples(st.sampled_from(GAPS), st.sampled_from(WORDS)), max_size=8))
        text = "".join(g + w for g, w in parts) + draw(st.sampled_from(GAPS))
        if draw(st.booleans()) or not text:
            out.append(Record(DocumentData(text, uuid=f"u{n}", source="s"), None))
            continue
        offsets = st.integers(0, len(text))
        spans = [
            EntitySpan(min(a, b), max(a, b) + (a == b), draw(st.sampled_from(["PER", "X", "مكان"])))
            for a, b in draw(st.lists(st.tuples(offsets, offsets), max_size=5))
        ]
        stances = [StanceJudgement("طوكيو", draw(st.sampled_from(VALUES)))] * draw(st.booleans())
        annotation = SetData("amal", SetStatus.APPROVED, tuple(spans), tuple(stances), uuid="s1")
        out.append(Record(DocumentData(text, uuid=f"u{n}", source="s"), annotation))
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=docbin_records())
def test_the_file_is_the_bytes_spacys_docbin_writes(
    records: list[Record], tmp_path_factory
) -> None:
    options = WriteOptions(stance_values=VALUES, stance_targets=("طوكيو", "الصين"))
    out = tmp_path_factory.mktemp("docbin") / "x.spacy"
    write_records("spacy", records, out, options)
    # spaCy compresses at zlib's default level, Tawsim faster (ZLIB_LEVEL): the same content
    assert zlib.decompress(out.read_bytes()) == zlib.decompress(reference_docbin(records, options))


def test_spacy_attribute_numbers() -> None:
    from spacy.attrs import intify_attr
    from spacy.tokens._dict_proxies import SpanGroups

    from app.io.formats import spacy_docbin

    assert tuple(intify_attr(a) for a in spacy_docbin.ATTRS) == spacy_docbin.ATTR_IDS
    assert SpanGroups._EMPTY_BYTES == spacy_docbin.EMPTY_SPAN_GROUPS


def test_the_symbol_table_is_spacys() -> None:
    """The symbols a ``.spacy`` file gives their ids, not their hashes: the table Tawsim
    keeps so that its writers need not import spaCy is the installed spaCy's."""
    from spacy.symbols import IDS

    from app.io.formats.spacy_symbols import SYMBOLS

    assert {name: i for name, i in IDS.items() if name} == SYMBOLS


def test_writing_spacy_files_does_not_import_spacy(tmp_path: Path) -> None:
    """spaCy costs a process 65 MB: the writers of a training export make its files without it."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from app.core.domain import EntitySpan\n"
        "from app.core.records import DocumentData, Record, SetData\n"
        "from app.io.formats.spacy_docbin import DocBinWriter\n"
        "from app.io.registry import WriteOptions\n"
        "w = DocBinWriter(Path(sys.argv[1]), WriteOptions())\n"
        "text = 'زار محمد القاهرة أمس.'\n"
        "w.write(Record(DocumentData(text), SetData(spans=(EntitySpan(4, 8, 'PER'),))))\n"
        "w.close()\n"
        "print('spacy' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "x.spacy")],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2], check=True,
    )  # fmt: skip
    assert done.stdout.strip() == "False"
    assert (tmp_path / "x.spacy").stat().st_size > 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=20), st.sampled_from(["", "ORTH", "PERSON", "ال"]))))
def test_string_ids_are_spacys(strings: list[str]) -> None:
    from spacy.strings import get_string_id

    from app.io.formats.spacy_docbin import string_ids

    strings = [s for s in strings if not any("\ud800" <= c <= "\udfff" for c in s)]
    assert string_ids(strings) == [get_string_id(s) for s in strings]
