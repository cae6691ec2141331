"""Fixtures of the backend tests: a backend on SQLite (a temporary file) and on PostgreSQL (a
fresh database on ``$MOSTRADOR_TEST_PG_URL``), served for real by uvicorn on loopback in a
background thread, and talked to over HTTP with httpx.

Helpers are reached through fixtures (``backend``, ``make_sale``...) so that test modules never
import this file.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine, Table, create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from stdnum import ean

from pos_app.domain.ids import new_id
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from sync.server import create_app
from sync.server.core.config import normalize_database_url, sqlite_url
from sync.server.database import Database
from sync.server.services.catalog import import_catalog, product_id_for_sku
from sync.server.services.changelog import record_changes
from sync.server.services.registers import create_enrollment_code
from sync.server.services.stock import set_level
from sync.server.services.stores import StoreSpec, save_store

PG_ENV = "MOSTRADOR_TEST_PG_URL"


def gtin(first12: str) -> str:
    return first12 + ean.calc_check_digit(first12)


CATALOG: dict[str, Any] = {
    "tax_rates": [
        {"tax_class": "IVA21", "name": "IVA general", "rate": "21", "valid_from": "2012-09-01"},
        {"tax_class": "IVA10", "name": "IVA reducido", "rate": "10", "valid_from": "2012-09-01"},
        {"tax_class": "IVA4", "name": "IVA superreducido", "rate": "4", "valid_from": "1995-01-01"},
    ],
    "categories": [{"code": "ALIM", "name": "Alimentación"}, {"code": "DROG", "name": "Droguería"}],
    "products": [
        {
            "sku": "P0001",
            "name": "Café molido natural 250 g",
            "category": "ALIM",
            "tax_class": "IVA10",
            "price_cents": 349,
            "barcodes": [gtin("841000000001")],
        },
        {
            "sku": "P0002",
            "name": "Leche entera 1 l",
            "category": "ALIM",
            "tax_class": "IVA4",
            "price_cents": 99,
            "barcodes": [gtin("841000000002"), gtin("8419999")],
        },
        {
            "sku": "P0003",
            "name": "Jabón de manos 500 ml",
            "category": "DROG",
            "tax_class": "IVA21",
            "price_cents": 1210,
            "barcodes": [gtin("841000000003")],
        },
        {
            "sku": "P0006",
            "name": "Tomate pera",
            "category": "ALIM",
            "tax_class": "IVA4",
            "price_cents": 299,
            "measure": "weight",
            "barcodes": [gtin("211234500000")],
        },
    ],
}


# --- databases -------------------------------------------------------------------------------


def _admin_engine() -> Engine:
    url = make_url(normalize_database_url(os.environ[PG_ENV]))
    return create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _url_of(admin: Engine, name: str) -> str:
    return admin.url.set(database=name).render_as_string(hide_password=False)


def _drop(admin: Engine, name: str) -> None:
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """A new, empty database on the PostgreSQL server of ``$MOSTRADOR_TEST_PG_URL``."""
    admin = _admin_engine()
    name = f"mostrador_test_{secrets.token_hex(6)}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield _url_of(admin, name)
        finally:
            _drop(admin, name)
    finally:
        admin.dispose()


class Background:
    """Work done off the test's critical path: tear-downs (stopping a server takes uvicorn
    0.1-0.2 s) and preparing the next PostgreSQL database. Failures are raised at the end of
    the session, so none goes unseen."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="test-background")
        self._futures: list[Future[None]] = []

    def run(self, steps: list[Callable[[], None]]) -> None:
        def all_steps() -> None:
            errors = []
            for step in steps:
                try:
                    step()
                except Exception as exc:  # every step runs; the first error is raised
                    errors.append(exc)
            if errors:
                raise errors[0]

        self._futures.append(self._pool.submit(all_steps))

    def finish(self) -> None:
        self._pool.shutdown(wait=True)
        for future in self._futures:
            future.result()


