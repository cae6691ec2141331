from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import ean

from pos_app.domain.barcode import (
    BarcodeLayout,
    ScanKind,
    VariableMeasureRule,
    canonical_gtin,
    parse_scan,
)
from pos_app.domain.errors import InvalidBarcode


def test_a_valid_ean13_is_accepted_as_is():
    scan = parse_scan("8410076472809")
    assert scan.kind is ScanKind.GTIN
    assert scan.lookup_code == "8410076472809"


def test_surrounding_whitespace_from_a_scanner_is_ignored():
    assert parse_scan(" 8410076472809\r\n").lookup_code == "8410076472809"


def test_ean8_is_accepted():
    assert parse_scan("96385074").lookup_code == "96385074"


def test_upca_is_looked_up_as_the_equivalent_ean13():
    assert parse_scan("036000291452").lookup_code == "0036000291452"
    assert canonical_gtin("036000291452") == "0036000291452"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("8410076472808", "check_digit"),
        ("84100764728", "length"),
        ("84100A6472809", "characters"),
        ("", "empty"),
        ("   ", "empty"),
        ("٨٤١٠٠٧٦٤٧٢٨٠٩", "characters"),
    ],
)
def test_bad_codes_say_why(code, reason):
    with pytest.raises(InvalidBarcode) as info:
        parse_scan(code)
    assert info.value.reason == reason


def test_weight_embedded_code_gives_kilograms_and_the_item_key():
    # 21 12345 00456 C: item 12345, 456 g
    first12 = "211234500456"
    code = first12 + ean.calc_check_digit(first12)
    scan = parse_scan(code)
    assert scan.kind is ScanKind.WEIGHT
    assert scan.value == Decimal("0.456")
    key12 = "211234500000"
    assert scan.lookup_code == key12 + ean.calc_check_digit(key12)


def test_price_embedded_code_gives_the_price_in_cents():
    first12 = "260004201234"  # item 00042, 12,34 €
    scan = parse_scan(first12 + ean.calc_check_digit(first12))
    assert scan.kind is ScanKind.PRICE
    assert scan.price_cents == 1234


def test_the_digit_layout_is_configuration():
    layout = BarcodeLayout.from_config(
        [
            {
                "prefixes": ["23"],
                "kind": "price",
                "item_digits": 4,
                "value_digits": 6,
                "value_decimals": 2,
            }
        ]
    )
    first12 = "231234001999"  # item 1234, 19,99 €
    scan = parse_scan(first12 + ean.calc_check_digit(first12), layout)
    assert scan.kind is ScanKind.PRICE and scan.price_cents == 1999
    # a prefix the layout does not name is an ordinary GTIN
    other = "211234500456"
    assert parse_scan(other + ean.calc_check_digit(other), layout).kind is ScanKind.GTIN


def test_a_layout_outside_20_29_is_refused():
    with pytest.raises(ValueError):
        VariableMeasureRule(frozenset({"84"}), ScanKind.WEIGHT)


def test_a_zero_weight_label_is_refused():
    first12 = "211234500000"
    with pytest.raises(InvalidBarcode):
        parse_scan(first12 + ean.calc_check_digit(first12))


@given(st.text(max_size=20))
def test_any_input_is_either_a_scan_or_an_invalid_barcode(text):
    try:
        scan = parse_scan(text)
    except InvalidBarcode:
        return
    assert scan.lookup_code.isdigit()


@given(st.from_regex(r"\A84[0-9]{10}\Z"))
def test_every_valid_spanish_ean13_round_trips(first12):
    code = first12 + ean.calc_check_digit(first12)
    assert parse_scan(code).lookup_code == code
    wrong = first12 + str((int(code[-1]) + 1) % 10)
    with pytest.raises(InvalidBarcode):
        parse_scan(wrong)
