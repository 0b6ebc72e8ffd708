"""Each scanned page's quarter turn, as the cleanup found it: serve redraws a page as the
OCR saw it, and asking Tesseract's orientation detector again took 1-2 s of a sideways-
looking page's first view. Pages stored before have none (detected again, as before).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pages") as batch:
        batch.add_column(sa.Column("turn", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pages") as batch:
        batch.drop_column("turn")
