"""One customer in every channel (issue 7): look-ups, the field-level merge of registers' edits,
the stores that hold each customer, suspected duplicates, the history, erasure and merging.

The merge (DESIGN section 4: "field-level last writer wins by (time, device)"). Registers push
``customer.upserted`` with only the fields typed. For every field the backend keeps the value
with the latest stamp (``changed_at``, ``"T01/C02"``); an older one is ignored, field by field,
so two registers editing different fields offline both keep their edit, and on the same field
the later one wins wherever it arrives first. The push writer (``push.py``) decides a group's
upserts in memory on ``CustomerState`` and writes each customer once.

Which registers hold whom. A customer is sent (a ``customer`` change, ``CustomerData``) to the
stores linked to them (``customer_stores``): where they were created, bought, ordered for
pickup, or were looked up by id. Every accepted edit is sent to every linked store. Erasing a
customer (a data-protection request) blanks every personal field, drops the links, deletes the
earlier ``customer`` changes of them from the change log and sends one GLOBAL delete, so every
register drops them. Sales, orders and returns stay (facts): they hold only the id.

Duplicates. A customer whose email or phone (normalized) is also another live customer's is
flagged (``customer_duplicates``), never merged silently; ``possible_duplicate`` is true while a
flag of theirs is open. ``merge_customers`` (the CLI) moves the other's sales, orders, returns
and stores to the one kept, fills its empty fields from the other, erases the other and
resolves the flag.

Lock order (the one of every writer, see ``push.py``): pickup orders, sales, then customers (by
id), then stock levels, then the change counter.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, or_, select, update

from sync.protocol import (
    ChangeOp,
    CustomerData,
    CustomerFields,
    CustomerHistory,
    CustomerHistoryEntry,
    CustomerUpsertedPayload,
    Entity,
    PickupOrderData,
    SaleCompletedPayload,
)
from sync.server.errors import ApiError, CommandError, NotFound
from sync.server.services._sql import dumps, one_of, upsert, upsert_statement, utcnow
from sync.server.services.changelog import GLOBAL, ChangeEntry, record_changes
from sync.server.tables import (
    change_log,
    customer_duplicates,
    customer_stores,
    customers,
    pickup_orders,
    returns,
    sales,
)

log = logging.getLogger(__name__)

FIELDS: tuple[str, ...] = tuple(CustomerFields.model_fields)
TEXT_FIELDS = ("name", "phone", "email", "loyalty_card", "tax_id", "consent_where")
MAX_RESULTS = 50
MAX_HISTORY = 200
MIN_QUERY = 2
CUSTOMER_ERASED = "customer_erased"


class CustomerErased(ApiError):
    status = 409
    code = CUSTOMER_ERASED


# --- normalized search keys ------------------------------------------------------------------


def normalize_phone(text: str) -> str:
    """The digits of a phone number, without a Spanish prefix (+34, 0034): "+34 600 11 12 22"
    and "600111222" are the same number."""
    digits = "".join(ch for ch in text if ch.isascii() and ch.isdigit())
    if digits.startswith("00"):
        digits = digits[2:]
    if len(digits) == 11 and digits.startswith("34"):
        digits = digits[2:]
    return digits[:40]


def normalize_email(text: str) -> str:
    return text.strip().lower()[:200]


def normalize_name(text: str) -> str:
    """Lower case, without accents, single spaces: "José  Núñez" -> "jose nunez"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def normalize_card(text: str) -> str:
    return re.sub(r"[\s\-]", "", text).upper()[:40]


# --- the state of one customer, as a writer holds it -------------------------------------------


Stamp = tuple[datetime, str]  # (changed_at, "T01/C02")


def _blank_values() -> dict[str, Any]:
    return {
        "name": "",
        "phone": "",
        "email": "",
        "loyalty_card": "",
        "tax_id": "",
        "privacy_consent": False,
        "marketing_consent": False,
        "consent_at": None,
        "consent_where": "",
    }


