"""crawl run worker: host:pid of the crawl process, so a dead one's run is marked interrupted

Revision ID: 9e4f6a3b2d71
Revises: 7d2b4e8a1c55
Create Date: 2026-12-05 10:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '9e4f6a3b2d71'
down_revision = '7d2b4e8a1c55'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('crawl_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('worker', sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('crawl_runs', schema=None) as batch_op:
        batch_op.drop_column('worker')
