"""The decoder reads what python-escpos itself emits (its Dummy printer), method by method."""

from __future__ import annotations

from typing import Any

import pytest

from hardware.escpos_decoder import (
    Barcode,
    CodePage,
    Cut,
    DecodedReceipt,
    DrawerKick,
    Event,
    Image,
    Init,
    QrCode,
    StatusRequest,
    decode,
)
from hardware.printers.escpos_setup import ensure_escpos_ready


@pytest.fixture
def dummy() -> Any:
    ensure_escpos_ready()
    from escpos.printer import Dummy  # type: ignore[import-untyped]

    return Dummy()


def device_events(result: DecodedReceipt) -> list[Event]:
    """Events other than code page changes (escpos sends ESC t 0 before its first text)."""
    return [event for event in result.events if not isinstance(event, CodePage)]


def test_automatic_encoding_of_spanish_text_round_trips(dummy: Any) -> None:
    dummy.text("Señor Café 1,25 € ¿Qué? ¡Olé! Íñigo\n")

    result = decode(dummy.output)

    assert result.lines == ["Señor Café 1,25 € ¿Qué? ¡Olé! Íñigo"]
    # python-escpos's automatic choice switches pages for this text; all are decoded.
    assert len(result.events_of(CodePage)) >= 2


def test_forced_cp858_after_init_round_trips(dummy: Any) -> None:
    dummy.hw("INIT")
    dummy.charcode("CP858")
    dummy.textln("Señor Café 1,25 €")

    result = decode(dummy.output)

    assert dummy.output.startswith(b"\x1b@\x1bt\x13")
    assert result.events == [Init(), CodePage(19, "CP858")]
    assert result.lines == ["Señor Café 1,25 €"]


def test_code128_barcode(dummy: Any, capsys: pytest.CaptureFixture[str]) -> None:
    dummy.textln("before")
    dummy.barcode("{BT01-C01-2026-000001", "CODE128", function_type="B")
    dummy.textln("after")

    result = decode(dummy.output)

    assert device_events(result) == [Barcode("CODE128", "{BT01-C01-2026-000001")]
    assert result.events_of(Barcode)[0].text == "T01-C01-2026-000001"
    assert result.lines == ["before", "after"]
    assert "barcode renderer" in capsys.readouterr().out  # escpos uses print()


def test_ean13_barcode_in_form_a(dummy: Any) -> None:
    dummy.barcode("4006381333931", "EAN13", function_type="A")

    assert device_events(decode(dummy.output)) == [Barcode("EAN13", "4006381333931")]


def test_native_qr_code(dummy: Any) -> None:
    dummy.qr("https://tienda.example/r/T01-C01-2026-000001", native=True, size=5)
    dummy.textln("below")

    result = decode(dummy.output)

    assert device_events(result) == [QrCode("https://tienda.example/r/T01-C01-2026-000001")]
    assert result.lines == ["below"]


def test_image_qr_code_is_an_image_without_text(dummy: Any) -> None:
    dummy.qr("https://tienda.example/r/1", native=False)

    result = decode(dummy.output)

    assert device_events(result) == [Image()]
    assert all(line == "" for line in result.lines)


@pytest.mark.parametrize("impl", ["bitImageRaster", "graphics", "bitImageColumn"])
def test_every_image_implementation_is_one_image(dummy: Any, impl: str) -> None:
    from PIL import Image as PilImage

    picture = PilImage.new("1", (40, 30), color=0)
    dummy.image(picture, impl=impl)
    dummy.textln("caption")

    result = decode(dummy.output)

    assert device_events(result) == [Image()]
    assert result.lines[-1] == "caption"
    assert all(line == "" for line in result.lines[:-1])


def test_full_cut_after_feed(dummy: Any) -> None:
    dummy.textln("last line")
    dummy.cut()

    result = decode(dummy.output)

    assert device_events(result) == [Cut(partial=False)]
    assert result.lines[0] == "last line"
    assert result.lines[1:] == [""] * 6  # ESC d 6: six blank lines before the cut


def test_partial_cut(dummy: Any) -> None:
    dummy.cut(mode="PART")

    assert device_events(decode(dummy.output)) == [Cut(partial=True)]


