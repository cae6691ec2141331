"""Catalog import: tax rates, categories and products (with barcodes) from a file.

Two passes over the file, both streaming:

1. Check every record (fields, references between them, barcodes validated by the register's
   own ``pos_app.domain.barcode``, duplicates, barcodes that belong to a product the file does
   not change). Any problem refuses the whole import, reported with line numbers; nothing is
   written.
2. Apply: tax rates and categories in one transaction, then products in batches (5,000 by
   default), each batch one transaction with its change-log entries. Only what differs from the
   database is written and logged, so importing the same catalog again sends registers nothing.

Product ids follow the register's rule (``uuid5(PRODUCT_NAMESPACE, sku)``), so a catalog
imported on both sides agrees. A barcode listed for another product moves to it (when the
product that had it is in the same file). Products missing from the file are left alone:
``"active": false`` withdraws one.

If pass 2 is interrupted (a crash, the database away), the batches before stay applied; the
import is an upsert, so running it again completes it.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, select

from pos_app.domain.barcode import BarcodeLayout, canonical_gtin, parse_scan
from pos_app.domain.errors import InvalidBarcode
from pos_app.domain.money import Money
from sync.protocol import Entity
from sync.server.database import Database
from sync.server.errors import CatalogRejected, CommandError
from sync.server.services._sql import one_of, storable, upsert, utcnow
from sync.server.services.catalog_files import (
    KIND_CATEGORY,
    KIND_TAX_RATE,
    CatalogFormat,
    CatalogSyntaxError,
    detect_format,
    is_unreadable,
    read_records,
)
from sync.server.services.changelog import ChangeEntry, record_changes
from sync.server.tables import barcodes, categories, products, tax_rates

log = logging.getLogger(__name__)

# The register's rule (pos_app.storage.catalog_loader.product_id_for_sku), repeated here because
# the backend may not import the register's storage layer; a test pins that both agree.
PRODUCT_NAMESPACE = uuid.UUID("8c0c5e54-4f3a-4cf5-9a55-6f1f1a2b9d10")
BATCH_SIZE = 5_000
MAX_PROBLEMS_SHOWN = 50
MEASURES = ("unit", "weight", "price")
_KEY = re.compile(r"^\S{1,20}$")
_SKU = re.compile(r"^\S{1,40}$")
_TRUE = {"1", "true", "yes", "si", "sí", "y", "s"}
_FALSE = {"0", "false", "no", "n"}
# Catalog codes are checked against the Spanish default layout: a code of prefix 20-29 with zero
# value digits is a scale item's key.
_LAYOUT = BarcodeLayout.spanish_default()


def product_id_for_sku(sku: str) -> str:
    return str(uuid.uuid5(PRODUCT_NAMESPACE, sku))


@dataclass(frozen=True, slots=True)
class TaxRateRow:
    tax_class: str
    name: str
    rate: Decimal
    valid_from: date
    valid_to: date | None

    def change(self) -> ChangeEntry:
        return ChangeEntry(
            Entity.TAX_RATE,
            f"{self.tax_class}/{self.valid_from.isoformat()}",
            {
                "tax_class": self.tax_class,
                "name": self.name,
                "rate": str(self.rate),
                "valid_from": self.valid_from.isoformat(),
                "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            },
        )


@dataclass(frozen=True, slots=True)
class CategoryRow:
    code: str
    name: str

    def change(self) -> ChangeEntry:
        return ChangeEntry(Entity.CATEGORY, self.code, {"code": self.code, "name": self.name})


@dataclass(frozen=True, slots=True)
class ProductRow:
    sku: str
    name: str
    category: str | None
    tax_class: str
    price_cents: int
    measure: str
    barcodes: tuple[str, ...]  # canonical, sorted, unique
    active: bool
    product_id: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.product_id:
            object.__setattr__(self, "product_id", product_id_for_sku(self.sku))

    def data(self) -> dict[str, Any]:
        return {
            "sku": self.sku,
            "name": self.name,
            "category": self.category,
            "tax_class": self.tax_class,
            "price_cents": self.price_cents,
            "measure": self.measure,
            "barcodes": list(self.barcodes),
            "active": self.active,
        }


@dataclass(frozen=True, slots=True)
class ImportResult:
    tax_rates: int  # written (new or changed)
    categories: int
    products_new: int
    products_changed: int
    products_unchanged: int
    barcodes: int  # of the products written
    changes: int  # change-log entries
    seconds: float

    @property
    def products(self) -> int:
        return self.products_new + self.products_changed + self.products_unchanged


# --- parsing one record -----------------------------------------------------------------------


class _Bad(ValueError):
    pass


def _text(raw: Mapping[str, Any], name: str, *, required: bool = True, limit: int = 200) -> str:
    value = raw.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise _Bad(f"{name} is missing")
        return ""
    if not isinstance(value, str):
        raise _Bad(f"{name} must be text")
    if not storable(value):
        raise _Bad(f"{name} holds a character that cannot be stored (NUL)")
    value = " ".join(value.split())
    if len(value) > limit:
        raise _Bad(f"{name} is longer than {limit} characters")
    return value


def _date(raw: Mapping[str, Any], name: str, *, required: bool) -> date | None:
    value = raw.get(name)
    if value in (None, ""):
        if required:
            raise _Bad(f"{name} is missing")
        return None
    if not isinstance(value, str):
        raise _Bad(f"{name} must be a date like 2024-01-31")
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise _Bad(f"{name} {value!r} is not a date like 2024-01-31") from exc


def _bool(raw: Mapping[str, Any], name: str) -> bool:
    value = raw.get(name, True)
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word == "" or word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise _Bad(f"{name} must be true or false")


def parse_tax_rate(raw: Mapping[str, Any]) -> TaxRateRow:
    key = "tax_class" if "tax_class" in raw else "code"
    tax_class = _text(raw, key, limit=20)
    if not _KEY.match(tax_class):
        raise _Bad(f"tax class {tax_class!r} must be 1-20 characters without spaces")
    name = _text(raw, "name", required=False) or tax_class
    value = raw.get("rate")
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _Bad('rate must be a number of percent, like "21" or "10.5"')
    try:
        rate = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise _Bad(f"rate {value!r} is not a number") from exc
    if not rate.is_finite() or not Decimal(0) <= rate < Decimal(100):
        raise _Bad(f"rate {value!r} must be at least 0 and below 100")
    if rate != rate.quantize(Decimal("0.01")):
        raise _Bad(f"rate {value!r} has more than two decimals")
    valid_from = _date(raw, "valid_from", required=True)
    valid_to = _date(raw, "valid_to", required=False)
    assert valid_from is not None
    if valid_to is not None and valid_to < valid_from:
        raise _Bad("valid_to is before valid_from")
    plain = Decimal(format(rate.normalize(), "f"))  # 10, not 1E+1
    return TaxRateRow(tax_class, name, plain, valid_from, valid_to)


def parse_category(raw: Mapping[str, Any]) -> CategoryRow:
    code = _text(raw, "code", limit=20)
    if not _KEY.match(code):
        raise _Bad(f"category code {code!r} must be 1-20 characters without spaces")
    return CategoryRow(code, _text(raw, "name", limit=120))


def _price_cents(raw: Mapping[str, Any]) -> int:
    if "price_cents" in raw:
        value = raw["price_cents"]
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Bad("price_cents must be a whole number of cents")
        cents = value
    elif "price" in raw:
        value = raw["price"]
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise _Bad('price must be an amount in euros, like "12,34"')
        try:
            cents = Money.parse(str(value)).cents
        except ValueError as exc:
            raise _Bad(f"price {value!r} is not an amount in euros, like 12,34") from exc
    else:
        raise _Bad("price is missing (price in euros, or price_cents)")
    if not 0 <= cents <= 10**11:
        raise _Bad("the price must be between 0 and 1,000,000,000 euros")
    return cents


def _barcodes(raw: Mapping[str, Any], *, from_csv: bool, validate: bool) -> tuple[str, ...]:
    value = raw.get("barcodes")
    if value in (None, ""):
        return ()
    if from_csv and isinstance(value, str):
        items: list[Any] = [part for part in value.split("|") if part.strip()]
    elif isinstance(value, list):
        items = value
    else:
        raise _Bad("barcodes must be a list of codes (as text)")
    codes = set()
    for item in items:
        if not isinstance(item, str):
            raise _Bad(f"barcode {item!r} must be text (leading zeros matter)")
        if not validate:  # checked by the first pass
            codes.add(canonical_gtin(item.strip()))
            continue
        code = item.strip()
        # A catalog stores printed product codes (EAN-8, UPC-A, EAN-13, GTIN-14), never scanner
        # syntax: GS1 element strings and AIM prefixes are read at the till, not registered.
        if not (code.isascii() and code.isdigit()):
            raise _Bad(f"barcode {code!r} is not valid (characters)")
        if len(code) not in (8, 12, 13, 14):
            raise _Bad(f"barcode {code!r} is not valid (length)")
        try:
            parsed = parse_scan(item, _LAYOUT)
            codes.add(canonical_gtin(parsed.raw.strip()))
        except InvalidBarcode as exc:
            if exc.reason != "zero_value":
                raise _Bad(f"barcode {item.strip()!r} is not valid ({exc.reason})") from exc
            # A variable-measure key (weight or price digits zero) is how scales' items are
            # registered: valid as a catalog code, though never scanned as such.
            codes.add(item.strip())
    return tuple(sorted(codes))


def parse_product(
    raw: Mapping[str, Any], *, from_csv: bool = False, validate: bool = True
) -> ProductRow:
    sku = _text(raw, "sku", limit=40)
    if not _SKU.match(sku):
        raise _Bad(f"SKU {sku!r} must be 1-40 characters without spaces")
    category = _text(raw, "category", required=False, limit=20) or None
    measure = _text(raw, "measure", required=False, limit=10).lower() or "unit"
    if measure not in MEASURES:
        raise _Bad(f"measure must be one of {', '.join(MEASURES)}, not {measure!r}")
    return ProductRow(
        sku=sku,
        name=_text(raw, "name"),
        category=category,
        tax_class=_text(raw, "tax_class", limit=20),
        price_cents=_price_cents(raw),
        measure=measure,
        barcodes=_barcodes(raw, from_csv=from_csv, validate=validate),
        active=_bool(raw, "active"),
    )


def _parse(
    kind: str, raw: Any, *, from_csv: bool, validate: bool
) -> TaxRateRow | CategoryRow | ProductRow:
    if not isinstance(raw, dict):
        raise _Bad("each entry must be a JSON object")
    if kind == KIND_TAX_RATE:
        return parse_tax_rate(raw)
    if kind == KIND_CATEGORY:
        return parse_category(raw)
    return parse_product(raw, from_csv=from_csv, validate=validate)


# --- pass 1: check everything ------------------------------------------------------------------


class _Checker:
    def __init__(self, conn: Connection, batch_size: int) -> None:
        self._conn = conn
        self._batch_size = batch_size
        self.problems: list[str] = []
        self.problem_count = 0
        self.tax_rates: dict[tuple[str, date], TaxRateRow] = {}
        self.categories: dict[str, CategoryRow] = {}
        self.product_count = 0
        self._db_tax_classes = set(conn.execute(select(tax_rates.c.tax_class)).scalars())
        self._db_categories = set(conn.execute(select(categories.c.code)).scalars())
        self._skus: set[str] = set()
        self._codes: set[int] = set()
        self._missing_refs: dict[tuple[str, str], int] = {}  # (what, code) -> first line
        self._to_check: list[tuple[int, str, str]] = []  # (line, code, sku) for the database
        self._owned_elsewhere: list[tuple[int, str, str, str]] = []  # line, code, sku, owner

    def problem(self, line: int, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_SHOWN:
            self.problems.append(f"line {line}: {message}" if line else message)

    def add(self, line: int, row: TaxRateRow | CategoryRow | ProductRow) -> None:
        if isinstance(row, TaxRateRow):
            key = (row.tax_class, row.valid_from)
            if key in self.tax_rates:
                self.problem(line, f"tax rate {row.tax_class} from {row.valid_from} is repeated")
            self.tax_rates[key] = row
        elif isinstance(row, CategoryRow):
            if row.code in self.categories:
                self.problem(line, f"category {row.code} is repeated")
            self.categories[row.code] = row
        else:
            self._add_product(line, row)

    def _add_product(self, line: int, row: ProductRow) -> None:
        self.product_count += 1
        if row.sku in self._skus:
            self.problem(line, f"SKU {row.sku} is repeated")
        self._skus.add(row.sku)
        for what, code in (("tax class", row.tax_class), ("category", row.category)):
            if code is not None and (what, code) not in self._missing_refs:
                self._missing_refs[(what, code)] = line
        for code in row.barcodes:
            number = int(code) * 100 + len(code)
            if number in self._codes:
                self.problem(line, f"barcode {code} is also on an earlier line")
            self._codes.add(number)
            self._to_check.append((line, code, row.sku))
        if len(self._to_check) >= self._batch_size:
            self._check_owners()

    def _check_owners(self) -> None:
        """Barcodes that the database gives to another product."""
        if not self._to_check:
            return
        result = self._conn.execute(
            select(barcodes.c.code, products.c.sku)
            .join(products, products.c.id == barcodes.c.product_id)
            .where(one_of(self._conn, barcodes.c.code, sorted({c for _, c, _ in self._to_check})))
        )
        owners: dict[str, str] = dict(result.all())  # not dict(result): a Result has keys()
        for line, code, sku in self._to_check:
            owner = owners.get(code)
            if owner is not None and owner != sku:
                self._owned_elsewhere.append((line, code, sku, owner))
        self._to_check.clear()

    def finish(self) -> None:
        self._check_owners()
        file_classes = {tax_class for tax_class, _ in self.tax_rates}
        for (what, code), line in sorted(self._missing_refs.items(), key=lambda kv: kv[1]):
            known = (
                code in file_classes or code in self._db_tax_classes
                if what == "tax class"
                else code in self.categories or code in self._db_categories
            )
            if not known:
                self.problem(line, f"unknown {what} {code!r} (not in the file nor in the database)")
        for line, code, _sku, owner in self._owned_elsewhere:
            if owner not in self._skus:
                self.problem(
                    line,
                    f"barcode {code} belongs to product {owner}, which this file does not "
                    "change (list it there without the code to move it)",
                )


def _rows(
    path: Path, fmt: CatalogFormat, *, validate: bool = True
) -> Iterator[tuple[int, TaxRateRow | CategoryRow | ProductRow | str]]:
    """Each record parsed, or the problem with it (a string). ``validate=False`` skips the
    barcode check digits (for the second pass, over a file the first pass checked)."""
    from_csv = fmt is CatalogFormat.CSV
    for line, kind, raw in read_records(path, fmt):
        problem = is_unreadable(raw)
        if problem:
            yield line, problem
            continue
        try:
            yield line, _parse(kind, raw, from_csv=from_csv, validate=validate)
        except _Bad as exc:
            what = kind.replace("_", " ") if kind else "entry"
            yield line, f"{what}: {exc}"


def check_catalog(db: Database, path: Path, fmt: CatalogFormat, batch_size: int) -> _Checker:
    with db.reading() as conn:
        checker = _Checker(conn, batch_size)
        try:
            for line, row in _rows(path, fmt):
                if isinstance(row, str):
                    checker.problem(line, row)
                else:
                    checker.add(line, row)
        except CatalogSyntaxError as exc:
            checker.problem(exc.line, exc.message)
        else:
            checker.finish()
    if checker.problem_count:
        raise CatalogRejected(checker.problems, checker.problem_count)
    return checker


# --- pass 2: apply ---------------------------------------------------------------------------


def _apply_reference_data(
    conn: Connection, rates: Iterable[TaxRateRow], cats: Iterable[CategoryRow], now: datetime
) -> tuple[int, int, list[ChangeEntry]]:
    existing_rates = {
        (r.tax_class, r.valid_from): TaxRateRow(
            r.tax_class, r.name, Decimal(r.rate), r.valid_from, r.valid_to
        )
        for r in conn.execute(select(tax_rates))
    }
    new_rates = [r for r in rates if existing_rates.get((r.tax_class, r.valid_from)) != r]
    upsert(
        conn,
        tax_rates,
        [
            {
                "tax_class": r.tax_class,
                "name": r.name,
                "rate": str(r.rate),
                "valid_from": r.valid_from,
                "valid_to": r.valid_to,
            }
            for r in new_rates
        ],
        conflict=("tax_class", "valid_from"),
        update=("name", "rate", "valid_to"),
    )
    existing_cats = {c.code: CategoryRow(c.code, c.name) for c in conn.execute(select(categories))}
    new_cats = [c for c in cats if existing_cats.get(c.code) != c]
    upsert(
        conn,
        categories,
        [{"code": c.code, "name": c.name} for c in new_cats],
        conflict=("code",),
        update=("name",),
    )
    changes = [r.change() for r in new_rates] + [c.change() for c in new_cats]
    return len(new_rates), len(new_cats), changes


@dataclass(frozen=True, slots=True)
class _BatchResult:
    new: int
    changed: int
    barcodes: int


def _load_products(conn: Connection, ids: list[str]) -> dict[str, ProductRow]:
    codes_of: dict[str, list[str]] = {}
    for product_id, code in conn.execute(
        select(barcodes.c.product_id, barcodes.c.code).where(
            one_of(conn, barcodes.c.product_id, ids)
        )
    ):
        codes_of.setdefault(product_id, []).append(code)
    return {
        r.id: ProductRow(
            sku=r.sku,
            name=r.name,
            category=r.category,
            tax_class=r.tax_class,
            price_cents=int(r.price_cents),
            measure=r.measure,
            barcodes=tuple(sorted(codes_of.get(r.id, ()))),
            active=bool(r.active),
            product_id=r.id,
        )
        for r in conn.execute(select(products).where(one_of(conn, products.c.id, ids)))
    }


def _apply_products(conn: Connection, batch: list[ProductRow], now: datetime) -> _BatchResult:
    existing = _load_products(conn, [p.product_id for p in batch])
    written = [p for p in batch if existing.get(p.product_id) != p]
    if not written:
        return _BatchResult(0, 0, 0)
    written_ids = [p.product_id for p in written]
    upsert(
        conn,
        products,
        [
            {
                "id": p.product_id,
                "sku": p.sku,
                "name": p.name,
                "category": p.category,
                "tax_class": p.tax_class,
                "price_cents": p.price_cents,
                "measure": p.measure,
                "active": p.active,
                "updated_at": now,
            }
            for p in written
        ],
        conflict=("id",),
        update=(
            "sku",
            "name",
            "category",
            "tax_class",
            "price_cents",
            "measure",
            "active",
            "updated_at",
        ),
    )
    code_rows = [{"code": c, "product_id": p.product_id} for p in written for c in p.barcodes]
    # Products of other batches (or already in the database) that lose a code to this batch:
    # their change goes out too, so no register keeps a code on two products.
    losing = sorted(
        set(
            conn.execute(
                select(barcodes.c.product_id).where(
                    one_of(conn, barcodes.c.code, [row["code"] for row in code_rows]),
                    one_of(conn, barcodes.c.product_id, written_ids, negate=True),
                )
            ).scalars()
        )
    )
    conn.execute(delete(barcodes).where(one_of(conn, barcodes.c.product_id, written_ids)))
    upsert(conn, barcodes, code_rows, conflict=("code",), update=("product_id",))
    changes = [ChangeEntry(Entity.PRODUCT, p.product_id, p.data()) for p in written]
    if losing:
        changes += [
            ChangeEntry(Entity.PRODUCT, product_id, row.data())
            for product_id, row in _load_products(conn, losing).items()
        ]
    record_changes(conn, changes, now=now)
    new = sum(1 for p in written if p.product_id not in existing)
    return _BatchResult(new, len(written) - new, len(code_rows))


def import_catalog(
    db: Database,
    path: Path,
    *,
    fmt: str | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Check the whole file, then apply it; ``CatalogRejected`` (nothing written) on problems."""
    started = time.perf_counter()
    if batch_size < 1:
        raise CommandError("the batch size must be at least 1")
    catalog_format = detect_format(path, fmt)
    checked = check_catalog(db, path, catalog_format, batch_size)
    now = utcnow()
    with db.writing() as conn:
        n_rates, n_cats, ref_changes = _apply_reference_data(
            conn, checked.tax_rates.values(), checked.categories.values(), now
        )
        record_changes(conn, ref_changes, now=now)
    changes = len(ref_changes)
    new = changed = n_codes = done = 0
    batch: list[ProductRow] = []

    def flush() -> None:
        nonlocal new, changed, n_codes, changes, done
        with db.writing() as conn:
            result = _apply_products(conn, batch, now)
        new += result.new
        changed += result.changed
        n_codes += result.barcodes
        changes += result.new + result.changed
        done += len(batch)
        batch.clear()
        if progress is not None:
            progress(done)

    try:
        for _line, row in _rows(path, catalog_format, validate=False):
            if isinstance(row, str):
                raise CommandError(f"{path.name} changed during the import: {row}")
            if isinstance(row, ProductRow):
                batch.append(row)
                if len(batch) >= batch_size:
                    flush()
    except CatalogSyntaxError as exc:
        raise CommandError(f"{path.name} changed during the import: {exc}") from exc
    if batch:
        flush()
    result = ImportResult(
        tax_rates=n_rates,
        categories=n_cats,
        products_new=new,
        products_changed=changed,
        products_unchanged=done - new - changed,
        barcodes=n_codes,
        changes=changes,
        seconds=time.perf_counter() - started,
    )
    log.info(
        "catalog %s imported: %d products (%d new, %d changed), %d change(s), %.1f s",
        path.name,
        result.products,
        new,
        changed,
        changes,
        result.seconds,
    )
    return result
