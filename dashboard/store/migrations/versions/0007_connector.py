"""connector: sources, watermarks, runs, refused rows; real catalogues

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-24

The database connector's bookkeeping: the county platforms GridScreen reads (``sync_sources``),
how far each entity has been read (``sync_watermarks``), every run with its counts
(``sync_runs``) and the rows it refused with their source keys and reasons (``sync_refusals``).
Staff get the member's key in the platform (``staff.ext_id``). A category's time limit may be
empty: a major category (大类) whose minor categories carry the limits.
"""
from alembic import op
import sqlalchemy as sa

import dashboard.store.models


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('mapping_name', sa.String(length=200), nullable=False),
    sa.Column('mapping_text', sa.Text(), nullable=False),
    sa.Column('created_at', dashboard.store.models.UTCDateTime(), nullable=False),
    sa.Column('updated_at', dashboard.store.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_sources')),
    sa.UniqueConstraint('name', name=op.f('uq_sync_sources_name'))
    )
    op.create_table('sync_watermarks',
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=16), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('updated_at', dashboard.store.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sync_sources.id'], name=op.f('fk_sync_watermarks_source_id_sync_sources'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id', 'entity', name=op.f('pk_sync_watermarks'))
    )
    op.create_table('sync_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('started_at', dashboard.store.models.UTCDateTime(), nullable=False),
    sa.Column('finished_at', dashboard.store.models.UTCDateTime(), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('rows_written', sa.Integer(), nullable=False),
    sa.Column('rows_refused', sa.Integer(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('running', 'ok', 'failed')", name=op.f('ck_sync_runs_status')),
    sa.ForeignKeyConstraint(['source_id'], ['sync_sources.id'], name=op.f('fk_sync_runs_source_id_sync_sources'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_runs'))
    )
    with op.batch_alter_table('sync_runs', schema=None) as batch_op:
        batch_op.create_index('ix_sync_runs_source_started', ['source_id', 'started_at'], unique=False)
    op.create_table('sync_refusals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=16), nullable=False),
    sa.Column('source_key', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['sync_runs.id'], name=op.f('fk_sync_refusals_run_id_sync_runs'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_refusals'))
    )
    with op.batch_alter_table('sync_refusals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_refusals_run_id'), ['run_id'], unique=False)

    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ext_id', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_staff_ext_id'), ['ext_id'])

    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.alter_column('time_limit_hours', existing_type=sa.Float(), nullable=True)


def downgrade() -> None:
    # A major category without a limit of its own takes its largest child's (the column is required below).
    op.execute("UPDATE categories SET time_limit_hours = (SELECT MAX(c.time_limit_hours) FROM categories c "
               "WHERE c.parent_code = categories.code) WHERE time_limit_hours IS NULL")
    op.execute("UPDATE categories SET time_limit_hours = 24 WHERE time_limit_hours IS NULL")
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.alter_column('time_limit_hours', existing_type=sa.Float(), nullable=False)
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_staff_ext_id'), type_='unique')
        batch_op.drop_column('ext_id')
    with op.batch_alter_table('sync_refusals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_refusals_run_id'))
    op.drop_table('sync_refusals')
    with op.batch_alter_table('sync_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_runs_source_started')
    op.drop_table('sync_runs')
    op.drop_table('sync_watermarks')
    op.drop_table('sync_sources')
