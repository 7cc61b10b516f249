"""A team on one PostgreSQL server: Tawsim's users are the server's login roles, and the server
itself enforces what each role may read and change.

``tawsim team init`` (run once by the database's owner) creates three group roles for the
database (``tawsim_<database>_annotator``, ``_reviewer``, ``_admin``), grants them what their
role needs, and turns on row-level security:

- an annotator's connection reads the documents and its own sets only (spans, stances and
  audit entries of others are invisible, as if absent), creates its own sets, changes them
  only while they are in progress or rejected (and only hands them in: it cannot approve,
  reject, or sign a decision), and cannot change documents, users, roles or the schema;
- a reviewer reads every set and decides, imports documents, and names annotators (users the
  imported sets belong to) but cannot give anyone another role;
- an admin manages the team's accounts (``team add``, ``role``, ``remove``: login roles with
  ``CREATEROLE``).

The connection's login (``session_user``) is the Tawsim user: :func:`acting_user` in the
policies, :attr:`app.store.database.Database.team` in Python. Passwords travel only to the
server, hashed by libpq (SCRAM) before they leave; nothing here stores them.

The policies are applied again after every migration of a team database (new tables get the
same grants); :func:`apply_policies` is idempotent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from app.core.domain import Role
from app.core.errors import InputError, NotFound, PermissionDenied
from app.store.audit import record_audit
from app.store.identity import (
    add_user,
    clean_name,
    find_user,
    get_user,
    list_users,
    require_admin,
    set_role,
)
from app.store.models import UserRecord
from app.store.project import DATABASE_UUID_KEY, put_setting, setting

TEAM_KEY = "team_roles"
"""The setting naming the team's group roles (their common prefix); absent: not a team."""

ROLE_NAME_BYTES = 63  # PostgreSQL's identifier limit
RESERVED = {"public", "none", "current_user", "session_user", "current_role", "postgres"}


@dataclass(frozen=True, slots=True)
class Team:
    """What a connection to a team database knows about itself."""

    prefix: str  # of the group roles
    login: str  # the connection's login role: the Tawsim user it acts as

    def group(self, role: Role) -> str:
        return f"{self.prefix}_{role.value}"

    @property
    def groups(self) -> dict[Role, str]:
        return {role: self.group(role) for role in Role}


def group_prefix(database: str) -> str:
    """The group roles' prefix for a database: ``tawsim_`` and its name in lower-case letters,
    digits and ``_`` (group roles are the server's, shared by all its databases)."""
    cleaned = re.sub(r"[^a-z0-9_]+", "_", database.lower()).strip("_") or "db"
    return f"tawsim_{cleaned}"[:50]


def quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


def check_login_name(name: str) -> None:
    """A Tawsim user name that can be a PostgreSQL login role's."""
    if len(name.encode("utf-8")) > ROLE_NAME_BYTES:
        raise InputError(
            f"{name!r} is too long for a PostgreSQL login ({ROLE_NAME_BYTES} bytes at most: "
            "about 30 Arabic letters); choose a shorter name"
        )
    if name.lower() in RESERVED or name.lower().startswith(("pg_", "tawsim_")):
        raise InputError(f"{name!r} is reserved by PostgreSQL or Tawsim; choose another name")


# -- what each role may do ---------------------------------------------------------------------

ACTING_USER = """CREATE OR REPLACE FUNCTION tawsim_acting_user() RETURNS integer
LANGUAGE sql STABLE AS $$ SELECT id FROM users WHERE name = session_user $$"""
"""The Tawsim user of the connection's login (NULL for a login that is not a user)."""

EDITABLE = "status IN ('in_progress', 'rejected')"
OWN_SETS = "SELECT id FROM annotation_sets WHERE annotator_id = tawsim_acting_user()"
DECIDED_BY_A_REVIEWER = "reviewed_by_id IN (SELECT id FROM users WHERE role <> 'annotator')"

