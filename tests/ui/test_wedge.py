"""The keyboard-wedge filter on real widgets: scanner bursts become scans, typing stays typing.

Timing is made deterministic with a fake clock (``now_ms``): a burst advances it a few
milliseconds a key, a person 150 ms; no event loop runs inside a burst, so the hold timer can
only fire where a test lets it (``qtbot.waitUntil``). Keys enter through the native window with
``QTest``, as a keyboard's do: spontaneous, offered to shortcuts first, routed to the focus widget.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QWindow
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.main_window import ScanLineEdit
from pos_app.ui.wedge import (
    CALIBRATION_CODE,
    CalibrationOutcome,
    KeyboardWedge,
    WedgeSettings,
    calibrate,
    translate,
)

SCANNER_GAP_MS = 8
PERSON_GAP_MS = 150
EAN = "8410000000019"

# What a scanner left at "US keyboard" types on a Spanish system for CALIBRATION_CODE.
US_SCANNER_ON_SPANISH_SYSTEM = "AQWZYM'.-¿0123456789"


class FakeKeyClock:
    """Milliseconds that move only when a test says so."""

    def __init__(self) -> None:
        self.ms = 10_000.0

    def __call__(self) -> float:
        return self.ms

    def advance(self, ms: float) -> None:
        self.ms += ms


class CheckoutStandIn(QWidget):
    """The checkout screen's shape: the real scan field, a second field, F2 and a button."""

    def __init__(self) -> None:
        super().__init__()
        self.scan_field = ScanLineEdit()
        self.note_field = QLineEdit()
        self.pay_button = QPushButton("Cobrar")
        layout = QVBoxLayout(self)
        for widget in (self.scan_field, self.note_field, self.pay_button):
            layout.addWidget(widget)
        self.entered: list[str] = []  # codes the scan field handled itself, as the window does
        self.scan_field.returnPressed.connect(self._on_scan_field_return_pressed)
        self.f2_saw: list[str] = []  # the scan field's text when F2 fired
        QShortcut(QKeySequence("F2"), self, lambda: self.f2_saw.append(self.scan_field.text()))
        self.clicks_saw: list[str] = []
        self.pay_button.clicked.connect(lambda: self.clicks_saw.append(self.scan_field.text()))

    def _on_scan_field_return_pressed(self) -> None:
        self.entered.append(self.scan_field.text())
        self.scan_field.clear()


# --- fixtures and helpers -------------------------------------------------------------------


@pytest.fixture
def key_clock() -> FakeKeyClock:
    return FakeKeyClock()


@pytest.fixture
def wedge(qapp, key_clock: FakeKeyClock) -> Iterator[KeyboardWedge]:
    wedge = KeyboardWedge(now_ms=key_clock)
    wedge.install(qapp)
    yield wedge
    wedge.uninstall()


@pytest.fixture
def scans(wedge: KeyboardWedge) -> list[str]:
    received: list[str] = []
    wedge.scanned.connect(received.append)
    return received


@pytest.fixture
def stand(qtbot) -> CheckoutStandIn:
    widget = CheckoutStandIn()
    qtbot.addWidget(widget)
    with qtbot.waitExposed(widget):
        widget.show()
    focus(qtbot, widget.scan_field)
    return widget


def focus(qtbot, widget: QWidget) -> None:
    widget.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=2000)


def _key_of(ch: str) -> tuple[Qt.Key, Qt.KeyboardModifier]:
    if ch == "\x1d":  # the GS1 group separator, typed as Ctrl+]
        return Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier
    return Qt.Key(ord(ch.upper())), Qt.KeyboardModifier.NoModifier


def _keyboard(widget: QWidget) -> QWindow:
    """Keys enter through the native window, as a keyboard's do, and Qt routes them to the focus
    widget (and, through an application filter, past it more than once)."""
    window = widget.window().windowHandle()
    assert window is not None and QApplication.focusWidget() is widget
    return window


def type_text(widget: QWidget, text: str, clock: FakeKeyClock, gap_ms: float) -> None:
    """Each character as a keyboard would send it, ``gap_ms`` after the previous key."""
    for ch in text:
        clock.advance(gap_ms)
        key, modifiers = _key_of(ch)
        QTest.sendKeyEvent(QTest.KeyAction.Click, _keyboard(widget), key, ch, modifiers)


