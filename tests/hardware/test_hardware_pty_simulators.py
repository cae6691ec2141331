"""The pseudo-terminal simulators themselves: stable path, unplug/replug, decoders, clean-up."""

from __future__ import annotations

import os
import threading
from decimal import Decimal
from pathlib import Path

import pytest
import serial  # type: ignore[import-untyped]

from hardware.simulators.display_simulator import DisplayDecoder, DisplaySimulator
from hardware.simulators.pty_device import PtyDevice
from hardware.simulators.scale_simulator import ScaleResponder, ScaleSimulator
from hardware.simulators.scanner_simulator import ScannerSimulator


def open_port(path: str) -> serial.Serial:
    return serial.Serial(path, timeout=0.5, write_timeout=0.5)


def open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


def test_the_stable_path_is_a_link_to_a_pty_that_carries_bytes_both_ways(tmp_path: Path) -> None:
    received: list[bytes] = []
    got = threading.Event()

    def on_data(data: bytes) -> None:
        received.append(data)
        got.set()

    with PtyDevice(tmp_path / "ttyX", on_data=on_data) as device:
        assert os.path.islink(device.path)
        assert os.readlink(device.path) == device.device_name
        assert device.device_name is not None and device.device_name.startswith("/dev/pts/")
        port = open_port(device.path)
        try:
            device.write(b"to the app\r")
            assert port.read_until(b"\r") == b"to the app\r"
            port.write(b"to the device")
            assert got.wait(2.0)
        finally:
            port.close()
    assert b"".join(received) == b"to the device"


def test_unplug_breaks_reads_writes_and_reopening_and_replug_brings_the_same_path_back(
    tmp_path: Path,
) -> None:
    with PtyDevice(tmp_path / "ttyX") as device:
        port = open_port(device.path)

        device.unplug()

        assert (device.plugged, device.device_name) == (False, None)
        assert not os.path.lexists(device.path)
        with pytest.raises(serial.SerialException):
            port.read(1)
        with pytest.raises(serial.SerialException):
            port.write(b"x")
        port.close()
        with pytest.raises(serial.SerialException, match="No such file"):
            open_port(device.path)
        with pytest.raises(RuntimeError, match="unplugged"):
            device.write(b"x")

        device.replug()

        assert device.plugged and os.readlink(device.path) == device.device_name
        port = open_port(device.path)
        try:
            device.write(b"back\r")
            assert port.read_until(b"\r") == b"back\r"
        finally:
            port.close()


def test_bytes_sent_before_the_app_opens_the_port_are_discarded_like_a_real_port(
    tmp_path: Path,
) -> None:
    with ScannerSimulator(tmp_path / "ttyX") as sim:
        sim.scan("EARLY")
        port = open_port(sim.path)
        try:
            sim.scan("LATE")
            assert port.read_until(b"\r") == b"LATE\r"
        finally:
            port.close()


def test_wait_until_read_tells_when_the_app_has_read_everything(tmp_path: Path) -> None:
    with ScannerSimulator(tmp_path / "ttyX") as sim:
        port = open_port(sim.path)
        try:
            sim.scan("12345")
            with pytest.raises(TimeoutError, match="6 bytes still unread"):
                sim.wait_until_read(timeout=0.05)
            port.read(6)
            sim.wait_until_read(timeout=1.0)
        finally:
            port.close()


def test_a_regular_file_at_the_link_path_is_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "ttyX"
    target.write_text("precious")

    with pytest.raises(FileExistsError):
        PtyDevice(target)
    assert target.read_text() == "precious"


def test_a_stale_link_from_an_earlier_run_is_replaced(tmp_path: Path) -> None:
    link = tmp_path / "ttyX"
    link.symlink_to("/dev/pts/does-not-exist")

    with PtyDevice(link) as device:
        assert os.readlink(link) == device.device_name


def test_simulators_leave_no_thread_or_descriptor_behind(tmp_path: Path) -> None:
    threads, fds = threading.active_count(), open_fds()

    with DisplaySimulator(tmp_path / "d") as display, ScaleSimulator(tmp_path / "s") as scale:
        with ScannerSimulator(tmp_path / "c"):
            display.replug()
            scale.unplug()
            scale.replug()
            assert threading.active_count() == threads + 2  # one reader per display and scale

    assert threading.active_count() == threads
    assert open_fds() == fds
    assert not list(tmp_path.iterdir())  # every link removed


