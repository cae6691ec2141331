"""The one place where errors become words for the cashier."""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from hardware.errors import (
    DeviceUnavailable,
    HardwareError,
    PrinterError,
    PrinterOutOfPaper,
    ScaleError,
    ScaleUnstable,
)
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
from pos_app.domain.till import InvalidCashCount
from pos_app.services.errors import (
    ApprovalInvalid,
    BusinessCashLimitExceeded,
    CashMovementInvalid,
    ConsentRequired,
    CustomerInvalid,
    CustomerNotFound,
    CustomersOffline,
    DrawerNotAllowed,
    ExchangeInProgress,
    ExchangeRefundRequired,
    FiscalRecordUnreadable,
    FullInvoiceRequired,
    InvoiceRecipientInvalid,
    ManagerApprovalRequired,
    NoPrinter,
    NoScale,
    NotAManager,
    NotConfigured,
    NothingToHandOver,
    NothingToReturn,
    PickingIncomplete,
    PickupCodeMismatch,
    PickupItemComplete,
    PickupNotFound,
    PickupQuantityInvalid,
    PickupSaleInProgress,
    PickupWrongState,
    PinLocked,
    ReceiptRequired,
    RefundExceedsTender,
    RefundReferenceRequired,
    ReturnNotAllowed,
    ReturnNotSaved,
    ReturnOriginalNotFound,
    ReturnQuantityInvalid,
    ReturnReasonRequired,
    ReturnsOffline,
    SaleNotCancellable,
    SaleNotSaved,
    StoreCreditOnly,
    TaxRateMissing,
    TicketNotReplaceable,
    TillAlreadyOpen,
    TillNotOpen,
    UnknownStaff,
    UnsyncedEvents,
    VoucherBalanceExceeded,
    VoucherInactive,
    VoucherNotFound,
    VoucherOffline,
    WrongPickupItem,
    WrongPin,
)
from sync.errors import SyncError

_CUSTOMER_PROBLEMS: dict[str, str] = {
    "name": str(QT_TRANSLATE_NOOP("ErrorMessages", "Escriba el nombre del cliente.")),
    "phone": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages", "El teléfono no es válido: escriba de 6 a 15 cifras (y un + delante)."
        )
    ),
    "email": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages", "El correo electrónico no es válido (por ejemplo: ana@correo.es)."
        )
    ),
    "loyalty_card": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages", "El número de tarjeta de cliente solo lleva letras y cifras."
        )
    ),
    "tax_id": str(
        QT_TRANSLATE_NOOP("ErrorMessages", "El NIF/NIE no es válido: revise las cifras y la letra.")
    ),
}

_NOT_CANCELLABLE: dict[str, str] = {
    "not_found": str(QT_TRANSLATE_NOOP("ErrorMessages", "No se encuentra esa venta en esta caja.")),
    "other_till": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "El ticket {number} es de otra caja o de una caja ya cerrada: solo se anulan "
            "ventas de la caja abierta. Haga una devolución.",
        )
    ),
    "cancelled": str(QT_TRANSLATE_NOOP("ErrorMessages", "El ticket {number} ya está anulado.")),
    "returned": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "El ticket {number} tiene una devolución: no se puede anular. Devuelva el resto.",
        )
    ),
    "pickup": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "El ticket {number} es de un pedido para recoger: no se puede anular. "
            "Haga una devolución.",
        )
    ),
    "tender": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "El ticket {number} se pagó con un vale o con el abono de una devolución: no se "
            "puede anular. Haga una devolución.",
        )
    ),
    "invoiced": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "El ticket {number} ya se sustituyó por una factura: no se puede anular.",
        )
    ),
    "no_reason": str(QT_TRANSLATE_NOOP("ErrorMessages", "Escriba el motivo de la anulación.")),
}

_TILL_NOT_OPEN: dict[str, str] = {
    "sale": str(QT_TRANSLATE_NOOP("ErrorMessages", "Abra la caja antes de vender.")),
    "return": str(
        QT_TRANSLATE_NOOP("ErrorMessages", "Abra la caja antes de hacer una devolución.")
    ),
    "move": str(
        QT_TRANSLATE_NOOP("ErrorMessages", "Abra la caja antes de meter o sacar efectivo.")
    ),
    "close": str(QT_TRANSLATE_NOOP("ErrorMessages", "La caja ya está cerrada.")),
    "cancel": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages", "La caja está cerrada: solo se anulan ventas de la caja abierta."
        )
    ),
    "report": str(QT_TRANSLATE_NOOP("ErrorMessages", "La caja está cerrada: no hay informe X.")),
}

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

