"""Two registers sync with the real backend through a proxy that refuses connections, resets
them before, during and after a request, delays, duplicates, answers 5xx, truncates and corrupts
answers: every sale still arrives exactly once, both outboxes empty, both registers end with the
backend's stock, and nothing needs attention. The test reports how many faults of each kind it
injected (on stderr, visible with ``-s``, and in every assertion message) and fails if a kind was
never injected. A first, quick test checks that each kind does what it says.

Sales per register: ``MOSTRADOR_RELIABILITY_SALES`` (default 20; the full run is 200:
``MOSTRADOR_RELIABILITY_SALES=200 python -m pytest tests/reliability/test_fault_proxy.py -s``).
``MOSTRADOR_RELIABILITY_SEED`` changes the proxy's random choices (default 20240611).
"""

from __future__ import annotations

import json
import os
import random
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import httpx
import pytest
from fault_proxy import (
    DELAY,
    DUPLICATE,
    ERROR_502_AFTER,
    ERROR_503,
    FAULTS,
    GARBAGE,
    LOST_ANSWER,
    PASS,
    REFUSE,
    RESET_BEFORE,
    RESET_MID_BODY,
    TRUNCATED,
    FaultProxy,
)
from sqlalchemy import text
from support import BackendProcess, backend_process, backend_sales, enrollment_code

from pos_app.bootstrap import enroll_register
from pos_app.services.checkout import CheckoutService
from pos_app.services.ports import SystemClock
from pos_app.services.sync import SyncService
from pos_app.services.sync_worker import SyncWorker
from pos_app.storage.credentials import MemoryTokenStore
from pos_app.storage.db import open_database
from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory
from sync.client import SyncClient
from sync.errors import SyncError

SKUS = ("P0000001", "P0000002", "P0000004", "P0000005")
INITIAL_STOCK = 100_000
SALES = int(os.environ.get("MOSTRADOR_RELIABILITY_SALES", "20"))
SEED = int(os.environ.get("MOSTRADOR_RELIABILITY_SEED", "20240611"))

# Random faults after the forced schedule: about 40% of the requests meet one.
WEIGHTS = {
    PASS: 0.60,
    REFUSE: 0.04,
    RESET_BEFORE: 0.04,
    RESET_MID_BODY: 0.04,
    LOST_ANSWER: 0.07,
    DELAY: 0.03,
    DUPLICATE: 0.05,
    ERROR_503: 0.03,
    ERROR_502_AFTER: 0.04,
    TRUNCATED: 0.03,
    GARBAGE: 0.03,
}
# Every fault once on a push that carries a sale, before the random ones: each kind is
# injected whatever the seed and the number of sales.
SCHEDULE = list(FAULTS)


@pytest.fixture
def backend(tmp_path) -> Iterator[BackendProcess]:
    db = f"sqlite:///{tmp_path / 'backend.sqlite3'}"
    stock = dict.fromkeys(SKUS, INITIAL_STOCK)
    with backend_process(tmp_path, db, products=60, stock=stock) as served:
        yield served


@pytest.fixture
def proxy(backend) -> Iterator[FaultProxy]:
    target = urlsplit(backend.url)
    assert target.hostname is not None and target.port is not None
    with FaultProxy(
        target.hostname,
        target.port,
        weights=WEIGHTS,
        seed=SEED,
        schedule=SCHEDULE,
        schedule_path="/v1/sync/push",
    ) as p:
        yield p


@dataclass
class Register:
    name: str
    engine: object
    checkout: CheckoutService
    sync: SyncService
    worker: SyncWorker
    client: SyncClient

    def level(self, sku: str) -> Decimal:
        with SqlUnitOfWorkFactory(self.engine).reader() as uow:  # type: ignore[arg-type]
            product = uow.catalog.find_by_sku(sku)
            assert product is not None
            return uow.stock.level(product.product_id)

    def barcode_of(self, sku: str) -> str:
        with self.engine.connect() as conn:  # type: ignore[attr-defined]
            return conn.execute(
                text(
                    "SELECT b.code FROM barcodes b JOIN products p ON p.pk = b.product_pk "
                    "WHERE p.sku = :s LIMIT 1"
                ),
                {"s": sku},
            ).scalar_one()


