"""The serial barcode scanner against a real pseudo-terminal: framing, decoding, unplug/replug."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hardware.scanners import SerialScanner
from hardware.simulators.scanner_simulator import ScannerSimulator
from hardware.status import DeviceState, DeviceStatus

WAIT = 3.0  # upper bound of every wait; the usual case takes milliseconds


def poll_until(predicate: Callable[[], bool], what: str) -> None:
    """For state that changes without a callback (a status detail, the log)."""
    deadline = time.monotonic() + WAIT
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out {what}")
        time.sleep(0.01)


class Recorder:
    """Collects the scanner's callbacks (worker thread) for the test thread."""

    def __init__(self) -> None:
        self.scans: list[str] = []
        self.statuses: list[DeviceStatus] = []
        self.scan_threads: set[str] = set()
        self._changed = threading.Condition()

    def on_scan(self, code: str) -> None:
        with self._changed:
            self.scans.append(code)
            self.scan_threads.add(threading.current_thread().name)
            self._changed.notify_all()

    def on_status(self, status: DeviceStatus) -> None:
        with self._changed:
            self.statuses.append(status)
            self._changed.notify_all()

    def wait(self, predicate: Callable[[], bool], what: str) -> None:
        with self._changed:
            if not self._changed.wait_for(predicate, WAIT):
                raise AssertionError(f"{what}: scans={self.scans!r} statuses={self.states}")

    def wait_scans(self, count: int) -> list[str]:
        self.wait(lambda: len(self.scans) >= count, f"waiting for {count} scans")
        return list(self.scans)

    def wait_state(self, state: DeviceState, occurrence: int = 1) -> None:
        self.wait(lambda: self.states.count(state) >= occurrence, f"waiting for {state}")

    @property
    def states(self) -> list[DeviceState]:
        return [status.state for status in self.statuses]


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[ScannerSimulator]:
    with ScannerSimulator(tmp_path / "ttyScanner") as simulator:
        yield simulator


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def make_scanner(recorder: Recorder) -> Iterator[Callable[..., SerialScanner]]:
    started: list[SerialScanner] = []

    def make(port: str, **options: object) -> SerialScanner:
        options.setdefault("retry_interval", 0.05)
        scanner = SerialScanner(
            port,
            on_scan=recorder.on_scan,
            on_status=recorder.on_status,
            **options,  # type: ignore[arg-type]
        )
        scanner.start()
        started.append(scanner)
        return scanner

    yield make
    for scanner in started:
        scanner.stop()


def ready_scanner(
    sim: ScannerSimulator, recorder: Recorder, make: Callable[..., SerialScanner], **options: object
) -> SerialScanner:
    scanner = make(sim.path, **options)
    recorder.wait_state(DeviceState.READY)
    return scanner


def test_scans_arrive_on_the_worker_thread_without_their_terminator(
    sim: ScannerSimulator, recorder: Recorder, make_scanner: Callable[..., SerialScanner]
) -> None:
    scanner = ready_scanner(sim, recorder, make_scanner)

    sim.scan("8410000000017")
    sim.scan("8410000000024")

    assert recorder.wait_scans(2) == ["8410000000017", "8410000000024"]
    assert recorder.scan_threads == {f"SerialScanner {sim.path}"}
    assert scanner.status == DeviceStatus(DeviceState.READY, sim.path)
    assert recorder.states == [DeviceState.CONNECTING, DeviceState.READY]


@pytest.mark.parametrize("configured", [b"\r", b"\n", b"\r\n"])
def test_cr_lf_and_crlf_all_end_a_code_whatever_line_ending_is_configured(
    configured: bytes,
    sim: ScannerSimulator,
    recorder: Recorder,
    make_scanner: Callable[..., SerialScanner],
) -> None:
    ready_scanner(sim, recorder, make_scanner, terminator=configured)

    sim.scan("A1", terminator=b"\r")
    sim.scan("B2", terminator=b"\n")
    sim.scan("C3", terminator=b"\r\n")
    sim.scan("D4", terminator=b"\r")

    assert recorder.wait_scans(4) == ["A1", "B2", "C3", "D4"]
    sim.wait_until_read()
    assert len(recorder.scans) == 4  # the LF of CRLF made no empty scan


