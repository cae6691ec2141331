"""``GET /v1/health``: is the backend up, which version, which protocol versions."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from sync.protocol import SUPPORTED_VERSIONS, Health
from sync.server.core.config import server_version
from sync.server.deps import DatabaseDep
from sync.server.routers import error_responses

router = APIRouter(prefix="/v1", tags=["health"])


@router.get("/health", response_model=Health, responses=error_responses(503))
def health(database: DatabaseDep) -> Health:
    """Up and able to reach its database. Needs neither the protocol header nor a token."""

    def ping() -> None:
        with database.reading() as conn:
            conn.execute(text("SELECT 1"))

    database.retrying(ping, what="health check")
    return Health(server_version=server_version(), protocol_versions=list(SUPPORTED_VERSIONS))
