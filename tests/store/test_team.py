"""A team on one PostgreSQL server: logins are users, and the database enforces the roles.

Each test sets a fresh database up as its owner (the throwaway server's superuser) with
``tawsim team init`` and adds two annotators and a reviewer; then it acts as each login, through
Tawsim and with plain SQL, as someone with ``psql`` and a grudge would.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from sqlalchemy.exc import DBAPIError

from app.core.commands import AddSpan, Approve
from app.core.domain import EntitySpan, Role, Selection, SetStatus
from app.core.errors import DatabaseError, NotFound, PermissionDenied
from app.core.records import DocumentData, Record, SetData
from app.store.core import Tawsim
from app.store.database import Database
from tests.cli.test_cli import tawsim
from tests.postgres import PostgresServer
from tests.teams import ARTICLE, Team, next_name, team_database


@pytest.fixture
def team(postgres: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Team]:
    monkeypatch.delenv("TAWSIM_USER", raising=False)
    with team_database(postgres) as made:
        yield made


def first_document(core: Tawsim) -> int:
    return core.page_ids(core.query(), None, 1)[0]


def label_and_submit(team: Team, who: str, label: str = "ORG") -> int:
    core = team.core(who)
    doc = first_document(core)
    start = ARTICLE.index("أرامكو")
    core.perform(AddSpan(doc, EntitySpan(start, start + len("أرامكو"), label), f"0-{who}"))
    core.submit(doc)
    core.close()
    return doc


def refused(team: Team, who: str, statement: str) -> str:
    """What the server said refusing ``statement`` from ``who`` for want of privileges."""
    with pytest.raises(DBAPIError) as caught:
        team.sql(who, statement)
    assert getattr(caught.value.orig, "sqlstate", None) == "42501", caught.value.orig
    return str(caught.value.orig)


def test_the_login_is_the_user_and_no_name_can_be_claimed(team: Team) -> None:
    amal = team.core("amal")
    assert amal.actor.name == team.names["amal"] and amal.actor.role is Role.ANNOTATOR
    assert team.core("rana").actor.role is Role.REVIEWER
    with pytest.raises(PermissionDenied, match="act as your database login"):
        Tawsim(amal.db, team.names["rana"])
    with pytest.raises(PermissionDenied, match="team add"):
        amal.add_user("someone", Role.ADMIN)


def test_an_annotator_reads_only_their_own_sets_even_with_plain_sql(team: Team) -> None:
    doc = label_and_submit(team, "amal")
    label_and_submit(team, "badr", "LOC")
    amal_id, badr_id = (
        team.sql("owner", f"SELECT id FROM users WHERE name = '{team.names[w]}'")[0][0]
        for w in ("amal", "badr")
    )
    assert team.sql("badr", "SELECT annotator_id FROM annotation_sets") == [(badr_id,)]
    assert team.sql("badr", "SELECT label FROM spans") == [("LOC",)]
    assert {r[0] for r in team.sql("badr", "SELECT user_id FROM audit_log")} == {badr_id}
    # The documents are everyone's; the owner sees both sets.
    assert len(team.sql("badr", "SELECT id FROM documents")) == 2
    assert {r[0] for r in team.sql("owner", "SELECT annotator_id FROM annotation_sets")} == {
        amal_id,
        badr_id,
    }
    # Through Tawsim as well: an export of everything is their own work and the texts.
    badr = team.core("badr")
    sets = [r.annotation for r in badr.records(Selection.ALL) if r.annotation is not None]
    assert [s.annotator for s in sets] == [team.names["badr"]]
    assert [s.annotator for s in team.core("rana").sets(doc)] == [
        team.names["amal"],
        team.names["badr"],
    ]


def test_an_annotator_cannot_approve_reject_or_touch_others_work_with_plain_sql(
    team: Team,
) -> None:
    label_and_submit(team, "amal")
    label_and_submit(team, "badr", "LOC")
    badr = team.names["badr"]
    own = "(SELECT id FROM annotation_sets WHERE annotator_id = tawsim_acting_user())"
    # Their own submitted set is no longer theirs to change, let alone approve.
    assert team.sql("badr", f"UPDATE annotation_sets SET status = 'approved' WHERE id IN {own} "
                    "RETURNING id") == []  # fmt: skip
    assert team.sql("badr", "UPDATE spans SET label = 'PER' RETURNING id") == []
    assert team.sql("badr", "DELETE FROM spans RETURNING id") == []
    # Someone else's set is invisible, and cannot be added to.
    amal = team.names["amal"]
    amal_set = team.sql(
        "owner",
        "SELECT s.id FROM annotation_sets s JOIN users u ON u.id = s.annotator_id "
        f"WHERE u.name = '{amal}'",
    )[0][0]
    assert "row-level security" in refused(
        team, "badr",
        f"INSERT INTO spans (uuid, set_id, start, \"end\", label) VALUES "
        f"('x-1', {amal_set}, 0, 3, 'PER')",
    )  # fmt: skip
    # A set made to look approved or decided by someone is refused as it is made.
    assert "row-level security" in refused(
        team, "badr",
        "INSERT INTO annotation_sets (uuid, document_id, annotator_id, status, comment, "
        "created_at, updated_at, version) SELECT 'x-2', max(id), tawsim_acting_user(), "
        "'approved', '', now(), now(), 1 FROM documents",
    )  # fmt: skip
    # Documents, users, roles, settings and the schema are not theirs to change.
    for statement in (
        "UPDATE documents SET title = 'x'",
        "DELETE FROM documents",
        f"UPDATE users SET role = 'admin' WHERE name = '{badr}'",
        "UPDATE settings SET value = 'x'",
        "DELETE FROM audit_log",
        "ALTER TABLE spans DISABLE ROW LEVEL SECURITY",
        "CREATE TABLE mine (x int)",
        "DELETE FROM annotation_sets",
        f'GRANT "tawsim_{team.database}_reviewer" TO "{badr}"',
    ):
        refused(team, "badr", statement)
    # Nothing of the above changed anything.
    assert team.sql("owner", "SELECT status, count(*) FROM annotation_sets GROUP BY status") == [
        ("submitted", 2)
    ]
    assert sorted(team.sql("owner", "SELECT label FROM spans")) == [("LOC",), ("ORG",)]


def test_the_core_refuses_an_annotator_what_the_database_would(team: Team) -> None:
    doc = label_and_submit(team, "amal")
    amal = team.core("amal")
    uuid = amal.sets(doc)[0].uuid
    with pytest.raises(PermissionDenied, match="cannot approve"):
        amal.perform(Approve(uuid))
    with pytest.raises(PermissionDenied, match="imports documents"):
        amal.ingest([Record(DocumentData("نص جديد"))])
    assert not amal.may_index and amal.build_search_index() == 0
    # The reviewer decides, through the core, and the database lets them.
    rana = team.core("rana")
    rana.perform(Approve(uuid))
    assert amal.sets(doc)[0].status is SetStatus.APPROVED
    assert rana.may_index


def test_a_reviewer_names_annotators_but_makes_nobody_admin(team: Team) -> None:
    rana = team.core("rana")
    report = rana.ingest(
        [Record(DocumentData("نص ثالث"), SetData("imported-someone", SetStatus.SUBMITTED))]
    )
    assert report.users_added == ["imported-someone"]
    assert "row-level security" in refused(
        team, "rana", "INSERT INTO users (uuid, name, role, created_at) "
        "VALUES ('x-3', 'boss', 'admin', now())",
    )  # fmt: skip
    with pytest.raises(PermissionDenied, match="only an admin"):
        rana.set_role(team.names["amal"], Role.REVIEWER)
    # The audit log is written, never rewritten, by reviewers and admins alike.
    refused(team, "rana", "DELETE FROM audit_log")
    refused(team, "rana", "UPDATE audit_log SET action = 'x'")
    refused(team, "rana", "UPDATE users SET role = 'admin'")
    refused(team, "rana", "UPDATE documents SET text = 'x'")  # texts stay as imported


def test_roles_change_and_people_leave_on_the_server_too(team: Team) -> None:
    doc = label_and_submit(team, "amal")
    owner = team.core("owner")
    owner.team_role(team.names["rana"], Role.ANNOTATOR)
    rana = team.core("rana")
    assert rana.actor.role is Role.ANNOTATOR
    assert team.sql("rana", "SELECT id FROM annotation_sets") == []  # blind now
    with pytest.raises(NotFound):  # the set is not hers to see
        rana.perform(Approve(owner.sets(doc)[0].uuid))
    # A second admin made by the owner manages the team in turn (CREATEROLE).
    owner.team_role(team.names["badr"], Role.ADMIN)
    badr = team.core("badr")
    assert badr.team_remove(team.names["rana"])  # her login goes: it served only this team
    with pytest.raises(DatabaseError):
        team.core("rana")
    assert {(n, r, has) for n, r, has in badr.team_members() if n == team.names["rana"]} == {
        (team.names["rana"], Role.ANNOTATOR, False)
    }
    with pytest.raises(PermissionDenied, match="yourself"):
        badr.team_remove(team.names["badr"])
    owner.team_role(team.names["badr"], Role.ANNOTATOR)
    with pytest.raises(PermissionDenied, match="only admin"):
        owner.team_role(owner.actor.name, Role.REVIEWER)


def test_a_login_outside_the_team_cannot_connect(team: Team) -> None:
    stranger = next_name("stranger")
    team.server.execute(f"CREATE ROLE {stranger} LOGIN PASSWORD 'pw-{stranger}'")
    team.names["stranger"] = stranger
    with pytest.raises(DatabaseError, match="permission denied for database"):
        team.core("stranger")


def test_the_command_line_on_a_team_database(team: Team, tmp_path) -> None:
    def said(done: subprocess.CompletedProcess[str]) -> str:
        assert "Traceback" not in done.stderr, done.stderr
        return done.stdout + done.stderr

    amal = team.url("amal")
    done = tawsim("--user", team.names["rana"], "stats", db=amal)
    assert done.returncode != 0 and "act as your database login" in said(done)
    done = tawsim("team", "add", "x_someone", db=amal)
    assert done.returncode != 0 and "only an admin" in said(done)
    done = tawsim("team", "list", db=amal)
    assert done.returncode == 0 and team.names["rana"] in said(done)
    done = tawsim("team", "add", next_name("new"), db=team.url("owner"))
    assert done.returncode == 0 and "shown once" in said(done)
    done = tawsim("team", "init", db=tmp_path / "solo.db")
    assert done.returncode != 0 and "PostgreSQL" in said(done)


def test_an_upgrade_by_the_owner_renews_the_rules_and_only_the_owner_upgrades(
    team: Team,
) -> None:
    from alembic import command

    from app.store.database import alembic_config

    owner = Database(team.url("owner"), migrate_on_open=False)
    command.downgrade(alembic_config(owner.engine), "0010")  # drops the sets' version column
    owner.close()
    with pytest.raises(DatabaseError, match="only its owner can upgrade"):
        team.core("amal")
    team.core("owner").close()  # upgrades, and grants the new column again
    label_and_submit(team, "amal")  # writes the version column
    assert team.sql("owner", "SELECT version FROM annotation_sets") == [(3,)]
