"""Errors of the service layer (the domain's ``PosError`` tree is re-used for expected errors).

PosError (pos_app.domain.errors)
 +-- ServiceError
      +-- NotConfigured      the register has no store identity or tax rates yet
      +-- TaxRateMissing     a product's tax class has no rate in force today
"""

from __future__ import annotations

from pos_app.domain.errors import PosError


class ServiceError(PosError):
    pass


class NotConfigured(ServiceError):
    def __init__(self, what: str) -> None:
        super().__init__(f"the register is not configured: {what}")
        self.what = what


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