# (table, policy name, command, to whom, USING, WITH CHECK); A/R/M: annotator/reviewer/admin.
POLICIES = (
    ("annotation_sets", "tawsim_decide", "ALL", "RM", "true", "true"),
    ("annotation_sets", "tawsim_own_read", "SELECT", "A", "annotator_id = tawsim_acting_user()",
     None),
    ("annotation_sets", "tawsim_own_create", "INSERT", "A", None,
     "annotator_id = tawsim_acting_user() AND status IN ('in_progress', 'submitted') "
     "AND reviewed_by_id IS NULL"),
    ("annotation_sets", "tawsim_own_change", "UPDATE", "A",
     f"annotator_id = tawsim_acting_user() AND {EDITABLE}",
     "annotator_id = tawsim_acting_user() AND ((status IN ('in_progress', 'submitted') AND "
     f"reviewed_by_id IS NULL) OR (status = 'rejected' AND {DECIDED_BY_A_REVIEWER}))"),
    ("spans", "tawsim_review", "ALL", "RM", "true", "true"),
    ("spans", "tawsim_own_read", "SELECT", "A", f"set_id IN ({OWN_SETS})", None),
    ("spans", "tawsim_own_change", "ALL", "A", f"set_id IN ({OWN_SETS} AND {EDITABLE})",
     f"set_id IN ({OWN_SETS} AND {EDITABLE})"),
    ("stances", "tawsim_review", "ALL", "RM", "true", "true"),
    ("stances", "tawsim_own_read", "SELECT", "A", f"set_id IN ({OWN_SETS})", None),
    ("stances", "tawsim_own_change", "ALL", "A", f"set_id IN ({OWN_SETS} AND {EDITABLE})",
     f"set_id IN ({OWN_SETS} AND {EDITABLE})"),
    ("audit_log", "tawsim_review", "ALL", "RM", "true", "true"),
    ("audit_log", "tawsim_own", "ALL", "A", "user_id = tawsim_acting_user()",
     "user_id = tawsim_acting_user()"),
    ("settings", "tawsim_read", "SELECT", "ARM", "true", None),
    ("settings", "tawsim_project", "ALL", "RM", f"key <> '{TEAM_KEY}'", f"key <> '{TEAM_KEY}'"),
    ("users", "tawsim_read", "SELECT", "ARM", "true", None),
    ("users", "tawsim_name_annotators", "INSERT", "R", None, "role = 'annotator'"),
    ("users", "tawsim_manage", "ALL", "M", "true", "true"),
)  # fmt: skip

ANNOTATOR_WRITES = {
    "annotation_sets": "INSERT, UPDATE (status, reviewed_by_id, reviewed_at, updated_at, version)",
    "spans": "INSERT, UPDATE, DELETE",
    "stances": "INSERT, UPDATE, DELETE",
    "audit_log": "INSERT",
}
REVIEWER_READ_ONLY = {"alembic_version"}
WRITES = {
    ("users", Role.REVIEWER): "INSERT",  # names the annotators of imported work
    ("users", Role.ADMIN): "INSERT, UPDATE",
    ("audit_log", Role.REVIEWER): "INSERT",  # the log is written, never rewritten
    ("audit_log", Role.ADMIN): "INSERT",
    ("documents", Role.REVIEWER): "INSERT",  # a stored text is never altered after import
    ("documents", Role.ADMIN): "INSERT, DELETE",
}
"""What reviewers and admins may write where it is less than INSERT, UPDATE, DELETE."""
KEPT_COUNT_TRIGGERS = ("tawsim_tally_documents()", "tawsim_tally_sets()")
"""Trigger functions that keep counts in tables no member writes: run as their owner."""


