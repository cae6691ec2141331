"""The TCP 9100 printer simulator itself, driven through plain sockets (no printer adapter).

The expected answer bytes are the ones of the Epson ESC/POS command reference.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from hardware.escpos_decoder import Barcode, Cut, DecodedReceipt, DrawerKick, StatusRequest
from hardware.printers.escpos_setup import ensure_escpos_ready
from hardware.simulators import TcpPrinterSimulator
from hardware.simulators.tcp_printer import StatusResponder, split_receipts

DLE_EOT = b"\x10\x04"
RECEIPT = (
    b"\x1b@\x1bt\x13"  # init, CP858
    b"Se\xa4or Caf\x82 1,25 \xd5\n"  # "Señor Café 1,25 €"
    b"\x1dkI\x05{BA-1"  # CODE128 "A-1"
    b"\x1dVA\x00"  # feed and full cut
)
KICK_PIN_5 = b"\x1bp\x01\x19\xfa"


@pytest.fixture
def sim() -> Iterator[TcpPrinterSimulator]:
    with TcpPrinterSimulator() as simulator:
        yield simulator


def client(sim: TcpPrinterSimulator) -> socket.socket:
    return socket.create_connection(sim.address, timeout=2)


def ask(sock: socket.socket, request: bytes) -> bytes:
    sock.sendall(request)
    return sock.recv(16)


@pytest.mark.parametrize(
    ("setup", "answers"),
    [
        ({}, (0x12, 0x12, 0x12, 0x12)),
        ({"paper_near_end": True}, (0x12, 0x12, 0x12, 0x1E)),
        ({"paper_out": True}, (0x1A, 0x32, 0x12, 0x7E)),
        ({"cover_open": True}, (0x1A, 0x16, 0x12, 0x12)),
        ({"cutter_error": True}, (0x1A, 0x52, 0x1A, 0x12)),
    ],
)
def test_dle_eot_answers_match_the_printer_state(
    sim: TcpPrinterSimulator, setup: dict[str, bool], answers: tuple[int, ...]
) -> None:
    for flag, value in setup.items():
        setattr(sim, flag, value)

    with client(sim) as sock:
        got = tuple(ask(sock, DLE_EOT + bytes([n]))[0] for n in (1, 2, 3, 4))

    assert got == answers
    # every answer has the fixed bits of a DLE EOT answer: 0xx1xx10
    assert all(value & 0x93 == 0x12 for value in got)


def test_escpos_own_paper_status_reading_agrees(sim: TcpPrinterSimulator) -> None:
    ensure_escpos_ready()
    from escpos.constants import (  # type: ignore[import-untyped]
        RT_MASK_NOPAPER,
        RT_MASK_ONLINE,
        RT_STATUS_ONLINE,
        RT_STATUS_PAPER,
    )

    sim.paper_out = True
    with client(sim) as sock:
        online = ask(sock, RT_STATUS_ONLINE)[0]
        paper = ask(sock, RT_STATUS_PAPER)[0]

    assert online & RT_MASK_ONLINE  # escpos's is_online() would say False
    assert paper & RT_MASK_NOPAPER == RT_MASK_NOPAPER  # and paper_status() 0, no paper


def test_a_request_split_across_two_segments_is_answered_once(sim: TcpPrinterSimulator) -> None:
    with client(sim) as sock:
        sock.sendall(b"\x10")
        sim.wait_for_bytes(1)
        sock.sendall(b"\x04")
        sim.wait_for_bytes(2)
        sock.sendall(b"\x04")

        assert sock.recv(16) == b"\x12"
        sock.settimeout(0.1)
        with pytest.raises(TimeoutError):
            sock.recv(16)


def test_status_requests_inside_a_receipt_are_answered_in_order() -> None:
    responder = StatusResponder(TcpPrinterSimulator().flags)
    responder.flags.paper_near_end = True

    answers = responder.feed(b"ab" + DLE_EOT + b"\x01cd" + DLE_EOT + b"\x04\x1dr\x01\x1dr\x32")

    assert answers == bytes([0x12, 0x1E, 0x03, 0x00])


def test_transmit_status_gs_r_reports_the_paper_sensor(sim: TcpPrinterSimulator) -> None:
    sim.paper_out = True

    with client(sim) as sock:
        assert ask(sock, b"\x1dr\x01") == b"\x0f"
        assert ask(sock, b"\x1dr\x02") == b"\x00"

    assert sim.status_requests == [StatusRequest("GS r", 1), StatusRequest("GS r", 2)]


def test_records_each_connection_and_its_chunks(sim: TcpPrinterSimulator) -> None:
    with client(sim) as first:
        first.sendall(b"\x1b@")
        sim.wait_for_bytes(2)
        first.sendall(b"hola\n")
        sim.wait_for_bytes(7)
    with client(sim) as second:
        second.sendall(b"adios\n")
        sim.wait_for_bytes(13)
    sim.wait_for(lambda: all(c.closed for c in sim.connections))

    one, two = sim.connections
    assert (one.number, two.number) == (1, 2)
    assert one.chunks == (b"\x1b@", b"hola\n")
    assert two.data == b"adios\n"
    assert sim.data == b"\x1b@hola\nadios\n"
    assert sim.decoded().lines == ["hola", "adios"]
    assert one.peer[0] == "127.0.0.1"


def test_receipts_are_split_at_each_cut_and_kicks_are_counted(sim: TcpPrinterSimulator) -> None:
    with client(sim) as sock:
        sock.sendall(RECEIPT + RECEIPT.replace(b"A-1", b"A-2"))
    with client(sim) as sock:
        sock.sendall(KICK_PIN_5)

    receipts = sim.wait_for_receipts(2)
    kicks = sim.wait_for_kicks(1)

    assert [r.lines[0] for r in receipts] == ["Señor Café 1,25 €"] * 2
    assert [r.events_of(Barcode)[0].text for r in receipts] == ["A-1", "A-2"]
    assert all(r.events[-1] == Cut(partial=False) for r in receipts)
    assert kicks == [DrawerKick(pin=5)]


def test_split_receipts_leaves_events_after_the_last_cut_out() -> None:
    result = DecodedReceipt(
        lines=["a", "b", "c"],
        events=[Cut(partial=False, at_line=2), DrawerKick(pin=2, at_line=3)],
    )

    (receipt,) = split_receipts(result)

    assert receipt.lines == ["a", "b"]
    assert receipt.events == [Cut(partial=False)]


def test_paper_out_still_records_what_was_sent(sim: TcpPrinterSimulator) -> None:
    sim.paper_out = True

    with client(sim) as sock:
        sock.sendall(RECEIPT)

    assert len(sim.wait_for_receipts(1)) == 1  # received: the test decides what it means


def test_refuse_then_accept_again_on_the_same_port(sim: TcpPrinterSimulator) -> None:
    port = sim.port
    sim.refuse()

    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(sim.address, timeout=1)

    sim.accept_again()
    assert sim.port == port
    with client(sim) as sock:
        assert ask(sock, DLE_EOT + b"\x01") == b"\x12"


def test_connections_open_before_refuse_go_on(sim: TcpPrinterSimulator) -> None:
    with client(sim) as sock:
        sim.wait_for_connections(1)
        sim.refuse()

        assert ask(sock, DLE_EOT + b"\x01") == b"\x12"


def test_a_silent_printer_accepts_but_never_answers(sim: TcpPrinterSimulator) -> None:
    sim.silent = True

    with client(sim) as sock:
        sock.sendall(DLE_EOT + b"\x01")
        sock.settimeout(0.2)
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            sock.recv(16)
        assert time.monotonic() - started >= 0.15
        assert sim.data == b""
        assert len(sim.wait_for_connections(1)) == 1

        sim.silent = False  # wakes up: reads what waited and answers it

        sock.settimeout(2)
        assert sock.recv(16) == b"\x12"
    assert sim.wait_for_bytes(3) == DLE_EOT + b"\x01"


def test_wait_helpers_give_up_after_their_time_out(sim: TcpPrinterSimulator) -> None:
    started = time.monotonic()

    with pytest.raises(TimeoutError, match="waited"):
        sim.wait_for_receipts(1, timeout=0.1)

    assert 0.1 <= time.monotonic() - started < 1


def test_on_receipt_is_called_with_each_complete_receipt() -> None:
    seen: list[DecodedReceipt] = []
    arrived = threading.Event()

    def collect(receipt: DecodedReceipt) -> None:
        seen.append(receipt)
        if len(seen) == 2:
            arrived.set()

    with TcpPrinterSimulator(on_receipt=collect) as sim, client(sim) as sock:
        sock.sendall(RECEIPT[:10])
        sim.wait_for_bytes(10)
        sock.sendall(RECEIPT[10:] + RECEIPT)
        assert arrived.wait(2)

    assert [r.lines[0] for r in seen] == ["Señor Café 1,25 €"] * 2


def test_on_kick_is_called_with_each_drawer_kick() -> None:
    seen: list[DrawerKick] = []
    arrived = threading.Event()

    def collect(kick: DrawerKick) -> None:
        seen.append(kick)
        arrived.set()

    with TcpPrinterSimulator(on_kick=collect) as sim, client(sim) as sock:
        sock.sendall(KICK_PIN_5)
        assert arrived.wait(2)

    assert seen == [DrawerKick(pin=5)]


def test_a_failing_callback_is_logged_and_the_simulator_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(receipt: DecodedReceipt) -> None:
        raise ValueError("boom")

    with TcpPrinterSimulator(on_receipt=broken) as sim:
        with client(sim) as sock:
            sock.sendall(RECEIPT)
        sim.wait_for_receipts(1)
        with client(sim) as sock:
            assert ask(sock, DLE_EOT + b"\x01") == b"\x12"

    assert any("callback failed" in r.getMessage() for r in caplog.records)


def test_clear_forgets_what_was_received(sim: TcpPrinterSimulator) -> None:
    with client(sim) as sock:
        sock.sendall(RECEIPT)
    sim.wait_for_receipts(1)
    sim.wait_for(lambda: sim.connections[0].closed)

    sim.clear()

    assert sim.data == b"" and sim.receipts() == [] and sim.connections == []


def test_stop_closes_the_port_and_ends_the_thread() -> None:
    before = set(threading.enumerate())
    sim = TcpPrinterSimulator().start()
    address = sim.address
    lingering = client(sim)  # a client that never closes must not block the stop
    sim.wait_for_connections(1)

    sim.stop()
    sim.stop()  # idempotent

    assert not sim.running
    assert set(threading.enumerate()) <= before
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(address, timeout=1)
    lingering.settimeout(1)
    assert lingering.recv(16) == b""  # the simulator closed its side
    lingering.close()


def test_port_and_address_need_a_started_simulator() -> None:
    sim = TcpPrinterSimulator()

    with pytest.raises(RuntimeError, match="not started"):
        _ = sim.port
    assert repr(sim) == "TcpPrinterSimulator(not started)"
    with sim:
        assert repr(sim) == f"TcpPrinterSimulator(127.0.0.1:{sim.port})"
        with pytest.raises(RuntimeError, match="already started"):
            sim.start()
