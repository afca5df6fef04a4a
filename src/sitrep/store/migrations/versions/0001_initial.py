"""The first schema: articles, their LSH bands, event mentions, merged events, facts.

Revision ID: 0001
Revises:
"""

from alembic import op

from sitrep.store.schema import metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The first revision creates the tables as schema.py describes them; later revisions must
# spell out their own changes with op.* so old databases upgrade step by step.
_TABLES = ["articles", "article_bands", "mentions", "events", "facts"]


def upgrade() -> None:
    bind = op.get_bind()
    metadata.create_all(bind, tables=[metadata.tables[name] for name in _TABLES])


def downgrade() -> None:
    bind = op.get_bind()
    metadata.drop_all(bind, tables=[metadata.tables[name] for name in reversed(_TABLES)])
