"""alerts: what the big screen keeps in front of the room until a duty officer acknowledges it

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

One row per new major/urgent case and per grid entering Ⅰ/Ⅱ (unique on kind, subject and
episode), with who acknowledged it and when.
"""
from alembic import op
import sqlalchemy as sa

import dashboard.store.models


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('subject', sa.String(length=32), nullable=False),
    sa.Column('episode', sa.String(length=40), nullable=False),
    sa.Column('grid_code', sa.String(length=15), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('raised_at', dashboard.store.models.UTCDateTime(), nullable=False),
    sa.Column('acknowledged_at', dashboard.store.models.UTCDateTime(), nullable=True),
    sa.Column('acknowledged_by', sa.String(length=64), nullable=True),
    sa.CheckConstraint("kind IN ('case', 'grid')", name=op.f('ck_alerts_kind')),
    sa.CheckConstraint('level BETWEEN 1 AND 4', name=op.f('ck_alerts_level')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_alerts_event_id_events')),
    sa.ForeignKeyConstraint(['grid_code'], ['areas.code'], name=op.f('fk_alerts_grid_code_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts')),
    sa.UniqueConstraint('kind', 'subject', 'episode', name=op.f('uq_alerts_kind'))
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index('ix_alerts_acknowledged_raised', ['acknowledged_at', 'raised_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_grid_code'), ['grid_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alerts_grid_code'))
        batch_op.drop_index('ix_alerts_acknowledged_raised')
    op.drop_table('alerts')
