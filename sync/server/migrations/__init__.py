"""Alembic migrations of the backend database (a separate environment from the register's).

Run through ``sync.server.database.Database.migrate()``; there is no alembic.ini to edit.
"""
