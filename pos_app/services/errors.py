"""Errors of the service layer (the domain's ``PosError`` tree is re-used for expected errors).

PosError (pos_app.domain.errors)
 +-- ServiceError
      +-- NotConfigured      the register has no store identity or tax rates yet
      +-- FiscalRecordUnreadable  a stored fiscal record no longer reads as one (tampered)
      +-- InvoiceError       full invoices and the limits of tickets
           +-- InvoiceRecipientInvalid   a recipient's tax id, name or address refused
           +-- FullInvoiceRequired       a ticket above its legal amount: a full invoice
           +-- BusinessCashLimitExceeded a business paying the cash limit or more in cash
           +-- TicketNotReplaceable      a ticket a full invoice (F3) cannot replace
      +-- TaxRateMissing     a product's tax class has no rate in force today
      +-- SaleNotSaved       the sale could not be committed (disk full, database locked)
      +-- UnsyncedEvents     an action needs every event to have reached the backend
      +-- TakeoverRefused    a register taken over into a database with another journal
      +-- DeviceMissing      the action needs a device that is not configured
      |    +-- NoPrinter
      |    +-- NoScale
      +-- DrawerNotAllowed   opening the drawer by hand is off, impossible or has no reason
      +-- WeightRequired     a product sold by weight was added without a weight
      +-- PickupError        click-and-collect
           +-- PickupNotFound        no order for what was typed or scanned
           +-- PickupWrongState      the action does not fit the order's state (cancelled...)
           +-- WrongPickupItem       a scanned item that is not in the order
           +-- PickupItemComplete    more of an item than was ordered
           +-- PickupQuantityInvalid a found/handed quantity outside 0..what there is
           +-- PickingIncomplete     "ready" while lines are neither picked nor marked short
           +-- PickupCodeMismatch    the customer's code does not match the order
           +-- NothingToHandOver     every line refused or missing
           +-- PickupSaleInProgress  a pickup order's sale cannot be parked
      +-- StaffError         sign-in, permissions and manager overrides
           +-- UnknownStaff              no such person, or no longer active
           +-- WrongPin                  the PIN does not match (counted)
           +-- PinLocked                 too many wrong PINs: locked until a time
           +-- NotAManager               an approval from someone who is not an active manager
           +-- ManagerApprovalRequired   beyond the signed-in person's limits: ask a manager
           +-- ApprovalInvalid           an approval for another action, or already used
      +-- ReturnError        returns (rectifying tickets)
           +-- ReturnOriginalNotFound    no sale or web order for what was typed or scanned
           +-- ReturnsOffline            another store's receipt or a web order, offline
           +-- ReturnQuantityInvalid     a quantity outside 0..what is still returnable
           +-- ReturnReasonRequired      a returned line without its reason
           +-- NothingToReturn           every quantity is zero, or nothing is left
           +-- RefundReferenceRequired   a card refund without the terminal's reference
           +-- RefundExceedsTender       more than the original paid by that kind of tender
           +-- ReturnNotSaved            the return could not be committed
           +-- ReturnNotAllowed          the return policy refuses a line: its category is
           |                             never taken back, or its days are over
           +-- StoreCreditOnly           a gift receipt or no receipt: refunded as a voucher
           +-- ReceiptRequired           the return policy takes nothing back without receipt
           +-- ExchangeInProgress        a sale paid by a return's credit cannot be parked
           +-- ExchangeRefundRequired    the credit is more than the new sale: say how the
                                         difference goes back
      +-- VoucherError       store credit (vouchers)
           +-- VoucherNotFound           no voucher of that code (the backend says, or offline
           |                             and never seen here)
           +-- VoucherOffline            offline, and this register never knew its balance
           +-- VoucherInactive           the backend has cancelled it
           +-- VoucherBalanceExceeded    more than what is left on it
      +-- CustomerError      customers (one customer everywhere)
           +-- CustomerNotFound          no such customer here (or at the backend: erased)
           +-- CustomersOffline          the backend cannot be reached: only this store's
           |                             customers can be found, and no history of others
           +-- CustomerInvalid           a field the register cannot accept (field, reason)
           +-- ConsentRequired           a new customer without privacy consent
      +-- TillError          the till (opening, cash in and out, Z close)
           +-- TillNotOpen               a sale or return, a cash movement or a close with
           |                             no till open (``action``: sale, return, move, close)
           +-- TillAlreadyOpen           opening a till while one is open
           +-- CashMovementInvalid       a cash in/out without amount or reason, or taking
           |                             out more cash than the till should hold
           +-- SaleNotCancellable        a sale that cannot be annulled (``reason``: not_found,
                                         other_till, cancelled, returned, pickup, tender,
                                         no_reason)
(pos_app.domain.till.InvalidCashCount: a count of an unknown denomination or out of range)
"""

