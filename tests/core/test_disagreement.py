from __future__ import annotations

from app.core.disagreement import Kind, compare, signature
from app.core.domain import EntitySpan as S


def test_kinds_of_disagreement() -> None:
    result = compare(
        {
            "amal": (S(0, 7, "GPE"), S(10, 20, "ORG"), S(30, 35, "PER"), S(40, 45, "LOC")),
            "omar": (S(0, 7, "GPE"), S(11, 20, "ORG"), S(30, 35, "NORP"), S(50, 55, "DATE")),
        },
        {"amal": {"اليابان": "FAVOR", "الصين": "AGAINST"}, "omar": {"اليابان": "FAVOR"}},
    )
    assert [(c.start, c.end, c.kind) for c in result.clusters] == [
        (0, 7, Kind.AGREED),
        (10, 20, Kind.BOUNDARY),
        (30, 35, Kind.LABEL),
        (40, 45, Kind.MISSING),
        (50, 55, Kind.MISSING),
    ]
    assert [(r.target, r.agreed) for r in result.stance] == [("الصين", False), ("اليابان", True)]
    assert result.disagreements == 5 and result.level == "major"


def test_full_agreement_and_single_annotator() -> None:
    spans = (S(0, 7, "GPE"),)
    assert compare({"a": spans, "b": spans}).level == "none"
    assert compare({"a": spans}).level == "single"
    assert compare({"a": (S(0, 7, "GPE"),), "b": (S(0, 9, "ORG"),)}).clusters[0].kind is (
        Kind.BOUNDARY_LABEL
    )
    assert signature(spans, {"x": "FAVOR"}) == signature(spans, {"x": "FAVOR"})
    assert signature(spans, {"x": "FAVOR"}) != signature(spans, {"x": "AGAINST"})


def test_identical_nested_spans_agree() -> None:
    nested = (S(0, 30, "MISC"), S(20, 30, "ORG"))
    result = compare({"a": nested, "b": nested})
    assert [c.kind for c in result.clusters] == [Kind.AGREED] and result.level == "none"
    differs = compare({"a": nested, "b": (S(0, 30, "MISC"),)})
    assert differs.clusters[0].kind is not Kind.AGREED
