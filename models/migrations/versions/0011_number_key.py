"""The số ký hiệu as it is looked up (no spaces, Đ as d, lower case), indexed: ``--number
298`` read every row of a million-document database (0.4-3 s); now it is an index range.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from models.fulltext import number_key

    bind = op.get_bind()
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("number_key", sa.String(length=128), nullable=True))
    rows = bind.execute(sa.text("SELECT id, number FROM documents WHERE number IS NOT NULL"))
    keys = [{"id": doc_id, "key": number_key(number)} for doc_id, number in rows]
    for start in range(0, len(keys), 10_000):
        bind.execute(sa.text("UPDATE documents SET number_key = :key WHERE id = :id"),
                     keys[start:start + 10_000])
    op.create_index("ix_documents_number_key", "documents", ["number_key"],
                    postgresql_ops={"number_key": "text_pattern_ops"})
    if bind.dialect.name == "postgresql":
        op.execute("ANALYZE documents")  # the planner knows the new column at once


def downgrade() -> None:
    op.drop_index("ix_documents_number_key", table_name="documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("number_key")