@dataclass(slots=True)
class CustomerState:
    """A customer as it stands in one transaction (a push group, a command)."""

    customer_id: str
    values: dict[str, Any] = field(default_factory=_blank_values)
    stamps: dict[str, Stamp] = field(default_factory=dict)
    created_where: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    erased_at: datetime | None = None
    exists: bool = False  # holds a customer (not a placeholder row, not unknown)
    stores: set[str] = field(default_factory=set)
    flagged: bool = False  # an open duplicate flag names them

    @property
    def email_norm(self) -> str:
        return normalize_email(str(self.values["email"]))

    @property
    def phone_norm(self) -> str:
        return normalize_phone(str(self.values["phone"]))

    def merge(self, fields: CustomerFields, stamp: Stamp) -> list[str]:
        """Take each field given whose ``stamp`` is later than the one held; the fields taken."""
        taken = []
        for name in FIELDS:
            value = getattr(fields, name)
            if value is None:
                continue
            held = self.stamps.get(name)
            if held is not None and stamp <= held:
                continue
            if isinstance(value, str):
                value = value.strip()
            self.values[name] = value
            self.stamps[name] = stamp
            taken.append(name)
        return taken

    def data(self) -> CustomerData:
        assert self.created_at is not None and self.updated_at is not None
        v = self.values
        return CustomerData(
            customer_id=self.customer_id,
            name=v["name"],
            phone=v["phone"],
            email=v["email"],
            loyalty_card=v["loyalty_card"],
            tax_id=v["tax_id"],
            privacy_consent=bool(v["privacy_consent"]),
            marketing_consent=bool(v["marketing_consent"]),
            consent_at=v["consent_at"],
            consent_where=v["consent_where"],
            created_at=self.created_at,
            updated_at=self.updated_at,
            created_where=self.created_where,
            possible_duplicate=self.flagged,
        )

    def row(self) -> dict[str, Any]:
        """The columns of the customer's row."""
        v = self.values
        return {
            **v,
            "phone_norm": self.phone_norm,
            "email_norm": self.email_norm,
            "name_norm": normalize_name(str(v["name"])),
            "card_norm": normalize_card(str(v["loyalty_card"])),
            "stamps": dumps(
                {name: [at.isoformat(), where] for name, (at, where) in sorted(self.stamps.items())}
            ),
            "created_where": self.created_where,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "erased_at": self.erased_at,
        }


def _stamps(text: str) -> dict[str, Stamp]:
    found: dict[str, Stamp] = {}
    for name, (at, where) in json.loads(text or "{}").items():
        found[name] = (datetime.fromisoformat(at).astimezone(UTC), str(where))
    return found


def _state_of(row: Any) -> CustomerState:
    values = {name: getattr(row, name) for name in FIELDS}
    return CustomerState(
        customer_id=row.id,
        values=values,
        stamps=_stamps(row.stamps),
        created_where=row.created_where,
        created_at=row.created_at,
        updated_at=row.updated_at,
        erased_at=row.erased_at,
        # A placeholder row of a push group (see ``lock_customers``) has no stamp yet.
        exists=row.erased_at is not None or bool(row.stamps and row.stamps != "{}"),
    )


def _placeholder(customer_id: str, now: datetime) -> dict[str, Any]:
    return {
        "id": customer_id,
        **_blank_values(),
        "phone_norm": "",
        "email_norm": "",
        "name_norm": "",
        "card_norm": "",
        "stamps": "{}",
        "created_where": "",
        "created_at": now,
        "updated_at": now,
        "erased_at": None,
    }


def lock_customers(
    conn: Connection, ids: Iterable[str], *, creating: Iterable[str] = (), now: datetime
) -> tuple[dict[str, CustomerState], set[str]]:
    """The customers of ``ids`` that exist, their rows locked in id order (the lock order), with
    their stores and whether a duplicate flag of theirs is open.

    For ``creating`` (ids that an upsert may create) a placeholder row is inserted first if
    there is none (``ON CONFLICT DO NOTHING``, in id order): a concurrent writer creating the
    same customer then waits for this one's commit and merges into it, instead of failing on
    the primary key. Returns the states (placeholders with ``exists`` false) and the ids whose
    placeholder this call inserted (``drop_placeholders`` deletes those left unused)."""
    wanted = sorted(set(ids) | set(creating))
    if not wanted:
        return {}, set()
    inserted: set[str] = set()
    new = sorted(set(creating))
    if new:
        statement = upsert_statement(conn, customers, conflict=("id",), update=())
        inserted = set(
            conn.execute(
                statement.values([_placeholder(i, now) for i in new]).returning(customers.c.id)
            ).scalars()
        )
    rows = conn.execute(
        select(customers)
        .where(one_of(conn, customers.c.id, wanted))
        .order_by(customers.c.id)
        .with_for_update()
    ).all()
    states = {row.id: _state_of(row) for row in rows}
    ids_found = sorted(states)
    if ids_found:
        for customer_id, store_code in conn.execute(
            select(customer_stores.c.customer_id, customer_stores.c.store_code).where(
                one_of(conn, customer_stores.c.customer_id, ids_found)
            )
        ):
            states[customer_id].stores.add(store_code)
        for flagged in _open_flags(conn, ids_found):
            states[flagged].flagged = True
    return states, inserted


