"""The central backend of Mostrador: an ASGI app (FastAPI) over SQLite or PostgreSQL.

``create_app(database_url)`` makes the app; ``mostrador-server`` (``sync.server.cli``) runs
it and administers stores, registers, staff, catalog and stock. See sync/README.md.
"""

from sync.server.app import create_app

__all__ = ["create_app"]
