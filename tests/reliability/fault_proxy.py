"""A small threaded HTTP/1.1 proxy that injects network faults between a register and the backend.

For each connection it picks one kind (a forced schedule first, then seeded random choices with
configurable weights) and counts what it injected:

=================== ====================================================================== ======
kind                what the register meets                                                backend
=================== ====================================================================== ======
``pass``            nothing                                                                1
``refuse``          connection refused: the proxy closes its listening port until a        0
                    client's connect fails (the clients' transport reports it, see below)
``reset_before``    the request is read, then the connection is reset (RST); not forwarded 0
``reset_mid_body``  half the request body is forwarded, then both sides are reset          0
``lost_answer``     forwarded, the whole answer read from the backend, then the register's 1
                    connection is reset: the backend took it, the register never hears
``delay``           0.05-0.3 s of silence, then passed                                     1
``duplicate``       forwarded twice; the register gets the second answer                   2
``error_503``       503 ``unavailable`` ErrorBody, without forwarding                      0
``error_502_after`` forwarded and answered, then replaced by a gateway's HTML 502           1
``truncated``       half the answer's body with the original Content-Length, then a reset  1
``garbage``         200 with a body that is not JSON, without forwarding                   0
=================== ====================================================================== ======

Every connection carries one request: the proxy forces ``Connection: close`` on the request and
on the answer, so it only has to read a head and a ``Content-Length`` body (the register's client
is httpx: small JSON bodies or GETs). Bodies, gzip included, pass as bytes.

A refused connection never reaches the proxy, so it cannot count it itself: clients pass
``transport=proxy.transport()`` to ``SyncClient``, an ``httpx`` transport that only reports a
failed connect to the proxy (and changes nothing else).

    with FaultProxy("127.0.0.1", backend_port, weights={...}, seed=1) as proxy:
        client = SyncClient(proxy.url, token, transport=proxy.transport())
        ...
        proxy.injected()  # {"pass": 12, "lost_answer": 3, ...}
"""

from __future__ import annotations

import json
import random
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

import httpx

PASS = "pass"
REFUSE = "refuse"
RESET_BEFORE = "reset_before"
RESET_MID_BODY = "reset_mid_body"
LOST_ANSWER = "lost_answer"
DELAY = "delay"
DUPLICATE = "duplicate"
ERROR_503 = "error_503"
ERROR_502_AFTER = "error_502_after"
TRUNCATED = "truncated"
GARBAGE = "garbage"

FAULTS = (
    REFUSE,
    RESET_BEFORE,
    RESET_MID_BODY,
    LOST_ANSWER,
    DELAY,
    DUPLICATE,
    ERROR_503,
    ERROR_502_AFTER,
    TRUNCATED,
    GARBAGE,
)
KINDS = (PASS, *FAULTS)

_IO_TIMEOUT = 10.0
_MAX_HEAD = 64 * 1024


class ProxyError(Exception):
    pass


def _reset(sock: socket.socket) -> None:
    """Close with a TCP reset (RST), not an orderly FIN: what a crashed middlebox does."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:  # already gone
        pass
    sock.close()


def _recv_head(sock: socket.socket) -> tuple[bytes, bytes]:
    """Read until the end of the head; return (head, bytes already read after it)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ProxyError("connection closed before the end of the head")
        data += chunk
        if len(data) > _MAX_HEAD:
            raise ProxyError("head too large")
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def _headers(head: bytes) -> tuple[str, list[tuple[str, str]]]:
    lines = head.decode("latin-1").split("\r\n")
    fields = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        fields.append((name.strip(), value.strip()))
    return lines[0], fields


def _content_length(fields: Iterable[tuple[str, str]]) -> int | None:
    for name, value in fields:
        if name.lower() == "content-length":
            return int(value)
    return None


