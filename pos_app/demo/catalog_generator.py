"""Deterministic generator of a realistic Spanish shop catalog.

The generator produces a supermarket-style catalog (groceries, drinks, fresh
counters, household, hygiene, stationery, ...) with Spanish product names,
Spanish VAT (IVA) classes, integer prices in cents and valid, globally unique
barcodes.  It is meant for the demo database (a few thousand products), for
tests and for benchmarks (up to a million products and more).

Guarantees:

* Deterministic: the same ``n_products`` and ``seed`` always give the same rows.
* Prefix-stable: row ``k`` depends only on ``k`` and ``seed``, never on
  ``n_products``, so a small catalog is a prefix of a larger one.
* The first rows are a fixed "showcase" (the products vary with the seed, the
  kinds do not) so that even a 30-product demo shows every IVA class, weighed
  and price-embedded items, an UPC-A code, second barcodes and accented names.
* Barcodes are derived from the row index through bijective scrambles, so they
  stay unique without remembering the ones already issued.

The product templates (names, brands, sizes, base prices, IVA classes) are
data, in ``resources/demo/catalog_templates.json``; it is read and validated
once, on first use.  Any change to it changes the generated catalogs.

Pure Python; the only dependency is python-stdnum (EAN check digits).
"""

from __future__ import annotations

import json
import random
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Final, Literal, TypeVar

from stdnum.ean import calc_check_digit

from resources import RESOURCES_DIR

__all__ = [
    "CATEGORIES",
    "MAX_ITEM_CODE",
    "MAX_PRODUCTS",
    "PRICE_PREFIX",
    "TAX_CLASSES",
    "WEIGHT_PREFIX",
    "CatalogDataError",
    "CategoryRow",
    "ProductRow",
    "TaxClassRow",
    "generate_catalog",
    "variable_measure_key",
]


# ---------------------------------------------------------------------------
# Public rows
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TaxClassRow:
    """A Spanish VAT (IVA) class."""

    code: str
    name: str
    rate: Decimal
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True)
class CategoryRow:
    """A shop department."""

    code: str
    name: str


@dataclass(frozen=True, slots=True)
class ProductRow:
    """One catalog product.

    ``price_cents`` is the tax-included unit price.  For ``measure == "weight"``
    it is the price per kilogram.  For ``measure == "price"`` (labels printed
    by a back-office scale with the amount embedded in the barcode) it is the
    reference price per kilogram the scale used; the sale takes the amount
    from the label.
    """

    sku: str
    name: str
    category: str
    tax_class: str
    price_cents: int
    barcodes: tuple[str, ...]
    measure: str


TAX_CLASSES: Final[tuple[TaxClassRow, ...]] = (
    # 21 % and 10 % since Real Decreto-ley 20/2012 (in force 1 September 2012).
    TaxClassRow("IVA21", "IVA general 21 %", Decimal("21"), date(2012, 9, 1), None),
    TaxClassRow("IVA10", "IVA reducido 10 %", Decimal("10"), date(2012, 9, 1), None),
    # The super-reduced 4 % rate exists since 1995.
    TaxClassRow("IVA4", "IVA superreducido 4 %", Decimal("4"), date(1995, 1, 1), None),
    # Operations outside the tax (gift cards, donations): IVA has existed since 1986.
    TaxClassRow("IVA0", "IVA 0 % (exento o no sujeto)", Decimal("0"), date(1986, 1, 1), None),
)

CATEGORIES: Final[tuple[CategoryRow, ...]] = (
    CategoryRow("ALIM", "Alimentación"),
    CategoryRow("BEB", "Bebidas"),
    CategoryRow("LACT", "Lácteos y huevos"),
    CategoryRow("FRUT", "Frutería"),
    CategoryRow("CARN", "Carnicería"),
    CategoryRow("PESC", "Pescadería"),
    CategoryRow("CHAR", "Charcutería y quesos"),
    CategoryRow("PAN", "Panadería"),
    CategoryRow("CONG", "Congelados"),
    CategoryRow("DROG", "Droguería"),
    CategoryRow("HIG", "Higiene"),
    CategoryRow("PAP", "Papelería"),
    CategoryRow("MASC", "Mascotas"),
    CategoryRow("BAZ", "Bazar"),
    CategoryRow("VAR", "Varios"),
)