def _open_flags(conn: Connection, ids: Sequence[str]) -> set[str]:
    flagged: set[str] = set()
    if not ids:
        return flagged
    d = customer_duplicates
    for a, b in conn.execute(
        select(d.c.customer_id, d.c.other_id).where(
            d.c.resolved_at.is_(None),
            or_(one_of(conn, d.c.customer_id, ids), one_of(conn, d.c.other_id, ids)),
        )
    ):
        flagged.update((a, b))
    return flagged & set(ids)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A live customer whose email or phone another one may share."""

    customer_id: str
    email_norm: str
    phone_norm: str


def duplicate_candidates(
    conn: Connection, emails: Iterable[str], phones: Iterable[str]
) -> dict[str, Candidate]:
    """Live customers with one of these normalized emails or phones."""
    e, p = sorted(set(emails) - {""}), sorted(set(phones) - {""})
    wanted = []
    if e:
        wanted.append(one_of(conn, customers.c.email_norm, e))
    if p:
        wanted.append(one_of(conn, customers.c.phone_norm, p))
    if not wanted:
        return {}
    rows = conn.execute(
        select(customers.c.id, customers.c.email_norm, customers.c.phone_norm).where(
            customers.c.erased_at.is_(None), or_(*wanted)
        )
    )
    return {r.id: Candidate(r.id, r.email_norm, r.phone_norm) for r in rows}


def find_duplicates(
    state: CustomerState, candidates: Iterable[Candidate]
) -> list[tuple[str, str, str]]:
    """(customer id, other id, reason) of each pair ``state`` makes with a candidate (the pair
    in id order, as flags are stored)."""
    pairs = []
    email, phone = state.email_norm, state.phone_norm
    for other in candidates:
        if other.customer_id == state.customer_id:
            continue
        a, b = sorted((state.customer_id, other.customer_id))
        if email and other.email_norm == email:
            pairs.append((a, b, "email"))
        if phone and other.phone_norm == phone:
            pairs.append((a, b, "phone"))
    return pairs


def flag_rows(pairs: Iterable[tuple[str, str, str]], now: datetime) -> list[dict[str, Any]]:
    return [
        {"customer_id": a, "other_id": b, "reason": reason, "flagged_at": now}
        for a, b, reason in sorted(set(pairs))
    ]


def write_flags(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    upsert(
        conn, customer_duplicates, rows, conflict=("customer_id", "other_id", "reason"), update=()
    )


def write_states(
    conn: Connection, states: Iterable[CustomerState], *, inserted: Iterable[str] = ()
) -> None:
    """Write each state's row (in id order); insert the rows that do not exist
    (``inserted``: the ids whose row is known to exist)."""
    inserted = set(inserted)
    for state in sorted(states, key=lambda s: s.customer_id):
        row = state.row()
        if state.customer_id in inserted or _exists(conn, state.customer_id):
            conn.execute(update(customers).where(customers.c.id == state.customer_id).values(row))
        else:
            conn.execute(insert(customers).values(id=state.customer_id, **row))


def _exists(conn: Connection, customer_id: str) -> bool:
    return (
        conn.execute(select(customers.c.id).where(customers.c.id == customer_id)).first()
        is not None
    )


def drop_placeholders(conn: Connection, ids: Iterable[str]) -> None:
    unused = sorted(set(ids))
    if unused:
        conn.execute(
            delete(customers).where(customers.c.id.in_(unused), customers.c.stamps == "{}")
        )


def link_rows(
    customer_id: str, store_codes: Iterable[str], reason: str, now: datetime
) -> list[dict[str, Any]]:
    return [
        {"customer_id": customer_id, "store_code": s, "reason": reason, "linked_at": now}
        for s in sorted(set(store_codes))
    ]


def write_links(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    upsert(conn, customer_stores, rows, conflict=("customer_id", "store_code"), update=())


def customer_entries(state: CustomerState, scopes: Iterable[str]) -> list[ChangeEntry]:
    """The ``customer`` changes that send ``state`` to the registers of ``scopes``."""
    data = state.data().model_dump(mode="json")
    return [
        ChangeEntry(Entity.CUSTOMER, state.customer_id, data, scope=scope)
        for scope in sorted(set(scopes))
    ]


# --- reading -----------------------------------------------------------------------------------


def _live(conn: Connection, customer_id: str, *, lock: bool = False) -> CustomerState:
    query = select(customers).where(customers.c.id == customer_id)
    if lock:
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"no customer {customer_id!r}")
    state = _state_of(row)
    if state.erased_at is not None or not state.exists:
        raise NotFound(f"no customer {customer_id!r}")
    state.stores = set(
        conn.execute(
            select(customer_stores.c.store_code).where(customer_stores.c.customer_id == customer_id)
        ).scalars()
    )
    state.flagged = customer_id in _open_flags(conn, [customer_id])
    return state


def customer_data(conn: Connection, customer_id: str) -> CustomerData:
    """The live customer ``customer_id``; ``NotFound`` when unknown or erased."""
    return _live(conn, customer_id).data()


def look_up_for_store(
    conn: Connection, customer_id: str, store_code: str, *, now: datetime | None = None
) -> CustomerData:
    """The customer, for a register of ``store_code``: the store is linked to them (when it was
    not, the customer is sent to its registers, and later edits reach them too)."""
    now = now or utcnow()
    state = _live(conn, customer_id, lock=True)
    if store_code not in state.stores:
        write_links(conn, link_rows(customer_id, [store_code], "lookup", now))
        record_changes(conn, customer_entries(state, [store_code]), now=now)
    return state.data()


def _rank(row: Any, q: str, words: list[str], digits: str, email: str, card: str) -> int:
    if email and row.email_norm == email:
        return 0
    if card and row.card_norm == card:
        return 0
    if digits and row.phone_norm == digits:
        return 0
    if words and row.name_norm == " ".join(words):
        return 1
    if words and row.name_norm.startswith(words[0]):
        return 2
    if digits and row.phone_norm.endswith(digits):
        return 3
    return 4


def search_customers(conn: Connection, q: str) -> list[CustomerData]:
    """Live customers whose phone, email, name or loyalty card matches ``q``, best first, at
    most ``MAX_RESULTS``: exact email, card or phone; the whole name; names starting with the
    first word; then the rest (every word of ``q`` in the name, part of a phone or email)."""
    text = q.strip()
    if len(text) < MIN_QUERY:
        raise ApiError(
            f"a look-up needs at least {MIN_QUERY} characters", code="invalid", status=422
        )
    words = normalize_name(text).split()
    email = normalize_email(text) if "@" in text else ""
    card = normalize_card(text)
    phone_like = bool(re.fullmatch(r"[\d\s+().\-]+", text))
    digits = normalize_phone(text) if phone_like else ""
    c = customers.c
    matches = [c.card_norm == card]
    if words:
        matches.append(and_(*(c.name_norm.contains(w, autoescape=True) for w in words)))
    if email:
        matches.append(c.email_norm.startswith(email, autoescape=True))
    elif "@" not in text and len(text) >= 3:
        matches.append(c.email_norm.contains(normalize_email(text), autoescape=True))
    if len(digits) >= 3:
        matches.append(c.phone_norm.contains(digits, autoescape=True))
    rows = conn.execute(
        select(customers)
        .where(c.erased_at.is_(None), c.stamps != "{}", or_(*matches))
        .order_by(c.name_norm, c.id)
        .limit(MAX_RESULTS * 4)
    ).all()
    ranked = sorted(rows, key=lambda r: (_rank(r, text, words, digits, email, card), r.name_norm))
    states = [_state_of(r) for r in ranked[:MAX_RESULTS]]
    flagged = _open_flags(conn, [s.customer_id for s in states])
    for state in states:
        state.flagged = state.customer_id in flagged
    return [s.data() for s in states]


def _summary(names: Sequence[str], count: int) -> str:
    shown: list[str] = []
    for name in names:
        if name and name not in shown:
            shown.append(name)
    more = "…" if len(shown) > 3 else ""
    word = "artículo" if count == 1 else "artículos"
    listed = ", ".join(shown[:3])
    return f"{count} {word}: {listed}{more}" if listed else f"{count} {word}"


def _count(quantities: Iterable[tuple[str, str]]) -> int:
    """Units of the lines (measure, quantity): a weighed line counts as one article."""
    total = 0
    for measure, quantity in quantities:
        if measure == "unit":
            try:
                total += max(1, int(float(quantity)))
            except ValueError:
                total += 1
        else:
            total += 1
    return total


def customer_history(conn: Connection, customer_id: str) -> CustomerHistory:
    """What the customer did in every channel, newest first (at most ``MAX_HISTORY``): their
    sales at any store, their web and phone orders with the pickup state, and the returns of
    those or naming them."""
    customer = customer_data(conn, customer_id)
    entries: list[CustomerHistoryEntry] = []
    sale_ids: list[str] = []
    for row in conn.execute(
        select(sales.c.id, sales.c.receipt_number, sales.c.store_code, sales.c.completed_at,
               sales.c.total_cents, sales.c.payload)
        .where(sales.c.customer_id == customer_id)
        .order_by(sales.c.completed_at.desc())
        .limit(MAX_HISTORY)
    ):  # fmt: skip
        sale_ids.append(row.id)
        sale = SaleCompletedPayload.model_validate_json(row.payload)
        entries.append(
            CustomerHistoryEntry(
                kind="sale",
                reference=row.receipt_number,
                at=row.completed_at,
                store_code=row.store_code,
                channel="store",
                total_cents=int(row.total_cents),
                summary=_summary(
                    [line.name for line in sale.lines],
                    _count((line.measure, line.quantity) for line in sale.lines),
                ),
            )
        )
    order_ids: list[str] = []
    for document in conn.execute(
        select(pickup_orders.c.document)
        .where(pickup_orders.c.customer_id == customer_id)
        .order_by(pickup_orders.c.created_at.desc())
        .limit(MAX_HISTORY)
    ).scalars():
        order = PickupOrderData.model_validate_json(document)
        order_ids.append(order.order_id)
        entries.append(
            CustomerHistoryEntry(
                kind="web_order",
                reference=order.number,
                at=order.created_at,
                store_code=order.store_code,
                channel=order.channel,
                total_cents=order.total_cents,
                status=order.status.value,
                summary=_summary(
                    [line.name for line in order.lines],
                    _count(("unit", line.quantity) for line in order.lines),
                ),
            )
        )
    named = [returns.c.customer_id == customer_id]
    if sale_ids:
        named.append(
            and_(returns.c.original_kind == "sale", one_of(conn, returns.c.original_id, sale_ids))
        )
    if order_ids:
        named.append(
            and_(
                returns.c.original_kind == "web_order",
                one_of(conn, returns.c.original_id, order_ids),
            )
        )
    for ret in conn.execute(
        select(returns.c.return_number, returns.c.store_code, returns.c.completed_at,
               returns.c.total_cents, returns.c.payload)
        .where(or_(*named))
        .order_by(returns.c.completed_at.desc())
        .limit(MAX_HISTORY)
    ):  # fmt: skip
        lines = json.loads(ret.payload).get("lines", [])
        entries.append(
            CustomerHistoryEntry(
                kind="return",
                reference=ret.return_number,
                at=ret.completed_at,
                store_code=ret.store_code,
                channel="store",
                total_cents=int(ret.total_cents),
                summary=_summary(
                    [str(line.get("name", "")) for line in lines],
                    _count(("unit", str(line.get("quantity", "1"))) for line in lines),
                ),
            )
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return CustomerHistory(customer=customer, entries=entries[:MAX_HISTORY])


def customer_of_original(conn: Connection, kind: str, original_id: str) -> str | None:
    """The customer of a sale (``kind`` sale) or of a web order, when one was named."""
    column = sales.c.customer_id if kind == "sale" else pickup_orders.c.customer_id
    key = sales.c.id if kind == "sale" else pickup_orders.c.id
    found = conn.execute(select(column).where(key == original_id)).scalar()
    return str(found) if found else None


# --- the customer of an order of another channel ----------------------------------------------


def customer_for_order(
    conn: Connection,
    *,
    name: str,
    email: str,
    phone: str,
    channel: str,
    store_code: str,
    new_id: str,
    now: datetime,
) -> tuple[str, list[ChangeEntry]]:
    """The customer an order of ``channel`` names: the live one with that email (else that
    phone), or a new one (they ordered: they agreed that the shop keeps their data). Their
    empty fields are filled from the order; the pickup store is linked. Returns the customer's
    id and the change-log entries to record (last) with the order's."""
    email_norm, phone_norm = normalize_email(email), normalize_phone(phone)
    found: str | None = None
    for column, value in (
        (customers.c.email_norm, email_norm),
        (customers.c.phone_norm, phone_norm),
    ):
        if not value:
            continue
        found = conn.execute(
            select(customers.c.id)
            .where(column == value, customers.c.erased_at.is_(None), customers.c.stamps != "{}")
            .order_by(customers.c.created_at, customers.c.id)
            .limit(1)
        ).scalar()
        if found is not None:
            break
    stamp: Stamp = (now, channel)
    if found is not None:
        states, _ = lock_customers(conn, [found], now=now)
        state = states[found]
        given = {"name": name, "email": email, "phone": phone}
        empty = {k: v for k, v in given.items() if v.strip() and not str(state.values[k]).strip()}
        changed = state.merge(CustomerFields.model_validate(empty), stamp) if empty else []
        if changed:
            state.updated_at = now
            write_states(conn, [state], inserted={found})
        new_store = store_code not in state.stores
        if new_store:
            write_links(conn, link_rows(found, [store_code], "order", now))
            state.stores.add(store_code)
        scopes = state.stores if changed else ({store_code} if new_store else set())
        return found, customer_entries(state, scopes)
    state = CustomerState(customer_id=new_id, created_where=channel, created_at=now, updated_at=now)
    state.merge(
        CustomerFields(
            name=name,
            email=email,
            phone=phone,
            privacy_consent=True,
            consent_at=now,
            consent_where=channel,
        ),
        stamp,
    )
    state.exists = True
    state.stores.add(store_code)
    candidates = duplicate_candidates(conn, [state.email_norm], [state.phone_norm])
    pairs = find_duplicates(state, candidates.values())
    state.flagged = bool(pairs)
    write_states(conn, [state])
    write_links(conn, link_rows(new_id, [store_code], "order", now))
    write_flags(conn, flag_rows(pairs, now))
    return new_id, customer_entries(state, [store_code])


