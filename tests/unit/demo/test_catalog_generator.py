"""Behaviour of the seeded demo / benchmark catalog generator."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from stdnum import ean

from pos_app.demo.catalog_generator import (
    _TEMPLATES_PATH,
    CATEGORIES,
    MAX_PRODUCTS,
    PRICE_PREFIX,
    TAX_CLASSES,
    WEIGHT_PREFIX,
    CatalogDataError,
    ProductRow,
    _load_catalog,
    generate_catalog,
    variable_measure_key,
)

LARGE = 200_000
ACCENTED = re.compile(r"[áéíóúüñÁÉÍÓÚÜÑ]")


@pytest.fixture(scope="module")
def large_catalog() -> list[ProductRow]:
    return list(generate_catalog(LARGE))


def _all_barcodes(rows: list[ProductRow]) -> list[str]:
    return [code for row in rows for code in row.barcodes]


def test_every_barcode_is_a_valid_ean13_ean8_or_upca(large_catalog: list[ProductRow]) -> None:
    # stdnum's validator is slow-ish; 50,000 products (~52,000 codes) keep the suite fast.
    lengths: Counter[int] = Counter()
    for code in _all_barcodes(large_catalog[:50_000]):
        assert code.isascii() and code.isdigit(), code
        assert len(code) in (8, 12, 13), code
        assert ean.is_valid(code), code
        lengths[len(code)] += 1
    assert lengths[8] > 0 and lengths[12] > 0 and lengths[13] > 0


def test_barcodes_are_unique_across_200000_products(large_catalog: list[ProductRow]) -> None:
    codes = _all_barcodes(large_catalog)
    assert len(codes) > LARGE
    assert len(set(codes)) == len(codes)
    # Also unique once padded to GTIN-14, as a scanner or a GTIN index sees them.
    assert len({code.zfill(14) for code in codes}) == len(codes)


def test_ordinary_ean13_codes_use_the_spanish_gs1_prefix(
    large_catalog: list[ProductRow],
) -> None:
    for row in large_catalog[:20_000]:
        if row.measure == "unit":
            for code in row.barcodes:
                if len(code) in (8, 13):
                    assert code.startswith("84"), (row.sku, code)


def test_skus_are_unique_zero_padded_and_sorted(large_catalog: list[ProductRow]) -> None:
    skus = [row.sku for row in large_catalog]
    assert len(set(skus)) == len(skus)
    assert all(re.fullmatch(r"P\d{7}", sku) for sku in skus)
    assert skus == sorted(skus)
    assert skus[0] == "P0000001"


def test_same_seed_gives_identical_rows() -> None:
    assert list(generate_catalog(3_000, seed=7)) == list(generate_catalog(3_000, seed=7))


def test_different_seeds_give_different_catalogs() -> None:
    first = list(generate_catalog(500, seed=1))
    second = list(generate_catalog(500, seed=2))
    assert [r.barcodes for r in first] != [r.barcodes for r in second]
    assert [r.name for r in first] != [r.name for r in second]


def test_small_catalog_is_a_prefix_of_a_large_one(large_catalog: list[ProductRow]) -> None:
    for n in (1, 30, 50, 5_000):
        assert list(generate_catalog(n)) == large_catalog[:n]
    assert list(generate_catalog(1_000, seed=9)) == list(generate_catalog(4_000, seed=9))[:1_000]


def test_every_referenced_tax_class_and_category_exists(
    large_catalog: list[ProductRow],
) -> None:
    tax_codes = {tax.code for tax in TAX_CLASSES}
    category_codes = {category.code for category in CATEGORIES}
    assert tax_codes == {"IVA21", "IVA10", "IVA4", "IVA0"}
    assert len(category_codes) == len(CATEGORIES)
    used_tax = {row.tax_class for row in large_catalog}
    used_categories = {row.category for row in large_catalog}
    assert used_tax == tax_codes
    assert used_categories <= category_codes
    assert len(used_categories) == len(category_codes)


def test_tax_classes_carry_spanish_rates() -> None:
    rates = {tax.code: tax.rate for tax in TAX_CLASSES}
    assert rates == {
        "IVA21": Decimal("21"),
        "IVA10": Decimal("10"),
        "IVA4": Decimal("4"),
        "IVA0": Decimal("0"),
    }
    for tax in TAX_CLASSES:
        assert tax.valid_to is None or tax.valid_to > tax.valid_from


def test_basic_foods_and_taxed_goods_get_realistic_tax_classes(
    large_catalog: list[ProductRow],
) -> None:
    expected = {
        "Leche entera": "IVA4",
        "Leche desnatada": "IVA4",
        "Huevos frescos ": "IVA4",
        "Barra de pan": "IVA4",
        "Manzana": "IVA4",
        "Café molido ": "IVA10",
        "Merluza": "IVA10",
        "Cerveza ": "IVA21",
        "Refresco de cola": "IVA21",
        "Detergente líquido": "IVA21",
        "Tarjeta regalo": "IVA0",
    }
    seen: set[str] = set()
    for row in large_catalog[:50_000]:
        for prefix, tax in expected.items():
            if row.name.startswith(prefix):
                assert row.tax_class == tax, row
                seen.add(prefix)
    assert seen == set(expected)


def test_product_names_are_spanish_with_accents(large_catalog: list[ProductRow]) -> None:
    names = [row.name for row in large_catalog[:5_000]]
    accented = [name for name in names if ACCENTED.search(name)]
    assert len(accented) > len(names) // 10
    joined = "\n".join(names)
    for word in ("Café", "Jamón", "Azúcar", "Piña", "Limón", "Jabón"):
        assert word in joined, word


def test_demo_sized_catalog_has_distinct_plain_names(large_catalog: list[ProductRow]) -> None:
    names = [row.name for row in large_catalog[:5_000]]
    assert len(set(names)) == len(names)
    assert not any("(ref." in name for name in names)


def test_names_stay_distinct_in_a_large_catalog(large_catalog: list[ProductRow]) -> None:
    names = [row.name for row in large_catalog]
    assert len(set(names)) == len(names)


def test_weighed_and_price_embedded_items_use_variable_measure_keys(
    large_catalog: list[ProductRow],
) -> None:
    item_codes: list[int] = []
    for row in large_catalog:
        if row.measure == "unit":
            assert not any(code[:2] in ("21", "26") and len(code) == 13 for code in row.barcodes)
            continue
        assert row.measure in ("weight", "price"), row
        assert len(row.barcodes) == 1, row
        (code,) = row.barcodes
        prefix = WEIGHT_PREFIX if row.measure == "weight" else PRICE_PREFIX
        assert len(code) == 13 and code.startswith(prefix), row
        assert code[7:12] == "00000", row  # zero value field
        assert ean.is_valid(code), row
        item_code = int(code[2:7])
        assert 0 < item_code < 100_000
        assert code == variable_measure_key(prefix, item_code)
        item_codes.append(item_code)
    assert len(set(item_codes)) == len(item_codes)


def test_shares_of_measures_and_barcode_kinds(large_catalog: list[ProductRow]) -> None:
    measures = Counter(row.measure for row in large_catalog)
    assert 0.015 * LARGE < measures["weight"] < 0.025 * LARGE
    assert 0.003 * LARGE < measures["price"] < 0.007 * LARGE
    units = [row for row in large_catalog if row.measure == "unit"]
    upc = sum(len(row.barcodes[0]) == 12 for row in units)
    second = sum(len(row.barcodes) == 2 for row in units)
    assert 0.015 * len(units) < upc < 0.025 * len(units)
    assert 0.04 * len(units) < second < 0.06 * len(units)
    assert all(1 <= len(row.barcodes) <= 2 for row in large_catalog)
    iva0 = sum(row.tax_class == "IVA0" for row in large_catalog)
    assert 0 < iva0 < 0.005 * LARGE


def test_prices_are_positive_integer_cents_in_a_realistic_range(
    large_catalog: list[ProductRow],
) -> None:
    for row in large_catalog:
        assert type(row.price_cents) is int, row
        assert 35 <= row.price_cents <= 6_000, row


def test_first_products_show_every_tax_class_and_measure() -> None:
    for n in (30, 50):
        rows = list(generate_catalog(n, seed=12345))
        taxes = Counter(row.tax_class for row in rows)
        measures = Counter(row.measure for row in rows)
        assert taxes["IVA4"] >= 3 and taxes["IVA10"] >= 3 and taxes["IVA21"] >= 3, taxes
        assert taxes["IVA0"] >= 1, taxes
        assert measures["weight"] >= 2 and measures["price"] >= 1, measures
        assert any(ACCENTED.search(row.name) for row in rows)
        assert any(len(row.barcodes) == 2 for row in rows)
        assert any(len(row.barcodes[0]) == 12 for row in rows)


def test_variable_measure_key_layout() -> None:
    key = variable_measure_key("21", 123)
    assert key[:12] == "210012300000"
    assert key == key[:12] + ean.calc_check_digit(key[:12])
    assert ean.is_valid(key)
    assert variable_measure_key(PRICE_PREFIX, 99_999).startswith("2699999")


@pytest.mark.parametrize(
    ("prefix", "item_code"), [("84", 1), ("2", 1), ("21", 100_000), ("21", -1)]
)
def test_variable_measure_key_rejects_bad_input(prefix: str, item_code: int) -> None:
    with pytest.raises(ValueError):
        variable_measure_key(prefix, item_code)


def test_catalog_size_is_validated() -> None:
    assert list(generate_catalog(0)) == []
    with pytest.raises(ValueError):
        generate_catalog(-1)
    with pytest.raises(ValueError):
        generate_catalog(MAX_PRODUCTS + 1)
    with pytest.raises(TypeError):
        generate_catalog(True)


# sha256 of the reprs of list(generate_catalog(2000)), one per line.  Any change
# to resources/demo/catalog_templates.json or to the algorithm changes every
# generated catalog (demo databases, benchmark baselines): update it deliberately.
FINGERPRINT_2000 = "c33dd74139d97b07ce55ec1631e7d40fe63a9fb981a4c805746dac541a30d4e8"


def test_catalog_fingerprint_is_pinned() -> None:
    rows = "\n".join(repr(row) for row in generate_catalog(2_000))
    assert hashlib.sha256(rows.encode("utf-8")).hexdigest() == FINGERPRINT_2000


# --- The template file ------------------------------------------------------


def _shipped_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(_TEMPLATES_PATH.read_text(encoding="utf-8"))
    return document


def _write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "catalog_templates.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_template_file_is_shipped_inside_the_resources_package() -> None:
    assert _TEMPLATES_PATH.is_file()
    assert _TEMPLATES_PATH.parent.parent.joinpath("__init__.py").is_file()
    # One template per line keeps diffs of the data readable.
    text = _TEMPLATES_PATH.read_text(encoding="utf-8")
    assert sum('"base":' in line for line in text.splitlines()) == text.count('"base":')


def test_shipped_templates_round_trip_through_the_loader(tmp_path: Path) -> None:
    catalog = _load_catalog(_write(tmp_path, _shipped_document()))
    assert len(catalog.showcase) == 30
    assert catalog.weight and catalog.price and catalog.unit_core and catalog.unit_packs


def _set(path: tuple[str | int, ...], value: object) -> Callable[[dict[str, Any]], None]:
    def edit(document: dict[str, Any]) -> None:
        target: Any = document
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return edit


def _drop(path: tuple[str | int, ...]) -> Callable[[dict[str, Any]], None]:
    def edit(document: dict[str, Any]) -> None:
        target: Any = document
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return edit


def _duplicate_base(document: dict[str, Any]) -> None:
    document["price_templates"].append(copy.deepcopy(document["weight_templates"][0]))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_set(("unit_templates", 0, "sizes"), "G999"), r"unknown size group 'G999'"),
        (_set(("unit_templates", 0, "brands"), "NOPE"), r"unknown brand group 'NOPE'"),
        (_set(("unit_templates", 1, "category"), "XXX"), r"unknown category 'XXX'"),
        (_set(("weight_templates", 2, "tax_class"), "IVA7"), r"unknown tax class 'IVA7'"),
        (_set(("unit_templates", 0, "price_cents"), "3,49"), r"price_cents: expected a positive"),
        (_set(("unit_templates", 0, "variants"), []), r"variants: expected a non-empty list"),
        (_set(("unit_templates", 0, "fixed_prize"), True), r"unknown key\(s\) fixed_prize"),
        (_set(("weight_templates", 0, "sizes"), "G250"), r"unknown key\(s\) sizes"),
        (_set(("size_groups", "G250", 0), ["250 g"]), r"size_groups.G250\[0\]: expected \["),
        (_set(("showcase", 0, "base"), "Café tostado"), r"unknown template 'Café tostado'"),
        (_set(("showcase", 2, "upc"), True), r"upc and second only apply to unit templates"),
        (_set(("format_version",), 2), r"format_version: expected 1"),
        (_drop(("unit_templates", 0, "tax_class")), r"missing tax_class"),
        (_drop(("own_brands",)), r"missing own_brands"),
        (_duplicate_base, r"share the base name 'Plátano de Canarias'"),
    ],
)
def test_malformed_template_files_are_rejected_clearly(
    tmp_path: Path, edit: Callable[[dict[str, Any]], None], message: str
) -> None:
    document = _shipped_document()
    edit(document)
    path = _write(tmp_path, document)
    with pytest.raises(CatalogDataError, match=message) as error:
        _load_catalog(path)
    assert str(path) in str(error.value)


def test_unreadable_or_invalid_json_template_files_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(CatalogDataError, match="cannot read"):
        _load_catalog(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"format_version": 1,', encoding="utf-8")
    with pytest.raises(CatalogDataError, match="not valid JSON"):
        _load_catalog(broken)
