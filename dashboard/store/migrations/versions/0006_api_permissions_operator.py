"""API client permissions, and the client's operator beside the actor of a write

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24

Each API client holds the writes it may make (report, transition, supervise, heartbeat). Tokens
that exist keep what they could do, except 督办 (supervise), which an administrator now grants
explicitly. The event log and the supervisions get ``operator``: the client's own operator id,
stored beside the actor (the client's name) instead of replacing it.

Plain ADD/DROP COLUMN (no batch copy): the event log's append-only triggers stay in place.
"""
from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# What every token could do before permissions existed, 督办 aside (as in domain.API_DEFAULT_PERMISSIONS,
# written out: a migration states the schema of its time).
EXISTING = "report,transition,heartbeat"


def upgrade() -> None:
    op.add_column("api_clients", sa.Column("permissions", sa.String(length=100), nullable=False,
                                           server_default=EXISTING))
    op.add_column("event_log", sa.Column("operator", sa.String(length=64), nullable=True))
    op.add_column("supervisions", sa.Column("operator", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("supervisions", "operator")
    op.drop_column("event_log", "operator")
    with op.batch_alter_table("api_clients", schema=None) as batch_op:
        batch_op.drop_column("permissions")
