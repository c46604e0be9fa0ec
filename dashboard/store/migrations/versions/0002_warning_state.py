"""warning state

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

The four-level warning engine's tables: the current level of every grid above normal
(``warning_state``), every change of level (``warning_history``) and the engine's one-row run
bookkeeping (``warning_runs``, created with its row so runners only ever update it).
"""
from alembic import op
import sqlalchemy as sa

import dashboard.store.models


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('warning_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluated_at', dashboard.store.models.UTCDateTime(), nullable=True),
    sa.Column('events_version', sa.Integer(), nullable=False),
    sa.Column('rules_digest', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warning_runs'))
    )
    op.create_table('warning_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grid_code', sa.String(length=15), nullable=False),
    sa.Column('at', dashboard.store.models.UTCDateTime(), nullable=False),
    sa.Column('old_level', sa.Integer(), nullable=False),
    sa.Column('new_level', sa.Integer(), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['grid_code'], ['areas.code'], name=op.f('fk_warning_history_grid_code_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warning_history'))
    )
    with op.batch_alter_table('warning_history', schema=None) as batch_op:
        batch_op.create_index('ix_warning_history_at', ['at'], unique=False)
        batch_op.create_index('ix_warning_history_grid_at', ['grid_code', 'at'], unique=False)

    op.create_table('warning_state',
    sa.Column('grid_code', sa.String(length=15), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('since', dashboard.store.models.UTCDateTime(), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('auto_level', sa.Integer(), nullable=False),
    sa.Column('auto_since', dashboard.store.models.UTCDateTime(), nullable=True),
    sa.Column('auto_reasons', sa.Text(), nullable=False),
    sa.Column('manual_level', sa.Integer(), nullable=False),
    sa.Column('pending_level', sa.Integer(), nullable=True),
    sa.Column('pending_since', dashboard.store.models.UTCDateTime(), nullable=True),
    sa.Column('computed_warning_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', dashboard.store.models.UTCDateTime(), nullable=False),
    sa.CheckConstraint('auto_level BETWEEN 0 AND 4', name=op.f('ck_warning_state_auto_level')),
    sa.CheckConstraint('level BETWEEN 1 AND 4', name=op.f('ck_warning_state_level')),
    sa.CheckConstraint('manual_level BETWEEN 0 AND 4', name=op.f('ck_warning_state_manual_level')),
    sa.ForeignKeyConstraint(['computed_warning_id'], ['warnings.id'], name=op.f('fk_warning_state_computed_warning_id_warnings')),
    sa.ForeignKeyConstraint(['grid_code'], ['areas.code'], name=op.f('fk_warning_state_grid_code_areas')),
    sa.PrimaryKeyConstraint('grid_code', name=op.f('pk_warning_state'))
    )
    with op.batch_alter_table('warning_state', schema=None) as batch_op:
        batch_op.create_index('ix_warning_state_level', ['level'], unique=False)

    runs = sa.table("warning_runs", sa.column("id", sa.Integer), sa.column("events_version", sa.Integer),
                    sa.column("rules_digest", sa.String))
    op.bulk_insert(runs, [{"id": 1, "events_version": -1, "rules_digest": ""}])



def downgrade() -> None:
    with op.batch_alter_table('warning_state', schema=None) as batch_op:
        batch_op.drop_index('ix_warning_state_level')

    op.drop_table('warning_state')
    with op.batch_alter_table('warning_history', schema=None) as batch_op:
        batch_op.drop_index('ix_warning_history_grid_at')
        batch_op.drop_index('ix_warning_history_at')

    op.drop_table('warning_history')
    op.drop_table('warning_runs')
