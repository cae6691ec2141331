"""Printing a receipt from the UI: read on the database worker, print on the I/O pool, log the
attempt on the database worker again (SQLite keeps one writer)."""

from __future__ import annotations

from collections.abc import Callable

from pos_app.services.receipts import PrintJob, ReceiptPrinted, ReceiptService
from pos_app.services.returns import ReturnPrintJob, ReturnsService
from pos_app.ui.task_runner import ErrorCallback, Runner


def print_receipt(
    runner: Runner,
    receipts: ReceiptService,
    sale_id: str,
    *,
    reprint: bool,
    on_done: Callable[[ReceiptPrinted], None],
    on_error: ErrorCallback,
) -> None:
    def sent(result: ReceiptPrinted) -> None:
        runner.run_db(lambda: receipts.record(result), on_done, on_error)

    def prepared(job: PrintJob) -> None:
        runner.run_io(lambda: receipts.send(job), sent, on_error)

    runner.run_db(lambda: receipts.prepare_print(sale_id, reprint=reprint), prepared, on_error)


def print_gift_receipt(
    runner: Runner,
    receipts: ReceiptService,
    sale_id: str,
    *,
    on_done: Callable[[ReceiptPrinted], None],
    on_error: ErrorCallback,
) -> None:
    """A sale's gift receipt: read on the database worker, printed on the I/O pool (not
    logged as a copy of the sale's receipt: it is another document)."""

    def prepared(job: PrintJob) -> None:
        runner.run_io(lambda: receipts.send(job), on_done, on_error)

    runner.run_db(lambda: receipts.prepare_gift_print(sale_id), prepared, on_error)


def print_return_receipt(
    runner: Runner,
    returns: ReturnsService,
    return_id: str,
    *,
    on_done: Callable[[ReceiptPrinted], None],
    on_error: ErrorCallback,
    reprint: bool = False,
) -> None:
    """The same three steps for a return's receipt (``reprint``: a copy, marked so)."""

    def sent(result: ReceiptPrinted) -> None:
        runner.run_db(lambda: returns.record_print(result), on_done, on_error)

    def prepared(job: ReturnPrintJob) -> None:
        runner.run_io(lambda: returns.send(job), sent, on_error)

    runner.run_db(lambda: returns.prepare_print(return_id, reprint=reprint), prepared, on_error)
