"""Full invoices at the counter (F1) and the limits of simplified ones (tickets, F2).

- A full invoice names its recipient: a Spanish tax id (NIF of a person, NIE, or CIF of a
  business; python-stdnum checks it), a name and an address.
- A ticket only up to ``InvoiceLimits.simplified_max_cents`` (3.000 € in retail: RD 1619/2012
  art. 4; 400 € otherwise): above it, a full invoice is required.
- Cash of ``business_cash_max_cents`` (1.000 €) or more is refused when the buyer is a business
  (Ley 11/2021; a CIF).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from stdnum.es import cif, nif
from stdnum.exceptions import ValidationError as StdnumValidationError

from pos_app.services.errors import (
    BusinessCashLimitExceeded,
    FullInvoiceRequired,
    InvoiceRecipientInvalid,
)


@dataclass(frozen=True, slots=True)
class InvoiceRecipient:
    tax_id: str  # compact and checked: "B58818501", "12345678Z", "X1234567L"
    name: str
    address: tuple[str, ...]

    @property
    def is_business(self) -> bool:
        """A company or other legal entity (a CIF), not a person (DNI or NIE)."""
        return cif.is_valid(self.tax_id)


@dataclass(frozen=True, slots=True)
class InvoiceLimits:
    simplified_max_cents: int = 300_000  # 3.000 €: retail; 400 € (40_000) otherwise
    business_cash_max_cents: int = 100_000  # 1.000 €: that much in cash or more is refused


def make_recipient(tax_id: str, name: str, address: Sequence[str]) -> InvoiceRecipient:
    """The recipient of a full invoice, checked: ``InvoiceRecipientInvalid`` names the field
    (tax_id: missing or checksum; name: missing or too_long; address: missing)."""
    text = tax_id.strip()
    if not text:
        raise InvoiceRecipientInvalid("tax_id", "missing")
    try:
        compact = nif.validate(text)
    except StdnumValidationError as exc:
        raise InvoiceRecipientInvalid("tax_id", "checksum") from exc
    clean_name = " ".join(name.split())
    if not clean_name:
        raise InvoiceRecipientInvalid("name", "missing")
    if len(clean_name) > 120:
        raise InvoiceRecipientInvalid("name", "too_long")
    lines = tuple(" ".join(line.split()) for line in address if line.strip())
    if not lines:
        raise InvoiceRecipientInvalid("address", "missing")
    return InvoiceRecipient(compact, clean_name, lines)


def check_invoice_limits(
    limits: InvoiceLimits,
    *,
    total_cents: int,
    cash_cents: int,
    recipient: InvoiceRecipient | None,
) -> None:
    """Before a sale is committed: a ticket above its legal amount needs a full invoice; a
    business pays less than the cash limit in cash."""
    if recipient is None and total_cents > limits.simplified_max_cents:
        raise FullInvoiceRequired(total_cents, limits.simplified_max_cents)
    if (
        recipient is not None
        and recipient.is_business
        and cash_cents >= limits.business_cash_max_cents
    ):
        raise BusinessCashLimitExceeded(cash_cents, limits.business_cash_max_cents)
