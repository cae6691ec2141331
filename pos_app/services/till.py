"""The till at the register: opening it with a counted float, cash put in and taken out, the X
report (figures now, nothing changed) and the Z close with a blind count.

Offline only: every use case is one transaction on the register's database that writes its
outbox event (``till.opened``, ``till.cash_moved``, ``till.closed``). The Z is computed inside
the same write transaction that closes the session: the database has one writer, so a sale is
either committed before the close (and in its Z) or after it (and refused until a till is
opened again: it is never left out). The Z close is also a "cierre" record of the fiscal
journal, in the same transaction. After the commit, still on the database worker, a copy of the
database is kept in the backup directory (SQLite's online backup), the oldest dropped beyond
``keep``; a failing backup is logged and reported in the result, the Z stays closed.

Cash out needs what opening the drawer by hand needs (``Action.DRAWER``: a manager unless the
store's ``drawer_needs_manager`` limit is off): it is opening the drawer to take money out.

The X and Z reports print on the receipt printer (``report_document``); their text is the
store's language (Spanish), like the receipts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from hardware.receipt import ReceiptDocument, ReceiptTaxRow
from pos_app.domain.ids import new_id
from pos_app.domain.money import Money, format_money
from pos_app.domain.permissions import Action, Approval
from pos_app.domain.till import (
    CashCount,
    CashMovement,
    TillFigures,
    TillSession,
    format_z_number,
    till_figures,
    z_series,
)
from pos_app.services.errors import CashMovementInvalid, TillAlreadyOpen, TillNotOpen
from pos_app.services.journal import record_till_close
from pos_app.services.ports import (
    Clock,
    ReceiptPrinter,
    StoreIdentity,
    UnitOfWork,
    UnitOfWorkFactory,
)
from pos_app.services.staff import StaffService
from sync.protocol import (
    EventType,
    TaxTotal,
    TenderTotal,
    TillCashMovedPayload,
    TillClosedPayload,
    TillOpenedPayload,
)

log = logging.getLogger(__name__)

MAX_REASON = 200
TENDER_NAMES = {
    "cash": "Efectivo",
    "card": "Tarjeta",
    "voucher": "Vale",
    "exchange": "Abono devolución",
}


class DatabaseBackup(Protocol):
    """Copies the register's database aside (storage: SQLite's online backup), keeping the
    newest ``keep`` copies; raises ``OSError`` or ``sqlite3.Error`` when it cannot."""

    def backup(self, label: str) -> str: ...


@dataclass(frozen=True, slots=True)
class TillOpened:
    session: TillSession
    event_id: str


@dataclass(frozen=True, slots=True)
class CashMoved:
    movement: CashMovement
    event_id: str
    audit_id: str | None


@dataclass(frozen=True, slots=True)
class TillReport:
    """An X report (``z_number`` empty) or a Z report, with what the Z counted."""

    session: TillSession
    figures: TillFigures
    at: datetime
    cashier: str
    z_number: str = ""
    counted: CashCount | None = None

    @property
    def is_z(self) -> bool:
        return bool(self.z_number)

    @property
    def difference_cents(self) -> int | None:
        if self.counted is None:
            return None
        return self.counted.total_cents - self.figures.expected_cash_cents


@dataclass(frozen=True, slots=True)
class TillClosed:
    """A Z close: its report, its event and journal record, and the backup made after it
    (``backup_path`` empty and ``backup_error`` set when the copy failed: the Z stands)."""

    report: TillReport
    event_id: str
    journal_record_id: str
    backup_path: str = ""
    backup_error: str = ""


class TillService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        identity: StoreIdentity,
        *,
        cashier: str = "",
        staff: StaffService | None = None,
        backup: DatabaseBackup | None = None,
        locale: str = "es_ES",
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self.identity = identity
        self._cashier = cashier
        self.staff = staff
        self.backup = backup
        self._locale = locale

    @property
    def cashier(self) -> str:
        return self.staff.cashier_name(self._cashier) if self.staff else self._cashier

    @cashier.setter
    def cashier(self, name: str) -> None:
        self._cashier = name

    # --- for the other services, inside their transaction -------------------------------
    @staticmethod
    def require_open(uow: UnitOfWork, action: str) -> str:
        """The open session's id; raises ``TillNotOpen`` (nothing may be written)."""
        session = uow.tills.current()
        if session is None:
            raise TillNotOpen(action)
        return session.till_id

    @staticmethod
    def open_till_id(uow: UnitOfWork) -> str | None:
        session = uow.tills.current()
        return session.till_id if session is not None else None

    # --- reading --------------------------------------------------------------------------
    def current(self) -> TillSession | None:
        """Database (reader): the open session, or None when the till is closed."""
        with self._uow_factory.reader() as uow:
            return uow.tills.current()

    def last_closed(self) -> TillSession | None:
        with self._uow_factory.reader() as uow:
            return uow.tills.last_closed()

    # --- use cases (database worker) ----------------------------------------------------
    def open_till(self, counted: CashCount) -> TillOpened:
        """Open a session with ``counted`` as its float. Raises ``TillAlreadyOpen``."""
        now = self._clock.now()
        with self._uow_factory() as uow:
            current = uow.tills.current()
            if current is not None:
                raise TillAlreadyOpen(current.till_id, current.cashier)
            session = TillSession(new_id(), now, self.cashier, counted)
            uow.tills.open(session)
            payload = TillOpenedPayload(
                till_id=session.till_id,
                store_code=self.identity.store_code,
                register_code=self.identity.register_code,
                cashier=session.cashier,
                opened_at=now,
                float_cents=counted.total_cents,
                counted=counted.to_wire(),
            )
            event_id = uow.outbox.add(
                EventType.TILL_OPENED.value, payload.model_dump(mode="json"), occurred_at=now
            )
            uow.commit()
        log.info("till %s opened with %s cents", session.till_id, counted.total_cents)
        return TillOpened(session, event_id)

    def cash_in(self, amount_cents: int, reason: str) -> CashMoved:
        """Put cash in the drawer (change from the bank...). Raises ``CashMovementInvalid``
        or ``TillNotOpen``."""
        return self._move("in", amount_cents, reason, None)

    def cash_out(
        self, amount_cents: int, reason: str, approval: Approval | None = None
    ) -> CashMoved:
        """Take cash out (to the safe, a supplier paid...): at most what the till should
        hold. Beyond the signed-in person's limits raises ``ManagerApprovalRequired`` without
        a manager's ``approval`` (audited in the same transaction)."""
        return self._move("out", amount_cents, reason, approval)

    def _move(
        self, kind: Literal["in", "out"], cents: int, reason: str, approval: Approval | None
    ) -> CashMoved:
        reason = reason.strip()
        if cents <= 0:
            raise CashMovementInvalid("amount")
        if not reason:
            raise CashMovementInvalid("reason")
        detail = f"cash out of {cents} cents: {reason}"
        used = None
        if kind == "out" and self.staff is not None:
            used = self.staff.authorize(Action.DRAWER, detail=detail, approval=approval)
        now = self._clock.now()
        with self._uow_factory() as uow:
            till_id = self.require_open(uow, "move")
            if kind == "out":
                available = till_figures(uow.tills.facts(till_id)).expected_cash_cents
                if cents > available:
                    raise CashMovementInvalid("exceeds", max(available, 0))
            movement = CashMovement(
                new_id(),
                till_id,
                now,
                kind,
                cents,
                reason[:MAX_REASON],
                self.cashier,
                used.approver_name if used is not None else "",
            )
            uow.tills.add_movement(movement)
            payload = TillCashMovedPayload(
                movement_id=movement.movement_id,
                till_id=till_id,
                register_code=self.identity.register_code,
                at=now,
                kind=kind,
                amount_cents=cents,
                reason=movement.reason,
                cashier=movement.cashier,
                approved_by=movement.approved_by,
            )
            event_id = uow.outbox.add(
                EventType.TILL_CASH_MOVED.value, payload.model_dump(mode="json"), occurred_at=now
            )
            audit_id = None
            if used is not None:
                assert self.staff is not None
                audit_id = self.staff.record_override(
                    uow, used, detail=detail, reference=movement.movement_id
                )
            uow.commit()
        log.info("till %s: cash %s %s cents (%s)", till_id, kind, cents, reason)
        return CashMoved(movement, event_id, audit_id)

    def x_report(self) -> TillReport:
        """Database (reader): the open session's figures now; nothing changes. Raises
        ``TillNotOpen``."""
        now = self._clock.now()
        with self._uow_factory.reader() as uow:
            session = uow.tills.current()
            if session is None:
                raise TillNotOpen("report")
            figures = till_figures(uow.tills.facts(session.till_id))
        return TillReport(session, figures, now, self.cashier)

    def close_z(self, counted: CashCount) -> TillClosed:
        """The Z close. ``counted`` is the cashier's blind count (taken before the expected
        cash is shown). One transaction: the figures, the Z number of the register's series,
        the session closed, the journal's "cierre" record and ``till.closed``. Then the
        backup. Raises ``TillNotOpen``."""
        now = self._clock.now()
        ident = self.identity
        with self._uow_factory() as uow:
            session = uow.tills.current()
            if session is None:
                raise TillNotOpen("close")
            figures = till_figures(uow.tills.facts(session.till_id))
            seq = uow.series.next_number(z_series(ident.store_code, ident.register_code, now.year))
            z_number = format_z_number(ident.store_code, ident.register_code, now.year, seq)
            net_tax = sum(t.tax_cents for t in figures.taxes)
            record = record_till_close(
                uow,
                ident,
                z_number=z_number,
                till_id=session.till_id,
                total_cents=figures.net_total_cents,
                tax_cents=net_tax,
                at=now,
            )
            payload = self._closed_payload(
                session, figures, counted, z_number, now, record.record_id
            )
            uow.tills.close(
                session.till_id,
                closed_at=now,
                closed_by=self.cashier,
                z_number=z_number,
                z_year=now.year,
                z_seq=seq,
                counted=counted,
                expected_cents=figures.expected_cash_cents,
                report=payload,
            )
            event_id = uow.outbox.add(EventType.TILL_CLOSED.value, payload, occurred_at=now)
            closed = uow.tills.get(session.till_id)
            assert closed is not None
            uow.commit()
        log.info(
            "till %s closed: %s, expected %s, counted %s",
            session.till_id,
            z_number,
            figures.expected_cash_cents,
            counted.total_cents,
        )
        report = TillReport(closed, figures, now, self.cashier, z_number, counted)
        path, error = self._backup(z_number)
        return TillClosed(report, event_id, record.record_id, path, error)

    def _backup(self, z_number: str) -> tuple[str, str]:
        if self.backup is None:
            return "", ""
        try:
            return self.backup.backup(z_number), ""
        except Exception as exc:  # the Z is committed: a failed copy must not undo it
            log.exception("backup after %s failed", z_number)
            return "", str(exc) or type(exc).__name__

    def _closed_payload(
        self,
        session: TillSession,
        figures: TillFigures,
        counted: CashCount,
        z_number: str,
        now: datetime,
        record_id: str,
    ) -> dict[str, object]:
        return TillClosedPayload(
            till_id=session.till_id,
            z_number=z_number,
            store_code=self.identity.store_code,
            register_code=self.identity.register_code,
            cashier=self.cashier,
            opened_at=session.opened_at,
            closed_at=now,
            float_cents=figures.float_cents,
            cash_in_cents=figures.cash_in_cents,
            cash_out_cents=figures.cash_out_cents,
            expected_cash_cents=figures.expected_cash_cents,
            counted_cash_cents=counted.total_cents,
            difference_cents=counted.total_cents - figures.expected_cash_cents,
            counted=counted.to_wire(),
            sales_count=figures.sales_count,
            sales_total_cents=figures.sales_total_cents,
            returns_count=figures.returns_count,
            returns_total_cents=figures.returns_total_cents,
            discounts_cents=figures.discounts_cents,
            abandoned_count=figures.abandoned_count,
            abandoned_total_cents=figures.abandoned_total_cents,
            drawer_openings=figures.drawer_openings,
            cancelled_count=figures.cancelled_count,
            cancelled_total_cents=figures.cancelled_total_cents,
            first_number=figures.first_number,
            last_number=figures.last_number,
            tenders=[
                TenderTotal(kind=t.kind, count=t.count, amount_cents=t.amount_cents)
                for t in figures.tenders
            ],
            taxes=[
                TaxTotal(
                    rate=t.rate,
                    base_cents=t.base_cents,
                    tax_cents=t.tax_cents,
                    total_cents=t.total_cents,
                )
                for t in figures.taxes
            ],
            journal_record_id=record_id,
        ).model_dump(mode="json")

    # --- printing -------------------------------------------------------------------------
    def _money(self, cents: int) -> str:
        return format_money(Money(cents, self.identity.currency), self._locale).replace("\xa0", " ")

    def report_document(self, report: TillReport) -> ReceiptDocument:
        """The X or Z report as the receipt printer prints it (Spanish, like the receipts)."""
        ident = self.identity
        f = report.figures
        m = self._money

        def neg(cents: int) -> str:  # what went out, with its sign
            return m(-cents) if cents else m(0)

        meta: list[tuple[str, str]] = []
        if report.is_z:
            meta.append(("Nº", report.z_number))
        meta += [
            ("Apertura", report.session.opened_at.strftime("%d/%m/%Y %H:%M")),
            ("Cierre" if report.is_z else "Fecha", report.at.strftime("%d/%m/%Y %H:%M")),
            ("Cajero", report.cashier or report.session.cashier),
            ("Tickets", f"{f.first_number} - {f.last_number}" if f.first_number else "—"),
        ]
        totals: list[tuple[str, str]] = [
            ("Ventas", f"{f.sales_count}  {m(f.sales_total_cents)}"),
            ("Devoluciones", f"{f.returns_count}  {neg(f.returns_total_cents)}"),
            ("Tickets anulados", f"{f.cancelled_count}  {neg(f.cancelled_total_cents)}"),
            ("Descuentos", m(f.discounts_cents)),
            ("Ventas abandonadas", f"{f.abandoned_count}  {m(f.abandoned_total_cents)}"),
            ("Aperturas sin venta", str(f.drawer_openings)),
            ("TOTAL NETO", m(f.net_total_cents)),
            ("Fondo de caja", m(f.float_cents)),
            ("Efectivo ventas", m(f.cash_sales_cents)),
            ("Efectivo devuelto", neg(f.cash_refunds_cents)),
            ("Efectivo anulaciones", neg(f.cash_cancelled_cents)),
            ("Entradas", m(f.cash_in_cents)),
            ("Salidas", neg(f.cash_out_cents)),
            ("Efectivo esperado", m(f.expected_cash_cents)),
        ]
        if report.counted is not None:
            difference = report.difference_cents or 0
            totals += [
                ("Efectivo contado", m(report.counted.total_cents)),
                ("Diferencia", ("+" if difference > 0 else "") + m(difference)),
            ]
        return ReceiptDocument(
            header=(ident.store_name, f"NIF {ident.tax_id}", f"Caja {ident.register_code}"),
            title="INFORME Z - CIERRE DE CAJA" if report.is_z else "INFORME X",
            meta=tuple(meta),
            lines=(),
            totals=tuple(totals),
            total_label="TOTAL NETO",
            tax_columns=("Tipo", "Base", "Cuota", "Total"),
            tax_rows=tuple(
                ReceiptTaxRow(f"IVA {t.rate} %", m(t.base_cents), m(t.tax_cents), m(t.total_cents))
                for t in f.taxes
            ),
            tenders=tuple(
                (f"{TENDER_NAMES.get(t.kind, t.kind)} ({t.count})", m(t.amount_cents))
                for t in f.tenders
            ),
            change=None,
            barcode=report.z_number or None,
            footer=("Informe X: sin cierre, nada cambia",) if not report.is_z else (),
        )

    def print_report(self, printer: ReceiptPrinter, report: TillReport) -> None:
        """I/O: print the report; raises ``hardware.errors.PrinterError``."""
        printer.print_receipt(self.report_document(report))

    def preview_text(self, report: TillReport, *, width: int = 48) -> str:
        """The report as the printer would print it: rendered to ESC/POS, decoded to text."""
        from hardware.escpos_decoder import decode
        from hardware.printers import receipt_to_bytes

        return decode(receipt_to_bytes(self.report_document(report), width=width)).text
