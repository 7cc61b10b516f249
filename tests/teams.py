"""A team database on the test PostgreSQL server: its owner set it up (``team init``) and
added two annotators (amal, badr) and a reviewer (rana), each with a login of their own."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.core.domain import Role
from app.core.records import DocumentData, Record
from app.store.core import Tawsim
from app.store.database import Database
from tests.postgres import PostgresServer

ARTICLE = "قال وزير الخارجية في الرياض إن الاتفاق مع شركة أرامكو سيوقع غدا"
_numbers = itertools.count(1)


def next_name(who: str) -> str:
    """A login name no other test of this run (or of another run on the same server) uses."""
    return f"{who}_{os.getpid()}_{next(_numbers)}"


@dataclass
class Team:
    server: PostgresServer
    database: str
    names: dict[str, str]  # who → their login (unique on the server: logins are the server's)

    def url(self, who: str) -> str:
        """The database's URL as ``who`` ("owner": the server's superuser)."""
        base = make_url(self.server.url(self.database))
        if who == "owner":
            return base.render_as_string(hide_password=False)
        login = self.names[who]
        return base.set(username=login, password=f"pw-{login}").render_as_string(
            hide_password=False
        )

    def core(self, who: str) -> Tawsim:
        return Tawsim(Database.open(self.url(who)))

    def sql(self, who: str, statement: str) -> list[tuple]:
        """Run ``statement`` as ``who``'s login, in a transaction of its own."""
        engine = create_engine(self.url(who))
        try:
            with engine.begin() as conn:
                result = conn.execute(text(statement))
                return [tuple(r) for r in result] if result.returns_rows else []
        finally:
            engine.dispose()


@contextmanager
def team_database(postgres: PostgresServer) -> Iterator[Team]:
    """A fresh team database (dropped afterwards); the logins stay on the server, with names
    no other test uses."""
    url = postgres.new_database()
    names = {who: next_name(who) for who in ("amal", "badr", "rana")}
    made = Team(postgres, make_url(url).database or "", names)
    owner = made.core("owner")
    owner.team_init()
    owner.ingest([Record(DocumentData(ARTICLE, title="أرامكو")), Record(DocumentData("نص آخر"))])
    owner.build_search_index()  # as `tawsim import` does
    for who, role in (("amal", Role.ANNOTATOR), ("badr", Role.ANNOTATOR), ("rana", Role.REVIEWER)):
        assert owner.team_add(names[who], role, f"pw-{names[who]}")
    owner.close()
    yield made
    postgres.drop(url)
