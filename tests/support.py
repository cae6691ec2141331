"""Shared test material: a small, known catalog, a clock to move by hand, and helpers.

Imported by tests as ``from support import ...`` (``conftest`` is ambiguous: there are several)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

from stdnum import ean

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pos_app.services.ports import StoreIdentity  # noqa: E402
from pos_app.storage.catalog_loader import load_catalog, product_id_for_sku, set_identity  # noqa: E402
from pos_app.storage.db import open_database  # noqa: E402

MADRID = ZoneInfo("Europe/Madrid")


def ean13(first12: str) -> str:
    """Any GTIN (EAN-13, EAN-8, UPC-A) from its digits without the check digit."""
    return first12 + ean.calc_check_digit(first12)


@dataclass(frozen=True)
class TaxClass:
    code: str
    name: str
    rate: Decimal
    valid_from: date
    valid_to: date | None = None


@dataclass(frozen=True)
class Category:
    code: str
    name: str


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    category: str
    tax_class: str
    price_cents: int
    barcodes: tuple[str, ...]
    measure: str = "unit"


TAXES = (
    TaxClass("IVA21", "IVA general", Decimal(21), date(2012, 9, 1)),
    TaxClass("IVA10", "IVA reducido", Decimal(10), date(2012, 9, 1)),
    TaxClass("IVA4", "IVA superreducido", Decimal(4), date(2012, 9, 1)),
    TaxClass("IVA0", "Exento", Decimal(0), date(2012, 9, 1)),
)
CATEGORIES = (Category("ALIM", "Alimentación"), Category("DROG", "Droguería"))
COFFEE = ean13("841000000001")
MILK = ean13("841000000002")
SOAP = ean13("841000000003")
BREAD = ean13("841000000004")
GIFT = ean13("841000000005")
MILK_EAN8 = ean13("8419999")
UPC_SNACK = ean13("03600029145")  # UPC-A, 12 digits
TOMATO_KEY = ean13("211234500000")  # weighed: 21 12345 VVVVV C
CAKE_KEY = ean13("260004200000")  # price-embedded: 26 00042 VVVVV C
PRODUCTS = (
    Product("P0001", "Café molido natural 250 g", "ALIM", "IVA10", 349, (COFFEE,)),
    Product("P0002", "Leche entera 1 l", "ALIM", "IVA4", 99, (MILK, MILK_EAN8)),
    Product("P0003", "Jabón de manos 500 ml", "DROG", "IVA21", 1210, (SOAP,)),
    Product("P0004", "Pan de pueblo", "ALIM", "IVA4", 120, (BREAD,)),
    Product("P0005", "Tarjeta regalo 10 €", "ALIM", "IVA0", 1000, (GIFT,)),
    Product("P0006", "Tomate pera", "ALIM", "IVA4", 299, (TOMATO_KEY,), "weight"),
    Product("P0007", "Tarta de queso", "ALIM", "IVA10", 1500, (CAKE_KEY,), "price"),
    Product("P0008", "Cafetera italiana", "DROG", "IVA21", 2495, (ean13("841000000008"),)),
    Product("P0009", "Galletas de importación", "ALIM", "IVA10", 275, (UPC_SNACK,)),
)
IDENTITY = StoreIdentity(
    store_code="T01",
    register_code="C01",
    store_name="Ultramarinos La Plaza",
    tax_id="B12345678",
    address=("Calle Mayor 1", "28013 Madrid"),
)


def weighed(grams: int) -> str:
    return ean13(f"2112345{grams:05d}")


def priced(cents: int) -> str:
    return ean13(f"2600042{cents:05d}")


class FixedClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 25, 10, 30, tzinfo=MADRID)

    def now(self) -> datetime:
        return self.current

    def today(self) -> date:
        return self.current.date()

    def advance(self, **kwargs: float) -> None:
        self.current += timedelta(**kwargs)


def make_register_db(path: Path):  # type: ignore[no-untyped-def]
    engine = open_database(path)
    set_identity(engine, IDENTITY)
    load_catalog(
        engine,
        tax_classes=TAXES,
        categories=CATEGORIES,
        products=PRODUCTS,
        stock=lambda pk: Decimal(50),
    )
    return engine


def pid(sku: str) -> str:
    return product_id_for_sku(sku)


SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


def save_screenshot(widget, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Grab a widget to tests/screenshots/NAME.png and check the picture is not blank."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    image = widget.grab().toImage()
    assert image.save(str(path)), path
    colours = {
        image.pixel(x, y)
        for x in range(0, image.width(), max(1, image.width() // 80))
        for y in range(0, image.height(), max(1, image.height() // 80))
    }
    assert len(colours) > 8, f"{name} looks blank ({len(colours)} colours)"
    return path


# --- the real backend, as a process ----------------------------------------------------------

SERVER_CMD = [
    sys.executable,
    "-c",
    "import sys; from sync.server.cli import main; sys.exit(main())",
]


def server_cli(*args: str, database: str) -> str:
    """Run the administration command ``mostrador-server ARGS --database DATABASE`` (its own
    ``main``, in this process: a new interpreter would spend seconds importing the same
    modules for every store, catalog and code a test sets up); its standard output. The
    backend that serves is always a process of its own (``backend_process``)."""
    import contextlib
    import io

    from sync.server import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([*args, "--database", database])
    assert code == 0, err.getvalue()
    return out.getvalue()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class BackendProcess:
    url: str
    database: str


@contextmanager
def backend_process(
    tmp_path: Path,
    database: str,
    *,
    products: int = 60,
    stock: dict[str, int] | None = None,
    serve_args: tuple[str, ...] = (),
) -> Iterator[BackendProcess]:
    """A served backend with store T01 and the demo catalog of ``products`` products
    (``serve_args``: more options of ``mostrador-server serve``)."""
    from pos_app.demo.backend import write_demo_catalog

    server_cli("create-store", "--code", "T01", "--name", "Tienda Centro", "--tax-id",
               "B11111111", "--address", "Calle Mayor 1", "--address", "28013 Madrid",
               database=database)  # fmt: skip
    catalog = write_demo_catalog(tmp_path / "catalog.jsonl", products)
    server_cli("import-catalog", "--file", str(catalog), database=database)
    for sku, quantity in (stock or {}).items():
        server_cli("set-stock", "--store", "T01", "--sku", sku, "--quantity", str(quantity),
                   database=database)  # fmt: skip
    port = free_port()
    # The server logs every request: its output goes to a file, never to a pipe nobody drains
    # (a full pipe would freeze the server after a few hundred requests).
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log_file:
        proc = subprocess.Popen(
            [*SERVER_CMD, "serve", "--port", str(port), "--database", database, *serve_args],
            stdout=log_file, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while "ready on" not in log_path.read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"server did not start: {log_path.read_text()}")
            time.sleep(0.05)
        yield BackendProcess(f"http://127.0.0.1:{port}", database)
    finally:
        proc.terminate()
        proc.wait(10)


def enrollment_code(backend: BackendProcess, store: str = "T01") -> str:
    out = server_cli("enrollment-code", "--store", store, database=backend.database)
    return re.findall(r"[A-Za-z0-9_-]{6,}", out.strip().splitlines()[-1])[-1]


def backend_sales(backend: BackendProcess) -> list[str]:
    """The receipt numbers of every sale the backend holds."""
    from sqlalchemy import create_engine, text

    engine = create_engine(backend.database)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text("SELECT receipt_number FROM sales")).scalars())
    finally:
        engine.dispose()


# --- click-and-collect: pickup orders as the backend sends them in a pull ---------------------

_PICKUP_SEQ = [1_000_000]


def pickup_order_data(
    number: str = "W-2026-000123",
    *,
    order_id: str | None = None,
    status: str = "pending",
    version: int = 1,
    paid_online: bool = True,
    lines: tuple[tuple[str, int], ...] = (("P0001", 2), ("P0003", 1)),
    customer: str = "María Pérez",
    phone: str = "+34 600 111 222",
    email: str = "maria@example.com",
    code: str = "7K3P9Q",
    created: datetime | None = None,
    expires_in: timedelta = timedelta(days=5),
    picked: dict[int, str] | None = None,
) -> dict:  # type: ignore[type-arg]
    """A ``PickupOrderData`` (as JSON) of the test catalog's products at their prices."""
    from sync.protocol import PickupOrderData

    prices = {p.sku: p for p in PRODUCTS}
    created = created or datetime(2026, 11, 25, 9, 0, tzinfo=MADRID)
    order_lines = []
    for i, (sku, qty) in enumerate(lines, start=1):
        product = prices[sku]
        order_lines.append(
            {
                "line_no": i,
                "product_id": pid(sku),
                "sku": sku,
                "name": product.name,
                "quantity": str(qty),
                "unit_price_cents": product.price_cents,
                "total_cents": product.price_cents * qty,
                "location": f"Pasillo {i}",
                **({"picked": picked[i]} if picked and i in picked else {}),
            }
        )
    data = {
        "order_id": order_id or f"00000000-0000-7000-8000-{zlib.crc32(number.encode()):012d}",
        "number": number,
        "channel": "web",
        "store_code": "T01",
        "status": status,
        "version": version,
        "customer": {"name": customer, "phone": phone, "email": email},
        "paid_online": paid_online,
        "currency": "EUR",
        "total_cents": sum(line["total_cents"] for line in order_lines),
        "lines": order_lines,
        "pickup_code": code,
        "qr_payload": f"MOSTRADOR:PICKUP:{number}:{code}",
        "created_at": created.isoformat(),
        "expires_at": (created + expires_in).isoformat(),
        "updated_at": created.isoformat(),
        "history": [],
    }
    return PickupOrderData.model_validate(data).model_dump(mode="json")


