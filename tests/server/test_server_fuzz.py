"""Fuzzing the backend.

1. Its OpenAPI description, with schemathesis and every check: no 5xx, no answer that violates
   the schema. CI runs a bounded number of examples per operation (``MOSTRADOR_FUZZ_EXAMPLES``,
   default 25: about 20 s per database, this file included); the full run (about 3.5 min per
   database): ``MOSTRADOR_FUZZ_EXAMPLES=500 python -m pytest tests/server/test_server_fuzz.py``.
2. Malformed pushes (an unknown event type, a negative quantity, an oversize batch, a wrong or
   missing protocol version, a body that is not the schema): each gets a typed answer (a 4xx
   ErrorBody, or a per-event ``rejected`` with its code), and the next good push from the same
   register is still taken: a bad push never blocks the queue. First one explicit test per kind,
   then a hypothesis property over generated junk (``MOSTRADOR_FUZZ_EXAMPLES`` examples too).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.protocol import MAX_PUSH_EVENTS, PROTOCOL_HEADER, ErrorBody, PushResponse
from sync.server.tables import sales

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("MOSTRADOR_FUZZ_EXAMPLES", "25"))


@pytest.mark.slow
def test_the_api_survives_fuzzing_with_every_check(backend):
    backend.store("T01")
    register = backend.enroll("T01", "Caja fuzz")
    exe = shutil.which("schemathesis") or str(Path(sys.executable).with_name("schemathesis"))
    result = subprocess.run(
        [
            exe,
            "run",
            f"{backend.base_url}/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            str(EXAMPLES),
            "--seed",
            "2026",
            "-H",
            f"Authorization: Bearer {register.token}",
            "-H",
            "X-Mostrador-Protocol: 1",
        ],
        cwd=ROOT,  # where schemathesis.toml says which refusals are expected
        capture_output=True,
        text=True,
        timeout=900,
    )
    tail = (result.stdout + result.stderr)[-4000:]
    # --checks all includes not_a_server_error and response_schema_conformance
    assert result.returncode == 0, tail
    assert "passed" in tail


# --- malformed pushes never block the queue --------------------------------------------------


@pytest.fixture
def shop(backend, tmp_path):
    backend.store("T01")
    backend.catalog(tmp_path)
    return backend


def _last_seq(client: httpx.Client) -> int:
    response = client.post("/v1/sync/push", json={"events": []})
    assert response.status_code == 200, response.text
    return PushResponse.model_validate(response.json()).last_seq


def _good_push_is_taken(shop, register, client, make_sale, make_event, number: int) -> None:
    """The register's next event (a plain sale) is applied, and the sale is at the backend."""
    before = shop.count(sales)
    seq = _last_seq(client) + 1
    sale = make_sale(register, [("P0001", "1", 349)], number=number)
    response = client.post("/v1/sync/push", json={"events": [make_event(seq, sale)]})
    assert response.status_code == 200, response.text
    answer = PushResponse.model_validate(response.json())
    assert [(r.seq, r.status.value) for r in answer.results] == [(seq, "applied")]
    assert answer.last_seq == seq
    assert shop.count(sales) == before + 1


def _unknown_type(register, seq, make_sale, make_event) -> dict[str, Any]:
    return {"json": {"events": [make_event(seq, {"whatever": 1}, "sale.teleported")]}}


def _negative_quantity(register, seq, make_sale, make_event) -> dict[str, Any]:
    sale = make_sale(register, [("P0001", "-2", -698)], number=900)
    return {"json": {"events": [make_event(seq, sale)]}}


def _oversize_batch(register, seq, make_sale, make_event) -> dict[str, Any]:
    events = [
        make_event(seq + i, make_sale(register, [("P0001", "1", 349)], number=1000 + i))
        for i in range(MAX_PUSH_EVENTS + 1)
    ]
    return {"json": {"events": events}}


def _wrong_version(register, seq, make_sale, make_event) -> dict[str, Any]:
    sale = make_sale(register, [("P0001", "1", 349)], number=901)
    return {"json": {"events": [make_event(seq, sale)]}, "headers": {PROTOCOL_HEADER: "2"}}


def _no_version(register, seq, make_sale, make_event) -> dict[str, Any]:
    sale = make_sale(register, [("P0001", "1", 349)], number=902)
    return {"json": {"events": [make_event(seq, sale)]}, "drop_headers": [PROTOCOL_HEADER]}


