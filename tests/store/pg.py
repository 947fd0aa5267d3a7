"""The test PostgreSQL server, when there is one: MAATWERK_TEST_PG_URL (.ci/run starts a throwaway one)."""

from __future__ import annotations

import hashlib
import os

PG_URL_VARIABLE = "MAATWERK_TEST_PG_URL"


def pg_url() -> str | None:
    return os.environ.get(PG_URL_VARIABLE) or None


def schema_url(url: str, name: str) -> str:
    """The URL of a schema of its own (created now if new), named after `name` (a test's tmp_path)."""
    import psycopg

    schema = "t_" + hashlib.sha256(name.encode()).hexdigest()[:16]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"
