"""A network receipt printer (raw TCP, port 9100) simulated on loopback, for tests and demos.

:class:`TcpPrinterSimulator` is a real TCP server on a background thread (one ``selectors``
loop, no polling). It records every byte each connection sends, answers status requests the
way an Epson-compatible printer does, and turns what it received back into receipts with
:mod:`hardware.escpos_decoder`.

What it answers (Epson ESC/POS command reference; the answer bytes are written out here, not
taken from the printer adapters, so tests compare two independent readings):

* ``DLE EOT 1`` printer status: ``0x12``, or ``0x1A`` (bit 3, offline) when out of paper,
  cover open or cutter jammed.
* ``DLE EOT 2`` offline cause: ``0x12`` plus bit 2 (cover open), bit 5 (stopped at paper
  end), bit 6 (error).
* ``DLE EOT 3`` error cause: ``0x12`` plus bit 3 (autocutter error).
* ``DLE EOT 4`` roll paper sensor: ``0x12`` plus bits 2-3 (near end) and bits 5-6 (end);
  out of paper is ``0x7E``, as a printer whose near-end sensor also sees no paper.
* ``GS r 1`` (or 49) paper sensor: bits 0-1 near end, bits 2-3 end; ``GS r 2`` (or 50)
  drawer: ``0x00``.

Like a real printer it scans the incoming bytes for real-time commands wherever they occur.

Modes: :attr:`~TcpPrinterSimulator.paper_out`, ``paper_near_end``, ``cover_open``,
``cutter_error`` (the status answers); :attr:`~TcpPrinterSimulator.silent` (connections are
accepted but nothing is read or answered, as a hung printer: clients must time out; reading
resumes when it is switched off again); :meth:`~TcpPrinterSimulator.refuse` and
:meth:`~TcpPrinterSimulator.accept_again` (connection refused on the same port, then back).

Run it by hand: ``python -m hardware.simulators.tcp_printer --port 9100`` prints each
receipt's text as it arrives.
"""

from __future__ import annotations

import argparse
import logging
import re
import selectors
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, TypeVar

from hardware.escpos_decoder import (
    Cut,
    DecodedReceipt,
    DrawerKick,
    EscposDecodeError,
    StatusRequest,
    decode,
)

__all__ = [
    "PrinterFlags",
    "SimulatedConnection",
    "StatusResponder",
    "TcpPrinterSimulator",
    "split_receipts",
]

logger = logging.getLogger(__name__)

_RECV_SIZE = 65536
_COMMAND_WAIT_SECONDS = 5.0
_REALTIME = re.compile(rb"\x10\x04[\x01-\x04]|\x1dr[\x01\x02\x31\x32]", re.DOTALL)
_PREFIXES_2 = (b"\x10\x04", b"\x1dr")
_PREFIXES_1 = (b"\x10", b"\x1d")
_T = TypeVar("_T")


@dataclass
class PrinterFlags:
    """The state the status answers report."""

    paper_out: bool = False
    paper_near_end: bool = False
    cover_open: bool = False
    cutter_error: bool = False

    @property
    def offline(self) -> bool:
        return self.paper_out or self.cover_open or self.cutter_error


class StatusResponder:
    """Finds ``DLE EOT n`` and ``GS r n`` in a byte stream fed in chunks and answers them.

    A request split across two chunks is answered when its last byte arrives.
    """

    def __init__(self, flags: PrinterFlags) -> None:
        self.flags = flags
        self._pending = b""

    def feed(self, chunk: bytes) -> bytes:
        """Return the answers to the requests completed by ``chunk``."""
        data = self._pending + chunk
        answers = bytearray()
        for match in _REALTIME.finditer(data):
            command = match.group()
            if command[0] == 0x10:
                answers.append(self.realtime_status(command[2]))
            else:
                answers.append(self.transmit_status(command[2]))
        if data[-2:] in _PREFIXES_2:
            self._pending = data[-2:]
        elif data[-1:] in _PREFIXES_1:
            self._pending = data[-1:]
        else:
            self._pending = b""
        return bytes(answers)

    def realtime_status(self, n: int) -> int:
        """The answer to ``DLE EOT n`` (n = 1..4)."""
        flags = self.flags
        value = 0x12  # bits 1 and 4 are always set
        if n == 1:
            value |= 0x08 if flags.offline else 0
        elif n == 2:
            value |= 0x04 if flags.cover_open else 0
            value |= 0x20 if flags.paper_out else 0
            value |= 0x40 if flags.cutter_error else 0
        elif n == 3:
            value |= 0x08 if flags.cutter_error else 0
        elif n == 4:
            value |= 0x0C if flags.paper_near_end or flags.paper_out else 0
            value |= 0x60 if flags.paper_out else 0
        return value

    def transmit_status(self, n: int) -> int:
        """The answer to ``GS r n`` (1/49 paper sensor, 2/50 drawer)."""
        if n in (1, 49):
            value = 0x03 if self.flags.paper_near_end or self.flags.paper_out else 0
            return value | (0x0C if self.flags.paper_out else 0)
        return 0x00


