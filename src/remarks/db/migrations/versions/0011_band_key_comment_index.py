"""signature bands indexed by (band_key, comment_id): the near-copy look-up reads a comment's candidates
from the index alone, newest first, instead of visiting a table row for every earlier copy that shares a
band (a burst of one copy made that grow with every post: ~7 ms a post after 1,000 copies, 0.5 ms with it).
The new index serves the band key's look-ups too, so the one on band_key alone goes.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 07:45:00
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("signature_bands") as batch:
        batch.create_index("ix_signature_bands_band_key_comment_id", ["band_key", "comment_id"], unique=False)
        batch.drop_index("ix_signature_bands_band_key")


def downgrade() -> None:
    with op.batch_alter_table("signature_bands") as batch:
        batch.create_index("ix_signature_bands_band_key", ["band_key"], unique=False)
        batch.drop_index("ix_signature_bands_band_key_comment_id")
