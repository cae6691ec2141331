"""Errors of the service layer (the domain's ``PosError`` tree is re-used for expected errors).

PosError (pos_app.domain.errors)
 +-- ServiceError
      +-- NotConfigured      the register has no store identity or tax rates yet
      +-- TaxRateMissing     a product's tax class has no rate in force today
      +-- SaleNotSaved       the sale could not be committed (disk full, database locked)
      +-- UnsyncedEvents     an action needs every event to have reached the backend
      +-- DeviceMissing      the action needs a device that is not configured
      |    +-- NoPrinter
      |    +-- NoScale
      +-- DrawerNotAllowed   opening the drawer by hand is off, impossible or has no reason
      +-- WeightRequired     a product sold by weight was added without a weight
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
