"""A ReceiptDocument rendered through python-escpos decodes back to the receipt we meant."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest

from hardware.escpos_decoder import (
    Barcode,
    CodePage,
    Cut,
    DecodedReceipt,
    Init,
    QrCode,
    decode,
)
from hardware.printers import receipt_to_bytes, render_receipt
from hardware.printers.escpos_setup import ensure_escpos_ready
from hardware.printers.rendering import layout_tax_table
from hardware.receipt import ReceiptDocument, ReceiptLine, ReceiptTaxRow

NBSP = "\u00a0"  # Babel puts a no-break space between amount and currency symbol
RECEIPT_NUMBER = "T01-C01-2026-000001"


def make_document(**changes: Any) -> ReceiptDocument:
    document = ReceiptDocument(
        header=("Frutería La Peña", "NIF B12345678", "C/ Mayor 1, 28013 Madrid"),
        title="FACTURA SIMPLIFICADA",
        meta=(("Nº", RECEIPT_NUMBER), ("Fecha", "25/11/2026 10:31"), ("Cajero", "Ana")),
        lines=(
            ReceiptLine(
                "Pan de barra", "2", f"1,25{NBSP}€", f"2,50{NBSP}€", ("Descuento -0,50 €",)
            ),
            ReceiptLine("Jamón ibérico de bellota", "0,456 kg", "45,00 €", "20,52 €"),
            ReceiptLine("Piñones", "1", "3,10 €", "3,10 €"),
        ),
        totals=(("Artículos", "4"), ("Descuento", "-0,50 €"), ("TOTAL", "25,62 €")),
        total_label="TOTAL",
        tax_columns=("Tipo", "Base", "Cuota", "Total"),
        tax_rows=(
            ReceiptTaxRow("IVA 10 %", "18,65 €", "1,87 €", "20,52 €"),
            ReceiptTaxRow("IVA 4 %", "4,90 €", "0,20 €", "5,10 €"),
        ),
        tenders=(("Efectivo", "20,00 €"), ("Tarjeta ···1234", "6,00 €")),
        change=("Cambio", "0,38 €"),
        barcode=RECEIPT_NUMBER,
        qr="https://tienda.example/r/T01-C01-2026-000001",
        footer=("¡Gracias por su compra!", "¿Devoluciones? 30 días con ticket."),
    )
    return dataclasses.replace(document, **changes)


def render(document: ReceiptDocument, width: int = 48) -> DecodedReceipt:
    return decode(receipt_to_bytes(document, width=width))


def line_matching(result: DecodedReceipt, pattern: str) -> str:
    matches = [line for line in result.lines if re.fullmatch(pattern, line)]
    assert len(matches) == 1, f"expected one line matching {pattern!r} in:\n{result.text}"
    return matches[0]


def test_header_title_and_meta_are_printed() -> None:
    result = render(make_document())

    for header in ("Frutería La Peña", "NIF B12345678", "C/ Mayor 1, 28013 Madrid"):
        assert header in result.lines
    assert "FACTURA SIMPLIFICADA" in result.lines
    line_matching(result, r"Nº +T01-C01-2026-000001")
    line_matching(result, r"Cajero +Ana")


def test_each_item_has_description_then_quantity_price_and_amount() -> None:
    result = render(make_document())

    for description in ("Pan de barra", "Jamón ibérico de bellota", "Piñones"):
        assert description in result.lines
    pan = result.lines.index("Pan de barra")
    assert re.fullmatch(r"  2 x 1,25 € +2,50 €", result.lines[pan + 1])
    assert result.lines[pan + 2] == "    Descuento -0,50 €"
    line_matching(result, r"  0,456 kg x 45,00 € +20,52 €")


def test_amounts_are_right_aligned_to_the_width() -> None:
    result = render(make_document())

    amount_line = line_matching(result, r"  2 x 1,25 € +2,50 €")
    assert len(amount_line) == 48
    assert len(line_matching(result, r"Efectivo +20,00 €")) == 48


def test_total_is_printed_bold_and_double_size_with_its_amount() -> None:
    data = receipt_to_bytes(make_document())
    result = decode(data)

    total = line_matching(result, r"TOTAL +25,62 €")
    assert len(total) <= 24  # double width: half the columns
    total_bytes = total.encode("cp858")
    before_total = data[: data.index(total_bytes)]
    assert before_total.endswith(b"\x1d!\x11\x1bE\x01\x1ba\x00\x1dB\x00")  # size, bold on


def test_euro_signs_and_spanish_characters_survive() -> None:
    result = render(make_document())

    assert result.text.count("€") >= 15
    for text in ("Peña", "Jamón ibérico", "Artículos", "¡Gracias", "¿Devoluciones?", "días"):
        assert text in result.text
    assert "Tarjeta ···1234" in result.text
    assert NBSP not in result.text


def test_tax_table_has_column_titles_and_rows_in_order() -> None:
    result = render(make_document())

    line_matching(result, r"Tipo +Base +Cuota +Total")
    line_matching(result, r"IVA 10 % +18,65 € +1,87 € +20,52 €")
    line_matching(result, r"IVA 4 % +4,90 € +0,20 € +5,10 €")


def test_tenders_and_change_are_printed() -> None:
    result = render(make_document())

    line_matching(result, r"Efectivo +20,00 €")
    line_matching(result, r"Tarjeta ···1234 +6,00 €")
    line_matching(result, r"Cambio +0,38 €")


def test_cp858_is_selected_right_after_init_and_never_changed() -> None:
    data = receipt_to_bytes(make_document())
    result = decode(data)

    assert data.startswith(b"\x1b@\x1bt\x13")
    assert result.events[:2] == [Init(), CodePage(19, "CP858")]
    assert result.events_of(CodePage) == [CodePage(19, "CP858")]
    assert result.events_of(Init) == [Init()]


def test_second_receipt_on_the_same_printer_object_selects_cp858_again() -> None:
    ensure_escpos_ready()
    from escpos.printer import Dummy  # type: ignore[import-untyped]

    printer = Dummy()
    render_receipt(printer, make_document())
    printer.clear()
    render_receipt(printer, make_document())
    result = decode(printer.output)

    # python-escpos would skip this ESC t: it believes CP858 is still active after ESC @.
    assert result.events[:2] == [Init(), CodePage(19, "CP858")]
    assert "TOTAL" in result.text and "€" in result.text


def test_receipt_number_is_a_code128_barcode_below_the_text() -> None:
    result = render(make_document())

    barcodes = result.events_of(Barcode)
    assert [b.symbology for b in barcodes] == ["CODE128"]
    assert barcodes[0].text == RECEIPT_NUMBER
    total_line = result.lines.index(line_matching(result, r"Cambio +0,38 €"))
    assert barcodes[0].at_line > total_line


def test_qr_code_follows_the_barcode() -> None:
    result = render(make_document())

    assert result.events_of(QrCode) == [QrCode("https://tienda.example/r/T01-C01-2026-000001")]
    kinds = [type(event) for event in result.events]
    assert kinds.index(QrCode) > kinds.index(Barcode)


def test_receipt_ends_with_footer_and_a_cut() -> None:
    result = render(make_document())

    assert result.events[-1] == Cut(partial=False)
    printed = [line for line in result.lines if line]
    assert printed[-2:] == ["¡Gracias por su compra!", "¿Devoluciones? 30 días con ticket."]


def test_optional_parts_are_left_out_when_absent() -> None:
    document = make_document(
        tax_rows=(), tenders=(), change=None, barcode=None, qr=None, footer=(), copy_label=None
    )

    result = render(document)

    assert result.events == [Init(), CodePage(19, "CP858"), Cut(partial=False)]
    assert "Tipo" not in result.text and "Cambio" not in result.text


def test_copy_label_is_printed_at_top_and_bottom() -> None:
    result = render(make_document(copy_label="REIMPRESIÓN"))

    printed = [line for line in result.lines if line]
    assert printed[0] == "REIMPRESIÓN"
    assert printed[-1] == "REIMPRESIÓN"
    assert result.text.count("REIMPRESIÓN") == 2


def test_no_copy_label_without_one() -> None:
    result = render(make_document())

    assert "COPIA" not in result.text and "REIMPRESI" not in result.text
    assert [line for line in result.lines if line][0] == "Frutería La Peña"


def test_typographic_characters_arrive_as_ascii_substitutes() -> None:
    item = ReceiptLine("Jamón “bellota” – 100 g…", "1", "5,00 €", "5,00 €")
    result = render(make_document(lines=(item,)))

    assert 'Jamón "bellota" - 100 g...' in result.lines
    assert "?" not in result.text.replace("¿Devoluciones?", "")


def test_characters_outside_cp858_become_question_marks() -> None:
    item = ReceiptLine("Piña 🍍 Łódź", "1", "2,10 €", "2,10 €")
    result = render(make_document(lines=(item,)))

    assert "Piña ? Lódz" in result.lines  # ó is in CP858, ź and Ł are not


def test_control_characters_in_data_cannot_inject_commands() -> None:
    item = ReceiptLine("Evil\x1bd\x05\x1dV\x00name", "1", "1,00 €", "1,00 €")
    result = render(make_document(lines=(item,)))

    assert "EvildVname" in result.lines
    assert result.events_of(Cut) == [Cut(partial=False)]


@pytest.mark.parametrize("width", [32, 42, 48])
def test_no_line_exceeds_the_width(width: int) -> None:
    long_item = ReceiptLine(
        "Aceite de oliva virgen extra de la Sierra de Segura, garrafa de cinco litros",
        "12",
        "1.234,56 €",
        "14.814,72 €",
        ("Oferta especial de temporada: segunda unidad al cincuenta por ciento",),
    )
    document = make_document(
        lines=(long_item,),
        header=("Supermercados Hermanos Fernández de la Torre", "NIF B12345678"),
        copy_label="COPIA",
    )

    result = render(document, width=width)

    assert max(len(line) for line in result.lines) <= width
    assert len(line_matching(result, r"TOTAL +25,62 €")) <= width // 2
    assert all(len(line) <= width // 2 for line in result.lines if line == "COPIA")
    words = " ".join(result.lines).split()
    for word in ("Aceite", "Segura,", "garrafa", "litros", "14.814,72", "cincuenta"):
        assert word in words


def test_narrow_receipt_keeps_every_tax_amount() -> None:
    rows = (ReceiptTaxRow("IVA 21 %", "1.234,56 €", "259,26 €", "1.493,82 €"),)
    result = render(make_document(tax_rows=rows), width=32)

    assert max(len(line) for line in result.lines) <= 32
    for amount in ("1.234,56 €", "259,26 €", "1.493,82 €"):
        assert amount in result.text


def test_barcode_too_wide_for_58mm_paper_is_printed_as_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    result = render(make_document(), width=32)

    assert result.events_of(Barcode) == []
    assert result.lines.count(RECEIPT_NUMBER) == 1
    assert "cannot be printed as a CODE128 barcode" in caplog.text


def test_short_receipt_number_is_a_barcode_on_58mm_paper() -> None:
    result = render(make_document(barcode="C01-000042"), width=32)

    assert [b.text for b in result.events_of(Barcode)] == ["C01-000042"]


def test_width_below_the_minimum_is_rejected() -> None:
    with pytest.raises(ValueError, match="at least 24"):
        receipt_to_bytes(make_document(), width=20)


TAX_COLUMNS = ("Tipo", "Base", "Cuota", "Total")


def test_tax_table_has_one_line_per_rate_when_it_fits() -> None:
    rows = (ReceiptTaxRow("IVA 21 %", "8,26 €", "1,74 €", "10,00 €"),)

    assert layout_tax_table(TAX_COLUMNS, rows, 32) == [
        "Tipo        Base   Cuota   Total",
        "IVA 21 %  8,26 €  1,74 € 10,00 €",
    ]


def test_tax_table_puts_a_long_label_above_its_amounts() -> None:
    rows = (ReceiptTaxRow("IVA 21 % + RE 5,2 %", "18,65 €", "4,89 €", "23,54 €"),)

    assert layout_tax_table(TAX_COLUMNS, rows, 32) == [
        "Tipo",
        "      Base     Cuota     Total",
        "IVA 21 % + RE 5,2 %",
        "   18,65 €    4,89 €   23,54 €",
    ]


def test_tax_table_stacks_amounts_too_wide_for_three_columns() -> None:
    rows = (ReceiptTaxRow("IVA 21 %", "1.234,56 €", "259,26 €", "1.493,82 €"),)

    assert layout_tax_table(TAX_COLUMNS, rows, 24) == [
        "IVA 21 %",
        "  Base        1.234,56 €",
        "  Cuota         259,26 €",
        "  Total       1.493,82 €",
    ]
