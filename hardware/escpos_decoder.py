"""Decode ESC/POS byte streams back into printed text lines and device events.

No ESC/POS decoder is published on PyPI; this one exists so tests (and the printer simulator)
can read a receipt the way the printer would print it. It is independent of python-escpos.

* Text is decoded with the code page selected by ``ESC t n`` (CP437 after ``ESC @``, as on
  most printers); styles (bold, underline, sizes, alignment, inversion, fonts) are ignored.
* A line ends at LF, FF, VT, ``ESC d n`` (n lines), ``ESC J`` or a cut. The LF that prints a
  stripe of a column image (``ESC *``) produces no text line; the LF after a barcode, QR code
  or raster image does (the paper shows a blank line there). CR is ignored and HT advances to
  the next multiple of 8 columns. ``ESC @`` discards unprinted text, as the printer does.
* Events: :class:`Init`, :class:`CodePage`, :class:`Barcode` (``GS k``, both forms),
  :class:`QrCode` (``GS ( k`` store then print), :class:`Cut`, :class:`DrawerKick`
  (``ESC p`` and ``DLE DC4 1``), :class:`Image` (``GS v 0``, ``ESC *``, ``GS ( L`` print) and
  :class:`StatusRequest` (``DLE EOT n`` real-time status, ``GS r n`` transmit status: the
  host asked the printer for its state; nothing is printed).
  Each event carries ``at_line``, the number of text lines printed before it.
* Every command python-escpos 3.1 emits is parsed with its parameters. Anything else raises
  :class:`EscposDecodeError` naming the byte offset: a loud failure beats silent garbage.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

__all__ = [
    "CODE_PAGES",
    "Barcode",
    "CodePage",
    "Cut",
    "DecodedReceipt",
    "DrawerKick",
    "EscposDecodeError",
    "Event",
    "Image",
    "Init",
    "QrCode",
    "StatusRequest",
    "decode",
]

ESC = 0x1B
GS = 0x1D
FS = 0x1C
DLE = 0x10
LF = 0x0A

_TAB_SIZE = 8

#: ESC t numbers (Epson numbering) and the Python codec that decodes them.
CODE_PAGES: dict[int, tuple[str, str]] = {
    0: ("CP437", "cp437"),
    2: ("CP850", "cp850"),
    3: ("CP860", "cp860"),
    4: ("CP863", "cp863"),
    5: ("CP865", "cp865"),
    13: ("CP857", "cp857"),
    14: ("CP737", "cp737"),
    15: ("ISO_8859-7", "iso8859_7"),
    16: ("CP1252", "cp1252"),
    17: ("CP866", "cp866"),
    18: ("CP852", "cp852"),
    19: ("CP858", "cp858"),
    33: ("CP775", "cp775"),
    34: ("CP855", "cp855"),
    35: ("CP861", "cp861"),
    36: ("CP862", "cp862"),
    37: ("CP864", "cp864"),
    38: ("CP869", "cp869"),
    39: ("ISO_8859-2", "iso8859_2"),
    40: ("ISO_8859-15", "iso8859_15"),
    45: ("CP1250", "cp1250"),
    46: ("CP1251", "cp1251"),
    47: ("CP1253", "cp1253"),
    48: ("CP1254", "cp1254"),
    49: ("CP1255", "cp1255"),
    50: ("CP1256", "cp1256"),
    51: ("CP1257", "cp1257"),
    52: ("CP1258", "cp1258"),
}
_DEFAULT_CODE_PAGE = 0

_BARCODE_FORM_A: dict[int, str] = {
    0: "UPC-A",
    1: "UPC-E",
    2: "EAN13",
    3: "EAN8",
    4: "CODE39",
    5: "ITF",
    6: "CODABAR",
}
_BARCODE_FORM_B: dict[int, str] = {
    65: "UPC-A",
    66: "UPC-E",
    67: "EAN13",
    68: "EAN8",
    69: "CODE39",
    70: "ITF",
    71: "CODABAR",
    72: "CODE93",
    73: "CODE128",
    74: "GS1-128",
    75: "GS1 DATABAR OMNIDIRECTIONAL",
    76: "GS1 DATABAR TRUNCATED",
    77: "GS1 DATABAR LIMITED",
    78: "GS1 DATABAR EXPANDED",
}

# Commands that take a fixed number of parameter bytes and have no visible effect on text.
_ESC_FIXED: dict[int, int] = {
    ord(" "): 1,  # right-side character spacing
    ord("!"): 1,  # print mode (size, bold, font)
    ord("$"): 2,  # absolute print position
    ord("%"): 1,  # user-defined character set on/off
    ord("-"): 1,  # underline
    ord("2"): 0,  # default line spacing
    ord("3"): 1,  # line spacing n/180 inch
    ord("+"): 1,  # line spacing n/360 inch
    ord("A"): 1,  # line spacing n/60 inch
    ord("="): 1,  # select peripheral device (printer / line display)
    ord("?"): 1,  # cancel user-defined character
    ord("B"): 2,  # buzzer (times, duration)
    ord("E"): 1,  # emphasized (bold)
    ord("G"): 1,  # double-strike
    ord("K"): 1,  # reverse feed (slip eject on some models)
    ord("M"): 1,  # character font
    ord("S"): 0,  # standard mode
    ord("T"): 1,  # print direction in page mode
    ord("U"): 1,  # unidirectional printing
    ord("V"): 1,  # 90 degree rotation
    ord("\\"): 2,  # relative print position
    ord("a"): 1,  # justification
    ord("e"): 1,  # print and reverse feed n lines
    ord("r"): 1,  # print colour
    ord("u"): 1,  # transmit peripheral status
    ord("v"): 0,  # transmit paper sensor status
    ord("{"): 1,  # upside-down printing
    ord("<"): 0,  # return home
}
_GS_FIXED: dict[int, int] = {
    ord("!"): 1,  # character size
    ord("$"): 2,  # absolute vertical position in page mode
    ord("/"): 1,  # print downloaded bit image (handled as an image below)
    ord(":"): 0,  # start/end macro definition
    ord("B"): 1,  # white/black reverse
    ord("H"): 1,  # HRI position
    ord("I"): 1,  # transmit printer ID
    ord("L"): 2,  # left margin
    ord("P"): 2,  # motion units
    ord("T"): 1,  # print position to line start
    ord("W"): 2,  # print area width
    ord("\\"): 2,  # relative vertical position in page mode
    ord("^"): 3,  # execute macro
    ord("a"): 1,  # automatic status back
    ord("b"): 1,  # smoothing
    ord("c"): 0,  # print counter
    ord("f"): 1,  # HRI font
    ord("h"): 1,  # barcode height
    ord("w"): 1,  # barcode module width
    ord("|"): 1,  # print density (python-escpos)
}
_FS_FIXED: dict[int, int] = {
    ord("!"): 1,  # Kanji print mode
    ord("&"): 0,  # Kanji mode on
    ord("-"): 1,  # Kanji underline
    ord("."): 0,  # Kanji mode off
    ord("C"): 1,  # Kanji code system
    ord("S"): 2,  # Kanji spacing
    ord("W"): 1,  # Kanji quadruple size
}


class EscposDecodeError(ValueError):
    """The bytes hold a command the decoder does not know, or end inside a command."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(f"at byte offset {offset}: {message}")
        self.offset = offset


