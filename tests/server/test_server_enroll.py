"""Enrolment with one-time codes, tokens, re-enrolment, revocation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from sync.protocol import EnrollResponse, ErrorBody
from sync.server.core.security import hash_enrollment_code, hash_token
from sync.server.services.registers import revoke_register
from sync.server.tables import devices, enrollment_codes


def test_a_valid_code_enrols_registers_in_order_and_is_used_up(backend):
    backend.store("T01", "Ultramarinos La Plaza")
    client = backend.client()
    code = backend.code("T01")
    first = client.post("/v1/enroll", json={"code": code, "register_name": "Caja 1"})
    assert first.status_code == 201, first.text
    enrolled = EnrollResponse.model_validate(first.json())
    assert enrolled.register_code == "C01"
    assert enrolled.store.code == "T01"
    assert enrolled.store.name == "Ultramarinos La Plaza"
    assert enrolled.store.address == ["Calle Mayor 1", "Madrid"]
    assert len(enrolled.token) >= 40

    # Codes are typed by people: case and dashes do not matter.
    second = backend.client().post(
        "/v1/enroll",
        json={"code": backend.code("T01").lower().replace("-", ""), "register_name": "Caja 2"},
    )
    assert second.status_code == 201, second.text
    assert second.json()["register_code"] == "C02"

    # Only hashes are kept.
    stored = backend.scalar(select(devices.c.token_hash).where(devices.c.id == enrolled.device_id))
    assert stored == hash_token(enrolled.token) != enrolled.token
    used = backend.scalar(
        select(enrollment_codes.c.device_id).where(
            enrollment_codes.c.code_hash == hash_enrollment_code(code)
        )
    )
    assert used == enrolled.device_id

    # The token works, and the register pulls its store's identity.
    changes = backend.pull_all(backend.client(enrolled.token))
    stores = [c for c in changes if c["entity"] == "store"]
    assert [c["key"] for c in stores] == ["T01"]
    assert stores[0]["data"]["tax_id"] == "B12345678"


def test_a_used_code_is_410_and_enrols_nothing(backend):
    backend.store()
    code = backend.code()
    client = backend.client()
    assert client.post("/v1/enroll", json={"code": code, "register_name": "A"}).status_code == 201
    again = client.post("/v1/enroll", json={"code": code, "register_name": "B"})
    assert again.status_code == 410
    body = ErrorBody.model_validate(again.json())
    assert body.code == "enrollment_code_used"
    assert "already used" in body.message
    assert backend.count(devices) == 1


def test_an_expired_code_is_410(backend):
    backend.store()
    code = backend.code(hours=1, now=datetime.now(UTC) - timedelta(hours=2))
    response = backend.client().post("/v1/enroll", json={"code": code, "register_name": "A"})
    assert response.status_code == 410
    body = ErrorBody.model_validate(response.json())
    assert body.code == "enrollment_code_expired"
    assert "expired" in body.message
    assert backend.count(devices) == 0


def test_a_code_of_another_store_is_409_and_stays_unused(backend):
    backend.store("T01", "Ultramarinos La Plaza")
    code = backend.code("T01")
    client = backend.client()
    wrong = client.post(
        "/v1/enroll", json={"code": code, "register_name": "A", "store_code": "T02"}
    )
    assert wrong.status_code == 409
    body = ErrorBody.model_validate(wrong.json())
    assert body.code == "wrong_store" and "T01" in body.message and "T02" in body.message
    assert backend.count(devices) == 0
    # The store IT meant, as typed (case does not matter): the same code still enrols.
    right = client.post(
        "/v1/enroll", json={"code": code, "register_name": "A", "store_code": "t01"}
    )
    assert right.status_code == 201, right.text
    assert right.json()["store"]["code"] == "T01"


def test_an_unknown_code_is_401(backend):
    backend.store()
    backend.code()
    response = backend.client().post(
        "/v1/enroll", json={"code": "AAAA-BBBB-CCCC", "register_name": "A"}
    )
    assert response.status_code == 401
    assert ErrorBody.model_validate(response.json()).code == "unauthorized"


def test_re_enrolling_with_device_id_keeps_register_code_and_sequence(
    backend, make_sale, make_event
):
    backend.store()
    register = backend.enroll()
    pushed = backend.client(register.token).post(
        "/v1/sync/push", json={"events": [make_event(1, make_sale(register, [("X", "1", 100)]))]}
    )
    assert pushed.json()["last_seq"] == 1

    again = backend.client().post(
        "/v1/enroll",
        json={"code": backend.code(), "register_name": "Caja", "device_id": register.device_id},
    )
    assert again.status_code == 201, again.text
    body = again.json()
    assert (body["device_id"], body["register_code"]) == (register.device_id, "C01")
    assert body["token"] != register.token
    old = backend.client(register.token).get("/v1/sync/pull")
    assert old.status_code == 401
    new_client = backend.client(body["token"])
    replay = new_client.post("/v1/sync/push", json={"events": []})
    assert replay.json()["last_seq"] == 1

    # A device id of another store is not honoured: that is a new register there.
    backend.store("T02")
    elsewhere = backend.client().post(
        "/v1/enroll",
        json={"code": backend.code("T02"), "register_name": "X", "device_id": register.device_id},
    )
    assert elsewhere.json()["device_id"] != register.device_id
    assert elsewhere.json()["register_code"] == "C01"


def test_a_revoked_register_is_refused_with_code_revoked_and_when(backend):
    backend.store()
    register = backend.enroll()
    client = backend.client(register.token)
    assert client.get("/v1/sync/pull").status_code == 200
    with backend.database.writing() as conn:
        revoked = revoke_register(conn, register.device_id)
    for response in (
        client.get("/v1/sync/pull"),
        client.post("/v1/sync/push", json={"events": []}),
        client.get("/v1/stock/P0001"),
    ):
        assert response.status_code == 401
        body = ErrorBody.model_validate(response.json())
        assert body.code == "revoked"
        assert "revoked" in body.message
        assert f"{revoked.revoked_at:%Y-%m-%d %H:%M}" in body.message

    # A revoked register is never brought back by re-enrolling: it enrols as a new one.
    again = backend.client().post(
        "/v1/enroll",
        json={"code": backend.code(), "register_name": "Caja", "device_id": register.device_id},
    )
    assert again.json()["device_id"] != register.device_id
    assert again.json()["register_code"] == "C02"