def test_the_display_decoder_reads_epson_commands() -> None:
    decoder = DisplayDecoder()
    decoder.feed(b"\x1b@\x1bR\x00\x1bt\x13\x1f\x01\x1fC\x00")
    decoder.feed(b"\x1f$\x01\x01Caf\x82 1,20 \xd5")
    decoder.feed(b"\x1f$\x05\x02abc\x0b!")  # column 5 of row 2, then home

    assert decoder.lines == ("!afé 1,20 €", "    abc")
    assert decoder.codec == "cp858" and decoder.inits == 1 and not decoder.unsupported


def test_the_display_decoder_reads_cd5220_commands_and_the_spain_set() -> None:
    decoder = DisplayDecoder()
    decoder.feed(b"\x1b@\x1bfS\x1bQAA|o 1,00 EUR\r\x1bQB\x5b\x5dSi?\r")

    assert decoder.lines == ("Año 1,00 EUR", "¡¿Si?")

    decoder.feed(b"\x0c\x1bl\x03\x02xy\x1b[Hz\x18")  # CLR, move to col 3 row 2, home, CAN
    assert decoder.lines == ("", "  xy")


def test_the_display_decoder_reassembles_commands_split_across_reads() -> None:
    whole = b"\x1b@\x1bt\x13\x1f$\x01\x01Precio: 3 \xd5\x1f$\x01\x02\x1bQBlower\r"
    decoder = DisplayDecoder()
    for byte in whole:
        decoder.feed(bytes([byte]))

    assert decoder.lines == ("Precio: 3 €", "lower")


def test_the_display_decoder_wraps_text_like_overwrite_mode() -> None:
    decoder = DisplayDecoder(columns=5)
    decoder.feed(b"ABCDEFGHIJKL")

    assert decoder.lines == ("KLCDE", "FGHIJ")


def test_wait_for_lines_names_what_is_shown_when_it_times_out(tmp_path: Path) -> None:
    with DisplaySimulator(tmp_path / "ttyD") as sim:
        port = open_port(sim.path)
        try:
            port.write(b"\x1b@hello")
            sim.wait_for_lines("hello", "")
            with pytest.raises(TimeoutError, match="shows \\('hello', ''\\)"):
                sim.wait_for_lines("bye", "", timeout=0.05)
        finally:
            port.close()


def test_replugging_the_display_is_a_power_cycle(tmp_path: Path) -> None:
    with DisplaySimulator(tmp_path / "ttyD") as sim:
        port = open_port(sim.path)
        port.write(b"\x1bt\x13shown")
        sim.wait_for_lines("shown", "")
        port.close()

        sim.replug()

        assert sim.lines == ("", "") and sim.received == b"" and sim.decoder.codec == "cp437"


def test_the_scale_responder_speaks_8217() -> None:
    scale = ScaleResponder()
    scale.set_weight(Decimal("1.234"))
    assert scale.feed(b"W") == b"\x0201.234\r"
    assert scale.feed(b"\r\nZ") == b""  # only W is answered

    scale.set_weight(Decimal("1.234"), stable=False)
    assert scale.feed(b"W") == b"\x02?A\r"  # 0x41: always-1 bit and motion
    scale.set_weight(Decimal("40"), over=True)
    assert scale.feed(b"W") == b"\x02?B\r"
    scale.set_weight(Decimal("-0.005"))
    assert scale.feed(b"W") == b"\x02?D\r"
    scale.set_weight(None)
    assert scale.feed(b"WW") == b""
    assert scale.requests == 6


def test_the_scale_simulator_answers_each_request_on_the_pty(tmp_path: Path) -> None:
    with ScaleSimulator(tmp_path / "ttyW") as sim:
        sim.set_weight(Decimal("12.5"))
        port = open_port(sim.path)
        try:
            port.write(b"W")
            assert port.read_until(b"\r") == b"\x0212.500\r"
        finally:
            port.close()
        assert sim.requests == 1
