"""``tawsim users``: who may annotate, review or administer this database."""

from __future__ import annotations

import json
from typing import Any

import click

from app.core.domain import Role
from app.core.errors import InputError, PermissionDenied
from app.store.services.users import acting_user, ensure_user, find_user, list_users, set_role

ROLES = click.Choice([r.value for r in Role])


@click.group()
def users() -> None:
    """List users, add them, change their roles (admins only)."""


@users.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def list_cmd(ctx: Any, as_json: bool) -> None:
    with ctx.db.session() as session:
        rows = [{"name": u.name, "role": u.role} for u in list_users(session)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    for row in [] if as_json else rows:
        click.echo(f"{row['role']:<10} {row['name']}")


def _admin(session: Any, name: str) -> Any:
    actor = acting_user(session, name)
    if actor.role != Role.ADMIN.value:
        raise PermissionDenied(f"{actor.name} is an {actor.role}; only an admin manages users")
    return actor


@users.command("add")
@click.argument("name")
@click.option("--role", type=ROLES, default=Role.ANNOTATOR.value, show_default=True)
@click.pass_obj
def add_cmd(ctx: Any, name: str, role: str) -> None:
    with ctx.db.session() as session, session.begin():
        actor = _admin(session, ctx.user)
        if find_user(session, name) is not None:
            raise InputError(f"there is already a user called {name!r}; use set-role")
        set_role(session, actor, ensure_user(session, name, Role(role)), Role(role))
    click.echo(f"added {role} {name}")


@users.command("set-role")
@click.argument("name")
@click.argument("role", type=ROLES)
@click.pass_obj
def set_role_cmd(ctx: Any, name: str, role: str) -> None:
    with ctx.db.session() as session, session.begin():
        actor = _admin(session, ctx.user)
        user = find_user(session, name)
        if user is None:
            raise InputError(f"no user called {name!r}")
        set_role(session, actor, user, Role(role))
    click.echo(f"{name} is now {role}")