def pickup_change(data: dict):  # type: ignore[no-untyped-def, type-arg]
    from sync.protocol import Change, ChangeOp, Entity

    _PICKUP_SEQ[0] += 1
    return Change(
        seq=_PICKUP_SEQ[0], entity=Entity.PICKUP_ORDER, op=ChangeOp.UPSERT, key=data["order_id"],
        data=data,
    )  # fmt: skip


def pull_pickups(uow_factory, clock, *orders: dict) -> None:  # type: ignore[no-untyped-def, type-arg]
    """Apply orders as a pull does: ``pickup_order`` changes through the sync service."""
    from pos_app.services.sync import SyncService

    SyncService(uow_factory, clock).apply_changes([pickup_change(o) for o in orders])


# --- a customer-notification webhook on loopback ---------------------------------------------


class WebhookReceiver:
    """A webhook on loopback that answers 500 to its first ``failures`` requests."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.received: list[tuple[str, dict]] = []  # (header id, body), every attempt
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with receiver.lock:
                    receiver.received.append((self.headers["X-Mostrador-Notification-Id"], body))
                    fail = len(receiver.received) <= receiver.failures
                self.send_response(500 if fail else 204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, count: int, timeout: float = 10) -> list[tuple[str, dict]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.02)
        raise AssertionError(f"{len(self.received)} request(s) received, waited for {count}")


# --- staff and policies, as pulled (issue 7) -------------------------------------------------

_STAFF_SEQ = [100_000]


def staff_change(  # type: ignore[no-untyped-def]
    staff_id: str,
    name: str,
    role: str,
    pin_hash: str | None,
    *,
    active: bool = True,
    store_code: str = "T01",
):
    from sync.protocol import Change, ChangeOp, Entity, StaffData

    _STAFF_SEQ[0] += 1
    data = StaffData(
        staff_id=staff_id, store_code=store_code, name=name, role=role,  # type: ignore[arg-type]
        pin_hash=pin_hash, active=active,
    ).model_dump(mode="json")  # fmt: skip
    return Change(
        seq=_STAFF_SEQ[0], entity=Entity.STAFF, op=ChangeOp.UPSERT, key=staff_id, data=data
    )


def limits_change(**limits):  # type: ignore[no-untyped-def]
    from sync.protocol import Change, ChangeOp, Entity, StaffLimits

    _STAFF_SEQ[0] += 1
    data = StaffLimits(**limits).model_dump(mode="json")
    return Change(
        seq=_STAFF_SEQ[0], entity=Entity.POLICY, op=ChangeOp.UPSERT, key="staff_limits", data=data
    )


def pull_changes(uow_factory, clock, *changes) -> None:  # type: ignore[no-untyped-def]
    """Apply changes as a pull does, through the sync service."""
    from pos_app.services.sync import SyncService

    SyncService(uow_factory, clock).apply_changes(list(changes))