# Reasons that call for another action than scanning again: each is the whole message.
_BARCODE_PROBLEMS: dict[str, str] = {
    "gs1_malformed": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "El código «{code}» no se ha leído entero o trae datos que no se entienden. "
            "Escanee otra vez o teclee el código del producto.",
        )
    ),
    "gs1_check_digit": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "El código «{code}» se ha leído mal (el dígito de control del producto no cuadra). "
            "Escanee otra vez o teclee el código del producto.",
        )
    ),
    "gs1_no_gtin": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "El código «{code}» no es de un producto: parece una etiqueta de envío o de palé. "
            "Escanee el código del artículo o búsquelo por nombre (F2).",
        )
    ),
    "gs1_unit": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "La etiqueta «{code}» da el peso en libras u onzas y aquí se vende por kilos. "
            "Pese el artículo en una balanza de la tienda o avise al encargado.",
        )
    ),
    "gs1_currency": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "La etiqueta «{code}» marca el precio en una moneda que no es el euro. "
            "Avise al encargado: hay que etiquetar el artículo de nuevo.",
        )
    ),
    "gs1_price": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "La etiqueta «{code}» marca un precio con fracciones de céntimo. "
            "Avise al encargado: hay que etiquetar el artículo de nuevo.",
        )
    ),
    "not_sold_by_weight": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "La etiqueta «{code}» trae un peso, pero este producto no se vende a peso. "
            "Escanee el código impreso en el envase o avise al encargado.",
        )
    ),
}


# What a manager should do about an event the backend applied with a conflict (or rejected), by
# the backend's code (sync/server/services/push.py, returns.py, customers.py, orders.py): shown
# in the needs-attention list. Click-and-collect's come first.
_CONFLICTS: dict[str, str] = {
    "pickup_cancelled": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "El pedido se canceló en la web después de entregarlo aquí: la entrega se mantiene; "
            "acuerde el dinero con el cliente.",
        )
    ),
    "pickup_expired": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "El pedido ya había caducado en la central cuando se entregó aquí: la entrega se "
            "mantiene; compruebe el cobro y que la mercancía no se devolvió al lineal dos veces.",
        )
    ),
    "pickup_already_collected": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "El pedido ya constaba como entregado (en otra caja o tienda): compruebe que no se "
            "entregó dos veces y, si fue así, contacte con el cliente.",
        )
    ),
    "pickup_invalid_transition": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "La central no admitió este paso del pedido porque su estado ya era otro: revise el "
            "pedido en Recogidas (F1) y, si hace falta, repita el paso o avise a la tienda online.",
        )
    ),
    "pickup_not_found": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "La central no conoce este pedido: avise a IT con el número del pedido.",
        )
    ),
    # Returns.
    "over_refund": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "Se devolvió más de lo que quedaba de la venta o del pedido original: la misma "
            "mercancía se devolvió también en otra caja o tienda y el dinero salió dos veces. "
            "La devolución queda registrada; revise las devoluciones anteriores de ese original "
            "y recupere la diferencia o dela por perdida.",
        )
    ),
    "unknown_original": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "La central no conoce la venta o el pedido que cita la devolución (puede que la caja "
            "de la venta aún no se haya sincronizado, o que el número se tecleara mal). La "
            "devolución queda registrada: compruébelo más tarde y, si el original no aparece, "
            "revise el reembolso.",
        )
    ),
    "policy_violation": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "La devolución no cumple la política de devoluciones de la tienda. El dinero ya "
            "salió y la devolución queda registrada: revise el caso y, si no estaba autorizado, "
            "hable con quien la hizo.",
        )
    ),
    "duplicate_return": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "La central ya había recibido esta devolución (el mismo número) en otro evento: esta "
            "copia no se registró. Compruebe que el cliente no cobró el reembolso dos veces.",
        )
    ),
    # Vouchers (store credit).
    "voucher_overspent": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "Se pagó con un vale más de lo que le quedaba (seguramente se usó en dos cajas a la "
            "vez sin conexión): la venta se mantiene y el saldo del vale queda en negativo. "
            "Recupere la diferencia con el cliente o dela por perdida.",
        )
    ),
    "voucher_unknown": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "Se pagó con un vale que la central no conoce o que está dado de baja: la venta se "
            "mantiene. Compruebe el vale que presentó el cliente (una devolución aún sin "
            "sincronizar, un código mal tecleado) y, si no era válido, recupere el importe.",
        )
    ),
    "voucher_exists": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "La devolución daba un vale con un código que ya tenía otra devolución: la "
            "devolución queda registrada, pero no se creó el saldo. Dé al cliente su saldo de "
            "otra forma (un vale nuevo o el reembolso).",
        )
    ),
    # Customers.
    "customer_erased": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "Se modificó un cliente cuyos datos se borraron a petición suya: la modificación se "
            "descartó. No hay que hacer nada, salvo que el cliente vuelva a pedir el alta.",
        )
    ),
    # Any event.
    "wrong_store": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "La central no aceptó este evento porque es de otra tienda o de otra caja: no se "
            "registró. Avise a IT (¿la caja se dio de alta en otra tienda?).",
        )
    ),
    "invalid_payload": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "La central rechazó los datos de este evento por no ser válidos: no se registró. "
            "Avise a IT con este detalle.",
        )
    ),
    "totals_mismatch": str(
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "Los importes no cuadran con el total (líneas, impuestos o pagos): la central no "
            "registró el evento. Avise a IT con este detalle.",
        )
    ),
}

