"""A small threaded HTTP/1.1 proxy that injects network faults between a register and the backend.

For each incoming request it picks one fault kind (seeded random, configurable weights, or a
forced schedule first) and counts what it injected. Every connection carries one request: the
proxy forces ``Connection: close`` on the request and on the answer, so it only has to read a
head and a ``Content-Length`` body (the register's client is httpx: small JSON bodies or GETs).
Bodies, gzip included, pass as bytes.

    with FaultProxy("127.0.0.1", backend_port, weights={...}, seed=1) as proxy:
        client = SyncClient(proxy.url, token)
        ...
        proxy.counts  # {"pass": 12, "lost_answer": 3, ...}
"""

from __future__ import annotations

import json
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping

PASS = "pass"
REFUSE = "refuse"  # close the client's socket before reading the request
RESET_BEFORE = "reset_before"  # read the request, close without forwarding it
LOST_ANSWER = "lost_answer"  # forward, read the whole answer, close without sending it
DELAY = "delay"  # sleep 0.05-0.3 s, then pass
DUPLICATE = "duplicate"  # forward the same request twice, return the second answer
ERROR_503 = "error_503"  # answer 503 with an ErrorBody, without forwarding
TRUNCATED = "truncated"  # send half the answer's body with the original Content-Length
GARBAGE = "garbage"  # answer 200 with a body that is not JSON, without forwarding

FAULTS = (REFUSE, RESET_BEFORE, LOST_ANSWER, DELAY, DUPLICATE, ERROR_503, TRUNCATED, GARBAGE)
KINDS = (PASS, *FAULTS)

_IO_TIMEOUT = 10.0
_MAX_HEAD = 64 * 1024


class ProxyError(Exception):
    pass


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


class FaultProxy:
    """A proxy on ``127.0.0.1:<free port>`` in front of ``target_host:target_port``."""

    def __init__(
        self,
        target_host: str,
        target_port: int,
        *,
        weights: Mapping[str, float] | None = None,
        seed: int = 0,
        schedule: Iterable[str] = (),
        schedule_path: str | None = None,
    ) -> None:
        self.target = (target_host, target_port)
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._weights: dict[str, float] = {PASS: 1.0}
        self.set_weights(weights or {PASS: 1.0})
        self._schedule = list(schedule)
        self._schedule_path = schedule_path
        self.counts: Counter[str] = Counter()
        self.by_path: Counter[tuple[str, str]] = Counter()
        self.errors: list[str] = []  # unexpected failures inside the proxy (not injected ones)
        self._stop = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.05)
        self.port: int = self._listener.getsockname()[1]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

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
        with self._lock:
            self._weights = {PASS: 1.0}
            self._schedule.clear()

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
    def _serve(self) -> None:
        # One connection at a time: the register's client makes one request at a time, and a
        # serial proxy has nothing to join but itself.
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            with conn:
                conn.settimeout(_IO_TIMEOUT)
                try:
                    self._handle(conn)
                except (OSError, ProxyError) as exc:
                    with self._lock:
                        self.errors.append(f"{type(exc).__name__}: {exc}")

    def _draw(self) -> str | None:
        """The kind for the next connection, drawn before reading it; None: decide on its path.

        While a forced schedule lasts it goes first: a REFUSE at its head takes the next
        connection whatever it asks (its path is not known before reading); any other kind
        waits for a request on ``schedule_path``, and the requests in between pass."""
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

    def _handle(self, conn: socket.socket) -> None:
        drawn = self._draw()
        if drawn == REFUSE:
            self._count(REFUSE, "?")
            conn.close()  # before reading: unread data makes the kernel answer with a reset
            return

        head, rest = _recv_head(conn)
        start, fields = _headers(head)
        length = _content_length(fields) or 0
        body = _recv_exact(conn, rest, length)
        path = start.split(" ")[1].split("?")[0] if start.count(" ") >= 2 else "?"
        request = _build_head(start, fields) + body

        kind = drawn if drawn is not None else self._scheduled(path)
        if kind == REFUSE:  # a scheduled REFUSE behind another kind: as close as it gets
            kind = RESET_BEFORE
        self._count(kind, path)

        if kind == RESET_BEFORE:
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
            return
        if kind == TRUNCATED:
            a_head, _, a_body = answer.partition(b"\r\n\r\n")
            conn.sendall(a_head + b"\r\n\r\n" + a_body[: len(a_body) // 2])
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
