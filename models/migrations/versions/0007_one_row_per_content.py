"""One document row per content: a unique index on documents.sha256.

Two ingests running at once over folders that share files each stored their copy (the
content hash was only checked before a batch began). Rows already duplicated are reduced to
the earliest one (its pages, tasks and targets go with the later copies, by cascade); then
the database itself refuses a second row of the same content.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

FTS_TABLE = "page_search"  # models.search.FTS_TABLE


def upgrade() -> None:
    bind = op.get_bind()
    later = sa.text("SELECT id FROM documents d WHERE EXISTS (SELECT 1 FROM documents e "
                    "WHERE e.sha256 = d.sha256 AND e.id < d.id)")
    ids = [row[0] for row in bind.execute(later)]
    if ids and FTS_TABLE in sa.inspect(bind).get_table_names():
        for doc_id in ids:
            bind.execute(sa.text(f"DELETE FROM {FTS_TABLE} WHERE page_id IN "
                                 "(SELECT id FROM pages WHERE document_id = :d)"), {"d": doc_id})
    if ids:
        _delete(bind, sa.inspect(bind), "documents", "id", ids)
    with op.batch_alter_table("documents") as batch:
        batch.drop_index("ix_documents_sha256")
        batch.create_index("ix_documents_sha256", ["sha256"], unique=True)


def _delete(bind, inspector, table: str, column: str, keys: list) -> None:  # noqa: ANN001
    """Delete rows and what hangs on them, as the schema says (foreign keys are off while
    SQLite migrates, so nothing cascades by itself): CASCADE children go, SET NULL ones stay
    unlinked."""
    ids = [row[0] for row in bind.execute(
        sa.text(f"SELECT id FROM {table} WHERE {column} IN :keys").bindparams(
            sa.bindparam("keys", expanding=True)), {"keys": keys})]
    if not ids:
        return
    for child in inspector.get_table_names():
        for fk in inspector.get_foreign_keys(child):
            if fk["referred_table"] != table or len(fk["constrained_columns"]) != 1:
                continue
            col = fk["constrained_columns"][0]
            if (fk.get("options") or {}).get("ondelete", "").upper() == "CASCADE":
                _delete(bind, inspector, child, col, ids)
            else:
                bind.execute(sa.text(f"UPDATE {child} SET {col} = NULL WHERE {col} IN :ids")
                             .bindparams(sa.bindparam("ids", expanding=True)), {"ids": ids})
    bind.execute(sa.text(f"DELETE FROM {table} WHERE id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True)), {"ids": ids})


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_index("ix_documents_sha256")
        batch.create_index("ix_documents_sha256", ["sha256"], unique=False)
