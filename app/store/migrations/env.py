"""Alembic environment: runs on the engine Tawsim hands over in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from app.store.models import Base

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=sqlite,
        # SQLite's DDL is transactional (Alembic assumes not, and commits after each step).
        transactional_ddl=True,
    )
    with context.begin_transaction():
        if sqlite:
            # Python's sqlite3 runs DDL outside any transaction (each statement commits on its
            # own): a kill mid-way would leave half a migration. Here the transaction is opened
            # by hand, so every migration of this run happens whole or not at all.
            raw = connection.connection.driver_connection
            raw.isolation_level = None
            connection.exec_driver_sql("BEGIN")
        context.run_migrations()
    connection.commit()
    if sqlite:
        raw.isolation_level = ""  # back to the module's default for the pool
