"""The register's HTTP client for the backend (httpx), one call per protocol endpoint.

Each call is one attempt; the sync worker decides when to retry. Every failure becomes a
``SyncError`` with a kind (network, server, auth, protocol, rejected); an answer that is not the
protocol (HTML, truncated JSON, a wrong schema) is a PROTOCOL error, never an exception of httpx
or pydantic leaking out. The token is sent in a header and never logged.
"""

from __future__ import annotations

import logging
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from sync.errors import SyncError, SyncErrorKind
from sync.protocol import (
    DEFAULT_PULL_LIMIT,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    CodeCheck,
    CodeCheckResult,
    CustomerData,
    CustomerHistory,
    CustomerSearchResult,
    EnrollRequest,
    EnrollResponse,
    ErrorBody,
    Health,
    OrderView,
    OutboxEvent,
    PickupOrderData,
    PullResponse,
    PushRequest,
    PushResponse,
    ReturnableView,
    StockAvailability,
    VoucherView,
)

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=3.0)


class SyncClient:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            transport=transport,
            headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION), "User-Agent": "mostrador-register"},
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def set_token(self, token: str | None) -> None:
        self._token = token

    # --- plumbing ------------------------------------------------------------------------
    def _request(
        self,
        method: str,
        path: str,
        model: type[M],
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        auth: bool = True,
    ) -> M:
        headers = {}
        if auth:
            if not self._token:
                raise SyncError(SyncErrorKind.AUTH, "this register has no token: enrol it first")
            headers["Authorization"] = f"Bearer {self._token}"
        try:
            response = self._http.request(method, path, json=json, params=params, headers=headers)
        except httpx.TimeoutException as exc:
            raise SyncError(
                SyncErrorKind.NETWORK, f"the backend did not answer in time ({exc})"
            ) from exc
        except httpx.TransportError as exc:
            raise SyncError(SyncErrorKind.NETWORK, f"cannot reach the backend ({exc})") from exc
        if response.status_code >= 400:
            raise self._error(response)
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            raise SyncError(
                SyncErrorKind.PROTOCOL,
                f"the backend's answer to {method} {path} is not protocol v{PROTOCOL_VERSION}: "
                f"{exc.error_count()} problem(s), first: {exc.errors()[0]['msg']}",
                status=response.status_code,
            ) from exc

    def _error(self, response: httpx.Response) -> SyncError:
        status = response.status_code
        try:
            body = ErrorBody.model_validate_json(response.content)
            code, message = body.code, body.message
        except ValidationError:
            code, message = "", f"HTTP {status} with a body that is not an error of the protocol"
            body = None
        if status == 426 or code == "protocol_version":
            supported = body.supported if body and body.supported else []
            return SyncError(
                SyncErrorKind.PROTOCOL,
                f"the backend does not speak protocol v{PROTOCOL_VERSION} "
                f"(it supports {', '.join(f'v{v}' for v in supported) or 'other versions'}): "
                "update this register or the backend",
                code=code or "protocol_version",
                status=status,
            )
        if status in (401, 403):
            return SyncError(SyncErrorKind.AUTH, message, code=code, status=status)
        if status >= 500:
            return SyncError(SyncErrorKind.SERVER, message, code=code, status=status)
        return SyncError(SyncErrorKind.REJECTED, message, code=code, status=status)

    # --- endpoints -----------------------------------------------------------------------
    def health(self) -> Health:
        return self._request("GET", "/v1/health", Health, auth=False)

    def enroll(
        self,
        code: str,
        register_name: str,
        device_id: str | None = None,
        *,
        store_code: str | None = None,
    ) -> EnrollResponse:
        body = EnrollRequest(
            code=code, register_name=register_name, device_id=device_id, store_code=store_code
        )
        return self._request(
            "POST", "/v1/enroll", EnrollResponse, json=body.model_dump(mode="json"), auth=False
        )

    def push(self, events: list[OutboxEvent]) -> PushResponse:
        body = PushRequest(events=events)
        return self._request(
            "POST", "/v1/sync/push", PushResponse, json=body.model_dump(mode="json")
        )

    def pull(self, since: str, limit: int = DEFAULT_PULL_LIMIT) -> PullResponse:
        return self._request(
            "GET", "/v1/sync/pull", PullResponse, params={"since": since, "limit": limit}
        )

    def stock(self, sku: str) -> StockAvailability:
        return self._request("GET", f"/v1/stock/{sku}", StockAvailability)

    # --- click-and-collect, online --------------------------------------------------------
    def order(self, number: str) -> PickupOrderData:
        """A pickup order of this register's store, as the backend holds it now (404 ->
        REJECTED ``not_found``; an order of another store -> AUTH ``forbidden``)."""
        path = f"/v1/orders/{quote(number.strip(), safe='')}"
        view = self._request("GET", path, OrderView)
        try:
            return PickupOrderData.model_validate(view.order)
        except ValidationError as exc:
            raise SyncError(
                SyncErrorKind.PROTOCOL,
                f"the backend's order {number} is not protocol v{PROTOCOL_VERSION}: "
                f"{exc.error_count()} problem(s), first: {exc.errors()[0]['msg']}",
            ) from exc

    def verify_code(self, number: str, code: str) -> CodeCheckResult:
        """Whether ``code`` (the typed pickup code, or the QR payload) is the order's."""
        body = CodeCheck(code=code)
        path = f"/v1/orders/{quote(number.strip(), safe='')}/verify"
        return self._request("POST", path, CodeCheckResult, json=body.model_dump(mode="json"))

    # --- returns, online --------------------------------------------------------------------
    def returnable(self, reference: str) -> ReturnableView:
        """What is still returnable of a sale of any store (by receipt number) or of a collected
        web order (by number): quantities sold and already returned, unit refunds, tenders
        (404 -> REJECTED ``not_found``; an order not collected -> REJECTED ``not_returnable``)."""
        path = f"/v1/returnable/{quote(reference.strip(), safe='')}"
        return self._request("GET", path, ReturnableView)

    # --- store credit, online ---------------------------------------------------------------
    def voucher(self, code: str) -> VoucherView:
        """A store-credit voucher of any store, with its balance now (below zero when it was
        overspent); 404 -> REJECTED ``not_found`` (unknown, or its return not pushed yet)."""
        path = f"/v1/vouchers/{quote(code.strip(), safe='')}"
        return self._request("GET", path, VoucherView)

    # --- customers, online ------------------------------------------------------------------
    def customers(self, q: str) -> CustomerSearchResult:
        """Customers of any store whose phone, email, name or loyalty card matches ``q`` (at
        most 50, best match first)."""
        return self._request("GET", "/v1/customers", CustomerSearchResult, params={"q": q.strip()})

    def customer(self, customer_id: str) -> CustomerData:
        """One customer as the backend holds them now; the asking store keeps them (they reach
        its registers as a ``customer`` change). 404 -> REJECTED ``not_found`` (unknown or
        erased)."""
        path = f"/v1/customers/{quote(customer_id.strip(), safe='')}"
        return self._request("GET", path, CustomerData)

    def customer_history(self, customer_id: str) -> CustomerHistory:
        """What the customer did in every channel, newest first (404 -> REJECTED
        ``not_found``)."""
        path = f"/v1/customers/{quote(customer_id.strip(), safe='')}/history"
        return self._request("GET", path, CustomerHistory)