from __future__ import annotations

from datetime import datetime

from pos_app.domain.errors import PosError


class ServiceError(PosError):
    pass


class NotConfigured(ServiceError):
    def __init__(self, what: str) -> None:
        super().__init__(f"the register is not configured: {what}")
        self.what = what


class FiscalRecordUnreadable(ServiceError):
    """Record ``chain_seq`` of the fiscal journal is not a valid record any more (its stored
    fields were edited by hand): the journal is broken there."""

    def __init__(self, chain_seq: int, reason: str) -> None:
        super().__init__(f"record {chain_seq}: its stored fields are not valid ({reason})")
        self.chain_seq = chain_seq
        self.reason = reason


class InvoiceError(ServiceError):
    pass


class InvoiceRecipientInvalid(InvoiceError):
    """``field``: tax_id (``reason`` missing or checksum), name (missing, too_long) or
    address (missing)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"invalid invoice recipient: {field} ({reason})")
        self.field = field
        self.reason = reason


class FullInvoiceRequired(InvoiceError):
    def __init__(self, total_cents: int, limit_cents: int) -> None:
        super().__init__(
            f"a simplified invoice only up to {limit_cents} cents: this sale ({total_cents}) "
            "needs a full invoice"
        )
        self.total_cents = total_cents
        self.limit_cents = limit_cents


class BusinessCashLimitExceeded(InvoiceError):
    def __init__(self, cash_cents: int, limit_cents: int) -> None:
        super().__init__(
            f"a business cannot pay {cash_cents} cents in cash (limit: under {limit_cents})"
        )
        self.cash_cents = cash_cents
        self.limit_cents = limit_cents


class TicketNotReplaceable(InvoiceError):
    """A ticket that a replacement invoice (F3) cannot replace. ``reason``: ``none`` (no
    ticket given), ``not_found`` (no sale of this register with that number), ``repeated``
    (given twice), ``not_ticket`` (a full invoice already, or a sale without its fiscal record),
    ``cancelled``, ``returned`` (all or part of it), ``already_replaced`` (``by``: the invoice
    that replaced it)."""

    def __init__(self, receipt_number: str, reason: str, *, by: str = "") -> None:
        detail = f" by {by}" if by else ""
        super().__init__(f"ticket {receipt_number!r} cannot be replaced: {reason}{detail}")
        self.receipt_number = receipt_number
        self.reason = reason
        self.by = by


class TaxRateMissing(ServiceError):
    def __init__(self, tax_class: str) -> None:
        super().__init__(f"no tax rate in force for class {tax_class!r}")
        self.tax_class = tax_class


class SaleNotSaved(ServiceError):
    def __init__(self, reason: str) -> None:
        super().__init__(f"the sale was not saved: {reason}")
        self.reason = reason


class UnsyncedEvents(ServiceError):
    def __init__(self, count: int) -> None:
        super().__init__(f"{count} event(s) have not reached the backend yet")
        self.count = count


class TakeoverRefused(ServiceError):
    """A replacement machine enrolled with a takeover code, but its database already holds a
    fiscal journal that does not end where the backend's does: continuing would fork the
    register's journal. The backend has already handed the register over to this machine."""

    def __init__(self, register_code: str, *, local: int, backend: int) -> None:
        super().__init__(
            f"esta base de datos ya tiene un diario fiscal (hasta el registro {local}) que no "
            f"acaba donde el de la caja {register_code} en la central (registro {backend}): "
            "una caja que sustituye a otra necesita una base de datos nueva. Pida a TI otro "
            f"código de sustitución de la caja {register_code} y úselo con una base de datos "
            "vacía."
        )
        self.register_code = register_code
        self.local = local
        self.backend = backend


