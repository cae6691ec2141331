"""Store credit through the real HTTP app: a return refunded as a voucher issues it, sales paid
with it at any store take it off the balance (one after the other, within a push group and
across pushes), and what goes wrong (overspent, unknown, a code issued twice) is a conflict that
keeps the sale or the return for a manager."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from pos_app.domain.ids import new_id
from sync.protocol import OutboxEvent, PushResponse, VoucherView
from sync.server.core.security import hash_token
from sync.server.services import push as push_service
from sync.server.services.catalog import product_id_for_sku
from sync.server.tables import returns, sales, voucher_movements, vouchers


@pytest.fixture
def shop(backend, tmp_path):
    backend.store("T01")
    backend.store("T02")
    backend.catalog(tmp_path)
    backend.set_stock("T01", "P0001", 10)
    backend.set_stock("T02", "P0001", 10)
    return backend


class _Pusher:
    """A register's outbox: each push takes the next sequence numbers."""

    def __init__(self, shop, register, make_event):
        self.shop, self.register, self.make_event, self.seq = shop, register, make_event, 0
        self.messages: list[str | None] = []

    def events(self, *payloads):
        out = []
        for payload in payloads:
            self.seq += 1
            kind = "return.completed" if "return_id" in payload else "sale.completed"
            out.append(self.make_event(self.seq, payload, kind))
        return out

    def send(self, events):
        response = self.shop.client(self.register.token).post(
            "/v1/sync/push", json={"events": events}
        )
        assert response.status_code == 200, response.text
        results = PushResponse.model_validate(response.json()).results
        self.messages = [r.message for r in results]
        return [(r.status.value, r.code) for r in results]

    def __call__(self, *payloads):
        return self.send(self.events(*payloads))


def _credit(register, cents, code, *, number=1, reference="T09-C01-2026-000001"):
    """A return of one P0001 refunded as the voucher ``code`` (by default of a receipt the
    backend does not know: not what is checked here)."""
    payload = {
        "return_id": new_id(),
        "return_number": f"{register.store_code}-{register.register_code}-D-{number:06d}",
        "store_code": register.store_code,
        "register_code": register.register_code,
        "cashier": "Ana",
        "completed_at": datetime(2026, 11, 26, 12, 0, tzinfo=UTC).isoformat(),
        "currency": "EUR",
        "original_kind": "sale",
        "original_reference": reference,
        "checked": False,
        "total_cents": cents,
        "tax_cents": 0,
        "lines": [
            {
                "line_no": 1,
                "product_id": product_id_for_sku("P0001"),
                "sku": "P0001",
                "name": "Producto P0001",
                "quantity": "1",
                "unit_refund_cents": cents,
                "refund_cents": cents,
                "tax_class": "IVA21",
                "tax_rate": "21",
                "base_cents": cents,
                "tax_cents": 0,
                "reason": "no le gusta",
                "disposition": "sellable",
            }
        ],
        "refunds": [
            {"refund_id": new_id(), "kind": "voucher", "amount_cents": cents, "reference": code}
        ],
    }
    return payload


def _paid_with(make_sale, register, cents, code, *, number, cash=0):
    """A sale of P0001 for ``cents + cash``, paid ``cents`` with voucher ``code``."""
    sale = make_sale(register, [("P0001", "1", cents + cash)], number=number)
    sale["payments"] = [
        {
            "payment_id": new_id(),
            "kind": "voucher",
            "amount_cents": cents,
            "tendered_cents": cents,
            "reference": code,
        }
    ]
    if cash:
        sale["payments"].append(
            {
                "payment_id": new_id(),
                "kind": "cash",
                "amount_cents": cash,
                "tendered_cents": cash,
                "reference": "",
            }
        )
    return sale


def _voucher(shop, register, code) -> VoucherView:
    response = shop.client(register.token).get(f"/v1/vouchers/{code}")
    assert response.status_code == 200, response.text
    return VoucherView.model_validate(response.json())


