"""The customer pole display against a real pseudo-terminal (and a TCP socket), both protocols."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import serial  # type: ignore[import-untyped]

from hardware.display import PoleDisplay, fit_line, layout_line, to_display_text
from hardware.errors import DeviceUnavailable
from hardware.simulators.display_simulator import DisplayDecoder, DisplaySimulator
from hardware.simulators.pty_device import PtyDevice
from hardware.status import DeviceState

PROTOCOLS = ["epson", "cd5220"]


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[DisplaySimulator]:
    with DisplaySimulator(tmp_path / "ttyDisplay") as simulator:
        yield simulator


@pytest.fixture(params=PROTOCOLS)
def display(request: pytest.FixtureRequest, sim: DisplaySimulator) -> Iterator[PoleDisplay]:
    device = PoleDisplay(sim.path, protocol=request.param, timeout=0.5)
    yield device
    device.close()


def test_show_puts_two_rows_on_the_display(sim: DisplaySimulator, display: PoleDisplay) -> None:
    display.show("Bienvenido", "Tienda de Lola")

    sim.wait_for_lines("Bienvenido", "Tienda de Lola")
    assert sim.screen == ("Bienvenido".ljust(20), "Tienda de Lola".ljust(20))


def test_each_show_replaces_the_previous_rows_entirely(
    sim: DisplaySimulator, display: PoleDisplay
) -> None:
    display.show("A long first line...", "and a long second one")
    display.show("Short", "")

    sim.wait_for_lines("Short", "")
    assert sim.decoder.inits == 1  # initialised once, when the port was opened


def test_over_long_text_is_cut_to_the_columns(sim: DisplaySimulator, display: PoleDisplay) -> None:
    display.show("Gracias por su visita, vuelva pronto", "x" * 50)

    sim.wait_for_lines("Gracias por su visit", "x" * 20)


def test_clear_blanks_both_rows(sim: DisplaySimulator, display: PoleDisplay) -> None:
    display.show("TOTAL", "12,30 €")
    display.clear()
    display.show("Otra", "venta")
    display.clear()

    sim.wait_for_lines("", "")


def test_epson_shows_spanish_accents_and_the_euro_through_cp858(sim: DisplaySimulator) -> None:
    display = PoleDisplay(sim.path, protocol="epson")
    try:
        display.show("¿Año? ¡Piña! ÁÉÍÓÚÜÑ", display.layout_line("Jamón ibérico", "12,30 €"))
    finally:
        display.close()

    sim.wait_for_lines("¿Año? ¡Piña! ÁÉÍÓÚÜÑ", "Jamón ibéric 12,30 €")
    assert sim.decoder.codec == "cp858"
    assert b"\xd5" in sim.received  # the euro sign of CP858


def test_cd5220_keeps_enye_via_the_spain_set_drops_accents_and_spells_the_euro(
    sim: DisplaySimulator,
) -> None:
    display = PoleDisplay(sim.path, protocol="cd5220")
    try:
        display.show("¿Año? ¡Piña! ÁÉÍÓÚÜÑ", display.layout_line("Jamón", "12,30 €"))
    finally:
        display.close()

    sim.wait_for_lines("¿Año? ¡Piña! AEIOUUÑ", "Jamon      12,30 EUR")
    assert max(sim.received) < 0x80  # 7-bit only: no code page is assumed


def test_cd5220_never_cuts_an_amount_when_the_euro_grows(sim: DisplaySimulator) -> None:
    display = PoleDisplay(sim.path, protocol="cd5220")
    try:
        # 20 columns as the app lays it out, 22 once "€" is spelled "EUR"
        display.show(layout_line("Chorizo ibérico", "1,20 €"), "TOTAL 1.234,56 €")
    finally:
        display.close()

    sim.wait_for_lines("Chorizo ibe 1,20 EUR", "TOTAL 1.234,56 EUR")


def test_control_characters_in_the_text_cannot_inject_commands(
    sim: DisplaySimulator, display: PoleDisplay
) -> None:
    display.show("A\x1b@B\x0cC", "D\x1fE\rF")

    sim.wait_for_lines("A@B C", "DE F")  # ESC and US dropped, FF and CR become spaces
    assert sim.decoder.inits == 1


def test_a_command_cut_in_half_earlier_does_not_swallow_the_initialisation(
    sim: DisplaySimulator, display: PoleDisplay
) -> None:
    half = b"\x1f$" if display.protocol == "epson" else b"\x1bQAhal"  # then the write failed
    port = serial.Serial(sim.path, timeout=0.5, write_timeout=0.5)
    port.write(half)
    port.close()
    sim.wait_for_bytes(len(half))

    display.show("Año", "¿Qué?")

    sim.wait_for_lines("Año", "¿Que?" if display.protocol == "cd5220" else "¿Qué?")
    assert sim.decoder.inits == 1


def test_unplugged_display_raises_and_works_again_after_replug(sim: DisplaySimulator) -> None:
    display = PoleDisplay(sim.path, protocol="epson", timeout=0.5)
    try:
        display.show("Uno", "1,00 €")
        sim.wait_for_lines("Uno", "1,00 €")

        sim.unplug()
        with pytest.raises(DeviceUnavailable, match="disconnected"):
            display.show("Dos", "2,00 €")
        assert display.status().state is DeviceState.OFFLINE
        with pytest.raises(DeviceUnavailable, match="not connected"):
            display.show("Dos", "2,00 €")

        sim.replug()
        assert display.status().state is DeviceState.READY
        display.show("Tres", "3,00 €")
        sim.wait_for_lines("Tres", "3,00 €")
        assert sim.decoder.inits == 1  # the replugged display was initialised again
    finally:
        display.close()


def test_status_notices_a_display_unplugged_while_idle(sim: DisplaySimulator) -> None:
    display = PoleDisplay(sim.path, protocol="cd5220")
    try:
        assert display.status().state is DeviceState.READY
        sim.unplug()
        status = display.status()
        assert status.state is DeviceState.OFFLINE
        assert sim.path in status.detail
    finally:
        display.close()


def test_a_missing_port_raises_device_unavailable_only_when_used(tmp_path: Path) -> None:
    display = PoleDisplay(str(tmp_path / "ttyNothing"))

    with pytest.raises(DeviceUnavailable, match="no such device"):
        display.show("a", "b")
    assert display.status().state is DeviceState.OFFLINE


def test_a_display_that_stops_reading_fails_within_the_timeout(tmp_path: Path) -> None:
    with PtyDevice(tmp_path / "ttyStuck") as stuck:  # nobody reads: the pty buffer fills up
        display = PoleDisplay(stuck.path, timeout=0.2)
        try:
            with pytest.raises(DeviceUnavailable, match="did not accept data within 0.2 s"):
                for _ in range(10_000):
                    started = time.monotonic()
                    display.show("x" * 20, "y" * 20)
            assert time.monotonic() - started < 1.0
            status = display.status()
            assert status.state is DeviceState.OFFLINE
            assert "did not accept data" in status.detail
        finally:
            display.close()


def test_the_port_is_opened_without_flow_control(sim: DisplaySimulator) -> None:
    display = PoleDisplay(sim.path, baudrate=19200)
    try:
        display.show("a", "b")
        settings = sim.line_settings()
    finally:
        display.close()

    assert (settings.baudrate, settings.rtscts, settings.xonxoff) == (19200, False, False)


def test_a_display_behind_a_serial_device_server_via_socket_url() -> None:
    """pyserial's ``socket://`` reaches displays on a TCP serial server (Moxa NPort and kin)."""
    decoder = DisplayDecoder()
    received = threading.Event()
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]

        def serve() -> None:
            connection, _ = server.accept()
            with connection:
                while data := connection.recv(4096):
                    decoder.feed(data)
                    if decoder.lines == ("TOTAL      12,30 EUR", "Gracias"):
                        received.set()

        thread = threading.Thread(target=serve)
        thread.start()
        display = PoleDisplay(f"socket://127.0.0.1:{port}", protocol="cd5220")
        try:
            display.show(display.layout_line("TOTAL", "12,30 €"), "Gracias")
            assert received.wait(3.0), decoder.lines
        finally:
            display.close()
            thread.join(3.0)


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("Pan de barra", "1,20 €", "Pan de barra  1,20 €"),
        ("Descripción muy larga del artículo", "123,45 €", "Descripción 123,45 €"),
        ("TOTAL", "", "TOTAL"),
        ("", "5,00 €", "              5,00 €"),
    ],
)
def test_layout_line_puts_the_amount_at_the_right_edge(
    left: str, right: str, expected: str
) -> None:
    assert layout_line(left, right, 20) == expected


def test_fit_line_pads_and_shrinks_the_gap_before_cutting() -> None:
    assert fit_line("abc", 5) == "abc  "
    assert fit_line("Pan de barra      1,20 EUR", 20) == "Pan de barr 1,20 EUR"
    assert fit_line("Pan    de barra  1,20", 20) == "Pan   de barra  1,20"  # widest gap first
    assert fit_line("Gracias por su visita", 10) == "Gracias po"


def test_display_text_per_protocol() -> None:
    assert to_display_text("Café – 3 € “ok”", "epson") == 'Café - 3 € "ok"'
    assert to_display_text("Café – 3 € [#1|ñ]", "cd5220") == "Cafe - 3 EUR (?1/ñ)"


def test_unknown_protocol_and_bad_columns_are_refused() -> None:
    with pytest.raises(ValueError, match="protocol"):
        PoleDisplay("/dev/null", protocol="star")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="columns"):
        PoleDisplay("/dev/null", columns=0)
