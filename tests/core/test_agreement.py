"""Agreement figures checked against values computed by hand (the working is in the comments)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.agreement import (
    NO_OVERLAP,
    AnnotatorWork,
    MatchCounts,
    compute_agreement,
    stance_scores,
)
from app.core.agreement_entities import exact_counts, overlap_counts
from app.core.domain import EntitySpan as S

SCHEMA_VALUES = ("FAVOR", "AGAINST", "NEUTRAL", "NONE")


def W(*spans: S, **stances: str) -> AnnotatorWork:
    return AnnotatorWork(spans=spans, stances=stances)


def stance_docs(*rows: Sequence[str | None], names: Sequence[str] = ("amal", "omar")) -> dict:
    """One document per row; row[i] is annotator names[i]'s value for target T (None: no set)."""
    return {
        doc: {name: W(T=value) for name, value in zip(names, row, strict=True) if value}
        for doc, row in enumerate(rows, start=1)
    }


def close(value: float | None, expected: Fraction | float) -> bool:
    return value is not None and value == pytest.approx(float(expected), abs=1e-12)


# --- entities ---------------------------------------------------------------------------------

AMAL_1 = (S(0, 7, "GPE"), S(10, 20, "ORG"), S(30, 35, "PER"), S(40, 45, "LOC"))
OMAR_1 = (S(0, 7, "GPE"), S(11, 20, "ORG"), S(30, 35, "NORP"), S(50, 55, "DATE"))


def test_entity_disagreements_exact_and_overlap() -> None:
    work = {
        # Same GPE; ORG boundary differs; PER vs NORP label differs; LOC only amal; DATE only omar.
        1: {"amal": W(*AMAL_1), "omar": W(*OMAR_1)},
        # A PER only amal marked.
        2: {"amal": W(S(0, 5, "PER")), "omar": W()},
        # Only amal annotated document 3: it must not count for the pair.
        3: {"amal": W(S(0, 5, "PER"), S(9, 12, "ORG"))},
    }
    pair = compute_agreement(work).entities.pairs[0]
    assert (pair.a, pair.b, pair.documents) == ("amal", "omar", 2)
    assert (pair.overlap, pair.status) == (True, "ok")
    assert pair.exact_match is not None and pair.overlap_match is not None
    # Exact: tp = GPE = 1; amal-only: ORG, PER, LOC (doc 1) + PER (doc 2) = 4;
    # omar-only: ORG, NORP, DATE = 3.  P = 1/(1+3) = 1/4, R = 1/(1+4) = 1/5,
    # F1 = 2·1 / (2·1 + 4 + 3) = 2/9.
    exact = pair.exact_match.overall
    assert (exact.tp, exact.a_only, exact.b_only) == (1, 4, 3)
    assert close(exact.precision, Fraction(1, 4)) and close(exact.recall, Fraction(1, 5))
    assert close(exact.f1, Fraction(2, 9))
    # Overlap: ORG [10,20) and [11,20) now match (same label, 9 shared code points); PER/NORP
    # still don't (labels differ).  tp = 2, amal-only 3, omar-only 2:
    # P = 2/4 = 1/2, R = 2/5, F1 = 4 / (4 + 3 + 2) = 4/9.
    over = pair.overlap_match.overall
    assert (over.tp, over.a_only, over.b_only) == (2, 3, 2)
    assert close(over.precision, 0.5) and close(over.recall, 0.4) and close(over.f1, Fraction(4, 9))
    # Per label.  ORG: exact 0/1/1 (P = R = F1 = 0), overlap 1/0/0 (all 1).
    assert pair.exact_match.per_label["ORG"].to_dict() == {
        "tp": 0, "a_only": 1, "b_only": 1, "precision": 0.0, "recall": 0.0, "f1": 0.0,
    }  # fmt: skip
    assert pair.overlap_match.per_label["ORG"].f1 == 1.0
    # PER: amal has 2, omar none -> precision undefined (omar marked no PER), recall 0, F1 0.
    per = pair.overlap_match.per_label["PER"]
    assert (per.tp, per.a_only, per.b_only, per.precision, per.recall, per.f1) == (
        0, 2, 0, None, 0.0, 0.0,
    )  # fmt: skip
    assert list(pair.exact_match.per_label) == ["DATE", "GPE", "LOC", "NORP", "ORG", "PER"]


