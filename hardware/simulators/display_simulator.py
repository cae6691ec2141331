"""A two-line customer display on a pseudo-terminal that decodes what it is sent.

:class:`DisplayDecoder` turns the bytes of either command set that :mod:`hardware.display`
speaks (Epson ESC/POS display commands and CD5220) back into the rows a customer would read.
It models a 2 x ``columns`` screen with a cursor in overwrite mode:

- text: bytes 0x20-0x7F through the international set (USA, or Spain after ``ESC R 7`` /
  ``ESC f S``: ``¡ Ñ ¿ ¨ ñ`` and ``Pts`` at 0x5B 0x5C 0x5D 0x7B 0x7C 0x23), bytes 0x80-0xFF
  through the code table of ``ESC t n`` (Epson numbering, CP437 after ``ESC @``);
- cursor: BS, HT, LF, CR, HOM (0x0B), ``US $ x y``, ``ESC l x y``, ``ESC [ A/B/C/D/H/L/R/K``,
  ``US B``, ``US CR``, ``US LF``; writing past the right end of a row continues on the next
  row (the last row wraps to the first), as Epson's overwrite mode does;
- CLR (0x0C) clears the screen, CAN (0x18) the cursor's row, ``ESC @`` also resets the tables;
- ``ESC Q A``/``ESC Q B`` + text + CR write the upper/lower row (CD5220 string mode;
  ``ESC Q D`` scrolling is shown as a static upper row);
- settings without visible effect (modes, brightness, blink, cursor display, peripheral
  selection) are parsed with their parameters and ignored. User-defined characters
  (``ESC &``) and windows (``ESC W``) are not modelled: they are recorded in
  :attr:`DisplayDecoder.unsupported` and their bytes may then show as text.

:class:`DisplaySimulator` puts a decoder behind a :class:`PtyDevice` (a background thread feeds
it) and offers :meth:`DisplaySimulator.wait_for_lines` for tests. Replugging it is a power
cycle: the screen starts blank with default tables.
"""

from __future__ import annotations

import logging
import os
import threading

from hardware.escpos_decoder import CODE_PAGES
from hardware.simulators.pty_device import PtySimulator

__all__ = ["DisplayDecoder", "DisplaySimulator"]

log = logging.getLogger(__name__)

_ESC, _US = 0x1B, 0x1F
_MAX_STRING = 64  # an ESC Q string longer than this without its CR is taken as ended
_SPAIN = {0x23: "₧", 0x5B: "¡", 0x5C: "Ñ", 0x5D: "¿", 0x7B: "¨", 0x7C: "ñ"}
_EPSON_SPAIN_SETS = (7,)  # ESC R 7: Spain I
_CD5220_SPAIN = ord("S")  # ESC f S
# ESC x with one parameter byte and no visible effect (Epson and CD5220 together)
_ESC_ONE_PARAM = frozenset(b"=%*_c?sd#")
# US x with one parameter byte and no visible effect
_US_ONE_PARAM = frozenset(b"CXErv")


