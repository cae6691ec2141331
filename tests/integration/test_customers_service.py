"""Customers on a real SQLite file: created and edited offline (the outbox event says only what
changed), validated, found locally by phone, email, name or card, pulled and erased from the
backend, attached to sales (the payload names them), and their history online or local."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text
from support import COFFEE, IDENTITY, MILK, pickup_order_data, pull_changes, pull_pickups

from hardware.printers import MemoryReceiptPrinter
from pos_app.services.checkout import CheckoutService
from pos_app.services.customers import CustomerInput, CustomerService
from pos_app.services.errors import (
    ConsentRequired,
    CustomerInvalid,
    CustomerNotFound,
    CustomersOffline,
)
from pos_app.services.pickups import PickupService
from pos_app.services.returns import RefundRequest, ReturnLineRequest, ReturnsService
from sync.errors import SyncError, SyncErrorKind
from sync.protocol import (
    Change,
    ChangeOp,
    CustomerData,
    CustomerHistory,
    CustomerHistoryEntry,
    CustomerSearchResult,
    CustomerUpsertedPayload,
    Entity,
    EventResult,
    EventStatus,
    SaleCompletedPayload,
)

ANA = CustomerInput(
    name="  Ana   Martínez ",
    phone="+34 600 123 456",
    email="ana@correo.es",
    loyalty_card="club-0042",
    tax_id="12345678z",
    privacy_consent=True,
)
T0 = datetime.fromisoformat("2026-11-20T09:00:00+01:00")


class FakeCustomerDirectory:
    """The backend's customer endpoints: canned customers and histories, or offline."""

    def __init__(self, *customers: CustomerData, online: bool = True) -> None:
        self.customers_by_id = {c.customer_id: c for c in customers}
        self.histories: dict[str, list[CustomerHistoryEntry]] = {}
        self.online = online

    def _check(self) -> None:
        if not self.online:
            raise SyncError(SyncErrorKind.NETWORK, "cannot reach the backend (refused)")

    def customers(self, q: str) -> CustomerSearchResult:
        self._check()
        found = [c for c in self.customers_by_id.values() if q.casefold() in c.name.casefold()]
        return CustomerSearchResult(customers=found)

    def customer(self, customer_id: str) -> CustomerData:
        self._check()
        if customer_id not in self.customers_by_id:
            raise SyncError(SyncErrorKind.REJECTED, "no such customer", code="not_found")
        return self.customers_by_id[customer_id]

    def customer_history(self, customer_id: str) -> CustomerHistory:
        customer = self.customer(customer_id)
        return CustomerHistory(customer=customer, entries=self.histories.get(customer_id, []))


def backend_customer(customer_id: str = "c-remote-1", **fields: object) -> CustomerData:
    data: dict[str, object] = {
        "customer_id": customer_id,
        "name": "Luis Gómez",
        "phone": "611222333",
        "email": "luis@correo.es",
        "privacy_consent": True,
        "created_at": T0,
        "updated_at": T0,
        "created_where": "web",
    }
    data.update(fields)
    return CustomerData.model_validate(data)


def customer_change(customer: CustomerData, op: ChangeOp = ChangeOp.UPSERT, seq: int = 1) -> Change:
    data = customer.model_dump(mode="json") if op is ChangeOp.UPSERT else {}
    return Change(seq=seq, entity=Entity.CUSTOMER, op=op, key=customer.customer_id, data=data)


@pytest.fixture
def directory() -> FakeCustomerDirectory:
    return FakeCustomerDirectory(online=False)


@pytest.fixture
def customers(uow_factory, clock, directory) -> CustomerService:
    return CustomerService(uow_factory, clock, IDENTITY, directory=directory, cashier="Ana")


@pytest.fixture
def checkout(uow_factory, clock) -> CheckoutService:
    return CheckoutService(uow_factory, clock, IDENTITY, cashier="Ana")


def rows(engine, sql: str, **params: object) -> list[tuple]:  # type: ignore[type-arg]
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def outbox(engine, event_type: str) -> list[dict]:  # type: ignore[type-arg]
    return [
        json.loads(p)
        for (p,) in rows(
            engine, "SELECT payload FROM outbox WHERE event_type = :t ORDER BY seq", t=event_type
        )
    ]


def sell_coffee(checkout: CheckoutService) -> SaleCompletedPayload:
    checkout.scan(COFFEE)
    checkout.add_card(checkout.view().payment.due, "AUT-1")
    done = checkout.complete_sale()
    [(payload,)] = rows(
        checkout._uow_factory.engine,  # type: ignore[attr-defined]
        "SELECT payload FROM outbox WHERE event_id = :e",
        e=done.outbox_event_id,
    )
    return SaleCompletedPayload.model_validate_json(payload)


