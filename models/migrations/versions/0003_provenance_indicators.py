"""Extracted-field provenance (the page, box and confidence of each header field), and the
indicator catalogue as a table that targets link to.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "field_provenance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("box", sa.JSON(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_field_provenance_document_id"), "field_provenance",
                    ["document_id"], unique=False)
    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    if op.get_bind().dialect.name == "sqlite":  # see 0002: SQLite copies the table
        with op.batch_alter_table("targets") as batch:
            batch.add_column(sa.Column("indicator_id", sa.Integer(), nullable=True))
            batch.create_foreign_key("fk_targets_indicator_id", "indicators", ["indicator_id"],
                                     ["id"], ondelete="SET NULL")
    else:
        op.add_column("targets", sa.Column("indicator_id", sa.Integer(), nullable=True))
        op.create_foreign_key(None, "targets", "indicators", ["indicator_id"], ["id"],
                              ondelete="SET NULL")
    op.create_index(op.f("ix_targets_indicator_id"), "targets", ["indicator_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_targets_indicator_id"), table_name="targets")
    with op.batch_alter_table("targets") as batch:
        batch.drop_column("indicator_id")
    op.drop_table("indicators")
    op.drop_index(op.f("ix_field_provenance_document_id"), table_name="field_provenance")
    op.drop_table("field_provenance")
