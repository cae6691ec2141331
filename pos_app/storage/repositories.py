"""SQLite repositories: each works on the connection of the unit of work that made it."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, select, text

from pos_app.domain.cart import Measure, Tender, TenderKind
from pos_app.domain.ids import new_id
from pos_app.domain.money import Money
from pos_app.domain.sale import SaleLineRecord, SaleRecord, SaleTaxRecord
from pos_app.domain.tax import TaxRate
from pos_app.services.ports import (
    DrawerOpening,
    ParkedSale,
    ProductRecord,
    SaleSummary,
    StoreIdentity,
)
from pos_app.storage import tables as t

MILLI = Decimal(1000)


def to_milli(quantity: Decimal) -> int:
    return int((quantity * MILLI).to_integral_value())


def from_milli(value: int) -> Decimal:
    return (Decimal(value) / MILLI).normalize()


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


_PRODUCT_COLUMNS = (
    t.products.c.pk,
    t.products.c.id,
    t.products.c.sku,
    t.products.c.name,
    t.products.c.category,
    t.products.c.tax_class,
    t.products.c.price_cents,
    t.products.c.measure,
)

_WORD = re.compile(r"\w+", re.UNICODE)


def fts_prefix_query(text_: str) -> str | None:
    """Turn what a cashier typed into an FTS5 query of word prefixes: ``caf mol`` ->
    ``"caf"* AND "mol"*``. Words are folded the way the index folds them; quotes and FTS
    operators typed by the user are never passed through. None when nothing searchable is left.
    """
    words = _WORD.findall(unicodedata.normalize("NFC", text_))
    if not words:
        return None
    # Longer words are cut to the longest indexed prefix (10): same matches, index-fast.
    return " AND ".join(f'"{w[:10]}"*' for w in words[:8])


def _sort_key(name: str) -> str:
    """Alphabetical as a Spanish reader expects: accents do not move a word (Café < Cafetera)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class SqlCatalogRepository:
    def __init__(self, conn: Connection, currency: str = "EUR") -> None:
        self._conn = conn
        self._currency = currency

    def _record(self, row: Any, stock: Decimal | None = None) -> ProductRecord:
        return ProductRecord(
            product_id=row.id,
            sku=row.sku,
            name=row.name,
            category=row.category or "",
            tax_class=row.tax_class,
            price=Money(row.price_cents, self._currency),
            measure=Measure(row.measure),
            stock=stock,
        )

    def find_by_barcode(self, code: str) -> ProductRecord | None:
        row = self._conn.execute(
            select(*_PRODUCT_COLUMNS)
            .join(t.barcodes, t.barcodes.c.product_pk == t.products.c.pk)
            .where(t.barcodes.c.code == code, t.products.c.active == 1)
        ).first()
        return None if row is None else self._record(row)

    def find_by_sku(self, sku: str) -> ProductRecord | None:
        row = self._conn.execute(
            select(*_PRODUCT_COLUMNS).where(
                t.products.c.sku == sku.strip().upper(), t.products.c.active == 1
            )
        ).first()
        return None if row is None else self._record(row)

    def get(self, product_id: str) -> ProductRecord | None:
        row = self._conn.execute(
            select(*_PRODUCT_COLUMNS).where(t.products.c.id == product_id)
        ).first()
        return None if row is None else self._record(row)

    def search(self, text_: str, limit: int = 50) -> list[ProductRecord]:
        """Products whose SKU starts with the text, then products whose name has words
        starting with each typed word (accent-insensitive), at most ``limit``, by name."""
        results: list[ProductRecord] = []
        seen: set[int] = set()
        raw = text_.strip()
        if not raw:
            return results
        if raw.isalnum() and len(raw) >= 2:
            sku = raw.upper()
            rows = self._conn.execute(
                select(*_PRODUCT_COLUMNS)
                .where(t.products.c.sku >= sku, t.products.c.sku < sku + "\uffff")
                .where(t.products.c.active == 1)
                .order_by(t.products.c.sku)
                .limit(limit)
            ).all()
            for row in rows:
                seen.add(row.pk)
                results.append(self._record(row))
        query = fts_prefix_query(raw)
        if query is None or len(results) >= limit:
            return results[:limit]
        # The FTS match yields rowids in index order; taking the first ``limit`` of them avoids
        # ranking (and so reading) every match of a short prefix in a million-product catalog.
        rows = self._conn.execute(
            text(
                "SELECT p.pk, p.id, p.sku, p.name, p.category, p.tax_class, p.price_cents, "
                "p.measure FROM (SELECT rowid FROM products_fts WHERE products_fts MATCH :q "
                "LIMIT :lim) AS f JOIN products AS p ON p.pk = f.rowid WHERE p.active = 1"
            ),
            {"q": query, "lim": limit + len(seen)},
        ).all()
        found = [self._record(r) for r in rows if r.pk not in seen]
        found.sort(key=lambda p: _sort_key(p.name))
        return (results + found)[:limit]

    def tax_rates(self) -> list[TaxRate]:
        rows = self._conn.execute(select(t.tax_rates)).all()
        return [
            TaxRate(
                tax_class=r.tax_class,
                name=r.name,
                rate=Decimal(r.rate),
                valid_from=date.fromisoformat(r.valid_from),
                valid_to=date.fromisoformat(r.valid_to) if r.valid_to else None,
            )
            for r in rows
        ]

    def identity(self) -> StoreIdentity | None:
        row = self._conn.execute(select(t.store_identity).where(t.store_identity.c.id == 1)).first()
        if row is None:
            return None
        return StoreIdentity(
            store_code=row.store_code,
            register_code=row.register_code,
            store_name=row.store_name,
            tax_id=row.tax_id,
            address=tuple(line for line in row.address.split("\n") if line),
            currency=row.currency,
        )

    def set_identity(self, identity: StoreIdentity) -> None:
        self._conn.execute(
            text(
                "INSERT INTO store_identity (id, store_code, register_code, store_name, tax_id, "
                "address, currency) VALUES (1, :s, :r, :n, :t, :a, :c) ON CONFLICT (id) DO "
                "UPDATE SET store_code = excluded.store_code, register_code = "
                "excluded.register_code, store_name = excluded.store_name, tax_id = "
                "excluded.tax_id, address = excluded.address, currency = excluded.currency"
            ),
            {
                "s": identity.store_code,
                "r": identity.register_code,
                "n": identity.store_name,
                "t": identity.tax_id,
                "a": "\n".join(identity.address),
                "c": identity.currency,
            },
        )

    def product_count(self) -> int:
        return int(self._conn.execute(select(func.count()).select_from(t.products)).scalar_one())


class SqlSaleRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, sale: SaleRecord, *, receipt_year: int, receipt_seq: int) -> None:
        self._conn.execute(
            t.sales.insert().values(
                id=sale.sale_id,
                receipt_number=sale.receipt_number,
                receipt_year=receipt_year,
                receipt_seq=receipt_seq,
                store_code=sale.store_code,
                register_code=sale.register_code,
                cashier=sale.cashier,
                completed_at=sale.completed_at.isoformat(timespec="microseconds"),
                completed_utc=utc_text(sale.completed_at),
                currency=sale.currency,
                gross_cents=sale.gross_cents,
                discount_cents=sale.discount_cents,
                total_cents=sale.total_cents,
                tax_cents=sale.tax_cents,
                change_cents=sale.change_cents,
                item_count=str(sale.item_count),
            )
        )
        self._conn.execute(
            t.sale_lines.insert(),
            [{"sale_id": sale.sale_id, **line.as_plain()} for line in sale.lines],
        )
        self._conn.execute(
            t.sale_taxes.insert(),
            [
                {
                    "sale_id": sale.sale_id,
                    "tax_class": tax.tax_class,
                    "rate": str(tax.rate),
                    "label": tax.label,
                    "base_cents": tax.base_cents,
                    "tax_cents": tax.tax_cents,
                    "total_cents": tax.total_cents,
                }
                for tax in sale.taxes
            ],
        )
        if sale.tenders:
            self._conn.execute(
                t.sale_payments.insert(),
                [
                    {
                        "id": tender.tender_id,
                        "sale_id": sale.sale_id,
                        "position": i,
                        "kind": tender.kind.value,
                        "amount_cents": tender.amount.cents,
                        "tendered_cents": tender.tendered.cents,
                        "reference": tender.reference,
                    }
                    for i, tender in enumerate(sale.tenders)
                ],
            )

    def _load(self, row: Any) -> SaleRecord:
        currency = row.currency
        lines = tuple(
            SaleLineRecord(
                line_no=r.line_no,
                product_id=r.product_id,
                sku=r.sku,
                name=r.name,
                measure=Measure(r.measure),
                quantity=Decimal(r.quantity),
                unit_price_cents=r.unit_price_cents,
                gross_cents=r.gross_cents,
                discount_cents=r.discount_cents,
                total_cents=r.total_cents,
                tax_class=r.tax_class,
                tax_rate=Decimal(r.tax_rate),
                base_cents=r.base_cents,
                tax_cents=r.tax_cents,
            )
            for r in self._conn.execute(
                select(t.sale_lines)
                .where(t.sale_lines.c.sale_id == row.id)
                .order_by(t.sale_lines.c.line_no)
            )
        )
        taxes = tuple(
            SaleTaxRecord(
                r.tax_class, r.label, Decimal(r.rate), r.base_cents, r.tax_cents, r.total_cents
            )
            for r in self._conn.execute(
                select(t.sale_taxes).where(t.sale_taxes.c.sale_id == row.id)
            )
        )
        tenders = tuple(
            Tender(
                r.id,
                TenderKind(r.kind),
                Money(r.amount_cents, currency),
                Money(r.tendered_cents, currency),
                r.reference,
            )
            for r in self._conn.execute(
                select(t.sale_payments)
                .where(t.sale_payments.c.sale_id == row.id)
                .order_by(t.sale_payments.c.position)
            )
        )
        return SaleRecord(
            sale_id=row.id,
            receipt_number=row.receipt_number,
            store_code=row.store_code,
            register_code=row.register_code,
            cashier=row.cashier,
            completed_at=datetime.fromisoformat(row.completed_at),
            currency=currency,
            lines=lines,
            taxes=tuple(sorted(taxes, key=lambda x: (-x.rate, x.tax_class))),
            tenders=tenders,
            gross_cents=row.gross_cents,
            discount_cents=row.discount_cents,
            total_cents=row.total_cents,
            tax_cents=row.tax_cents,
            change_cents=row.change_cents,
            item_count=Decimal(row.item_count),
        )

    def get(self, sale_id: str) -> SaleRecord | None:
        row = self._conn.execute(select(t.sales).where(t.sales.c.id == sale_id)).first()
        return None if row is None else self._load(row)

    def get_by_receipt_number(self, receipt_number: str) -> SaleRecord | None:
        row = self._conn.execute(
            select(t.sales).where(t.sales.c.receipt_number == receipt_number.strip())
        ).first()
        return None if row is None else self._load(row)

    def unit_prices_since(self, product_id: str, since: datetime) -> list[int]:
        """What one unit (one kilogram) of ``product_id`` was paid, after its line's discounts,
        in each sale line of this register since ``since`` (rounded down to the cent)."""
        rows = self._conn.execute(
            select(t.sale_lines.c.quantity, t.sale_lines.c.total_cents)
            .join(t.sales, t.sales.c.id == t.sale_lines.c.sale_id)
            .where(t.sale_lines.c.product_id == product_id)
            .where(t.sales.c.completed_utc >= utc_text(since))
        ).all()
        prices = []
        for quantity, total_cents in rows:
            milli = to_milli(Decimal(quantity))
            if milli > 0:
                prices.append(max(0, int(total_cents) * 1000 // milli))
        return prices

    def list_between(self, start: datetime, end: datetime) -> list[SaleSummary]:
        kinds = (
            select(
                t.sale_payments.c.sale_id,
                func.group_concat(t.sale_payments.c.kind.distinct()).label("kinds"),
            )
            .group_by(t.sale_payments.c.sale_id)
            .subquery()
        )
        rows = self._conn.execute(
            select(
                t.sales.c.id,
                t.sales.c.receipt_number,
                t.sales.c.completed_at,
                t.sales.c.cashier,
                t.sales.c.total_cents,
                t.sales.c.item_count,
                kinds.c.kinds,
                t.sale_cancellations.c.id.label("cancellation_id"),
            )
            .outerjoin(kinds, kinds.c.sale_id == t.sales.c.id)
            .outerjoin(t.sale_cancellations, t.sale_cancellations.c.sale_id == t.sales.c.id)
            .where(t.sales.c.completed_utc >= utc_text(start))
            .where(t.sales.c.completed_utc < utc_text(end))
            .order_by(t.sales.c.completed_utc.desc())
        ).all()
        return [
            SaleSummary(
                sale_id=r.id,
                receipt_number=r.receipt_number,
                completed_at=datetime.fromisoformat(r.completed_at),
                cashier=r.cashier,
                total_cents=r.total_cents,
                item_count=Decimal(r.item_count),
                tenders="+".join(sorted((r.kinds or "").split(","))) if r.kinds else "",
                cancelled=r.cancellation_id is not None,
            )
            for r in rows
        ]


class SqlReceiptSeriesRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def next_number(self, series: str) -> int:
        """The next number of ``series``, taken inside the caller's transaction: a rolled-back
        sale gives its number back, so the series stays gap-free."""
        value = self._conn.execute(
            text(
                "INSERT INTO receipt_series (series, last_number) VALUES (:s, 1) "
                "ON CONFLICT (series) DO UPDATE SET last_number = last_number + 1 "
                "RETURNING last_number"
            ),
            {"s": series},
        ).scalar_one()
        return int(value)

    def continue_after(self, series: str, last_number: int) -> None:
        """Make ``series`` go on after ``last_number`` (a register taken over from another
        machine): never backwards, so a number is never given twice."""
        self._conn.execute(
            text(
                "INSERT INTO receipt_series (series, last_number) VALUES (:s, :n) "
                "ON CONFLICT (series) DO UPDATE SET "
                "last_number = max(last_number, excluded.last_number)"
            ),
            {"s": series, "n": last_number},
        )


class SqlOutboxRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, event_type: str, payload: dict[str, Any], *, occurred_at: datetime) -> str:
        event_id = new_id()
        self._conn.execute(
            t.outbox.insert().values(
                event_id=event_id,
                event_type=event_type,
                payload=json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
                occurred_at=occurred_at.isoformat(timespec="microseconds"),
            )
        )
        return event_id

    def pending_count(self) -> int:
        return int(
            self._conn.execute(
                select(func.count()).select_from(t.outbox).where(t.outbox.c.state == "pending")
            ).scalar_one()
        )


class SqlStockRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _pk(self, product_id: str) -> int:
        pk = self._conn.execute(
            select(t.products.c.pk).where(t.products.c.id == product_id)
        ).scalar_one_or_none()
        if pk is None:
            raise LookupError(f"no product {product_id!r}")
        return int(pk)

    def add_movement(
        self, product_id: str, delta: Decimal, *, reason: str, reference: str, at: datetime
    ) -> None:
        self._conn.execute(
            t.stock_movements.insert().values(
                id=new_id(),
                product_pk=self._pk(product_id),
                delta_milli=to_milli(delta),
                reason=reason,
                reference=reference,
                created_at=at.isoformat(timespec="microseconds"),
            )
        )

    def level(self, product_id: str) -> Decimal:
        """The backend's last known level plus this register's movements not yet synced."""
        pk = self._pk(product_id)
        base = self._conn.execute(
            select(t.stock_levels.c.quantity_milli).where(t.stock_levels.c.product_pk == pk)
        ).scalar_one_or_none()
        pending = self._conn.execute(
            select(func.coalesce(func.sum(t.stock_movements.c.delta_milli), 0)).where(
                t.stock_movements.c.product_pk == pk, t.stock_movements.c.synced == 0
            )
        ).scalar_one()
        return from_milli(int(base or 0) + int(pending))


class SqlParkedSaleRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, parked: ParkedSale) -> None:
        self._conn.execute(
            t.parked_sales.insert().values(
                id=parked.parked_id,
                parked_at=parked.parked_at.isoformat(timespec="microseconds"),
                cashier=parked.cashier,
                label=parked.label,
                item_count=str(parked.item_count),
                total_cents=parked.total_cents,
                cart=json.dumps(parked.cart, ensure_ascii=False),
            )
        )

    def _parked(self, r: Any) -> ParkedSale:
        return ParkedSale(
            parked_id=r.id,
            parked_at=datetime.fromisoformat(r.parked_at),
            cashier=r.cashier,
            label=r.label,
            item_count=Decimal(r.item_count),
            total_cents=r.total_cents,
            cart=json.loads(r.cart),
        )

    def list(self) -> list[ParkedSale]:
        rows = self._conn.execute(select(t.parked_sales).order_by(t.parked_sales.c.parked_at))
        return [self._parked(r) for r in rows]

    def take(self, parked_id: str) -> ParkedSale | None:
        row = self._conn.execute(
            select(t.parked_sales).where(t.parked_sales.c.id == parked_id)
        ).first()
        if row is None:
            return None
        self._conn.execute(t.parked_sales.delete().where(t.parked_sales.c.id == parked_id))
        return self._parked(row)


class SqlAbandonedSaleRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self,
        *,
        abandoned_id: str,
        at: datetime,
        cashier: str,
        reason: str,
        total_cents: int,
        cart: dict[str, Any],
    ) -> None:
        self._conn.execute(
            t.abandoned_sales.insert().values(
                id=abandoned_id,
                abandoned_at=at.isoformat(timespec="microseconds"),
                abandoned_utc=utc_text(at),
                cashier=cashier,
                reason=reason,
                total_cents=total_cents,
                cart=json.dumps(cart, ensure_ascii=False),
            )
        )


class SqlPrintLogRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self,
        *,
        sale_id: str,
        at: datetime,
        copy: bool,
        ok: bool,
        error: str,
        maybe_printed: bool = False,
    ) -> None:
        self._conn.execute(
            t.receipt_prints.insert().values(
                sale_id=sale_id,
                printed_at=at.isoformat(timespec="microseconds"),
                copy=int(copy),
                ok=int(ok),
                error=error,
                maybe_printed=int(maybe_printed and not ok),
            )
        )

    def count_for(self, sale_id: str) -> int:
        """Attempts that printed, or may have printed, this sale's receipt."""
        c = t.receipt_prints.c
        return int(
            self._conn.execute(
                select(func.count())
                .select_from(t.receipt_prints)
                .where(c.sale_id == sale_id, (c.ok == 1) | (c.maybe_printed == 1))
            ).scalar_one()
        )


class SqlDrawerLogRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, opening: DrawerOpening) -> None:
        self._conn.execute(
            t.drawer_openings.insert().values(
                id=opening.opening_id,
                opened_at=opening.at.isoformat(timespec="microseconds"),
                opened_utc=utc_text(opening.at),
                cashier=opening.cashier,
                reason=opening.reason,
                sale_id=opening.sale_id,
                ok=int(opening.ok),
                error=opening.error,
            )
        )

    def list_between(self, start: datetime, end: datetime) -> list[DrawerOpening]:
        c = t.drawer_openings.c
        rows = self._conn.execute(
            select(t.drawer_openings)
            .where(c.opened_utc >= utc_text(start), c.opened_utc < utc_text(end))
            .order_by(c.opened_utc)
        ).all()
        return [
            DrawerOpening(
                r.id,
                datetime.fromisoformat(r.opened_at),
                r.cashier,
                r.reason,
                r.sale_id,
                bool(r.ok),
                r.error,
            )
            for r in rows
        ]