# --- creating and editing -------------------------------------------------------------------


def test_a_customer_created_offline_is_kept_and_queued_with_consent_recorded(
    customers, engine, clock
):
    saved = customers.create(ANA)

    c = saved.customer
    assert saved.created
    assert (c.name, c.phone, c.email, c.loyalty_card, c.tax_id) == (
        "Ana Martínez",
        "+34 600 123 456",
        "ana@correo.es",
        "CLUB0042",
        "12345678Z",
    )
    assert c.privacy_consent and not c.marketing_consent
    assert (c.consent_at, c.consent_where, c.created_where) == (clock.now(), "T01/C01", "T01/C01")
    # One event, valid for the protocol, with what was typed and the consent.
    [payload] = outbox(engine, "customer.upserted")
    event = CustomerUpsertedPayload.model_validate(payload)
    assert (event.customer_id, event.created, event.store_code, event.register_code) == (
        c.customer_id,
        True,
        "T01",
        "C01",
    )
    assert event.cashier == "Ana"
    assert event.changed_at == clock.now()
    assert event.fields.name == "Ana Martínez"
    assert event.fields.privacy_consent is True
    assert event.fields.consent_at == clock.now()
    assert event.fields.consent_where == "T01/C01"
    # Kept here: found at once, offline, and used now.
    assert customers.get(c.customer_id) == c
    assert rows(engine, "SELECT last_used_at IS NOT NULL FROM customers") == [(1,)]


def test_a_new_customer_with_empty_optional_fields_sends_only_what_was_typed(customers, engine):
    customers.create(CustomerInput(name="Pepe", privacy_consent=True, marketing_consent=True))

    [payload] = outbox(engine, "customer.upserted")
    assert set(payload["fields"]) == {
        "name",
        "privacy_consent",
        "marketing_consent",
        "consent_at",
        "consent_where",
    }
    assert payload["fields"]["marketing_consent"] is True


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (CustomerInput(name="   ", privacy_consent=True), "name"),
        (CustomerInput(name="A" * 121, privacy_consent=True), "name"),
        (CustomerInput(name="Ana", email="ana@", privacy_consent=True), "email"),
        (CustomerInput(name="Ana", email="ana correo@x.es", privacy_consent=True), "email"),
        (CustomerInput(name="Ana", phone="600 12", privacy_consent=True), "phone"),
        (CustomerInput(name="Ana", phone="seis cero cero", privacy_consent=True), "phone"),
        (CustomerInput(name="Ana", tax_id="12345678A", privacy_consent=True), "tax_id"),
        (CustomerInput(name="Ana", tax_id="X1234567Z", privacy_consent=True), "tax_id"),
        (CustomerInput(name="Ana", loyalty_card="CLUB#42", privacy_consent=True), "loyalty_card"),
    ],
)
def test_a_bad_field_is_refused_and_nothing_is_written(customers, engine, data, field):
    with pytest.raises(CustomerInvalid) as caught:
        customers.create(data)

    assert caught.value.field == field
    assert rows(engine, "SELECT count(*) FROM customers") == [(0,)]
    assert outbox(engine, "customer.upserted") == []


def test_a_nie_is_accepted_and_written_compact(customers):
    saved = customers.create(CustomerInput(name="Ion", tax_id="x-1234567-l", privacy_consent=True))

    assert saved.customer.tax_id == "X1234567L"


def test_no_customer_is_kept_without_privacy_consent(customers, engine):
    with pytest.raises(ConsentRequired):
        customers.create(CustomerInput(name="Ana", phone="600123456"))

    assert rows(engine, "SELECT count(*) FROM customers") == [(0,)]
    assert outbox(engine, "customer.upserted") == []


def test_an_edit_pushes_only_the_fields_that_changed(customers, engine, clock):
    created = customers.create(ANA).customer
    clock.advance(minutes=5)

    saved = customers.edit(
        created.customer_id,
        CustomerInput(
            name="Ana Martínez",
            phone="+34 600 999 888",
            email="ana@correo.es",
            loyalty_card="CLUB0042",
            tax_id="12345678Z",
            privacy_consent=True,
        ),
    )

    assert saved.changed == ("phone",)
    assert saved.customer.phone == "+34 600 999 888"
    assert saved.customer.updated_at == clock.now()
    [_create, edit] = outbox(engine, "customer.upserted")
    event = CustomerUpsertedPayload.model_validate(edit)
    assert not event.created
    assert event.fields.model_dump(exclude_none=True) == {"phone": "+34 600 999 888"}
    assert customers.search("600999888")[0].customer_id == created.customer_id