# --- erasure and merging (IT, on request) --------------------------------------------------------


def _blanked(state: CustomerState, now: datetime) -> None:
    state.values = _blank_values()
    state.stamps = {}
    state.erased_at = now
    state.updated_at = now
    state.created_where = ""
    state.stores = set()


def _erase(conn: Connection, state: CustomerState, now: datetime, resolution: str) -> ChangeEntry:
    """Blank ``state`` (locked), drop its links and earlier changes, resolve its flags; the
    GLOBAL delete change to record."""
    cid = state.customer_id
    _blanked(state, now)
    write_states(conn, [state], inserted={cid})
    conn.execute(delete(customer_stores).where(customer_stores.c.customer_id == cid))
    d = customer_duplicates
    conn.execute(
        update(d)
        .where(d.c.resolved_at.is_(None), or_(d.c.customer_id == cid, d.c.other_id == cid))
        .values(resolved_at=now, resolution=resolution)
    )
    # The personal data must not stay in the change log for a new register to pull.
    conn.execute(
        delete(change_log).where(
            change_log.c.entity == Entity.CUSTOMER.value, change_log.c.key == cid
        )
    )
    return ChangeEntry(Entity.CUSTOMER, cid, {}, scope=GLOBAL, op=ChangeOp.DELETE)


