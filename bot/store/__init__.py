"""Storage: the interface (contracts), SQLite (db, the default) and PostgreSQL (postgres), migrations
and one module per kind of record."""
