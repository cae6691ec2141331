"""The tax agency's three published fingerprints (DESIGN section 9), and the QR's content."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from sync.fiscal import (
    alta_fingerprint,
    amount_text,
    anulacion_fingerprint,
    date_text,
    generated_text,
    qr_url,
)

FIRST = "3C464DAF61ACB827C65FDA19F352A4E3BDC2C640E9E9FC4CC058073F38F12F60"
SECOND = "F7B94CFD8924EDFF273501B01EE5153E4CE8F259766F88CF6ACB8935802A2B97"
CANCELLED = "177547C0D57AC74748561D054A9CEC14B4C4EA23D1BEFD6F2E69E3A388F90C68"


def _alta(number: str, previous: str, generated_at: str) -> str:
    return alta_fingerprint(
        issuer_tax_id="89890001K",
        series_number=number,
        issue_date="01-01-2024",
        invoice_type="F1",
        tax_total="12.35",
        amount_total="123.45",
        previous=previous,
        generated_at=generated_at,
    )


def test_the_three_published_fingerprints():
    assert _alta("12345678/G33", "", "2024-01-01T19:20:30+01:00") == FIRST
    assert _alta("12345679/G34", FIRST, "2024-01-01T19:20:35+01:00") == SECOND
    assert (
        anulacion_fingerprint(
            issuer_tax_id="89890001K",
            series_number="12345679/G34",
            issue_date="01-01-2024",
            previous=SECOND,
            generated_at="2024-01-01T19:20:40+01:00",
        )
        == CANCELLED
    )


def test_values_are_stripped_of_surrounding_spaces():
    assert _alta(" 12345678/G33 ", "", "2024-01-01T19:20:30+01:00") == FIRST


def test_amounts_dates_and_times_are_written_as_the_records_want():
    assert [amount_text(c) for c in (12345, 5, 0, -1235, -5)] == [
        "123.45",
        "0.05",
        "0.00",
        "-12.35",
        "-0.05",
    ]
    assert date_text(datetime(2024, 1, 1).date()) == "01-01-2024"
    madrid = timezone(timedelta(hours=1))
    assert generated_text(datetime(2024, 1, 1, 19, 20, 30, 999, madrid)) == (
        "2024-01-01T19:20:30+01:00"
    )
    assert generated_text(datetime(2024, 7, 1, 8, 0, tzinfo=UTC)) == "2024-07-01T08:00:00+00:00"
    with pytest.raises(ValueError):
        generated_text(datetime(2024, 1, 1))


def test_the_qr_encodes_the_series_with_slashes_spaces_and_accents():
    url = qr_url(
        issuer_tax_id="B12345678",
        series_number="T01/C 1-Año-000042",
        issue_date="25-11-2026",
        amount_total="15.59",
    )
    assert url == (
        "https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345678"
        "&numserie=T01%2FC%201-A%C3%B1o-000042&fecha=25-11-2026&importe=15.59"
    )
    with pytest.raises(ValueError):
        qr_url(
            issuer_tax_id="B1", series_number="X" * 61, issue_date="01-01-2024", amount_total="1.00"
        )