def erase_customer(conn: Connection, customer_id: str, *, now: datetime | None = None) -> None:
    """A data-protection request: every personal field of the customer blanked, their links
    dropped, a delete sent to every register. Their sales, orders and returns stay (facts that
    hold only the id). ``NotFound`` when unknown or already erased."""
    now = now or utcnow()
    state = _live(conn, customer_id, lock=True)
    record_changes(conn, [_erase(conn, state, now, "erased")], now=now)


def merge_customers(
    conn: Connection, keep_id: str, other_id: str, *, now: datetime | None = None
) -> CustomerData:
    """Merge ``other_id`` into ``keep_id``: the other's sales, orders, returns and stores move
    to the one kept, whose empty fields are filled from the other's; then the other is erased
    (a delete to every register) and their flag resolved. The one kept is sent to its stores."""
    now = now or utcnow()
    if keep_id == other_id:
        raise CommandError("a customer is not merged with themselves")
    # The lock order: pickup orders, then sales, then customers (by id).
    order_docs = conn.execute(
        select(pickup_orders.c.id, pickup_orders.c.document)
        .where(pickup_orders.c.customer_id == other_id)
        .order_by(pickup_orders.c.id)
        .with_for_update()
    ).all()
    conn.execute(
        select(sales.c.id)
        .where(sales.c.customer_id == other_id)
        .order_by(sales.c.id)
        .with_for_update()
    ).all()
    states, _ = lock_customers(conn, [keep_id, other_id], now=now)
    for cid in (keep_id, other_id):
        state = states.get(cid)
        if state is None or not state.exists or state.erased_at is not None:
            raise CommandError(f"there is no customer {cid} (or they were erased)")
    keep, other = states[keep_id], states[other_id]
    for name in FIELDS:
        if keep.values[name] in ("", None, False) and other.values[name] not in ("", None, False):
            keep.values[name] = other.values[name]
            if name in other.stamps:
                keep.stamps[name] = other.stamps[name]
    keep.updated_at = now
    entries: list[ChangeEntry] = []
    orders_moved: list[PickupOrderData] = []
    for order_id, document in order_docs:
        order = PickupOrderData.model_validate_json(document).model_copy(
            update={"customer_id": keep_id}
        )
        orders_moved.append(order)
        conn.execute(
            update(pickup_orders)
            .where(pickup_orders.c.id == order_id)
            .values(customer_id=keep_id, document=dumps(order.model_dump(mode="json")))
        )
    conn.execute(update(sales).where(sales.c.customer_id == other_id).values(customer_id=keep_id))
    conn.execute(
        update(returns).where(returns.c.customer_id == other_id).values(customer_id=keep_id)
    )
    moved_stores = other.stores - keep.stores
    write_links(conn, link_rows(keep_id, moved_stores, "merge", now))
    keep.stores |= moved_stores
    d = customer_duplicates
    a, b = sorted((keep_id, other_id))
    conn.execute(
        update(d)
        .where(d.c.customer_id == a, d.c.other_id == b, d.c.resolved_at.is_(None))
        .values(resolved_at=now, resolution="merged")
    )
    entries.append(_erase(conn, other, now, "merged"))
    keep.flagged = keep_id in _open_flags(conn, [keep_id])
    write_states(conn, [keep], inserted={keep_id})
    entries.extend(customer_entries(keep, keep.stores))
    entries.extend(
        ChangeEntry(Entity.PICKUP_ORDER, o.order_id, o.model_dump(mode="json"), scope=o.store_code)
        for o in orders_moved
    )
    record_changes(conn, entries, now=now)
    return keep.data()