# Codes whose backend message says what exactly (which rule, which field, whose store): it
# follows the advice.
_DETAILED_CONFLICTS = frozenset(
    {"policy_violation", "wrong_store", "invalid_payload", "totals_mismatch"}
)


def describe_conflict(code: str, message: str | None = None) -> str | None:
    """What a manager should do about an event the backend rejected or applied with a
    conflict, by the backend's code (with its ``message`` after it where that says what
    exactly); None if the code has no advice (the backend's message is all there is)."""
    sentence = _CONFLICTS.get(code)
    if sentence is None:
        if not code.startswith("pickup_"):
            return None
        return QCoreApplication.translate(
            "ErrorMessages",
            "La central señaló un problema con este pedido de recogida: revíselo en "
            "Recogidas (F1) y con la tienda online.",
        )
    advice = QCoreApplication.translate("ErrorMessages", sentence)
    if message and code in _DETAILED_CONFLICTS:
        return QCoreApplication.translate("ErrorMessages", "{advice} Detalle: {detail}").format(
            advice=advice, detail=message
        )
    return advice


def _shown_code(code: str) -> str:
    """The scanned text as the cashier can read it: the GS1 group separator made visible."""
    return code.strip().replace("\x1d", "<GS>")


# ``str(SyncError)``, as the sync worker records it in the status: "kind [code]: message".
_SYNC_ERROR = re.compile(r"^(?P<kind>[a-z]+)(?: \[(?P<code>[^\]]*)\])?: (?P<message>.*)$", re.S)
_REVOKED_ON = re.compile(r"revoked on (?P<date>\d{4}-\d{2}-\d{2}) (?P<time>\d{2}:\d{2}) UTC")


@dataclass(frozen=True, slots=True)
class SyncProblem:
    """A sync refusal that a person must act on: retrying will not help."""

    headline: str  # a few words, for the status bar
    detail: str  # what happened, what it means for the sales, and what to do


def describe_sync_problem(last_error: str | None) -> SyncProblem | None:
    """The refusal behind the sync status's last error, in words; None if it is not one
    (a network or server failure: the register retries by itself)."""
    match = _SYNC_ERROR.match(last_error or "")
    if match is None:
        return None
    kind, code, message = match["kind"], match["code"] or "", match["message"]
    kept = QCoreApplication.translate(
        "ErrorMessages", "Las ventas se siguen guardando en esta caja, pero no se envían."
    )
    if kind == "auth" and code == "revoked":
        revoked = _REVOKED_ON.search(message)
        if revoked is not None:
            year, month, day = revoked["date"].split("-")
            when = QCoreApplication.translate(
                "ErrorMessages", "La central dio de baja esta caja el {date} a las {time} (UTC)."
            ).format(date=f"{day}/{month}/{year}", time=revoked["time"])
        else:
            when = QCoreApplication.translate("ErrorMessages", "La central dio de baja esta caja.")
        return SyncProblem(
            QCoreApplication.translate("ErrorMessages", "⚠ Caja dada de baja en la central"),
            " ".join(
                (
                    when,
                    kept,
                    QCoreApplication.translate(
                        "ErrorMessages",
                        "Pida a IT un código de alta nuevo y dé de alta la caja otra vez "
                        "(mostrador enroll).",
                    ),
                )
            ),
        )
    if kind == "auth":
        return SyncProblem(
            QCoreApplication.translate("ErrorMessages", "⚠ La central no reconoce esta caja"),
            " ".join(
                (
                    QCoreApplication.translate(
                        "ErrorMessages", "La central rechaza la credencial de esta caja."
                    ),
                    kept,
                    QCoreApplication.translate(
                        "ErrorMessages",
                        "Pida a IT un código de alta nuevo y dé de alta la caja otra vez "
                        "(mostrador enroll).",
                    ),
                )
            ),
        )
    if kind == "protocol" and code == "protocol_version":
        return SyncProblem(
            QCoreApplication.translate("ErrorMessages", "⚠ Versión incompatible con la central"),
            " ".join(
                (
                    QCoreApplication.translate(
                        "ErrorMessages",
                        "Esta caja y la central no hablan la misma versión del protocolo.",
                    ),
                    kept,
                    QCoreApplication.translate(
                        "ErrorMessages", "Avise a IT para que actualice la caja o la central."
                    ),
                )
            ),
        )
    return None


