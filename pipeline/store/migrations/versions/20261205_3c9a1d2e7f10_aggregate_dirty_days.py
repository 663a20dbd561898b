"""aggregate dirty days: days whose analyses changed since their aggregates were built

Revision ID: 3c9a1d2e7f10
Revises: ebc65e12baf0
Create Date: 2026-12-05 09:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '3c9a1d2e7f10'
down_revision = 'ebc65e12baf0'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'aggregate_dirty_days',
        sa.Column('profile_version', sa.String(length=40), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('marked_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('profile_version', 'day', name=op.f('pk_aggregate_dirty_days')),
    )


def downgrade() -> None:
    op.drop_table('aggregate_dirty_days')
