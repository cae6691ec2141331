"""Customers as this register knows them, and the ``customer`` changes of a pull.

A store keeps thousands of customers, not millions: a search is an exact match on the phone's
digits, the email or the loyalty card, or a ``LIKE`` of every typed word over one folded column
(name, email, card, NIF), like the pickup orders' search.

A pulled customer replaces the row, then this register's edits still in the outbox (pending
``customer.upserted`` events of that customer, in order) are laid over it again: what the
cashier typed is not lost nor shown reverted while it waits to be pushed. Once pushed, the
backend merges it field by field and sends the customer again, and that row is taken as is.

An erased customer (a ``customer`` delete) is gone from the register: their row, the link of
this register's sales to them, and from any parked sale. The sale in progress drops them when
it is completed (``CheckoutService``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, func, or_, select, text

from pos_app.services.customers import apply_fields, normalize_card
from pos_app.storage import tables as t
from pos_app.storage.pickup_repository import digits, fold
from pos_app.storage.repositories import utc_text
from sync.protocol import (
    Change,
    CustomerData,
    CustomerHistoryEntry,
    CustomerUpsertedPayload,
    EventType,
)

_SPACES = re.compile(r"\s+")
_PENDING_EDITS = text(
    "SELECT payload FROM outbox WHERE state = 'pending' AND event_type = :type "
    "AND json_extract(payload, '$.customer_id') = :customer_id ORDER BY seq"
)
_DETACH_PARKED = text(
    "UPDATE parked_sales SET cart = json_remove(cart, '$.customer_id', '$.customer_name') "
    "WHERE json_extract(cart, '$.customer_id') = :customer_id"
)


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _values(customer: CustomerData) -> dict[str, Any]:
    return {
        "name": customer.name,
        "phone": customer.phone,
        "email": customer.email,
        "loyalty_card": customer.loyalty_card,
        "tax_id": customer.tax_id,
        "privacy_consent": int(customer.privacy_consent),
        "marketing_consent": int(customer.marketing_consent),
        "consent_at": utc_text(customer.consent_at) if customer.consent_at else None,
        "consent_where": customer.consent_where,
        "created_at": utc_text(customer.created_at),
        "created_where": customer.created_where,
        "possible_duplicate": int(customer.possible_duplicate),
        "updated_at": utc_text(customer.updated_at),
        "search_text": fold(
            " ".join((customer.name, customer.email, customer.loyalty_card, customer.tax_id))
        ),
        "phone_digits": digits(customer.phone),
        "email_norm": customer.email.strip().casefold(),
        "card_norm": normalize_card(customer.loyalty_card),
    }


def _load(row: Any) -> CustomerData:
    return CustomerData(
        customer_id=row.customer_id,
        name=row.name,
        phone=row.phone,
        email=row.email,
        loyalty_card=row.loyalty_card,
        tax_id=row.tax_id,
        privacy_consent=bool(row.privacy_consent),
        marketing_consent=bool(row.marketing_consent),
        consent_at=_time(row.consent_at),
        consent_where=row.consent_where,
        created_at=datetime.fromisoformat(row.created_at),
        updated_at=datetime.fromisoformat(row.updated_at),
        created_where=row.created_where,
        possible_duplicate=bool(row.possible_duplicate),
    )


def _save(conn: Connection, customer: CustomerData, used_at: datetime | None) -> None:
    values = _values(customer)
    c = t.customers.c
    updated = conn.execute(
        t.customers.update().where(c.customer_id == customer.customer_id).values(**values)
    )
    if updated.rowcount == 0:
        conn.execute(
            t.customers.insert().values(
                customer_id=customer.customer_id,
                last_used_at=utc_text(used_at) if used_at else None,
                **values,
            )
        )
    elif used_at is not None:
        conn.execute(
            t.customers.update()
            .where(c.customer_id == customer.customer_id)
            .values(last_used_at=utc_text(used_at))
        )


def _pending_edits(conn: Connection, customer_id: str) -> list[CustomerUpsertedPayload]:
    rows = conn.execute(
        _PENDING_EDITS, {"type": EventType.CUSTOMER_UPSERTED.value, "customer_id": customer_id}
    ).scalars()
    return [CustomerUpsertedPayload.model_validate(json.loads(payload)) for payload in rows]


class SqlCustomerRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, customer_id: str) -> CustomerData | None:
        row = self._conn.execute(
            select(t.customers).where(t.customers.c.customer_id == customer_id)
        ).first()
        return None if row is None else _load(row)

    def search(self, text: str, limit: int = 50) -> list[CustomerData]:
        """Customers named by ``text``: an exact phone (six digits or more, matched at its
        end), email or card first; then those whose folded name, email, card or NIF contain
        every word (a word of three digits or more also matches inside the phone); the most
        recently used first."""
        raw = _SPACES.sub(" ", text.strip())
        if not raw:
            return []
        c = t.customers.c
        exact: list[ColumnElement[bool]] = [
            c.email_norm == raw.casefold(),
            c.card_norm == normalize_card(raw),
        ]
        phone = digits(raw)
        if len(phone) >= 6 and len(phone) >= len(raw.replace(" ", "")) - 1:
            exact.append(c.phone_digits.like("%" + phone))
        words: list[ColumnElement[bool]] = []
        for word in fold(raw).split():
            condition: ColumnElement[bool] = c.search_text.like(_like(word), escape="\\")
            number = digits(word)
            if len(number) >= 3:
                condition = or_(condition, c.phone_digits.like(_like(number), escape="\\"))
            words.append(condition)
        is_exact = or_(*exact)
        query = (
            select(t.customers)
            .where(or_(is_exact, and_(*words)))
            .order_by(
                is_exact.desc(),
                func.coalesce(c.last_used_at, c.updated_at).desc(),
                c.name,
            )
            .limit(limit)
        )
        return [_load(r) for r in self._conn.execute(query)]

    def save(self, customer: CustomerData, *, used_at: datetime | None = None) -> None:
        """Keep ``customer`` as given (created or edited here, or looked up online);
        ``used_at`` marks them used by this register then."""
        _save(self._conn, customer, used_at)

    def touch(self, customer_id: str, at: datetime) -> bool:
        """Mark the customer used now; False when this register does not have them."""
        updated = self._conn.execute(
            t.customers.update()
            .where(t.customers.c.customer_id == customer_id)
            .values(last_used_at=utc_text(at))
        )
        return updated.rowcount > 0

    def attach_sale(self, sale_id: str, customer_id: str) -> None:
        self._conn.execute(
            t.sales.update().where(t.sales.c.id == sale_id).values(customer_id=customer_id)
        )

    def customer_of_sale(self, sale_id: str) -> str | None:
        found = self._conn.execute(
            select(t.sales.c.customer_id).where(t.sales.c.id == sale_id)
        ).scalar_one_or_none()
        return str(found) if found else None

    def local_history(self, customer_id: str) -> list[CustomerHistoryEntry]:
        """What this register did with the customer: their sales, and the returns of those
        sales or naming them (a return of a sale of another store), newest first."""
        s = t.sales.c
        sales = self._conn.execute(
            select(s.receipt_number, s.completed_at, s.store_code, s.total_cents, s.item_count)
            .where(s.customer_id == customer_id)
            .order_by(s.completed_utc.desc())
            .limit(200)
        ).all()
        entries = [
            CustomerHistoryEntry(
                kind="sale",
                reference=row.receipt_number,
                at=datetime.fromisoformat(row.completed_at),
                store_code=row.store_code,
                channel="store",
                total_cents=row.total_cents,
            )
            for row in sales
        ]
        references = [row.receipt_number for row in sales]
        r = t.returns.c
        named = r.customer_id == customer_id
        returns = self._conn.execute(
            select(
                r.return_number,
                r.completed_at,
                r.store_code,
                r.total_cents,
                r.original_reference,
            ).where(or_(named, r.original_reference.in_(references)) if references else named)
        )
        entries.extend(
            CustomerHistoryEntry(
                kind="return",
                reference=row.return_number,
                at=datetime.fromisoformat(row.completed_at),
                store_code=row.store_code,
                channel="store",
                total_cents=row.total_cents,
                summary=row.original_reference,
            )
            for row in returns
        )
        entries.sort(key=lambda e: e.at, reverse=True)
        return entries

    def pending_edits(self, customer_id: str) -> list[CustomerUpsertedPayload]:
        """This register's edits of the customer not pushed yet, oldest first."""
        return _pending_edits(self._conn, customer_id)

    def forget_unused(self, before: datetime) -> int:
        """Drop the customers this register has not used since ``before`` (nor received
        changed since), keeping any with an edit still to push or in a parked sale."""
        c = t.customers.c
        stale = self._conn.execute(
            select(c.customer_id).where(
                func.coalesce(c.last_used_at, c.updated_at) < utc_text(before)
            )
        ).scalars()
        parked = {
            row[0]
            for row in self._conn.execute(
                text(
                    "SELECT json_extract(cart, '$.customer_id') FROM parked_sales "
                    "WHERE json_extract(cart, '$.customer_id') IS NOT NULL"
                )
            )
        }
        gone = [
            customer_id
            for customer_id in stale
            if customer_id not in parked and not _pending_edits(self._conn, customer_id)
        ]
        for customer_id in gone:
            self._conn.execute(t.customers.delete().where(c.customer_id == customer_id))
        return len(gone)


# --- pulled changes -------------------------------------------------------------------------


def upsert_customers(conn: Connection, changes: Sequence[Change]) -> None:
    latest: dict[str, Change] = {}
    for change in changes:
        latest.pop(change.key, None)
        latest[change.key] = change
    for change in latest.values():
        customer = CustomerData.model_validate({**change.data, "customer_id": change.key})
        for edit in _pending_edits(conn, change.key):
            customer = apply_fields(customer, edit.fields, edit.changed_at)
        _save(conn, customer, None)


def delete_customers(conn: Connection, changes: Sequence[Change]) -> None:
    """Erasure: the customer is gone from this register (see the module's docstring)."""
    for change in changes:
        conn.execute(t.customers.delete().where(t.customers.c.customer_id == change.key))
        conn.execute(
            t.returns.update().where(t.returns.c.customer_id == change.key).values(customer_id=None)
        )
        conn.execute(
            t.sales.update().where(t.sales.c.customer_id == change.key).values(customer_id=None)
        )
        conn.execute(_DETACH_PARKED, {"customer_id": change.key})