WEIGHT_PREFIX: Final = "21"
PRICE_PREFIX: Final = "26"

#: Variable-measure item codes are 5 digits; 0 is never issued.
MAX_ITEM_CODE: Final = 99_999
#: SKUs are "P" + 7 digits, so they sort as strings up to this many products.
MAX_PRODUCTS: Final = 9_999_999

Measure = Literal["unit", "weight", "price"]

_MIN_PRICE_CENTS: Final = 35
_MAX_PRICE_CENTS: Final = 5_999

_WEIGHT_SHARE: Final = 0.02  # weighed products, price per kg
_PRICE_SHARE: Final = 0.005  # price-embedded labels
_UPC_SHARE: Final = 0.02  # ordinary products coded with a UPC-A instead of an EAN-13
_SECOND_BARCODE_SHARE: Final = 0.05  # ordinary products with a second barcode


def variable_measure_key(prefix: str, item_code: int) -> str:
    """Return the EAN-13 key of a variable-measure item.

    The key is ``prefix`` (2 digits, GS1 restricted range 20-29) + the item
    code (5 digits) + a zero value field ("00000") + the check digit.  Scanned
    labels carry the weight or price in the value field; the catalog stores
    the key with the value zeroed.
    """
    if len(prefix) != 2 or not prefix.isascii() or not prefix.isdigit() or prefix[0] != "2":
        raise ValueError(f"variable-measure prefix must be two digits 20-29, got {prefix!r}")
    if isinstance(item_code, bool) or not 0 <= item_code <= MAX_ITEM_CODE:
        raise ValueError(f"item code must be in 0..{MAX_ITEM_CODE}, got {item_code!r}")
    body = f"{prefix}{item_code:05d}00000"
    return body + calc_check_digit(body)


# ---------------------------------------------------------------------------
# Product templates (data in resources/demo/catalog_templates.json)
# ---------------------------------------------------------------------------

_TEMPLATES_PATH: Final[Path] = RESOURCES_DIR / "demo" / "catalog_templates.json"

_FORMAT_VERSION: Final = 1

# (label appended to the name, price factor in per mille of the base price)
_Size = tuple[str, int]
_SecondBarcode = Literal["", "ean13", "ean8"]
_T = TypeVar("_T")

_NO_SIZE: Final[tuple[_Size, ...]] = (("", 1000),)
_NONE: Final[tuple[str, ...]] = ("",)
_SECOND_BARCODES: Final[dict[str, _SecondBarcode]] = {"": "", "ean13": "ean13", "ean8": "ean8"}


class CatalogDataError(ValueError):
    """The catalog template file is missing, not JSON or inconsistent."""


@dataclass(frozen=True, slots=True)
class _Template:
    base: str
    category: str
    tax_class: str
    measure: Measure
    price_cents: int  # for the first size (or per kg)
    variants: tuple[str, ...]
    brands: tuple[str, ...]
    sizes: tuple[_Size, ...]
    fixed_price: bool = False  # exact face value: no jitter, no .x9 rounding


@dataclass(frozen=True, slots=True)
class _Showcase:
    template: _Template
    upc: bool = False
    second: _SecondBarcode = ""


@dataclass(frozen=True, slots=True)
class _Catalog:
    """The loaded templates, ready for the generator."""

    unit_core: tuple[_Template, ...]
    unit_packs: tuple[_Template, ...]
    weight: tuple[_Template, ...]
    price: tuple[_Template, ...]
    brand_factors: dict[str, int]  # own brands; every other brand is 1000
    showcase: tuple[_Showcase, ...]


_QUANTITY_LABEL: Final = re.compile(r"\d+(?:,\d+)? (?:g|kg|ml|cl|l)")
_PACKS: Final[tuple[tuple[int, int], ...]] = ((2, 1900), (3, 2750))