def test_a_custom_terminator_is_matched_exactly(
    sim: ScannerSimulator, recorder: Recorder, make_scanner: Callable[..., SerialScanner]
) -> None:
    ready_scanner(sim, recorder, make_scanner, terminator=b"\t")

    sim.send(b"LINE\rWITH\nBREAKS\t")
    sim.scan("NEXT", terminator=b"\t")

    assert recorder.wait_scans(2) == ["LINE\rWITH\nBREAKS", "NEXT"]


def test_gs1_group_separators_survive_even_at_the_ends(
    sim: ScannerSimulator, recorder: Recorder, make_scanner: Callable[..., SerialScanner]
) -> None:
    ready_scanner(sim, recorder, make_scanner)
    gs1 = "\x1d0108410000000017\x1d10LOTE7\x1d"

    sim.scan(gs1)

    assert recorder.wait_scans(1) == [gs1]


def test_codes_split_across_reads_and_several_in_one_read_are_framed_right(
    sim: ScannerSimulator, recorder: Recorder, make_scanner: Callable[..., SerialScanner]
) -> None:
    ready_scanner(sim, recorder, make_scanner)

    sim.send(b"1234")
    sim.wait_until_read()
    sim.send(b"5678\rAAA\rBBB\r\r")

    assert recorder.wait_scans(3) == ["12345678", "AAA", "BBB"]


def test_bytes_that_are_not_utf8_are_replaced_and_reading_goes_on(
    sim: ScannerSimulator, recorder: Recorder, make_scanner: Callable[..., SerialScanner]
) -> None:
    ready_scanner(sim, recorder, make_scanner)

    sim.scan(b"AB\xff\xfeC")
    sim.scan("Año")  # a 2D code carrying UTF-8 text

    assert recorder.wait_scans(2) == ["AB\ufffd\ufffdC", "Año"]


