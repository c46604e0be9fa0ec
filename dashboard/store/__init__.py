"""The database: SQLAlchemy models, engines and transactions, the data-version counters screens
poll, SQL that differs between SQLite and PostgreSQL, the audit log, and the Alembic migrations.
No rules live here: what a case's state means is ``dashboard.domain``'s business."""
