"""Users and the role checks every service makes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.domain import Role
from app.core.errors import NotFound, PermissionDenied
from app.store.models import UserRecord
from app.store.services.audit import record_audit


def find_user(session: Session, name: str) -> UserRecord | None:
    return session.scalar(select(UserRecord).where(UserRecord.name == name))


def get_user(session: Session, name: str) -> UserRecord:
    user = find_user(session, name)
    if user is None:
        raise NotFound(f"no user named {name!r}")
    return user


def ensure_user(session: Session, name: str, role: Role = Role.ANNOTATOR) -> UserRecord:
    """The user called ``name``, created with ``role`` if new (an existing role is kept)."""
    name = name.strip()
    if not name:
        raise PermissionDenied("a user name must not be empty")
    user = find_user(session, name)
    if user is None:
        user = UserRecord(name=name, role=Role(role).value)
        session.add(user)
        session.flush()
    return user


def role_of(user: UserRecord) -> Role:
    return Role(user.role)


def require_reviewer(user: UserRecord, action: str) -> None:
    if not role_of(user).can_review:
        raise PermissionDenied(
            f"{user.name} is an {user.role} and cannot {action}; a reviewer or admin can"
        )


def require_owner_or_reviewer(user: UserRecord, owner: UserRecord, action: str) -> None:
    if user.id != owner.id and not role_of(user).can_review:
        raise PermissionDenied(
            f"{user.name} cannot {action} {owner.name}'s annotations; only their annotator "
            "or a reviewer can"
        )


def set_role(session: Session, actor: UserRecord, user: UserRecord, role: Role) -> None:
    """Change a user's role; only an admin may (their own included)."""
    if role_of(actor) is not Role.ADMIN:
        raise PermissionDenied(f"{actor.name} cannot change roles; an admin can")
    before = {"role": user.role}
    user.role = Role(role).value
    session.flush()
    record_audit(
        session, actor, "user.role", "user", user.uuid, before=before, after={"role": user.role}
    )


def acting_user(session: Session, name: str) -> UserRecord:
    """The user a command acts as. Someone new becomes the admin of a database that has no
    users yet (the laptop's owner), and an annotator otherwise; an admin changes roles."""
    user = find_user(session, name.strip())
    if user is not None:
        return user
    first = session.scalar(select(UserRecord.id).limit(1)) is None
    return ensure_user(session, name, Role.ADMIN if first else Role.ANNOTATOR)


def list_users(session: Session) -> list[UserRecord]:
    return list(session.scalars(select(UserRecord).order_by(UserRecord.name)))
