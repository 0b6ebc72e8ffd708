"""Field confidences, digital signatures and the received stamp (issue 11).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "field_confidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_field_confidence_document_id"), "field_confidence",
                    ["document_id"], unique=False)
    op.create_index(op.f("ix_field_confidence_confidence"), "field_confidence",
                    ["confidence"], unique=False)
    op.create_table(
        "signatures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("signer", sa.Text(), nullable=True),
        sa.Column("organisation", sa.Text(), nullable=True),
        sa.Column("signed_at", sa.String(length=40), nullable=True),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_signatures_document_id"), "signatures", ["document_id"],
                    unique=False)
    op.add_column("documents", sa.Column("received_number", sa.String(length=32), nullable=True))
    op.add_column("documents", sa.Column("received_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("received_date")
        batch.drop_column("received_number")
    op.drop_index(op.f("ix_signatures_document_id"), table_name="signatures")
    op.drop_table("signatures")
    op.drop_index(op.f("ix_field_confidence_confidence"), table_name="field_confidence")
    op.drop_index(op.f("ix_field_confidence_document_id"), table_name="field_confidence")
    op.drop_table("field_confidence")
