"""check memory: what checks keep between comments, under a namespace each

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "check_memory",
        sa.Column("namespace", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("namespace", "key", name=op.f("pk_check_memory")),
    )
    # Article vectors now live in check_memory, keyed by the text they were computed from.
    op.drop_table("article_embeddings")


def downgrade() -> None:
    op.create_table(
        "article_embeddings",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_article_embeddings_article_id_articles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_embeddings")),
    )
    op.drop_table("check_memory")