def describe_error(exc: BaseException, locale: str = "es_ES") -> str:
    """A short sentence saying what happened and what to do."""
    if isinstance(exc, SyncError):
        problem = describe_sync_problem(str(exc))
        if problem is not None:
            return problem.detail
        return QCoreApplication.translate(
            "ErrorMessages", "No se pudo sincronizar con la central: {error}"
        ).format(error=exc.message)
    if isinstance(exc, InvalidBarcode):
        if exc.reason in _BARCODE_PROBLEMS:
            return QCoreApplication.translate(
                "ErrorMessages", _BARCODE_PROBLEMS[exc.reason]
            ).format(code=_shown_code(exc.code))
        reason = QCoreApplication.translate(
            "ErrorMessages", _BARCODE_REASONS.get(exc.reason, exc.reason)
        )
        return QCoreApplication.translate(
            "ErrorMessages", "Código «{code}» no válido: {reason}. Vuelva a escanear."
        ).format(code=_shown_code(exc.code), reason=reason)
    if isinstance(exc, WrongPickupItem):
        expected = ", ".join(exc.expected)
        if exc.scanned:
            return QCoreApplication.translate(
                "ErrorMessages",
                "«{scanned}» no es de este pedido. Falta por recoger: {expected}.",
            ).format(scanned=exc.scanned, expected=expected)
        return QCoreApplication.translate(
            "ErrorMessages",
            "El código «{code}» no es de ningún artículo de este pedido. Falta por recoger: "
            "{expected}.",
        ).format(code=_shown_code(exc.code), expected=expected)
    if isinstance(exc, PickupItemComplete):
        return QCoreApplication.translate(
            "ErrorMessages",
            "Ya están recogidos los {ordered} de «{name}» que pide el pedido: no añada más.",
        ).format(name=exc.name, ordered=exc.ordered)
    if isinstance(exc, PickupQuantityInvalid):
        return QCoreApplication.translate(
            "ErrorMessages", "Cantidad no válida para «{name}»: entre 0 y {maximum}."
        ).format(name=exc.name, maximum=exc.maximum)
    if isinstance(exc, PickingIncomplete):
        return QCoreApplication.translate(
            "ErrorMessages",
            "Aún falta recoger: {names}. Escanéelos o márquelos como «Falta / incompleto».",
        ).format(names=", ".join(exc.names))
    if isinstance(exc, PickupCodeMismatch):
        return QCoreApplication.translate(
            "ErrorMessages",
            "El código no es el del pedido {number}. Pídalo otra vez al cliente.",
        ).format(number=exc.number)
    if isinstance(exc, NothingToHandOver):
        return QCoreApplication.translate(
            "ErrorMessages", "El pedido {number} no tiene nada que entregar."
        ).format(number=exc.number)
    if isinstance(exc, PickupSaleInProgress):
        return QCoreApplication.translate(
            "ErrorMessages",
            "Es el cobro del pedido {number}: termínelo o anúlelo (F9), no se puede aparcar.",
        ).format(number=exc.number)
    if isinstance(exc, PickupNotFound):
        return QCoreApplication.translate(
            "ErrorMessages",
            "No hay ningún pedido de recogida para «{key}». Compruebe el código, el número o "
            "el teléfono.",
        ).format(key=exc.key)
    if isinstance(exc, PickupWrongState):
        return QCoreApplication.translate(
            "ErrorMessages",
            "El pedido {number} no admite este paso en su estado actual ({status}).",
        ).format(number=exc.number, status=_pickup_status_words(exc.status))
    if isinstance(exc, CustomersOffline):
        return QCoreApplication.translate(
            "ErrorMessages",
            "Sin conexión: solo clientes de esta tienda. Busque de nuevo cuando vuelva la "
            "conexión con la central.",
        )
    if isinstance(exc, CustomerNotFound):
        return QCoreApplication.translate(
            "ErrorMessages",
            "Este cliente ya no existe (puede que se hayan borrado sus datos a petición suya).",
        )
    if isinstance(exc, ConsentRequired):
        return QCoreApplication.translate(
            "ErrorMessages",
            "Sin el consentimiento del cliente a la política de privacidad no se pueden "
            "guardar sus datos. Para borrarlos del todo, pídalo a la central.",
        )
    if isinstance(exc, CustomerInvalid):
        customer_problem = _CUSTOMER_PROBLEMS.get(exc.field)
        if customer_problem is not None:
            return QCoreApplication.translate("ErrorMessages", customer_problem)
        return QCoreApplication.translate(
            "ErrorMessages", "Revise los datos del cliente ({field})."
        ).format(field=exc.field)
    if isinstance(exc, VoucherOffline):
        return QCoreApplication.translate(
            "ErrorMessages",
            "Sin conexión no se puede comprobar este vale ({code}): esta caja no conoce su "
            "saldo. Cobre de otra forma o espere a tener conexión.",
        ).format(code=exc.code)
    if isinstance(exc, TillNotOpen):
        return QCoreApplication.translate(
            "ErrorMessages", _TILL_NOT_OPEN.get(exc.action, _TILL_NOT_OPEN["sale"])
        )
    if isinstance(exc, SaleNotCancellable):
        text = _NOT_CANCELLABLE.get(exc.reason, _NOT_CANCELLABLE["not_found"])
        return QCoreApplication.translate("ErrorMessages", text).format(number=exc.receipt_number)
    if isinstance(exc, TillAlreadyOpen):
        return QCoreApplication.translate(
            "ErrorMessages", "La caja ya está abierta (la abrió {cashier})."
        ).format(cashier=exc.cashier)
    if isinstance(exc, CashMovementInvalid):
        if exc.reason == "exceeds":
            return QCoreApplication.translate(
                "ErrorMessages", "En la caja solo debería haber {available} en efectivo."
            ).format(available=format_money(Money(exc.available_cents), locale))
        if exc.reason == "reason":
            return QCoreApplication.translate("ErrorMessages", "Escriba el motivo.")
        return QCoreApplication.translate("ErrorMessages", "Escriba un importe mayor que cero.")
    if isinstance(exc, InvalidCashCount):
        return QCoreApplication.translate(
            "ErrorMessages",
            "El recuento no es válido: revise las cantidades de billetes y monedas.",
        )
    if isinstance(exc, VoucherNotFound):
        return QCoreApplication.translate(
            "ErrorMessages", "No existe ningún vale con el código «{code}»."
        ).format(code=exc.code)
    if isinstance(exc, VoucherInactive):
        return QCoreApplication.translate(
            "ErrorMessages", "El vale {code} ya no es válido (anulado)."
        ).format(code=exc.code)
    if isinstance(exc, VoucherBalanceExceeded):
        return QCoreApplication.translate(
            "ErrorMessages", "Al vale {code} solo le quedan {balance}."
        ).format(
            code=exc.code,
            balance=format_money(Money(exc.balance_cents), locale),
        )
    if isinstance(exc, ReturnsOffline):
        return QCoreApplication.translate(
            "ErrorMessages",
            "Sin conexión con la central: «{reference}» no es un ticket de esta caja. Sin "
            "conexión no se pueden comprobar los tickets de otras tiendas o cajas ni los "
            "pedidos web: solo se devuelven ventas de esta caja.",
        ).format(reference=exc.reference)
    if isinstance(exc, ReturnOriginalNotFound):
        return QCoreApplication.translate(
            "ErrorMessages",
            "No hay ningún ticket ni pedido web «{reference}». Compruebe el número o escanee "
            "el código de barras del ticket.",
        ).format(reference=exc.reference)
    if isinstance(exc, ReturnQuantityInvalid):
        return QCoreApplication.translate(
            "ErrorMessages", "Cantidad no válida para «{name}»: entre 0 y {maximum}."
        ).format(name=exc.name, maximum=exc.maximum)
    if isinstance(exc, ReturnReasonRequired):
        return QCoreApplication.translate(
            "ErrorMessages", "Indique el motivo de la devolución de «{name}»."
        ).format(name=exc.name)
    if isinstance(exc, NothingToReturn):
        return QCoreApplication.translate(
            "ErrorMessages", "Indique cuántas unidades de cada artículo se devuelven."
        )
    if isinstance(exc, RefundReferenceRequired):
        return QCoreApplication.translate(
            "ErrorMessages",
            "Haga la devolución en el datáfono y escriba la referencia que da el datáfono.",
        )
    if isinstance(exc, RefundExceedsTender):
        kind = (
            QCoreApplication.translate("ErrorMessages", "en efectivo")
            if exc.kind == "cash"
            else QCoreApplication.translate("ErrorMessages", "con tarjeta")
        )
        return QCoreApplication.translate(
            "ErrorMessages",
            "No se pueden devolver {amount} {kind}: de lo pagado {kind} quedan {left}.",
        ).format(
            amount=format_money(Money(exc.refund_cents), locale),
            kind=kind,
            left=format_money(Money(exc.maximum_cents), locale),
        )
    if isinstance(exc, ExchangeInProgress):
        return QCoreApplication.translate(
            "ErrorMessages",
            "Hay un cambio de {reference} en curso: cóbrelo o anúlelo (botón «Anular el "
            "cambio») antes de aparcar o recuperar una venta, o de empezar otro cambio.",
        ).format(reference=exc.reference)
    if isinstance(exc, ExchangeRefundRequired):
        return QCoreApplication.translate(
            "ErrorMessages",
            "El crédito del cambio supera la venta: elija cómo devolver {amount} al cliente.",
        ).format(amount=format_money(Money(exc.cents), locale))
    if isinstance(exc, ReturnNotAllowed):
        if exc.why == ReturnNotAllowed.CATEGORY:
            return QCoreApplication.translate(
                "ErrorMessages",
                "«{name}» no admite devolución: su categoría ({category}) no se devuelve según "
                "la política de devoluciones.",
            ).format(name=exc.name, category=exc.category)
        return QCoreApplication.translate(
            "ErrorMessages",
            "«{name}» ya no se puede devolver: han pasado más de {days} días desde la compra.",
        ).format(name=exc.name, days=exc.days)
    if isinstance(exc, StoreCreditOnly):
        if exc.why == "gift_receipt":
            return QCoreApplication.translate(
                "ErrorMessages",
                "Con ticket regalo solo se devuelve como vale de compra, nunca en dinero.",
            )
        return QCoreApplication.translate(
            "ErrorMessages", "Sin ticket solo se devuelve como vale de compra, nunca en dinero."
        )
    if isinstance(exc, ReceiptRequired):
        return QCoreApplication.translate(
            "ErrorMessages",
            "La política de devoluciones no admite devoluciones sin ticket: pida al cliente el "
            "ticket de compra o el ticket regalo.",
        )
    if isinstance(exc, ReturnNotSaved):
        return QCoreApplication.translate(
            "ErrorMessages",
            "La devolución NO se ha guardado ({reason}). No entregue el dinero: resuelva el "
            "problema y pulse otra vez «Devolver».",
        ).format(reason=exc.reason)
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
    if isinstance(exc, FullInvoiceRequired):
        return QCoreApplication.translate(
            "ErrorMessages",
            "Un ticket solo puede llegar a {limit}: esta venta ({total}) necesita una factura "
            "completa. Pida el NIF, el nombre y el domicilio del cliente.",
        ).format(
            limit=format_money(Money(exc.limit_cents), locale),
            total=format_money(Money(exc.total_cents), locale),
        )
    if isinstance(exc, BusinessCashLimitExceeded):
        return QCoreApplication.translate(
            "ErrorMessages",
            "Una empresa no puede pagar {limit} o más en efectivo (Ley 11/2021): cobre con "
            "tarjeta la parte que falte.",
        ).format(limit=format_money(Money(exc.limit_cents), locale))
    if isinstance(exc, InvoiceRecipientInvalid):
        return {
            "tax_id": QCoreApplication.translate(
                "ErrorMessages",
                "El NIF, NIE o CIF del cliente no es válido: revíselo.",
            ),
            "name": QCoreApplication.translate(
                "ErrorMessages",
                "Falta el nombre o razón social del cliente (o es demasiado largo).",
            ),
            "address": QCoreApplication.translate(
                "ErrorMessages", "Falta el domicilio del cliente: una factura completa lo lleva."
            ),
        }.get(exc.field, str(exc))
    if isinstance(exc, TicketNotReplaceable):
        return _ticket_not_replaceable(exc)
    if isinstance(exc, FiscalRecordUnreadable):
        return QCoreApplication.translate(
            "ErrorMessages",
            "El registro fiscal {n} de esta caja está dañado o se ha modificado a mano: avise "
            "a su responsable (mostrador journal verify).",
        ).format(n=exc.chain_seq)
    if isinstance(exc, DrawerNotAllowed):
        return {
            "disabled": QCoreApplication.translate(
                "ErrorMessages",
                "Abrir el cajón sin venta está desactivado en Dispositivos (⇧F11).",
            ),
            "no_drawer": QCoreApplication.translate(
                "ErrorMessages",
                "No hay cajón configurado: conéctelo a la impresora de tickets y actívelo en "
                "Dispositivos (⇧F11).",
            ),
        }.get(
            exc.why,
            QCoreApplication.translate("ErrorMessages", "Escriba el motivo de la apertura."),
        )
    if isinstance(exc, NoPrinter):
        return QCoreApplication.translate(
            "ErrorMessages", "No hay impresora de tickets configurada (Dispositivos, ⇧F11)."
        )
    if isinstance(exc, NoScale):
        return QCoreApplication.translate(
            "ErrorMessages", "No hay báscula configurada (Dispositivos, ⇧F11)."
        )
    if isinstance(exc, WrongPin):
        if exc.attempts_left == 1:
            return QCoreApplication.translate(
                "ErrorMessages", "PIN incorrecto. Queda 1 intento antes del bloqueo."
            )
        return QCoreApplication.translate(
            "ErrorMessages", "PIN incorrecto. Quedan {n} intentos antes del bloqueo."
        ).format(n=exc.attempts_left)
    if isinstance(exc, PinLocked):
        return QCoreApplication.translate(
            "ErrorMessages",
            "Demasiados PIN incorrectos: acceso bloqueado hasta las {time}. Avise al encargado.",
        ).format(time=exc.until.strftime("%H:%M"))
    if isinstance(exc, NotAManager):
        return QCoreApplication.translate(
            "ErrorMessages", "{name} no es encargado: solo un encargado puede autorizarlo."
        ).format(name=exc.name)
    if isinstance(exc, UnknownStaff):
        return QCoreApplication.translate(
            "ErrorMessages", "Esa persona ya no está activa en esta tienda."
        )
    if isinstance(exc, ManagerApprovalRequired):
        return QCoreApplication.translate(
            "ErrorMessages", "{action}: necesita la autorización de un encargado."
        ).format(action=describe_action(exc.action))
    if isinstance(exc, ApprovalInvalid):
        return QCoreApplication.translate(
            "ErrorMessages", "La autorización no vale para esta acción: pídala de nuevo."
        )
    if isinstance(exc, HardwareError):
        return describe_device_error(exc)
    if isinstance(exc, PosError):
        return str(exc)
    return QCoreApplication.translate("ErrorMessages", "Error inesperado: {error}").format(
        error=str(exc) or type(exc).__name__
    )


