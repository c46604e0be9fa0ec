"""An account's or a token's scope is an area of any level, not only a town

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

``users.town_code`` and ``api_clients.town_code`` become ``area_code``: the area (a town today, a
district of a city or a community tomorrow) whose codes the account or token may see. The check
that an area officer has an area follows the column.
"""
from alembic import op
import sqlalchemy as sa


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _rename(old: str, new: str, check_old: str, check_new: str) -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(check_old), type_="check")
        batch_op.alter_column(old, new_column_name=new, existing_type=sa.String(length=15), existing_nullable=True)
        batch_op.create_check_constraint(op.f(check_new), f"role <> 'town_officer' OR {new} IS NOT NULL")
    with op.batch_alter_table("api_clients", schema=None) as batch_op:
        batch_op.alter_column(old, new_column_name=new, existing_type=sa.String(length=15), existing_nullable=True)


def upgrade() -> None:
    _rename("town_code", "area_code", "ck_users_town_officer_town", "ck_users_area_officer_area")


def downgrade() -> None:
    _rename("area_code", "town_code", "ck_users_area_officer_area", "ck_users_town_officer_town")