class DisplayDecoder:
    """Feed it bytes; read :attr:`lines`. Commands split across feeds are reassembled."""

    def __init__(self, columns: int = 20, rows: int = 2) -> None:
        self.columns = columns
        self.rows = rows
        self.unsupported: list[str] = []
        self.reset()

    def reset(self) -> None:
        """Power on: blank screen, cursor home, CP437, USA set, no half-received command."""
        self._pending = b""
        self._screen = [[" "] * self.columns for _ in range(self.rows)]
        self._x = self._y = 0
        self._codec = "cp437"
        self._spain = False
        self.inits = 0  # number of ESC @ seen since power-on

    @property
    def lines(self) -> tuple[str, ...]:
        """The rows as shown, without trailing spaces."""
        return tuple("".join(row).rstrip(" ") for row in self._screen)

    @property
    def screen(self) -> tuple[str, ...]:
        """The rows as shown, each exactly ``columns`` characters."""
        return tuple("".join(row) for row in self._screen)

    @property
    def codec(self) -> str:
        """The Python codec of the selected code table (for bytes 0x80-0xFF)."""
        return self._codec

    def feed(self, data: bytes) -> None:
        buffer = self._pending + data
        index = 0
        while index < len(buffer):
            step = self._step(buffer, index)
            if step is None:  # an incomplete command: wait for more bytes
                break
            index = step
        self._pending = buffer[index:]

    # --- parsing --------------------------------------------------------------------------
    def _step(self, buf: bytes, i: int) -> int | None:
        byte = buf[i]
        if byte == _ESC:
            return self._escape(buf, i)
        if byte == _US:
            return self._unit_separator(buf, i)
        if byte >= 0x20:
            self._put(self._char(byte))
            return i + 1
        self._control(byte)
        return i + 1

    def _control(self, byte: int) -> None:
        if byte == 0x08:  # BS
            self._move(-1)
        elif byte == 0x09:  # HT
            self._move(1)
        elif byte == 0x0A:  # LF
            self._y = (self._y + 1) % self.rows
        elif byte == 0x0B:  # HOM
            self._x = self._y = 0
        elif byte == 0x0C:  # CLR
            self._clear()
        elif byte == 0x0D:  # CR
            self._x = 0
        elif byte == 0x18:  # CAN
            self._screen[self._y] = [" "] * self.columns
            self._x = 0
        # other C0 controls: ignored, as displays do

    def _escape(self, buf: bytes, i: int) -> int | None:
        if i + 1 >= len(buf):
            return None
        command = buf[i + 1]
        if command == ord("@"):
            self._clear()
            self._codec, self._spain = "cp437", False
            self.inits += 1
            return i + 2
        if command in (0x11, 0x12, 0x13):  # CD5220 display modes
            return i + 2
        if command == ord("Q"):
            return self._string(buf, i)
        if command == ord("["):
            if i + 2 >= len(buf):
                return None
            self._bracket(buf[i + 2])
            return i + 3
        if command == ord("l"):  # CD5220 ESC l x y
            if i + 3 >= len(buf):
                return None
            self._goto(buf[i + 2], buf[i + 3])
            return i + 4
        if i + 2 >= len(buf):
            return None
        parameter = buf[i + 2]
        if command == ord("t"):
            page = CODE_PAGES.get(parameter)
            self._codec = page[1] if page else "cp437"
            if page is None:
                self.unsupported.append(f"ESC t {parameter}")
            return i + 3
        if command == ord("R"):
            self._spain = parameter in _EPSON_SPAIN_SETS
            return i + 3
        if command == ord("f"):
            self._spain = parameter == _CD5220_SPAIN
            return i + 3
        if command in _ESC_ONE_PARAM:
            return i + 3
        self.unsupported.append(f"ESC {chr(command)!r}")
        return i + 2

    def _unit_separator(self, buf: bytes, i: int) -> int | None:
        if i + 1 >= len(buf):
            return None
        command = buf[i + 1]
        if command in (0x01, 0x02, 0x03):  # US MD1/MD2/MD3: display modes
            return i + 2
        if command == ord("B"):  # cursor to the bottom row
            self._y = self.rows - 1
            return i + 2
        if command == 0x0D:  # cursor to the right end
            self._x = self.columns - 1
            return i + 2
        if command == 0x0A:  # cursor up
            self._y = (self._y - 1) % self.rows
            return i + 2
        if command in (ord("@"), ord("U")):  # self test, show time
            return i + 2
        if command == ord("$"):
            if i + 3 >= len(buf):
                return None
            self._goto(buf[i + 2], buf[i + 3])
            return i + 4
        if command == ord("T"):  # set time h m
            return i + 4 if i + 3 < len(buf) else None
        if command in _US_ONE_PARAM:
            return i + 3 if i + 2 < len(buf) else None
        self.unsupported.append(f"US {chr(command)!r}")
        return i + 2

    def _string(self, buf: bytes, i: int) -> int | None:
        if i + 2 >= len(buf):
            return None
        line = buf[i + 2]
        end = buf.find(b"\r", i + 3)
        if end < 0:
            if len(buf) - (i + 3) < _MAX_STRING:
                return None
            end = len(buf)
        text = [self._char(b) for b in buf[i + 3 : end]]
        row = 0 if line in (ord("A"), ord("D")) else 1 if line == ord("B") else None
        if row is None:
            self.unsupported.append(f"ESC Q {chr(line)!r}")
        else:
            self._screen[row] = (text + [" "] * self.columns)[: self.columns]
        return end + 1

    def _bracket(self, command: int) -> None:
        """CD5220 ``ESC [ x`` cursor moves."""
        letter = chr(command)
        if letter == "D":
            self._move(-1)
        elif letter == "C":
            self._move(1)
        elif letter == "A":
            self._y = (self._y - 1) % self.rows
        elif letter == "B":
            self._y = (self._y + 1) % self.rows
        elif letter == "H":
            self._x = self._y = 0
        elif letter == "L":
            self._x = 0
        elif letter == "R":
            self._x = self.columns - 1
        elif letter == "K":
            self._y = self.rows - 1
        else:
            self.unsupported.append(f"ESC [ {letter!r}")

    # --- screen ---------------------------------------------------------------------------
    def _char(self, byte: int) -> str:
        if byte < 0x80:
            if self._spain and byte in _SPAIN:
                return _SPAIN[byte]
            return chr(byte)
        return bytes([byte]).decode(self._codec, errors="replace")

    def _put(self, char: str) -> None:
        self._screen[self._y][self._x] = char
        self._move(1)

    def _move(self, delta: int) -> None:
        position = (self._y * self.columns + self._x + delta) % (self.rows * self.columns)
        self._y, self._x = divmod(position, self.columns)

    def _goto(self, column: int, row: int) -> None:
        """1-based, as both command sets number them; out of range is ignored."""
        if 1 <= column <= self.columns and 1 <= row <= self.rows:
            self._x, self._y = column - 1, row - 1

    def _clear(self) -> None:
        self._screen = [[" "] * self.columns for _ in range(self.rows)]
        self._x = self._y = 0


