"""SQLite storage through sqlite-utils: connection, migrations and one module per kind of record."""