class DeviceMissing(ServiceError):
    """The action needs a device that is not configured."""

    device = ""


class NoPrinter(DeviceMissing):
    device = "printer"

    def __init__(self) -> None:
        super().__init__("no receipt printer is configured")


class NoScale(DeviceMissing):
    device = "scale"

    def __init__(self) -> None:
        super().__init__("no scale is configured")


class DrawerNotAllowed(ServiceError):
    """Opening the drawer by hand is switched off, there is no drawer, or no reason was given."""

    def __init__(self, why: str) -> None:
        super().__init__(f"the cash drawer cannot be opened: {why}")
        self.why = why  # "disabled" | "no_drawer" | "reason"


class WeightRequired(ServiceError):
    """A product sold by weight was scanned or picked without a weight: weigh it (the scale,
    or the cashier types the kilograms). The cart is unchanged."""

    def __init__(self, product_id: str, name: str) -> None:
        super().__init__(f"{name} is sold by weight: weigh it")
        self.product_id = product_id
        self.name = name


class PickupError(ServiceError):
    """Click-and-collect: an action on a pickup order that cannot be done as asked."""


class PickupNotFound(PickupError):
    def __init__(self, key: str) -> None:
        super().__init__(f"no pickup order for {key!r}")
        self.key = key


class PickupWrongState(PickupError):
    def __init__(self, number: str, status: str, action: str) -> None:
        super().__init__(f"pickup order {number} is {status}: cannot {action}")
        self.number = number
        self.status = status
        self.action = action  # "pick" | "ready" | "hand_over"


class WrongPickupItem(PickupError):
    def __init__(self, code: str, scanned: str, expected: tuple[str, ...]) -> None:
        super().__init__(f"{scanned or code} is not in the order (expected: {', '.join(expected)})")
        self.code = code
        self.scanned = scanned  # the product's name, or "" when the code is not in the catalog
        self.expected = expected  # names of the lines still to pick


class PickupItemComplete(PickupError):
    def __init__(self, name: str, ordered: str) -> None:
        super().__init__(f"all {ordered} of {name} are already picked")
        self.name = name
        self.ordered = ordered


class PickupQuantityInvalid(PickupError):
    def __init__(self, name: str, quantity: str, maximum: str) -> None:
        super().__init__(f"{quantity} of {name}: must be between 0 and {maximum}")
        self.name = name
        self.quantity = quantity
        self.maximum = maximum


class PickingIncomplete(PickupError):
    def __init__(self, number: str, names: tuple[str, ...]) -> None:
        super().__init__(f"order {number}: still to pick or mark short: {', '.join(names)}")
        self.number = number
        self.names = names


class PickupCodeMismatch(PickupError):
    def __init__(self, number: str) -> None:
        super().__init__(f"the code does not match order {number}")
        self.number = number


class NothingToHandOver(PickupError):
    def __init__(self, number: str) -> None:
        super().__init__(f"order {number}: nothing to hand over")
        self.number = number


class PickupSaleInProgress(PickupError):
    def __init__(self, number: str) -> None:
        super().__init__(f"the sale of pickup order {number} is in progress")
        self.number = number


class StaffError(ServiceError):
    """Sign-in, permissions and manager overrides."""


class UnknownStaff(StaffError):
    def __init__(self, staff_id: str) -> None:
        super().__init__(f"no active staff member {staff_id!r}")
        self.staff_id = staff_id


