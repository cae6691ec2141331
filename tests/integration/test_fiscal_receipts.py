"""Tickets and return receipts carry what a Spanish inspector checks: the issuer's name, tax id
and address, the series and number, the tax breakdown and the tax agency's QR code with its
legend, printed from the fiscal record (offline too: no hash, no network). Read back from the
printed ESC/POS bytes with the decoder."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from support import BREAD, COFFEE, IDENTITY, SOAP

from hardware.escpos_decoder import QrCode, decode
from hardware.printers import MemoryReceiptPrinter, receipt_to_bytes
from pos_app.services.checkout import CheckoutService
from pos_app.services.journal import append_record
from pos_app.services.receipts import ReceiptService, build_receipt
from pos_app.services.returns import RefundRequest, ReturnLineRequest, ReturnsService
from sync.fiscal import QR_BASE_URL, QR_LEGEND

AEAT = "https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR"


@pytest.fixture
def printer() -> MemoryReceiptPrinter:
    return MemoryReceiptPrinter()


@pytest.fixture
def returns(uow_factory, clock, printer) -> ReturnsService:  # type: ignore[no-untyped-def]
    return ReturnsService(uow_factory, clock, IDENTITY, cashier="Ana", printer=printer)


@pytest.fixture
def checkout(uow_factory, clock, returns) -> CheckoutService:  # type: ignore[no-untyped-def]
    return CheckoutService(uow_factory, clock, IDENTITY, cashier="Ana", returns=returns)


@pytest.fixture
def receipts(uow_factory, clock, printer) -> ReceiptService:  # type: ignore[no-untyped-def]
    # A store's own QR template too: the tax agency's QR takes its place.
    return ReceiptService(
        uow_factory, clock, IDENTITY, printer, qr_template="https://tienda.example/t/{number}"
    )


def sell(checkout: CheckoutService, *codes: str):  # type: ignore[no-untyped-def]
    for code in codes:
        checkout.scan(code)
    checkout.add_cash(checkout.view().payment.due)
    return checkout.complete_sale().sale


def test_the_printed_ticket_carries_the_issuer_the_number_the_taxes_and_the_aeat_qr(
    checkout, receipts, printer
):
    sale = sell(checkout, SOAP, COFFEE)  # 12,10 € (IVA 21) + 3,49 € (IVA 10)
    assert receipts.print_receipt(sale.sale_id).ok
    printed = decode(printer.receipts[-1])
    [qr] = printed.events_of(QrCode)
    assert qr.data == (
        f"{AEAT}?nif=B12345678&numserie={sale.receipt_number}&fecha=25-11-2026&importe=15.59"
    )
    text = printed.text
    for expected in (
        "Ultramarinos La Plaza",
        "NIF: B12345678",
        "Calle Mayor 1",
        "28013 Madrid",
        "FACTURA SIMPLIFICADA",
        sale.receipt_number,
        "IVA 21 %",
        "IVA 10 %",
    ):
        assert expected in text, expected
    lines = [line.strip() for line in printed.lines]
    # "QR tributario:" just above the code, the legend and VERI*FACTU just below it.
    assert lines[qr.at_line - 1] == "QR tributario:"
    legend = " ".join(lines[qr.at_line : qr.at_line + 3])
    assert "Factura verificable en la sede" in legend and "VERI*FACTU" in legend
    assert "tienda.example" not in text


def test_the_qr_is_the_records_own_and_is_the_same_on_a_reprint(checkout, receipts, printer):
    sale = sell(checkout, BREAD)
    record = receipts.fiscal_record(sale.sale_id)
    assert record is not None
    receipts.print_receipt(sale.sale_id)
    receipts.print_receipt(sale.sale_id, reprint=True)
    first, again = (decode(b).events_of(QrCode) for b in printer.receipts)
    assert first == again
    query = parse_qs(urlsplit(first[0].data).query)
    assert query == {
        "nif": [record.issuer_tax_id],
        "numserie": [record.series_number],
        "fecha": [record.issue_date],
        "importe": [record.amount_total],
    }


def test_the_return_receipt_carries_the_r5_qr_with_a_negative_amount(checkout, returns, printer):
    sale = sell(checkout, SOAP)
    done = returns.complete_return(
        returns.find_original(sale.receipt_number),
        [ReturnLineRequest(1, Decimal(1), "Talla equivocada")],
        RefundRequest("cash"),
    )
    returns.print_receipt(done.record.return_id)
    printed = decode(printer.receipts[-1])
    [qr] = printed.events_of(QrCode)
    assert qr.data == (
        f"{AEAT}?nif=B12345678&numserie={done.record.return_number}&fecha=25-11-2026&importe=-12.10"
    )
    assert "VERI*FACTU" in printed.text and "QR tributario:" in printed.text


@pytest.mark.parametrize(
    ("series", "encoded"),
    [
        ("A/2026 0001", "A%2F2026%200001"),
        ("Ñandú-Ámbito 7", "%C3%91and%C3%BA-%C3%81mbito%207"),
        ("T01&C01=Z?1", "T01%26C01%3DZ%3F1"),
    ],
)
def test_series_with_slashes_spaces_and_accents_are_url_encoded_in_the_qr(
    uow_factory, clock, checkout, series, encoded
):
    sale = sell(checkout, BREAD)
    with uow_factory() as uow:
        record = append_record(
            uow,
            IDENTITY,
            invoice_type="F2",
            series_number=series,
            tax_cents=12,
            total_cents=132,
            source_kind="sale",
            source_id="another",
            at=clock.now(),
        )
        uow.commit()
    doc = build_receipt(sale, IDENTITY, fiscal=record)
    [qr] = decode(receipt_to_bytes(doc)).events_of(QrCode)
    assert (
        qr.data == f"{QR_BASE_URL}?nif=B12345678&numserie={encoded}&fecha=25-11-2026&importe=1.32"
    )
    assert parse_qs(urlsplit(qr.data).query)["numserie"] == [series]


def test_the_preview_shows_where_the_qr_prints_and_what_it_holds(checkout, receipts):
    sale = sell(checkout, BREAD)
    text = receipts.preview_text(sale.sale_id)
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "[QR]")
    assert lines[at - 1].strip() == "QR tributario:"
    url = "".join(lines[at + 1 : at + 4])
    assert url.startswith(AEAT) and f"numserie={sale.receipt_number}" in url
    assert all(len(line) <= 48 for line in lines)
    assert QR_LEGEND.split()[0] in text and "VERI*FACTU" in text