def _with_own_brands(template: _Template, own_brands: tuple[str, ...]) -> _Template:
    """Offer a branded unit template under the shop's own labels too."""
    if template.measure != "unit" or template.fixed_price or template.brands == _NONE:
        return template
    return replace(template, brands=template.brands + own_brands)


def _packs_only(template: _Template, dearest_brand: int) -> _Template | None:
    """Multi-pack sizes of a branded unit template (None when it has none)."""
    if template.measure != "unit" or template.fixed_price or template.brands == _NONE:
        return None
    existing = {label for label, _ in template.sizes}
    packs: list[_Size] = []
    for label, factor in template.sizes:
        if not _QUANTITY_LABEL.fullmatch(label):
            continue
        for count, pack_factor in _PACKS:
            pack_label = f"pack {count} x {label}"
            pack = factor * pack_factor // 1000
            # Only packs that stay under the price ceiling with the dearest brand.
            dearest = template.price_cents * pack * dearest_brand * 112 // 100_000_000
            if pack_label not in existing and dearest <= _MAX_PRICE_CENTS:
                existing.add(pack_label)
                packs.append((pack_label, pack))
    return replace(template, sizes=tuple(packs)) if packs else None


# --- Validation of the JSON document ---------------------------------------


def _object(value: object, where: str, required: set[str], optional: set[str]) -> dict[str, object]:
    if not isinstance(value, dict):
        raise CatalogDataError(f"{where}: expected an object, got {type(value).__name__}")
    missing = required - value.keys()
    if missing:
        raise CatalogDataError(f"{where}: missing {', '.join(sorted(missing))}")
    unknown = value.keys() - required - optional
    if unknown:
        raise CatalogDataError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    return value


def _list(value: object, where: str) -> list[object]:
    if not isinstance(value, list) or not value:
        raise CatalogDataError(f"{where}: expected a non-empty list")
    return value


def _str(value: object, where: str, *, allow_empty: bool = True) -> str:
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise CatalogDataError(f"{where}: expected a {'' if allow_empty else 'non-empty '}string")
    return value


