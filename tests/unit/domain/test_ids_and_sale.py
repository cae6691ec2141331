import uuid

import pytest

from pos_app.domain.ids import uuid7
from pos_app.domain.sale import format_receipt_number


def test_uuid7_is_version_7_and_sorts_by_creation():
    ids = [uuid7() for _ in range(2000)]
    assert all(i.version == 7 and i.variant == uuid.RFC_4122 for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_receipt_number_format():
    assert format_receipt_number("T01", "C02", 2026, 42) == "T01-C02-2026-000042"


@pytest.mark.parametrize("store", ["t01", "T-1", "", "TOOLONGCODE1"])
def test_receipt_number_refuses_bad_codes(store):
    with pytest.raises(ValueError):
        format_receipt_number(store, "C01", 2026, 1)
