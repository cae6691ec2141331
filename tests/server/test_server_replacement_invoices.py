"""Replacement invoices (F3) at the backend, through the real HTTP app: an F3 is verified and
kept as any record; one naming a ticket that an F3 before it already replaced (in an earlier
push or earlier in the same push) is kept as a conflict ``already_replaced``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sync.fiscal import amount_text
from sync.protocol import PushResponse
from sync.server.tables import fiscal_records

FISCAL = "fiscal.recorded"


def f3(journal: Any, number: int, replaced: list[str], total_cents: int) -> dict[str, Any]:
    register = journal.register
    return journal._next(  # type: ignore[no-any-return]
        record_type="alta",
        invoice_type="F3",
        series_number=f"{register.store_code}-{register.register_code}-F2026-{number:06d}",
        tax_total=amount_text(total_cents * 21 // 121),
        amount_total=amount_text(total_cents),
        source_kind="invoice",
        source_id=f"0193a000-0000-7000-8000-{number:012d}",
        replaced=replaced,
        recipient_tax_id="B58818501",
        recipient_name="Ferretería Sol SL",
    )


def test_a_ticket_replaced_twice_is_an_already_replaced_conflict(backend, make_event, make_journal):
    backend.store("T01")
    register = backend.enroll("T01")
    journal = make_journal(register)
    client = backend.client(register.token)
    seq = [0]

    def push(*payloads: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
        events = []
        for payload in payloads:
            seq[0] += 1
            events.append(make_event(seq[0], payload, FISCAL))
        response = client.post("/v1/sync/push", json={"events": events})
        assert response.status_code == 200, response.text
        results = PushResponse.model_validate(response.json()).results
        return [(r.status.value, r.code, r.message) for r in results]

    tickets = [journal.ticket(1210 * n, 210 * n) for n in range(1, 4)]
    numbers = [t["series_number"] for t in tickets]
    first = f3(journal, 1, numbers[:2], 1210 * 3)
    assert [r[:2] for r in push(*tickets, first)] == [("applied", None)] * 4
    # Another push: an F3 naming ticket 2 again (and ticket 3, free) is kept as a conflict.
    again = f3(journal, 2, [numbers[2], numbers[1]], 1210 * 5)
    [(status, code, message)] = push(again)
    assert (status, code) == ("conflict", "already_replaced")
    assert message is not None
    assert f"{numbers[1]} (by {first['series_number']})" in message
    assert numbers[2] not in message.split("replaced:")[1]
    # In one push: ticket 3 is now taken by the second F3, so a third one naming it conflicts
    # too, while an F3 of a new ticket in the same push holds.
    fourth = journal.ticket(500, 87)
    fresh = f3(journal, 3, [fourth["series_number"]], 500)
    third = f3(journal, 4, [fourth["series_number"], numbers[2]], 1710)
    results = push(fourth, fresh, third)
    assert [r[:2] for r in results] == [
        ("applied", None),
        ("applied", None),
        ("conflict", "already_replaced"),
    ]
    assert f"{numbers[2]} (by {again['series_number']})" in str(results[2][2])
    assert f"{fourth['series_number']} (by {fresh['series_number']})" in str(results[2][2])
    with backend.database.reading() as conn:
        rows = dict(
            conn.execute(
                select(fiscal_records.c.series_number, fiscal_records.c.conflict).where(
                    fiscal_records.c.invoice_type == "F3"
                )
            ).all()
        )
    assert rows == {
        first["series_number"]: None,
        again["series_number"]: "already_replaced",
        fresh["series_number"]: None,
        third["series_number"]: "already_replaced",
    }
