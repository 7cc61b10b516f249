"""``tawsim team``: a team's accounts on one PostgreSQL server (:mod:`app.store.team`)."""

from __future__ import annotations

import json
import os
import secrets
from typing import Any

import click

from app.core.domain import Role

ROLES = click.Choice([r.value for r in Role])
PASSWORD_ENV = "TAWSIM_NEW_PASSWORD"


@click.group()
def team() -> None:
    """Accounts on a PostgreSQL team database: each person connects with their own login,
    and the database itself enforces what their role may read and change."""


@team.command("init")
@click.pass_obj
def init_cmd(ctx: Any) -> None:
    """Set this database up for a team (its owner, once; run again after changes to renew)."""
    ctx.creates = True
    made = ctx.core.team_init()
    click.echo(
        f"team ready; the groups {', '.join(made.groups.values())} hold its annotators, "
        f"reviewers and admins; {made.login} (you) is an admin. Add people with "
        "`tawsim team add NAME --role annotator|reviewer|admin`."
    )


@team.command("add")
@click.argument("name")
@click.option("--role", type=ROLES, default=Role.ANNOTATOR.value, show_default=True)
@click.option(
    "--password-prompt", is_flag=True, help="Type the new login's password (asked twice)."
)
@click.pass_obj
def add_cmd(ctx: Any, name: str, role: str, password_prompt: bool) -> None:
    """Give NAME a database login and a role (admins only). The password is generated and
    shown once, or typed (--password-prompt), or read from $TAWSIM_NEW_PASSWORD; it is sent
    to the server hashed, and kept nowhere."""
    given = os.environ.get(PASSWORD_ENV)
    if password_prompt:
        given = click.prompt("password", hide_input=True, confirmation_prompt=True)
    password = given or secrets.token_urlsafe(15)
    created = ctx.core.team_add(name, Role(role), password)
    if not created:
        click.echo(f"{name} already had a database login (its password is unchanged); now {role}")
        return
    click.echo(f"added {role} {name}")
    if not given:
        click.echo(f"password for {name} (shown once; hand it over privately): {password}")


@team.command("role")
@click.argument("name")
@click.argument("role", type=ROLES)
@click.pass_obj
def role_cmd(ctx: Any, name: str, role: str) -> None:
    """Change NAME's role, in the database's groups and in Tawsim (admins only)."""
    ctx.core.team_role(name, Role(role))
    click.echo(f"{name} is now {role}")


@team.command("remove")
@click.argument("name")
@click.pass_obj
def remove_cmd(ctx: Any, name: str) -> None:
    """Take NAME out of the team (admins only): they can no longer connect; their sets stay."""
    dropped = ctx.core.team_remove(name)
    left = "their login was dropped" if dropped else "their login stays for its other uses"
    click.echo(f"removed {name} from the team; {left}")


@team.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def list_cmd(ctx: Any, as_json: bool) -> None:
    """Every user, their role, and whether they have a login in the team."""
    rows = [
        {"name": name, "role": role.value, "login": login}
        for name, role, login in ctx.core.team_members()
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        login = "login" if row["login"] else "no login (a name in imported work)"
        click.echo(f"{row['role']:<10} {row['name']}  [{login}]")