class DisplaySimulator(PtySimulator):
    """A customer display behind the stable path :attr:`path`; plugged in on creation."""

    def __init__(self, link_path: str | os.PathLike[str], *, columns: int = 20) -> None:
        self._decoder = DisplayDecoder(columns)
        self._received = bytearray()
        self._changed = threading.Condition()
        super().__init__(link_path, on_data=self._on_data)

    @property
    def lines(self) -> tuple[str, str]:
        """The two rows shown now, without trailing spaces."""
        with self._changed:
            top, bottom = self._decoder.lines
            return top, bottom

    @property
    def screen(self) -> tuple[str, str]:
        """The two rows shown now, each exactly ``columns`` characters."""
        with self._changed:
            top, bottom = self._decoder.screen
            return top, bottom

    @property
    def received(self) -> bytes:
        """Every byte received since the last (re)plug."""
        with self._changed:
            return bytes(self._received)

    @property
    def decoder(self) -> DisplayDecoder:
        return self._decoder

    def wait_for_lines(self, top: str, bottom: str, timeout: float = 2.0) -> None:
        """Wait until the display shows ``top`` and ``bottom`` (trailing spaces ignored).

        Raises ``TimeoutError`` naming what is shown instead.
        """
        expected = (top.rstrip(" "), bottom.rstrip(" "))
        with self._changed:
            if not self._changed.wait_for(lambda: self._decoder.lines == expected, timeout):
                raise TimeoutError(
                    f"the display shows {self._decoder.lines!r}, not {expected!r} "
                    f"(after {timeout} s)"
                )

    def wait_for_bytes(self, count: int, timeout: float = 2.0) -> None:
        """Wait until at least ``count`` bytes were received since the last (re)plug."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._received) >= count, timeout):
                raise TimeoutError(f"{len(self._received)} bytes received, not {count}")

    def unplug(self) -> None:
        """Pull the cable: the screen goes blank (a replug is a power cycle)."""
        super().unplug()
        self._power_cycle()

    def replug(self) -> None:
        self.unplug()
        super().replug()

    def _power_cycle(self) -> None:
        with self._changed:
            self._decoder.reset()
            self._received.clear()
            self._changed.notify_all()

    def _on_data(self, data: bytes) -> None:
        with self._changed:
            self._received += data
            self._decoder.feed(data)
            self._changed.notify_all()