def _pickup_status_words(status: str) -> str:
    return {
        "pending": QCoreApplication.translate("ErrorMessages", "nuevo, sin preparar"),
        "picking": QCoreApplication.translate("ErrorMessages", "preparándose"),
        "ready": QCoreApplication.translate("ErrorMessages", "listo"),
        "collected": QCoreApplication.translate("ErrorMessages", "ya entregado"),
        "partially_collected": QCoreApplication.translate("ErrorMessages", "ya entregado en parte"),
        "cancelled": QCoreApplication.translate("ErrorMessages", "cancelado"),
        "expired": QCoreApplication.translate("ErrorMessages", "caducado"),
        "unpaid": QCoreApplication.translate("ErrorMessages", "sin pagar: cóbrelo"),
    }.get(status, status)


def describe_device_error(exc: HardwareError) -> str:
    """What went wrong with a device, and what to do about it."""
    detail = str(exc)
    if isinstance(exc, PrinterOutOfPaper):
        return QCoreApplication.translate(
            "ErrorMessages", "La impresora no tiene papel: cambie el rollo y reimprima ({detail})."
        ).format(detail=detail)
    if isinstance(exc, PrinterError):
        return QCoreApplication.translate(
            "ErrorMessages",
            "La impresora no responde: compruebe que está encendida, con papel y conectada "
            "({detail}).",
        ).format(detail=detail)
    if isinstance(exc, ScaleUnstable):
        return QCoreApplication.translate(
            "ErrorMessages", "El peso aún se mueve: espere a que se estabilice y vuelva a pesar."
        )
    if isinstance(exc, ScaleError):
        return QCoreApplication.translate(
            "ErrorMessages",
            "La báscula no da un peso válido: {detail}. Retire el producto y vuelva a pesar.",
        ).format(detail=detail)
    if isinstance(exc, DeviceUnavailable):
        return QCoreApplication.translate(
            "ErrorMessages",
            "El dispositivo no responde: compruebe el cable y que esté encendido ({detail}).",
        ).format(detail=detail)
    return QCoreApplication.translate("ErrorMessages", "Fallo del dispositivo: {detail}").format(
        detail=detail
    )