def test_overlap_matching_is_one_to_one_and_prefers_the_largest_overlap() -> None:
    # a [0,10) overlaps b1 [0,4) by 4 and b2 [2,10) by 8: it matches b2 only; b1 stays b-only.
    counts = overlap_counts([S(0, 10, "ORG")], [S(0, 4, "ORG"), S(2, 10, "ORG")])["ORG"]
    assert counts == MatchCounts(tp=1, a_only=0, b_only=1)
    # b [5,20) overlaps a1 [0,10) by 5 and a2 [10,20) by 10: one match (a2), a1 left over.
    counts = overlap_counts([S(0, 10, "LOC"), S(10, 20, "LOC")], [S(5, 20, "LOC")])["LOC"]
    assert (counts.tp, counts.a_only, counts.b_only) == (1, 1, 0)
    # Largest overlap first: a1 [0,10)–b2 [0,9) (9) goes before a1–b1 [8,12) (2), which leaves
    # b1 for a2 [10,14) (2): two matches.  Matching a1 to its first overlapping span (b1)
    # would leave a2 with nothing: one match.
    a, b = [S(0, 10, "PER"), S(10, 14, "PER")], [S(8, 12, "PER"), S(0, 9, "PER")]
    assert overlap_counts(a, b)["PER"] == MatchCounts(tp=2, a_only=0, b_only=0)
    # Spans that only touch ([0,5) and [5,9)) share no code point: no match.
    assert overlap_counts([S(0, 5, "PER")], [S(5, 9, "PER")])["PER"] == MatchCounts(0, 1, 1)
    # Duplicated identical spans match as often as both have them, no more.
    exact = exact_counts([S(0, 3, "PER")] * 2, [S(0, 3, "PER")] * 3)["PER"]
    assert (exact.tp, exact.a_only, exact.b_only) == (2, 0, 1)


def test_annotators_sharing_no_document_get_no_overlap_not_a_perfect_score() -> None:
    work = {
        1: {"amal": W(S(0, 5, "PER")), "omar": W(S(0, 5, "PER"))},
        2: {"sara": W(S(0, 5, "PER"))},
    }
    report = compute_agreement(work)
    pairs = {(p.a, p.b): p for p in report.entities.pairs}
    assert set(pairs) == {("amal", "omar"), ("amal", "sara"), ("omar", "sara")}
    for key in [("amal", "sara"), ("omar", "sara")]:
        assert pairs[key].overlap is False and pairs[key].status == NO_OVERLAP
        assert pairs[key].exact_match is None and pairs[key].overlap_match is None
        assert pairs[key].to_dict()["status"] == "no overlap"
    # Only amal–omar shares a document, so the average is over that one pair.
    average = report.entities.average_f1["exact_match"]["per_label"]["PER"]
    assert (average.f1, average.pairs) == (1.0, 1)