def test_an_edit_of_the_consent_records_when_and_where(customers, engine, clock):
    created = customers.create(ANA).customer
    clock.advance(days=1)

    saved = customers.edit(created.customer_id, _with(ANA, marketing_consent=True))

    assert set(saved.changed) == {"marketing_consent", "consent_at", "consent_where"}
    assert saved.customer.consent_at == clock.now()
    edit = outbox(engine, "customer.upserted")[-1]
    assert edit["fields"]["marketing_consent"] is True


def _with(data: CustomerInput, **changes: object) -> CustomerInput:
    from dataclasses import replace

    return replace(data, **changes)  # type: ignore[arg-type]


def test_an_edit_that_changes_nothing_writes_nothing(customers, engine):
    created = customers.create(ANA).customer

    saved = customers.edit(created.customer_id, ANA)

    assert saved.changed == ()
    assert saved.event_id is None
    assert len(outbox(engine, "customer.upserted")) == 1


def test_taking_away_the_privacy_consent_at_the_register_is_refused(customers):
    created = customers.create(ANA).customer

    with pytest.raises(ConsentRequired):
        customers.edit(created.customer_id, _with(ANA, privacy_consent=False))


def test_a_new_customer_with_the_phone_of_another_one_comes_back_as_similar(customers):
    first = customers.create(ANA).customer

    again = customers.create(
        CustomerInput(name="Ana M.", phone="+34 600 123 456", privacy_consent=True)
    )
    other = customers.create(CustomerInput(name="Eva", email="eva@x.es", privacy_consent=True))

    assert again.similar == (first,)
    assert other.similar == ()


# --- finding ---------------------------------------------------------------------------------


def test_the_local_search_finds_by_phone_email_card_nif_and_name_without_accents(customers):
    ana = customers.create(ANA).customer
    customers.create(CustomerInput(name="Antonio Ruiz", phone="699000111", privacy_consent=True))

    for typed in ("600 123 456", "+34600123456", "ANA@correo.es", "club 0042", "12345678z"):
        assert [c.customer_id for c in customers.search(typed)] == [ana.customer_id], typed
    assert [c.name for c in customers.search("martinez")] == ["Ana Martínez"]
    assert {c.name for c in customers.search("an")} == {"Ana Martínez", "Antonio Ruiz"}
    assert customers.search("  ") == []
    assert customers.search("zzz") == []


def test_online_search_offline_says_so(customers):
    with pytest.raises(CustomersOffline):
        customers.search_online("Luis")


def test_a_customer_found_online_is_kept_for_offline_use(customers, directory, engine):
    directory.customers_by_id["c-remote-1"] = backend_customer()
    directory.online = True

    [found] = customers.search_online("luis")
    assert customers.search("luis") == []
    customers.remember(found)

    directory.online = False
    assert [c.customer_id for c in customers.search("611 222 333")] == ["c-remote-1"]
    assert rows(engine, "SELECT last_used_at IS NOT NULL FROM customers") == [(1,)]
    # Looking one up writes no event: the backend keeps the store's interest itself.
    assert outbox(engine, "customer.upserted") == []


def test_an_unknown_customer_online_is_not_found(customers, directory):
    directory.online = True
    with pytest.raises(CustomerNotFound):
        customers.fetch("nobody")


# --- pulled from the backend -------------------------------------------------------------


def test_a_pulled_customer_is_kept_and_found(uow_factory, clock, customers):
    pull_changes(uow_factory, clock, customer_change(backend_customer()))

    [found] = customers.search("luis@correo.es")
    assert found == backend_customer()


def test_a_pulled_customer_keeps_the_fields_of_an_edit_not_pushed_yet(
    uow_factory, clock, customers, engine
):
    pull_changes(uow_factory, clock, customer_change(backend_customer()))
    clock.advance(days=10)
    customers.edit(
        "c-remote-1",
        CustomerInput(
            name="Luis Gómez", phone="622000111", email="luis@correo.es", privacy_consent=True
        ),
    )
    # Meanwhile the web shop changed the email; the backend sends the customer again.
    pull_changes(
        uow_factory,
        clock,
        customer_change(backend_customer(email="luis.g@correo.es", updated_at=T0 + timedelta(1))),
    )

    kept = customers.get("c-remote-1")
    assert (kept.phone, kept.email) == ("622000111", "luis.g@correo.es")

    # Once the edit is pushed and applied, the backend's row (merged there) is taken as is.
    [(seq, event_id)] = rows(engine, "SELECT seq, event_id FROM outbox")
    with uow_factory() as uow:
        uow.sync.acknowledge(
            [EventResult(seq=seq, event_id=event_id, status=EventStatus.APPLIED)], at=clock.now()
        )
        uow.commit()
    pull_changes(
        uow_factory,
        clock,
        customer_change(backend_customer(email="luis.g@correo.es", phone="622000112")),
    )
    assert customers.get("c-remote-1").phone == "622000112"