def _balance(shop, code):
    return shop.scalar(select(vouchers.c.balance_cents).where(vouchers.c.code == code))


def test_a_return_refunded_as_a_voucher_issues_it(shop, make_event):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    ret = _credit(t01, 2500, "v-ab12cd")
    assert _Pusher(shop, t01, make_event)(ret) == [("conflict", "unknown_original")]
    view = _voucher(shop, t02, "V-AB12CD")  # any store's register; codes in any case
    assert (view.code, view.issued_cents, view.balance_cents, view.store_code, view.active) == (
        "V-AB12CD",
        2500,
        2500,
        "T01",
        True,
    )
    assert view.issued_at == datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    assert shop.scalar(select(vouchers.c.return_id)) == ret["return_id"]
    with shop.database.reading() as conn:
        moved = conn.execute(
            select(
                voucher_movements.c.kind,
                voucher_movements.c.amount_cents,
                voucher_movements.c.return_id,
            )
        ).all()
    assert [tuple(m) for m in moved] == [("issue", 2500, ret["return_id"])]


def test_spends_at_two_stores_leave_the_exact_balance(shop, make_sale, make_event):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    at_t01, at_t02 = _Pusher(shop, t01, make_event), _Pusher(shop, t02, make_event)
    assert at_t01(_credit(t01, 5000, "V1")) == [("conflict", "unknown_original")]
    assert at_t01(_paid_with(make_sale, t01, 1234, "V1", number=1, cash=100)) == [("applied", None)]
    assert at_t02(_paid_with(make_sale, t02, 2000, "v1", number=1)) == [("applied", None)]
    assert _voucher(shop, t02, "V1").balance_cents == 5000 - 1234 - 2000
    with shop.database.reading() as conn:
        spends = conn.execute(
            select(voucher_movements.c.store_code, voucher_movements.c.amount_cents)
            .where(voucher_movements.c.kind == "spend")
            .order_by(voucher_movements.c.id)
        ).all()
    assert [tuple(s) for s in spends] == [("T01", -1234), ("T02", -2000)]


def test_an_overspend_in_separate_pushes_is_a_conflict_and_the_balance_goes_below_zero(
    shop, make_sale, make_event
):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    at_t01, at_t02 = _Pusher(shop, t01, make_event), _Pusher(shop, t02, make_event)
    at_t01(_credit(t01, 3000, "V2"))
    # Spent offline at both stores: each register saw the whole 30.00.
    assert at_t01(_paid_with(make_sale, t01, 3000, "V2", number=1)) == [("applied", None)]
    sale = _paid_with(make_sale, t02, 1000, "V2", number=1)
    assert at_t02(sale) == [("conflict", "voucher_overspent")]
    assert "manager" in (at_t02.messages[0] or "")
    # The sale is kept (the goods have left) and the balance shows what was overspent.
    assert shop.count(sales, sales.c.id == sale["sale_id"]) == 1
    assert _balance(shop, "V2") == -1000
    assert shop.count(voucher_movements, voucher_movements.c.conflict == "voucher_overspent") == 1


def test_two_spends_of_one_voucher_in_one_push_group_see_each_other(shop, make_sale, make_event):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    _Pusher(shop, t01, make_event)(_credit(t01, 3000, "V3"))
    a = _paid_with(make_sale, t01, 2000, "V3", number=1)
    b = _paid_with(make_sale, t02, 2000, "V3", number=1)
    pushes = [
        push_service._Push(
            (push_service.prepare(OutboxEvent.model_validate(make_event(seq, sale))),),
            token_hash=hash_token(register.token),
        )
        for register, seq, sale in ((t01, 2, a), (t02, 1, b))
    ]
    answers = push_service.take_pushes(shop.database, pushes)
    assert [
        [(r.status.value, r.code) for r in answer.results]
        for answer in answers
        if isinstance(answer, PushResponse)
    ] == [[("applied", None)], [("conflict", "voucher_overspent")]]
    assert _balance(shop, "V3") == -1000