def test_average_pairwise_f1_per_label() -> None:
    work = {
        1: {
            "a": W(S(0, 5, "PER")),
            "b": W(S(0, 5, "PER")),
            "c": W(S(0, 4, "PER"), S(10, 15, "LOC")),
        }
    }
    avg = compute_agreement(work).entities.average_f1
    # PER exact F1: a–b 1, a–c 0, b–c 0 -> mean 1/3 over 3 pairs; overlap: all 1 -> 1.
    assert close(avg["exact_match"]["per_label"]["PER"].f1, Fraction(1, 3))
    assert avg["exact_match"]["per_label"]["PER"].pairs == 3
    assert avg["overlap_match"]["per_label"]["PER"].f1 == 1.0
    # LOC: only c has one; a–b have no LOC at all (F1 undefined, left out); a–c and b–c have
    # F1 = 0/(0+0+1) = 0 -> mean 0 over 2 pairs.
    loc = avg["overlap_match"]["per_label"]["LOC"]
    assert (loc.f1, loc.pairs) == (0.0, 2)
    # Overall exact: a–b 1; a–c tp 0, 1, 2 -> 0; b–c 0 -> 1/3.
    # Overall overlap: a–b 1; a–c tp 1, 0, 1 -> 2/(2+1) = 2/3; b–c 2/3 -> (1 + 4/3)/3 = 7/9.
    assert close(avg["exact_match"]["overall"].f1, Fraction(1, 3))
    assert close(avg["overlap_match"]["overall"].f1, Fraction(7, 9))


spans = st.lists(
    st.builds(
        lambda start, length, label: S(start, start + length, label),
        st.integers(0, 30),
        st.integers(1, 8),
        st.sampled_from(["PER", "ORG"]),
    ),
    max_size=8,
)


def _greedy_reference(a: list[S], b: list[S]) -> int:
    pairs = sorted(
        (
            -(min(x.end, y.end) - max(x.start, y.start)),
            abs(x.start - y.start) + abs(x.end - y.end),
            i,
            j,
        )
        for i, x in enumerate(a)
        for j, y in enumerate(b)
        if x.start < y.end and y.start < x.end
    )
    used_a, used_b = set(), set()
    for _, _, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
    return len(used_a)


@given(spans, spans)
def test_span_counts_are_consistent(a: list[S], b: list[S]) -> None:
    exact, over = exact_counts(a, b), overlap_counts(a, b)
    for label in {s.label for s in a + b}:
        n_a = sum(s.label == label for s in a)
        n_b = sum(s.label == label for s in b)
        for counts in (exact[label], over[label]):
            assert counts.tp + counts.a_only == n_a and counts.tp + counts.b_only == n_b
        assert over[label].tp >= exact[label].tp  # an exact pair always overlap-matches
        # The windowed search finds what trying every pair finds (greedy, largest overlap first).
        assert over[label].tp == _greedy_reference(
            [s for s in a if s.label == label], [s for s in b if s.label == label]
        )
        # Swapping the reference swaps precision and recall and keeps F1.
        swapped = overlap_counts(b, a)[label]
        assert (swapped.precision, swapped.recall) == (over[label].recall, over[label].precision)


# --- stance -----------------------------------------------------------------------------------


def test_two_annotators_kappa_one_half() -> None:
    #            omar F  omar A
    #  amal F       3       1
    #  amal A       1       3
    # p_o = 6/8 = 3/4; both marginals F = A = 1/2 -> p_e = 1/4 + 1/4 = 1/2;
    # kappa = (3/4 - 1/2) / (1 - 1/2) = 1/2.
    # AC1 with q = 2: pi_F = pi_A = 1/2 -> p_e = (1/4 + 1/4)/(2-1) = 1/2 -> AC1 = 1/2.
    # AC1 with the schema's q = 4: p_e = (1/2)/3 = 1/6 -> (3/4 - 1/6)/(5/6) = 7/10.
    # Alpha by the coincidence matrix: each F–F unit adds 2 to o_FF (ordered pairs / (m_u - 1)),
    # each F–A unit adds 1 to o_FA and o_AF: o_FF = o_AA = 6, o_FA = o_AF = 2; n_F = n_A = 8,
    # n = 16.  alpha = 1 - (n - 1)·(o_FA + o_AF) / (2·n_F·n_A) = 1 - 15·4/128 = 17/32.
    rows = [("FAVOR", "FAVOR")] * 3 + [("FAVOR", "AGAINST"), ("AGAINST", "FAVOR")]
    rows += [("AGAINST", "AGAINST")] * 3
    work = stance_docs(*rows)
    scores = compute_agreement(work).stance.overall
    assert (scores.items, scores.single_rated, scores.annotators) == (8, 0, ("amal", "omar"))
    assert scores.cohen_kappa.value == 0.5
    assert scores.percent_agreement == 0.75
    assert close(scores.krippendorff_alpha.value, Fraction(17, 32))
    assert close(scores.gwet_ac1.value, Fraction(1, 2))
    with_schema = compute_agreement(work, stance_values=SCHEMA_VALUES).stance.overall
    assert close(with_schema.gwet_ac1.value, Fraction(7, 10))
    assert with_schema.cohen_kappa.value == 0.5  # kappa and alpha ignore unused values
    assert close(with_schema.krippendorff_alpha.value, Fraction(17, 32))


