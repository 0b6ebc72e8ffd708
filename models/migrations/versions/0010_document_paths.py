"""Every path a content was seen under: one document per content, every path kept.

Two copies of one scan (a folder copied into another, a file renamed) are one document;
which copy was stored was not said, and the other path was lost. ``document_paths`` keeps
them all, keyed by content hash like the corrections, so a re-extraction keeps them too.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_paths",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256", "path", name="uq_document_paths_sha256_path"),
    )
    op.create_index("ix_document_paths_sha256", "document_paths", ["sha256"], unique=False)
    op.execute("INSERT INTO document_paths (sha256, path, source, seen_at) SELECT sha256, "
               "path, source, created_at FROM documents")


def downgrade() -> None:
    op.drop_index("ix_document_paths_sha256", table_name="document_paths")
    op.drop_table("document_paths")
