import pytest
from django.db import connection


def concurrent_database() -> None:
    """Skip unless other connections can write at the same time as this one."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "threads need a database that serialises writers across connections: the "
            "in-memory SQLite test database locks whole tables (run with DATABASE_URL "
            "pointing at PostgreSQL; the SQLite file database is covered by a subprocess test)"
        )
