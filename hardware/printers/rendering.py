"""Lay a :class:`ReceiptDocument` out in fixed columns and drive a python-escpos printer.

Code page facts (python-escpos 3.1):

* ``ESC @`` (initialise) resets the printer to its power-on code page, CP437 on most models,
  which has no euro sign. The code page must be selected *after* the init command.
* python-escpos remembers the code page it last selected (``printer.magic.encoding``) and only
  sends ``ESC t n`` when that changes. After ``hw("INIT")`` it still believes the old page is
  active, so a second receipt on the same printer object would print the euro sign as CP437
  garbage: :func:`render_receipt` forgets that state before calling ``charcode("CP858")``,
  which then emits ``ESC t 19`` (``1B 74 13``).
* With ``charcode`` forced, escpos encodes every character into that page and prints ``?``
  for anything outside it; the text is normalised first (see :mod:`hardware.printers.text`)
  so that dashes, quotes and ellipses print as their ASCII equivalents.
* ``Escpos.barcode()`` writes "Using hardware barcode renderer" to stdout with ``print``, and
  ``Escpos.image()`` complains the same way that the default profile has no paper width; both
  messages are captured and logged at debug level instead.
* The logo is sent with ``Escpos.image(impl="bitImageRaster")`` (``GS v 0``), the raster
  command every ESC/POS printer since the TM-T88II knows. It is prepared by
  :mod:`hardware.printers.logo` (scaled to the paper, centred by padding) because escpos's own
  ``center=True`` needs a printer profile that states its width in dots.
"""

from __future__ import annotations

import contextlib
import io
import logging
import textwrap
from typing import TYPE_CHECKING, Any, Protocol

from hardware.errors import PrinterError
from hardware.printers.escpos_setup import ensure_escpos_ready
from hardware.printers.text import ascii_for_barcode, normalize_for_cp858
from hardware.receipt import ReceiptDocument, ReceiptLine, ReceiptTaxRow

if TYPE_CHECKING:
    from PIL.Image import Image as PilImage

__all__ = [
    "DOTS_PER_COLUMN",
    "MIN_WIDTH",
    "EscposPrinter",
    "layout_tax_table",
    "render_receipt",
    "receipt_to_bytes",
]

logger = logging.getLogger(__name__)

CODE_PAGE = "CP858"
MIN_WIDTH = 24
# Font A is 12 dots wide: 48 columns on 80 mm paper (576 dots), 32 on 58 mm (384 dots).
DOTS_PER_COLUMN = 12
_BARCODE_MODULE_DOTS = 2  # narrowest module python-escpos accepts (GS w 2..6)
_BARCODE_HEIGHT_DOTS = 64
_QR_MAX_BYTES = 2000  # well inside every printer's symbol buffer
_QR_EC_LEVEL_M = 1  # escpos.constants.QR_ECLEVEL_M
_INDENT_QUANTITY = "  "
_INDENT_NOTE = "    "


class EscposPrinter(Protocol):
    """The part of ``escpos.escpos.Escpos`` used here (any python-escpos printer fits)."""

    magic: Any

    def hw(self, hw: str) -> None: ...

    def charcode(self, code: str = ...) -> None: ...

    def set(self, *args: Any, **kwargs: Any) -> None: ...

    def textln(self, txt: str = ...) -> None: ...

    def barcode(self, *args: Any, **kwargs: Any) -> None: ...

    def qr(self, *args: Any, **kwargs: Any) -> None: ...

    def cut(self, mode: str = ..., feed: bool = ...) -> None: ...

    def image(self, *args: Any, **kwargs: Any) -> None: ...


