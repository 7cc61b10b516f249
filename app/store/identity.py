"""Who acts, and what their role lets them do: the one identity policy of every front end.

- The first user of a database is its admin (the laptop's owner).
- Any other new name is an annotator.
- Only an admin grants reviewer or admin (``tawsim users``); nobody promotes themselves by
  asking: a profile that asks for more than it has is told so and keeps what it has.
- Names an import or a pack brings (the annotators of its sets) are created as annotators.
- Annotation is blind: whatever an annotator reads (exports, packs, the review queue,
  agreement) holds their own sets only (:func:`blind`); reviewers and admins read every set.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.core.domain import Role, User
from app.core.errors import InputError, NotFound, PermissionDenied
from app.core.record_rules import MAX_NAME, word_problem
from app.store.audit import record_audit
from app.store.models import AnnotationSetRecord, UserRecord
from app.store.values import Identity, a_role


def clean_name(name: str) -> str:
    """``name`` without spaces at its ends; refused when it cannot be a name (the rules of a
    name in a file, :func:`app.core.record_rules.word_problem`): whoever acts (``--user``,
    ``TAWSIM_USER``, the GUI's profile) or is named obeys the same rules as an import."""
    name = name.strip()
    if not name:
        raise InputError("a user name must not be empty")
    problem = word_problem(name, MAX_NAME)  # NULs and lone surrogates are controls there
    if problem:
        raise InputError(f"the user name {name[:40]!r} {problem}")
    return name


def find_user(session: Session, name: str) -> UserRecord | None:
    return session.scalar(select(UserRecord).where(UserRecord.name == name.strip()))


def get_user(session: Session, name: str) -> UserRecord:
    user = find_user(session, name)
    if user is None:
        raise NotFound(f"no user named {name!r}")
    return user


def identity(session: Session, name: str) -> Identity:
    """The role ``name`` has here, or the one it would get on first use."""
    name = clean_name(name)
    user = find_user(session, name)
    if user is not None:
        return Identity(name, Role(user.role), True)
    first = session.scalar(select(UserRecord.id).limit(1)) is None
    return Identity(name, Role.ADMIN if first else Role.ANNOTATOR, False)


def blind(session: Session, name: str) -> list[ColumnElement[bool]]:
    """Conditions on annotation sets that keep ``name``'s reading to their own sets when they
    are (or, new, would be) an annotator; none for a reviewer or an admin."""
    who = identity(session, name)
    if who.role is not Role.ANNOTATOR:
        return []
    own = select(UserRecord.id).where(UserRecord.name == who.name)  # none yet: a new name
    return [AnnotationSetRecord.annotator_id.in_(own)]


def refuse_others_work(session: Session, name: str, annotator: str) -> None:
    """Refuse an annotator asking for someone else's sets by name (``pack --annotator``)."""
    who = identity(session, name)
    if who.role is Role.ANNOTATOR and clean_name(annotator) != who.name:
        raise PermissionDenied(
            f"{who.name} is an annotator here, and annotation is blind: an annotator reads only "
            f"their own sets, not {annotator}'s (a reviewer or an admin can)"
        )


def resolve_actor(session: Session, name: str, *, joins: bool = True) -> UserRecord:
    """The user ``name`` acts as, created by the policy above when new (``joins``); on a team
    database (``joins=False``) the login must have been added to the team."""
    who = identity(session, name)
    user = find_user(session, who.name)
    if user is None and not joins:
        raise PermissionDenied(
            f"the database login {who.name} is not a member of this Tawsim team; an admin "
            f"adds it with `tawsim team add {who.name} --role annotator`"
        )
    if user is None:
        user = UserRecord(name=who.name, role=who.role.value)
        session.add(user)
        session.flush()
    return user


def named_annotator(
    session: Session, name: str, uuid: str | None = None
) -> tuple[UserRecord, bool]:
    """The user an imported set belongs to, created as an annotator when new (keeping the
    UUID a pack carries when it is free). Returns the user and whether it was created."""
    name = clean_name(name)
    user = find_user(session, name)
    if user is not None:
        return user, False
    user = UserRecord(name=name, role=Role.ANNOTATOR.value)
    if uuid and session.scalar(select(UserRecord.id).where(UserRecord.uuid == uuid)) is None:
        user.uuid = uuid
    session.add(user)
    session.flush()
    return user, True


def as_user(record: UserRecord) -> User:
    return User(record.name, Role(record.role))


def require_reviewer(user: UserRecord, action: str) -> None:
    if not Role(user.role).can_review:
        raise PermissionDenied(
            f"{user.name} is {a_role(user.role)} and cannot {action}; a reviewer or admin can"
        )


def require_admin(user: UserRecord) -> None:
    if Role(user.role) is not Role.ADMIN:
        raise PermissionDenied(f"{user.name} is {a_role(user.role)}; only an admin manages users")


def require_owner_or_reviewer(user: UserRecord, owner: UserRecord, action: str) -> None:
    if user.id != owner.id and not Role(user.role).can_review:
        raise PermissionDenied(
            f"{user.name} cannot {action} {owner.name}'s annotations; only their annotator "
            "or a reviewer can"
        )


def add_user(session: Session, actor: UserRecord, name: str, role: Role) -> UserRecord:
    require_admin(actor)
    name = clean_name(name)
    if find_user(session, name) is not None:
        raise InputError(f"there is already a user called {name!r}; use set-role")
    user = UserRecord(name=name, role=Role(role).value)
    session.add(user)
    session.flush()
    record_audit(session, actor, "user.add", "user", user.uuid, after={"name": name, "role": role})
    return user


def set_role(session: Session, actor: UserRecord, name: str, role: Role) -> UserRecord:
    """Change a user's role; only an admin may (their own included)."""
    require_admin(actor)
    user = find_user(session, name)
    if user is None:
        raise InputError(f"no user called {name!r}")
    if Role(user.role) is Role.ADMIN and Role(role) is not Role.ADMIN:
        admins = session.scalar(
            select(func.count()).select_from(UserRecord).where(UserRecord.role == Role.ADMIN.value)
        )
        if (admins or 0) <= 1:
            raise PermissionDenied(
                f"{user.name} is the only admin; make someone else an admin first, or nobody "
                "could manage users any more"
            )
    before = {"role": user.role}
    user.role = Role(role).value
    session.flush()
    record_audit(
        session, actor, "user.role", "user", user.uuid, before=before, after={"role": user.role}
    )
    return user


def list_users(session: Session) -> list[User]:
    return [as_user(u) for u in session.scalars(select(UserRecord).order_by(UserRecord.name))]