@dataclass(frozen=True)
class SimulatedConnection:
    """What one client connection sent (a snapshot)."""

    number: int  # 1 for the first connection accepted
    peer: tuple[str, int]
    chunks: tuple[bytes, ...]
    replies: bytes  # the status answers sent back
    closed: bool

    @property
    def data(self) -> bytes:
        return b"".join(self.chunks)

    def decoded(self) -> DecodedReceipt:
        """Everything this connection sent, decoded (raises ``EscposDecodeError``)."""
        return decode(self.data)


@dataclass
class _Connection:
    number: int
    sock: socket.socket
    peer: tuple[str, int]
    responder: StatusResponder
    chunks: list[bytes] = field(default_factory=list)
    replies: bytearray = field(default_factory=bytearray)
    closed: bool = False
    reading: bool = False
    receipts_reported: int = 0
    kicks_reported: int = 0

    def snapshot(self) -> SimulatedConnection:
        return SimulatedConnection(
            self.number, self.peer, tuple(self.chunks), bytes(self.replies), self.closed
        )


def split_receipts(result: DecodedReceipt) -> list[DecodedReceipt]:
    """Split one connection's decoded stream into receipts, each ending with its cut.

    Events after the last cut (a drawer kick on its own, status requests) belong to none.
    """
    receipts: list[DecodedReceipt] = []
    start_line = 0
    events: list[Any] = []
    for event in result.events:
        events.append(event)
        if isinstance(event, Cut):
            receipts.append(
                DecodedReceipt(lines=result.lines[start_line : event.at_line], events=events)
            )
            start_line = event.at_line
            events = []
    return receipts


