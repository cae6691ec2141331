"""``GET /v1/stock/{sku}``: a product's level at every store."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from sync.protocol import StockAvailability
from sync.server.deps import DatabaseDep, DeviceDep, require_protocol
from sync.server.errors import NotFound
from sync.server.routers import error_responses
from sync.server.services._sql import storable
from sync.server.services.stock import availability

router = APIRouter(prefix="/v1", tags=["stock"], dependencies=[Depends(require_protocol)])


@router.get(
    "/stock/{sku}",
    response_model=StockAvailability,
    responses=error_responses(401, 404, 422, 426, 503),
)
def stock(
    sku: Annotated[str, Path(min_length=1, max_length=40)],
    device: DeviceDep,
    database: DatabaseDep,
) -> StockAvailability:
    """The level at every store, so a register can tell a customer where to find it."""

    if not storable(sku):
        raise NotFound(f"no product with SKU {sku!r}")

    def work() -> StockAvailability:
        with database.reading() as conn:
            return availability(conn, sku)

    return database.retrying(work, what="stock look-up")