def test_kappa_uses_each_annotators_own_marginals() -> None:
    #            omar F  omar A
    #  amal F       4       3
    #  amal A       1       2
    # p_o = 6/10; amal F 7/10, A 3/10; omar F 5/10, A 5/10 ->
    # p_e = 7/10·5/10 + 3/10·5/10 = 1/2 -> kappa = (6/10 - 1/2)/(1/2) = 1/5.
    # (Pooled marginals F 12/20, A 8/20 would give Scott's pi = (0.6 - 0.52)/0.48 = 1/6.)
    # AC1: pi_F = 12/20, pi_A = 8/20 -> p_e = 2·(3/5)(2/5) = 12/25 -> (3/5 - 12/25)/(13/25)
    # = 3/13.  Alpha: o_FF = 8, o_AA = 4, o_FA = o_AF = 4; n_F 12, n_A 8, n 20 ->
    # 1 - 19·8/(2·12·8) = 5/24.
    rows = [("F", "F")] * 4 + [("F", "A")] * 3 + [("A", "F")] + [("A", "A")] * 2
    scores = compute_agreement(stance_docs(*rows)).stance.overall
    assert close(scores.cohen_kappa.value, Fraction(1, 5))
    assert close(scores.gwet_ac1.value, Fraction(3, 13))
    assert close(scores.krippendorff_alpha.value, Fraction(5, 24))


def test_kappa_paradox_ac1_stays_high() -> None:
    #            omar NONE  omar FAVOR
    #  amal NONE     18         1
    #  amal FAVOR     1         0
    # p_o = 18/20 = 9/10; marginals NONE 19/20, FAVOR 1/20 for both ->
    # p_e = (19/20)² + (1/20)² = 362/400 -> kappa = (360 - 362)/(400 - 362) = -2/38 = -1/19.
    # AC1 (q = 2): p_e = 2·(19/20)(1/20) = 38/400 -> (360 - 38)/(400 - 38) = 322/362 = 161/181.
    # Alpha: o_NN = 36, o_NF = o_FN = 2; n_N = 38, n_F = 2, n = 40 ->
    # 1 - 39·4 / (2·38·2) = 1 - 156/152 = -1/38.
    rows = [("NONE", "NONE")] * 18 + [("NONE", "FAVOR"), ("FAVOR", "NONE")]
    scores = compute_agreement(stance_docs(*rows)).stance.overall
    assert close(scores.cohen_kappa.value, Fraction(-1, 19))
    assert close(scores.gwet_ac1.value, Fraction(161, 181))
    assert close(scores.krippendorff_alpha.value, Fraction(-1, 38))
    assert scores.percent_agreement == 0.9


