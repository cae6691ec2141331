"""``GET /v1/vouchers/{code}``: a store-credit voucher's balance now.

Any register of the backend may ask: a voucher issued in one store is spent in any store."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from sync.protocol import VoucherView
from sync.server.deps import DatabaseDep, DeviceDep, require_protocol
from sync.server.errors import NotFound
from sync.server.routers import error_responses
from sync.server.services._sql import storable
from sync.server.services.vouchers import voucher_view

router = APIRouter(prefix="/v1", tags=["vouchers"], dependencies=[Depends(require_protocol)])


@router.get(
    "/vouchers/{code}",
    response_model=VoucherView,
    responses=error_responses(401, 404, 422, 426, 503),
)
def read_voucher(
    code: Annotated[str, Path(min_length=1, max_length=200)],
    device: DeviceDep,
    database: DatabaseDep,
) -> VoucherView:
    """The voucher (any case): what it was issued for, where and when, and its balance now
    (below zero when it was overspent). 404 `not_found` for a code the backend does not know
    (a return not pushed yet, a mistyped code)."""

    if not storable(code):
        raise NotFound(f"no voucher {code!r}")

    def work() -> VoucherView:
        with database.reading() as conn:
            return voucher_view(conn, code)

    return database.retrying(work, what="voucher look-up")