class PgDatabases:
    """Fresh databases ``mostrador_test_<random>``, each a copy of a template migrated once,
    the next one made in the background while a test runs."""

    def __init__(self, background: Background) -> None:
        self._admin = _admin_engine()
        self._background = background
        self._template = f"mostrador_test_tpl_{secrets.token_hex(4)}"
        with self._admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self._template}"'))
        template = Database(_url_of(self._admin, self._template), pool_size=1)
        try:
            template.migrate()
        finally:
            template.dispose()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-pg-create")
        self._next = self._pool.submit(self._create)

    def _create(self) -> str:
        name = f"mostrador_test_{secrets.token_hex(6)}"
        with self._admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self._template}"'))
        return name

    def take(self) -> tuple[str, Callable[[], None]]:
        """A database URL and how to drop it."""
        name = self._next.result()
        self._next = self._pool.submit(self._create)
        return _url_of(self._admin, name), lambda: _drop(self._admin, name)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        try:
            _drop(self._admin, self._next.result())
        finally:
            _drop(self._admin, self._template)
            self._admin.dispose()


@pytest.fixture(scope="session")
def background() -> Iterator[Background]:
    helper = Background()
    yield helper
    helper.finish()


@pytest.fixture(scope="session")
def pg_databases(background: Background) -> Iterator[PgDatabases]:
    databases = PgDatabases(background)
    yield databases
    databases.close()


@pytest.fixture
def deferred(background: Background) -> Iterator[list[Callable[[], None]]]:
    """Tear-down steps of this test, run in order, in the background, after it."""
    steps: list[Callable[[], None]] = []
    yield steps
    background.run(steps)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, deferred: list[Callable[[], None]]
) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "backend.sqlite3")
        return
    url, drop = request.getfixturevalue("pg_databases").take()
    yield url
    deferred.append(drop)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """An empty PostgreSQL database (tests that use it must be marked ``postgres``)."""
    with fresh_pg_database() as url:
        yield url


@pytest.fixture
def database(database_url: str, deferred: list[Callable[[], None]]) -> Iterator[Database]:
    db = Database(database_url, pool_size=5)
    db.migrate()
    yield db
    deferred.append(db.dispose)


# --- the served backend ----------------------------------------------------------------------


