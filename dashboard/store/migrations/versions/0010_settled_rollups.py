"""rollups: when a case stopped changing and its counts summed per grid, handler, category and
source (the all-time figures), and reports and closures per local day by town, category and hour
(trends and heatmaps), so no range reads every event

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

``events.settled_at`` is filled for closed and invalid cases (the time of that last step), and the rollups are left empty: ``domain.rollups.ensure`` builds them on the next start
(``startup.prepare``) or ``gridscreen db upgrade``, so this step does not import the rules they
count by.
"""
from alembic import op
import sqlalchemy as sa

import dashboard.store.models


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

COUNTS = ("reported", "accepted", "invalid", "closed", "closed_on_time", "due_open", "overdue", "reworked",
          "supervised", "supervised_open", "disposed", "disposed_on_time", "disposal_due", "handler_overdue",
          "verified")
SUMS = ("hours_sum", "verify_hours_sum")
KEYS = {
    "settled_by_grid": (("grid_code", 15), ("community_code", 12), ("town_code", 9)),
    "settled_by_handler": (("town_code", 9), ("handler_code", 32), ("handler_level", 20)),
    "settled_by_category": (("town_code", 9), ("category_code", 32)),
    "settled_by_source": (("town_code", 9), ("source", 12)),
}

DAY_KEYS = {
    "day_counts_by_town": ("town_code", sa.String(length=9)),
    "day_counts_by_category": ("category_code", sa.String(length=32)),
    "hour_counts": ("hour", sa.Integer()),
}


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("settled_at", dashboard.store.models.UTCDateTime(), nullable=True))
    # What ``lifecycle.step`` sets: the time of the closing or invalidating step, the case's last.
    op.execute("UPDATE events SET settled_at = COALESCE(closed_at, invalid_at) WHERE status IN ('closed', 'invalid')")
    op.create_index("ix_events_settled_at", "events", ["settled_at"], unique=False)
    for name, keys in KEYS.items():
        op.create_table(
            name,
            *[sa.Column(k, sa.String(length=n), nullable=False) for k, n in keys],
            *[sa.Column(c, sa.Integer(), nullable=False) for c in COUNTS],
            *[sa.Column(c, sa.Float(), nullable=False) for c in SUMS],
            sa.PrimaryKeyConstraint(*[k for k, _ in keys], name=op.f(f"pk_{name}")),
        )
    for name, (key, key_type) in DAY_KEYS.items():
        op.create_table(
            name,
            sa.Column("day", sa.String(length=10), nullable=False),
            sa.Column(key, key_type, nullable=False, autoincrement=False),
            sa.Column("reported", sa.Integer(), nullable=False),
            sa.Column("closed", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("day", key, name=op.f(f"pk_{name}")),
        )


def downgrade() -> None:
    for name in (*KEYS, *DAY_KEYS):
        op.drop_table(name)
    op.drop_index("ix_events_settled_at", table_name="events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("settled_at")