def test_cut_without_feed_is_always_partial_in_escpos(dummy: Any) -> None:
    dummy.cut(feed=False)  # python-escpos sends GS V 66 0 whatever the mode

    assert dummy.output == b"\x1dVB\x00"
    assert device_events(decode(dummy.output)) == [Cut(partial=True)]


@pytest.mark.parametrize(
    ("pin", "expected"),
    [(2, DrawerKick(pin=2)), (5, DrawerKick(pin=5)), ([27, 112, 0, 25, 250], DrawerKick(pin=2))],
)
def test_cash_drawer_kick(dummy: Any, pin: Any, expected: DrawerKick) -> None:
    dummy.cashdraw(pin)

    assert device_events(decode(dummy.output)) == [expected]


def test_every_text_setting_is_skipped(dummy: Any) -> None:
    dummy.set(
        align="center",
        font="b",
        bold=True,
        underline=2,
        double_width=True,
        double_height=True,
        density=3,
        invert=True,
        smooth=True,
        flip=True,
    )
    dummy.text("styled")
    dummy.set(custom_size=True, width=3, height=4)
    dummy.set_with_default()
    dummy.line_spacing(30)
    dummy.line_spacing(30, divisor=360)
    dummy.line_spacing(20, divisor=60)
    dummy.line_spacing()
    dummy.textln(" text")
    dummy.control("HT", count=4, tab_size=8)
    dummy.control("CR")
    dummy.print_and_feed(2)
    dummy.panel_buttons(False)
    dummy.panel_buttons(True)
    dummy.buzzer(2, 3)
    dummy.target("ROLL")
    dummy.hw("SELECT")
    dummy.hw("RESET")
    dummy.textln("end")

    result = decode(dummy.output)

    assert result.lines == ["styled text", "", "", "end"]
    assert device_events(result) == []


def test_line_display_commands(dummy: Any) -> None:
    dummy.linedisplay("Hola")

    result = decode(dummy.output)

    # ESC = 2 selects the display, ESC @ clears it (the decoder sees an init), ESC = 1 back.
    assert device_events(result) == [Init()]
    assert result.lines == ["Hola"]


def test_escpos_status_queries_are_status_requests(dummy: Any) -> None:
    from escpos.constants import RT_STATUS_ONLINE, RT_STATUS_PAPER  # type: ignore[import-untyped]

    dummy.text("Caf")
    dummy._raw(RT_STATUS_ONLINE)  # what query_status() / is_online() send
    dummy.textln("é")
    dummy._raw(RT_STATUS_PAPER)  # what paper_status() sends

    result = decode(dummy.output)

    assert result.lines == ["Café"]
    assert device_events(result) == [StatusRequest("DLE EOT", 1), StatusRequest("DLE EOT", 4)]


@pytest.mark.parametrize(("pin", "selector"), [(2, 0), (5, 1)])
def test_cash_drawer_pins_and_pulse_as_escpos_sends_them(
    dummy: Any, pin: int, selector: int
) -> None:
    dummy.cashdraw(pin)

    assert dummy.output == b"\x1bp" + bytes([selector, 50, 50])
    (kick,) = decode(dummy.output).events_of(DrawerKick)
    assert (kick.pin, kick.on_ms, kick.off_ms) == (pin, 100, 100)


def test_prepared_logo_as_a_raster_image(dummy: Any) -> None:
    from PIL import Image as PilImage

    from hardware.printers.logo import prepare_logo

    logo = prepare_logo(PilImage.new("RGB", (300, 90), (20, 20, 20)), width_dots=576)
    dummy.hw("INIT")
    dummy.image(logo, impl="bitImageRaster")
    dummy.textln("Tienda")

    result = decode(dummy.output)

    assert device_events(result) == [Init(), Image()]
    image = result.events_of(Image)[0]
    assert (image.width, image.height, image.at_line) == (576, 90, 0)
    assert dummy.output[2:10] == b"\x1dv0\x00\x48\x00\x5a\x00"  # GS v 0, 72 x 90
    assert result.lines == ["Tienda"]
