"""Alembic environment: vanban's schema (models/schema.py), on the connection Store opens."""

from __future__ import annotations

from alembic import context

from models.schema import Base, outside_orm

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite",
                  include_object=outside_orm)
with context.begin_transaction():
    context.run_migrations()