@dataclass(frozen=True)
class _EventBase:
    #: Number of text lines printed before the event (not compared).
    at_line: int = field(default=0, compare=False, kw_only=True)


@dataclass(frozen=True)
class Init(_EventBase):
    """``ESC @``: printer initialised (modes reset, code page back to CP437)."""


@dataclass(frozen=True)
class CodePage(_EventBase):
    """``ESC t n``: code page selected; ``name`` is ``"UNKNOWN"`` when not in CODE_PAGES."""

    number: int
    name: str


@dataclass(frozen=True)
class Barcode(_EventBase):
    """``GS k``: a barcode; ``data`` is exactly what was sent (ASCII)."""

    symbology: str
    data: str

    @property
    def text(self) -> str:
        """The human-readable content (CODE128 code-set selectors resolved)."""
        if self.symbology not in ("CODE128", "GS1-128"):
            return self.data
        return _code128_text(self.data)


@dataclass(frozen=True)
class QrCode(_EventBase):
    """``GS ( k`` QR store + print: ``data`` decoded as UTF-8 (Latin-1 if not valid UTF-8)."""

    data: str


@dataclass(frozen=True)
class Cut(_EventBase):
    """``GS V`` (or the legacy ``ESC i`` / ``ESC m``): paper cut."""

    partial: bool


@dataclass(frozen=True)
class DrawerKick(_EventBase):
    """``ESC p m t1 t2`` or ``DLE DC4 1 m t``: pulse to open the cash drawer on pin 2 or 5."""

    pin: int
    on_ms: int = field(default=0, compare=False)
    off_ms: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Image(_EventBase):
    """A raster or column bit image (its pixels are skipped)."""

    width: int = field(default=0, compare=False)
    height: int = field(default=0, compare=False)