_ACTIONS: dict[str, str] = {
    "discount": str(QT_TRANSLATE_NOOP("ErrorMessages", "Descuento")),
    "void": str(QT_TRANSLATE_NOOP("ErrorMessages", "Anular la venta")),
    "drawer": str(QT_TRANSLATE_NOOP("ErrorMessages", "Abrir el cajón sin venta")),
    "refund": str(QT_TRANSLATE_NOOP("ErrorMessages", "Devolución")),
    "refund_without_receipt": str(QT_TRANSLATE_NOOP("ErrorMessages", "Devolución sin ticket")),
    "price_edit": str(QT_TRANSLATE_NOOP("ErrorMessages", "Cambiar el precio")),
    "cancel_sale": str(QT_TRANSLATE_NOOP("ErrorMessages", "Anular una venta cobrada")),
}

_APPROVAL_REASONS: dict[str, str] = {
    "percent_above_limit": str(
        QT_TRANSLATE_NOOP("ErrorMessages", "el porcentaje supera el máximo permitido ({limit} %)")
    ),
    "amount_above_limit": str(
        QT_TRANSLATE_NOOP("ErrorMessages", "el importe supera el máximo permitido ({limit})")
    ),
    "manager_only": str(
        QT_TRANSLATE_NOOP("ErrorMessages", "la política de la tienda la reserva a un encargado")
    ),
}