def code_for(backend: BackendProcess) -> str:
    return enrollment_code(backend)


@pytest.fixture
def make_register(backend, proxy, tmp_path):
    made: list[Register] = []

    def make(name: str) -> Register:
        engine = open_database(tmp_path / name / "register.sqlite3")
        tokens = MemoryTokenStore()
        # enrolment goes straight to the backend; the sync traffic goes through the proxy
        identity = enroll_register(engine, backend.url, code_for(backend), name, tokens)
        factory = SqlUnitOfWorkFactory(engine)
        clock = SystemClock()
        sync = SyncService(factory, clock)
        device = sync.device_id()
        assert device is not None
        client = SyncClient(proxy.url, tokens.get(device), timeout=5.0, transport=proxy.transport())
        worker = SyncWorker(sync, client, lambda fn: fn())
        reg = Register(
            name,
            engine,
            CheckoutService(factory, clock, identity, cashier=name),
            sync,
            worker,
            client,
        )
        made.append(reg)
        return reg

    yield make
    for reg in made:
        reg.client.close()
        reg.engine.dispose()  # type: ignore[attr-defined]


def sell(reg: Register, *skus: str) -> str:
    for sku in skus:
        reg.checkout.scan(reg.barcode_of(sku))
    reg.checkout.add_cash(reg.checkout.view().payment.due)
    return reg.checkout.complete_sale().sale.receipt_number


def backend_level(client: SyncClient, sku: str) -> Decimal:
    stores = {s.store_code: s for s in client.stock(sku).stores}
    return Decimal(stores["T01"].quantity)


def try_sync(reg: Register, failures: list[str]) -> None:
    for step in (reg.worker.push_all, reg.worker.pull_all):
        try:
            step()
        except SyncError as exc:  # an injected fault: the next attempt goes on
            failures.append(f"{reg.name} {step.__name__}: {exc.kind.value}")


def fault_report(injected: dict[str, int], **figures: object) -> str:
    """One line per kind, then the figures: what a reader of the CI log wants to see."""
    width = max(len(kind) for kind in injected)
    lines = [f"  {kind:<{width}}  {count:>5}" for kind, count in injected.items()]
    extra = [f"  {name.replace('_', ' ')}: {value}" for name, value in figures.items()]
    return "\nfaults injected by the proxy:\n" + "\n".join(lines + extra) + "\n"


@pytest.mark.slow
def test_sales_arrive_exactly_once_through_a_faulty_network(
    make_register, backend, proxy, record_property
):
    started = time.monotonic()
    a = make_register("Caja A")
    b = make_register("Caja B")
    rng = random.Random(SEED)
    receipts: list[str] = []
    sold = dict.fromkeys(SKUS, 0)
    failures: list[str] = []

    for _ in range(SALES):
        for reg in (a, b):
            skus = rng.sample(SKUS, rng.randint(1, 2))
            receipts.append(sell(reg, *skus))
            for sku in skus:
                sold[sku] += 1
            try_sync(reg, failures)

    injected = proxy.injected()
    schedule_left = proxy.schedule_left
    proxy.faults_off()
    for _ in range(5):  # with faults off, a couple of rounds converge
        for reg in (a, b, a, b):
            reg.worker.push_all()
            reg.worker.pull_all()
        if a.sync.unsynced_count() == b.sync.unsynced_count() == 0:
            break

    report = fault_report(
        injected,
        sales=f"{SALES} per register, seed {SEED}",
        seconds=f"{time.monotonic() - started:.1f}",
        failed_sync_attempts=len(failures),
        proxy_errors=proxy.errors or "none",
    )
    sys.stderr.write(report)
    record_property("faults_injected", injected)
    record_property("failed_sync_attempts", len(failures))

    assert not schedule_left, f"the forced faults did not all happen: {schedule_left}{report}"
    missing = [kind for kind in FAULTS if injected[kind] == 0]
    assert not missing, f"fault kinds never injected: {missing}{report}"

    at_backend = backend_sales(backend)
    duplicates = sorted({r for r in at_backend if at_backend.count(r) > 1})
    assert not duplicates, f"sales recorded twice at the backend: {duplicates}{report}"
    assert len(receipts) == len(set(receipts)) == 2 * SALES
    lost = sorted(set(receipts) - set(at_backend))
    assert not lost, f"sales that never reached the backend: {lost}{report}"
    assert sorted(at_backend) == sorted(receipts), report

    pending = (a.sync.unsynced_count(), b.sync.unsynced_count())
    assert pending == (0, 0), f"events left in the outboxes: {pending}{report}"
    attention = [
        (r.name, i.status, i.code, i.message) for r in (a, b) for i in r.sync.attention_items()
    ]
    assert attention == [], f"events needing attention: {attention}{report}"

    with SyncClient(backend.url, a.client._token) as direct:
        for sku in SKUS:
            expected = Decimal(INITIAL_STOCK - sold[sku])
            assert backend_level(direct, sku) == expected, f"{sku}{report}"
            assert a.level(sku) == b.level(sku) == expected, f"{sku}{report}"


