"""Errors of the register's domain.

    PosError
     +-- InvalidBarcode          a scan that is not a valid code (length, characters, check digit),
     |                           unusable GS1 data, or a label that does not fit its product
     +-- UnknownProduct          a valid code that is not in the catalog
     +-- CartError
     |    +-- EmptyCart
     |    +-- CartNotEmpty       resuming a parked sale over a sale in progress
     |    +-- UnknownLine
     |    +-- InvalidQuantity
     |    +-- InvalidDiscount
     +-- PaymentError
     |    +-- InvalidTender      zero/negative amount, card without reference, ...
     |    +-- Overpayment        a card amount above what is due
     |    +-- InsufficientTender the sale is not fully paid
     |    +-- NothingToPay       a tender added when nothing is due
     +-- NotFound                a parked sale, a sale or a receipt that does not exist

Each error carries structured data; the UI turns it into translated text in one place.
"""

from __future__ import annotations

from decimal import Decimal


class PosError(Exception):
    """Base of every expected error of the register."""


class InvalidBarcode(PosError):
    """``reason`` says why, one of those listed in ``pos_app.domain.barcode``; and, from
    checkout, ``not_sold_by_weight``: a weight label on a product not sold by weight."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"invalid barcode {code!r}: {reason}")
        self.code = code
        self.reason = reason


class UnknownProduct(PosError):
    def __init__(self, code: str) -> None:
        super().__init__(f"no product with code {code!r}")
        self.code = code


class CartError(PosError):
    pass


class EmptyCart(CartError):
    def __init__(self) -> None:
        super().__init__("the cart is empty")


class CartNotEmpty(CartError):
    def __init__(self) -> None:
        super().__init__("a sale is in progress")


class UnknownLine(CartError):
    def __init__(self, line_id: str) -> None:
        super().__init__(f"no cart line {line_id!r}")
        self.line_id = line_id


class InvalidQuantity(CartError):
    def __init__(self, quantity: Decimal | str) -> None:
        super().__init__(f"invalid quantity {quantity!s}")
        self.quantity = quantity


class InvalidDiscount(CartError):
    def __init__(self, reason: str) -> None:
        super().__init__(f"invalid discount: {reason}")
        self.reason = reason


class PaymentError(PosError):
    pass


class InvalidTender(PaymentError):
    def __init__(self, reason: str) -> None:
        super().__init__(f"invalid tender: {reason}")
        self.reason = reason


class Overpayment(PaymentError):
    def __init__(self, due_cents: int) -> None:
        super().__init__(f"card amount above the {due_cents} cents due")
        self.due_cents = due_cents


class InsufficientTender(PaymentError):
    def __init__(self, due_cents: int) -> None:
        super().__init__(f"{due_cents} cents still due")
        self.due_cents = due_cents


class NothingToPay(PaymentError):
    def __init__(self) -> None:
        super().__init__("nothing is due")


class NotFound(PosError):
    def __init__(self, what: str, key: str) -> None:
        super().__init__(f"{what} {key!r} not found")
        self.what = what
        self.key = key