class WrongPin(StaffError):
    def __init__(self, staff_id: str, attempts_left: int) -> None:
        super().__init__(f"wrong PIN ({attempts_left} attempt(s) left before the lockout)")
        self.staff_id = staff_id
        self.attempts_left = attempts_left


class PinLocked(StaffError):
    def __init__(self, staff_id: str, until: datetime) -> None:
        super().__init__(f"too many wrong PINs: locked until {until.isoformat()}")
        self.staff_id = staff_id
        self.until = until  # in the store's time zone


class NotAManager(StaffError):
    def __init__(self, staff_id: str, name: str) -> None:
        super().__init__(f"{name} is not a manager and cannot approve")
        self.staff_id = staff_id
        self.name = name


class ManagerApprovalRequired(StaffError):
    """The action is beyond the signed-in person's limits; nothing changed. Retry it with a
    manager's ``Approval``."""

    def __init__(
        self,
        action: str,
        detail: str,
        reason: str = "",
        *,
        cents: int = 0,
        percent: str = "",
    ) -> None:
        super().__init__(f"{action} needs a manager's approval: {detail}")
        self.action = action  # a pos_app.domain.permissions.Action value
        self.detail = detail
        self.reason = reason  # a pos_app.domain.permissions.Reason value
        self.cents = cents  # the amount asked for (a discount's or a refund's), when one
        self.percent = percent  # a discount's percentage asked for, when one


class ApprovalInvalid(StaffError):
    def __init__(self, action: str) -> None:
        super().__init__(f"the approval does not cover {action}, or was already used")
        self.action = action


class ReturnError(ServiceError):
    pass


class ReturnOriginalNotFound(ReturnError):
    def __init__(self, reference: str) -> None:
        super().__init__(f"no sale or web order {reference!r}")
        self.reference = reference


class ReturnsOffline(ReturnError):
    """The backend cannot be reached, and the reference is not a sale of this register: another
    store's (or register's) receipt or a web order cannot be checked without connection."""

    def __init__(self, reference: str) -> None:
        super().__init__(f"{reference!r} is not a sale of this register and the backend is away")
        self.reference = reference


class ReturnQuantityInvalid(ReturnError):
    def __init__(self, name: str, maximum: str) -> None:
        super().__init__(f"quantity of {name!r} must be between 0 and {maximum}")
        self.name = name
        self.maximum = maximum  # decimal text


class ReturnReasonRequired(ReturnError):
    def __init__(self, name: str) -> None:
        super().__init__(f"a returned line needs its reason: {name!r}")
        self.name = name


class NothingToReturn(ReturnError):
    def __init__(self, reference: str) -> None:
        super().__init__(f"nothing to return of {reference!r}")
        self.reference = reference


class RefundReferenceRequired(ReturnError):
    def __init__(self) -> None:
        super().__init__("a card refund needs the card terminal's refund reference")


class RefundExceedsTender(ReturnError):
    def __init__(self, kind: str, refund_cents: int, maximum_cents: int) -> None:
        super().__init__(
            f"a {kind} refund of {refund_cents} cents is more than the {maximum_cents} cents "
            f"left of the original {kind} payment"
        )
        self.kind = kind
        self.refund_cents = refund_cents
        self.maximum_cents = maximum_cents


class ReturnNotSaved(ReturnError):
    def __init__(self, reason: str) -> None:
        super().__init__(f"the return was not saved: {reason}")
        self.reason = reason


class ReturnNotAllowed(ReturnError):
    """The return policy refuses a line. ``why``: ``category`` (never taken back) or
    ``expired`` (more than ``days`` since the sale, or since a web order was collected)."""

    CATEGORY = "category"
    EXPIRED = "expired"

    def __init__(self, name: str, why: str, *, days: int = 0, category: str = "") -> None:
        super().__init__(f"{name!r} cannot be returned: {why} (days {days}, category {category})")
        self.name = name
        self.why = why
        self.days = days
        self.category = category


