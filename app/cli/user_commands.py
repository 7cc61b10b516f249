"""``tawsim users``: who may annotate, review or administer this database."""

from __future__ import annotations

import json
from typing import Any

import click

from app.core.domain import Role

ROLES = click.Choice([r.value for r in Role])


@click.group()
def users() -> None:
    """List users, add them, change their roles (admins only)."""


@users.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def list_cmd(ctx: Any, as_json: bool) -> None:
    """Every user and their role."""
    rows = [{"name": u.name, "role": u.role.value} for u in ctx.core.users()]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    for row in [] if as_json else rows:
        click.echo(f"{row['role']:<10} {row['name']}")


@users.command("add")
@click.argument("name")
@click.option("--role", type=ROLES, default=Role.ANNOTATOR.value, show_default=True)
@click.pass_obj
def add_cmd(ctx: Any, name: str, role: str) -> None:
    """Add a user with a role (admins only)."""
    ctx.core.add_user(name, Role(role))
    click.echo(f"added {role} {name}")


@users.command("set-role")
@click.argument("name")
@click.argument("role", type=ROLES)
@click.pass_obj
def set_role_cmd(ctx: Any, name: str, role: str) -> None:
    """Change a user's role (admins only; the last admin stays one)."""
    ctx.core.set_role(name, Role(role))
    click.echo(f"{name} is now {role}")
