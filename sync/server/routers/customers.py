"""Customers (``/v1/customers``): look them up, read one, their history; erase one.

Registers (device token) and other channels (channel key) may look up and read. A register
reading a customer by id links its store to them: the customer is sent to its registers and
later edits reach them. Erasing (a data-protection request, ``POST /v1/customers/{id}/erase``)
takes a channel key; IT can also do it with ``mostrador-server erase-customer``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from sync.protocol import CustomerData, CustomerHistory, CustomerSearchResult
from sync.server.deps import CallerDep, DatabaseDep, require_protocol
from sync.server.errors import NotFound, Unauthorized
from sync.server.routers import error_responses
from sync.server.services._sql import storable
from sync.server.services.customers import (
    MIN_QUERY,
    customer_data,
    customer_history,
    erase_customer,
    look_up_for_store,
    search_customers,
)

router = APIRouter(
    prefix="/v1/customers", tags=["customers"], dependencies=[Depends(require_protocol)]
)

CustomerIdPath = Annotated[str, Path(min_length=1, max_length=36)]


def _known_id(customer_id: str) -> str:
    if not storable(customer_id):
        raise NotFound(f"no customer {customer_id!r}")
    return customer_id


@router.get(
    "",
    response_model=CustomerSearchResult,
    responses=error_responses(401, 422, 426, 503),
)
def search(
    q: Annotated[str, Query(min_length=MIN_QUERY, max_length=200)],
    caller: CallerDep,
    database: DatabaseDep,
) -> CustomerSearchResult:
    """Customers whose phone, email, name (every word, accents and case ignored) or loyalty
    card matches `q`, at most 50, best match first. Erased customers are never found. A `q`
    shorter than 2 characters is 422 `invalid`."""
    if not storable(q):
        return CustomerSearchResult(customers=[])

    def work() -> CustomerSearchResult:
        with database.reading() as conn:
            return CustomerSearchResult(customers=search_customers(conn, q))

    return database.retrying(work, what="customer look-up")


@router.get(
    "/{customer_id}",
    response_model=CustomerData,
    responses=error_responses(401, 404, 422, 426, 503),
)
def read(customer_id: CustomerIdPath, caller: CallerDep, database: DatabaseDep) -> CustomerData:
    """The customer as the backend holds them. A register asking links its store: the customer
    is then sent to its registers, and later edits reach them. 404 `not_found` when unknown or
    erased."""
    _known_id(customer_id)
    device = caller.device

    def work() -> CustomerData:
        if device is None:
            with database.reading() as conn:
                return customer_data(conn, customer_id)
        with database.writing() as conn:
            return look_up_for_store(conn, customer_id, device.store_code)

    return database.retrying(work, what="customer read")


@router.get(
    "/{customer_id}/history",
    response_model=CustomerHistory,
    responses=error_responses(401, 404, 422, 426, 503),
)
def history(
    customer_id: CustomerIdPath, caller: CallerDep, database: DatabaseDep
) -> CustomerHistory:
    """Everything the customer did in every channel, newest first (at most 200): sales at any
    store, web and phone orders with their pickup state, and the returns of those or naming the
    customer, each with a short summary ("3 artículos: Camiseta, Pantalón"). A return's
    `total_cents` is the amount refunded. 404 `not_found` when unknown or erased."""
    _known_id(customer_id)

    def work() -> CustomerHistory:
        with database.reading() as conn:
            return customer_history(conn, customer_id)

    return database.retrying(work, what="customer history")


# POST .../erase rather than DELETE /{customer_id}: one path, one method (a 405's Allow header
# names only the methods of the first route of a path).
@router.post(
    "/{customer_id}/erase",
    status_code=204,
    responses=error_responses(401, 404, 422, 426, 503),
)
def erase(customer_id: CustomerIdPath, caller: CallerDep, database: DatabaseDep) -> Response:
    """Erase the customer (a data-protection request; a channel key only): every personal
    field is blanked and every register drops them. Their sales, orders and returns stay,
    naming only the id. 404 `not_found` when unknown or already erased."""
    if caller.channel is None:
        raise Unauthorized(
            "erasing a customer needs a channel key (or mostrador-server erase-customer); a "
            "register's token may not"
        )
    _known_id(customer_id)

    def work() -> None:
        with database.writing() as conn:
            erase_customer(conn, customer_id)

    database.retrying(work, what="customer erasure")
    return Response(status_code=204)
