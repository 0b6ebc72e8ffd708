"""A pen-written field's other readings, so one office's documents can vote on its number.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("field_confidence") as batch:
        batch.add_column(sa.Column("alternatives", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("field_confidence") as batch:
        batch.drop_column("alternatives")
