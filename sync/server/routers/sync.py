"""``POST /v1/sync/push`` (the outbox) and ``GET /v1/sync/pull`` (the change log)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from sync.protocol import (
    DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT,
    PullResponse,
    PushRequest,
    PushResponse,
)
from sync.server.deps import DatabaseDep, DeviceDep, PushWriterDep, TokenDep, require_protocol
from sync.server.routers import error_responses
from sync.server.services.changelog import pull as pull_changes

router = APIRouter(prefix="/v1/sync", tags=["sync"], dependencies=[Depends(require_protocol)])


@router.post(
    "/push",
    response_model=PushResponse,
    responses=error_responses(401, 413, 422, 426, 503),
)
async def push(body: PushRequest, token: TokenDep, writer: PushWriterDep) -> Response:
    """Take a batch of outbox events, in sequence order, each exactly once.

    Per event: `applied`, `duplicate`, `rejected` (code and message; permanent) or `conflict`
    (applied, but a person must look). A gap stops the batch and sets `expected_seq`.
    """
    # The token is checked by the push writer, in the transaction that takes the events.
    answer = await writer.push(token, body.events)
    # Built and checked just now: sent as is, not validated again against the response model.
    return Response(answer.model_dump_json(), media_type="application/json")


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
) -> Response:
    """The changes after `since` that this register's store may see, in sequence order."""

    def work() -> bytes:
        with database.reading() as conn:
            return pull_changes(conn, store_code=device.store_code, since=int(since), limit=limit)

    # The body is the protocol's PullResponse, written straight from the change log (see
    # services/changelog.py): returned as is, not validated and serialized again.
    return Response(database.retrying(work, what="pull"), media_type="application/json")