def test_three_annotators_alpha_and_ac1() -> None:
    # unit  a  b  c        contribution to the coincidence matrix (pairs / (m_u - 1))
    #  u1   F  F  F        o_FF += 6/2 = 3
    #  u2   F  F  A        o_FF += 2/2, o_FA += 2/2, o_AF += 2/2
    #  u3   A  A  A        o_AA += 3
    #  u4   F  A  -        o_FA += 1, o_AF += 1
    #  u5   N  N  N        o_NN += 3
    #  u6   -  N  A        o_NA += 1, o_AN += 1
    #  u7   F  -  -        single rating: not pairable, left out
    # o_FF 4, o_AA 3, o_NN 3, o_FA = o_AF = 2, o_NA = o_AN = 1 -> n_F 6, n_A 6, n_N 4, n 16.
    # alpha = 1 - (n-1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k = 1 - 15·6 / (2·(36+24+24)) = 13/28.
    # p_a = mean(1, 1/3, 1, 0, 1, 0) = 5/9.
    # pi_F = (1 + 2/3 + 1/2)/6 = 13/36, pi_A = (1/3 + 1 + 1/2 + 1/2)/6 = 14/36, pi_N = 9/36;
    # p_e = (13·23 + 14·22 + 9·27)/36² / (3 - 1) = 425/1296;
    # AC1 = (720 - 425)/(1296 - 425) = 295/871.
    rows = [
        ("F", "F", "F"), ("F", "F", "A"), ("A", "A", "A"), ("F", "A", None),
        ("N", "N", "N"), (None, "N", "A"), ("F", None, None),
    ]  # fmt: skip
    scores = compute_agreement(stance_docs(*rows, names=("a", "b", "c"))).stance.overall
    assert (scores.items, scores.single_rated) == (6, 1)
    assert close(scores.krippendorff_alpha.value, Fraction(13, 28))
    assert close(scores.gwet_ac1.value, Fraction(295, 871))
    assert close(scores.percent_agreement, Fraction(5, 9))
    assert scores.cohen_kappa.value is None
    assert "exactly two annotators; 3 rated" in (scores.cohen_kappa.reason or "")


def test_krippendorffs_published_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", 4 observers x 12 units,
    # nominal alpha = 0.743. Unit 12 has one value and is not pairable.  p_a = 9/11.  AC1 over
    # the 11 pairable units: 0.77515 (irrCAC 0.4.4 on the same 11 units; Gwet's 0.77544 for all
    # 12 units lets unit 12 inform pi_k, which this module leaves out by design).
    table = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    items = [
        {f"r{r}": str(row[u]) for r, row in enumerate(table) if row[u] is not None}
        for u in range(12)
    ]
    scores = stance_scores(items)
    assert (scores.items, scores.single_rated) == (11, 1)
    assert scores.krippendorff_alpha.value == pytest.approx(0.743, abs=5e-4)
    assert close(scores.percent_agreement, Fraction(9, 11))
    assert scores.gwet_ac1.value == pytest.approx(0.77515, abs=5e-6)


def test_per_target_and_pooled() -> None:
    # Target X: (F,F), (A,A) -> kappa 1.  Target Y: (F,A), (A,F) -> p_o 0, p_e 1/2 -> kappa -1.
    # Pooled, four items: p_o 1/2, marginals 1/2 -> p_e 1/2 -> kappa 0.
    work = {
        1: {"amal": W(X="FAVOR", Y="FAVOR"), "omar": W(X="FAVOR", Y="AGAINST")},
        2: {"amal": W(X="AGAINST", Y="AGAINST"), "omar": W(X="AGAINST", Y="FAVOR")},
    }
    stance = compute_agreement(work).stance
    assert list(stance.per_target) == ["X", "Y"]
    assert stance.per_target["X"].cohen_kappa.value == 1.0
    assert stance.per_target["Y"].cohen_kappa.value == -1.0
    assert stance.overall.cohen_kappa.value == 0.0 and stance.overall.items == 4


