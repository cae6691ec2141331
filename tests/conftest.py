"""Shared fixtures: a real register database on disk with a small, known catalog."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from stdnum import ean

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hardware.printers import FileReceiptPrinter  # noqa: E402
from pos_app.bootstrap import build_main_window, build_register  # noqa: E402
from pos_app.config import Settings  # noqa: E402
from pos_app.services.ports import StoreIdentity  # noqa: E402
from pos_app.storage.catalog_loader import load_catalog, product_id_for_sku, set_identity  # noqa: E402
from pos_app.storage.db import open_database  # noqa: E402
from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory  # noqa: E402
from pos_app.ui.app import style_sheet  # noqa: E402

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


# --- PostgreSQL-marked tests: skipped without MOSTRADOR_TEST_PG_URL, counted for CI ----------

_PG_OUTCOMES = {"collected": 0, "passed": 0, "skipped": 0, "failed": 0}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason="MOSTRADOR_TEST_PG_URL is not set")
    for item in items:
        if "postgres" in item.keywords:
            _PG_OUTCOMES["collected"] += 1
            if not os.environ.get("MOSTRADOR_TEST_PG_URL"):
                item.add_marker(skip)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "postgres" not in report.keywords:
        return
    if report.skipped:
        _PG_OUTCOMES["skipped"] += 1
    elif report.when == "call":
        _PG_OUTCOMES["passed" if report.passed else "failed"] += 1


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    target = os.environ.get("MOSTRADOR_PG_REPORT")
    if target:
        Path(target).write_text(json.dumps(_PG_OUTCOMES), encoding="utf-8")


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


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "register.sqlite3"


@pytest.fixture
def engine(db_path: Path) -> Iterator[object]:
    eng = make_register_db(db_path)
    yield eng
    eng.dispose()


@pytest.fixture
def uow_factory(engine) -> SqlUnitOfWorkFactory:  # type: ignore[no-untyped-def]
    return SqlUnitOfWorkFactory(engine)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


def pid(sku: str) -> str:
    return product_id_for_sku(sku)


UTC_ = UTC


# --- UI: the real main window, wired by the composition root, on the real database ----------

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


@pytest.fixture
def printer_file(tmp_path: Path) -> Path:
    return tmp_path / "printer.bin"


@pytest.fixture
def register(engine, printer_file, clock: FixedClock):  # type: ignore[no-untyped-def]
    reg = build_register(
        engine,
        Settings(cashier="Ana"),
        printer=FileReceiptPrinter(printer_file),
        printer_name=str(printer_file),
        clock=clock,  # type: ignore[arg-type]
    )
    yield reg


@pytest.fixture
def window(qtbot, qapp, register):  # type: ignore[no-untyped-def]
    qapp.setStyleSheet(style_sheet())
    win, runner = build_main_window(register, "es_ES")
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    runner.shutdown()
    win.close()


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
