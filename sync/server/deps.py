"""Typed dependencies of the routes: the database, the push writer, the protocol header, the
calling register.

The ones that need no database are ``async def``: FastAPI runs a plain ``def`` dependency in its
thread pool, a hand-off between threads per request that costs more than the work itself.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sync.protocol import PROTOCOL_HEADER, SUPPORTED_VERSIONS
from sync.server.database import Database
from sync.server.errors import Unauthorized
from sync.server.services._sql import utcnow
from sync.server.services.housekeeping import Housekeeper
from sync.server.services.orders import Caller, OrderSettings, channel_of_key
from sync.server.services.push import PushWriter
from sync.server.services.registers import DeviceIdentity, authenticate, mark_seen


async def get_database(request: Request) -> Database:
    database = request.app.state.database
    assert isinstance(database, Database)
    return database


DatabaseDep = Annotated[Database, Depends(get_database)]


async def get_push_writer(request: Request) -> PushWriter:
    writer = request.app.state.push_writer
    assert isinstance(writer, PushWriter)
    return writer


PushWriterDep = Annotated[PushWriter, Depends(get_push_writer)]


async def require_protocol(
    version: Annotated[
        str,
        Header(
            alias=PROTOCOL_HEADER,
            description="The protocol version the client speaks. Without it, or with a "
            "version this backend does not speak, the answer is 426 `protocol_version` with "
            "the versions it supports (not 400 or 422).",
            # A header is text on the wire: declared as the strings "1", ..., so that "1" is not
            # taken for a wrong type by clients generated from the description (or by fuzzers).
            json_schema_extra={"enum": [str(v) for v in SUPPORTED_VERSIONS]},
        ),
    ],
) -> int:
    """Declares the header in the OpenAPI description; ``GuardMiddleware`` enforces it (so the
    check comes before anything else, even a body that is not JSON)."""
    return int(version)


_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="RegisterToken",
    description="The token a register received from POST /v1/enroll.",
)


async def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The token the request carries (not checked yet: see ``current_device``)."""
    if credentials is None or not credentials.credentials:
        raise Unauthorized("this request needs the header Authorization: Bearer <token>")
    return credentials.credentials


TokenDep = Annotated[str, Depends(bearer_token)]


def current_device(database: DatabaseDep, token: TokenDep) -> DeviceIdentity:
    now = utcnow()

    def check() -> DeviceIdentity:
        with database.reading() as conn:
            return authenticate(conn, token)

    device = database.retrying(check, what="token check")
    if device.seen_long_ago(now):

        def touch() -> None:
            with database.writing() as conn:
                mark_seen(conn, device.device_id, now)

        database.retrying(touch, what="last seen")
    return device


DeviceDep = Annotated[DeviceIdentity, Depends(current_device)]


def current_caller(database: DatabaseDep, token: TokenDep) -> Caller:
    """A channel (by its key) or a register (by its token): who may use the orders API."""

    def check() -> str | None:
        with database.reading() as conn:
            return channel_of_key(conn, token)

    channel = database.retrying(check, what="channel key check")
    if channel is not None:
        return Caller(channel=channel)
    return Caller(device=current_device(database, token))


CallerDep = Annotated[Caller, Depends(current_caller)]


async def get_order_settings(request: Request) -> OrderSettings:
    settings = getattr(request.app.state, "order_settings", None)
    return settings if isinstance(settings, OrderSettings) else OrderSettings()


OrderSettingsDep = Annotated[OrderSettings, Depends(get_order_settings)]


async def get_housekeeper(request: Request) -> Housekeeper | None:
    keeper = getattr(request.app.state, "housekeeper", None)
    return keeper if isinstance(keeper, Housekeeper) else None


HousekeeperDep = Annotated[Housekeeper | None, Depends(get_housekeeper)]