class StoreCreditOnly(ReturnError):
    """A return with a gift receipt (``gift``) or without a receipt (``no_receipt``) is
    refunded as store credit only, never as ``kind``."""

    def __init__(self, kind: str, why: str) -> None:
        super().__init__(f"a return with {why} refunds as store credit only, not {kind}")
        self.kind = kind
        self.why = why


class ReceiptRequired(ReturnError):
    def __init__(self) -> None:
        super().__init__("the return policy takes nothing back without its receipt")


class ExchangeInProgress(ReturnError):
    def __init__(self, reference: str) -> None:
        super().__init__(f"the sale in progress is an exchange of {reference!r}")
        self.reference = reference


class ExchangeRefundRequired(ReturnError):
    def __init__(self, cents: int, kinds: tuple[str, ...]) -> None:
        super().__init__(f"{cents} cents of the exchange credit to refund: by {'/'.join(kinds)}?")
        self.cents = cents
        self.kinds = kinds


class VoucherError(ServiceError):
    pass


class VoucherNotFound(VoucherError):
    def __init__(self, code: str) -> None:
        super().__init__(f"no voucher {code!r}")
        self.code = code


class VoucherOffline(VoucherError):
    """The backend cannot be reached and this register never knew the voucher's balance."""

    def __init__(self, code: str) -> None:
        super().__init__(f"voucher {code!r} cannot be checked offline")
        self.code = code


class VoucherInactive(VoucherError):
    def __init__(self, code: str) -> None:
        super().__init__(f"voucher {code!r} is no longer valid")
        self.code = code


class VoucherBalanceExceeded(VoucherError):
    def __init__(self, code: str, balance_cents: int) -> None:
        super().__init__(f"voucher {code!r} has only {balance_cents} cents left")
        self.code = code
        self.balance_cents = balance_cents


class CustomerError(ServiceError):
    pass


class CustomerNotFound(CustomerError):
    def __init__(self, customer_id: str) -> None:
        super().__init__(f"no customer {customer_id!r}")
        self.customer_id = customer_id


class CustomersOffline(CustomerError):
    """The backend cannot be reached: only the customers this register keeps can be found."""

    def __init__(self, reason: str = "") -> None:
        super().__init__(f"customers cannot be looked up online: {reason or 'offline'}")
        self.reason = reason


class CustomerInvalid(CustomerError):
    """``field``: name, phone, email, loyalty_card, tax_id; ``reason``: required, too_long,
    syntax, digits, checksum."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"customer field {field}: {reason}")
        self.field = field
        self.reason = reason


class ConsentRequired(CustomerError):
    def __init__(self) -> None:
        super().__init__("a customer is kept only with their privacy consent")


class TillError(ServiceError):
    pass


class TillNotOpen(TillError):
    """``action``: sale, return, move (cash in/out), close, report."""

    def __init__(self, action: str) -> None:
        super().__init__(f"no till is open ({action})")
        self.action = action


class TillAlreadyOpen(TillError):
    def __init__(self, till_id: str, cashier: str) -> None:
        super().__init__(f"a till is open already: {till_id} by {cashier}")
        self.till_id = till_id
        self.cashier = cashier


class CashMovementInvalid(TillError):
    """``reason``: amount (not above zero), reason (none given), exceeds (more than the till
    should hold: ``available_cents``)."""

    def __init__(self, reason: str, available_cents: int = 0) -> None:
        super().__init__(f"invalid cash movement: {reason}")
        self.reason = reason
        self.available_cents = available_cents


class SaleNotCancellable(TillError):
    """A completed sale that cannot be annulled. ``reason``: ``not_found``, ``other_till``
    (not of the open till session), ``cancelled`` (already), ``returned`` (a return names
    it), ``pickup`` (it paid a pickup order), ``tender`` (paid by voucher or a return's
    credit: a return undoes it instead), ``no_reason`` (no reason given)."""

    def __init__(self, reason: str, receipt_number: str = "") -> None:
        super().__init__(f"sale {receipt_number or '?'} cannot be cancelled: {reason}")
        self.reason = reason
        self.receipt_number = receipt_number