class TcpPrinterSimulator:
    """A receipt printer listening on ``host:port`` (``port=0``: a free port, see :attr:`port`).

    Use it as a context manager, or call :meth:`start` and :meth:`stop`. ``on_receipt`` is
    called on the simulator's thread with each complete receipt (ended by a cut), ``on_kick``
    with each drawer kick.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        on_receipt: Callable[[DecodedReceipt], None] | None = None,
        on_kick: Callable[[DrawerKick], None] | None = None,
    ) -> None:
        self.host = host
        self._requested_port = port
        self._port: int | None = None
        self.on_receipt = on_receipt
        self.on_kick = on_kick
        self.flags = PrinterFlags()
        self._silent = False
        self._refusing = False
        self._cond = threading.Condition()
        self._connections: list[_Connection] = []
        self._selector: selectors.BaseSelector | None = None
        self._listener: socket.socket | None = None
        self._wake_reader: socket.socket | None = None
        self._wake_writer: socket.socket | None = None
        self._commands: list[tuple[Callable[[], Any], threading.Event, list[Any]]] = []
        self._commands_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = False

    # ------------------------------------------------------------------ state flags

    @property
    def paper_out(self) -> bool:
        return self.flags.paper_out

    @paper_out.setter
    def paper_out(self, value: bool) -> None:
        self.flags.paper_out = value

    @property
    def paper_near_end(self) -> bool:
        return self.flags.paper_near_end

    @paper_near_end.setter
    def paper_near_end(self, value: bool) -> None:
        self.flags.paper_near_end = value

    @property
    def cover_open(self) -> bool:
        return self.flags.cover_open

    @cover_open.setter
    def cover_open(self, value: bool) -> None:
        self.flags.cover_open = value

    @property
    def cutter_error(self) -> bool:
        return self.flags.cutter_error

    @cutter_error.setter
    def cutter_error(self, value: bool) -> None:
        self.flags.cutter_error = value

    @property
    def silent(self) -> bool:
        """Accept connections but neither read nor answer (a hung printer)."""
        return self._silent

    @silent.setter
    def silent(self, value: bool) -> None:
        def apply() -> None:
            self._silent = value
            for connection in self._connections:
                if not connection.closed:
                    self._set_reading(connection, not value)

        self._call(apply)

    # ------------------------------------------------------------------ life cycle

    @property
    def port(self) -> int:
        """The port listened on (fixed at :meth:`start`; kept by refuse/accept_again)."""
        if self._port is None:
            raise RuntimeError("the simulator is not started")
        return self._port

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> TcpPrinterSimulator:
        """Listen and start the background thread; returns ``self``."""
        if self._thread is not None:
            raise RuntimeError("the simulator was already started")
        self._selector = selectors.DefaultSelector()
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_reader.setblocking(False)
        self._selector.register(self._wake_reader, selectors.EVENT_READ, self._on_wake)
        self._listen(self._requested_port)
        self._thread = threading.Thread(
            target=self._run, name=f"tcp-printer-simulator:{self._port}", daemon=True
        )
        self._thread.start()
        logger.debug("TCP printer simulator listening on %s:%d", self.host, self._port)
        return self

    def stop(self) -> None:
        """Close every socket and end the thread (idempotent)."""
        thread = self._thread
        if thread is None or not thread.is_alive():
            self._close_all()
            return

        def request_stop() -> None:
            self._stopping = True

        self._call(request_stop)
        thread.join(_COMMAND_WAIT_SECONDS)
        if thread.is_alive():  # pragma: no cover - would be a bug in the loop
            raise RuntimeError("the printer simulator thread did not stop")
        self._close_all()

    def __enter__(self) -> TcpPrinterSimulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def refuse(self) -> None:
        """Stop listening: new connections are refused (open ones go on)."""

        def close_listener() -> None:
            self._refusing = True
            listener, self._listener = self._listener, None
            if listener is not None:
                if self._selector is not None:
                    self._selector.unregister(listener)
                listener.close()

        self._call(close_listener)

    def accept_again(self) -> None:
        """Listen again on the same port after :meth:`refuse`."""

        def reopen() -> None:
            self._refusing = False
            if self._listener is None:
                self._listen(self.port)

        self._call(reopen)

    # ------------------------------------------------------------------ what was received

    @property
    def connections(self) -> list[SimulatedConnection]:
        with self._cond:
            return [connection.snapshot() for connection in self._connections]

    @property
    def data(self) -> bytes:
        """Every byte received, all connections in the order they were accepted."""
        with self._cond:
            return b"".join(b"".join(c.chunks) for c in self._connections)

    def decoded(self) -> DecodedReceipt:
        """All connections decoded one by one and put end to end."""
        merged = DecodedReceipt()
        for connection in self.connections:
            result = connection.decoded()
            merged.lines.extend(result.lines)
            merged.events.extend(result.events)
        return merged

    def receipts(self) -> list[DecodedReceipt]:
        """The complete receipts received (each ended by a cut), oldest first.

        A connection still open whose bytes end inside a command is skipped until the rest
        arrives; a closed one that cannot be decoded raises ``EscposDecodeError``.
        """
        receipts: list[DecodedReceipt] = []
        for connection in self.connections:
            try:
                receipts.extend(split_receipts(connection.decoded()))
            except EscposDecodeError:
                if connection.closed:
                    raise
        return receipts

    @property
    def kicks(self) -> list[DrawerKick]:
        """The drawer kicks received, with their pin."""
        return self._events(DrawerKick)

    @property
    def status_requests(self) -> list[StatusRequest]:
        """The status requests received (``DLE EOT n`` and ``GS r n``)."""
        return self._events(StatusRequest)

    def _events(self, kind: type[_T]) -> list[_T]:
        found: list[_T] = []
        for connection in self.connections:
            try:
                events = connection.decoded().events
            except EscposDecodeError:
                if connection.closed:
                    raise
                continue
            found.extend(event for event in events if isinstance(event, kind))
        return found

    def clear(self) -> None:
        """Forget what was received (connections still open keep being recorded)."""
        with self._cond:
            self._connections = [c for c in self._connections if not c.closed]
            for connection in self._connections:
                connection.chunks.clear()
                connection.replies.clear()
                connection.receipts_reported = 0

    # ------------------------------------------------------------------ waiting helpers

    def wait_for(self, predicate: Callable[[], _T | None], timeout: float = 5.0) -> _T:
        """Wait until ``predicate()`` is truthy (checked on every change); return its value.

        Raises ``TimeoutError`` after ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"the printer simulator waited {timeout:g} s in vain")
                self._cond.wait(left)

    def wait_for_bytes(self, count: int, timeout: float = 5.0) -> bytes:
        """Wait until at least ``count`` bytes were received in all; return them all."""

        def enough() -> bytes | None:
            data = self.data
            return data if len(data) >= count else None

        return self.wait_for(enough, timeout)

    def wait_for_receipts(self, count: int, timeout: float = 5.0) -> list[DecodedReceipt]:
        """Wait until ``count`` complete receipts were received; return them all."""

        def enough() -> list[DecodedReceipt] | None:
            receipts = self.receipts()
            return receipts if len(receipts) >= count else None

        return self.wait_for(enough, timeout)

    def wait_for_kicks(self, count: int, timeout: float = 5.0) -> list[DrawerKick]:
        """Wait until ``count`` drawer kicks were received; return them all."""

        def enough() -> list[DrawerKick] | None:
            kicks = self.kicks
            return kicks if len(kicks) >= count else None

        return self.wait_for(enough, timeout)

    def wait_for_connections(self, count: int, timeout: float = 5.0) -> list[SimulatedConnection]:
        """Wait until ``count`` connections were accepted; return them all."""

        def enough() -> list[SimulatedConnection] | None:
            connections = self.connections
            return connections if len(connections) >= count else None

        return self.wait_for(enough, timeout)

    # ------------------------------------------------------------------ the loop thread

    def _call(self, action: Callable[[], Any]) -> None:
        """Run ``action`` on the loop thread and wait for it (directly when not running)."""
        thread = self._thread
        if thread is None or not thread.is_alive() or thread is threading.current_thread():
            action()
            return
        done = threading.Event()
        failure: list[Any] = []
        with self._commands_lock:
            self._commands.append((action, done, failure))
        assert self._wake_writer is not None
        self._wake_writer.send(b"x")
        if not done.wait(_COMMAND_WAIT_SECONDS):
            raise RuntimeError("the printer simulator did not answer a command")
        if failure:
            raise failure[0]

    def _listen(self, port: int) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind((self.host, port))
            listener.listen(16)
        except OSError:
            listener.close()
            raise
        listener.setblocking(False)
        self._port = listener.getsockname()[1]
        self._listener = listener
        assert self._selector is not None
        self._selector.register(listener, selectors.EVENT_READ, self._on_accept)

    def _run(self) -> None:
        selector = self._selector
        assert selector is not None
        try:
            while not self._stopping:
                for key, _events in selector.select():
                    key.data(key.fileobj)
        except Exception:  # pragma: no cover - a bug here must be visible in the log
            logger.exception("The printer simulator loop failed")
        finally:
            with self._cond:
                self._cond.notify_all()

    def _on_wake(self, sock: Any) -> None:
        try:
            while sock.recv(4096):
                pass
        except BlockingIOError:
            pass
        with self._commands_lock:
            commands, self._commands = self._commands, []
        for action, done, failure in commands:
            try:
                action()
            except Exception as exc:
                failure.append(exc)
            done.set()

    def _on_accept(self, listener: Any) -> None:
        try:
            sock, peer = listener.accept()
        except BlockingIOError:
            return
        sock.setblocking(False)
        with self._cond:
            connection = _Connection(
                len(self._connections) + 1, sock, peer[:2], StatusResponder(self.flags)
            )
            self._connections.append(connection)
            self._cond.notify_all()
        if not self._silent:
            self._set_reading(connection, True)
        logger.debug("Simulator: connection %d from %s:%d", connection.number, *peer[:2])

    def _set_reading(self, connection: _Connection, reading: bool) -> None:
        assert self._selector is not None
        if reading and not connection.reading:
            self._selector.register(connection.sock, selectors.EVENT_READ, self._reader(connection))
        elif not reading and connection.reading:
            self._selector.unregister(connection.sock)
        connection.reading = reading

    def _reader(self, connection: _Connection) -> Callable[[Any], None]:
        def on_readable(_sock: Any) -> None:
            self._on_readable(connection)

        return on_readable

    def _on_readable(self, connection: _Connection) -> None:
        try:
            chunk = connection.sock.recv(_RECV_SIZE)
        except BlockingIOError:
            return
        except OSError as exc:
            logger.debug("Simulator: connection %d failed: %s", connection.number, exc)
            chunk = b""
        if not chunk:
            self._close_connection(connection)
            return
        answers = connection.responder.feed(chunk)
        with self._cond:  # recorded before answering: a client that has the answer sees it
            connection.chunks.append(chunk)
            connection.replies.extend(answers)
            self._cond.notify_all()
        if answers:
            try:
                connection.sock.send(answers)
            except OSError as exc:
                logger.debug("Simulator: cannot answer on %d: %s", connection.number, exc)
        if self.on_receipt is not None or self.on_kick is not None:
            self._report(connection)

    def _report(self, connection: _Connection) -> None:
        try:
            result = decode(b"".join(connection.chunks))
        except EscposDecodeError:
            return  # incomplete: wait for more bytes
        receipts = split_receipts(result)
        kicks = result.events_of(DrawerKick)
        try:
            if self.on_receipt is not None:
                for receipt in receipts[connection.receipts_reported :]:
                    self.on_receipt(receipt)
            if self.on_kick is not None:
                for kick in kicks[connection.kicks_reported :]:
                    self.on_kick(kick)
        except Exception:
            logger.exception("A printer simulator callback failed")
        connection.receipts_reported = len(receipts)
        connection.kicks_reported = len(kicks)

    def _close_connection(self, connection: _Connection) -> None:
        self._set_reading(connection, False)
        # Marked closed before the socket is: a client that waits for the printer to close
        # (``wait_eof``) must find the connection closed here once it has seen the EOF.
        with self._cond:
            connection.closed = True
            self._cond.notify_all()
        try:
            connection.sock.close()
        except OSError:  # pragma: no cover
            pass
        logger.debug("Simulator: connection %d closed", connection.number)

    def _close_all(self) -> None:
        for connection in self._connections:
            if not connection.closed:
                try:
                    connection.sock.close()
                except OSError:  # pragma: no cover
                    pass
                connection.closed = True
        for sock in (self._listener, self._wake_reader, self._wake_writer):
            if sock is not None:
                sock.close()
        self._listener = self._wake_reader = self._wake_writer = None
        if self._selector is not None:
            self._selector.close()
            self._selector = None
        with self._cond:
            self._cond.notify_all()

    def __repr__(self) -> str:
        where = f"{self.host}:{self._port}" if self._port is not None else "not started"
        return f"TcpPrinterSimulator({where})"


def main(argv: list[str] | None = None) -> int:
    """Run a simulator in the foreground and print each receipt's text as it arrives."""
    parser = argparse.ArgumentParser(description="Simulated ESC/POS network printer")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--paper-out", action="store_true", help="report no paper")
    args = parser.parse_args(argv)

    def show(receipt: DecodedReceipt) -> None:
        sys.stdout.write(receipt.text + "\n" + "-" * 48 + "\n")
        sys.stdout.flush()

    def kicked(kick: DrawerKick) -> None:
        sys.stdout.write(f"(cash drawer kicked on pin {kick.pin})\n")
        sys.stdout.flush()

    simulator = TcpPrinterSimulator(args.host, args.port, on_receipt=show, on_kick=kicked)
    simulator.paper_out = args.paper_out
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())
    with simulator:
        sys.stdout.write(f"Printer simulator on {args.host}:{simulator.port}; Ctrl-C stops it\n")
        sys.stdout.flush()
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
