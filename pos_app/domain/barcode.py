"""Parsing and validation of scanned codes: the one path every scanner uses.

- EAN-13, EAN-8 and UPC-A are checked by their GS1 check digit (python-stdnum). A UPC-A is the
  same GTIN as the EAN-13 with a leading zero, and is looked up in that canonical form.
- Variable-measure EAN-13 (prefixes 20-29) as Spanish scales print them: the store configures,
  per prefix, how many digits name the item, how many carry the value, and whether the value is a
  weight (in grams, i.e. 3 decimals of a kilogram) or a price (in cents). The item is looked up
  by the canonical key: the code with its value digits set to zero and the check digit
  recomputed, which is how such items are registered in the catalog.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from stdnum import ean
from stdnum.exceptions import ValidationError

from pos_app.domain.errors import InvalidBarcode


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


def parse_scan(raw: str, layout: BarcodeLayout | None = None) -> ParsedScan:
    """Validate a scanned or typed code and say what it means.

    Raises ``InvalidBarcode`` with a reason: ``empty``, ``characters``, ``length`` or
    ``check_digit``.
    """
    layout = layout or BarcodeLayout.spanish_default()
    code = raw.strip()
    if not code:
        raise InvalidBarcode(raw, "empty")
    if not code.isascii() or not code.isdigit():
        raise InvalidBarcode(raw, "characters")
    if len(code) not in (8, 12, 13, 14):
        raise InvalidBarcode(raw, "length")
    try:
        ean.validate(code)
    except ValidationError as exc:
        raise InvalidBarcode(raw, "check_digit") from exc
    rule = layout.rule_for(code)
    if rule is None:
        return ParsedScan(raw, canonical_gtin(code), ScanKind.GTIN)
    item_end = 2 + rule.item_digits
    digits = code[item_end : item_end + rule.value_digits]
    value = Decimal(int(digits)).scaleb(-rule.value_decimals)
    if value <= 0:
        raise InvalidBarcode(raw, "zero_value")
    return ParsedScan(raw, variable_measure_key(code, rule), rule.kind, value)