@dataclass(frozen=True, slots=True)
class DuplicateFlag:
    customer_id: str
    other_id: str
    reason: str
    flagged_at: datetime
    names: tuple[str, str]


def open_duplicates(conn: Connection) -> list[DuplicateFlag]:
    """The open duplicate flags, oldest first, with both customers' names."""
    d = customer_duplicates
    rows = conn.execute(
        select(d.c.customer_id, d.c.other_id, d.c.reason, d.c.flagged_at)
        .where(d.c.resolved_at.is_(None))
        .order_by(d.c.flagged_at, d.c.id)
    ).all()
    ids = sorted({r.customer_id for r in rows} | {r.other_id for r in rows})
    names: dict[str, str] = {}
    if ids:
        names = {
            r.id: r.name
            for r in conn.execute(
                select(customers.c.id, customers.c.name).where(customers.c.id.in_(ids))
            )
        }
    return [
        DuplicateFlag(
            r.customer_id,
            r.other_id,
            r.reason,
            r.flagged_at,
            (names.get(r.customer_id, ""), names.get(r.other_id, "")),
        )
        for r in rows
    ]


# --- the customers of one push group ---------------------------------------------------------


class CustomerGroup:
    """The customers of one push group (``push.py``): what its events name, gathered before
    the group's reads; locked once; each ``customer.upserted`` merged in event order; written
    once. Returns a rejection as (code, message), decided before anything is written."""

    def __init__(self) -> None:
        self._creating: set[str] = set()  # ids that upserts name (they may be new)
        self._named: set[str] = set()  # ids that sales name
        self._emails: set[str] = set()
        self._phones: set[str] = set()
        self.states: dict[str, CustomerState] = {}
        self._inserted: set[str] = set()  # placeholder rows of this group
        self._candidates: dict[str, Candidate] = {}
        self._dirty: set[str] = set()  # rows to write
        self._publish: dict[str, set[str]] = {}  # id -> stores to send the customer to
        self._links: list[dict[str, Any]] = []
        self._flags: list[tuple[str, str, str]] = []
        self._sales: dict[str, str] = {}  # sale id -> customer id
        self._returns: dict[str, str] = {}  # return id -> customer id

    def want(self, upsert: CustomerUpsertedPayload | None, sale_customer: str | None) -> None:
        if upsert is not None:
            self._creating.add(upsert.customer_id)
            if upsert.fields.email:
                self._emails.add(normalize_email(upsert.fields.email))
            if upsert.fields.phone:
                self._phones.add(normalize_phone(upsert.fields.phone))
        if sale_customer:
            self._named.add(sale_customer)

    def lock(self, conn: Connection, now: datetime) -> None:
        if not (self._creating or self._named):
            return
        self.states, self._inserted = lock_customers(
            conn, self._named, creating=self._creating, now=now
        )
        self._candidates = duplicate_candidates(conn, self._emails, self._phones)

    def _candidate_list(self) -> list[Candidate]:
        found = dict(self._candidates)
        for cid, state in self.states.items():
            if state.exists and state.erased_at is None:
                found[cid] = Candidate(cid, state.email_norm, state.phone_norm)
            else:
                found.pop(cid, None)
        return list(found.values())

    def _send(self, customer_id: str, stores: Iterable[str]) -> None:
        self._publish.setdefault(customer_id, set()).update(stores)

    def _link(self, state: CustomerState, store_code: str, reason: str, now: datetime) -> bool:
        if store_code in state.stores:
            return False
        state.stores.add(store_code)
        self._links.extend(link_rows(state.customer_id, [store_code], reason, now))
        return True

    def upsert(
        self, payload: CustomerUpsertedPayload, store_code: str, now: datetime
    ) -> tuple[str, str] | None:
        """Merge a register's edit; the rejection (code, message), if any."""
        cid = payload.customer_id
        state = self.states[cid]
        if state.erased_at is not None:
            return (
                CUSTOMER_ERASED,
                f"customer {cid} was erased at the backend (a data-protection request): this "
                "edit was not kept",
            )
        created = not state.exists
        if created and not (payload.fields.name and payload.fields.privacy_consent):
            return (
                "invalid_payload",
                f"customer {cid} is new to this backend: a new customer needs a name and their "
                "privacy consent (privacy_consent true)",
            )
        place = f"{payload.store_code}/{payload.register_code}"
        taken = state.merge(payload.fields, (payload.changed_at.astimezone(UTC), place))
        if created:
            state.exists = True
            state.created_where = place
            state.created_at = payload.changed_at
        self._link(state, store_code, "created" if created else "edited", now)
        if taken:
            state.updated_at = now
            self._dirty.add(cid)
            self._send(cid, state.stores)
            if {"email", "phone"} & set(taken):
                self._flag(state)
        # The register that sent it gets the customer as the backend holds them (an older
        # field it typed lost, and must be replaced there).
        self._send(cid, [store_code])
        return None

    def _flag(self, state: CustomerState) -> None:
        pairs = find_duplicates(state, self._candidate_list())
        if not pairs:
            return
        self._flags.extend(pairs)
        state.flagged = True
        for a, b, _ in pairs:
            other = self.states.get(b if a == state.customer_id else a)
            if other is not None and not other.flagged:  # locked here: tell its stores too
                other.flagged = True
                self._send(other.customer_id, other.stores)

    def bought(self, sale: SaleCompletedPayload, store_code: str) -> str | None:
        """A sale naming its customer: recorded on the sale; the store is linked to the customer
        (who is then sent to its registers). What to log when the customer is unknown."""
        cid = sale.customer_id
        assert cid is not None
        self._sales[sale.sale_id] = cid
        state = self.states.get(cid)
        if state is None or not state.exists:
            return (
                f"sale {sale.receipt_number} names customer {cid}, whom this backend does not "
                "know: the sale keeps the id"
            )
        if state.erased_at is not None:
            return f"sale {sale.receipt_number} names customer {cid}, who was erased"
        if self._link(state, store_code, "sale", sale.completed_at):
            self._send(cid, [store_code])
        return None

    def returned(self, return_id: str, customer_id: str) -> None:
        self._returns[return_id] = customer_id

    def write(
        self,
        conn: Connection,
        now: datetime,
        sale_rows: Sequence[dict[str, Any]],
        return_rows: Sequence[dict[str, Any]],
    ) -> list[ChangeEntry]:
        """Write the group's customers, links and flags, set ``customer_id`` on the rows of its
        sales and returns; the change-log entries to record."""
        for row in sale_rows:
            row["customer_id"] = self._sales.get(row["id"])
        for row in return_rows:
            row["customer_id"] = self._returns.get(row["id"])
        if not self.states:
            return []
        if self._dirty:
            write_states(conn, [self.states[c] for c in self._dirty], inserted=set(self.states))
        drop_placeholders(conn, self._inserted - self._dirty)
        write_links(conn, self._links)
        write_flags(conn, flag_rows(self._flags, now))
        return [
            entry
            for cid, scopes in sorted(self._publish.items())
            for entry in customer_entries(self.states[cid], scopes)
        ]
