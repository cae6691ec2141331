"""The central backend of Mostrador: an ASGI app (FastAPI) over SQLite or PostgreSQL.

``create_app(database_url)`` makes the app; ``mostrador-server`` (``sync.server.cli``) runs
it and administers stores, registers, staff, catalog and stock. See sync/README.md.

The app is imported when asked for, not with the package: the administration commands
(``create-store``, ``enrollment-code``...) need no web framework, and loading FastAPI costs
about a second of each of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sync.server.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from sync.server.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