def test_an_erased_customer_is_gone_from_the_register_and_from_its_sales(
    uow_factory, clock, customers, checkout, engine
):
    pull_changes(uow_factory, clock, customer_change(backend_customer()))
    checkout.attach_customer("c-remote-1")
    sell_coffee(checkout)
    checkout.scan(MILK)
    checkout.attach_customer("c-remote-1")
    parked = checkout.park("Luis").parked_id
    checkout.scan(COFFEE)
    checkout.attach_customer("c-remote-1")

    pull_changes(uow_factory, clock, customer_change(backend_customer(), ChangeOp.DELETE))

    assert rows(engine, "SELECT count(*) FROM customers") == [(0,)]
    assert rows(engine, "SELECT customer_id FROM sales") == [(None,)]
    with pytest.raises(CustomerNotFound):
        customers.get("c-remote-1")
    # The sale in progress goes without them.
    checkout.add_card(checkout.view().payment.due, "AUT-2")
    done = checkout.complete_sale()
    [(payload,)] = rows(
        engine, "SELECT payload FROM outbox WHERE event_id = :e", e=done.outbox_event_id
    )
    assert SaleCompletedPayload.model_validate_json(payload).customer_id is None
    # The parked sale too.
    view = checkout.resume(parked)
    assert view.customer_id is None
    assert [p for (p,) in rows(engine, "SELECT cart FROM parked_sales")] == []


# --- customers and sales ---------------------------------------------------------------------


def test_a_sale_with_a_customer_names_them_in_its_payload(customers, checkout, engine, clock):
    ana = customers.create(ANA).customer
    clock.advance(hours=2)

    view = checkout.attach_customer(ana.customer_id)
    assert (view.customer_id, view.customer_name) == (ana.customer_id, "Ana Martínez")
    payload = sell_coffee(checkout)

    assert payload.customer_id == ana.customer_id
    assert rows(engine, "SELECT customer_id FROM sales") == [(ana.customer_id,)]
    [(used,)] = rows(engine, "SELECT last_used_at FROM customers")
    assert datetime.fromisoformat(used) == clock.now()
    # The next sale starts without a customer.
    assert checkout.view().customer_id is None
    assert sell_coffee(checkout).customer_id is None


def test_a_customer_erased_by_a_pull_leaves_the_sale_in_progress(uow_factory, clock, checkout):
    pull_changes(uow_factory, clock, customer_change(backend_customer()))
    checkout.scan(COFFEE)
    checkout.attach_customer("c-remote-1")

    pull_changes(uow_factory, clock, customer_change(backend_customer(), ChangeOp.DELETE))
    assert checkout.view().customer_id == "c-remote-1"  # until the screen looks again
    view = checkout.refresh_customer()

    assert view is not None and view.customer_id is None and len(view.lines) == 1


def test_a_customer_renamed_by_a_pull_is_renamed_on_the_sale(uow_factory, clock, checkout):
    pull_changes(uow_factory, clock, customer_change(backend_customer()))
    checkout.attach_customer("c-remote-1")
    assert checkout.refresh_customer() is None  # nothing changed

    pull_changes(uow_factory, clock, customer_change(backend_customer(name="Luis Gómez Gil")))

    view = checkout.refresh_customer()
    assert view is not None and view.customer_name == "Luis Gómez Gil"


def test_a_detached_customer_is_not_in_the_sale(customers, checkout):
    ana = customers.create(ANA).customer
    checkout.attach_customer(ana.customer_id)

    assert checkout.detach_customer().customer_id is None
    assert sell_coffee(checkout).customer_id is None


def test_attaching_an_unknown_customer_is_refused(checkout):
    with pytest.raises(CustomerNotFound):
        checkout.attach_customer("nobody")
    assert checkout.view().customer_id is None


def test_a_parked_sale_keeps_its_customer(customers, checkout):
    ana = customers.create(ANA).customer
    checkout.scan(COFFEE)
    checkout.attach_customer(ana.customer_id)

    parked = checkout.park("Ana").parked_id
    assert checkout.view().customer_id is None
    view = checkout.resume(parked)

    assert (view.customer_id, view.customer_name) == (ana.customer_id, "Ana Martínez")