def press(widget: QWidget, key: Qt.Key, clock: FakeKeyClock, gap_ms: float, mods=None) -> None:
    clock.advance(gap_ms)
    QTest.keyClick(_keyboard(widget), key, mods or Qt.KeyboardModifier.NoModifier)


def scan(widget: QWidget, code: str, clock: FakeKeyClock) -> None:
    type_text(widget, code, clock, SCANNER_GAP_MS)
    press(widget, Qt.Key.Key_Return, clock, SCANNER_GAP_MS)


# --- bursts become scans ---------------------------------------------------------------------


def test_a_burst_and_enter_in_the_scan_field_is_one_scan_and_leaves_the_field_empty(
    qtbot, stand, key_clock, scans, wedge
):
    scan(stand.scan_field, EAN, key_clock)
    assert scans == [EAN]
    assert stand.scan_field.text() == ""
    assert stand.entered == []  # the field never saw the Enter
    assert not wedge.holding
    qtbot.wait(60)  # nothing is replayed later either
    assert stand.scan_field.text() == "" and scans == [EAN]


def test_a_burst_while_another_field_has_the_focus_is_a_scan_and_leaves_that_field_alone(
    qtbot, stand, key_clock, scans
):
    stand.note_field.setText("mesa 3")
    focus(qtbot, stand.note_field)
    scan(stand.note_field, EAN, key_clock)
    assert scans == [EAN]
    assert stand.note_field.text() == "mesa 3"
    assert stand.scan_field.text() == "" and stand.entered == []


def test_a_burst_in_a_dialog_field_is_a_scan_and_its_enter_does_not_accept_the_dialog(
    qtbot, stand, key_clock, scans
):
    dialog = QDialog(stand)
    field = QLineEdit(dialog)
    ok = QPushButton("Aceptar", dialog)
    ok.setDefault(True)
    ok.clicked.connect(dialog.accept)
    layout = QVBoxLayout(dialog)
    layout.addWidget(field)
    layout.addWidget(ok)
    with qtbot.waitExposed(dialog):
        dialog.open()
    focus(qtbot, field)

    scan(field, "ABC-12345", key_clock)
    assert scans == ["ABC-12345"]
    assert field.text() == "" and dialog.isVisible() and dialog.result() == 0

    type_text(field, "mesa", key_clock, PERSON_GAP_MS)  # the person's typing still works
    press(field, Qt.Key.Key_Return, key_clock, PERSON_GAP_MS)
    assert field.text() == "mesa" and not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert scans == ["ABC-12345"]


