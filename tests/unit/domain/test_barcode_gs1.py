"""GS1 application identifiers in scans: GS1-128, DataBar, DataMatrix and QR as scanners send
them, and the human-readable form a person types."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import ean

from pos_app.domain.barcode import ScanKind, is_scanner_syntax, parse_scan
from pos_app.domain.errors import InvalidBarcode

GS = "\x1d"


def gtin(first: str) -> str:
    return first + ean.calc_check_digit(first)


EAN13 = gtin("841234567890")  # 8412345678905
GTIN14 = "0" + EAN13  # the same item as a GS1 (01) carries it
WRONG14 = GTIN14[:-1] + str((int(GTIN14[-1]) + 1) % 10)


def test_the_check_digits_of_the_examples():
    assert EAN13 == "8412345678905"
    assert ean.is_valid(GTIN14) and not ean.is_valid(WRONG14)


# --- every form a scanner or a person delivers ---------------------------------------------


@pytest.mark.parametrize(
    "scan",
    [
        f"01{GTIN14}3103001234",  # serial scanner, fixed-length fields need no separator
        f"01{GTIN14}{GS}3103001234{GS}",  # separators where none is needed are allowed
        f"{GS}01{GTIN14}3103001234\r\n",  # a leading FNC1 and the scanner's terminator
        f"]C101{GTIN14}3103001234",  # GS1-128
        f"]d201{GTIN14}3103001234",  # GS1 DataMatrix
        f"]Q301{GTIN14}3103001234",  # GS1 QR
        f"]e001{GTIN14}3103001234",  # GS1 DataBar (Expanded)
        f"(01){GTIN14}(3103)001234",  # typed or pasted
        f" (01) {GTIN14} (3103) 001234 ",  # typed with spaces
    ],
)
def test_every_form_of_a_gs1_weight_label_says_the_same(scan):
    parsed = parse_scan(scan)
    assert parsed.raw == scan
    assert parsed.lookup_code == EAN13
    assert parsed.kind is ScanKind.WEIGHT
    assert parsed.value == Decimal("1.234")


def test_a_group_separator_ends_each_variable_length_field():
    scan = f"]d201{GTIN14}10LOT-42/B{GS}3103000750{GS}21SN0001"
    parsed = parse_scan(scan)
    assert parsed.batch == "LOT-42/B"
    assert parsed.value == Decimal("0.750")
    assert parsed.serial == "SN0001"


def test_a_gtin_alone_is_an_ordinary_item():
    parsed = parse_scan(f"]e001{GTIN14}")
    assert (parsed.kind, parsed.lookup_code, parsed.value) == (ScanKind.GTIN, EAN13, None)
    assert (parsed.batch, parsed.expiry, parsed.serial) == (None, None, None)


def test_the_gtin_need_not_come_first():
    parsed = parse_scan(f"10ABC{GS}01{GTIN14}17271231")
    assert (parsed.lookup_code, parsed.batch, parsed.expiry) == (EAN13, "ABC", date(2027, 12, 31))


# --- weight and price ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ai", "digits", "kilograms"),
    [
        ("3100", "000002", Decimal("2.000")),
        ("3101", "000125", Decimal("12.500")),
        ("3102", "001234", Decimal("12.340")),
        ("3103", "001234", Decimal("1.234")),
        ("3104", "004560", Decimal("0.456")),  # whole grams: given in grams like the scales
        ("3105", "012345", Decimal("0.12345")),  # a tenth of a gram: kept as it is
    ],
)
def test_a_net_weight_in_kilograms_with_n_decimals(ai, digits, kilograms):
    parsed = parse_scan(f"(01){GTIN14}({ai}){digits}")
    assert parsed.kind is ScanKind.WEIGHT
    assert parsed.value == kilograms and isinstance(parsed.value, Decimal)
    assert str(parsed.value) == str(kilograms)


@pytest.mark.parametrize(
    ("element", "cents"),
    [
        ("39200012", 1200),
        ("3921125", 1250),
        ("39221234", 1234),
        ("392312340", 1234),
        ("3932978001234", 1234),  # with its ISO currency: 978 is the euro
        ("39339781234560", 123456),
    ],
)
def test_a_price_payable_with_n_decimals(element, cents):
    parsed = parse_scan(f"01{GTIN14}{element}")
    assert parsed.kind is ScanKind.PRICE
    assert parsed.price_cents == cents
    assert parsed.value == Decimal(cents).scaleb(-2)


def test_a_label_with_weight_and_price_charges_the_price():
    parsed = parse_scan(f"(01){GTIN14}(3103)000456(3922)136")
    assert parsed.kind is ScanKind.PRICE and parsed.price_cents == 136


def test_a_weight_also_given_in_pounds_is_taken_in_kilograms():
    parsed = parse_scan(f"(01){GTIN14}(3103)001000(3202)000220")
    assert parsed.kind is ScanKind.WEIGHT and parsed.value == Decimal("1.000")


# --- batch, expiry, serial: kept, no policy ---------------------------------------------------


def test_batch_expiry_and_serial_are_kept():
    parsed = parse_scan(f"]C101{GTIN14}17260930" + f"10L2026-09{GS}21A1B2C3")
    assert parsed.batch == "L2026-09"
    assert parsed.expiry == date(2026, 9, 30)
    assert parsed.serial == "A1B2C3"
    assert parsed.kind is ScanKind.GTIN


def test_an_expiry_day_00_is_the_last_day_of_the_month():
    assert parse_scan(f"(01){GTIN14}(17)280200").expiry == date(2028, 2, 29)


def test_an_expired_product_is_parsed_not_judged():
    parsed = parse_scan(f"(01){GTIN14}(17)200131")
    assert parsed.expiry == date(2020, 1, 31)
    assert parsed.lookup_code == EAN13


# --- which catalog key a GTIN-14 is looked up by ---------------------------------------------


def test_a_gtin14_with_indicator_0_is_looked_up_as_the_code_the_catalog_stores():
    upc_a = gtin("03600029145")
    ean8 = gtin("8419999")
    assert parse_scan(f"(01){GTIN14}").lookup_code == EAN13
    assert parse_scan(f"(01)00{upc_a}").lookup_code == parse_scan(upc_a).lookup_code
    assert parse_scan(f"(01)00{upc_a}").lookup_code == "0" + upc_a
    assert parse_scan(f"(01)000000{ean8}").lookup_code == ean8


@pytest.mark.parametrize("indicator", ["1", "5", "9"])
def test_a_gtin14_of_a_case_or_a_variable_measure_item_is_its_own_key(indicator):
    case = gtin(indicator + EAN13[:-1])
    assert parse_scan(f"(01){case}").lookup_code == case


def test_a_spanish_weighed_ean13_inside_a_gs1_is_looked_up_by_its_item_key():
    label = gtin("211234500456")  # 21 12345 00456: item 12345, 456 g
    item_key = gtin("211234500000")
    plain = parse_scan(f"(01)0{label}")
    assert (plain.lookup_code, plain.kind, plain.value) == (
        item_key,
        ScanKind.WEIGHT,
        Decimal("0.456"),
    )
    # the (310n) says the weight; the embedded digits may then be zero
    weighed = parse_scan(f"(01)0{item_key}(3103)000789")
    assert (weighed.lookup_code, weighed.value) == (item_key, Decimal("0.789"))


# --- AIM identifiers on plain codes: stripped, and plain codes never reach biip --------------


@pytest.mark.parametrize(
    ("scan", "lookup"),
    [
        ("]E08410076472809", "8410076472809"),
        ("]E00036000291452", "0036000291452"),  # UPC-A as EAN-13 reads it
        ("]E496385074", "96385074"),
        ("]E3841007647280912", "8410076472809"),  # EAN-13 with a 2-digit add-on
        ("]E3841007647280912345", "8410076472809"),  # ... and with a 5-digit add-on
        ("]I108410076472809", "08410076472809"),  # ITF-14, as a plain GTIN-14
    ],
)
def test_an_aim_identifier_before_a_plain_code_is_stripped(scan, lookup):
    parsed = parse_scan(scan)
    assert (parsed.kind, parsed.lookup_code) == (ScanKind.GTIN, lookup)


def test_a_plain_code_never_goes_through_biip(monkeypatch):
    class Exploding:
        @staticmethod
        def parse(*args, **kwargs):
            raise AssertionError("biip used for a plain code")

        parse_hri = parse

    import biip.gs1_messages

    monkeypatch.setattr(biip.gs1_messages, "GS1Message", Exploding)
    for code in ("8410076472809", "]E08410076472809", "96385074", "036000291452"):
        assert parse_scan(code).kind is ScanKind.GTIN
    weighed = gtin("211234500456")
    assert parse_scan(weighed).kind is ScanKind.WEIGHT


# --- bad reads: one reason each ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("scan", "reason"),
    [
        (f"(01){WRONG14}", "gs1_check_digit"),
        (f"]C101{WRONG14}3103001234", "gs1_check_digit"),
        (f"]d201{WRONG14}10LOT", "gs1_check_digit"),
        (f"01{GTIN14}3103001", "gs1_malformed"),  # truncated
        (f"]C101{GTIN14}31", "gs1_malformed"),  # truncated in the AI
        (f"(01){GTIN14[:-1]}", "gs1_malformed"),  # a GTIN one digit short
        (f"(01){GTIN14}(9999)1", "gs1_malformed"),  # no such AI
        (f"(01){GTIN14}(1O)ABC", "gs1_malformed"),  # letter O typed for a zero
        (f"(01){GTIN14}x", "gs1_malformed"),
        (f"(01){GTIN14}(17)261301", "gs1_malformed"),  # month 13
        (f"(01){GTIN14}(3103)001234(3102)001234", "gs1_malformed"),  # two weights
        (f"(01){GTIN14}(01){gtin('1' + EAN13[:-1])}", "gs1_malformed"),  # two items
        (f"(01){GTIN14}(3922)100(3932)978100", "gs1_malformed"),  # two prices
        ("(01)", "gs1_malformed"),
        ("(", "gs1_malformed"),
        ("123456789012345", "gs1_malformed"),  # longer than any GTIN, and not GS1
        ("(00)384123450000000018", "gs1_no_gtin"),  # SSCC: a pallet or parcel
        ("]C100384123450000000018", "gs1_no_gtin"),
        (f"(02){GTIN14}(37)12", "gs1_no_gtin"),  # the content of a shipping unit
        ("]d210ABC", "gs1_no_gtin"),
        (f"(01){GTIN14}(3203)002720", "gs1_unit"),  # pounds
        (f"(01){GTIN14}(3562)000100", "gs1_unit"),  # troy ounces
        (f"(01){GTIN14}(3572)001600", "gs1_unit"),  # ounces
        (f"(01){GTIN14}(3932)8401234", "gs1_currency"),  # US dollars
        (f"(01){GTIN14}(3923)12345", "gs1_price"),  # 12,345 €
        (f"(01){GTIN14}(3103)000000", "zero_value"),
        (f"(01){GTIN14}(3922)000", "zero_value"),
        (f"(01)0{gtin('211234500000')}", "zero_value"),  # scales' EAN-13 with zero weight
        ("]", "characters"),
        ("]1C01", "characters"),
        ("]C1", "empty"),
        ("]E0", "empty"),
        ("]E08410076472808", "check_digit"),
        ("]E084100764728", "length"),
        ("]A0P0004", "characters"),
    ],
)
def test_each_bad_read_says_why(scan, reason):
    with pytest.raises(InvalidBarcode) as info:
        parse_scan(scan)
    assert info.value.reason == reason
    assert info.value.code == scan


def test_a_misread_gtin_is_reported_before_what_the_label_says():
    with pytest.raises(InvalidBarcode) as info:
        parse_scan(f"(01){WRONG14}(3203)002720(3932)8401234")
    assert info.value.reason == "gs1_check_digit"


# --- telling scans from SKUs -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("]E08410076472809", True),
        (f"(01){GTIN14}", True),
        (f"01{GTIN14}10ABC{GS}17260101", True),
        ("8410076472809", False),  # digits: a scan anyway
        ("P0004", False),
        ("CAFE-250", False),
    ],
)
def test_scanner_syntax_is_told_from_a_sku(text, expected):
    assert is_scanner_syntax(text) is expected


# --- properties -------------------------------------------------------------------------------

_GS1_PIECES = st.sampled_from(
    [
        "(01)",
        "(3103)",
        "(3922)",
        "(3932)",
        "(17)",
        "(10)",
        "(21)",
        "(00)",
        "(",
        ")",
        "]C1",
        "]d2",
        "]Q3",
        "]E0",
        "]Y",
        "]",
        GS,
        "01",
        "02",
        "00",
        "10",
        "17",
        "21",
        "3103",
        "3202",
        "3922",
        "3932",
        "978",
        GTIN14,
        WRONG14,
        EAN13,
        "0",
        "9",
        "A",
        " ",
        "\n",
    ]
)


@given(st.one_of(st.text(max_size=60), st.lists(_GS1_PIECES, max_size=12).map("".join)))
def test_no_input_raises_anything_but_invalid_barcode(text):
    try:
        parsed = parse_scan(text)
    except InvalidBarcode as exc:
        assert exc.code == text and exc.reason
        return
    assert parsed.lookup_code.isascii() and parsed.lookup_code.isdigit()
    assert parsed.value is None or (isinstance(parsed.value, Decimal) and parsed.value > 0)


@given(
    st.from_regex(r"\A84[0-9]{10}\Z"),
    st.integers(min_value=1, max_value=999_999),
    st.sampled_from([0, 1, 2, 3]),
)
def test_the_raw_the_aim_and_the_typed_forms_agree(first12, digits, decimals):
    code = gtin(first12)
    value = f"{digits:06d}"
    forms = [
        f"01{'0' + code}310{decimals}{value}",
        f"]C101{'0' + code}310{decimals}{value}",
        f"(01)0{code}(310{decimals}){value}",
    ]
    parsed = {(p.lookup_code, p.kind, p.value) for p in map(parse_scan, forms)}
    assert parsed == {(code, ScanKind.WEIGHT, Decimal(digits).scaleb(-decimals))}
