"""The orders API of other channels (``/v1/orders``): create, cancel, read, verify a code.

Create and cancel need a channel key (``mostrador-server channel-key``; a register's token gets
401); read and verify take a channel key or the token of a register of the order's store (a
register of another store gets 403 ``forbidden``, told which store it is).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response
from sqlalchemy.exc import IntegrityError

from sync.protocol import CodeCheck, CodeCheckResult, OrderCancel, OrderCreate, OrderView
from sync.server.deps import (
    CallerDep,
    DatabaseDep,
    HousekeeperDep,
    OrderSettingsDep,
    require_protocol,
)
from sync.server.errors import ApiError, Unauthorized
from sync.server.routers import error_responses
from sync.server.services._sql import storable
from sync.server.services.orders import (
    Caller,
    Forbidden,
    cancel_order,
    check_code,
    create_order,
    number_in_qr,
    order_by_number,
)

router = APIRouter(prefix="/v1/orders", tags=["orders"], dependencies=[Depends(require_protocol)])

OrderNumber = Annotated[str, Path(min_length=1, max_length=40)]


def _channel(caller: Caller) -> str:
    if caller.channel is None:
        # 401, not 403: the token is not a credential of this endpoint's kind at all.
        raise Unauthorized(
            "this needs a channel key (mostrador-server channel-key); a register's token may "
            "only read orders and verify pickup codes"
        )
    return caller.channel


def _may_read(caller: Caller, store_code: str, number: str) -> None:
    if caller.device is not None and caller.device.store_code != store_code:
        raise Forbidden(f"order {number} is picked up at store {store_code}, not at this one")


@router.post(
    "",
    response_model=OrderView,
    status_code=201,
    responses={
        200: {"model": OrderView, "description": "Already made with this external_ref"},
        **error_responses(401, 409, 422, 426, 503),
    },
)
def create(
    body: OrderCreate,
    caller: CallerDep,
    database: DatabaseDep,
    settings: OrderSettingsDep,
    response: Response,
) -> OrderView:
    """A click-and-collect order: its number, pickup code and QR payload.

    Prices come from the catalog unless a line gives `unit_price_cents`. The same
    `external_ref` again answers the first order (200) when the request is the same, 409
    `external_ref_reused` when it is not. Unknown store, unknown SKU, product no longer sold:
    422 with `unknown_store`, `unknown_sku`, `inactive_product`.
    """
    channel = _channel(caller)
    if not storable(body.model_dump(mode="json")):
        raise ApiError("the request holds text that cannot be stored (a NUL character)", status=422)

    def work() -> OrderView:
        with database.writing() as conn:
            order, created = create_order(conn, channel, body, settings=settings)
        response.status_code = 201 if created else 200
        return OrderView(order=order.model_dump(mode="json"))

    try:
        return database.retrying(work, what="order creation")
    except IntegrityError:  # the same external_ref created at the same moment: take the first
        return database.retrying(work, what="order creation")


@router.post(
    "/{number}/cancel",
    response_model=OrderView,
    responses=error_responses(401, 404, 409, 422, 426, 503),
)
def cancel(
    number: OrderNumber,
    body: OrderCancel,
    caller: CallerDep,
    database: DatabaseDep,
    keeper: HousekeeperDep,
) -> OrderView:
    """Cancel an order while it is pending, picking or ready (again: the same answer); its
    reservation is released and the customer is notified. 409 `order_closed` after that."""
    channel = _channel(caller)

    def work() -> OrderView:
        with database.writing() as conn:
            order = cancel_order(conn, channel, number, body.reason)
        return OrderView(order=order.model_dump(mode="json"))

    view = database.retrying(work, what="order cancellation")
    if keeper is not None:
        keeper.wake()
    return view


@router.get(
    "/{number}",
    response_model=OrderView,
    responses=error_responses(401, 403, 404, 422, 426, 503),
)
def read(number: OrderNumber, caller: CallerDep, database: DatabaseDep) -> OrderView:
    """The order as it stands, with its history (a register: only orders of its store)."""

    def work() -> OrderView:
        with database.reading() as conn:
            order = order_by_number(conn, number)
        _may_read(caller, order.store_code, order.number)
        return OrderView(order=order.model_dump(mode="json"))

    return database.retrying(work, what="order look-up")


@router.post(
    "/{number}/verify",
    response_model=CodeCheckResult,
    responses=error_responses(401, 403, 404, 422, 426, 503),
)
def verify(
    number: OrderNumber, body: CodeCheck, caller: CallerDep, database: DatabaseDep
) -> CodeCheckResult:
    """Whether `code` (the typed pickup code, or the whole QR payload) is this order's.

    The comparison takes the same time whatever the code. `status` tells whether the order may
    be handed over (`ready`)."""

    def work() -> CodeCheckResult:
        with database.reading() as conn:
            order = order_by_number(conn, number)
        _may_read(caller, order.store_code, order.number)
        in_qr = number_in_qr(body.code)
        ok = check_code(order, body.code) and (in_qr is None or in_qr == order.number)
        if not ok:
            return CodeCheckResult(ok=False)
        return CodeCheckResult(
            ok=True, order_id=order.order_id, number=order.number, status=order.status
        )

    return database.retrying(work, what="pickup code check")