def test_capitals_sent_with_shift_and_gs1_separators_stay_in_the_burst(
    qtbot, stand, key_clock, scans
):
    field = stand.scan_field
    type_text(field, "01", key_clock, SCANNER_GAP_MS)
    key_clock.advance(SCANNER_GAP_MS)
    QTest.keyClick(field.window().windowHandle(), Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    type_text(field, "123\x1d10", key_clock, SCANNER_GAP_MS)
    press(field, Qt.Key.Key_Enter, key_clock, SCANNER_GAP_MS)  # the keypad's Enter ends it too
    assert scans == ["01a123\x1d10"]  # QTest sends "a" for Key_A with Shift
    assert field.text() == ""


def test_a_late_hold_timer_waits_once_more_for_keys_queued_behind_a_busy_gui_thread(
    qtbot, stand, key_clock, scans, wedge
):
    field = stand.scan_field
    type_text(field, "841", key_clock, SCANNER_GAP_MS)
    time.sleep(0.12)  # the GUI thread is busy; the scanner's keys wait in the queue
    QApplication.processEvents()  # the overdue timer fires before the queued keys arrive
    assert wedge.holding and field.text() == ""
    scan(field, "0000000019", key_clock)  # the queued keys, with their original rhythm
    assert scans == [EAN] and field.text() == ""


# --- typing stays typing ---------------------------------------------------------------------


def test_typing_a_code_and_enter_in_the_scan_field_is_handled_by_the_field(
    qtbot, stand, key_clock, scans
):
    field = stand.scan_field
    type_text(field, EAN[:1], key_clock, PERSON_GAP_MS)
    qtbot.waitUntil(lambda: field.text() == EAN[:1], timeout=1000)  # shown after the hold
    type_text(field, EAN[1:], key_clock, PERSON_GAP_MS)
    press(field, Qt.Key.Key_Return, key_clock, PERSON_GAP_MS)
    assert stand.entered == [EAN]
    assert scans == []


def test_typing_in_another_field_appears_exactly(qtbot, stand, key_clock, scans, wedge):
    focus(qtbot, stand.note_field)
    text = "Entregar a Ana, 2º piso"
    for ch in text:  # each key shows on its own, once its hold has expired
        before = stand.note_field.text()
        type_text(stand.note_field, ch, key_clock, PERSON_GAP_MS)
        qtbot.waitUntil(lambda b=before, c=ch: stand.note_field.text() == b + c, timeout=1000)
    assert stand.note_field.text() == text
    assert scans == [] and not wedge.holding


def test_fast_typing_of_a_short_word_and_enter_stays_typing(qtbot, stand, key_clock, scans):
    type_text(stand.scan_field, "leche", key_clock, SCANNER_GAP_MS)  # 5 < min_length 6
    press(stand.scan_field, Qt.Key.Key_Return, key_clock, SCANNER_GAP_MS)
    assert stand.entered == ["leche"]
    assert scans == []


def test_a_burst_without_its_enter_in_time_is_typing(qtbot, stand, key_clock, scans):
    type_text(stand.scan_field, EAN, key_clock, SCANNER_GAP_MS)
    press(stand.scan_field, Qt.Key.Key_Return, key_clock, PERSON_GAP_MS)
    assert stand.entered == [EAN]
    assert scans == []


def test_a_burst_interrupted_by_a_pause_is_replayed_exactly(qtbot, stand, key_clock, scans):
    field = stand.scan_field
    type_text(field, "84100", key_clock, SCANNER_GAP_MS)
    qtbot.waitUntil(lambda: field.text() == "84100", timeout=1000)  # the hold expired
    type_text(field, "ab", key_clock, SCANNER_GAP_MS)
    type_text(field, "C", key_clock, PERSON_GAP_MS)  # a pause inside the clock: no event loop
    assert field.text() == "84100ab"  # replayed as soon as the rhythm broke; C is held
    type_text(field, "-", key_clock, PERSON_GAP_MS)
    assert field.text() == "84100abC"
    qtbot.waitUntil(lambda: field.text() == "84100abC-", timeout=1000)
    assert scans == []


def test_a_button_pressed_with_space_still_clicks(qtbot, stand, key_clock, scans):
    stand.pay_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    focus(qtbot, stand.pay_button)
    type_text(stand.pay_button, " ", key_clock, PERSON_GAP_MS)  # press and release, both held
    qtbot.waitUntil(lambda: len(stand.clicks_saw) == 1, timeout=1000)
    assert not stand.pay_button.isDown()


# --- keys that are not text pass straight through ----------------------------------------------


def test_a_shortcut_fires_after_the_text_typed_before_it_has_landed(
    qtbot, stand, key_clock, scans, wedge
):
    type_text(stand.scan_field, "caf", key_clock, SCANNER_GAP_MS)
    assert wedge.holding
    press(stand.scan_field, Qt.Key.Key_F2, key_clock, SCANNER_GAP_MS)
    assert stand.f2_saw == ["caf"]
    assert stand.scan_field.text() == "caf" and not wedge.holding


def test_ctrl_shortcuts_and_arrows_reach_the_widget(qtbot, stand, key_clock, scans):
    field = stand.note_field
    focus(qtbot, field)
    type_text(field, "hola", key_clock, SCANNER_GAP_MS)
    press(field, Qt.Key.Key_A, key_clock, SCANNER_GAP_MS, Qt.KeyboardModifier.ControlModifier)
    press(field, Qt.Key.Key_C, key_clock, SCANNER_GAP_MS, Qt.KeyboardModifier.ControlModifier)
    assert field.selectedText() == "hola"
    assert QGuiApplication.clipboard().text() == "hola"
    press(field, Qt.Key.Key_Home, key_clock, SCANNER_GAP_MS)
    type_text(field, "¡", key_clock, PERSON_GAP_MS)
    qtbot.waitUntil(lambda: field.text() == "¡hola", timeout=1000)

    moved: list[int] = []
    stand.scan_field.up_pressed.connect(lambda: moved.append(-1))
    focus(qtbot, stand.scan_field)
    press(stand.scan_field, Qt.Key.Key_Up, key_clock, SCANNER_GAP_MS)
    assert moved == [-1]
    assert scans == []


def test_a_mouse_click_acts_on_the_text_typed_before_it(qtbot, stand, key_clock, scans, wedge):
    type_text(stand.scan_field, "12", key_clock, SCANNER_GAP_MS)
    assert wedge.holding
    qtbot.mouseClick(stand.pay_button, Qt.MouseButton.LeftButton)
    assert stand.clicks_saw == ["12"]


# --- prefix, keymap, settings ----------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["§", "F13"])
def test_with_a_prefix_the_prefix_starts_a_scan_whatever_the_timing(
    qtbot, stand, key_clock, scans, wedge, prefix
):
    wedge.set_settings(WedgeSettings(prefix=prefix))
    field = stand.scan_field
    if prefix == "F13":
        press(field, Qt.Key.Key_F13, key_clock, PERSON_GAP_MS)
    else:
        type_text(field, prefix, key_clock, PERSON_GAP_MS)
    type_text(field, "1234", key_clock, 60)  # a slow scanner, a short code
    press(field, Qt.Key.Key_Return, key_clock, 60)
    assert scans == ["1234"] and field.text() == "" and stand.entered == []

    scan(field, EAN, key_clock)  # without the prefix even a fast burst is typing
    assert stand.entered == [EAN] and scans == ["1234"]


def test_a_prefix_key_is_the_scanners_even_where_it_is_also_a_shortcut(
    qtbot, stand, key_clock, scans, wedge
):
    wedge.set_settings(WedgeSettings(prefix="F2"))
    press(stand.scan_field, Qt.Key.Key_F2, key_clock, PERSON_GAP_MS)
    scan(stand.scan_field, EAN, key_clock)
    assert scans == [EAN] and stand.f2_saw == []


def test_a_prefix_followed_by_a_long_pause_is_given_back_as_typing(
    qtbot, stand, key_clock, scans, wedge
):
    wedge.set_settings(WedgeSettings(prefix="§", prefix_timeout_ms=50))
    field = stand.scan_field
    type_text(field, "§12", key_clock, 20)
    qtbot.waitUntil(lambda: field.text() == "§12", timeout=1000)
    assert scans == [] and not wedge.holding


def test_a_tab_suffix_ends_a_scan_instead_of_enter(qtbot, stand, key_clock, scans, wedge):
    wedge.set_settings(WedgeSettings(suffix="Tab"))
    type_text(stand.scan_field, EAN, key_clock, SCANNER_GAP_MS)
    press(stand.scan_field, Qt.Key.Key_Tab, key_clock, SCANNER_GAP_MS)
    assert scans == [EAN]
    assert QApplication.focusWidget() is stand.scan_field  # the Tab did not move the focus


def test_the_calibration_keymap_is_applied_to_every_scan(qtbot, stand, key_clock, scans, wedge):
    result = calibrate(CALIBRATION_CODE, US_SCANNER_ON_SPANISH_SYSTEM)
    wedge.set_settings(WedgeSettings(keymap=result.keymap))
    scan(stand.scan_field, "AB'123-45", key_clock)  # what "AB-123/45" looks like on arrival
    assert scans == ["AB-123/45"]
    type_text(stand.scan_field, "'-", key_clock, PERSON_GAP_MS)  # typing is not translated
    qtbot.waitUntil(lambda: stand.scan_field.text() == "'-", timeout=1000)


def test_uninstalling_or_disabling_the_wedge_leaves_every_key_to_the_widgets(
    qtbot, qapp, stand, key_clock, scans, wedge
):
    wedge.set_settings(WedgeSettings(enabled=False))
    scan(stand.scan_field, EAN, key_clock)
    assert stand.entered == [EAN] and scans == []

    wedge.set_settings(WedgeSettings())
    type_text(stand.scan_field, "841", key_clock, SCANNER_GAP_MS)
    wedge.uninstall()  # what it held is given back
    assert stand.scan_field.text() == "841" and not wedge.installed
    type_text(stand.scan_field, "0000000019", key_clock, SCANNER_GAP_MS)
    press(stand.scan_field, Qt.Key.Key_Return, key_clock, SCANNER_GAP_MS)
    assert stand.entered == [EAN, EAN] and scans == []

    wedge.install(qapp)
    scan(stand.scan_field, EAN, key_clock)
    assert scans == [EAN]


def test_settings_refuse_a_prefix_that_is_neither_a_character_nor_a_key():
    with pytest.raises(ValueError, match="prefix"):
        WedgeSettings(prefix="Scanner")
    with pytest.raises(ValueError):
        WedgeSettings(max_interkey_ms=0)
    assert WedgeSettings(suffix="Enter").suffix == "Enter"


# --- calibration -----------------------------------------------------------------------------


def test_calibration_with_matching_layouts_is_ok_and_needs_no_keymap():
    result = calibrate(CALIBRATION_CODE, CALIBRATION_CODE + "\r")
    assert result.ok and result.outcome is CalibrationOutcome.MATCH
    assert result.keymap == {} and result.problem == ""


def test_calibration_maps_a_us_scanner_on_a_spanish_system():
    result = calibrate(CALIBRATION_CODE, US_SCANNER_ON_SPANISH_SYSTEM)
    assert result.ok and result.outcome is CalibrationOutcome.MAPPED
    assert dict(result.keymap) == {"'": "-", "-": "/", "¿": "+"}
    assert "US (or UK) keyboard layout on a Spanish system" in result.problem
    assert translate(US_SCANNER_ON_SPANISH_SYSTEM, result.keymap) == CALIBRATION_CODE


def test_calibration_maps_a_spanish_scanner_on_a_us_system():
    result = calibrate(CALIBRATION_CODE, "AQWZYM/.&]0123456789")
    assert result.ok
    assert dict(result.keymap) == {"/": "-", "&": "/", "]": "+"}
    assert "Spanish keyboard layout on a US" in result.problem


def test_calibration_maps_qwertz_letters_in_both_cases():
    result = calibrate(CALIBRATION_CODE, "AQWYZM-./+0123456789")
    assert result.ok
    assert dict(result.keymap) == {"Y": "Z", "Z": "Y", "y": "z", "z": "y"}
    assert translate("Zyx", result.keymap) == "Yzx"


def test_calibration_reports_characters_swallowed_by_dead_keys():
    result = calibrate(CALIBRATION_CODE, "AQWYZMß.-023456789")  # ` merged with the 1: lost
    assert not result.ok and result.outcome is CalibrationOutcome.LENGTH_DIFFERS
    assert "20 characters were expected and 18 arrived" in result.problem
    assert "dead keys" in result.problem and result.keymap == {}


def test_calibration_reports_nothing_caps_lock_and_ambiguity():
    nothing = calibrate(CALIBRATION_CODE, "\r\n")
    assert nothing.outcome is CalibrationOutcome.NOTHING_RECEIVED and not nothing.ok
    caps = calibrate(CALIBRATION_CODE, CALIBRATION_CODE.lower())
    assert caps.outcome is CalibrationOutcome.CAPS_LOCK and "Caps Lock" in caps.problem
    ambiguous = calibrate(CALIBRATION_CODE, "AQWZYM-.-+0123456789")
    assert ambiguous.outcome is CalibrationOutcome.AMBIGUOUS and not ambiguous.ok
    assert "'-' and '/' both arrive as '-'" in ambiguous.problem


def test_calibration_finds_what_the_scanner_sends_around_the_code():
    result = calibrate(CALIBRATION_CODE, "]C0" + CALIBRATION_CODE)
    assert result.ok and result.prefix == "]C0" and result.suffix == ""
    assert "']C0' before the code" in result.problem
    mapped = calibrate(CALIBRATION_CODE, "+C0" + US_SCANNER_ON_SPANISH_SYSTEM)
    assert mapped.outcome is CalibrationOutcome.MAPPED and mapped.prefix == "+C0"
    assert dict(mapped.keymap) == {"'": "-", "-": "/", "¿": "+"}
