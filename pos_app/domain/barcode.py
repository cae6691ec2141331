"""Parsing and validation of scanned codes: the one path every scanner uses.

- EAN-13, EAN-8 and UPC-A are checked by their GS1 check digit (python-stdnum). A UPC-A is the
  same GTIN as the EAN-13 with a leading zero, and is looked up in that canonical form.
- Variable-measure EAN-13 (prefixes 20-29) as Spanish scales print them: the store configures,
  per prefix, how many digits name the item, how many carry the value, and whether the value is a
  weight (in grams, i.e. 3 decimals of a kilogram) or a price (in cents). The item is looked up
  by the canonical key: the code with its value digits set to zero and the check digit
  recomputed, which is how such items are registered in the catalog.
- GS1 element strings (GS1-128, GS1 DataBar, GS1 DataMatrix, GS1 QR), parsed by biip, in the
  three forms they reach the register: raw, with the group separator (FNC1, ``\x1d``) after each
  variable-length field, as serial scanners send them; behind an AIM symbology identifier
  (``]C1``, ``]e0``, ``]d2``, ``]Q3``, ``]J1``); or in the human-readable form a person types,
  ``(01)08412345678905(3103)001234``. A number of more than 14 digits can only be GS1 data
  (no GTIN is longer), so it is read as such. Meaning taken:

  ========  ===============================================================================
  (01)      the GTIN. Its catalog key: a GTIN-14 with indicator digit 0 is the same item as
            its EAN-13, EAN-8 or UPC-A and is looked up as the catalog stores those (EAN-13
            and EAN-8 as they are, UPC-A as the EAN-13 with a leading zero); indicators 1-8 (a
            case or pack of items) and 9 (a variable-measure item) name other items than the
            unit inside and are looked up as the 14 digits. A key that is a Spanish
            variable-measure EAN-13 (prefixes 20-29 in the layout) is looked up as the scales'
            items are, by its item key.
  (310n)    net weight in kilograms with n decimals: ``WEIGHT`` (to 3 decimals, grams, when
            exact). Net weight only in pounds or ounces is refused; beside a (310n), ignored.
  (392n)    price payable, in euros with n decimals; (393n) the same with an ISO 4217 currency,
            only 978 (EUR) accepted: ``PRICE``. A label with both a price and a weight is a
            ``PRICE`` (the label's amount is what the customer is charged, as with
            price-embedded EAN-13 labels).
  (10)      batch or lot, (17) expiry date, (21) serial number: kept on the scan, no policy.
  ========  ===============================================================================

  Other AIs are parsed (so a truncated or unknown one is refused) and ignored. A GS1 code with
  no (01) is not a product: an SSCC (00) or a (02) content label is on a shipping unit.

An AIM identifier of any other symbology (``]E0`` EAN-13, ``]E4`` EAN-8, ``]E3`` EAN with an
add-on, which is dropped, ``]I1`` ITF-14, ...) is stripped and the rest read as without it. Plain
EAN-13, EAN-8, UPC-A and GTIN-14 never go through biip.

``parse_scan`` raises ``InvalidBarcode`` with one of these reasons:

    empty, characters, length, check_digit   not a readable EAN/UPC (misread or mistyped)
    zero_value                               a weight or price label that says zero
    gs1_malformed     GS1 data that cannot be read: truncated, an unknown AI, a bad date,
                      a repeated AI with different values, a missing group separator
                      (when the data then no longer parses: it cannot always be seen)
    gs1_check_digit   the GTIN in the (01) fails its check digit
    gs1_no_gtin       GS1 data without a (01): a shipping or pallet label, not a product
    gs1_unit          a net weight in pounds or ounces (320n, 356n, 357n): we sell by the kilo
    gs1_currency      a (393n) price in a currency other than the euro
    gs1_price         a price with fractions of a cent
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from stdnum import ean
from stdnum.exceptions import ValidationError

from pos_app.domain.errors import InvalidBarcode

if TYPE_CHECKING:  # biip is imported when a GS1 code is read: its tables cost ~0.15 s to load
    from biip.gs1_messages import GS1Message
    from biip.gtin import Gtin


class ScanKind(StrEnum):
    GTIN = "gtin"
    WEIGHT = "weight"
    PRICE = "price"


@dataclass(frozen=True, slots=True)
class VariableMeasureRule:
    """How one set of prefixes lays out its digits: PP IIIII VVVVV C by default."""

    prefixes: frozenset[str]
    kind: ScanKind
    item_digits: int = 5
    value_digits: int = 5
    value_decimals: int = 3  # 3: grams of a kilogram; 2: cents of a euro

    def __post_init__(self) -> None:
        if self.kind is ScanKind.GTIN:
            raise ValueError("a variable-measure rule is for weight or price")
        for prefix in self.prefixes:
            if len(prefix) != 2 or not prefix.isdigit() or not "20" <= prefix <= "29":
                raise ValueError(f"variable-measure prefixes are 20-29, not {prefix!r}")
        if 2 + self.item_digits + self.value_digits != 12:
            raise ValueError("prefix + item digits + value digits must be 12")


@dataclass(frozen=True, slots=True)
class BarcodeLayout:
    rules: tuple[VariableMeasureRule, ...]

    @classmethod
    def spanish_default(cls) -> BarcodeLayout:
        """20-24: weight in grams; 25-29: price in cents; 5 item digits, 5 value digits."""
        return cls(
            (
                VariableMeasureRule(frozenset({"20", "21", "22", "23", "24"}), ScanKind.WEIGHT),
                VariableMeasureRule(
                    frozenset({"25", "26", "27", "28", "29"}), ScanKind.PRICE, value_decimals=2
                ),
            )
        )

    @classmethod
    def from_config(cls, rules: Iterable[dict[str, object]]) -> BarcodeLayout:
        """Build from settings: ``[{prefixes = ["21"], kind = "weight", item_digits = 5, ...}]``."""
        built = []
        for raw in rules:
            prefixes = raw.get("prefixes", [])
            if not isinstance(prefixes, list | tuple):
                raise ValueError("prefixes must be a list")
            built.append(
                VariableMeasureRule(
                    prefixes=frozenset(str(p) for p in prefixes),
                    kind=ScanKind(str(raw.get("kind", "weight"))),
                    item_digits=int(str(raw.get("item_digits", 5))),
                    value_digits=int(str(raw.get("value_digits", 5))),
                    value_decimals=int(str(raw.get("value_decimals", 3))),
                )
            )
        return cls(tuple(built))

    def rule_for(self, code: str) -> VariableMeasureRule | None:
        if len(code) != 13:
            return None
        for rule in self.rules:
            if code[:2] in rule.prefixes:
                return rule
        return None


@dataclass(frozen=True, slots=True)
class ParsedScan:
    raw: str
    lookup_code: str
    kind: ScanKind
    value: Decimal | None = None  # kilograms for WEIGHT, euros for PRICE
    # From GS1 data only: (10) batch or lot, (17) expiry date, (21) serial number.
    batch: str | None = None
    expiry: date | None = None
    serial: str | None = None

    @property
    def price_cents(self) -> int | None:
        return (
            int(self.value * 100)
            if self.kind is ScanKind.PRICE and self.value is not None
            else None
        )


def _with_check_digit(first12: str) -> str:
    return first12 + ean.calc_check_digit(first12)


def canonical_gtin(code: str) -> str:
    """The form a valid code is stored and looked up in: UPC-A becomes EAN-13."""
    return "0" + code if len(code) == 12 else code


def variable_measure_key(code: str, rule: VariableMeasureRule) -> str:
    """The catalog key of a variable-measure code: value digits zeroed, check digit redone."""
    item_end = 2 + rule.item_digits
    return _with_check_digit(code[:item_end] + "0" * rule.value_digits)


GROUP_SEPARATOR = "\x1d"  # what a scanner sends for FNC1 between GS1 fields

_GTIN_LENGTHS = (8, 12, 13, 14)
_AIM_PREFIX = re.compile(r"\]([A-Za-z][0-9A-Za-z])")
_GS1_SYMBOLOGIES = frozenset({"C1", "e0", "d2", "Q3", "J1"})  # GS1-128, DataBar, DM, QR, DotCode
_EUR = "978"
_CENT = Decimal("0.01")
_GRAM = Decimal("0.001")


def is_scanner_syntax(text: str) -> bool:
    """Whether ``text`` is written as a scanner writes codes, not as a SKU: an AIM symbology
    identifier, GS1 data with group separators, or the GS1 human-readable ``(AI)`` form."""
    code = text.strip()
    return code.startswith(("]", "(")) or GROUP_SEPARATOR in code


def parse_scan(raw: str, layout: BarcodeLayout | None = None) -> ParsedScan:
    """Validate a scanned or typed code and say what it means.

    Raises ``InvalidBarcode`` with a reason (listed at the top of this module).
    """
    layout = layout or BarcodeLayout.spanish_default()
    code = raw.strip()
    if not code:
        raise InvalidBarcode(raw, "empty")
    if code[0] == "]":
        aim = _AIM_PREFIX.match(code)
        if aim is None:
            raise InvalidBarcode(raw, "characters")
        symbology, code = aim[1], code[aim.end() :].strip()
        if not code:
            raise InvalidBarcode(raw, "empty")
        if symbology in _GS1_SYMBOLOGIES:
            return _parse_gs1(raw, code, layout)
        if symbology == "E3" and len(code) in (15, 18) and code.isdigit():
            code = code[:13]  # EAN-13 or UPC-A with its 2- or 5-digit add-on
    if code.isascii() and code.isdigit():
        if len(code) in _GTIN_LENGTHS:
            return _parse_gtin(raw, code, layout)
        if len(code) > 14:
            return _parse_gs1(raw, code, layout)
        raise InvalidBarcode(raw, "length")
    if code[0] == "(" or GROUP_SEPARATOR in code:
        return _parse_gs1(raw, code, layout)
    raise InvalidBarcode(raw, "characters")


def _parse_gtin(raw: str, code: str, layout: BarcodeLayout) -> ParsedScan:
    """A plain EAN-13, EAN-8, UPC-A or GTIN-14 (ASCII digits of one of those lengths)."""
    try:
        ean.validate(code)
    except ValidationError as exc:
        raise InvalidBarcode(raw, "check_digit") from exc
    rule = layout.rule_for(code)
    if rule is None:
        return ParsedScan(raw, canonical_gtin(code), ScanKind.GTIN)
    return ParsedScan(
        raw, variable_measure_key(code, rule), rule.kind, _embedded_value(raw, code, rule)
    )


def _embedded_value(raw: str, code: str, rule: VariableMeasureRule) -> Decimal:
    item_end = 2 + rule.item_digits
    digits = code[item_end : item_end + rule.value_digits]
    value = Decimal(int(digits)).scaleb(-rule.value_decimals)
    if value <= 0:
        raise InvalidBarcode(raw, "zero_value")
    return value


def gtin_catalog_key(gtin: Gtin) -> str:
    """The catalog key of a GTIN read from a GS1 (01): indicator 0 gives the EAN-13, UPC-A (as
    its EAN-13) or EAN-8 inside; indicators 1-9 name another item, kept as 14 digits."""
    from biip.gtin import GtinFormat

    if gtin.format is GtinFormat.GTIN_8:
        return gtin.as_gtin_8()
    if gtin.format is GtinFormat.GTIN_14:
        return gtin.as_gtin_14()
    return gtin.as_gtin_13()  # GTIN-13, or GTIN-12 (UPC-A) as canonical_gtin stores it


def _read_gs1(raw: str, data: str) -> GS1Message:
    from biip import ParseError
    from biip.gs1_messages import GS1Message

    try:
        if data[0] != "(":
            return GS1Message.parse(data)
        compact = "".join(data.split())
        message = GS1Message.parse_hri(compact)
    except (ParseError, ValueError, LookupError) as exc:
        raise InvalidBarcode(raw, "gs1_malformed") from exc
    if message.as_hri() != compact:  # biip skips a part it cannot match, e.g. "(1O)"
        raise InvalidBarcode(raw, "gs1_malformed")
    return message


def _scaled(digits: str, decimals: int) -> Decimal:
    return Decimal(int(digits)).scaleb(-decimals)


def _family(ai: str) -> str:
    """What an AI says, so one message cannot say it twice (310n of any n is one weight)."""
    if ai[:3] in ("392", "393"):
        return "price"
    if ai[:3] in ("310", "320", "356", "357"):
        return ai[:3]
    return ai


def _parse_gs1(raw: str, data: str, layout: BarcodeLayout) -> ParsedScan:
    """GS1 element strings (raw with group separators, or the ``(AI)`` form) without AIM id."""
    message = _read_gs1(raw, data)
    seen: dict[str, str] = {}
    gtin: Gtin | None = None
    weight: Decimal | None = None
    non_metric_weight = False
    price: Decimal | None = None
    foreign_currency = False
    batch: str | None = None
    expiry: date | None = None
    serial: str | None = None
    for element in message.element_strings:
        ai, family = element.ai.ai, _family(element.ai.ai)
        if seen.setdefault(family, ai + element.value) != ai + element.value:
            raise InvalidBarcode(raw, "gs1_malformed")  # two different values for one thing
        if ai == "01":
            if element.gtin is None:
                raise InvalidBarcode(raw, "gs1_check_digit")
            gtin = element.gtin
        elif family == "310":
            weight = _scaled(element.value, int(ai[3]))
        elif family in ("320", "356", "357"):
            non_metric_weight = True
        elif family == "price":
            groups = element.pattern_groups  # 393n: ISO currency, then the amount
            foreign_currency = ai[:3] == "393" and groups[0] != _EUR
            price = _scaled(groups[-1], int(ai[3]))
        elif ai == "10":
            batch = element.value
        elif ai == "17":
            expiry = element.date
        elif ai == "21":
            serial = element.value
    if gtin is None:
        raise InvalidBarcode(raw, "gs1_no_gtin")
    if non_metric_weight and weight is None:
        raise InvalidBarcode(raw, "gs1_unit")
    if foreign_currency:
        raise InvalidBarcode(raw, "gs1_currency")
    key = gtin_catalog_key(gtin)
    kind, value = ScanKind.GTIN, None
    rule = layout.rule_for(key)
    if rule is not None:  # a Spanish variable-measure EAN-13 inside the (01)
        if price is None and weight is None:
            kind, value = rule.kind, _embedded_value(raw, key, rule)
        key = variable_measure_key(key, rule)
    if price is not None:
        if price != price.quantize(_CENT):
            raise InvalidBarcode(raw, "gs1_price")
        kind, value = ScanKind.PRICE, price.quantize(_CENT)
    elif weight is not None:
        if weight == weight.quantize(_GRAM):
            weight = weight.quantize(_GRAM)  # in grams, as the scales' EAN-13 labels give it
        kind, value = ScanKind.WEIGHT, weight
    if value is not None and value <= 0:
        raise InvalidBarcode(raw, "zero_value")
    return ParsedScan(raw, key, kind, value, batch=batch, expiry=expiry, serial=serial)