@dataclass(frozen=True)
class StatusRequest(_EventBase):
    """A status request: ``DLE EOT n`` (real-time, ``command="DLE EOT"``) or ``GS r n``
    (``command="GS r"``). Nothing is printed; the printer answers on its back channel.

    ``DLE EOT``: n=1 printer, 2 offline cause, 3 error cause, 4 roll paper sensor.
    ``GS r``: n=1 or 49 paper sensor, 2 or 50 drawer kick connector.
    """

    command: str
    n: int


Event = Init | CodePage | Barcode | QrCode | Cut | DrawerKick | Image | StatusRequest
_E = TypeVar("_E", Init, CodePage, Barcode, QrCode, Cut, DrawerKick, Image, StatusRequest)


@dataclass
class DecodedReceipt:
    """The printed text lines and the device events, in order."""

    lines: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The lines joined with ``\\n``."""
        return "\n".join(self.lines)

    def events_of(self, kind: type[_E]) -> list[_E]:
        """The events of one class, in order."""
        return [event for event in self.events if isinstance(event, kind)]


def _code128_text(data: str) -> str:
    out: list[str] = []
    code_set_c = False
    i = 0
    while i < len(data):
        char = data[i]
        if char == "{" and i + 1 < len(data):
            selector = data[i + 1]
            i += 2
            if selector == "{":
                out.append("{")
            elif selector in "AB":
                code_set_c = False
            elif selector == "C":
                code_set_c = True
            # "{S" (shift) and "{1".."{4" (FNC1-4) print nothing
            continue
        out.append(f"{ord(char):02d}" if code_set_c else char)
        i += 1
    return "".join(out)


class _Decoder:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.result = DecodedReceipt()
        self.line: list[str] = []
        self.graphics_on_line = False
        self.column_image_open = False
        self.code_page = _DEFAULT_CODE_PAGE
        self.qr_data: bytes | None = None
        self.command_start = 0

    # ----------------------------------------------------------------- byte access

    def take(self, count: int) -> bytes:
        end = self.pos + count
        if end > len(self.data):
            raise EscposDecodeError(
                self.command_start,
                f"command {self.describe(self.command_start)} is truncated (needs "
                f"{end - self.command_start} bytes, {len(self.data) - self.command_start} left)",
            )
        chunk = self.data[self.pos : end]
        self.pos = end
        return chunk

    def byte(self) -> int:
        return self.take(1)[0]

    def describe(self, offset: int) -> str:
        chunk = self.data[offset : offset + 3]
        names = {ESC: "ESC", GS: "GS", FS: "FS", DLE: "DLE"}
        parts = [names.get(chunk[0], f"0x{chunk[0]:02X}")] if chunk else []
        for value in chunk[1:]:
            parts.append(chr(value) if 0x21 <= value <= 0x7E else f"0x{value:02X}")
        return " ".join(parts) or "<end>"

    def unknown(self, offset: int) -> EscposDecodeError:
        return EscposDecodeError(offset, f"unknown ESC/POS command {self.describe(offset)}")

    # ----------------------------------------------------------------- output

    def emit(self, event: Event) -> None:
        self.result.events.append(event)
        if not isinstance(event, Image):
            self.column_image_open = False

    def end_line(self) -> None:
        if self.line or not self.graphics_on_line:
            self.result.lines.append("".join(self.line))
        self.line = []
        self.graphics_on_line = False

    def flush_line(self) -> None:
        """Print pending text without adding an empty line (ESC J, cut, end of data)."""
        if self.line:
            self.end_line()
        self.graphics_on_line = False

    def mark_graphics(self) -> None:
        self.graphics_on_line = True

    def add_text(self, value: int) -> None:
        self.column_image_open = False
        if value < 0x80:
            self.line.append(chr(value))
            return
        page = CODE_PAGES.get(self.code_page)
        if page is None:
            raise EscposDecodeError(
                self.pos - 1,
                f"byte 0x{value:02X} printed in code page {self.code_page}, "
                "which this decoder cannot decode",
            )
        self.line.append(bytes([value]).decode(page[1], errors="replace"))

    def event_line(self) -> int:
        return len(self.result.lines)

    # ----------------------------------------------------------------- main loop

    def run(self) -> DecodedReceipt:
        handlers: dict[int, Callable[[], None]] = {
            ESC: self.esc,
            GS: self.gs,
            FS: self.fs,
            DLE: self.dle,
        }
        while self.pos < len(self.data):
            self.command_start = self.pos
            value = self.byte()
            handler = handlers.get(value)
            if handler is not None:
                handler()
            elif value in (LF, 0x0C, 0x0B):  # LF, FF, VT
                self.end_line()
            elif value == 0x09:  # HT
                self.column_image_open = False
                column = sum(len(chunk) for chunk in self.line)
                self.line.append(" " * (_TAB_SIZE - column % _TAB_SIZE))
            elif value in (0x0D, 0x00, 0x07, 0x18):  # CR, NUL, BEL, CAN: nothing printed
                pass
            elif value >= 0x20 and value != 0x7F:
                self.add_text(value)
            else:
                raise EscposDecodeError(
                    self.command_start, f"unexpected control byte 0x{value:02X}"
                )
        self.flush_line()
        return self.result

    # ----------------------------------------------------------------- ESC

    def esc(self) -> None:
        start = self.command_start
        command = self.byte()
        if command == ord("@"):
            self.line = []  # ESC @ clears the print buffer
            self.graphics_on_line = False
            self.code_page = _DEFAULT_CODE_PAGE
            self.qr_data = None
            self.emit(Init(at_line=self.event_line()))
        elif command == ord("t"):
            number = self.byte()
            self.code_page = number
            name = CODE_PAGES.get(number, ("UNKNOWN", ""))[0]
            self.emit(CodePage(number, name, at_line=self.event_line()))
        elif command == ord("d"):
            count = self.byte()
            if count == 0:
                self.flush_line()
            for _ in range(count):
                self.end_line()
        elif command == ord("J"):
            self.byte()
            self.flush_line()
        elif command == ord("p"):
            pin_selector, on_time, off_time = self.take(3)
            if pin_selector not in (0, 1, 48, 49):
                raise EscposDecodeError(start, f"ESC p with invalid pin selector {pin_selector}")
            pin = 2 if pin_selector in (0, 48) else 5
            self.emit(DrawerKick(pin, on_time * 2, off_time * 2, at_line=self.event_line()))
        elif command in (ord("i"), ord("m")):
            self.flush_line()
            self.emit(Cut(partial=True, at_line=self.event_line()))
        elif command == ord("c"):
            sub = self.byte()
            if sub not in (ord("0"), ord("1"), ord("3"), ord("4"), ord("5")):
                raise self.unknown(start)
            self.byte()
        elif command == ord("R"):
            charset = self.byte()
            if charset != 0:
                raise EscposDecodeError(
                    start, f"international character set {charset} (only USA, 0, is decoded)"
                )
        elif command == ord("D"):  # horizontal tab positions, NUL-terminated
            while self.byte() != 0:
                pass
        elif command == ord("*"):  # column bit image
            mode = self.byte()
            low, high = self.take(2)
            columns = low + 256 * high
            if mode in (0, 1):
                self.take(columns)
            elif mode in (32, 33):
                self.take(3 * columns)
            else:
                raise EscposDecodeError(start, f"ESC * with invalid mode {mode}")
            if not self.column_image_open:
                self.emit(Image(width=columns, at_line=self.event_line()))
                self.column_image_open = True
            self.mark_graphics()
        elif command in _ESC_FIXED:
            self.take(_ESC_FIXED[command])
        else:
            raise self.unknown(start)

    # ----------------------------------------------------------------- GS

    def gs(self) -> None:
        start = self.command_start
        command = self.byte()
        if command == ord("V"):
            self.cut(start)
        elif command == ord("k"):
            self.barcode(start)
        elif command == ord("("):
            self.gs_paren(start)
        elif command == ord("8"):
            function = self.byte()
            if function != ord("L"):
                raise self.unknown(start)
            size = int.from_bytes(self.take(4), "little")
            body = self.take(size)
            if len(body) >= 2 and body[1] in (2, 50):
                self.emit(Image(at_line=self.event_line()))
        elif command == ord("v"):
            if self.byte() != ord("0"):
                raise self.unknown(start)
            self.byte()  # density mode
            x_low, x_high, y_low, y_high = self.take(4)
            width_bytes = x_low + 256 * x_high
            height = y_low + 256 * y_high
            self.take(width_bytes * height)
            self.emit(Image(width=width_bytes * 8, height=height, at_line=self.event_line()))
        elif command == ord("*"):  # define downloaded bit image
            x, y = self.take(2)
            self.take(x * y * 8)
        elif command == ord("r"):  # transmit status (processed in order, not in real time)
            self.emit(StatusRequest("GS r", self.byte(), at_line=self.event_line()))
        elif command == ord("/"):  # print downloaded bit image
            self.byte()
            self.emit(Image(at_line=self.event_line()))
        elif command in _GS_FIXED:
            self.take(_GS_FIXED[command])
        else:
            raise self.unknown(start)

    def cut(self, start: int) -> None:
        mode = self.byte()
        if mode in (0, 48):
            partial = False
        elif mode in (1, 49):
            partial = True
        elif mode in (65, 66, 97, 98, 103, 104):
            self.byte()  # feed amount
            partial = mode in (66, 98, 104)
        else:
            raise EscposDecodeError(start, f"GS V with invalid mode {mode}")
        self.flush_line()
        self.emit(Cut(partial=partial, at_line=self.event_line()))

    def barcode(self, start: int) -> None:
        kind = self.byte()
        if kind in _BARCODE_FORM_A:
            end = self.data.find(b"\x00", self.pos)
            if end < 0:
                raise EscposDecodeError(start, "GS k form A barcode data has no NUL terminator")
            payload = self.take(end - self.pos)
            self.take(1)
            symbology = _BARCODE_FORM_A[kind]
        elif kind in _BARCODE_FORM_B:
            length = self.byte()
            payload = self.take(length)
            symbology = _BARCODE_FORM_B[kind]
        else:
            raise EscposDecodeError(start, f"GS k with unknown barcode type {kind}")
        self.emit(Barcode(symbology, payload.decode("latin-1"), at_line=self.event_line()))

    def gs_paren(self, start: int) -> None:
        function = self.byte()
        low, high = self.take(2)
        body = self.take(low + 256 * high)
        if function == ord("k"):
            self.two_d_code(start, body)
        elif function == ord("L") and len(body) >= 2 and body[1] in (2, 50):
            self.emit(Image(at_line=self.event_line()))
        elif function in b"ACDEHKLMNPQz":
            pass  # settings, graphics storage, status: nothing printed
        else:
            raise self.unknown(start)

    def two_d_code(self, start: int, body: bytes) -> None:
        if len(body) < 2:
            raise EscposDecodeError(start, "GS ( k with fewer than 2 parameter bytes")
        symbol, function = body[0], body[1]
        if symbol != 49:  # PDF417, MaxiCode, DataBar, composite, Aztec, DataMatrix: skipped
            return
        if function == 80:  # store data: cn fn m d1...dk
            self.qr_data = body[3:]
        elif function == 81:  # print the stored symbol
            if self.qr_data is None:
                raise EscposDecodeError(start, "QR code printed before any data was stored")
            try:
                text = self.qr_data.decode("utf-8")
            except UnicodeDecodeError:
                text = self.qr_data.decode("latin-1")
            self.emit(QrCode(text, at_line=self.event_line()))

    # ----------------------------------------------------------------- FS, DLE

    def fs(self) -> None:
        start = self.command_start
        command = self.byte()
        if command == ord("("):
            self.byte()
            low, high = self.take(2)
            self.take(low + 256 * high)
        elif command == ord("p"):  # print NV bit image
            self.take(2)
            self.emit(Image(at_line=self.event_line()))
        elif command in _FS_FIXED:
            self.take(_FS_FIXED[command])
        else:
            raise self.unknown(start)

    def dle(self) -> None:
        start = self.command_start
        command = self.byte()
        if command == 0x04:  # DLE EOT n: real-time status request
            n = self.byte()
            if n in (7, 8):  # DLE EOT 7 a / DLE EOT 8 a: ink and peripheral status
                self.byte()
            self.emit(StatusRequest("DLE EOT", n, at_line=self.event_line()))
        elif command == 0x05:  # DLE ENQ n: real-time request to printer
            self.byte()
        elif command == 0x14:  # DLE DC4 fn ...
            function = self.byte()
            if function == 1:  # generate pulse: m t
                pin_selector, pulse = self.take(2)
                pin = 2 if pin_selector == 0 else 5
                self.emit(DrawerKick(pin, pulse * 100, pulse * 100, at_line=self.event_line()))
            elif function == 2:
                self.take(2)
            elif function in (7, 8):
                self.take(1 if function == 7 else 7)
            else:
                raise self.unknown(start)
        else:
            raise self.unknown(start)


def decode(data: bytes) -> DecodedReceipt:
    """Decode ESC/POS ``data`` into text lines and events.

    Raises :class:`EscposDecodeError` (naming the byte offset) on an unknown or truncated
    command.
    """
    return _Decoder(bytes(data)).run()
