"""store versions: a counter bumped with every rewrite of the aggregates (response caches)

Revision ID: b1c8d5e2f3a4
Revises: 9e4f6a3b2d71
Create Date: 2026-12-05 10:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'b1c8d5e2f3a4'
down_revision = '9e4f6a3b2d71'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'store_versions',
        sa.Column('name', sa.String(length=32), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_store_versions')),
    )


def downgrade() -> None:
    op.drop_table('store_versions')
