"""Customers at the register: find one, create or edit one (offline too), read their history.

One customer everywhere (issue 7). The register keeps the customers it needs (its store's, as
pulled; those created, edited or looked up here) and finds them as the cashier types
(``search``, local, instant). Online, ``search_online`` asks the backend (every store, every
channel) and ``remember`` keeps the one chosen, so it is found offline next time.

Creating and editing work offline: one transaction writes the customer here and the
``customer.upserted`` event to the outbox. An edit pushes only the fields that changed; the
backend takes each field if newer than what it holds. The privacy consent is required to keep a
customer at all, and when it or the offers' consent changes, when and where is recorded
(``consent_at``, ``consent_where`` = ``T01/C02``). A likely duplicate (same phone or email as
another) is flagged by the backend; the register shows the local customers with the same phone
or email before creating one (``similar``), so what was typed once need not be typed again.

History (``history``): online the backend's, every channel; offline (or when the backend fails)
this register's own sales with the customer and their returns, flagged ``partial``.

Network I/O (``search_online``, ``fetch``, ``history``) runs on the I/O pool, never the database
worker; writes (``remember``, ``create``, ``edit``, ``forget_unused``) run on the database worker.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from stdnum.es import nif
from stdnum.exceptions import ValidationError as StdnumValidationError

from pos_app.domain.ids import new_id
from pos_app.services.errors import (
    ConsentRequired,
    CustomerInvalid,
    CustomerNotFound,
    CustomersOffline,
)
from pos_app.services.ports import (
    Clock,
    CustomerDirectory,
    StoreIdentity,
    UnitOfWork,
    UnitOfWorkFactory,
)
from pos_app.services.staff import StaffService
from sync.errors import SyncError, SyncErrorKind
from sync.protocol import (
    CustomerData,
    CustomerFields,
    CustomerHistoryEntry,
    CustomerUpsertedPayload,
    EventType,
)

log = logging.getLogger(__name__)

CUSTOMER_UPSERTED = EventType.CUSTOMER_UPSERTED.value
KEEP_DAYS = 365  # a customer this register has not used for longer is dropped (forget_unused)
MIN_ONLINE_QUERY = 2  # characters: the backend refuses shorter look-ups

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_PHONE = re.compile(r"^\+?[\d\s().-]+$")
_CARD = re.compile(r"^[A-Z0-9]{1,40}$")
_SPACES = re.compile(r"\s+")
_TEXT_FIELDS = ("name", "phone", "email", "loyalty_card", "tax_id")
_CONSENT_FIELDS = ("privacy_consent", "marketing_consent")


def normalize_card(card: str) -> str:
    """A loyalty card number as typed or scanned: spaces and dashes dropped, upper case."""
    return re.sub(r"[\s-]", "", card).upper()


def apply_fields(customer: CustomerData, fields: CustomerFields, at: datetime) -> CustomerData:
    """``customer`` with every field ``fields`` sets (not None) replaced, as changed at ``at``."""
    changed = fields.model_dump(exclude_none=True)
    return customer.model_copy(update={**changed, "updated_at": max(customer.updated_at, at)})


@dataclass(frozen=True, slots=True)
class CustomerInput:
    """What the cashier typed in the customer form (every field, as shown)."""

    name: str
    phone: str = ""
    email: str = ""
    loyalty_card: str = ""
    tax_id: str = ""
    privacy_consent: bool = False
    marketing_consent: bool = False


@dataclass(frozen=True, slots=True)
class CustomerSaved:
    """A customer created or edited here: ``changed`` names the fields pushed (empty: nothing
    changed, no event); ``similar`` the other local customers with the same phone or email."""

    customer: CustomerData
    created: bool
    changed: tuple[str, ...]
    event_id: str | None
    similar: tuple[CustomerData, ...] = ()


@dataclass(frozen=True, slots=True)
class CustomerHistoryView:
    """A customer's history as found: ``partial`` when only this register's records could be
    read (offline, or the backend failed): web orders and other stores are then missing."""

    customer: CustomerData
    entries: tuple[CustomerHistoryEntry, ...]
    partial: bool


def clean_input(data: CustomerInput) -> CustomerInput:
    """``data`` validated and normalized. Raises ``CustomerInvalid``."""
    name = _SPACES.sub(" ", data.name).strip()
    if not name:
        raise CustomerInvalid("name", "required")
    if len(name) > 120:
        raise CustomerInvalid("name", "too_long")
    phone = _SPACES.sub(" ", data.phone).strip()
    if phone:
        digit_count = sum(ch.isdigit() for ch in phone)
        if not _PHONE.match(phone) or not 6 <= digit_count <= 15 or len(phone) > 40:
            raise CustomerInvalid("phone", "digits")
    email = data.email.strip()
    if email and (not _EMAIL.match(email) or len(email) > 200):
        raise CustomerInvalid("email", "syntax")
    card = normalize_card(data.loyalty_card)
    if card and not _CARD.match(card):
        raise CustomerInvalid("loyalty_card", "syntax")
    tax_id = data.tax_id.strip()
    if tax_id:
        try:
            tax_id = nif.validate(tax_id)
        except StdnumValidationError as exc:
            raise CustomerInvalid("tax_id", "checksum") from exc
    return CustomerInput(
        name=name,
        phone=phone,
        email=email,
        loyalty_card=card,
        tax_id=tax_id,
        privacy_consent=data.privacy_consent,
        marketing_consent=data.marketing_consent,
    )


class CustomerService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        identity: StoreIdentity,
        *,
        directory: CustomerDirectory | None = None,
        cashier: str = "",
        staff: StaffService | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self.identity = identity
        self.directory = directory  # the backend (None: this register's customers only)
        self._cashier = cashier
        self.staff = staff

    @property
    def cashier(self) -> str:
        """Who is at the register: the signed-in person, or the settings' cashier."""
        return self.staff.cashier_name(self._cashier) if self.staff else self._cashier

    @property
    def _where(self) -> str:
        return f"{self.identity.store_code}/{self.identity.register_code}"

    # --- finding ---------------------------------------------------------------------------
    def search(self, text: str, limit: int = 50) -> list[CustomerData]:
        """This register's customers named by ``text`` (phone, email, card, name or NIF)."""
        with self._uow_factory.reader() as uow:
            return uow.customers.search(text, limit)

    def get(self, customer_id: str) -> CustomerData:
        """A customer this register keeps. Raises ``CustomerNotFound``."""
        with self._uow_factory.reader() as uow:
            found = uow.customers.get(customer_id)
        if found is None:
            raise CustomerNotFound(customer_id)
        return found

    def search_online(self, text: str) -> list[CustomerData]:
        """I/O pool: the backend's customers named by ``text`` (every store), with this
        register's unpushed edits on top. Raises ``CustomersOffline`` when it cannot be asked.
        Fewer than two characters ask nothing (the backend needs two).
        """
        if len(text.strip()) < MIN_ONLINE_QUERY:
            return []
        if self.directory is None:
            raise CustomersOffline("no backend")
        try:
            found = self.directory.customers(text).customers
        except SyncError as exc:
            log.info("customer search online failed: %s", exc)
            raise CustomersOffline(str(exc)) from exc
        return [self._with_local_edits(customer) for customer in found]

    def fetch(self, customer_id: str) -> CustomerData:
        """I/O pool: the customer as the backend holds them now (the store keeps them there).
        Raises ``CustomerNotFound`` (unknown or erased) or ``CustomersOffline``."""
        if self.directory is None:
            raise CustomersOffline("no backend")
        try:
            found = self.directory.customer(customer_id)
        except SyncError as exc:
            if exc.kind is SyncErrorKind.REJECTED and exc.code == "not_found":
                raise CustomerNotFound(customer_id) from exc
            raise CustomersOffline(str(exc)) from exc
        return self._with_local_edits(found)

    def _with_local_edits(self, customer: CustomerData) -> CustomerData:
        with self._uow_factory.reader() as uow:
            edits = uow.customers.pending_edits(customer.customer_id)
        for edit in edits:
            customer = apply_fields(customer, edit.fields, edit.changed_at)
        return customer

    def remember(self, customer: CustomerData) -> CustomerData:
        """Database worker: keep a customer found online here, used now (found offline next
        time, even at another store)."""
        now = self._clock.now()
        with self._uow_factory() as uow:
            for edit in uow.customers.pending_edits(customer.customer_id):
                customer = apply_fields(customer, edit.fields, edit.changed_at)
            uow.customers.save(customer, used_at=now)
            uow.commit()
        return customer

    # --- creating and editing --------------------------------------------------------------
    def create(self, data: CustomerInput) -> CustomerSaved:
        """A new customer, kept here and pushed as ``customer.upserted`` (``created``), in one
        transaction; works offline. Raises ``CustomerInvalid`` or ``ConsentRequired``."""
        clean = clean_input(data)
        if not clean.privacy_consent:
            raise ConsentRequired()
        now = self._clock.now()
        fields = CustomerFields(
            name=clean.name,
            phone=clean.phone or None,
            email=clean.email or None,
            loyalty_card=clean.loyalty_card or None,
            tax_id=clean.tax_id or None,
            privacy_consent=True,
            marketing_consent=clean.marketing_consent,
            consent_at=now,
            consent_where=self._where,
        )
        customer = CustomerData(
            customer_id=new_id(),
            name=clean.name,
            phone=clean.phone,
            email=clean.email,
            loyalty_card=clean.loyalty_card,
            tax_id=clean.tax_id,
            privacy_consent=True,
            marketing_consent=clean.marketing_consent,
            consent_at=now,
            consent_where=self._where,
            created_at=now,
            updated_at=now,
            created_where=self._where,
        )
        with self._uow_factory() as uow:
            similar = self._similar(uow, customer)
            uow.customers.save(customer, used_at=now)
            event_id = self._push(uow, customer.customer_id, fields, now, created=True)
            uow.commit()
        log.info("customer %s created", customer.customer_id)
        changed = tuple(k for k, v in fields.model_dump(exclude_none=True).items() if v != "")
        return CustomerSaved(customer, True, changed, event_id, similar)

    def edit(self, customer_id: str, data: CustomerInput) -> CustomerSaved:
        """Change a customer this register keeps: only the fields that differ are written and
        pushed (none: nothing is written). Raises ``CustomerNotFound``, ``CustomerInvalid``, or
        ``ConsentRequired`` when the privacy consent is taken away (erasing a customer is done
        at the backend, for every channel)."""
        clean = clean_input(data)
        if not clean.privacy_consent:
            raise ConsentRequired()
        now = self._clock.now()
        with self._uow_factory() as uow:
            stored = uow.customers.get(customer_id)
            if stored is None:
                raise CustomerNotFound(customer_id)
            changes: dict[str, object] = {}
            for name in (*_TEXT_FIELDS, *_CONSENT_FIELDS):
                value = getattr(clean, name)
                if value != getattr(stored, name):
                    changes[name] = value
            if not changes:
                return CustomerSaved(stored, False, (), None)
            if any(name in changes for name in _CONSENT_FIELDS):
                changes["consent_at"] = now
                changes["consent_where"] = self._where
            fields = CustomerFields.model_validate(changes)
            customer = apply_fields(stored, fields, now)
            similar = self._similar(uow, customer)
            uow.customers.save(customer, used_at=now)
            event_id = self._push(uow, customer_id, fields, now, created=False)
            uow.commit()
        log.info("customer %s edited: %s", customer_id, ", ".join(changes))
        return CustomerSaved(customer, False, tuple(changes), event_id, similar)

    def _push(
        self,
        uow: UnitOfWork,
        customer_id: str,
        fields: CustomerFields,
        now: datetime,
        *,
        created: bool,
    ) -> str:
        payload = CustomerUpsertedPayload(
            customer_id=customer_id,
            store_code=self.identity.store_code,
            register_code=self.identity.register_code,
            cashier=self.cashier,
            changed_at=now,
            created=created,
            fields=fields,
        )
        return uow.outbox.add(
            CUSTOMER_UPSERTED, payload.model_dump(mode="json", exclude_none=True), occurred_at=now
        )

    @staticmethod
    def _similar(uow: UnitOfWork, customer: CustomerData) -> tuple[CustomerData, ...]:
        found: dict[str, CustomerData] = {}
        for key in (customer.phone, customer.email):
            if key:
                for other in uow.customers.search(key, 5):
                    same_phone = customer.phone and other.phone == customer.phone
                    same_email = customer.email and (
                        other.email.casefold() == customer.email.casefold()
                    )
                    if other.customer_id != customer.customer_id and (same_phone or same_email):
                        found[other.customer_id] = other
        return tuple(found.values())

    # --- history ---------------------------------------------------------------------------
    def history(self, customer_id: str) -> CustomerHistoryView:
        """I/O pool: the customer's history in every channel (the backend's); offline, or when
        the backend fails, this register's own records (``partial``); also for a customer the
        backend does not know yet (created here, not pushed). Raises ``CustomerNotFound`` when
        neither the backend nor this register knows them."""
        if self.directory is not None:
            try:
                found = self.directory.customer_history(customer_id)
            except SyncError as exc:
                log.info("customer history online failed: %s", exc)
            else:
                customer = self._with_local_edits(found.customer)
                return CustomerHistoryView(customer, tuple(found.entries), False)
        with self._uow_factory.reader() as uow:
            stored = uow.customers.get(customer_id)
            entries = uow.customers.local_history(customer_id)
        if stored is None:
            raise CustomerNotFound(customer_id)
        return CustomerHistoryView(stored, tuple(entries), True)

    # --- keeping only what is needed -------------------------------------------------------
    def forget_unused(self, days: int = KEEP_DAYS) -> int:
        """Database worker: drop the customers not used here for ``days`` (none with an edit
        still to push, nor in a parked sale); returns how many."""
        before = self._clock.now() - timedelta(days=days)
        with self._uow_factory() as uow:
            gone = uow.customers.forget_unused(before)
            uow.commit()
        if gone:
            log.info("%d customer(s) not used for %d days forgotten", gone, days)
        return gone
