"""The HTTP surface: health, the protocol header, errors as ErrorBody, the OpenAPI description."""

from __future__ import annotations

import httpx

from sync.protocol import MAX_PUSH_EVENTS, PROTOCOL_HEADER, ErrorBody, Health


def test_health_answers_without_header_or_token(backend):
    with httpx.Client(base_url=backend.base_url) as bare:
        response = bare.get("/v1/health")
    assert response.status_code == 200
    health = Health.model_validate(response.json())
    assert health.protocol_versions == [1]
    assert health.server_version


def test_a_missing_or_unsupported_protocol_version_is_426_with_the_supported_ones(backend):
    endpoints = [
        ("POST", "/v1/enroll"),
        ("POST", "/v1/sync/push"),
        ("GET", "/v1/sync/pull"),
        ("GET", "/v1/stock/P0001"),
    ]
    with httpx.Client(base_url=backend.base_url) as bare:
        for method, path in endpoints:
            for value in (None, "2", "0", "abc", ""):
                headers = {} if value is None else {PROTOCOL_HEADER: value}
                # Even a body that is not JSON is refused for its version first.
                response = bare.request(method, path, headers=headers, content=b"not json")
                assert response.status_code == 426, (method, path, value)
                body = ErrorBody.model_validate(response.json())
                assert body.code == "protocol_version"
                assert body.supported == [1]
                assert PROTOCOL_HEADER in body.message
        accepted = bare.get("/v1/sync/pull", headers={PROTOCOL_HEADER: "1"})
        assert accepted.status_code == 401  # past the version check, on to the token


def test_errors_are_error_bodies_never_stack_traces(backend):
    client = backend.client()
    unknown = client.get("/v1/nothing-here")
    assert unknown.status_code == 404
    assert ErrorBody.model_validate(unknown.json()).code == "not_found"

    no_token = client.get("/v1/sync/pull")
    assert no_token.status_code == 401
    assert ErrorBody.model_validate(no_token.json()).code == "unauthorized"
    assert no_token.headers["www-authenticate"] == "Bearer"

    bad_token = backend.client("not-a-token").get("/v1/sync/pull")
    assert bad_token.status_code == 401
    assert ErrorBody.model_validate(bad_token.json()).code == "unauthorized"

    garbage = client.post(
        "/v1/enroll", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert garbage.status_code == 422
    body = ErrorBody.model_validate(garbage.json())
    assert body.code == "invalid"
    assert "Traceback" not in garbage.text

    short = client.post("/v1/enroll", json={"code": "x", "register_name": ""})
    assert short.status_code == 422
    body = ErrorBody.model_validate(short.json())
    assert "body.code" in body.message and "body.register_name" in body.message


def test_a_push_of_too_many_events_is_413_too_large(backend, make_event):
    backend.store()
    register = backend.enroll()
    events = [make_event(i + 1, {}, "noop") for i in range(MAX_PUSH_EVENTS + 1)]
    response = backend.client(register.token).post("/v1/sync/push", json={"events": events})
    assert response.status_code == 413
    body = ErrorBody.model_validate(response.json())
    assert body.code == "too_large"
    assert str(MAX_PUSH_EVENTS) in body.message


def test_validation_of_query_parameters_is_422_invalid(backend):
    backend.store()
    register = backend.enroll()
    client = backend.client(register.token)
    for params in ({"since": "-1"}, {"since": "abc"}, {"limit": 0}, {"limit": 10_001}):
        response = client.get("/v1/sync/pull", params=params)
        assert response.status_code == 422, params
        assert ErrorBody.model_validate(response.json()).code == "invalid"


def test_openapi_declares_every_response_and_every_error(backend):
    spec = backend.client().get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    expected = {
        ("get", "/v1/health"): {"200", "500", "503"},
        ("post", "/v1/enroll"): {"201", "401", "409", "410", "422", "426", "500", "503"},
        ("post", "/v1/sync/push"): {"200", "401", "413", "422", "426", "500", "503"},
        ("get", "/v1/sync/pull"): {"200", "401", "409", "422", "426", "500", "503"},
        ("get", "/v1/stock/{sku}"): {"200", "401", "404", "422", "426", "500", "503"},
    }
    for (method, path), statuses in expected.items():
        operation = spec["paths"][path][method]
        assert set(operation["responses"]) == statuses, path
        for status, response in operation["responses"].items():
            ref = response["content"]["application/json"]["schema"]["$ref"]
            if status.startswith(("4", "5")):
                assert ref.endswith("/ErrorBody"), (path, status)
            else:
                assert not ref.endswith("/ErrorBody"), (path, status)
        if path != "/v1/health":
            names = {p["name"] for p in operation.get("parameters", ())}
            assert PROTOCOL_HEADER in names, path
    assert spec["components"]["securitySchemes"]["RegisterToken"]["scheme"] == "bearer"
    assert "security" in spec["paths"]["/v1/sync/push"]["post"]
    assert "security" not in spec["paths"]["/v1/enroll"]["post"]


def test_text_that_cannot_be_stored_is_refused_cleanly(backend):
    backend.store()
    client = backend.client()
    nul = client.post("/v1/enroll", json={"code": backend.code(), "register_name": "Caja\u0000"})
    assert nul.status_code == 422
    assert ErrorBody.model_validate(nul.json()).code == "invalid"
    other = client.post(
        "/v1/enroll",
        content=b'{"code": "ABCD-EFGH", "register_name": "Caja\\ud800"}',
        headers={"content-type": "application/json"},
    )
    assert other.status_code == 422
    not_utf8 = client.post(
        "/v1/enroll", content=b'{"code": "\xff\xfe"}', headers={"content-type": "application/json"}
    )
    assert not_utf8.status_code == 422
    assert ErrorBody.model_validate(not_utf8.json()).code == "invalid"
    register = backend.enroll()
    missing = backend.client(register.token).get("/v1/stock/P%00X")
    assert missing.status_code == 404
    assert ErrorBody.model_validate(missing.json()).code == "not_found"


def test_a_fault_of_the_backend_is_a_500_error_body_without_details(backend, monkeypatch, caplog):
    from sqlalchemy.exc import IntegrityError

    from sync.server.routers import stock as stock_router

    backend.store()
    client = backend.client(backend.enroll().token)

    def crash(conn, sku):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(stock_router, "availability", crash)
    with caplog.at_level("ERROR"):
        response = client.get("/v1/stock/P0001")
    assert response.status_code == 500
    body = ErrorBody.model_validate(response.json())
    assert body.code == "internal"
    assert "secret internals" not in response.text and "Traceback" not in response.text
    assert any("secret internals" in (r.exc_text or "") for r in caplog.records)  # logged

    def constraint(conn, sku):
        raise IntegrityError("INSERT ...", {}, ValueError("duplicate key"))

    monkeypatch.setattr(stock_router, "availability", constraint)
    response = client.get("/v1/stock/P0001")
    assert response.status_code == 500
    assert ErrorBody.model_validate(response.json()).code == "internal"
    assert "duplicate key" not in response.text
