"""Organisations (shared by issuers, leads and partners, with their parent body), citations
as edges between stored documents, ingest runs, and PostgreSQL's unaccent full-text index.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# (table, column, referred table): nullable links, cleared when the referred row goes
LINKS = [
    ("documents", "issuer_id", "organisations"),
    ("tasks", "lead_id", "organisations"),
    ("doc_references", "cited_document_id", "documents"),
    ("ingest_errors", "run_id", "ingest_runs"),
]


def _add_link(table: str, column: str, referred: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot add a constraint: the table is copied (foreign keys are off while
        # migrating, so dropping the old copy does not cascade; see models/store.migrate)
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column(column, sa.Integer(), nullable=True))
            batch.create_foreign_key(f"fk_{table}_{column}", referred, [column], ["id"],
                                     ondelete="SET NULL")
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(None, table, referred, [column], ["id"], ondelete="SET NULL")
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("level", sa.String(length=8), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["organisations.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_organisations_key"), "organisations", ["key"], unique=False)
    op.create_index(op.f("ix_organisations_parent_id"), "organisations", ["parent_id"],
                    unique=False)
    op.create_table(
        "ingest_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("root", sa.Text(), nullable=False),
        sa.Column("executor", sa.String(length=16), nullable=False),
        sa.Column("workers", sa.Integer(), nullable=True),
        sa.Column("pipeline_version", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("files_found", sa.Integer(), nullable=False),
        sa.Column("stored", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "task_partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_task_partners_task_id"), "task_partners", ["task_id"],
                    unique=False)
    op.create_index(op.f("ix_task_partners_organisation_id"), "task_partners",
                    ["organisation_id"], unique=False)
    for table, column, referred in LINKS:
        _add_link(table, column, referred)
    if op.get_bind().dialect.name == "postgresql":
        # tìm kiếm không dấu: unaccent strips the marks and turns đ into d; the wrapper is
        # declared IMMUTABLE so that an index can be built on it
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        op.execute(
            "CREATE OR REPLACE FUNCTION vanban_fold(text) RETURNS text LANGUAGE sql IMMUTABLE "
            "PARALLEL SAFE AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, "
            "$1)) $$"
        )
        op.execute("CREATE INDEX ix_pages_fulltext ON pages "
                   "USING gin (to_tsvector('simple', vanban_fold(text)))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_pages_fulltext")
        op.execute("DROP FUNCTION IF EXISTS vanban_fold(text)")
    for table, column, _ in reversed(LINKS):
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
    op.drop_table("task_partners")
    op.drop_table("ingest_runs")
    op.drop_table("organisations")
