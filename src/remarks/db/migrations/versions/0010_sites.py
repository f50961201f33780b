"""sites: many sites (publishers) in one installation. A default site holds every existing article;
moderators and admins keep working on every site (users.all_sites) until granted single sites; a
policy version may belong to one site (NULL: the installation's policy, as before).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 16:00:00
"""

import hashlib
import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

DEFAULT_SITE = "default"


def upgrade() -> None:
    op.create_table(
        "site_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("publisher_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["publisher_id"], ["publishers.id"], name=op.f("fk_site_grants_publisher_id_publishers"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_site_grants_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_grants")),
        sa.UniqueConstraint("user_id", "publisher_id", name=op.f("uq_site_grants_user_id")),
    )
    with op.batch_alter_table("site_grants") as batch:
        batch.create_index(batch.f("ix_site_grants_user_id"), ["user_id"], unique=False)
        batch.create_index(batch.f("ix_site_grants_publisher_id"), ["publisher_id"], unique=False)

    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("all_sites", sa.Boolean(), nullable=False, server_default=sa.true()))

    with op.batch_alter_table("policy_versions") as batch:
        batch.add_column(sa.Column("publisher_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_policy_versions_publisher_id"), ["publisher_id"], unique=False)
        batch.create_foreign_key(batch.f("fk_policy_versions_publisher_id_publishers"), "publishers",
                                 ["publisher_id"], ["id"], ondelete="CASCADE")

    # The default site (a publisher called "default", reused if one exists), and every article without
    # a site in it. Its API key is a hash of a secret nobody keeps: `remarks site key default` makes one.
    conn = op.get_bind()
    publishers = sa.table("publishers", sa.column("id", sa.Integer), sa.column("name", sa.String),
                          sa.column("api_key_hash", sa.String), sa.column("created_at", sa.DateTime(timezone=True)))
    found = conn.execute(sa.select(publishers.c.id).where(publishers.c.name == DEFAULT_SITE)).scalar()
    if found is None:
        conn.execute(publishers.insert().values(
            name=DEFAULT_SITE, api_key_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
            created_at=datetime.now(UTC)))
        found = conn.execute(sa.select(publishers.c.id).where(publishers.c.name == DEFAULT_SITE)).scalar()
    articles = sa.table("articles", sa.column("publisher_id", sa.Integer))
    conn.execute(articles.update().where(articles.c.publisher_id.is_(None)).values(publisher_id=found))


def downgrade() -> None:
    with op.batch_alter_table("policy_versions") as batch:
        batch.drop_constraint(batch.f("fk_policy_versions_publisher_id_publishers"), type_="foreignkey")
        batch.drop_index(batch.f("ix_policy_versions_publisher_id"))
        batch.drop_column("publisher_id")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("all_sites")
    op.drop_table("site_grants")
