"""Alembic environment: uses the connection handed over by ``dashboard.store.db.upgrade`` or, from the
command line, DATABASE_URL (or the embedded default)."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from dashboard.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_with(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_with(connection)
else:
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        from dashboard.settings import Settings

        url = Settings.from_env().database_url
        config.set_main_option("sqlalchemy.url", url)
    engine = engine_from_config(config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as conn:
        run_with(conn)