def _not_json(register, seq, make_sale, make_event) -> dict[str, Any]:
    return {"content": b'{"events": [', "headers": {"content-type": "application/json"}}


def _seq_zero(register, seq, make_sale, make_event) -> dict[str, Any]:
    sale = make_sale(register, [("P0001", "1", 349)], number=903)
    return {"json": {"events": [make_event(0, sale)]}}


def _events_not_a_list(register, seq, make_sale, make_event) -> dict[str, Any]:
    return {"json": {"events": {"seq": seq}}}


# name -> (how to build the push, expected HTTP status, expected code: the ErrorBody's, or the
# per-event rejection's when the status is 200)
MALFORMED: dict[str, tuple[Callable[..., dict[str, Any]], int, str]] = {
    "unknown event type": (_unknown_type, 200, "unknown_event_type"),
    "negative quantity": (_negative_quantity, 200, "invalid_quantity"),
    "oversize batch": (_oversize_batch, 413, "too_large"),
    "wrong protocol version": (_wrong_version, 426, "protocol_version"),
    "no protocol version": (_no_version, 426, "protocol_version"),
    "body not JSON": (_not_json, 422, "invalid"),
    "sequence zero": (_seq_zero, 422, "invalid"),
    "events not a list": (_events_not_a_list, 422, "invalid"),
}


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_a_malformed_push_gets_a_typed_answer_and_the_next_good_push_is_taken(
    shop, make_sale, make_event, kind
):
    build, status, code = MALFORMED[kind]
    register = shop.enroll()
    client = shop.client(register.token)
    _good_push_is_taken(shop, register, client, make_sale, make_event, number=1)
    sales_before = shop.count(sales)
    seq = _last_seq(client) + 1

    request = build(register, seq, make_sale, make_event)
    dropped = request.pop("drop_headers", [])
    built = client.build_request("POST", "/v1/sync/push", **request)
    for name in dropped:
        del built.headers[name]
    response = client.send(built)
    assert response.status_code == status, response.text
    if status == 200:
        answer = PushResponse.model_validate(response.json())
        assert [(r.seq, r.status.value, r.code) for r in answer.results] == [
            (seq, "rejected", code)
        ]
        assert answer.results[0].message  # says why
        assert answer.last_seq == seq  # refused for good: the queue moves past it
    else:
        assert ErrorBody.model_validate(response.json()).code == code
        assert _last_seq(client) == seq - 1  # nothing of it was taken
    assert shop.count(sales) == sales_before

    _good_push_is_taken(shop, register, client, make_sale, make_event, number=2)


_json_leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
_json = st.recursive(
    _json_leaves,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_types = st.sampled_from(["sale.completed", "sale.abandoned"]) | st.text(min_size=1, max_size=70)


@st.composite
def _junk_push(draw: st.DrawFn) -> tuple[str, Any]:
    """("body", any JSON) or ("events", [(seq offset, type, payload), ...])."""
    if draw(st.booleans()):
        return "body", draw(_json)
    events = draw(
        st.lists(
            st.tuples(
                st.integers(min_value=-1, max_value=3),
                _types,
                st.dictionaries(st.text(max_size=12), _json, max_size=6),
            ),
            min_size=1,
            max_size=4,
        )
    )
    return "events", events


@pytest.mark.slow
def test_no_junk_push_blocks_the_queue(shop, make_sale, make_event):
    register = shop.enroll()
    client = shop.client(register.token)
    numbers = iter(range(1, 1_000_000))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(junk=_junk_push())
    def property_holds(junk: tuple[str, Any]) -> None:
        what, drawn = junk
        if what == "body":
            response = client.post(
                "/v1/sync/push",
                content=json.dumps(drawn).encode(),
                headers={"content-type": "application/json"},
            )
        else:
            base = _last_seq(client)
            events = [
                {
                    "seq": base + offset,
                    "event_id": f"junk-{next(numbers)}",
                    "type": type_,
                    "occurred_at": "2026-11-25T10:30:00+01:00",
                    "payload": payload,
                }
                for offset, type_, payload in drawn
            ]
            response = client.post("/v1/sync/push", json={"events": events})
        assert response.status_code < 500, response.text
        if response.status_code == 200:
            PushResponse.model_validate(response.json())
        else:
            assert 400 <= response.status_code < 500
            ErrorBody.model_validate(response.json())
        _good_push_is_taken(shop, register, client, make_sale, make_event, next(numbers))

    property_holds()