def test_a_voucher_issued_and_spent_in_one_push_is_taken_off(shop, make_sale, make_event):
    t01 = shop.enroll("T01")
    pusher = _Pusher(shop, t01, make_event)
    assert pusher(
        _credit(t01, 1500, "V4"),
        _paid_with(make_sale, t01, 1000, "V4", number=1),
        _paid_with(make_sale, t01, 1000, "V4", number=2),
    ) == [
        ("conflict", "unknown_original"),
        ("applied", None),
        ("conflict", "voucher_overspent"),
    ]
    assert _balance(shop, "V4") == -500


def test_an_unknown_voucher_is_a_conflict_and_counts_once_it_is_issued(shop, make_sale, make_event):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    at_t02 = _Pusher(shop, t02, make_event)
    sale = _paid_with(make_sale, t02, 800, "V5", number=1)
    assert at_t02(sale) == [("conflict", "voucher_unknown")]
    assert shop.count(sales, sales.c.id == sale["sale_id"]) == 1
    assert shop.count(vouchers) == 0
    # The return that issued it arrives later (its register was offline): the spend counts.
    _Pusher(shop, t01, make_event)(_credit(t01, 2000, "V5"))
    assert _balance(shop, "V5") == 1200
    assert _voucher(shop, t01, "V5").issued_cents == 2000


def test_a_code_issued_twice_keeps_the_first_voucher_and_the_second_return(
    shop, make_sale, make_event
):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    _Pusher(shop, t01, make_event)(_credit(t01, 2000, "V6"))
    pusher = _Pusher(shop, t02, make_event)
    sale = make_sale(t02, [("P0001", "1", 900)])
    second = _credit(t02, 900, "V6", reference=sale["receipt_number"])
    assert pusher(sale, second) == [("applied", None), ("conflict", "voucher_exists")]
    assert "V6" in (pusher.messages[1] or "")
    assert shop.count(returns) == 2
    assert shop.scalar(select(returns.c.conflict).where(returns.c.id == second["return_id"])) == (
        "voucher_exists"
    )
    view = _voucher(shop, t01, "V6")
    assert (view.issued_cents, view.balance_cents, view.store_code) == (2000, 2000, "T01")
    # An unknown original and a code issued before: both in the message, the first as code.
    third = _credit(t02, 500, "V6", number=3)
    assert pusher(third) == [("conflict", "unknown_original")]
    assert "voucher V6" in (pusher.messages[0] or "")
    assert _balance(shop, "V6") == 2000


def test_a_voucher_refund_without_a_code_or_a_negative_voucher_payment_is_rejected(
    shop, make_sale, make_event
):
    t01 = shop.enroll("T01")
    no_code = _credit(t01, 1000, "  ")
    negative = _paid_with(make_sale, t01, -500, "V7", number=1, cash=1000)
    assert _Pusher(shop, t01, make_event)(no_code, negative) == [
        ("rejected", "invalid_payload"),
        ("rejected", "invalid_payload"),
    ]
    assert shop.count(vouchers) == shop.count(voucher_movements) == 0


def test_a_spend_sent_again_is_a_duplicate_and_taken_off_once(shop, make_sale, make_event):
    t01 = shop.enroll("T01")
    pusher = _Pusher(shop, t01, make_event)
    (issued,) = pusher.events(_credit(t01, 2000, "V8"))
    assert pusher.send([issued]) == [("conflict", "unknown_original")]
    assert pusher.send([issued]) == [("duplicate", None)]
    (spent,) = pusher.events(_paid_with(make_sale, t01, 700, "V8", number=1))
    assert pusher.send([spent]) == [("applied", None)]
    assert pusher.send([issued, spent]) == [("duplicate", None), ("duplicate", None)]
    assert _balance(shop, "V8") == 1300
    assert shop.count(vouchers) == 1
    assert shop.count(voucher_movements) == 2


