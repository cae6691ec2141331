"""The one place where errors become words for the cashier."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from pos_app.domain.cart import PaymentInProgress
from pos_app.domain.errors import (
    CartNotEmpty,
    EmptyCart,
    InsufficientTender,
    InvalidBarcode,
    InvalidDiscount,
    InvalidQuantity,
    InvalidTender,
    NotFound,
    NothingToPay,
    Overpayment,
    PosError,
    UnknownLine,
    UnknownProduct,
)
from pos_app.domain.money import Money, format_money
from pos_app.services.errors import (
    NotConfigured,
    SaleNotSaved,
    TaxRateMissing,
    UnsyncedEvents,
)

_BARCODE_REASONS: dict[str, str] = {
    "empty": str(QT_TRANSLATE_NOOP("ErrorMessages", "no se leyó nada")),
    "characters": str(QT_TRANSLATE_NOOP("ErrorMessages", "tiene caracteres que no son dígitos")),
    "length": str(QT_TRANSLATE_NOOP("ErrorMessages", "no tiene la longitud de un código EAN/UPC")),
    "check_digit": str(
        QT_TRANSLATE_NOOP("ErrorMessages", "el dígito de control no cuadra (lectura errónea)")
    ),
    "zero_value": str(
        QT_TRANSLATE_NOOP("ErrorMessages", "la etiqueta de peso o precio marca cero")
    ),
}


def describe_error(exc: BaseException, locale: str = "es_ES") -> str:
    """A short sentence saying what happened and what to do."""
    if isinstance(exc, InvalidBarcode):
        reason = QCoreApplication.translate(
            "ErrorMessages", _BARCODE_REASONS.get(exc.reason, exc.reason)
        )
        return QCoreApplication.translate(
            "ErrorMessages", "Código «{code}» no válido: {reason}. Vuelva a escanear."
        ).format(code=exc.code.strip(), reason=reason)
    if isinstance(exc, UnknownProduct):
        return QCoreApplication.translate(
            "ErrorMessages", "El código «{code}» no está en el catálogo. Búsquelo por nombre (F2)."
        ).format(code=exc.code)
    if isinstance(exc, EmptyCart):
        return QCoreApplication.translate("ErrorMessages", "No hay ninguna venta en curso.")
    if isinstance(exc, CartNotEmpty):
        return QCoreApplication.translate(
            "ErrorMessages",
            "Hay una venta en curso: apárquela o termínela antes de recuperar otra.",
        )
    if isinstance(exc, UnknownLine):
        return QCoreApplication.translate("ErrorMessages", "Esa línea ya no está en la venta.")
    if isinstance(exc, InvalidQuantity):
        return QCoreApplication.translate("ErrorMessages", "Cantidad no válida: {q}.").format(
            q=exc.quantity
        )
    if isinstance(exc, InvalidDiscount):
        return QCoreApplication.translate("ErrorMessages", "Descuento no válido.")
    if isinstance(exc, PaymentInProgress):
        return QCoreApplication.translate(
            "ErrorMessages", "Hay un cobro en curso: anule los pagos antes de cambiar la venta."
        )
    if isinstance(exc, Overpayment):
        return QCoreApplication.translate(
            "ErrorMessages", "Con tarjeta no se puede cobrar más de lo pendiente ({due})."
        ).format(due=format_money(Money(exc.due_cents), locale))
    if isinstance(exc, InsufficientTender):
        return QCoreApplication.translate("ErrorMessages", "Faltan {due} por cobrar.").format(
            due=format_money(Money(exc.due_cents), locale)
        )
    if isinstance(exc, NothingToPay):
        return QCoreApplication.translate("ErrorMessages", "No queda nada por cobrar.")
    if isinstance(exc, InvalidTender):
        if exc.reason == "reference required":
            return QCoreApplication.translate(
                "ErrorMessages", "Introduzca la referencia de la operación del datáfono."
            )
        return QCoreApplication.translate("ErrorMessages", "Importe no válido.")
    if isinstance(exc, NotFound):
        return QCoreApplication.translate("ErrorMessages", "No se encontró: {key}.").format(
            key=exc.key
        )
    if isinstance(exc, TaxRateMissing):
        return QCoreApplication.translate(
            "ErrorMessages", "El producto tiene un tipo de impuesto sin tarifa vigente ({tax})."
        ).format(tax=exc.tax_class)
    if isinstance(exc, SaleNotSaved):
        return QCoreApplication.translate(
            "ErrorMessages",
            "La venta NO se ha guardado ({reason}). El carrito y los pagos siguen aquí: "
            "resuelva el problema y pulse otra vez «Completar venta».",
        ).format(reason=exc.reason)
    if isinstance(exc, UnsyncedEvents):
        return QCoreApplication.translate(
            "ErrorMessages",
            "Hay {n} eventos (ventas, anulaciones…) que aún no han llegado a la central: "
            "no se puede borrar esta caja hasta que se sincronicen.",
        ).format(n=exc.count)
    if isinstance(exc, NotConfigured):
        return QCoreApplication.translate(
            "ErrorMessages", "La caja no está configurada: {what}."
        ).format(what=exc.what)
    if isinstance(exc, PosError):
        return str(exc)
    return QCoreApplication.translate("ErrorMessages", "Error inesperado: {error}").format(
        error=str(exc) or type(exc).__name__
    )
