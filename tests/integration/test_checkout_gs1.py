"""GS1 labels (GS1-128, DataBar, DataMatrix, typed) through checkout on a real SQLite file."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text
from stdnum import ean
from support import (
    BREAD,
    CAKE_KEY,
    COFFEE,
    IDENTITY,
    MILK_EAN8,
    TOMATO_KEY,
    UPC_SNACK,
)

from pos_app.domain.cart import Measure
from pos_app.domain.errors import InvalidBarcode, UnknownProduct
from pos_app.domain.money import Money
from pos_app.services.checkout import CheckoutService
from pos_app.ui.app import install_translators, remove_translators
from pos_app.ui.error_messages import describe_error

GS = "\x1d"
MISREAD_COFFEE = COFFEE[:-1] + str((int(COFFEE[-1]) + 1) % 10)


@pytest.fixture
def checkout(uow_factory, clock) -> CheckoutService:
    return CheckoutService(uow_factory, clock, IDENTITY, cashier="Ana")


def skus(view) -> list[str]:
    return [line.product.sku for line in view.lines]


@pytest.mark.parametrize(
    "scan",
    [
        f"]C1010{COFFEE}17270331" + f"10L42{GS}21S1",  # GS1-128 with batch, expiry, serial
        f"]d2010{COFFEE}",  # GS1 DataMatrix
        f"]e0010{COFFEE}",  # GS1 DataBar
        f"010{COFFEE}10L42{GS}17270331",  # serial scanner without AIM identifier
        f"(01)0{COFFEE}(10)L42",  # typed: not taken for a SKU
        f"]E0{COFFEE}",  # EAN-13 with its AIM identifier
    ],
)
def test_a_gs1_or_aim_scan_adds_the_product(checkout, scan):
    view = checkout.scan(scan)
    assert skus(view) == ["P0001"] and view.lines[0].quantity == Decimal(1)


def test_gtin14s_find_the_ean8_and_upca_the_catalog_stores(checkout):
    checkout.scan(f"(01)000000{MILK_EAN8}")
    view = checkout.scan(f"(01)00{UPC_SNACK}")
    assert skus(view) == ["P0002", "P0009"]


def test_a_case_gtin14_is_not_the_unit_inside(checkout):
    case = "1" + COFFEE[:-1]
    case += ean.calc_check_digit(case)
    with pytest.raises(UnknownProduct):
        checkout.scan(f"(01){case}")
    assert checkout.view().is_empty


def test_a_gs1_weight_sells_a_weighed_product_by_that_weight(checkout, engine):
    view = checkout.scan(f"]C1010{TOMATO_KEY}3103000456")
    line = view.lines[0]
    assert line.product.measure is Measure.WEIGHT and line.quantity == Decimal("0.456")
    assert view.totals.total == Money(136)  # 0,456 kg x 2,99 €/kg
    checkout.add_cash(Money(136))
    done = checkout.complete_sale()
    with engine.connect() as conn:
        row = conn.execute(text("SELECT sku, quantity, total_cents FROM sale_lines")).one()
        moved = conn.execute(text("SELECT delta_milli FROM stock_movements")).scalar_one()
    assert tuple(row) == ("P0006", "0.456", 136)
    assert moved == -456
    assert done.sale.total_cents == 136


def test_a_gs1_price_sells_at_the_label_price(checkout):
    view = checkout.scan(f"(01)0{CAKE_KEY}(3922)1234")
    assert skus(view) == ["P0007"] and view.lines[0].gross == Money(1234)


@pytest.mark.parametrize(
    "scan",
    [
        f"(01)0{COFFEE}(3103)001000",  # 1 kg of a product sold by the unit
        f"(01)0{CAKE_KEY}(3103)000800",  # a weight on a price-labelled product
    ],
)
def test_a_gs1_weight_on_a_product_not_sold_by_weight_is_refused(checkout, scan):
    checkout.scan(BREAD)
    with pytest.raises(InvalidBarcode) as info:
        checkout.scan(scan)
    assert info.value.reason == "not_sold_by_weight"
    assert skus(checkout.view()) == ["P0004"]
    message = describe_error(info.value)
    assert "no se vende a peso" in message and "avise al encargado" in message


@pytest.mark.parametrize(
    ("scan", "reason", "words"),
    [
        ("]C100384123450000000018", "gs1_no_gtin", "etiqueta de envío o de palé"),
        (f"]C1010{COFFEE}3103001", "gs1_malformed", "Escanee otra vez o teclee"),
        (f"(01)0{MISREAD_COFFEE}(10)L1", "gs1_check_digit", "dígito de control"),
        (f"(01)0{COFFEE}(3203)002200", "gs1_unit", "libras"),
        (f"(01)0{COFFEE}(3932)8261200", "gs1_currency", "no es el euro"),
        (f"(01)0{COFFEE}(3923)12345", "gs1_price", "fracciones de céntimo"),
    ],
)
def test_bad_gs1_reads_leave_the_cart_untouched_and_say_what_to_do(checkout, scan, reason, words):
    checkout.scan(BREAD)
    with pytest.raises(InvalidBarcode) as info:
        checkout.scan(scan)
    assert info.value.reason == reason
    assert skus(checkout.view()) == ["P0004"]
    message = describe_error(info.value)
    assert words in message and reason not in message
    assert GS not in message


def test_a_group_separator_is_shown_visibly_in_the_message(checkout):
    with pytest.raises(InvalidBarcode) as info:
        checkout.scan(f"]d201{'0' + COFFEE}10L1{GS}3103")
    assert "10L1<GS>3103" in describe_error(info.value)


def test_a_typed_sku_still_adds_the_product(checkout):
    assert skus(checkout.scan("p0004")) == ["P0004"]


def test_the_new_messages_are_in_english_too(qapp):
    translators = install_translators(qapp, "en")
    assert translators, "the English .qm did not load"
    try:
        shipping = describe_error(InvalidBarcode("(00)384123450000000018", "gs1_no_gtin"))
        pounds = describe_error(InvalidBarcode("(01)08412345678905(3203)002200", "gs1_unit"))
    finally:
        remove_translators(qapp, translators)
    assert "shipping or pallet label" in shipping and "search for it by name" in shipping
    assert "pounds or ounces" in pounds
