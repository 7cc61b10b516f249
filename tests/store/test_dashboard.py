"""The dashboard's figures (core.dashboard) on a small corpus built through the core, with
hand-counted answers: sets per status, spans per label, stance per target, decisions per day,
agreement per ISO week; and blind annotation (an annotator's figures hold their own work)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from app.core.commands import AddSpan, Approve
from app.core.dashboard import AnnotatorSets, DecisionDay, LabelCount, StanceCount
from app.core.domain import EntitySpan, Role, SetStatus
from app.store import dashboard_queries
from app.store.core import Tawsim
from app.store.database import Database
from app.store.models import AnnotationSetRecord
from tests.conftest import as_user, store_set
from tests.dashboard_corpus import (
    CHINA,
    DAY1,
    DAY2,
    DAY3,
    JAPAN,
    SARA,
    TEXT5,
    WEEK_A,
    WEEK_B,
    WEEK_C,
    Corpus,
    build_corpus,
    span,
)
from tests.postgres import PostgresServer
from tests.teams import ARTICLE, team_database


@pytest.fixture
def corpus(db: Database, tmp_path: Path) -> Corpus:
    return build_corpus(db, tmp_path)


def test_a_reviewer_sees_every_figure(corpus: Corpus) -> None:
    board = as_user(corpus.db, "rana", Role.REVIEWER).dashboard()
    assert board.viewer == "rana" and not board.own_work_only
    assert board.documents == 5
    assert board.annotators == (
        AnnotatorSets("amal", in_progress=0, submitted=3, approved=1, rejected=0),
        AnnotatorSets("omar", in_progress=1, submitted=2, approved=0, rejected=1),
        AnnotatorSets(SARA, approved=1),
    )
    assert board.label_counts == (
        LabelCount("amal", "DATE", 1, 0),
        LabelCount("amal", "GPE", 3, 1),
        LabelCount("amal", "ORG", 1, 1),
        LabelCount("amal", "PER", 1, 0),
        LabelCount("omar", "DATE", 1, 0),
        LabelCount("omar", "GPE", 2, 0),  # document 2 is in progress: not counted
        LabelCount("omar", "ORG", 1, 0),
        LabelCount("omar", "PER", 1, 0),
        LabelCount(SARA, "GPE", 1, 1),
    )
    approved = board.spans_by_label(approved=True)
    assert {k: v for k, v in approved.items() if v} == {"GPE": 2, "ORG": 1}
    assert list(approved)[:3] == ["PER", "ORG", "GPE"]  # the schema's order
    assert board.spans_by_label()["GPE"] == 6
    assert board.stances == (
        StanceCount(CHINA, "AGAINST", 1, 0),  # approved, then reopened
        StanceCount(CHINA, "NEUTRAL", 1, 1),
        StanceCount(JAPAN, "FAVOR", 2, 1),
    )
    assert board.stance_by_target() == {CHINA: {"NEUTRAL": 1}, JAPAN: {"FAVOR": 1}}
    assert board.decisions == (
        DecisionDay(DAY1, approved=1, rejected=1),
        DecisionDay(DAY2, approved=1),
        DecisionDay(DAY3, approved=1, reopened=1),
    )
    assert board.decision_totals.total == 5


def test_agreement_per_iso_week_of_the_last_hand_in(corpus: Corpus) -> None:
    board = as_user(corpus.db, "rana", Role.REVIEWER).dashboard()
    assert [w.week for w in board.agreement] == [WEEK_A, WEEK_B, WEEK_C]
    assert board.agreement_weeks == 3 and not board.agreement_sampled
    imported, boundary, same = board.agreement
    assert (imported.monday, boundary.monday, same.monday) == (
        date(2025, 1, 27),
        date(2025, 3, 3),
        date(2025, 3, 10),
    )
    assert [w.documents for w in board.agreement] == [1, 1, 1]
    assert imported.entity_f1 == 1.0 and same.entity_f1 == 1.0
    # Document 1: the GPE matches, the ORG differs by the و: P = R = 1/2 exact, 1 overlapping.
    assert boundary.entity_f1 == pytest.approx(0.5) and boundary.overlap_f1 == pytest.approx(1.0)
    assert boundary.stance_items == 1 and same.stance_items == 0
    assert same.stance_alpha is None and same.stance_kappa is None


def test_an_annotator_sees_only_their_own_work(corpus: Corpus) -> None:
    board = Tawsim(corpus.db, "amal").dashboard()
    assert board.own_work_only and board.viewer == "amal"
    assert [a.annotator for a in board.annotators] == ["amal"]
    assert {c.annotator for c in board.label_counts} == {"amal"}
    assert board.stances == (
        StanceCount(CHINA, "AGAINST", 1, 0),
        StanceCount(JAPAN, "FAVOR", 1, 1),
    )
    # The decisions on amal's sets only: not omar's rejection, not sara's approval.
    assert board.decisions == (
        DecisionDay(DAY1, approved=1),
        DecisionDay(DAY2, approved=1),
        DecisionDay(DAY3, reopened=1),
    )
    assert board.agreement == () and board.agreement_weeks == 0

    sara = Tawsim(corpus.db, SARA).dashboard()
    assert [a.annotator for a in sara.annotators] == [SARA]
    assert sara.decisions == (DecisionDay(DAY3, approved=1),)
    assert {s.target for s in sara.stances} == {CHINA}


def test_a_new_name_would_be_an_annotator_and_sees_nothing(corpus: Corpus) -> None:
    board = Tawsim(corpus.db, "newcomer").dashboard()
    assert board.own_work_only
    assert board.annotators == board.label_counts == board.stances == board.decisions == ()
    assert board.documents == 5  # every document is there to annotate, as text


def test_an_empty_database(db: Database) -> None:
    board = as_user(db, "admin", Role.ADMIN).dashboard()
    assert board.documents == 0
    assert board.annotators == board.decisions == board.agreement == ()
    assert [x.name for x in board.labels][:3] == ["PER", "ORG", "GPE"]


def test_a_big_week_is_sampled_the_same_way_every_time(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard_queries, "AGREEMENT_PER_WEEK", 3)
    admin = as_user(db, "admin", Role.ADMIN)
    for n in range(5):
        text = f"{TEXT5} {n}"
        for who in ("amal", "omar"):
            store_set(admin, text, who, SetStatus.SUBMITTED, [span(text, "القاهرة", "GPE")])
    first, again = admin.dashboard(), admin.dashboard()
    [week] = first.agreement
    assert (week.documents, week.measured, week.sampled) == (5, 3, True)
    assert first.agreement_sampled and first.agreement == again.agreement
    assert week.entity_f1 == 1.0


def test_weeks_beyond_the_last_ones_are_counted_not_scored(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard_queries, "AGREEMENT_WEEKS", 2)
    admin = as_user(db, "admin", Role.ADMIN)
    for week in range(3):
        text = f"{TEXT5} {week}"
        for who in ("amal", "omar"):
            store_set(admin, text, who, SetStatus.SUBMITTED)
        with db.session() as session, session.begin():
            doc = admin.page_ids(admin.query(), None, 10)[-1]
            session.execute(
                update(AnnotationSetRecord)
                .where(AnnotationSetRecord.document_id == doc)
                .values(created_at=datetime(2025, 6, 2 + 7 * week, tzinfo=UTC))
            )
    board = admin.dashboard()
    assert board.agreement_weeks == 3
    assert [w.week for w in board.agreement] == ["2025-W24", "2025-W25"]


def test_on_a_team_database_the_server_keeps_the_annotators_apart(
    postgres: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same figures through each login's own connection (row-level security): the
    reviewer sees both annotators; an annotator their own sets, and not the decision on them,
    whose audit row is the reviewer's (the server shows an annotator their own audit rows)."""
    monkeypatch.delenv("TAWSIM_USER", raising=False)
    with team_database(postgres) as team:
        doc = None
        for who, label in (("amal", "ORG"), ("badr", "LOC")):
            core = team.core(who)
            doc = core.page_ids(core.query(), None, 1)[0]
            start = ARTICLE.index("أرامكو")
            core.perform(AddSpan(doc, EntitySpan(start, start + 6, label), f"0-{who}"))
            core.submit(doc)
            core.close()
        rana = team.core("rana")
        assert doc is not None
        key = next(s.uuid for s in rana.sets(doc) if s.annotator == team.names["amal"])
        rana.perform(Approve(key))
        board = rana.dashboard()
        assert {a.annotator for a in board.annotators} == {team.names["amal"], team.names["badr"]}
        assert board.decision_totals.approved == 1
        [week] = board.agreement
        assert week.documents == 1 and week.entity_f1 == 0.0
        amal = team.core("amal").dashboard()
        assert amal.own_work_only
        assert [a.annotator for a in amal.annotators] == [team.names["amal"]]
        assert {c.annotator for c in amal.label_counts} == {team.names["amal"]}
        assert amal.decisions == () and amal.agreement == ()