def test_a_failing_on_scan_callback_does_not_stop_the_scanner(
    sim: ScannerSimulator, recorder: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    def on_scan(code: str) -> None:
        if code == "BOOM":
            raise RuntimeError("the app's handler failed")
        recorder.on_scan(code)

    scanner = SerialScanner(sim.path, on_scan=on_scan, on_status=recorder.on_status)
    scanner.start()
    try:
        recorder.wait_state(DeviceState.READY)
        sim.scan("BOOM")
        sim.scan("OK")
        assert recorder.wait_scans(1) == ["OK"]
    finally:
        scanner.stop()
    assert "on_scan failed" in caplog.text


def test_unplug_goes_offline_once_and_replug_delivers_each_later_scan_exactly_once(
    sim: ScannerSimulator, recorder: Recorder, make_scanner: Callable[..., SerialScanner]
) -> None:
    scanner = ready_scanner(sim, recorder, make_scanner, retry_interval=0.02)
    sim.scan("BEFORE")
    recorder.wait_scans(1)

    sim.unplug()
    recorder.wait_state(DeviceState.OFFLINE)
    assert "disconnected" in scanner.status.detail
    # It retries (0.02 s apart) without reporting each failed attempt: see the states below.
    poll_until(lambda: "no such device" in scanner.status.detail, "waiting for a retry")

    sim.replug()
    recorder.wait_state(DeviceState.READY, occurrence=2)
    for code in ("AFTER1", "AFTER2", "AFTER3"):
        sim.scan(code)

    assert recorder.wait_scans(4) == ["BEFORE", "AFTER1", "AFTER2", "AFTER3"]
    sim.wait_until_read()
    assert recorder.scans == ["BEFORE", "AFTER1", "AFTER2", "AFTER3"]
    assert recorder.states == [
        DeviceState.CONNECTING,
        DeviceState.READY,
        DeviceState.OFFLINE,
        DeviceState.READY,
    ]


def test_half_a_code_at_unplug_is_dropped_not_glued_to_the_next_scan(
    sim: ScannerSimulator, recorder: Recorder, make_scanner: Callable[..., SerialScanner]
) -> None:
    ready_scanner(sim, recorder, make_scanner)
    sim.send(b"84100000")  # the cable is pulled mid-code
    sim.wait_until_read()

    sim.unplug()
    recorder.wait_state(DeviceState.OFFLINE)
    sim.replug()
    recorder.wait_state(DeviceState.READY, occurrence=2)
    sim.scan("999")

    assert recorder.wait_scans(1) == ["999"]


def test_a_fragment_without_terminator_is_dropped_after_the_fragment_timeout(
    sim: ScannerSimulator,
    recorder: Recorder,
    make_scanner: Callable[..., SerialScanner],
    caplog: pytest.LogCaptureFixture,
) -> None:
    ready_scanner(sim, recorder, make_scanner, fragment_timeout=0.2)
    sim.send(b"NOISE")
    sim.wait_until_read()
    poll_until(lambda: "no terminator" in caplog.text, "waiting for the discard")

    sim.scan("CLEAN")

    assert recorder.wait_scans(1) == ["CLEAN"]


def test_a_scanner_plugged_in_after_start_becomes_ready_by_itself(
    tmp_path: Path, recorder: Recorder, make_scanner: Callable[..., SerialScanner]
) -> None:
    link = tmp_path / "ttyLater"
    scanner = make_scanner(str(link))
    recorder.wait_state(DeviceState.OFFLINE)
    assert "no such device" in scanner.status.detail

    with ScannerSimulator(link) as sim:
        recorder.wait_state(DeviceState.READY)
        sim.scan("FIRST")
        assert recorder.wait_scans(1) == ["FIRST"]


def test_stop_is_prompt_while_the_port_is_missing(tmp_path: Path, recorder: Recorder) -> None:
    scanner = SerialScanner(
        str(tmp_path / "ttyMissing"),
        on_scan=recorder.on_scan,
        on_status=recorder.on_status,
        retry_interval=30.0,
    )
    scanner.start()
    recorder.wait_state(DeviceState.OFFLINE)

    started = time.monotonic()
    scanner.stop()

    assert time.monotonic() - started < 0.5
    assert recorder.states[-1] is DeviceState.DISABLED
    assert not [t for t in threading.enumerate() if t.name.startswith("SerialScanner")]


def test_stop_is_prompt_while_reading_and_releases_the_port(
    sim: ScannerSimulator, recorder: Recorder
) -> None:
    scanner = SerialScanner(sim.path, on_scan=recorder.on_scan, on_status=recorder.on_status)
    scanner.start()
    recorder.wait_state(DeviceState.READY)

    started = time.monotonic()
    scanner.stop()

    assert time.monotonic() - started < 0.5
    assert scanner.status.state is DeviceState.DISABLED
    # The exclusive lock is gone: another scanner can open the port at once.
    again = SerialScanner(sim.path, on_scan=recorder.on_scan, on_status=recorder.on_status)
    again.start()
    try:
        recorder.wait_state(DeviceState.READY, occurrence=2)
    finally:
        again.stop()


def test_a_second_program_on_the_port_is_reported_as_busy(
    sim: ScannerSimulator, recorder: Recorder, make_scanner: Callable[..., SerialScanner]
) -> None:
    ready_scanner(sim, recorder, make_scanner)
    other = Recorder()
    second = SerialScanner(sim.path, on_scan=other.on_scan, on_status=other.on_status)
    second.start()
    try:
        other.wait_state(DeviceState.OFFLINE)
        assert "in use by another program" in second.status.detail
    finally:
        second.stop()


def test_the_port_is_opened_without_flow_control(
    sim: ScannerSimulator, recorder: Recorder, make_scanner: Callable[..., SerialScanner]
) -> None:
    ready_scanner(sim, recorder, make_scanner, baudrate=19200)

    settings = sim.line_settings()

    assert (settings.baudrate, settings.rtscts, settings.xonxoff) == (19200, False, False)


def test_an_empty_terminator_is_refused() -> None:
    with pytest.raises(ValueError):
        SerialScanner("/dev/null", terminator=b"", on_scan=lambda code: None)
