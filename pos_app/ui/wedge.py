"""Keyboard-wedge (USB HID) barcode scanners, told apart from a person typing.

A keyboard-wedge scanner is a keyboard to the computer: it types the barcode, usually followed
by Enter, into whichever widget has the focus. ``KeyboardWedge`` is an application-wide Qt event
filter that recognises a scanner's burst and emits ``scanned(code)`` instead, so a scan reaches
the sale even while the focus is in a search box or a dialog, and the person's typing is never
taken.

How a burst is recognised
-------------------------
- **Prefix (reliable).** If the scanner is programmed to send a prefix (a rare character such as
  ``§``, a control character such as STX sent as Ctrl+B, or a key such as F13), the prefix starts
  a capture regardless of timing; it ends at the suffix (Enter by default) and emits the text in
  between. With a prefix configured, timing is not used at all.
- **Timing (fallback).** A scanner sends a character every 1-20 ms; a person's keystrokes are
  80-250 ms apart (two rolled-over keys can come closer, never six in a row). Text keys are
  held back for ``max_interkey_ms`` (35 ms): if the next key comes in time the burst goes on; if
  the suffix (Enter) then arrives in rhythm after at least ``min_length`` characters, the burst
  was a scan and is swallowed. Otherwise the held keys are replayed, in order, to the widgets
  they were aimed at, so typing appears unchanged (35 ms late at most) and a code typed by hand
  and Enter in the scan field is handled by the field as before.
- Keys that are not text (arrows, F-keys, Delete, Backspace, Tab, Escape, Ctrl shortcuts), a
  key held down (auto-repeat), a mouse click or a touch end a hold: the held keys are replayed
  first, so a shortcut or click acts on the text as typed. Shift, AltGr and dead keys neither
  end nor join a burst (a scanner presses Shift for capitals).
- Only key presses delivered to the focus widget are counted: an application-wide filter sees
  each key event several times (at the window, then once per widget it propagates through).
  Only spontaneous events (from the keyboard) count, which is also how the replayed copies are
  kept from being captured again; key events that code sends itself pass untouched.
- Gaps are measured with the events' own timestamps (from the window system), so keys queued
  while the GUI thread was busy keep their real rhythm; a hold timer that fires late (busy
  thread) waits one more interval for keys still in the queue.

Keyboard layouts: the pitfall
-----------------------------
A wedge scanner sends key *positions* (HID usage codes), not characters; the system turns them
into characters with *its* layout. A scanner left at its factory setting (US keyboard) on a
Spanish system gets digits and letters right but punctuation wrong: ``-`` arrives as ``'``,
``/`` as ``-``, ``+`` as ``¿``, ``=`` as ``¡``, ``;`` as ``ñ``; and ``'``, ``"``, ``[``, ``{``
land on Spanish dead keys (´ ¨ ` ^), which swallow or merge with the next character (``´`` then
``A`` gives ``Á``), so the code changes length and nothing can translate it back. A scanner set
to Spanish on a US system turns ``-`` into ``/``, ``/`` into ``&``, ``+`` into ``]``. German
(QWERTZ) swaps Y and Z; French (AZERTY) swaps A/Q and Z/W, moves M and needs Shift for digits,
so even EAN digits arrive wrong. Caps Lock inverts the case of scanned letters.

GS1 codes with variable-length fields separate them with FNC1, which a wedge types as the
group separator (GS, 0x1D) through Ctrl+]: on the Spanish layout that key is ``+``, so the
separator is lost (and a Ctrl key may fire a shortcut). GS1-128 and GS1 DataMatrix therefore
want the scanner in serial mode (USB-CDC / virtual COM port), not as a keyboard.

Remedies, best first: set the scanner's keyboard country to the system's layout (a programming
barcode in the scanner's manual); use serial mode; or calibrate: show ``CALIBRATION_CODE`` as a
Code 128 barcode, scan it into a plain field with the wedge disabled, and pass what arrived to
``calibrate``. A consistent substitution comes back as a keymap that the wedge applies to every
scan. The keymap covers only the characters of the calibration code (and the other case of its
letters); damage done by dead keys cannot be translated.

Input methods (IBus, Fcitx) can deliver text as input-method events, which this filter does not
see: run the register without one.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import shiboken6
from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

__all__ = [
    "CALIBRATION_CODE",
    "CalibrationOutcome",
    "CalibrationResult",
    "KeyboardWedge",
    "WedgeSettings",
    "calibrate",
    "translate",
]

log = logging.getLogger(__name__)

#: Scan this to calibrate: letters that move between QWERTY, QWERTZ and AZERTY, the punctuation
#: a Spanish layout garbles from a US scanner (and vice versa), and the ten digits. Printable
#: ASCII only (Code 128 set B, the digits packed as set C): about 20 symbols, which fit on
#: 80 mm receipt paper.
CALIBRATION_CODE = "AQWZYM-./+0123456789"

# Characters a scanner may send inside a code: GS1 group separator, ISO 15434 record separator
# and end of transmission. They count as part of a burst but never start one.
_DATA_CONTROLS = frozenset("\x1d\x1e\x04")

_MODIFIER_KEYS = frozenset(
    key.value
    for key in (
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_Super_L,
        Qt.Key.Key_Super_R,
        Qt.Key.Key_Hyper_L,
        Qt.Key.Key_Hyper_R,
        Qt.Key.Key_Mode_switch,
        Qt.Key.Key_CapsLock,
        Qt.Key.Key_NumLock,
    )
)
_DEAD_KEYS = range(Qt.Key.Key_Dead_Grave.value, 0x0100_12A0)  # Key_Dead_* are 0x01001250-0x0100129x
_ENTER_KEYS = frozenset({Qt.Key.Key_Return.value, Qt.Key.Key_Enter.value})
_INTERRUPTIONS = frozenset(
    {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.TouchBegin}
)
_MOD_MASK = ~Qt.KeyboardModifier.KeypadModifier


def _monotonic_ms() -> float:
    return time.monotonic() * 1000.0


# --- settings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _KeyMatch:
    """A prefix or suffix: one character (matched on the text a key produces) or a key name."""

    text: str = ""
    key: int = 0
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier

    @classmethod
    def parse(cls, spec: str, what: str) -> _KeyMatch | None:
        if not spec:
            return None
        if len(spec) == 1:
            return cls(text=spec)
        sequence = QKeySequence.fromString(spec, QKeySequence.SequenceFormat.PortableText)
        combination = sequence[0] if sequence.count() == 1 else None  # type: ignore[index]
        if combination is None or combination.key() == Qt.Key.Key_unknown:
            raise ValueError(f"{what} {spec!r} is neither one character nor one key name")
        key = int(combination.key().value)
        if key in _ENTER_KEYS:  # "Return" and "Enter" both mean either Enter key
            return cls(key=Qt.Key.Key_Return.value)
        return cls(key=key, modifiers=combination.keyboardModifiers())

    def matches(self, event: QKeyEvent) -> bool:
        if self.text:
            return event.text() == self.text
        key = event.key()
        if self.key == Qt.Key.Key_Return.value:
            return key in _ENTER_KEYS
        return key == self.key and (event.modifiers() & _MOD_MASK) == self.modifiers


@dataclass(frozen=True)
class WedgeSettings:
    """How the register's wedge scanner is told apart from typing (see the module docstring).

    ``prefix`` and ``suffix`` are one character (``"§"``, ``"\\x02"``) or one key name in
    ``QKeySequence`` portable text (``"F13"``, ``"Ctrl+B"``, ``"Tab"``). An empty suffix means
    Enter (either Enter key). ``keymap`` maps a received character to the intended one, as
    ``calibrate`` returns it.
    """

    enabled: bool = True
    prefix: str = ""
    suffix: str = ""
    max_interkey_ms: int = 35
    min_length: int = 6
    keymap: Mapping[str, str] = field(default_factory=dict)
    prefix_timeout_ms: int = 500  # longest gap inside a prefixed capture before it is abandoned

    def __post_init__(self) -> None:
        if self.max_interkey_ms <= 0 or self.prefix_timeout_ms <= 0:
            raise ValueError("wedge timings must be positive")
        if self.min_length < 1:
            raise ValueError("min_length must be at least 1")
        _KeyMatch.parse(self.prefix, "prefix")
        _KeyMatch.parse(self.suffix, "suffix")
        object.__setattr__(self, "keymap", MappingProxyType(dict(self.keymap)))


def translate(text: str, keymap: Mapping[str, str]) -> str:
    """``text`` with each character replaced through ``keymap`` (characters not in it kept)."""
    if not keymap:
        return text
    return "".join(keymap.get(ch, ch) for ch in text)


# --- the event filter ----------------------------------------------------------------------------


class _Kind(enum.Enum):
    TEXT = enum.auto()  # a printable character: may be part of a scan
    DATA_CONTROL = enum.auto()  # GS/RS/EOT: part of a scan once one has started
    MODIFIER = enum.auto()  # Shift, AltGr, dead keys...: neither end nor join a burst
    OTHER = enum.auto()  # Enter, Tab, arrows, F-keys, Ctrl shortcuts...: end a hold


def _kind_of(event: QKeyEvent) -> _Kind:
    text = event.text()
    key = event.key()
    if not text and (key in _MODIFIER_KEYS or key in _DEAD_KEYS):
        return _Kind.MODIFIER
    if text in _DATA_CONTROLS:
        return _Kind.DATA_CONTROL
    mods = event.modifiers()
    ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
    alt = bool(mods & Qt.KeyboardModifier.AltModifier)
    meta = bool(mods & Qt.KeyboardModifier.MetaModifier)
    # Ctrl+Alt with a character is AltGr on Windows; Ctrl, Alt or Meta alone make a command.
    if text and text.isprintable() and ctrl == alt and not meta:
        return _Kind.TEXT
    return _Kind.OTHER


@dataclass(frozen=True)
class _HeldKey:
    """A copy of a key event held back (the original is destroyed once it has been filtered)."""

    widget: QWidget
    type: QEvent.Type
    key: int
    modifiers: Qt.KeyboardModifier
    native_scan_code: int
    native_virtual_key: int
    native_modifiers: int
    text: str
    count: int
    timestamp: int

    @classmethod
    def of(cls, widget: QWidget, event: QKeyEvent) -> _HeldKey:
        return cls(
            widget,
            event.type(),
            event.key(),
            event.modifiers(),
            event.nativeScanCode(),
            event.nativeVirtualKey(),
            event.nativeModifiers(),
            event.text(),
            event.count(),
            event.timestamp(),
        )

    @property
    def is_press(self) -> bool:
        return self.type == QEvent.Type.KeyPress

    def replay(self) -> None:
        if not shiboken6.isValid(self.widget):
            log.debug("dropping a held key: its widget has gone")
            return
        copy = QKeyEvent(
            self.type,
            self.key,
            self.modifiers,
            self.native_scan_code,
            self.native_virtual_key,
            self.native_modifiers,
            self.text,
            False,
            self.count,
        )
        copy.setTimestamp(self.timestamp)
        QCoreApplication.sendEvent(self.widget, copy)  # not spontaneous: not captured again


class KeyboardWedge(QObject):
    """Application-wide event filter that turns a wedge scanner's bursts into ``scanned``.

    ``install(app)`` starts it, ``uninstall()`` stops it (replaying any key still held). The
    settings can be replaced at any time with ``set_settings``. ``now_ms`` is for tests: a clock
    in milliseconds that replaces the events' timestamps when measuring gaps.

    ``scanned`` is emitted synchronously from inside the filter, while Qt delivers the scan's
    last key: a slot should do little (``presenter.scan``, ``dialog.open()``), never ``exec()``.
    """

    scanned = Signal(str)  # the code, translated through the keymap, without prefix or suffix

    def __init__(
        self,
        settings: WedgeSettings | None = None,
        parent: QObject | None = None,
        *,
        now_ms: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(parent)
        self._now_ms = now_ms
        self._app: QCoreApplication | None = None
        self._held: list[_HeldKey] = []
        self._capturing = False  # a prefix has been seen; False while holding on timing
        self._last_press_at = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._armed = QElapsedTimer()
        self._interval = 0
        self._extended = False
        self.set_settings(settings or WedgeSettings())

    # --- public --------------------------------------------------------------------------
    @property
    def settings(self) -> WedgeSettings:
        return self._settings

    def set_settings(self, settings: WedgeSettings) -> None:
        """Use ``settings`` from now on; keys held under the old ones are replayed first."""
        self._replay_held()
        self._settings = settings
        self._prefix = _KeyMatch.parse(settings.prefix, "prefix")
        self._suffix = _KeyMatch.parse(settings.suffix, "suffix") or _KeyMatch(
            key=Qt.Key.Key_Return.value
        )

    @property
    def installed(self) -> bool:
        return self._app is not None

    @property
    def holding(self) -> bool:
        """Whether keys are being held back (a possible scan in progress)."""
        return bool(self._held)

    def install(self, app: QCoreApplication) -> None:
        if self._app is app:
            return
        self.uninstall()
        app.installEventFilter(self)
        self._app = app

    def uninstall(self) -> None:
        self._replay_held()
        if self._app is not None:
            self._app.removeEventFilter(self)
            self._app = None

    # --- the filter ----------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        etype = event.type()
        if etype == QEvent.Type.KeyPress or etype == QEvent.Type.KeyRelease:
            if (
                not self._settings.enabled
                or not event.spontaneous()
                or not isinstance(event, QKeyEvent)
                or watched is not self._focus_target()
            ):
                return False
            if etype == QEvent.Type.KeyRelease:
                return self._on_key_release(watched, event)
            return self._on_key_press(watched, event)
        if etype == QEvent.Type.ShortcutOverride:
            if (
                self._settings.enabled
                and isinstance(event, QKeyEvent)
                and watched is self._focus_target()
            ):
                return self._on_shortcut_override(event)
            return False
        if etype in _INTERRUPTIONS and self._held:
            self._replay_held()  # the click acts on the text as typed
        return False

    @staticmethod
    def _focus_target() -> QWidget | None:
        # Where Qt delivers a key: the focus widget, or the active window if nothing has focus.
        return QApplication.focusWidget() or QApplication.activeWindow()

    def _on_shortcut_override(self, event: QKeyEvent) -> bool:
        # Sent before a key press so that shortcuts can claim the key. Returning True with the
        # event accepted keeps a shortcut from firing and has the key delivered as a press.
        kind = _kind_of(event)
        if self._prefix is not None and self._prefix.matches(event):
            return self._claim(event)
        if self._capturing:
            if self._suffix.matches(event) or kind is not _Kind.OTHER:
                return self._claim(event)
        elif self._held and self._suffix.matches(event):
            if self._completes_scan(self._time_of(event)):
                return self._claim(event)
        if self._held and kind is _Kind.OTHER:
            self._replay_held()  # before a shortcut acts, the text typed so far is in its place
        return False

    @staticmethod
    def _claim(event: QKeyEvent) -> bool:
        event.accept()
        return True

    def _on_key_release(self, widget: QWidget, event: QKeyEvent) -> bool:
        # Releases are held with the presses, so a widget never sees a release before its press
        # (a button pressed with Space would stay down).
        if not self._held or event.isAutoRepeat() or _kind_of(event) is _Kind.MODIFIER:
            return False
        self._held.append(_HeldKey.of(widget, event))
        return True

    def _on_key_press(self, widget: QWidget, event: QKeyEvent) -> bool:
        kind = _kind_of(event)
        if kind is _Kind.MODIFIER:
            return False
        if event.isAutoRepeat():  # a key held down: a person
            self._replay_held()
            return False
        at = self._time_of(event)
        if self._prefix is not None:
            return self._on_prefixed_press(widget, event, kind, at)
        # Timing: a key out of rhythm ends the hold; the key itself may start a new one.
        if self._held and not self._in_rhythm(at, self._settings.max_interkey_ms):
            self._replay_held()
        if self._suffix.matches(event):
            if self._completes_scan(at):
                self._emit_held()
                return True
            self._replay_held()
            return False
        if kind is _Kind.TEXT or (kind is _Kind.DATA_CONTROL and self._held):
            self._hold(widget, event, at, self._settings.max_interkey_ms)
            return True
        self._replay_held()
        return False

    def _on_prefixed_press(self, widget: QWidget, event: QKeyEvent, kind: _Kind, at: float) -> bool:
        assert self._prefix is not None
        if self._capturing and (
            self._prefix.matches(event) or not self._in_rhythm(at, self._settings.prefix_timeout_ms)
        ):
            self._replay_held()  # a new prefix, or a pause: what came before was not a scan
        if not self._capturing:
            if not self._prefix.matches(event):
                return False
            self._capturing = True
            self._hold(widget, event, at, self._settings.prefix_timeout_ms)
            return True
        if self._suffix.matches(event):
            if self._held_text(skip_prefix=True):
                self._emit_held()
                return True
            self._replay_held()
            return False
        if kind is _Kind.OTHER:
            self._replay_held()
            return False
        self._hold(widget, event, at, self._settings.prefix_timeout_ms)
        return True

    # --- state ---------------------------------------------------------------------------
    def _time_of(self, event: QKeyEvent) -> float:
        if self._now_ms is not None:
            return self._now_ms()
        stamp = event.timestamp()
        return float(stamp) if stamp else _monotonic_ms()

    def _in_rhythm(self, at: float, limit_ms: int) -> bool:
        return 0 <= at - self._last_press_at <= limit_ms

    def _completes_scan(self, at: float) -> bool:
        return (
            bool(self._held)
            and not self._capturing
            and self._in_rhythm(at, self._settings.max_interkey_ms)
            and len(self._held_text()) >= self._settings.min_length
        )

    def _held_text(self, *, skip_prefix: bool = False) -> str:
        presses = [k for k in self._held if k.is_press]
        if skip_prefix:
            presses = presses[1:]
        return "".join(k.text for k in presses)

    def _hold(self, widget: QWidget, event: QKeyEvent, at: float, interval_ms: int) -> None:
        self._held.append(_HeldKey.of(widget, event))
        self._last_press_at = at
        self._interval = interval_ms
        self._extended = False
        self._armed.start()
        self._timer.start(interval_ms)

    def _emit_held(self) -> None:
        code = translate(self._held_text(skip_prefix=self._capturing), self._settings.keymap)
        self._clear()
        log.debug("wedge scan of %d characters", len(code))
        self.scanned.emit(code)

    def _clear(self) -> list[_HeldKey]:
        held, self._held = self._held, []
        self._capturing = False
        self._timer.stop()
        return held

    def _replay_held(self) -> None:
        held = self._clear()
        if held:
            log.debug("wedge replaying %d held key events", len(held))
        for key in held:
            key.replay()

    def _on_timer_timeout(self) -> None:
        late = self._armed.elapsed() - 2 * self._interval
        if late > 0 and not self._extended and self._held:
            # The GUI thread was busy: keys of the same burst may still be queued behind us.
            self._extended = True
            self._timer.start(self._interval)
            return
        self._replay_held()


# --- calibration ---------------------------------------------------------------------------------


class CalibrationOutcome(enum.Enum):
    MATCH = "match"  # the scanner and the system agree
    MAPPED = "mapped"  # a consistent substitution: the keymap repairs it
    NOTHING_RECEIVED = "nothing_received"
    LENGTH_DIFFERS = "length_differs"  # dead keys swallowed or merged characters
    CAPS_LOCK = "caps_lock"  # letters arrive in the other case
    AMBIGUOUS = "ambiguous"  # two characters arrive as the same one


@dataclass(frozen=True)
class CalibrationResult:
    """What a calibration scan showed. ``ok``: scans will read right (with ``keymap`` applied).

    ``keymap`` maps a received character to the intended one (empty when nothing needs
    translating); ``problem`` explains, in English, what is wrong and what to do (empty when all
    is well; the UI may word its own message from ``outcome``). ``prefix`` and ``suffix`` are
    extra characters the scanner sent around the code (an AIM identifier such as ``]C0``).
    """

    outcome: CalibrationOutcome
    keymap: Mapping[str, str] = field(default_factory=dict)
    problem: str = ""
    prefix: str = ""
    suffix: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "keymap", MappingProxyType(dict(self.keymap)))

    @property
    def ok(self) -> bool:
        return self.outcome in (CalibrationOutcome.MATCH, CalibrationOutcome.MAPPED)


_FIX_LAYOUT = (
    "Set the scanner's keyboard country to the system's layout (a programming barcode in its "
    "manual), or use the scanner in serial (USB-CDC) mode."
)


def calibrate(expected: str, received: str) -> CalibrationResult:
    """Compare what a calibration scan should have typed with what arrived.

    ``received`` is the text typed into a plain field with the wedge disabled (a trailing line
    break is ignored). Extra characters around the code are reported as ``prefix``/``suffix``.
    """
    if not expected:
        raise ValueError("nothing to calibrate against")
    received = received.rstrip("\r\n")
    if not received:
        return CalibrationResult(
            CalibrationOutcome.NOTHING_RECEIVED,
            problem=(
                "No character arrived: check that the scanner is connected and in keyboard "
                "(USB HID) mode, and that the calibration field has the focus."
            ),
        )
    if expected.swapcase() != expected and _case_flipped(expected, received):
        return CalibrationResult(
            CalibrationOutcome.CAPS_LOCK,
            problem=(
                "Letters arrive in the opposite case: Caps Lock is on (or the scanner converts "
                "case). Turn Caps Lock off, or enable the scanner's Caps Lock override."
            ),
        )
    best: tuple[int, dict[str, str], int] | None = None  # differences, mapping, start
    ambiguity = ""
    for start in range(len(received) - len(expected) + 1):
        inner = received[start : start + len(expected)]
        mapping, conflict = _substitution(expected, inner)
        if mapping is None:
            ambiguity = ambiguity or conflict
            continue
        differences = sum(1 for r, e in mapping.items() if r != e)
        if best is None or differences < best[0]:
            best = (differences, mapping, start)
    if best is None:
        if len(received) != len(expected):
            return _length_differs(expected, received)
        return CalibrationResult(
            CalibrationOutcome.AMBIGUOUS, problem=f"Different characters {ambiguity}. {_FIX_LAYOUT}"
        )
    differences, mapping, start = best
    prefix, suffix = received[:start], received[start + len(expected) :]
    extras = _describe_extras(prefix, suffix)
    if not differences:
        return CalibrationResult(
            CalibrationOutcome.MATCH, problem=extras, prefix=prefix, suffix=suffix
        )
    keymap = _with_other_case(mapping)
    shown = ", ".join(f"{e!r} arrives as {r!r}" for r, e in mapping.items() if r != e)
    problem = (
        f"{_guess_layouts(keymap)}: {shown}. Scans are translated with the keymap (only these "
        f"characters); better: {_FIX_LAYOUT[0].lower()}{_FIX_LAYOUT[1:]}"
    )
    return CalibrationResult(
        CalibrationOutcome.MAPPED,
        keymap=keymap,
        problem=f"{problem} {extras}".strip(),
        prefix=prefix,
        suffix=suffix,
    )


def _case_flipped(expected: str, received: str) -> bool:
    if len(expected) != len(received):
        return False
    letters = [(e, r) for e, r in zip(expected, received, strict=True) if e.swapcase() != e]
    return bool(letters) and all(r == e.swapcase() for e, r in letters)


def _substitution(expected: str, received: str) -> tuple[dict[str, str] | None, str]:
    """The received -> expected mapping if it is consistent, else None and the conflict."""
    mapping: dict[str, str] = {}
    for r, e in zip(received, expected, strict=True):
        known = mapping.setdefault(r, e)
        if known != e:
            return None, f"arrive as the same one ({known!r} and {e!r} both arrive as {r!r})"
    return mapping, ""


def _with_other_case(mapping: Mapping[str, str]) -> dict[str, str]:
    """The differing pairs, plus the other case of letter-for-letter swaps (Y/Z, A/Q)."""
    keymap = {r: e for r, e in mapping.items() if r != e}
    for r, e in list(keymap.items()):
        if r.isalpha() and e.isalpha() and r.swapcase() != r and r.swapcase() not in mapping:
            keymap[r.swapcase()] = e.swapcase()
    return keymap


def _guess_layouts(keymap: Mapping[str, str]) -> str:
    def has(**pairs: str) -> bool:
        return all(keymap.get(r) == e for r, e in pairs.items())

    if keymap.get("'") == "-" and keymap.get("-") == "/":
        return "The scanner types a US (or UK) keyboard layout on a Spanish system"
    if keymap.get("/") == "-" and keymap.get("&") == "/":
        return "The scanner types a Spanish keyboard layout on a US (or UK) system"
    if has(Y="Z", Z="Y"):
        return "The scanner and the system disagree on QWERTY and German QWERTZ"
    if has(A="Q", Q="A"):
        return "The scanner and the system disagree on QWERTY and French AZERTY"
    return "The scanner's keyboard layout differs from the system's"


def _describe_extras(prefix: str, suffix: str) -> str:
    parts = []
    if prefix:
        parts.append(f"sends {prefix!r} before the code")
    if suffix:
        parts.append(f"sends {suffix!r} after it")
    if not parts:
        return ""
    return (
        f"The scanner {' and '.join(parts)}: configure it as the wedge's prefix or suffix, or "
        "turn it off on the scanner (an AIM identifier such as ']C0' is a scanner setting)."
    )


def _length_differs(expected: str, received: str) -> CalibrationResult:
    at = next(
        (i for i, (e, r) in enumerate(zip(expected, received, strict=False)) if e != r),
        min(len(expected), len(received)),
    )
    got = repr(received[at]) if at < len(received) else "nothing"
    want = repr(expected[at]) if at < len(expected) else "nothing"
    why = (
        "the system's keyboard layout turns some of the scanner's keys into dead keys "
        "(´ ` ^ ¨) that swallow or merge characters, which no keymap can undo"
        if len(received) < len(expected)
        else "the scanner adds characters the calibration cannot place, or dead keys merged "
        "characters into others"
    )
    return CalibrationResult(
        CalibrationOutcome.LENGTH_DIFFERS,
        problem=(
            f"{len(expected)} characters were expected and {len(received)} arrived (first "
            f"difference at position {at + 1}: expected {want}, got {got}): {why}. {_FIX_LAYOUT}"
        ),
    )
