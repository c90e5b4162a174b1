"""Persistence: SQLModel tables, engine, migrations, the services that write and the queries that read."""
