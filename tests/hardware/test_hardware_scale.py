"""The Mettler Toledo 8217 scale against a real pseudo-terminal (and a TCP socket)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import serial  # type: ignore[import-untyped]

from hardware.errors import DeviceUnavailable, ScaleError, ScaleUnstable
from hardware.scale import SerialScale, parse_8217_answer
from hardware.simulators.scale_simulator import ScaleResponder, ScaleSimulator
from hardware.status import DeviceState


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[ScaleSimulator]:
    with ScaleSimulator(tmp_path / "ttyScale") as simulator:
        yield simulator


@pytest.fixture
def scale(sim: ScaleSimulator) -> Iterator[SerialScale]:
    device = SerialScale(sim.path, timeout=0.3)
    yield device
    device.close()


def test_a_stable_weight_is_read_in_kilograms_with_three_decimals(
    sim: ScaleSimulator, scale: SerialScale
) -> None:
    sim.set_weight(Decimal("1.234"))
    assert scale.read_weight() == Decimal("1.234")

    sim.set_weight(Decimal("0.5"))
    weight = scale.read_weight()

    assert weight == Decimal("0.500") and str(weight) == "0.500"
    assert sim.requests == 2
    assert scale.status().state is DeviceState.READY


def test_requests_are_spaced_by_the_protocols_200_ms(
    sim: ScaleSimulator, scale: SerialScale
) -> None:
    scale.read_weight()
    started = time.monotonic()
    scale.read_weight()

    assert time.monotonic() - started >= 0.19


def test_motion_raises_scale_unstable(sim: ScaleSimulator, scale: SerialScale) -> None:
    sim.set_weight(Decimal("1.234"), stable=False)

    with pytest.raises(ScaleUnstable):
        scale.read_weight()
    assert scale.status().state is DeviceState.READY  # the scale works; the load moves


@pytest.mark.parametrize(
    ("weight", "over", "message"),
    [
        (Decimal("15.000"), True, "over capacity"),
        (Decimal("-0.010"), False, "under zero"),
    ],
)
def test_over_capacity_and_under_zero_are_scale_errors_not_motion(
    sim: ScaleSimulator, scale: SerialScale, weight: Decimal, over: bool, message: str
) -> None:
    sim.set_weight(weight, over=over, stable=False)  # the motion bit too: the error wins

    with pytest.raises(ScaleError, match=message) as raised:
        scale.read_weight()
    assert not isinstance(raised.value, ScaleUnstable)


def test_a_silent_scale_is_unavailable_within_the_timeout(
    sim: ScaleSimulator, scale: SerialScale
) -> None:
    sim.set_weight(None)
    started = time.monotonic()

    with pytest.raises(DeviceUnavailable, match=r"no answer within 0.3 s"):
        scale.read_weight()

    assert time.monotonic() - started < 0.6
    assert scale.status().state is DeviceState.OFFLINE


@pytest.mark.parametrize(
    "answer",
    [b"hello\r", b"\x02abc\r", b"\x02?\r", b"\x021234\r", b"\x02?\x01\r"],
    ids=["no-stx", "letters", "status-missing", "no-decimal-point", "bad-status-byte"],
)
def test_garbage_is_a_scale_error_that_quotes_it(
    sim: ScaleSimulator, scale: SerialScale, answer: bytes
) -> None:
    sim.set_raw_answer(answer)

    with pytest.raises(ScaleError) as raised:
        scale.read_weight()

    assert not isinstance(raised.value, ScaleUnstable)
    assert "scale sent" in str(raised.value)
    assert scale.status().state is DeviceState.ERROR


def test_an_answer_cut_short_is_a_scale_error(sim: ScaleSimulator, scale: SerialScale) -> None:
    sim.set_raw_answer(b"\x0201.2")

    with pytest.raises(ScaleError, match="incomplete answer"):
        scale.read_weight()


@pytest.mark.parametrize(
    ("answer", "kilograms"),
    [
        (b"\x0201.234\r", "1.234"),
        (b"\x021.234\r", "1.234"),
        (b"\x02001.234\r", "1.234"),
        (b"\x0201.234N\r", "1.234"),
        (b"\x02 1.234 KG\r", "1.234"),
        (b"\x0200.000\r", "0.000"),
        (b"noise\x0212.5\r", "12.500"),  # bytes before STX are skipped
        (bytes([0x82]) + b"0\xb1.234\x8d", "1.234"),  # parity bits seen by an 8N1 port
    ],
)
def test_the_weight_formats_of_8217_scales_are_accepted(
    sim: ScaleSimulator, scale: SerialScale, answer: bytes, kilograms: str
) -> None:
    sim.set_raw_answer(answer)

    assert scale.read_weight() == Decimal(kilograms)


def test_pounds_are_refused_rather_than_converted() -> None:
    with pytest.raises(ScaleError, match="pounds"):
        parse_8217_answer(b"02.72LB")


def test_an_unplugged_scale_is_unavailable_and_works_again_after_replug(
    sim: ScaleSimulator, scale: SerialScale
) -> None:
    sim.set_weight(Decimal("2.000"))
    assert scale.read_weight() == Decimal("2.000")

    sim.unplug()
    with pytest.raises(DeviceUnavailable, match="disconnected"):
        scale.read_weight()
    with pytest.raises(DeviceUnavailable, match="not connected"):
        scale.read_weight()
    assert scale.status().state is DeviceState.OFFLINE

    sim.replug()
    sim.set_weight(Decimal("3.250"))
    assert scale.read_weight() == Decimal("3.250")


def test_a_missing_port_is_unavailable(tmp_path: Path) -> None:
    scale = SerialScale(str(tmp_path / "ttyNothing"))

    with pytest.raises(DeviceUnavailable, match="no such device"):
        scale.read_weight()
    assert scale.status().state is DeviceState.OFFLINE


def test_the_port_is_opened_7e1_at_9600_without_flow_control(
    sim: ScaleSimulator, scale: SerialScale, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[dict[str, Any]] = []
    real = serial.serial_for_url

    def spy(url: str, *args: Any, **kwargs: Any) -> Any:
        opened.append(kwargs)
        return real(url, *args, **kwargs)

    monkeypatch.setattr(serial, "serial_for_url", spy)
    scale.read_weight()

    assert len(opened) == 1
    framing = {key: opened[0][key] for key in ("baudrate", "bytesize", "parity", "stopbits")}
    assert framing == {"baudrate": 9600, "bytesize": 7, "parity": "E", "stopbits": 1}
    assert not (opened[0]["rtscts"] or opened[0]["xonxoff"] or opened[0]["dsrdtr"])
    settings = sim.line_settings()  # what the pty kept (Linux forces 8N on ptys)
    assert (settings.baudrate, settings.rtscts, settings.xonxoff) == (9600, False, False)


def test_a_scale_behind_a_serial_device_server_via_socket_url() -> None:
    """pyserial's ``socket://`` reaches scales on a TCP serial server (Moxa NPort and kin)."""
    responder = ScaleResponder()
    responder.set_weight(Decimal("0.755"))
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]

        def serve() -> None:
            connection, _ = server.accept()
            with connection:
                while data := connection.recv(64):
                    connection.sendall(responder.feed(data))

        thread = threading.Thread(target=serve)
        thread.start()
        scale = SerialScale(f"socket://127.0.0.1:{port}", timeout=1.0)
        try:
            assert scale.read_weight() == Decimal("0.755")
        finally:
            scale.close()
            thread.join(3.0)