def test_a_sale_paying_a_pickup_order_takes_the_orders_customer(uow_factory, clock, checkout):
    data = pickup_order_data(status="ready", paid_online=False, picked={1: "2", 2: "1"})
    data["customer_id"] = "c-web-7"
    pull_pickups(uow_factory, clock, data)
    pickups = PickupService(uow_factory, clock, IDENTITY, cashier="Ana")
    collection = pickups.prepare_hand_over(data["order_id"], "7K3P9Q")

    view = checkout.start_order_sale(collection)

    assert (view.customer_id, view.customer_name) == ("c-web-7", "María Pérez")
    checkout.add_card(checkout.view().payment.due, "AUT-3")
    done = checkout.complete_sale()
    [(payload,)] = rows(
        uow_factory.engine, "SELECT payload FROM outbox WHERE event_id = :e",
        e=done.outbox_event_id,
    )  # fmt: skip
    assert SaleCompletedPayload.model_validate_json(payload).customer_id == "c-web-7"


# --- history -----------------------------------------------------------------------------


def test_history_offline_is_this_registers_sales_and_returns_flagged_partial(
    customers, checkout, uow_factory, clock, engine
):
    ana = customers.create(ANA).customer
    checkout.attach_customer(ana.customer_id)
    sale = sell_coffee(checkout)
    sell_coffee(checkout)  # another customer's (none)
    clock.advance(days=2)
    returns = ReturnsService(
        uow_factory, clock, IDENTITY, cashier="Ana", printer=MemoryReceiptPrinter()
    )
    original = returns.find_original(sale.receipt_number)
    returned = returns.complete_return(
        original, [ReturnLineRequest(1, Decimal(1), "No le gusta")], RefundRequest("card", "R-1")
    )

    history = customers.history(ana.customer_id)

    assert history.partial
    assert history.customer.customer_id == ana.customer_id
    assert [(e.kind, e.reference) for e in history.entries] == [
        ("return", returned.record.return_number),
        ("sale", sale.receipt_number),
    ]
    assert history.entries[1].total_cents == sale.total_cents
    # The return names the sale's customer: in its event (the backend's history) and kept.
    assert returned.record.customer_id == ana.customer_id
    assert returns.get(returned.record.return_id).customer_id == ana.customer_id
    [event] = outbox(engine, "return.completed")
    assert event["customer_id"] == ana.customer_id


def test_history_online_is_the_backends_every_channel(customers, directory):
    directory.customers_by_id["c-remote-1"] = backend_customer()
    directory.histories["c-remote-1"] = [
        CustomerHistoryEntry(
            kind="web_order", reference="W-2026-000123", at=T0, store_code="T01",
            channel="web", total_cents=2590, status="collected",
        )
    ]  # fmt: skip
    directory.online = True

    history = customers.history("c-remote-1")

    assert not history.partial
    assert [e.reference for e in history.entries] == ["W-2026-000123"]


def test_history_of_a_customer_nobody_knows_is_not_found(customers, directory):
    with pytest.raises(CustomerNotFound):
        customers.history("nobody")
    directory.online = True
    with pytest.raises(CustomerNotFound):
        customers.history("nobody")


def test_history_of_a_customer_not_pushed_yet_is_this_registers(customers, directory, checkout):
    ana = customers.create(ANA).customer
    checkout.attach_customer(ana.customer_id)
    sale = sell_coffee(checkout)
    directory.online = True  # the backend answers not_found: her creation is still queued

    history = customers.history(ana.customer_id)

    assert history.partial
    assert [e.reference for e in history.entries] == [sale.receipt_number]


def test_an_online_search_of_one_character_asks_nothing(customers, directory):
    directory.online = True
    directory.customers_by_id["c-remote-1"] = backend_customer()

    assert customers.search_online("L") == []
    assert [c.name for c in customers.search_online("Lu")] == ["Luis Gómez"]


# --- keeping only the customers needed ------------------------------------------------------


def test_customers_not_used_for_a_year_are_forgotten_unless_an_edit_waits(
    uow_factory, clock, customers, engine
):
    pull_changes(uow_factory, clock, customer_change(backend_customer()))
    pull_changes(uow_factory, clock, customer_change(backend_customer("c-remote-2", name="Eva")))
    clock.advance(days=400)
    customers.edit("c-remote-2", CustomerInput(name="Eva Gil", privacy_consent=True))
    clock.advance(days=366)
    ana = customers.create(ANA).customer

    assert customers.forget_unused() == 1

    kept = {r[0] for r in rows(engine, "SELECT customer_id FROM customers")}
    assert kept == {"c-remote-2", ana.customer_id}
