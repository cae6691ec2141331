"""``GET /v1/returnable/{reference}``: what is still returnable of a sale or a web order.

Any register of the backend may ask, whatever the store of the original: a customer may return
in any store (DESIGN section 4, "refunds across channels")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from sync.protocol import ReturnableView
from sync.server.deps import DatabaseDep, DeviceDep, require_protocol
from sync.server.errors import NotFound
from sync.server.routers import error_responses
from sync.server.services._sql import storable
from sync.server.services.returns import returnable

router = APIRouter(prefix="/v1", tags=["returns"], dependencies=[Depends(require_protocol)])


@router.get(
    "/returnable/{reference}",
    response_model=ReturnableView,
    responses=error_responses(401, 404, 409, 422, 426, 503),
)
def read_returnable(
    reference: Annotated[str, Path(min_length=1, max_length=40)],
    device: DeviceDep,
    database: DatabaseDep,
) -> ReturnableView:
    """A sale (by receipt number, any store) or a web order (by number, once collected): each
    line with the quantity sold (collected), the quantity already returned by every return the
    backend holds, and what one unit is refunded (rounded down to the cent); and the tenders.
    409 `not_returnable` for an order nothing of which was collected."""

    if not storable(reference):
        raise NotFound(f"no sale or web order {reference!r}")

    def work() -> ReturnableView:
        with database.reading() as conn:
            return returnable(conn, reference)

    return database.retrying(work, what="returnable look-up")
