"""The backend as an ASGI app: ``create_app(database_url)``.

Nothing is built at import time: the factory makes the app, and the app's lifespan opens the
database (refusing to start on a schema that is not this version's) and starts the push writer
(``services/push.py``: the thread that takes pushes in groups); at shutdown it lets the writer
finish what is waiting, then closes the database.

Every error is an ``ErrorBody`` (``code``, ``message``), never a stack trace:

- ``GuardMiddleware``, outermost: ``/v1/*`` except ``/v1/health`` needs a supported
  ``X-Mostrador-Protocol`` (else 426 ``protocol_version`` with ``supported``); a body above
  ``MAX_BODY_BYTES`` is 413 ``too_large``; any unexpected exception is 500 ``internal``.
- exception handlers: ``ApiError`` as it says; request validation 422 ``invalid`` (a push of
  more than ``MAX_PUSH_EVENTS`` events: 413 ``too_large``); unknown routes 404 ``not_found``;
  transient database failures 503 ``unavailable``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.protocol import MAX_PUSH_EVENTS, PROTOCOL_HEADER, SUPPORTED_VERSIONS, ErrorBody
from sync.server.core.config import ServerSettings, server_version, settings_from_env
from sync.server.database import Database, describe, is_transient
from sync.server.errors import ApiError
from sync.server.routers import (
    customers,
    enroll,
    health,
    orders,
    returns,
    stock,
    sync,
    vouchers,
)
from sync.server.services.housekeeping import Housekeeper
from sync.server.services.notifications import LogNotifier, Notifier, WebhookNotifier
from sync.server.services.orders import OrderSettings
from sync.server.services.push import PushWriter

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024 * 1024
_HTTP_CODES = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "invalid",
}


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    supported: list[int] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = ErrorBody(code=code, message=message, supported=supported)
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def _protocol_refusal(value: str | None) -> JSONResponse | None:
    try:
        version = int(value.strip()) if value is not None else None
    except ValueError:
        version = None
    if version in SUPPORTED_VERSIONS:
        return None
    said = "no protocol version" if value is None else f"protocol version {value.strip()[:20]!r}"
    versions = ", ".join(str(v) for v in SUPPORTED_VERSIONS)
    return error_response(
        426,
        "protocol_version",
        f"this backend speaks protocol version {versions}; the request said {said} "
        f"(header {PROTOCOL_HEADER})",
        supported=list(SUPPORTED_VERSIONS),
        headers={"Upgrade": f"mostrador/{max(SUPPORTED_VERSIONS)}"},
    )


class GuardMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith("/v1/") and path != "/v1/health":
            headers = Headers(scope=scope)
            refusal = _protocol_refusal(headers.get(PROTOCOL_HEADER))
            if refusal is not None:
                await refusal(scope, receive, send)
                return
            length = headers.get("content-length", "")
            if length.isdigit() and int(length) > MAX_BODY_BYTES:
                await error_response(413, "too_large", f"the body is over {MAX_BODY_BYTES} bytes")(
                    scope, receive, send
                )
                return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            log.exception("unexpected error on %s %s", scope.get("method"), path)
            if started:
                raise
            await error_response(
                500, "internal", "the backend failed on this request; the details are in its log"
            )(scope, receive, send)


async def _on_api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else {}
    return error_response(exc.status, exc.code, exc.message, headers=headers)


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:  # FastAPI's "error parsing the body" (not UTF-8, say)
        return error_response(422, "invalid", "the body is not JSON text")
    code = _HTTP_CODES.get(exc.status_code, "invalid" if exc.status_code < 500 else "internal")
    message = exc.detail if isinstance(exc.detail, str) else "request refused"
    if exc.status_code == 404 and message == "Not Found":
        message = f"no such endpoint: {request.method} {request.url.path}"
    return error_response(exc.status_code, code, message, headers=exc.headers)


def _validation_message(errors: list[dict[str, Any]]) -> str:
    problems = []
    for error in errors:
        where = ".".join(str(part) for part in error.get("loc", ()))
        problems.append(f"{where}: {error.get('msg', 'invalid')}")
    more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    return "; ".join(problems[:5]) + more


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [dict(e) for e in exc.errors()]
    for error in errors:
        if tuple(error.get("loc", ())) == ("body", "events") and error.get("type") == "too_long":
            return error_response(
                413,
                "too_large",
                f"a push carries at most {MAX_PUSH_EVENTS} events: send the rest in another batch",
            )
    return error_response(422, "invalid", _validation_message(errors))


async def _on_database_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SQLAlchemyError)
    if is_transient(exc):
        log.warning(
            "database unavailable on %s %s: %s", request.method, request.url.path, describe(exc)
        )
        return error_response(
            503, "unavailable", "the database is not available right now; try again later"
        )
    log.error("database error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(
        500, "internal", "the backend failed on this request; the details are in its log"
    )


def _notifier(settings: ServerSettings) -> Notifier:
    if settings.notify_webhook:
        return WebhookNotifier(settings.notify_webhook)
    return LogNotifier()


def create_app(
    database_url: str,
    *,
    pool_size: int = 10,
    settings: ServerSettings | None = None,
    notifier: Notifier | None = None,
) -> FastAPI:
    """The backend on ``database_url`` (migrated beforehand: ``Database.migrate``).

    ``settings``: notifications and order expiry (default: from the environment, see
    ``core/config.py``); ``notifier`` replaces the one the settings name (tests)."""
    settings = settings or settings_from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = Database(database_url, pool_size=pool_size)
        writer = PushWriter(database)
        chosen = notifier or _notifier(settings)
        keeper = Housekeeper(database, chosen, settings)
        try:
            await run_in_threadpool(database.check_schema)
            app.state.database = database
            app.state.push_writer = writer
            app.state.order_settings = OrderSettings(expiry_days=settings.order_expiry_days)
            app.state.housekeeper = keeper
            writer.start()
            keeper.start()
            yield
        finally:
            await run_in_threadpool(writer.close)
            await run_in_threadpool(keeper.close)
            if isinstance(chosen, WebhookNotifier) and notifier is None:
                chosen.close()
            database.dispose()

    app = FastAPI(
        title="Mostrador backend",
        version=server_version(),
        summary="Stores, registers, catalog, stock and sales of a Mostrador chain.",
        description=(
            "Protocol v1 between Mostrador registers and their backend. Every /v1 request but "
            f"/v1/health carries `{PROTOCOL_HEADER}`; every one but /v1/health and /v1/enroll "
            "carries `Authorization: Bearer <token>`. Errors are always an ErrorBody. "
            "See sync/README.md."
        ),
        lifespan=lifespan,
    )
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(SQLAlchemyError, _on_database_error)
    for module in (health, enroll, sync, stock, orders, returns, vouchers, customers):
        app.include_router(module.router)
    app.add_middleware(GuardMiddleware)
    # Pull pages of a first sync are large and repetitive JSON: gzip shrinks them ~5-10x, and
    # httpx (the register's client) asks for it and decodes it by itself. Level 5, not
    # Starlette's default 9: a 1.5 MB page compresses in 13 ms instead of 31 ms and is 4 %
    # larger (measured on a page of 5,000 demo products).
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=5)
    return app
