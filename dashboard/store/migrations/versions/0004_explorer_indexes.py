"""explorer indexes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

Indexes for the event explorer at city scale: category with report time (a category's
newest cases), deadline (overdue lists oldest first, sorting by deadline) and supervision time
(the 督办 filter selects a few percent of cases).
(On merge this is re-chained after the other branches' revisions, 0002 and 0003.)
"""
from alembic import op


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_category_reported", ["category_code", "reported_at"], unique=False)
        batch_op.create_index("ix_events_deadline", ["deadline"], unique=False)
        batch_op.create_index("ix_events_supervised_at", ["supervised_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_supervised_at")
        batch_op.drop_index("ix_events_deadline")
        batch_op.drop_index("ix_events_category_reported")
