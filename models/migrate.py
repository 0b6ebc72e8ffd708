"""The schema brought to the newest revision, safely: one migrating process at a time,
and a database that belongs to another program refused before anything in it changes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine, make_url

from models.schema import Base
from pipeline.core.errors import UsageError

MIGRATIONS = Path(__file__).parent / "migrations"


@contextmanager
def _migration_lock(engine: Engine, connection: Any) -> Iterator[None]:
    """One migrating process at a time: two ingests started together on a new database
    both saw no tables and both created them ('table documents already exists').

    SQLite: the migration runs inside ``BEGIN IMMEDIATE``, SQLite's own write lock, and
    no other handle on the database file is ever opened. (An flock on a second handle
    was used before; closing that handle dropped every POSIX lock this process held on
    the file, SQLite's own shared lock included, so another process closing its last
    connection believed itself alone, checkpointed and deleted the -wal and -shm files a
    running ``serve`` still wrote to: corrections lost, the file corrupted.)
    PostgreSQL: an advisory lock held by the migrating session."""
    if engine.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK})")
        connection.commit()  # a session's advisory lock outlives its transactions
        try:
            yield
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            connection.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})")
            connection.commit()
        return
    if engine.dialect.name != "sqlite":
        yield
        return
    # the driver starts no transaction of its own before an explicit BEGIN; the
    # migration's statements and its check of the revision run inside this one, which
    # waits (busy_timeout) for another migrating process to commit
    connection.exec_driver_sql("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.rollback()
        raise
    connection.commit()


MIGRATION_LOCK = 0x76616E62  # "vanb": the advisory lock's key on PostgreSQL
# a database made before migrations existed has at least these columns
FIRST_DOCUMENT_COLUMNS = {"id", "source", "path", "sha256", "page_count"}


def _refuse_foreign(connection: Any, config: Any, url: str) -> None:
    """A database of another program (its own ``pages`` or ``documents``, or an Alembic
    history that is not vanban's) is refused before anything in it is changed."""
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect

    inspector = inspect(connection)
    tables = set(inspector.get_table_names())
    shown_url = make_url(url).render_as_string(hide_password=True)
    if "alembic_version" in tables:
        version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        known = {s.revision for s in ScriptDirectory.from_config(config).walk_revisions()}
        if version is None or version in known:
            return
        raise UsageError(f"{shown_url} is not a vanban database (its schema history says "
                         f"revision {version}); nothing was changed: choose another --db")
    clash = sorted(tables & set(Base.metadata.tables))
    if not clash:
        return
    columns = ({c["name"] for c in inspector.get_columns("documents")}
               if "documents" in tables else set())
    if not FIRST_DOCUMENT_COLUMNS <= columns:
        raise UsageError(f"{shown_url} is not a vanban database (it has its own "
                         f"{', '.join(clash)}); nothing was changed: choose another --db")


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (models/migrations). A database made
    before migrations existed (tables, no alembic_version) holds the first revision's
    schema: it is stamped as such, then upgraded."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        _refuse_foreign(connection, config, str(engine.url))
        connection.commit()
        if sqlite:  # readers never wait for the writer; set here, after the database is
            _into_wal(connection)  # known to be ours
        if _at_head(connection, config):
            return  # nothing to do, no lock taken; foreign_key_check reads every table
        if sqlite:  # a table copied by a migration must not cascade-delete its children
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # (outside a transaction)
            connection.commit()
        with _migration_lock(engine, connection):
            # checked again under the lock: another process may have migrated meanwhile
            _refuse_foreign(connection, config, str(engine.url))
            if not _at_head(connection, config, end=False):
                config.attributes["connection"] = connection
                tables = set(inspect(connection).get_table_names())
                if "documents" in tables and "alembic_version" not in tables:
                    command.stamp(config, "0001")
                command.upgrade(config, "head")
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
            if broken:
                raise RuntimeError(f"migration left broken links: {broken[:5]}")


def _into_wal(connection: Any) -> None:
    """``PRAGMA journal_mode=WAL``, tried again while another process does the same: two
    processes opening a new database each hold a shared lock and want an exclusive one,
    and SQLite answers one of them "database is locked" at once, without waiting."""
    import time

    from sqlalchemy.exc import OperationalError

    from pipeline.core.settings import db_timeout

    deadline = time.monotonic() + db_timeout()
    while True:
        try:
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            connection.commit()
            return
        except OperationalError as exc:
            connection.rollback()
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _at_head(connection: Any, config: Any, end: bool = True) -> bool:
    """Whether the database is at the newest revision already; ``end``: the read's
    transaction is ended (not when it runs inside the migration's)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    current = MigrationContext.configure(connection).get_current_revision()
    if end:
        connection.commit()
    return current is not None and current == ScriptDirectory.from_config(config).get_current_head()
