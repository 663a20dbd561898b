"""digest message id: recorded before sending, so that a run killed mid-send is recognised

Revision ID: 7d2b4e8a1c55
Revises: 3c9a1d2e7f10
Create Date: 2026-12-05 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '7d2b4e8a1c55'
down_revision = '3c9a1d2e7f10'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('digests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('digests', schema=None) as batch_op:
        batch_op.drop_column('message_id')
