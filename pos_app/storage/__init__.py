"""The register's local SQLite store: tables, migrations, repositories, unit of work."""