# --- the proxy itself ------------------------------------------------------------------------


class _CountingHandler(BaseHTTPRequestHandler):
    """A tiny backend: answers every whole request with JSON and counts it."""

    server: _CountingServer

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = self.rfile.read(length)
        except OSError:
            return
        if len(body) < length:
            return  # the body was cut: nothing taken
        with self.server.lock:
            self.server.taken += 1
            n = self.server.taken
        answer = json.dumps({"taken": n, "echo": body.decode()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _CountingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _CountingHandler)
        self.lock = threading.Lock()
        self.taken = 0

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a reset from the proxy is the point


@pytest.fixture
def counting_backend() -> Iterator[_CountingServer]:
    server = _CountingServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


# kind -> (what the client meets, how many requests the backend took)
EXPECTED = {
    PASS: ("ok", 1),
    REFUSE: ("refused", 0),
    RESET_BEFORE: ("error", 0),
    RESET_MID_BODY: ("error", 0),
    LOST_ANSWER: ("error", 1),
    DELAY: ("ok", 1),
    DUPLICATE: ("ok", 2),
    ERROR_503: ("503", 0),
    ERROR_502_AFTER: ("502", 1),
    TRUNCATED: ("error", 1),
    GARBAGE: ("garbage", 0),
}


def test_each_fault_kind_does_what_it_says_and_is_counted(counting_backend):
    assert set(EXPECTED) == {PASS, *FAULTS}
    port = counting_backend.server_address[1]
    body = json.dumps({"events": ["x" * 2000]})
    for kind, (meets, taken) in EXPECTED.items():
        counting_backend.taken = 0
        held: list[str] = []
        with FaultProxy("127.0.0.1", port, schedule=[kind], on_lost_answer=held.append) as proxy:
            if kind == REFUSE:
                deadline = time.monotonic() + 5
                while not proxy.refusing and time.monotonic() < deadline:
                    time.sleep(0.01)
            with httpx.Client(transport=proxy.transport(), timeout=5) as client:
                try:
                    response = client.post(f"{proxy.url}/v1/sync/push", content=body)
                except httpx.ConnectError:
                    seen = "refused"
                except httpx.TransportError:
                    seen = "error"
                else:
                    if response.status_code in (502, 503):
                        seen = str(response.status_code)
                    else:
                        try:
                            seen = "ok" if response.json()["echo"] == body else "wrong"
                        except ValueError:
                            seen = "garbage"
                # the fault was once: the next request passes (once the port is open again)
                deadline = time.monotonic() + 5
                while proxy.refusing and time.monotonic() < deadline:
                    time.sleep(0.01)
                after = client.post(f"{proxy.url}/v1/sync/push", content=body)
                assert after.status_code == 200, kind
            counts = proxy.injected()
        assert seen == meets, kind
        assert counting_backend.taken == taken + 1, kind  # +1: the request after the fault
        expected = dict.fromkeys(EXPECTED, 0)
        expected[PASS] += 1  # the request after the fault
        expected[kind] += 1
        assert counts == expected, kind
        assert held == (["/v1/sync/push"] if kind == LOST_ANSWER else []), kind
        assert proxy.errors == [], (kind, proxy.errors)