def describe_action(action: str) -> str:
    """An action that can need a manager, in words."""
    return QCoreApplication.translate("ErrorMessages", _ACTIONS.get(action, action))


def describe_approval_reason(reason: str, limit: str = "") -> str:
    """Why an action needs a manager, in words (``limit`` already formatted)."""
    text = _APPROVAL_REASONS.get(reason)
    if text is None:
        return ""
    return QCoreApplication.translate("ErrorMessages", text).format(limit=limit)


def _ticket_not_replaceable(exc: TicketNotReplaceable) -> str:
    number = exc.receipt_number
    texts = {
        "none": QCoreApplication.translate(
            "ErrorMessages", "Añada al menos un ticket para hacer la factura."
        ),
        "not_found": QCoreApplication.translate(
            "ErrorMessages", "No hay ningún ticket {number} de esta caja: revise el número."
        ),
        "repeated": QCoreApplication.translate(
            "ErrorMessages", "El ticket {number} ya está en la lista."
        ),
        "not_ticket": QCoreApplication.translate(
            "ErrorMessages",
            "El {number} no es un ticket (factura simplificada): ya es una factura completa o "
            "es anterior al registro fiscal.",
        ),
        "cancelled": QCoreApplication.translate(
            "ErrorMessages", "El ticket {number} está anulado: no se puede facturar."
        ),
        "returned": QCoreApplication.translate(
            "ErrorMessages",
            "El ticket {number} tiene una devolución: no se puede sustituir por una factura.",
        ),
        "already_replaced": QCoreApplication.translate(
            "ErrorMessages",
            "El ticket {number} ya se sustituyó por la factura {invoice}: un ticket solo se "
            "factura una vez.",
        ),
    }
    text = texts.get(exc.reason)
    if text is None:
        return str(exc)
    return text.format(number=number, invoice=exc.by)