def _build_head(start: str, fields: Iterable[tuple[str, str]]) -> bytes:
    kept = [(n, v) for n, v in fields if n.lower() not in ("connection", "keep-alive")]
    kept.append(("Connection", "close"))
    lines = [start, *(f"{n}: {v}" for n, v in kept)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _recv_exact(sock: socket.socket, rest: bytes, length: int) -> bytes:
    data = rest
    while len(data) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ProxyError("connection closed in the middle of a body")
        data += chunk
    return data[:length]


def _recv_all(sock: socket.socket, rest: bytes) -> bytes:
    chunks = [rest]
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _simple_response(status: str, body: bytes, content_type: str) -> bytes:
    head = _build_head(
        f"HTTP/1.1 {status}",
        [("Content-Type", content_type), ("Content-Length", str(len(body)))],
    )
    return head + body


class _RefusalReporter(httpx.BaseTransport):
    """httpx's own transport, plus a word to the proxy when a connect fails."""

    def __init__(self, proxy: FaultProxy) -> None:
        self._proxy = proxy
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return self._inner.handle_request(request)
        except httpx.ConnectError:
            self._proxy._connect_failed()
            raise

    def close(self) -> None:
        self._inner.close()


class FaultProxy:
    """A proxy on ``127.0.0.1:<free port>`` in front of ``target_host:target_port``.

    ``on_lost_answer(path)``, if given, runs when a ``lost_answer`` holds the backend's answer,
    before the register's connection is reset: the register is still waiting for it.
    """

    def __init__(
        self,
        target_host: str,
        target_port: int,
        *,
        weights: Mapping[str, float] | None = None,
        seed: int = 0,
        schedule: Iterable[str] = (),
        schedule_path: str | None = None,
        on_lost_answer: Callable[[str], None] | None = None,
    ) -> None:
        self.target = (target_host, target_port)
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._weights: dict[str, float] = {PASS: 1.0}
        self.set_weights(weights or {PASS: 1.0})
        self._schedule = list(schedule)
        unknown = set(self._schedule) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds: {sorted(unknown)}")
        self._schedule_path = schedule_path
        self._on_lost_answer = on_lost_answer
        self.counts: Counter[str] = Counter()
        self.by_path: Counter[tuple[str, str]] = Counter()
        self.errors: list[str] = []  # unexpected failures inside the proxy (not injected ones)
        self._stop = threading.Event()
        self._refused = threading.Event()  # a client met the closed port, or: open it again
        self._down = False
        self._off = False
        self._next: str | None = PASS
        self._prepared = False
        self._listener = self._listen(0)
        self.port: int = self._listener.getsockname()[1]
        self._thread: threading.Thread | None = None

    @staticmethod
    def _listen(port: int) -> socket.socket:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        listener.settimeout(0.05)
        return listener

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def transport(self) -> httpx.BaseTransport:
        """The transport clients of this proxy use, so that refused connects are counted."""
        return _RefusalReporter(self)

    # --- control -------------------------------------------------------------------------
    def set_weights(self, weights: Mapping[str, float]) -> None:
        unknown = set(weights) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds: {sorted(unknown)}")
        with self._lock:
            self._weights = {k: float(w) for k, w in weights.items() if w > 0}
            if not self._weights:
                self._weights = {PASS: 1.0}

    def faults_off(self) -> None:
        """Pass everything from now on (a closed port opens again, uncounted)."""
        with self._lock:
            self._weights = {PASS: 1.0}
            self._schedule.clear()
            self._off = True  # even the kind drawn for the next connection
        self._refused.set()

    @property
    def schedule_left(self) -> list[str]:
        with self._lock:
            return list(self._schedule)

    def injected(self) -> dict[str, int]:
        with self._lock:
            return {kind: self.counts[kind] for kind in KINDS}

    def start(self) -> FaultProxy:
        self._thread = threading.Thread(target=self._serve, name="fault-proxy", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._refused.set()
        if self._thread is not None:
            self._thread.join(30)
            if self._thread.is_alive():  # pragma: no cover - a bug in the proxy
                raise RuntimeError("the fault proxy did not stop")
            self._thread = None
        self._listener.close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- serving -------------------------------------------------------------------------
    @property
    def refusing(self) -> bool:
        """True while the port is closed for a ``refuse``."""
        with self._lock:
            return self._down

    def _serve(self) -> None:
        # One connection at a time: the register's client makes one request at a time, and a
        # serial proxy has nothing to join but itself. The kind for the next connection is
        # drawn before this one is answered (see _prepare_next).
        self._prepare_next()
        while not self._stop.is_set():
            if self._next == REFUSE:
                try:
                    self._refuse_one()
                except OSError as exc:  # the port could not be opened again
                    with self._lock:
                        self.errors.append(f"listening again: {exc}")
                    break
                self._prepare_next()
                continue
            drawn = self._next
            conn = self._accept()
            if conn is None:
                continue
            self._prepared = False
            with conn:
                conn.settimeout(_IO_TIMEOUT)
                try:
                    self._handle(conn, drawn)
                except (OSError, ProxyError) as exc:
                    with self._lock:
                        self.errors.append(f"{type(exc).__name__}: {exc}")
            if not self._prepared:
                self._prepare_next()

    def _prepare_next(self) -> None:
        """Draw the kind for the next connection. For a ``refuse``, close the port now, before
        the current connection is answered: a client only connects again once it has its
        answer (or its error), so its next connect finds the port closed, never half-closed."""
        self._next = self._draw()
        self._prepared = True
        if self._next == REFUSE:
            self._refused.clear()
            with self._lock:
                self._down = True
            self._listener.close()

    def _accept(self) -> socket.socket | None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
                return conn
            except TimeoutError:
                continue
            except OSError:
                return None
        return None

    def _refuse_one(self) -> None:
        """The port is closed: the next connect is refused by the kernel. Open it again once a
        client reported the refusal (or the proxy stops, or faults are turned off)."""
        try:
            while not self._refused.wait(0.05):
                pass
        finally:
            if not self._stop.is_set():
                self._listener = self._listen_again()
            with self._lock:
                self._down = False

    def _listen_again(self) -> socket.socket:
        # While the port was closed, any process's outgoing connection could take it as its
        # local port (a few milliseconds of bad luck): wait for it to go.
        deadline = time.monotonic() + 10
        while True:
            try:
                return self._listen(self.port)
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _connect_failed(self) -> None:  # on the client's thread
        with self._lock:
            if not self._down:
                return  # not ours to count (a refusal that raced the port opening again)
            self.counts[REFUSE] += 1
            self.by_path[(REFUSE, "?")] += 1
        self._refused.set()

    def _draw(self) -> str | None:
        """The kind for the next connection, drawn before it arrives; None: decide on its path.

        While a forced schedule lasts it goes first: a REFUSE at its head takes the next
        connection whatever it asks (its path is not known before it is refused); any other
        kind waits for a request on ``schedule_path``, and the requests in between pass."""
        with self._lock:
            if self._schedule:
                if self._schedule[0] == REFUSE:
                    return self._schedule.pop(0)
                return None
            kinds = list(self._weights)
            return self._rng.choices(kinds, [self._weights[k] for k in kinds])[0]

    def _scheduled(self, path: str) -> str:
        with self._lock:
            if self._schedule and (
                self._schedule_path is None or path.startswith(self._schedule_path)
            ):
                return self._schedule.pop(0)
            return PASS

    def _count(self, kind: str, path: str) -> None:
        with self._lock:
            self.counts[kind] += 1
            self.by_path[(kind, path)] += 1

    def _handle(self, conn: socket.socket, drawn: str | None) -> None:
        head, rest = _recv_head(conn)
        start, fields = _headers(head)
        length = _content_length(fields) or 0
        body = _recv_exact(conn, rest, length)
        path = start.split(" ")[1].split("?")[0] if start.count(" ") >= 2 else "?"
        request_head = _build_head(start, fields)
        request = request_head + body

        kind = drawn if drawn is not None else self._scheduled(path)
        with self._lock:
            if self._off:
                kind = PASS
        if kind == REFUSE:  # the schedule changed under us: as close as it gets
            kind = RESET_BEFORE
        if kind == RESET_MID_BODY and len(body) < 2:
            kind = RESET_BEFORE  # a GET has no body to cut: reset before forwarding instead
        self._count(kind, path)
        self._prepare_next()

        if kind == RESET_BEFORE:
            _reset(conn)
            return
        if kind == RESET_MID_BODY:
            with socket.create_connection(self.target, timeout=_IO_TIMEOUT) as upstream:
                upstream.sendall(request_head + body[: len(body) // 2])
                time.sleep(0.02)  # let the backend start reading the body
                _reset(upstream)
            _reset(conn)
            return
        if kind == ERROR_503:
            err = json.dumps({"code": "unavailable", "message": "injected 503"}).encode()
            conn.sendall(_simple_response("503 Service Unavailable", err, "application/json"))
            return
        if kind == GARBAGE:
            junk = b"<html><body>Captive portal: please log in</body></html>"
            conn.sendall(_simple_response("200 OK", junk, "application/json"))
            return
        if kind == DELAY:
            time.sleep(self._delay())
        if kind == DUPLICATE:
            self._forward(request)
        answer = self._forward(request)
        if kind == LOST_ANSWER:
            if self._on_lost_answer is not None:
                self._on_lost_answer(path)
            _reset(conn)
            return
        if kind == ERROR_502_AFTER:
            page = b"<html><head><title>502 Bad Gateway</title></head></html>"
            conn.sendall(_simple_response("502 Bad Gateway", page, "text/html"))
            return
        if kind == TRUNCATED:
            a_head, _, a_body = answer.partition(b"\r\n\r\n")
            conn.sendall(a_head + b"\r\n\r\n" + a_body[: len(a_body) // 2])
            _reset(conn)
            return
        conn.sendall(answer)

    def _delay(self) -> float:
        with self._lock:
            return self._rng.uniform(0.05, 0.3)

    def _forward(self, request: bytes) -> bytes:
        """Send one request to the backend; return its whole answer, head rewritten."""
        with socket.create_connection(self.target, timeout=_IO_TIMEOUT) as upstream:
            upstream.sendall(request)
            head, rest = _recv_head(upstream)
            start, fields = _headers(head)
            length = _content_length(fields)
            if length is None:
                body = _recv_all(upstream, rest)
                fields = [(n, v) for n, v in fields if n.lower() != "transfer-encoding"]
                if "chunked" in head.decode("latin-1").lower():
                    body = _dechunk(body)
                fields.append(("Content-Length", str(len(body))))
            else:
                body = _recv_exact(upstream, rest, length)
        return _build_head(start, fields) + body


def _dechunk(data: bytes) -> bytes:
    out = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += data[:size]
        data = data[size + 2 :]
    return out
