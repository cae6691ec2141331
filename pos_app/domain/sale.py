"""Completed sales: facts, never edited. Receipt numbers of a register's series."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pos_app.domain.cart import CartTotals, Measure, PaymentSummary, Tender

_CODE = re.compile(r"^[A-Z0-9]{1,10}$")


def format_receipt_number(store_code: str, register_code: str, year: int, number: int) -> str:
    """``T01-C01-2026-000042``: store, register, year, and a gap-free number within the year."""
    for code in (store_code, register_code):
        if not _CODE.match(code):
            raise ValueError(
                f"store and register codes are 1-10 upper-case letters/digits: {code!r}"
            )
    if number < 1:
        raise ValueError("receipt numbers start at 1")
    return f"{store_code}-{register_code}-{year:04d}-{number:06d}"


@dataclass(frozen=True, slots=True)
class SaleLineRecord:
    line_no: int
    product_id: str
    sku: str
    name: str
    measure: Measure
    quantity: Decimal
    unit_price_cents: int
    gross_cents: int
    discount_cents: int
    total_cents: int
    tax_class: str
    tax_rate: Decimal
    base_cents: int
    tax_cents: int

    def as_plain(self) -> dict[str, str | int]:
        """The line as plain values (decimals as text), as stored and as sent on the wire."""
        return {
            "line_no": self.line_no,
            "product_id": self.product_id,
            "sku": self.sku,
            "name": self.name,
            "measure": self.measure.value,
            "quantity": str(self.quantity),
            "unit_price_cents": self.unit_price_cents,
            "gross_cents": self.gross_cents,
            "discount_cents": self.discount_cents,
            "total_cents": self.total_cents,
            "tax_class": self.tax_class,
            "tax_rate": str(self.tax_rate),
            "base_cents": self.base_cents,
            "tax_cents": self.tax_cents,
        }


@dataclass(frozen=True, slots=True)
class SaleTaxRecord:
    tax_class: str
    label: str
    rate: Decimal
    base_cents: int
    tax_cents: int
    total_cents: int


@dataclass(frozen=True, slots=True)
class SaleRecord:
    """A completed sale as stored and as read back for receipts and history."""

    sale_id: str
    receipt_number: str
    store_code: str
    register_code: str
    cashier: str
    completed_at: datetime
    currency: str
    lines: tuple[SaleLineRecord, ...]
    taxes: tuple[SaleTaxRecord, ...]
    tenders: tuple[Tender, ...]
    gross_cents: int
    discount_cents: int
    total_cents: int
    tax_cents: int
    change_cents: int
    item_count: Decimal


def build_sale_record(
    *,
    sale_id: str,
    receipt_number: str,
    store_code: str,
    register_code: str,
    cashier: str,
    completed_at: datetime,
    totals: CartTotals,
    payment: PaymentSummary,
    tenders: tuple[Tender, ...],
    currency: str,
) -> SaleRecord:
    if completed_at.tzinfo is None:
        raise ValueError("completed_at must be timezone-aware")
    lines = tuple(
        SaleLineRecord(
            line_no=i,
            product_id=lt.line.product.product_id,
            sku=lt.line.product.sku,
            name=lt.line.product.name,
            measure=lt.line.product.measure,
            quantity=lt.line.quantity,
            unit_price_cents=lt.line.product.unit_price.cents,
            gross_cents=lt.gross.cents,
            discount_cents=lt.discount.cents,
            total_cents=lt.total.cents,
            tax_class=lt.line.product.tax.tax_class,
            tax_rate=lt.line.product.tax.rate,
            base_cents=lt.base.cents,
            tax_cents=lt.tax.cents,
        )
        for i, lt in enumerate(totals.lines, start=1)
    )
    taxes = tuple(
        SaleTaxRecord(r.tax_class, r.label, r.rate, r.base.cents, r.tax.cents, r.total.cents)
        for r in totals.tax_rows
    )
    return SaleRecord(
        sale_id=sale_id,
        receipt_number=receipt_number,
        store_code=store_code,
        register_code=register_code,
        cashier=cashier,
        completed_at=completed_at,
        currency=currency,
        lines=lines,
        taxes=taxes,
        tenders=tenders,
        gross_cents=totals.gross.cents,
        discount_cents=totals.discount.cents,
        total_cents=totals.total.cents,
        tax_cents=totals.tax.cents,
        change_cents=payment.change.cents,
        item_count=totals.item_count,
    )
