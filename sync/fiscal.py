"""The fingerprints of Spain's billing records (VERI*FACTU, DESIGN section 9) and the journal
hash of a register's records, shared by the register (which makes them) and the backend (which
checks them as they arrive). Pure functions of text: no clock, no database.

- ``alta_fingerprint``: the huella of an issued invoice or ticket (F1, F2, F3, R5);
- ``anulacion_fingerprint``: the huella of a cancellation;
- ``journal_hash``: the register's own chain through every record, Z closes included;
- ``qr_url``: what the ticket's QR code holds (no hash in it: it prints offline).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote

from sync.protocol import ChainPosition, FiscalRecordPayload

QR_BASE_URL = "https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR"
QR_LEGEND = "Factura verificable en la sede electrónica de la AEAT"  # printed by the QR
MAX_QR_SERIES = 60


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest().upper()


def _joined(pairs: Iterable[tuple[str, str]]) -> str:
    return "&".join(f"{key}={value.strip()}" for key, value in pairs)


def amount_text(cents: int) -> str:
    """Cents as the records write amounts: ``12345`` -> ``"123.45"``, ``-5`` -> ``"-0.05"``."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def date_text(day: date) -> str:
    """``dd-mm-yyyy``, as the records and the QR write dates."""
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


def generated_text(at: datetime) -> str:
    """``YYYY-MM-DDThh:mm:ss+hh:mm`` (whole seconds, with the UTC offset) of an aware time."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("a record's time carries its UTC offset")
    return at.replace(microsecond=0).isoformat()


def alta_fingerprint(
    *,
    issuer_tax_id: str,
    series_number: str,
    issue_date: str,
    invoice_type: str,
    tax_total: str,
    amount_total: str,
    previous: str,
    generated_at: str,
) -> str:
    """The huella of an issue record ("alta"): 64 upper-case hex digits."""
    return _sha256(
        _joined(
            (
                ("IDEmisorFactura", issuer_tax_id),
                ("NumSerieFactura", series_number),
                ("FechaExpedicionFactura", issue_date),
                ("TipoFactura", invoice_type),
                ("CuotaTotal", tax_total),
                ("ImporteTotal", amount_total),
                ("Huella", previous),
                ("FechaHoraHusoGenRegistro", generated_at),
            )
        )
    )


def anulacion_fingerprint(
    *, issuer_tax_id: str, series_number: str, issue_date: str, previous: str, generated_at: str
) -> str:
    """The huella of a cancellation record ("anulación")."""
    return _sha256(
        _joined(
            (
                ("IDEmisorFacturaAnulada", issuer_tax_id),
                ("NumSerieFacturaAnulada", series_number),
                ("FechaExpedicionFacturaAnulada", issue_date),
                ("Huella", previous),
                ("FechaHoraHusoGenRegistro", generated_at),
            )
        )
    )


def record_fingerprint(record: FiscalRecordPayload) -> str:
    """The huella ``record`` should carry ("" for a Z close, which is no billing record)."""
    if record.record_type == "cierre":
        return ""
    if record.record_type == "anulacion":
        return anulacion_fingerprint(
            issuer_tax_id=record.issuer_tax_id,
            series_number=record.series_number,
            issue_date=record.issue_date,
            previous=record.previous_fingerprint,
            generated_at=record.generated_at,
        )
    assert record.invoice_type is not None
    return alta_fingerprint(
        issuer_tax_id=record.issuer_tax_id,
        series_number=record.series_number,
        issue_date=record.issue_date,
        invoice_type=record.invoice_type,
        tax_total=record.tax_total,
        amount_total=record.amount_total,
        previous=record.previous_fingerprint,
        generated_at=record.generated_at,
    )


def canonical(record: FiscalRecordPayload) -> str:
    """The record's fields in ``canonical_fields`` order as ``key=value`` joined by ``&``
    (lists joined by ``,``; a missing value empty)."""
    parts = []
    for name in FiscalRecordPayload.canonical_fields:
        value = getattr(record, name)
        if value is None:
            text = ""
        elif isinstance(value, list):
            text = ",".join(str(v) for v in value)
        else:
            text = str(value)
        parts.append(f"{name}={text}")
    return "&".join(parts)


def journal_hash(record: FiscalRecordPayload) -> str:
    """The journal hash ``record`` should carry: over its previous one and its fields."""
    return _sha256(f"{record.journal_previous}|{canonical(record)}")


def verify_record(record: FiscalRecordPayload) -> str | None:
    """What is wrong with ``record`` on its own (its two hashes), or None."""
    expected = record_fingerprint(record)
    if record.fingerprint != expected:
        return f"record {record.chain_seq} ({record.series_number}): fingerprint does not match"
    if record.journal_hash != journal_hash(record):
        return f"record {record.chain_seq} ({record.series_number}): journal hash does not match"
    return None


def verify_chain(
    records: Iterable[FiscalRecordPayload], *, after: ChainPosition | None = None
) -> str | None:
    """The first break of a register's journal (records in ``chain_seq`` order from 1, or
    from the record after ``after``: a register taken over from another machine): a hash that
    does not match, a record missing or out of order, a link to the wrong previous record;
    None when the whole chain holds."""
    start = after or ChainPosition()
    expected_seq = start.chain_seq + 1
    journal_previous = start.journal_hash
    fingerprint_previous = start.fingerprint
    for record in records:
        if record.chain_seq != expected_seq:
            return f"record {expected_seq} is missing (found {record.chain_seq} in its place)"
        if record.journal_previous != journal_previous:
            return f"record {record.chain_seq} ({record.series_number}): not linked to record " + (
                f"{expected_seq - 1}" if expected_seq > 1 else "nothing (it is the first)"
            )
        if record.record_type != "cierre" and record.previous_fingerprint != fingerprint_previous:
            return (
                f"record {record.chain_seq} ({record.series_number}): its huella does not "
                "follow the previous billing record's"
            )
        wrong = verify_record(record)
        if wrong is not None:
            return wrong
        journal_previous = record.journal_hash
        if record.record_type != "cierre":
            fingerprint_previous = record.fingerprint
        expected_seq += 1
    return None


def qr_url(*, issuer_tax_id: str, series_number: str, issue_date: str, amount_total: str) -> str:
    """What the ticket's QR code encodes (``series_number`` URL-encoded, at most 60
    characters: longer is refused, as the tax agency would not read it)."""
    if len(series_number) > MAX_QR_SERIES:
        raise ValueError(f"a series and number is at most {MAX_QR_SERIES} characters")
    return (
        f"{QR_BASE_URL}?nif={quote(issuer_tax_id.strip(), safe='')}"
        f"&numserie={quote(series_number.strip(), safe='')}"
        f"&fecha={issue_date}&importe={amount_total}"
    )


def cents_of(amount: str) -> int:
    """``"123.45"`` -> ``12345``."""
    return int(Decimal(amount) * 100)