# --------------------------------------------------------------------------- layout helpers


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Wrap ``text`` to ``width`` columns; never returns an empty list."""
    lines = textwrap.wrap(
        text,
        width,
        initial_indent=indent,
        subsequent_indent=indent,
        break_long_words=True,
        break_on_hyphens=False,
    )
    return lines or [indent.rstrip() or ""]


def _columns(left: str, right: str, width: int, indent: str = "") -> list[str]:
    """``left`` on the left, ``right`` flush right; wraps ``left`` when both do not fit."""
    lines = _wrap(left, width, indent)
    if not right:
        return lines
    last = lines[-1]
    if len(last) + 1 + len(right) <= width:
        lines[-1] = last + " " * (width - len(last) - len(right)) + right
    elif len(right) <= width:
        lines.append(right.rjust(width))
    else:
        lines.extend(_wrap(right, width))
    return lines


def _centered(text: str, width: int) -> list[str]:
    return _wrap(text, width)


def layout_tax_table(
    columns: tuple[str, str, str, str], rows: tuple[ReceiptTaxRow, ...], width: int
) -> list[str]:
    """Lay the tax breakdown out in ``width`` columns (already normalised strings).

    One line per rate when everything fits (label column plus three right-aligned columns);
    else the label on its own line and the three amounts below it across the full width;
    else one "title  amount" line per amount.
    """
    cells = [(row.label, row.base, row.tax, row.total) for row in rows]
    label_width = max(len(columns[0]), *(len(c[0]) for c in cells)) if cells else len(columns[0])
    numeric_widths = [
        max(len(columns[i]), *(len(c[i]) for c in cells)) if cells else len(columns[i])
        for i in (1, 2, 3)
    ]

    column_width = (width - label_width) // 3
    if all(w + 1 <= column_width for w in numeric_widths):

        def one_line(label: str, a: str, b: str, c: str) -> str:
            amounts = "".join(v.rjust(column_width) for v in (a, b, c))
            return (label.ljust(width - 3 * column_width) + amounts).rstrip()

        return [one_line(*columns), *(one_line(*c) for c in cells)]

    column_width = width // 3
    if all(w + 1 <= column_width for w in numeric_widths):

        def amounts(a: str, b: str, c: str) -> str:
            return "".join(v.rjust(column_width) for v in (a, b, c)).rstrip()

        out = [*_wrap(columns[0], width), amounts(*columns[1:])]
        for label, base, tax, total in cells:
            out.extend(_wrap(label, width))
            out.append(amounts(base, tax, total))
        return out

    out = []
    for label, base, tax, total in cells:
        out.extend(_wrap(label, width))
        for title, value in zip(columns[1:], (base, tax, total), strict=True):
            out.extend(_columns(title, value, width, _INDENT_QUANTITY))
    return out


# --------------------------------------------------------------------------- rendering


class _Writer:
    """Sends laid-out lines with explicit styles, so nothing depends on printer state."""

    def __init__(self, printer: EscposPrinter, width: int) -> None:
        self.printer = printer
        self.width = width

    def block(
        self,
        lines: list[str],
        *,
        align: str = "left",
        bold: bool = False,
        double: bool = False,
        invert: bool = False,
    ) -> None:
        styled = bold or double or invert
        if styled:
            self.printer.set(
                align=align,
                bold=bold,
                invert=invert,
                custom_size=True,
                width=2 if double else 1,
                height=2 if double else 1,
            )
        else:
            self.printer.set(align=align)
        for line in lines:
            self.printer.textln(line)
        if styled:
            self.printer.set(bold=False, invert=False, custom_size=True, width=1, height=1)

    def rule(self) -> None:
        self.block(["-" * self.width])

    def blank(self) -> None:
        self.printer.textln("")


def _select_code_page(printer: EscposPrinter) -> None:
    # ESC @ put the printer back on its default page; escpos does not know that and would
    # skip the ESC t it thinks is redundant, so forget its notion of the current page.
    printer.magic.encoding = None
    try:
        printer.charcode(CODE_PAGE)
    except ValueError as exc:  # the printer profile does not list CP858
        raise PrinterError(
            f"The printer profile cannot select code page {CODE_PAGE}: {exc}"
        ) from exc


def _item_lines(line: ReceiptLine, width: int) -> list[str]:
    out = _wrap(normalize_for_cp858(line.description), width)
    quantity = normalize_for_cp858(line.quantity)
    if line.unit_price:  # a gift receipt shows no prices: the quantity alone
        quantity = f"{quantity} x {normalize_for_cp858(line.unit_price)}"
    out.extend(_columns(quantity, normalize_for_cp858(line.amount), width, _INDENT_QUANTITY))
    for note in line.notes:
        out.extend(_wrap(normalize_for_cp858(note), width, _INDENT_NOTE))
    return out


def _pairs(pairs: tuple[tuple[str, str], ...], width: int) -> list[str]:
    out: list[str] = []
    for label, value in pairs:
        out.extend(_columns(normalize_for_cp858(label), normalize_for_cp858(value), width))
    return out


def _barcode_fits(symbols: int, width: int) -> bool:
    # CODE128: 11 modules per symbol plus start and check symbols, 13 for the stop pattern.
    modules = 11 * (symbols + 2) + 13
    return modules * _BARCODE_MODULE_DOTS <= width * DOTS_PER_COLUMN


def _print_barcode(writer: _Writer, number: str) -> None:
    printable = ascii_for_barcode(number)
    fits = (
        printable is not None
        and len(printable) <= 250
        and _barcode_fits(len(printable), writer.width)
    )
    if printable is None or not fits:
        logger.warning(
            "Receipt number %r cannot be printed as a CODE128 barcode %s; printing it as text",
            number,
            "(not ASCII)" if printable is None else f"within {writer.width} columns",
        )
        writer.block(_centered(normalize_for_cp858(number), writer.width), align="center")
        return
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):  # escpos announces its renderer with print()
        writer.printer.barcode(
            "{B" + printable.replace("{", "{{"),
            "CODE128",
            height=_BARCODE_HEIGHT_DOTS,
            width=_BARCODE_MODULE_DOTS,
            pos="BELOW",
            font="A",
            align_ct=True,
            function_type="B",
        )
    if captured.getvalue().strip():
        logger.debug("escpos: %s", captured.getvalue().strip())
    writer.printer.set(align="left")


def _print_qr(writer: _Writer, payload: str) -> None:
    size = len(payload.encode("utf-8"))
    if size > _QR_MAX_BYTES:
        logger.warning("QR payload of %d bytes is too long to print; skipped", size)
        return
    writer.printer.set(align="center")
    writer.printer.qr(payload, ec=_QR_EC_LEVEL_M, size=5 if writer.width >= 42 else 4, native=True)
    writer.printer.set(align="left")


def _print_logo(printer: EscposPrinter, logo: PilImage) -> None:
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):  # escpos complains about the profile with print()
        printer.image(logo, impl="bitImageRaster", center=False)
    if captured.getvalue().strip():
        logger.debug("escpos: %s", captured.getvalue().strip())


def render_receipt(
    printer: EscposPrinter,
    doc: ReceiptDocument,
    *,
    width: int = 48,
    logo: PilImage | None = None,
) -> None:
    """Print ``doc`` on a python-escpos printer laid out in ``width`` columns.

    ``width`` is the number of font-A columns: 48 for 80 mm paper, 32 for 58 mm. Every text
    line sent fits in it (double-size lines in half of it). Sends, in order: ``ESC @``, code
    page CP858, the logo (a raster image, when given: see :mod:`hardware.printers.logo`),
    copy label, header, title, meta, lines, totals, tax table, tenders, change, the receipt
    number as a CODE128 barcode, the QR code, footer, copy label and a cut.
    """
    if width < MIN_WIDTH:
        raise ValueError(f"width must be at least {MIN_WIDTH} columns, got {width}")
    writer = _Writer(printer, width)
    half = width // 2

    printer.hw("INIT")
    _select_code_page(printer)
    if logo is not None:
        _print_logo(printer, logo)

    copy_label = normalize_for_cp858(doc.copy_label) if doc.copy_label else None
    if copy_label:
        writer.block(
            _centered(copy_label, half), align="center", bold=True, double=True, invert=True
        )
        writer.blank()

    if doc.header:
        first, *rest = (normalize_for_cp858(h) for h in doc.header)
        writer.block(_centered(first, half), align="center", bold=True, double=True)
        writer.block([line for h in rest for line in _centered(h, width)], align="center")
    if doc.title:
        writer.blank()
        writer.block(_centered(normalize_for_cp858(doc.title), width), align="center", bold=True)
    if doc.meta:
        writer.block(_pairs(doc.meta, width))

    writer.rule()
    writer.block([text for line in doc.lines for text in _item_lines(line, width)])
    writer.rule()

    for label, value in doc.totals:
        if label == doc.total_label:
            rows = _columns(normalize_for_cp858(label), normalize_for_cp858(value), half)
            writer.block(rows, bold=True, double=True)
        else:
            writer.block(_pairs(((label, value),), width))

    if doc.tax_rows:
        writer.rule()
        columns = (
            normalize_for_cp858(doc.tax_columns[0]),
            normalize_for_cp858(doc.tax_columns[1]),
            normalize_for_cp858(doc.tax_columns[2]),
            normalize_for_cp858(doc.tax_columns[3]),
        )
        tax_rows = tuple(
            ReceiptTaxRow(
                label=normalize_for_cp858(r.label),
                base=normalize_for_cp858(r.base),
                tax=normalize_for_cp858(r.tax),
                total=normalize_for_cp858(r.total),
            )
            for r in doc.tax_rows
        )
        writer.block(layout_tax_table(columns, tax_rows, width))

    if doc.tenders or doc.change:
        writer.rule()
        writer.block(_pairs(doc.tenders, width))
        if doc.change:
            writer.block(_pairs((doc.change,), width), bold=True)

    if doc.barcode:
        writer.blank()
        _print_barcode(writer, doc.barcode)
    if doc.qr:
        writer.blank()
        if doc.qr_caption:
            writer.block(
                [line for c in doc.qr_caption for line in _centered(normalize_for_cp858(c), width)],
                align="center",
                bold=True,
            )
        _print_qr(writer, doc.qr)
        if doc.qr_legend:
            writer.block(
                [line for c in doc.qr_legend for line in _centered(normalize_for_cp858(c), width)],
                align="center",
            )
    if doc.footer:
        writer.blank()
        writer.block(
            [line for f in doc.footer for line in _centered(normalize_for_cp858(f), width)],
            align="center",
        )
    if copy_label:
        writer.blank()
        writer.block(
            _centered(copy_label, half), align="center", bold=True, double=True, invert=True
        )
    printer.cut()


def receipt_to_bytes(
    doc: ReceiptDocument, *, width: int = 48, logo: PilImage | None = None
) -> bytes:
    """Return the ESC/POS bytes of ``doc``, rendered with python-escpos's ``Dummy`` printer."""
    ensure_escpos_ready()
    from escpos.printer import Dummy  # type: ignore[import-untyped]

    printer = Dummy()
    render_receipt(printer, doc, width=width, logo=logo)
    output: bytes = printer.output
    return output
