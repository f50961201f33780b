"""thread version: a counter per article, bumped with every change to its thread (cache invalidation)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 13:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("thread_version", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("thread_version")
