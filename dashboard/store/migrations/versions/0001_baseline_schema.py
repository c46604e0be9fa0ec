"""baseline schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22

Every table of the governance database. The event log is made append-only by a trigger, and
the data-version channels are created with version 0.
"""
from alembic import op
import sqlalchemy as sa

import dashboard.store.models


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('areas',
    sa.Column('code', sa.String(length=15), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('parent_code', sa.String(length=15), nullable=True),
    sa.Column('geometry', sa.Text(), nullable=True),
    sa.Column('centroid_lon', sa.Float(), nullable=True),
    sa.Column('centroid_lat', sa.Float(), nullable=True),
    sa.Column('households', sa.Integer(), nullable=False),
    sa.Column('houses', sa.Integer(), nullable=False),
    sa.Column('population', sa.Integer(), nullable=False),
    sa.CheckConstraint("level IN ('county', 'town', 'community', 'grid')", name=op.f('ck_areas_level')),
    sa.ForeignKeyConstraint(['parent_code'], ['areas.code'], name=op.f('fk_areas_parent_code_areas')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_areas'))
    )
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_areas_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_areas_parent_code'), ['parent_code'], unique=False)

    op.create_table('data_versions',
    sa.Column('name', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_at', dashboard.store.models.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_data_versions'))
    )
    op.create_table('departments',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=True),
    sa.CheckConstraint("level IN ('county_department', 'town', 'community', 'grid')", name=op.f('ck_departments_level')),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], name=op.f('fk_departments_area_code_areas')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_departments'))
    )
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_departments_area_code'), ['area_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_departments_level'), ['level'], unique=False)

    op.create_table('grid_stats',
    sa.Column('grid_code', sa.String(length=15), nullable=False),
    sa.Column('dimension', sa.String(length=12), nullable=False),
    sa.Column('tag', sa.String(length=24), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.CheckConstraint("dimension IN ('population', 'housing')", name=op.f('ck_grid_stats_dimension')),
    sa.ForeignKeyConstraint(['grid_code'], ['areas.code'], name=op.f('fk_grid_stats_grid_code_areas')),
    sa.PrimaryKeyConstraint('grid_code', 'dimension', 'tag', name=op.f('pk_grid_stats'))
    )
    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grid_code', sa.String(length=15), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('phone_masked', sa.String(length=16), nullable=True),
    sa.Column('last_seen_at', dashboard.store.models.UTCDateTime(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint("role IN ('grid_leader', 'grid_worker', 'police', 'party_member', 'volunteer', 'lawyer', 'cadre')", name=op.f('ck_staff_role')),
    sa.ForeignKeyConstraint(['grid_code'], ['areas.code'], name=op.f('fk_staff_grid_code_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff'))
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_grid_code'), ['grid_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_role'), ['role'], unique=False)

    op.create_table('warnings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope_code', sa.String(length=15), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('issued_at', dashboard.store.models.UTCDateTime(), nullable=False),
    sa.Column('expires_at', dashboard.store.models.UTCDateTime(), nullable=True),
    sa.Column('lifted_at', dashboard.store.models.UTCDateTime(), nullable=True),
    sa.Column('issued_by', sa.String(length=64), nullable=False),
    sa.CheckConstraint("kind IN ('manual', 'computed')", name=op.f('ck_warnings_kind')),
    sa.CheckConstraint('level BETWEEN 1 AND 4', name=op.f('ck_warnings_level')),
    sa.ForeignKeyConstraint(['scope_code'], ['areas.code'], name=op.f('fk_warnings_scope_code_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warnings'))
    )
    with op.batch_alter_table('warnings', schema=None) as batch_op:
        batch_op.create_index('ix_warnings_scope_issued', ['scope_code', 'issued_at'], unique=False)

    op.create_table('categories',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('parent_code', sa.String(length=32), nullable=True),
    sa.Column('is_major', sa.Boolean(), nullable=False),
    sa.Column('is_dispute', sa.Boolean(), nullable=False),
    sa.Column('time_limit_hours', sa.Float(), nullable=False),
    sa.Column('default_handler_code', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['default_handler_code'], ['departments.code'], name=op.f('fk_categories_default_handler_code_departments')),
    sa.ForeignKeyConstraint(['parent_code'], ['categories.code'], name=op.f('fk_categories_parent_code_categories')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_categories'))
    )
    op.create_table('patrols',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('grid_code', sa.String(length=15), nullable=False),
    sa.Column('started_at', dashboard.store.models.UTCDateTime(), nullable=False),
    sa.Column('ended_at', dashboard.store.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['grid_code'], ['areas.code'], name=op.f('fk_patrols_grid_code_areas')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_patrols_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patrols'))
    )
    with op.batch_alter_table('patrols', schema=None) as batch_op:
        batch_op.create_index('ix_patrols_grid_started', ['grid_code', 'started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_patrols_staff_id'), ['staff_id'], unique=False)

    op.create_table('visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('grid_code', sa.String(length=15), nullable=False),
    sa.Column('visited_at', dashboard.store.models.UTCDateTime(), nullable=False),
    sa.Column('household_no', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['grid_code'], ['areas.code'], name=op.f('fk_visits_grid_code_areas')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_visits_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visits'))
    )
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index('ix_visits_grid_at', ['grid_code', 'visited_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_staff_id'), ['staff_id'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ext_id', sa.String(length=64), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('category_code', sa.String(length=32), nullable=False),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('severity', sa.String(length=12), nullable=False),
    sa.Column('grid_code', sa.String(length=15), nullable=False),
    sa.Column('community_code', sa.String(length=12), nullable=False),
    sa.Column('town_code', sa.String(length=9), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('reporter_staff_id', sa.Integer(), nullable=True),
    sa.Column('photo_url', sa.String(length=500), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('reported_at', dashboard.store.models.UTCDateTime(), nullable=False),
    sa.Column('accepted_at', dashboard.store.models.UTCDateTime(), nullable=True),
    sa.Column('invalid_at', dashboard.store.models.UTCDateTime(), nullable=True),
    sa.Column('dispatched_at', dashboard.store.models.UTCDateTime(), nullable=True),
    sa.Column('disposed_at', dashboard.store.models.UTCDateTime(), nullable=True),
    sa.Column('closed_at', dashboard.store.models.UTCDateTime(), nullable=True),
    sa.Column('deadline', dashboard.store.models.UTCDateTime(), nullable=True),
    sa.Column('handler_code', sa.String(length=32), nullable=True),
    sa.Column('handler_level', sa.String(length=20), nullable=True),
    sa.Column('rework_count', sa.Integer(), nullable=False),
    sa.Column('sendback_count', sa.Integer(), nullable=False),
    sa.Column('supervised', sa.Boolean(), nullable=False),
    sa.Column('supervised_at', dashboard.store.models.UTCDateTime(), nullable=True),
    sa.Column('updated_at', dashboard.store.models.UTCDateTime(), nullable=False),
    sa.CheckConstraint("severity IN ('normal', 'major', 'urgent')", name=op.f('ck_events_severity')),
    sa.CheckConstraint("source IN ('patrol', 'public', 'hotline', 'video', 'transfer')", name=op.f('ck_events_source')),
    sa.CheckConstraint("status IN ('reported', 'accepted', 'invalid', 'dispatched', 'in_progress', 'disposed', 'closed')", name=op.f('ck_events_status')),
    sa.ForeignKeyConstraint(['category_code'], ['categories.code'], name=op.f('fk_events_category_code_categories')),
    sa.ForeignKeyConstraint(['grid_code'], ['areas.code'], name=op.f('fk_events_grid_code_areas')),
    sa.ForeignKeyConstraint(['handler_code'], ['departments.code'], name=op.f('fk_events_handler_code_departments')),
    sa.ForeignKeyConstraint(['reporter_staff_id'], ['staff.id'], name=op.f('fk_events_reporter_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('ext_id', name=op.f('uq_events_ext_id'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_category_code'), ['category_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_closed_at'), ['closed_at'], unique=False)
        batch_op.create_index('ix_events_community_reported', ['community_code', 'reported_at'], unique=False)
        batch_op.create_index('ix_events_grid_reported', ['grid_code', 'reported_at'], unique=False)
        batch_op.create_index('ix_events_handler_reported', ['handler_code', 'reported_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_reported_at'), ['reported_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_reporter_staff_id'), ['reporter_staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_status'), ['status'], unique=False)
        batch_op.create_index('ix_events_town_reported', ['town_code', 'reported_at'], unique=False)

    op.create_table('event_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('at', dashboard.store.models.UTCDateTime(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.String(length=12), nullable=True),
    sa.Column('to_status', sa.String(length=12), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('handler_code', sa.String(length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("action IN ('report', 'accept', 'invalidate', 'dispatch', 'start', 'dispose', 'verify_ok', 'verify_fail', 'send_back')", name=op.f('ck_event_log_action')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_log_event_id_events')),
    sa.ForeignKeyConstraint(['handler_code'], ['departments.code'], name=op.f('fk_event_log_handler_code_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_log'))
    )
    with op.batch_alter_table('event_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_log_at'), ['at'], unique=False)
        batch_op.create_index('ix_event_log_event_at', ['event_id', 'at'], unique=False)

    op.create_table('supervisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('at', dashboard.store.models.UTCDateTime(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_supervisions_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervisions'))
    )
    with op.batch_alter_table('supervisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervisions_event_id'), ['event_id'], unique=False)

    versions = sa.table("data_versions", sa.column("name", sa.String), sa.column("version", sa.Integer))
    op.bulk_insert(versions, [{"name": n, "version": 0} for n in ("events", "staff", "warnings", "areas", "catalog")])

    # The event log is append-only: history is never rewritten, only extended.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION event_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'event_log is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER event_log_append_only BEFORE UPDATE OR DELETE ON event_log "
            "FOR EACH ROW EXECUTE FUNCTION event_log_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER event_log_no_{verb.lower()} BEFORE {verb} ON event_log "
                "BEGIN SELECT RAISE(ABORT, 'event_log is append-only'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS event_log_append_only ON event_log")
        op.execute("DROP FUNCTION IF EXISTS event_log_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS event_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS event_log_no_delete")
    with op.batch_alter_table('supervisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervisions_event_id'))

    op.drop_table('supervisions')
    with op.batch_alter_table('event_log', schema=None) as batch_op:
        batch_op.drop_index('ix_event_log_event_at')
        batch_op.drop_index(batch_op.f('ix_event_log_at'))

    op.drop_table('event_log')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_town_reported')
        batch_op.drop_index(batch_op.f('ix_events_status'))
        batch_op.drop_index(batch_op.f('ix_events_reporter_staff_id'))
        batch_op.drop_index(batch_op.f('ix_events_reported_at'))
        batch_op.drop_index('ix_events_handler_reported')
        batch_op.drop_index('ix_events_grid_reported')
        batch_op.drop_index('ix_events_community_reported')
        batch_op.drop_index(batch_op.f('ix_events_closed_at'))
        batch_op.drop_index(batch_op.f('ix_events_category_code'))

    op.drop_table('events')
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visits_staff_id'))
        batch_op.drop_index('ix_visits_grid_at')

    op.drop_table('visits')
    with op.batch_alter_table('patrols', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patrols_staff_id'))
        batch_op.drop_index('ix_patrols_grid_started')

    op.drop_table('patrols')
    op.drop_table('categories')
    with op.batch_alter_table('warnings', schema=None) as batch_op:
        batch_op.drop_index('ix_warnings_scope_issued')

    op.drop_table('warnings')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_role'))
        batch_op.drop_index(batch_op.f('ix_staff_grid_code'))

    op.drop_table('staff')
    op.drop_table('grid_stats')
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_departments_level'))
        batch_op.drop_index(batch_op.f('ix_departments_area_code'))

    op.drop_table('departments')
    op.drop_table('data_versions')
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_areas_parent_code'))
        batch_op.drop_index(batch_op.f('ix_areas_level'))

    op.drop_table('areas')
