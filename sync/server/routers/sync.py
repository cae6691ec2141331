"""``POST /v1/sync/push`` (the outbox) and ``GET /v1/sync/pull`` (the change log)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from sync.protocol import (
    DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT,
    PullResponse,
    PushRequest,
    PushResponse,
)
from sync.server.deps import DatabaseDep, DeviceDep, require_protocol
from sync.server.routers import error_responses
from sync.server.services.changelog import pull as pull_changes
from sync.server.services.push import push_events

router = APIRouter(prefix="/v1/sync", tags=["sync"], dependencies=[Depends(require_protocol)])


@router.post(
    "/push",
    response_model=PushResponse,
    responses=error_responses(401, 413, 422, 426, 503),
)
def push(body: PushRequest, device: DeviceDep, database: DatabaseDep) -> PushResponse:
    """Take a batch of outbox events, in sequence order, each exactly once.

    Per event: `applied`, `duplicate`, `rejected` (code and message; permanent) or `conflict`
    (applied, but a person must look). A gap stops the batch and sets `expected_seq`.
    """
    return push_events(database, device, list(body.events))


@router.get(
    "/pull",
    response_model=PullResponse,
    responses=error_responses(401, 409, 422, 426, 503),
)
def pull(
    device: DeviceDep,
    database: DatabaseDep,
    since: Annotated[
        str,
        Query(pattern=r"^[0-9]{1,18}$", description="The cursor of the last pull; 0 at first."),
    ] = "0",
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
) -> PullResponse:
    """The changes after `since` that this register's store may see, in sequence order."""

    def work() -> PullResponse:
        with database.reading() as conn:
            return pull_changes(conn, store_code=device.store_code, since=int(since), limit=limit)

    return database.retrying(work, what="pull")
