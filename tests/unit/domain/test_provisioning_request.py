"""What IT types into ``mostrador provision`` or the first-run wizard, checked before any
network call; the one-time code never shows in a repr."""

from __future__ import annotations

import pytest

from pos_app.domain.provisioning import (
    EXIT_CODES,
    Problem,
    ProvisioningError,
    ProvisionRequest,
)


def request(**changes: str) -> ProvisionRequest:
    values = {
        "backend_url": " https://central.example:8765/ ",
        "store_code": " T01 ",
        "register_name": " Caja 1 ",
        "enrollment_code": " K7P2-9QXM ",
    }
    values.update(changes)
    return ProvisionRequest(**values)


def test_a_good_request_comes_back_trimmed():
    checked = request().validated()
    assert checked == ProvisionRequest("https://central.example:8765", "T01", "Caja 1", "K7P2-9QXM")


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("backend_url", "central:8765", "dirección de la central"),
        ("backend_url", "ftp://central", "dirección de la central"),
        ("backend_url", "", "vacía"),
        ("backend_url", "http://central:port", "puerto"),
        ("store_code", "  ", "código de tienda"),
        ("store_code", "T" * 11, "código de tienda"),
        ("register_name", "", "nombre de la caja"),
        ("register_name", "x" * 61, "nombre de la caja"),
        ("enrollment_code", "abc", "código de alta"),
    ],
)
def test_each_bad_field_is_named(field, value, named):
    with pytest.raises(ProvisioningError) as info:
        request(**{field: value}).validated()
    assert info.value.problem is Problem.BAD_INPUT and info.value.exit_code == 2
    assert named in info.value.message


def test_the_code_is_not_in_the_repr():
    assert "K7P2" not in repr(request()) and "Caja 1" in repr(request())


def test_every_problem_has_its_own_exit_code():
    assert set(EXIT_CODES) == set(Problem)
    assert len(set(EXIT_CODES.values())) == len(Problem)
    assert 0 not in EXIT_CODES.values() and 1 not in EXIT_CODES.values()