def apply_policies(conn: Connection, team: Team) -> None:
    """Grants and row-level security for ``team``'s group roles (idempotent; the owner's)."""
    groups = {role: quote(conn, name) for role, name in team.groups.items()}
    everyone = ", ".join(groups.values())
    database = quote(conn, conn.execute(text("SELECT current_database()")).scalar_one())
    tables = list(
        conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
    )
    statements = [
        ACTING_USER,
        f"REVOKE CONNECT, TEMPORARY ON DATABASE {database} FROM PUBLIC",
        f"GRANT CONNECT ON DATABASE {database} TO {everyone}",
        "REVOKE ALL ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {everyone}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {everyone}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {everyone}",
        f"GRANT EXECUTE ON FUNCTION tawsim_acting_user() TO {everyone}",
    ]
    for table in tables:
        for role in (Role.ANNOTATOR, Role.REVIEWER, Role.ADMIN):
            statements.append(f"REVOKE INSERT, UPDATE, DELETE ON {table} FROM {groups[role]}")
        if table in ANNOTATOR_WRITES:
            statements.append(
                f"GRANT {ANNOTATOR_WRITES[table]} ON {table} TO {groups[Role.ANNOTATOR]}"
            )
        if table in REVIEWER_READ_ONLY:
            continue
        for role in (Role.REVIEWER, Role.ADMIN):
            rights = WRITES.get((table, role), "INSERT, UPDATE, DELETE")
            statements.append(f"GRANT {rights} ON {table} TO {groups[role]}")
    statements += [
        f"ALTER FUNCTION {f} SECURITY DEFINER SET search_path = public, pg_temp"
        for f in KEPT_COUNT_TRIGGERS
    ]
    for table in sorted({p[0] for p in POLICIES}):
        statements.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    letters = {"A": Role.ANNOTATOR, "R": Role.REVIEWER, "M": Role.ADMIN}
    for table, name, command, whom, using, check in POLICIES:
        to = ", ".join(groups[letters[c]] for c in whom)
        sql = f"CREATE POLICY {name} ON {table} FOR {command} TO {to}"
        sql += f" USING ({using})" if using else ""
        sql += f" WITH CHECK ({check})" if check else ""
        statements += [f"DROP POLICY IF EXISTS {name} ON {table}", sql]
    for statement in statements:
        conn.execute(text(statement))


# -- accounts ----------------------------------------------------------------------------------


def role_exists(conn: Connection, name: str) -> bool:
    found = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name})
    return found.scalar() is not None


def create_groups(conn: Connection, team: Team) -> None:
    for name in team.groups.values():
        if not role_exists(conn, name):
            conn.execute(text(f"CREATE ROLE {quote(conn, name)} NOLOGIN"))


OWNER = "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"


def require_owner(conn: Connection) -> None:
    """Only the database's owner (or a superuser) sets a team up."""
    row = conn.execute(
        text(
            "SELECT r.rolsuper OR d.datdba = r.oid, r.rolsuper OR r.rolcreaterole "
            "FROM pg_roles r, pg_database d "
            "WHERE r.rolname = session_user AND d.datname = current_database()"
        )
    ).one()
    if not row[0]:
        raise PermissionDenied(
            "only the database's owner (or a PostgreSQL superuser) sets up a team on it"
        )
    if not row[1]:
        raise PermissionDenied(
            "setting up a team creates PostgreSQL roles: the owner needs the CREATEROLE right "
            "(ALTER ROLE ... CREATEROLE, by a superuser)"
        )


def hashed_password(session: Session, login: str, password: str) -> str:
    """``password`` as the SCRAM verifier libpq computes (what ``psql``'s ``\\password``
    sends): the password itself never reaches the server or its logs."""
    raw = session.connection().connection.driver_connection
    verifier: bytes = raw.pgconn.encrypt_password(  # type: ignore[union-attr]
        password.encode("utf-8"), login.encode("utf-8"), b"scram-sha-256"
    )
    return verifier.decode("ascii")


def create_login(session: Session, name: str, role: Role, password: str) -> None:
    conn = session.connection()
    verifier = hashed_password(session, name, password)
    admin = " CREATEROLE" if role is Role.ADMIN else ""
    # Not text(): a verifier holds colons, which it would take for parameters.
    conn.exec_driver_sql(f"CREATE ROLE {quote(conn, name)} LOGIN{admin} PASSWORD '{verifier}'")


def set_membership(conn: Connection, team: Team, name: str, role: Role | None) -> None:
    """Make login ``name`` a member of ``role``'s group only (``None``: of none), with the
    right to manage roles exactly when it is an admin."""
    login = quote(conn, name)
    for each, group in team.groups.items():
        if each is not role:
            conn.execute(text(f"REVOKE {quote(conn, group)} FROM {login}"))
    if role is not None:
        conn.execute(text(f"GRANT {quote(conn, team.group(role))} TO {login}"))
    creates = "CREATEROLE" if role is Role.ADMIN else "NOCREATEROLE"
    superuser = conn.execute(
        text("SELECT rolsuper FROM pg_roles WHERE rolname = :n"), {"n": name}
    ).scalar()
    if not superuser:
        conn.execute(text(f"ALTER ROLE {login} {creates}"))