def test_undefined_coefficients_are_none_with_a_reason_and_json_has_no_nan() -> None:
    # Both always FAVOR: p_e = 1 for kappa (0/0); alpha's expected disagreement is 0 (0/0);
    # AC1 with only the one value seen has q = 1 (undefined) but with the schema's four values
    # p_e = (1·0 + 0 + 0 + 0)/3 = 0 -> AC1 = p_a = 1.
    work = stance_docs(("FAVOR", "FAVOR"), ("FAVOR", "FAVOR"), ("FAVOR", "FAVOR"))
    scores = compute_agreement(work).stance.overall
    assert scores.percent_agreement == 1.0
    for coefficient in (scores.cohen_kappa, scores.krippendorff_alpha, scores.gwet_ac1):
        assert coefficient.value is None and coefficient.reason
    report = compute_agreement(work, stance_values=SCHEMA_VALUES)
    assert report.stance.overall.gwet_ac1.value == 1.0
    assert json.loads(json.dumps(report.to_dict(), allow_nan=False))["stance"]["overall"][
        "cohen_kappa"
    ]["reason"].startswith("both annotators gave every item the same value")


def test_stance_without_two_ratings_on_any_item_is_no_overlap() -> None:
    work = stance_docs(("FAVOR", None), (None, "AGAINST"))
    scores = compute_agreement(work).stance.overall
    assert (scores.status, scores.items, scores.single_rated) == (NO_OVERLAP, 0, 2)
    assert scores.percent_agreement is None
    assert scores.krippendorff_alpha.value is None and scores.gwet_ac1.value is None


def test_report_to_dict_shape_and_streamed_input() -> None:
    work = {
        1: {"amal": W(S(0, 7, "GPE"), T="FAVOR"), "omar": W(S(0, 7, "GPE"), T="FAVOR")},
        2: {"amal": W(T="AGAINST"), "omar": W(T="FAVOR")},
        3: {},
    }
    report = compute_agreement(iter(work.items()))  # a stream of (document, work) pairs
    data = json.loads(json.dumps(report.to_dict(), allow_nan=False))
    assert (data["documents"], data["shared_documents"], data["annotators"]) == (
        2, 2, ["amal", "omar"],
    )  # fmt: skip
    assert set(data) == {"documents", "shared_documents", "annotators", "entities", "stance"}
    pair = data["entities"]["pairs"][0]
    assert pair["exact_match"]["overall"] == {
        "tp": 1, "a_only": 0, "b_only": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0,
    }  # fmt: skip
    assert data["entities"]["average_f1"]["overlap_match"]["per_label"]["GPE"] == {
        "f1": 1.0, "pairs": 1,
    }  # fmt: skip
    # T: agree on doc 1, not on doc 2 -> p_o 1/2; amal F/A, omar F/F -> p_e = 1/2·1 + 1/2·0
    # = 1/2 -> kappa 0.
    overall = data["stance"]["overall"]
    assert overall["cohen_kappa"] == {"value": 0.0, "reason": None}
    assert overall["status"] == "ok" and data["stance"]["per_target"]["T"]["items"] == 2


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["FAVOR", "AGAINST", "NONE", None]), min_size=3, max_size=3),
        min_size=2,
        max_size=25,
    )
)
def test_alpha_matches_the_krippendorff_package(rows: list[list[str | None]]) -> None:
    """Our exact alpha agrees with the reference package (a test-only dependency: GPL)."""
    krippendorff = pytest.importorskip("krippendorff")
    np = pytest.importorskip("numpy")
    from collections import Counter

    from app.core.agreement_stance import krippendorff_alpha

    counts = [Counter(v for v in row if v is not None) for row in rows]
    counts = [c for c in counts if c.total() >= 2]
    values = sorted({v for c in counts for v in c})
    ours = krippendorff_alpha(counts).value
    if len(values) < 2 or not counts:
        assert ours is None
        return
    table = np.array([[c[v] for v in values] for c in counts])
    theirs = krippendorff.alpha(value_counts=table, level_of_measurement="nominal")
    assert ours == pytest.approx(theirs, abs=1e-9)