def _positive_int(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise CatalogDataError(f"{where}: expected a positive integer, got {value!r}")
    return value


def _unique(items: tuple[str, ...], where: str) -> None:
    if len(set(items)) != len(items):
        duplicates = sorted({item for item in items if items.count(item) > 1})
        raise CatalogDataError(f"{where}: duplicated {duplicates!r}")


def _strings(value: object, where: str, *, allow_empty: bool) -> tuple[str, ...]:
    items = _list(value, where)
    strings = tuple(
        _str(item, f"{where}[{i}]", allow_empty=allow_empty) for i, item in enumerate(items)
    )
    _unique(strings, where)
    return strings


def _sizes(value: object, where: str) -> tuple[_Size, ...]:
    sizes: list[_Size] = []
    for i, item in enumerate(_list(value, where)):
        if not isinstance(item, list) or len(item) != 2:
            raise CatalogDataError(f"{where}[{i}]: expected [label, per-mille price factor]")
        label = _str(item[0], f"{where}[{i}] label")
        sizes.append((label, _positive_int(item[1], f"{where}[{i}] factor")))
    _unique(tuple(label for label, _ in sizes), f"{where} labels")
    return tuple(sizes)


def _groups(value: object, where: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise CatalogDataError(f"{where}: expected an object of named groups")
    return value


def _group_or_list(
    fields: dict[str, object],
    key: str,
    where: str,
    groups: dict[str, _T],
    default: _T,
    parse: Callable[[object, str], _T],
) -> _T:
    """``fields[key]``: omitted (``default``), a group name or an inline list."""
    if key not in fields:
        return default
    value = fields[key]
    where = f"{where}.{key}"
    if isinstance(value, str):
        if value not in groups:
            known = ", ".join(sorted(groups))
            kind = key.removesuffix("s")
            raise CatalogDataError(f"{where}: unknown {kind} group {value!r} (known: {known})")
        return groups[value]
    return parse(value, where)


def _parse_document(document: object) -> _Catalog:
    root = _object(
        document,
        "document",
        {
            "format_version",
            "own_brands",
            "brand_groups",
            "size_groups",
            "unit_templates",
            "weight_templates",
            "price_templates",
            "showcase",
        },
        {"description"},
    )
    if root["format_version"] != _FORMAT_VERSION:
        raise CatalogDataError(
            f"format_version: expected {_FORMAT_VERSION}, got {root['format_version']!r}"
        )

    own: list[tuple[str, int]] = []
    for i, item in enumerate(_list(root["own_brands"], "own_brands")):
        if not isinstance(item, list) or len(item) != 2:
            raise CatalogDataError(f"own_brands[{i}]: expected [brand, per-mille price factor]")
        brand = _str(item[0], f"own_brands[{i}] brand", allow_empty=False)
        own.append((brand, _positive_int(item[1], f"own_brands[{i}] factor")))
    own_names = tuple(brand for brand, _ in own)
    _unique(own_names, "own_brands")

    def brands(value: object, where: str) -> tuple[str, ...]:
        return _strings(value, where, allow_empty=False)

    brand_groups = {
        name: brands(group, f"brand_groups.{name}")
        for name, group in _groups(root["brand_groups"], "brand_groups").items()
    }
    size_groups = {
        name: _sizes(group, f"size_groups.{name}")
        for name, group in _groups(root["size_groups"], "size_groups").items()
    }
    categories = {category.code for category in CATEGORIES}
    tax_classes = {tax.code for tax in TAX_CLASSES}

    def template(value: object, where: str, measure: Measure) -> _Template:
        common = {"base", "category", "tax_class", "price_cents", "variants"}
        extra = {"brands", "sizes", "fixed_price"} if measure == "unit" else set()
        fields = _object(value, where, common, extra)
        base = _str(fields["base"], f"{where}.base", allow_empty=False)
        where = f"{where} ({base!r})"
        category = _str(fields["category"], f"{where}.category")
        if category not in categories:
            raise CatalogDataError(f"{where}: unknown category {category!r}")
        tax_class = _str(fields["tax_class"], f"{where}.tax_class")
        if tax_class not in tax_classes:
            raise CatalogDataError(f"{where}: unknown tax class {tax_class!r}")
        fixed_price = fields.get("fixed_price", False)
        if not isinstance(fixed_price, bool):
            raise CatalogDataError(f"{where}.fixed_price: expected true or false")
        return _Template(
            base,
            category,
            tax_class,
            measure,
            _positive_int(fields["price_cents"], f"{where}.price_cents"),
            _strings(fields["variants"], f"{where}.variants", allow_empty=True),
            _group_or_list(fields, "brands", where, brand_groups, _NONE, brands),
            _group_or_list(fields, "sizes", where, size_groups, _NO_SIZE, _sizes),
            fixed_price,
        )

    def templates(key: str, measure: Measure) -> tuple[_Template, ...]:
        return tuple(
            template(item, f"{key}[{i}]", measure) for i, item in enumerate(_list(root[key], key))
        )

    unit = templates("unit_templates", "unit")
    weight = templates("weight_templates", "weight")
    price = templates("price_templates", "price")

    # Unit products come in two tiers: the catalog sizes first (a demo of a few
    # thousand products only uses these), then multi-packs for larger catalogs.
    for t in unit:
        if set(t.brands) & set(own_names):
            raise CatalogDataError(f"{t.base!r}: own brands are added to every branded template")
    unit_core = tuple(_with_own_brands(t, own_names) for t in unit)
    dearest_brand = max(1000, *(factor for _, factor in own))
    unit_packs = tuple(
        packs for t in unit_core for packs in (_packs_only(t, dearest_brand),) if packs is not None
    )

    by_base: dict[str, _Template] = {}
    for t in (*unit_core, *weight, *price):
        if t.base in by_base:
            raise CatalogDataError(f"two product templates share the base name {t.base!r}")
        by_base[t.base] = t

    showcase: list[_Showcase] = []
    for i, item in enumerate(_list(root["showcase"], "showcase")):
        where = f"showcase[{i}]"
        fields = _object(item, where, {"base"}, {"upc", "second"})
        base = _str(fields["base"], f"{where}.base")
        if base not in by_base:
            raise CatalogDataError(f"{where}: unknown template {base!r}")
        upc = fields.get("upc", False)
        if not isinstance(upc, bool):
            raise CatalogDataError(f"{where}.upc: expected true or false")
        second = fields.get("second", "")
        if not isinstance(second, str) or second not in _SECOND_BARCODES:
            raise CatalogDataError(f"{where}.second: expected one of {sorted(_SECOND_BARCODES)}")
        if (upc or second) and by_base[base].measure != "unit":
            raise CatalogDataError(f"{where}: upc and second only apply to unit templates")
        showcase.append(_Showcase(by_base[base], upc, _SECOND_BARCODES[second]))

    return _Catalog(unit_core, unit_packs, weight, price, dict(own), tuple(showcase))


def _load_catalog(path: Path) -> _Catalog:
    """Read and validate a template file; errors name the file and the faulty entry."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogDataError(f"cannot read the catalog templates: {exc}") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogDataError(f"{path}: not valid JSON: {exc}") from exc
    try:
        return _parse_document(document)
    except CatalogDataError as exc:
        raise CatalogDataError(f"{path}: {exc}") from None


@cache
def _catalog() -> _Catalog:
    """The shipped templates, loaded and validated on first use."""
    return _load_catalog(_TEMPLATES_PATH)


# ---------------------------------------------------------------------------
# Scrambles
# ---------------------------------------------------------------------------


class _Affine:
    """Bijection of ``range(modulus)``: x -> (a * x + b) mod modulus.

    ``a`` is coprime with the modulus (a power of ten), so distinct inputs
    give distinct outputs and barcodes never need to be remembered.
    """

    __slots__ = ("_a", "_b", "_m")

    def __init__(self, rng: random.Random, modulus: int) -> None:
        a = rng.randrange(modulus // 10, modulus)
        while a % 2 == 0 or a % 5 == 0:
            a = a + 1 if a + 1 < modulus else modulus // 10 + 1
        self._a = a
        self._b = rng.randrange(modulus)
        self._m = modulus

    def __call__(self, x: int) -> int:
        return (self._a * x + self._b) % self._m


class _Permutation:
    """Pseudo-random bijection of ``range(size)``.

    A four-round Feistel network over the smallest even number of bits that
    covers ``size``, with cycle walking to stay inside the range.  Used to visit
    every name combination once, in a shuffled but reproducible order.
    """

    __slots__ = ("_half", "_keys", "_mask", "_size")

    def __init__(self, rng: random.Random, size: int) -> None:
        if size < 1:
            raise ValueError("a permutation needs a non-empty range")
        half = max(1, ((size - 1).bit_length() + 1) // 2)
        self._half = half
        self._mask = (1 << half) - 1
        keys = tuple((rng.getrandbits(31) | 1, rng.getrandbits(31)) for _ in range(4))
        self._keys: tuple[tuple[int, int], ...] = keys
        self._size = size

    def __call__(self, x: int) -> int:
        half = self._half
        mask = self._mask
        size = self._size
        (mul1, add1), (mul2, add2), (mul3, add3), (mul4, add4) = self._keys
        while True:
            left = x >> half
            right = x & mask
            mixed = (right * mul1 + add1) & 0xFFFFFFFF
            left, right = right, left ^ ((mixed ^ (mixed >> 13)) & mask)
            mixed = (right * mul2 + add2) & 0xFFFFFFFF
            left, right = right, left ^ ((mixed ^ (mixed >> 13)) & mask)
            mixed = (right * mul3 + add3) & 0xFFFFFFFF
            left, right = right, left ^ ((mixed ^ (mixed >> 13)) & mask)
            mixed = (right * mul4 + add4) & 0xFFFFFFFF
            left, right = right, left ^ ((mixed ^ (mixed >> 13)) & mask)
            x = (left << half) | right
            if x < size:
                return x


class _Combinations:
    """Every (template, variant, brand, size) of some templates, numbered densely."""

    __slots__ = ("_index", "_starts", "templates", "total")

    def __init__(self, templates: tuple[_Template, ...]) -> None:
        starts: list[int] = []
        total = 0
        for template in templates:
            starts.append(total)
            total += len(template.variants) * len(template.brands) * len(template.sizes)
        self.templates = templates
        self.total = total
        self._starts = tuple(starts)
        self._index = {id(template): i for i, template in enumerate(templates)}

    def contains(self, template: _Template) -> bool:
        return id(template) in self._index

    def number(self, template: _Template, variant: int, brand: int, size: int) -> int:
        start = self._starts[self._index[id(template)]]
        return start + (variant * len(template.brands) + brand) * len(template.sizes) + size

    def decode(self, number: int) -> tuple[_Template, int, int, int]:
        position = bisect_right(self._starts, number) - 1
        template = self.templates[position]
        rest, size = divmod(number - self._starts[position], len(template.sizes))
        variant, brand = divmod(rest, len(template.brands))
        return template, variant, brand, size


class _NameStream:
    """Hands out the combinations of one measure, each once, in shuffled order.

    Tiers are exhausted in order (each one shuffled on its own).  After all
    tiers, the combinations come round again with a " (ref. N)" suffix, so
    names stay distinct across the whole catalog without remembering them.
    """

    __slots__ = ("_counter", "_reserved", "_tiers", "_total")

    def __init__(self, rng: random.Random, tiers: tuple[tuple[_Template, ...], ...]) -> None:
        self._tiers: list[tuple[int, _Combinations, _Permutation]] = []
        total = 0
        for templates in tiers:
            combinations = _Combinations(templates)
            self._tiers.append((total, combinations, _Permutation(rng, combinations.total)))
            total += combinations.total
        self._total = total
        self._counter = 0
        self._reserved: set[tuple[int, int]] = set()

    def reserve(self, template: _Template, rng: random.Random) -> tuple[int, int, int]:
        """Pick a combination of ``template`` for a showcase row and keep it out of the stream."""
        variant = int(rng.random() * len(template.variants))
        brand = int(rng.random() * len(template.brands))
        size = int(rng.random() * len(template.sizes))
        for tier, (_, combinations, _) in enumerate(self._tiers):
            if combinations.contains(template):
                self._reserved.add((tier, combinations.number(template, variant, brand, size)))
                return variant, brand, size
        raise ValueError(f"{template.base!r} is not in this stream")

    def next(self) -> tuple[_Template, int, int, int, int]:
        """Return the next (template, variant, brand, size, lap)."""
        tiers = self._tiers
        while True:
            lap, offset = divmod(self._counter, self._total)
            self._counter += 1
            tier = len(tiers) - 1
            while tiers[tier][0] > offset:
                tier -= 1
            start, combinations, permutation = tiers[tier]
            number = permutation(offset - start)
            if (tier, number) not in self._reserved:
                template, variant, brand, size = combinations.decode(number)
                return template, variant, brand, size, lap


def _charm_price(raw_cents: int) -> int:
    """Round to a shelf-looking price ending in 5 or 9 cents, within bounds."""
    cents = (raw_cents + 2) // 5 * 5
    if cents % 10 == 0:
        cents -= 1
    return min(max(cents, _MIN_PRICE_CENTS), _MAX_PRICE_CENTS)


# ---------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------


def generate_catalog(n_products: int, *, seed: int = 2026) -> Iterator[ProductRow]:
    """Yield ``n_products`` products, deterministically for a given ``seed``.

    Row ``k`` depends only on ``k`` and ``seed``: ``generate_catalog(n)`` is a
    prefix of ``generate_catalog(m)`` for ``n <= m``.  Memory use is bounded
    (barcodes and names come from bijective scrambles of counters), so a
    million rows can be streamed.

    The first call loads ``resources/demo/catalog_templates.json`` and raises
    :class:`CatalogDataError` if it is missing or malformed.
    """
    if isinstance(n_products, bool) or not isinstance(n_products, int):
        raise TypeError(f"n_products must be an int, got {type(n_products).__name__}")
    if not 0 <= n_products <= MAX_PRODUCTS:
        raise ValueError(f"n_products must be in 0..{MAX_PRODUCTS}, got {n_products}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    return _generate(n_products, seed, _catalog())


def _generate(n_products: int, seed: int, catalog: _Catalog) -> Iterator[ProductRow]:
    rng = random.Random(seed)
    scramble_rng = random.Random(f"mostrador-catalog-{seed}")
    ean13_body = _Affine(scramble_rng, 10**10)  # "84" + 10 digits
    ean8_body = _Affine(scramble_rng, 10**5)  # "84" + 5 digits
    upc_body = _Affine(scramble_rng, 10**9)  # "07" + 9 digits
    streams: dict[str, _NameStream] = {
        "unit": _NameStream(scramble_rng, (catalog.unit_core, catalog.unit_packs)),
        "weight": _NameStream(scramble_rng, (catalog.weight,)),
        "price": _NameStream(scramble_rng, (catalog.price,)),
    }
    unit_stream = streams["unit"]
    weight_stream = streams["weight"]
    price_stream = streams["price"]

    # Showcase rows take fixed templates; their names are kept out of the streams.
    showcase = tuple(
        (entry, template, streams[template.measure].reserve(template, rng))
        for entry in catalog.showcase
        for template in (entry.template,)
    )
    n_showcase = len(showcase)

    random_ = rng.random
    check = calc_check_digit
    vm_key = variable_measure_key
    product = ProductRow
    brand_factors = catalog.brand_factors
    weight_cut = _WEIGHT_SHARE
    price_cut = _WEIGHT_SHARE + _PRICE_SHARE

    next_item_code = 1
    ean8_issued = 0

    for index in range(n_products):
        upc = False
        second = ""
        lap = 0
        if index < n_showcase:
            entry, template, (variant_i, brand_i, size_i) = showcase[index]
            upc = entry.upc
            second = entry.second
        else:
            draw = random_()
            if draw < price_cut and next_item_code <= MAX_ITEM_CODE:
                stream = weight_stream if draw < weight_cut else price_stream
            else:
                stream = unit_stream
            template, variant_i, brand_i, size_i, lap = stream.next()

        variant = template.variants[variant_i]
        brand = template.brands[brand_i]
        size_label, size_factor = template.sizes[size_i]
        name = " ".join(filter(None, (template.base, variant, brand, size_label)))
        if lap:
            name = f"{name} (ref. {lap + 1})"

        if template.fixed_price:
            price = template.price_cents * size_factor // 1000
        else:
            jitter = 88 + int(random_() * 25)  # 88 % .. 112 %
            factor = size_factor * brand_factors.get(brand, 1000) // 1000
            price = _charm_price(template.price_cents * factor * jitter // 100_000)

        measure = template.measure
        if measure == "unit":
            if index >= n_showcase:
                upc = random_() < _UPC_SHARE
                if random_() < _SECOND_BARCODE_SHARE:
                    second = "ean8" if random_() < 0.5 else "ean13"
            if upc:
                body = f"07{upc_body(index):09d}"
            else:
                body = f"84{ean13_body(2 * index):010d}"
            first = body + check(body)
            if second == "ean8" and ean8_issued < 10**5:
                body = f"84{ean8_body(ean8_issued):05d}"
                ean8_issued += 1
                barcodes: tuple[str, ...] = (first, body + check(body))
            elif second:
                body = f"84{ean13_body(2 * index + 1):010d}"
                barcodes = (first, body + check(body))
            else:
                barcodes = (first,)
        else:
            prefix = WEIGHT_PREFIX if measure == "weight" else PRICE_PREFIX
            barcodes = (vm_key(prefix, next_item_code),)
            next_item_code += 1

        yield product(
            f"P{index + 1:07d}",
            name,
            template.category,
            template.tax_class,
            price,
            barcodes,
            measure,
        )