def test_the_endpoint_and_the_register_client_read_a_voucher(shop, make_event):
    from sync.client import SyncClient
    from sync.errors import SyncError, SyncErrorKind

    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    _Pusher(shop, t01, make_event)(_credit(t01, 1999, "V9"))
    missing = shop.client(t02.token).get("/v1/vouchers/NOPE")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert shop.client().get("/v1/vouchers/V9").status_code == 401
    with SyncClient(shop.base_url, t02.token) as client:
        view = client.voucher(" v9 ")
        assert isinstance(view, VoucherView)
        assert (view.code, view.balance_cents, view.currency) == ("V9", 1999, "EUR")
        with pytest.raises(SyncError) as unknown:
            client.voucher("NOPE")
    assert (unknown.value.kind, unknown.value.code) == (SyncErrorKind.REJECTED, "not_found")


def test_the_vouchers_are_listed_with_their_balances(
    shop, make_sale, make_event, database_url, capsys
):
    from sync.server.cli import main

    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    _Pusher(shop, t01, make_event)(_credit(t01, 1000, "VA"))
    _Pusher(shop, t02, make_event)(_paid_with(make_sale, t02, 1500, "VA", number=1))
    assert main(["vouchers", "--database", database_url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["ISSUED", "STORE", "CODE", "AMOUNT", "BALANCE", "STATUS"]
    assert out[1].split()[2:] == ["T01", "VA", "10.00", "-5.00", "overspent"]
    assert main(["vouchers", "--store", "T02", "--database", database_url]) == 0
    assert capsys.readouterr().out == "no vouchers\n"


def test_spends_of_one_voucher_in_concurrent_transactions_are_taken_one_after_the_other(
    shop, make_sale, make_event
):
    # Each push group in its own transaction at once, as on several server processes: the
    # voucher's row lock makes each see the balance the others left.
    import threading

    registers = [shop.enroll("T01") for _ in range(3)] + [shop.enroll("T02") for _ in range(3)]
    _Pusher(shop, registers[0], make_event)(_credit(registers[0], 3000, "VC"))
    start = threading.Barrier(len(registers))
    answers: list[object] = []

    def spend(index: int) -> None:
        register = registers[index]
        seq = 2 if index == 0 else 1
        sale = _paid_with(make_sale, register, 1000, "VC", number=1)
        push = push_service._Push(
            (push_service.prepare(OutboxEvent.model_validate(make_event(seq, sale))),),
            token_hash=hash_token(register.token),
        )
        start.wait()
        answers.extend(push_service.take_pushes(shop.database, [push]))

    threads = [threading.Thread(target=spend, args=(i,)) for i in range(len(registers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(str(r.code) for a in answers if isinstance(a, PushResponse) for r in a.results)
    assert codes == ["None"] * 3 + ["voucher_overspent"] * 3, answers
    assert _balance(shop, "VC") == -3000


def test_a_withdrawn_voucher_reads_inactive_and_a_later_spend_is_a_conflict(
    shop, database_url, make_sale, make_event, capsys
):
    from sync.server.cli import main

    t01 = shop.enroll("T01")
    pusher = _Pusher(shop, t01, make_event)
    pusher(_credit(t01, 2000, "V6"))
    assert main(["deactivate-voucher", "v6", "--database", database_url]) == 0
    assert "V6 is now inactive" in capsys.readouterr().out
    assert _voucher(shop, t01, "V6").active is False
    # Spent offline by a register that did not know yet: the sale stands, a manager looks.
    assert pusher(_paid_with(make_sale, t01, 500, "V6", number=1)) == [
        ("conflict", "voucher_unknown")
    ]
    assert main(["deactivate-voucher", "V6", "--database", database_url]) == 0
    assert "V6 was already inactive" in capsys.readouterr().out
    assert main(["deactivate-voucher", "V6", "--reactivate", "--database", database_url]) == 0
    assert _voucher(shop, t01, "V6").active is True
    assert main(["deactivate-voucher", "NOPE", "--database", database_url]) != 0
    assert "no voucher" in capsys.readouterr().err