class ThreadedServer:
    """The real app under uvicorn, on 127.0.0.1 and a free port, in a background thread."""

    def __init__(self, database_url: str, **app_options: Any) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.base_url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        config = uvicorn.Config(
            create_app(database_url, pool_size=5, **app_options),  # settings=, notifier=
            log_config=None,
            lifespan="on",
            timeout_graceful_shutdown=5,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the backend did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


@dataclass(frozen=True)
class Register:
    device_id: str
    register_code: str
    store_code: str
    token: str


class Backend:
    """The served backend plus what tests do to it directly (as IT would, with the CLI)."""

    def __init__(self, server: ThreadedServer | None, database: Database) -> None:
        self.server = server
        self.database = database
        self.base_url = server.base_url if server is not None else ""
        self._clients: list[httpx.Client] = []
        self._catalog_dir: Path | None = None

    def client(self, token: str | None = None, *, protocol: str | None = None) -> httpx.Client:
        headers = {PROTOCOL_HEADER: protocol or str(PROTOCOL_VERSION)}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        client = httpx.Client(base_url=self.base_url, headers=headers, timeout=30)
        self._clients.append(client)
        return client

    def close(self) -> None:
        for client in self._clients:
            client.close()

    # --- set-up, as IT does it --------------------------------------------------------
    def store(self, code: str = "T01", name: str | None = None) -> str:
        spec = StoreSpec(code, name or f"Tienda {code}", "B12345678", ("Calle Mayor 1", "Madrid"))
        with self.database.writing() as conn:
            save_store(conn, spec)
        return code

    def code(self, store: str = "T01", *, hours: float = 1, now: datetime | None = None) -> str:
        with self.database.writing() as conn:
            return create_enrollment_code(conn, store, valid_for=timedelta(hours=hours), now=now)

    def catalog(self, tmp_dir: Path, catalog: dict[str, Any] | None = None) -> None:
        path = tmp_dir / f"catalog-{secrets.token_hex(4)}.json"
        path.write_text(json.dumps(catalog or CATALOG, ensure_ascii=False), encoding="utf-8")
        import_catalog(self.database, path)

    def set_stock(self, store: str, sku: str, quantity: int | str) -> None:
        from decimal import Decimal

        with self.database.writing() as conn:
            _, change = set_level(conn, store, sku, Decimal(quantity))
            if change is not None:
                record_changes(conn, [change])

    def enroll(self, store: str = "T01", name: str = "Caja") -> Register:
        response = self.client().post(
            "/v1/enroll", json={"code": self.code(store), "register_name": name}
        )
        assert response.status_code == 201, response.text
        return self.register_from(response.json(), store)

    @staticmethod
    def register_from(enrolled: dict[str, Any], store: str) -> Register:
        return Register(enrolled["device_id"], enrolled["register_code"], store, enrolled["token"])

    # --- reading what is stored --------------------------------------------------------
    def count(self, table: Table, *where: Any) -> int:
        with self.database.reading() as conn:
            query = select(func.count()).select_from(table)
            for clause in where:
                query = query.where(clause)
            return int(conn.execute(query).scalar_one())

    def scalar(self, query: Any) -> Any:
        with self.database.reading() as conn:
            return conn.execute(query).scalar()

    def pull_all(self, client: httpx.Client, since: str = "0", limit: int = 1000) -> list[dict]:
        changes: list[dict] = []
        while True:
            response = client.get("/v1/sync/pull", params={"since": since, "limit": limit})
            assert response.status_code == 200, response.text
            body = response.json()
            changes.extend(body["changes"])
            since = body["cursor"]
            if not body["has_more"]:
                return changes


@pytest.fixture
def backend(
    database_url: str, database: Database, deferred: list[Callable[[], None]]
) -> Iterator[Backend]:
    server = ThreadedServer(database_url)
    server.start()
    helper = Backend(server, database)
    yield helper
    helper.close()
    deferred.append(server.stop)


@pytest.fixture
def unserved(database: Database) -> Iterator[Backend]:
    """The ``Backend`` helper's set-up and reading on the test's database, with no server (for
    tests that serve it themselves with ``serve``)."""
    helper = Backend(None, database)
    yield helper
    helper.close()


@pytest.fixture
def serve(database_url: str, deferred: list[Callable[[], None]]) -> Callable[..., ThreadedServer]:
    """Start the real app on the test's database with ``create_app`` options (``settings=``,
    ``notifier=``); stopped after the test (``stop()`` may be called earlier)."""

    def start(**app_options: Any) -> ThreadedServer:
        server = ThreadedServer(database_url, **app_options)
        server.start()
        deferred.append(server.stop)
        return server

    return start


# --- events as registers push them ---------------------------------------------------------


def sale_payload(
    register: Register,
    lines: list[tuple[str, str, int]],
    *,
    number: int = 1,
    store_code: str | None = None,
    total_cents: int | None = None,
) -> dict[str, Any]:
    """A ``sale.completed`` payload in the register's exact shape (see
    ``pos_app.services.checkout.sale_to_payload``). ``lines``: (sku, quantity, line total)."""
    store = store_code or register.store_code
    line_docs = [
        {
            "line_no": i,
            "product_id": product_id_for_sku(sku),
            "sku": sku,
            "name": f"Producto {sku}",
            "measure": "unit",
            "quantity": quantity,
            "unit_price_cents": cents,
            "gross_cents": cents,
            "discount_cents": 0,
            "total_cents": cents,
            "tax_class": "IVA21",
            "tax_rate": "21",
            "base_cents": round(cents / 1.21),
            "tax_cents": cents - round(cents / 1.21),
        }
        for i, (sku, quantity, cents) in enumerate(lines, start=1)
    ]
    total = sum(line["total_cents"] for line in line_docs)
    tax = sum(line["tax_cents"] for line in line_docs)
    return {
        "sale_id": new_id(),
        "receipt_number": f"{store}-{register.register_code}-2026-{number:06d}",
        "store_code": store,
        "register_code": register.register_code,
        "cashier": "Ana",
        "completed_at": datetime(2026, 11, 25, 10, 30, tzinfo=UTC).isoformat(),
        "currency": "EUR",
        "gross_cents": total,
        "discount_cents": 0,
        "total_cents": total if total_cents is None else total_cents,
        "tax_cents": tax,
        "change_cents": 0,
        "lines": line_docs,
        "taxes": [
            {
                "tax_class": "IVA21",
                "rate": "21",
                "base_cents": total - tax,
                "tax_cents": tax,
                "total_cents": total,
            }
        ],
        "payments": [
            {
                "payment_id": new_id(),
                "kind": "card",
                "amount_cents": total,
                "tendered_cents": total,
                "reference": "A1",
            }
        ],
    }


def event(seq: int, payload: dict[str, Any], type_: str = "sale.completed") -> dict[str, Any]:
    return {
        "seq": seq,
        "event_id": new_id(),
        "type": type_,
        "occurred_at": datetime(2026, 11, 25, 10, 30, tzinfo=UTC).isoformat(),
        "payload": payload,
    }


@pytest.fixture
def make_sale() -> Callable[..., dict[str, Any]]:
    return sale_payload


@pytest.fixture
def make_event() -> Callable[..., dict[str, Any]]:
    return event


# --- fiscal journals (issue 8) ------------------------------------------------------------


class Journal:
    """A register's valid journal, record after record, made with ``sync.fiscal`` as the
    register makes it: each ``ticket``/``close`` returns the next ``fiscal.recorded`` payload."""

    def __init__(self, register: Register, *, issuer_tax_id: str = "B12345678") -> None:
        self.register = register
        self.issuer_tax_id = issuer_tax_id
        self.seq = 0
        self.tickets = 0
        self.journal_previous = ""
        self.fingerprint_previous = ""

    def _next(self, **fields: Any) -> dict[str, Any]:
        from sync.fiscal import journal_hash, record_fingerprint
        from sync.protocol import FiscalRecordPayload

        self.seq += 1
        record = FiscalRecordPayload(
            record_id=new_id(),
            store_code=self.register.store_code,
            register_code=self.register.register_code,
            chain_seq=self.seq,
            issuer_tax_id=self.issuer_tax_id,
            issue_date="25-11-2026",
            generated_at=f"2026-11-25T10:{self.seq % 60:02d}:00+01:00",
            journal_previous=self.journal_previous,
            journal_hash="0" * 64,
            **fields,
        )
        if record.record_type != "cierre":
            record = record.model_copy(
                update={
                    "previous_fingerprint": self.fingerprint_previous,
                    "fingerprint": "",
                }
            )
            record = record.model_copy(update={"fingerprint": record_fingerprint(record)})
            self.fingerprint_previous = record.fingerprint
        record = record.model_copy(update={"journal_hash": journal_hash(record)})
        self.journal_previous = record.journal_hash
        return record.model_dump(mode="json")

    def ticket(
        self, total_cents: int = 1210, tax_cents: int = 210, *, source_id: str | None = None
    ) -> dict[str, Any]:
        from sync.fiscal import amount_text

        self.tickets += 1
        return self._next(
            record_type="alta",
            invoice_type="F2",
            series_number=f"{self.register.store_code}{self.register.register_code}-2026-"
            f"{self.tickets:06d}",
            tax_total=amount_text(tax_cents),
            amount_total=amount_text(total_cents),
            source_kind="sale",
            source_id=source_id or new_id(),
        )

    def close(self, till_id: str, z_number: str = "Z-0001") -> dict[str, Any]:
        return self._next(
            record_type="cierre",
            series_number=z_number,
            tax_total="0.00",
            amount_total="0.00",
            source_kind="till_close",
            source_id=till_id,
        )


@pytest.fixture
def make_journal() -> Callable[..., Journal]:
    return Journal