def memberships(conn: Connection, team: Team) -> dict[str, Role]:
    """Each login of the team and the role its group gives it."""
    by_group = {group: role for role, group in team.groups.items()}
    rows = conn.execute(
        text(
            "SELECT m.rolname, g.rolname FROM pg_auth_members a "
            "JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member "
            "WHERE g.rolname = ANY(:groups)"
        ),
        {"groups": list(by_group)},
    )
    return {member: by_group[group] for member, group in rows}


def drop_login_if_unused(conn: Connection, name: str) -> bool:
    """Drop login ``name`` when nothing else keeps it: a membership (another team's), an
    object it owns or a right granted to it anywhere on the server."""
    left = conn.execute(
        text(
            "SELECT (SELECT count(*) FROM pg_auth_members WHERE member = r.oid) "
            "+ (SELECT count(*) FROM pg_shdepend WHERE refobjid = r.oid) "
            "FROM pg_roles r WHERE r.rolname = :n"
        ),
        {"n": name},
    ).scalar_one()
    if left:
        return False
    conn.execute(text(f"DROP ROLE {quote(conn, name)}"))
    return True


# -- the team's operations (each inside the caller's transaction) -------------------------------


def init_team(session: Session) -> Team:
    """Set the database up for a team, its owner acting (an admin of it): group roles, grants,
    policies, and the owner's Tawsim user. Run again, it renews the grants and policies."""
    conn = session.connection()
    require_owner(conn)
    login, database = conn.execute(text("SELECT session_user, current_database()")).one()
    team = Team(setting(session, TEAM_KEY) or group_prefix(database), login)
    create_groups(conn, team)
    apply_policies(conn, team)
    owner = find_user(session, login)
    if owner is None:
        owner = UserRecord(name=login, role=Role.ADMIN.value)
        session.add(owner)
    owner.role = Role.ADMIN.value
    session.flush()
    put_setting(session, TEAM_KEY, team.prefix)
    record_audit(
        session, owner, "team.init", "team", setting(session, DATABASE_UUID_KEY) or "",
        after={"groups": list(team.groups.values()), "owner": login},
    )  # fmt: skip
    return team


def add_member(
    session: Session, actor: UserRecord, team: Team, name: str, role: Role, password: str
) -> bool:
    """Give ``name`` a login in ``role`` (an existing login keeps its password) and the Tawsim
    user it acts as; returns whether the login was created (with ``password``)."""
    require_admin(actor)
    name = clean_name(name)
    check_login_name(name)
    conn = session.connection()
    created = not role_exists(conn, name)
    if created:
        create_login(session, name, role, password)
    set_membership(conn, team, name, role)
    user = find_user(session, name)
    if user is None:
        add_user(session, actor, name, role)
    elif user.role != role.value:
        set_role(session, actor, name, role)
    return created


def change_role(session: Session, actor: UserRecord, team: Team, name: str, role: Role) -> None:
    """Move ``name`` to ``role``: its group on the server and its Tawsim role together."""
    user = set_role(session, actor, name, role)  # an admin only; never the last admin away
    if not role_exists(session.connection(), user.name):
        raise NotFound(f"{user.name} has no database login; `tawsim team add` gives them one")
    set_membership(session.connection(), team, user.name, role)


def remove_member(session: Session, actor: UserRecord, team: Team, name: str) -> bool:
    """Take ``name`` out of the team: no group, so no connection to this database. Their
    sets stay, as an annotator's. Returns whether their login was dropped (no other team
    or role keeps it)."""
    require_admin(actor)
    user = get_user(session, name)
    if user.id == actor.id:
        raise PermissionDenied("you cannot remove yourself; another admin can")
    if user.role != Role.ANNOTATOR.value:
        set_role(session, actor, user.name, Role.ANNOTATOR)  # never the last admin
    conn = session.connection()
    if not role_exists(conn, user.name):
        raise NotFound(f"{user.name} has no database login")
    set_membership(conn, team, user.name, None)
    record_audit(session, actor, "team.remove", "user", user.uuid, before={"name": user.name})
    return drop_login_if_unused(conn, user.name)


def members(session: Session, team: Team) -> list[tuple[str, Role, bool]]:
    """``(name, role, has a login in the team)`` of every Tawsim user."""
    conn = session.connection()
    logins = set(memberships(conn, team))
    logins.add(conn.execute(text(OWNER)).scalar_one())
    return [(u.name, u.role, u.name in logins) for u in list_users(session)]
