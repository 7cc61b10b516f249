"""Knowing, cheaply and often, that another connection changed the sets or the documents.

On PostgreSQL the feed listens (``LISTEN tawsim_changes``, sent by migration 0012's triggers)
on a connection of its own, and :meth:`ChangeFeed.changed` only reads what the server already
pushed: no query, so a window may ask every quarter second. On SQLite it compares the kept
counts (:meth:`app.store.core.Tawsim.change_token`, a few rows) and is asked every two seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

CHANNEL = "tawsim_changes"
LISTEN_MS = 250
POLL_MS = 2000


class ChangeFeed:
    """Whether anything changed since the last time it was asked."""

    def __init__(self, engine: Engine, token: Callable[[], tuple[Any, ...]]):
        self._token = token
        self._seen = token()
        self._listener: Any = None
        if engine.dialect.name == "postgresql":
            raw = engine.raw_connection()
            self._raw = raw
            self._listener = raw.driver_connection
            self._listener.autocommit = True
            self._listener.execute(f"LISTEN {CHANNEL}")
        self.interval_ms = LISTEN_MS if self._listener is not None else POLL_MS
        """How often a view should ask."""

    def changed(self) -> bool:
        if self._listener is None:
            now = self._token()
            if now == self._seen:
                return False
            self._seen = now
            return True
        return any(True for _ in self._listener.notifies(timeout=0))

    def close(self) -> None:
        if self._listener is not None:
            self._listener.execute(f"UNLISTEN {CHANNEL}")
            self._raw.invalidate()  # a LISTENing connection does not go back to the pool
            self._listener = None
