"""The Alembic migrations and the models describe the same schema, and go down and up again."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from dashboard.store import db
from dashboard.store.models import Base


def test_models_match_migrations(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_downgrade_to_base_and_up_again(engine):
    db.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    db.upgrade(engine)
    assert {"areas", "events", "event_log", "warnings", "data_versions"} <= set(inspect(engine).get_table_names())
    assert db.versions(engine)["events"] == 0
