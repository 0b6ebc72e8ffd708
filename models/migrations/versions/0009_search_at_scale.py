"""Search and lists that stay fast at a million documents.

- ``documents.order_key``: the listing order (newest issue date first, then the newest
  row) in one indexed integer, with composite indexes for the filtered lists (type,
  issuer), so a page of a list is an index walk, not a sort of the whole table;
- ``document_search``: one row per document, keyed by that order, holding the document's
  folded words and its signer's (SQLite: an FTS5 table whose rowid is the order key, so
  matches come out newest first without sorting; PostgreSQL: tsvectors with GIN indexes).
  It replaces the per-page index (``page_search`` / ``ix_pages_fulltext``), which answered
  pages ranked by relevance and had to be sorted and joined again for every list;
- tasks indexed by lead and due date for the tasks board.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from models import fulltext  # the index's own code fills it, as a save does

    bind = op.get_bind()
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("order_key", sa.BigInteger(), nullable=True))
    op.create_index("ix_documents_order_key", "documents", ["order_key"])
    op.create_index("ix_documents_type_order", "documents", ["doc_type", "order_key"])
    op.create_index("ix_documents_issuer_order", "documents", ["issuer_id", "order_key"])
    op.create_index("ix_tasks_lead_due", "tasks", ["lead_id", "due_date"])
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS page_search")
    else:
        op.execute("DROP INDEX IF EXISTS ix_pages_fulltext")
        op.execute("DROP FUNCTION IF EXISTS vanban_fold(text)")
    fulltext.create_index(bind)
    rows = bind.execute(sa.text("SELECT id, issued_date, signer_name FROM documents")).all()
    for doc_id, issued, signer in rows:
        texts = [t for (t,) in bind.execute(sa.text(
            "SELECT text FROM pages WHERE document_id = :d ORDER BY number"), {"d": doc_id})]
        fulltext.index_document(bind, doc_id, fulltext.as_date(issued), signer, texts)


def downgrade() -> None:
    raise NotImplementedError("0009 is not undone: restore the database from a backup")
