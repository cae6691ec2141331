"""The registers' tills through the real HTTP app (issue 8): sessions, cash movements and
drawer openings stored; sales and returns keep their till; a Z close whose figures agree with
the sales and returns the backend holds for its till is applied, one that differs is kept as a
conflict ``till_mismatch`` naming each figure; ``till-closes`` prints them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pos_app.domain.ids import new_id
from sync.protocol import PushResponse
from sync.server import cli
from sync.server.services.catalog import product_id_for_sku
from sync.server.tables import (
    drawer_openings,
    returns,
    sales,
    till_cash_movements,
    till_closes,
    till_sessions,
)

AT = datetime(2026, 11, 25, 9, 0, tzinfo=UTC).isoformat()
CLOSED_AT = datetime(2026, 11, 25, 21, 0, tzinfo=UTC).isoformat()


@pytest.fixture
def shop(backend, tmp_path):
    backend.store("T01")
    backend.store("T02")
    backend.catalog(tmp_path)
    backend.set_stock("T01", "P0001", 50)
    return backend


_TYPES = {
    "sale_id": "sale.completed",
    "return_id": "return.completed",
    "abandoned_id": "sale.abandoned",
    "movement_id": "till.cash_moved",
    "opening_id": "drawer.opened",
    "z_number": "till.closed",
    "till_id": "till.opened",  # checked last: the others name their till too
}


class _Register:
    """A register's outbox: each push takes the next sequence numbers."""

    def __init__(self, shop, make_event, make_sale):
        self.shop = shop
        self.register = shop.enroll("T01")
        self.make_event = make_event
        self.make_sale = make_sale
        self.till_id = new_id()
        self.seq = 0
        self.sales = 0
        self.messages: list[str | None] = []

    def events(self, *payloads):
        out = []
        for payload in payloads:
            self.seq += 1
            kind = next(t for key, t in _TYPES.items() if key in payload)
            out.append(self.make_event(self.seq, payload, kind))
        return out

    def __call__(self, *payloads):
        response = self.shop.client(self.register.token).post(
            "/v1/sync/push", json={"events": self.events(*payloads)}
        )
        assert response.status_code == 200, response.text
        results = PushResponse.model_validate(response.json()).results
        self.messages = [r.message for r in results]
        return [(r.status.value, r.code) for r in results]

    # --- payloads ----------------------------------------------------------------------
    def opened(self, float_cents=10000, **changes):
        return {
            "till_id": self.till_id,
            "store_code": "T01",
            "register_code": self.register.register_code,
            "cashier": "Ana",
            "opened_at": AT,
            "float_cents": float_cents,
            "counted": {"5000": 1, "2000": 2, "500": 2},
            **changes,
        }

    def sale(self, cents, kind="cash", *, discount=0):
        self.sales += 1
        sale = self.make_sale(self.register, [("P0001", "1", cents)], number=self.sales)
        sale["till_id"] = self.till_id
        sale["discount_cents"] = discount
        sale["gross_cents"] = cents + discount
        sale["payments"][0].update(kind=kind, tendered_cents=cents)
        return sale

    def returned(self, sale, kind="cash"):
        cents = sale["total_cents"]
        return {
            "return_id": new_id(),
            "return_number": f"T01-{self.register.register_code}-D-{self.seq + 1:06d}",
            "store_code": "T01",
            "register_code": self.register.register_code,
            "cashier": "Ana",
            "completed_at": datetime(2026, 11, 25, 12, 0, tzinfo=UTC).isoformat(),
            "currency": "EUR",
            "original_kind": "sale",
            "original_reference": sale["receipt_number"],
            "checked": True,
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
                {"refund_id": new_id(), "kind": kind, "amount_cents": cents, "reference": ""}
            ],
            "till_id": self.till_id,
        }

    def moved(self, kind, cents, reason="cambio"):
        return {
            "movement_id": new_id(),
            "till_id": self.till_id,
            "register_code": self.register.register_code,
            "at": AT,
            "kind": kind,
            "amount_cents": cents,
            "reason": reason,
            "cashier": "Ana",
        }

    def drawer(self):
        return {
            "opening_id": new_id(),
            "register_code": self.register.register_code,
            "at": AT,
            "cashier": "Ana",
            "reason": "dar cambio",
            "till_id": self.till_id,
        }

    def abandoned(self, cents):
        return {
            "abandoned_id": new_id(),
            "register_code": self.register.register_code,
            "cashier": "Ana",
            "at": AT,
            "reason": "cliente sin dinero",
            "total_cents": cents,
            "line_count": 1,
            "till_id": self.till_id,
        }

    def z(
        self,
        sold,
        returned=(),
        *,
        float_cents=10000,
        cash_in=0,
        cash_out=0,
        abandoned=(),
        drawers=0,
        **changes,
    ):
        """The Z the register makes of ``sold``, ``returned``, the voided sales ``abandoned``
        and ``drawers`` drawer openings without a sale (figures that agree)."""
        tenders: dict[str, int] = {}
        for sale in sold:
            for pay in sale["payments"]:
                tenders[pay["kind"]] = tenders.get(pay["kind"], 0) + pay["amount_cents"]
        for ret in returned:
            for refund in ret["refunds"]:
                tenders[refund["kind"]] = tenders.get(refund["kind"], 0) - refund["amount_cents"]
        expected = float_cents + cash_in - cash_out + tenders.get("cash", 0)
        taxes: dict[str, list[int]] = {}
        for sale in sold:
            for tax in sale["taxes"]:
                row = taxes.setdefault(tax["rate"], [0, 0, 0])
                row[0] += tax["base_cents"]
                row[1] += tax["tax_cents"]
                row[2] += tax["total_cents"]
        for ret in returned:
            for line in ret["lines"]:
                row = taxes.setdefault(line["tax_rate"], [0, 0, 0])
                row[0] -= line["base_cents"]
                row[1] -= line["tax_cents"]
                row[2] -= line["refund_cents"]
        return {
            "till_id": self.till_id,
            "z_number": "T01-C01-Z2026-0001",
            "store_code": "T01",
            "register_code": self.register.register_code,
            "cashier": "Ana",
            "opened_at": AT,
            "closed_at": CLOSED_AT,
            "float_cents": float_cents,
            "cash_in_cents": cash_in,
            "cash_out_cents": cash_out,
            "expected_cash_cents": expected,
            "counted_cash_cents": expected - 5,
            "difference_cents": -5,
            "counted": {"5000": 2},
            "sales_count": len(sold),
            "sales_total_cents": sum(s["total_cents"] for s in sold),
            "returns_count": len(returned),
            "returns_total_cents": sum(r["total_cents"] for r in returned),
            "discounts_cents": sum(s["discount_cents"] for s in sold),
            "abandoned_count": len(abandoned),
            "abandoned_total_cents": sum(a["total_cents"] for a in abandoned),
            "drawer_openings": drawers,
            "first_number": sold[0]["receipt_number"] if sold else "",
            "last_number": sold[-1]["receipt_number"] if sold else "",
            "tenders": [
                {"kind": kind, "count": 1, "amount_cents": cents}
                for kind, cents in sorted(tenders.items())
            ],
            "taxes": [
                {"rate": f"{rate}.00", "base_cents": b, "tax_cents": t, "total_cents": total}
                for rate, (b, t, total) in sorted(taxes.items())
            ],
            **changes,
        }


@pytest.fixture
def register(shop, make_event, make_sale):
    return _Register(shop, make_event, make_sale)


def test_a_day_at_the_till_is_stored_and_its_z_matches(register, shop):
    cash, card = register.sale(1500, "cash", discount=100), register.sale(2599, "card")
    back = register.returned(cash)
    cash_in, cash_out = register.moved("in", 2000), register.moved("out", 500, "pago proveedor")
    assert register(register.opened(), cash_in, cash, register.drawer()) == [("applied", None)] * 4
    assert register(card, back, cash_out) == [("applied", None)] * 3
    voided = register.abandoned(350)
    assert register(voided) == [("applied", None)]
    z = register.z([cash, card], [back], cash_in=2000, cash_out=500, abandoned=[voided], drawers=1)
    assert z["expected_cash_cents"] == 10000 + 2000 - 500 + 1500 - 1500
    assert register(z) == [("applied", None)]
    assert shop.count(till_sessions) == 1
    assert shop.count(till_cash_movements, till_cash_movements.c.till_id == register.till_id) == 2
    assert shop.count(drawer_openings, drawer_openings.c.till_id == register.till_id) == 1
    assert shop.count(sales, sales.c.till_id == register.till_id) == 2
    assert shop.count(returns, returns.c.till_id == register.till_id) == 1
    assert shop.count(till_closes, till_closes.c.mismatch.is_(None)) == 1


def test_sales_and_their_z_in_one_push_agree(register, shop):
    sold = [register.sale(1000), register.sale(250, "card"), register.sale(99)]
    assert register(register.opened(), *sold, register.z(sold)) == [("applied", None)] * 5


def test_a_z_whose_cash_differs_is_kept_as_till_mismatch(register, shop):
    sold = [register.sale(1000), register.sale(2000, "card")]
    register(register.opened(), *sold)
    z = register.z(sold)
    z["tenders"] = [
        {"kind": "card", "count": 1, "amount_cents": 2000},
        {"kind": "cash", "count": 1, "amount_cents": 1200},
    ]
    z["expected_cash_cents"] += 200
    assert register(z) == [("conflict", "till_mismatch")]
    message = register.messages[0]
    assert "tender cash: register 1200, backend 1000" in message
    assert "expected_cash_cents: register 11200, backend 11000" in message
    assert "sales_count" not in message  # only the figures that differ
    assert shop.count(till_closes, till_closes.c.mismatch.is_not(None)) == 1  # kept


def test_a_z_whose_taxes_differ_is_a_mismatch(register, shop):
    sold = [register.sale(1210), register.sale(605, "card")]
    register(register.opened(), *sold)
    z = register.z(sold)
    z["taxes"][0]["tax_cents"] += 1
    assert register(z) == [("conflict", "till_mismatch")]
    assert "tax 21% tax: register 316, backend 315" in register.messages[0]


def test_a_sale_the_backend_never_got_shows_in_the_z_mismatch(register, shop):
    sold = [register.sale(1000), register.sale(700)]
    register(register.opened(), sold[0])  # the second sale never reached the backend
    assert register(register.z(sold)) == [("conflict", "till_mismatch")]
    message = register.messages[0]
    assert "sales_count: register 2, backend 1" in message
    assert "sales_total_cents: register 1700, backend 1000" in message


def test_cash_taken_out_the_backend_never_got_is_a_mismatch(register, shop):
    sold = [register.sale(1000)]
    register(register.opened(), *sold)
    z = register.z(sold, cash_out=5000)
    assert register(z) == [("conflict", "till_mismatch")]
    assert "cash_out_cents: register 5000, backend 0" in register.messages[0]


def test_voided_sales_and_drawer_openings_the_backend_never_got_are_a_mismatch(register, shop):
    sold = [register.sale(1000)]
    voided, kept = register.abandoned(350), register.abandoned(120)
    register(register.opened(), *sold, kept, register.drawer())
    z = register.z(sold, abandoned=[voided, kept], drawers=2)
    assert register(z) == [("conflict", "till_mismatch")]
    message = register.messages[0]
    assert "abandoned_count: register 2, backend 1" in message
    assert "abandoned_total_cents: register 470, backend 120" in message
    assert "drawer_openings: register 2, backend 1" in message
    assert "sales_count" not in message


def test_a_drawer_that_did_not_open_is_not_counted_in_the_z(register, shop):
    sold = [register.sale(1000)]
    jammed = {**register.drawer(), "opened": False}
    register(register.opened(), *sold, jammed, register.drawer())
    assert register(register.z(sold, drawers=1)) == [("applied", None)]


def test_a_till_is_closed_once(register, shop):
    sold = [register.sale(1000)]
    register(register.opened(), *sold)
    assert register(register.z(sold)) == [("applied", None)]
    assert register(register.z(sold, z_number="T01-C01-Z2026-0002")) == [
        ("rejected", "duplicate_close")
    ]
    assert shop.count(till_closes) == 1


def test_till_events_of_another_register_are_rejected(register, shop):
    other = register.opened(store_code="T02")
    wrong_cash = dict(register.moved("in", 100), register_code="C99")
    wrong_z = dict(register.z([]), store_code="T02")
    assert register(other, wrong_cash, wrong_z) == [("rejected", "wrong_store")] * 3
    assert shop.count(till_sessions) == 0 and shop.count(till_closes) == 0


def test_a_movement_sent_again_in_a_new_event_is_kept_once(register, shop):
    moved = register.moved("in", 100)
    assert register(register.opened(), moved, moved) == [("applied", None)] * 3
    assert register(moved, register.z([], cash_in=100)) == [("applied", None)] * 2  # once
    assert shop.count(till_cash_movements) == 1


def test_cli_till_closes_prints_each_z_and_whether_it_matched(register, shop, database_url, capsys):
    sold = [register.sale(1000)]
    register(register.opened(), *sold, register.z(sold))
    args = ["till-closes", "--database", database_url, "--store", "T01"]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "T01-C01-Z2026-0001" in out and "matched" in out and "sales 1 10.00" in out
    assert "tenders: cash 10.00" in out
    assert cli.main([*args, "--since", "2026-11-26"]) == 0
    assert "no Z closes" in capsys.readouterr().out


def test_a_real_register_day_syncs_and_the_backend_agrees_with_its_z(
    shop, uow_factory, clock, database_url, capsys
):
    """The register's own checkout, till and sync services and its HTTP client, against the
    backend: a till opened, sales in cash and card, cash taken out, a sale voided, the Z. Every
    event is applied as the register wrote it: its journal holds, and the Z's figures agree."""
    from stdnum import ean

    from pos_app.domain.money import Money
    from pos_app.domain.till import CashCount
    from pos_app.services.checkout import CheckoutService
    from pos_app.services.ports import StoreIdentity
    from pos_app.services.sync import SyncService
    from pos_app.services.till import TillService
    from sync.client import SyncClient

    register = shop.enroll()
    identity = StoreIdentity(
        store_code="T01",
        register_code=register.register_code,
        store_name="Ultramarinos La Plaza",
        tax_id="B12345678",
        address=("Calle Mayor 1", "28013 Madrid"),
    )
    till = TillService(uow_factory, clock, identity, cashier="Ana")
    checkout = CheckoutService(uow_factory, clock, identity, cashier="Ana", till=till)
    coffee = "841000000001" + ean.calc_check_digit("841000000001")
    till.open_till(CashCount({5000: 1, 1000: 3, 200: 5}))
    checkout.scan(coffee)
    checkout.scan(coffee)
    checkout.add_cash(Money(1000))
    checkout.complete_sale()
    clock.advance(minutes=5)
    checkout.scan(coffee)
    checkout.add_card(Money(349), "AUT123")
    checkout.complete_sale()
    checkout.scan(coffee)
    checkout.abandon("se arrepiente")
    till.cash_out(2000, "al banco")
    clock.advance(hours=8)
    expected = till.x_report().figures.expected_cash_cents
    closed = till.close_z(CashCount({5000: 1, 1000: 1, 200: 5, 50: 1}))

    sync = SyncService(uow_factory, clock)
    events = sync.next_batch()
    types = [e.type for e in events]
    assert types.count("till.closed") == 1 and types.count("fiscal.recorded") == 3, types
    with SyncClient(shop.base_url, register.token) as client:
        response = client.push(events)
    assert [(r.status.value, r.code) for r in response.results] == [("applied", None)] * len(
        events
    ), [r.message for r in response.results if r.message]
    assert sync.record_push(response).attention == 0
    assert shop.count(sales, sales.c.till_id == closed.report.session.till_id) == 2
    assert shop.count(till_closes, till_closes.c.mismatch.is_(None)) == 1
    assert expected == 9000 + 698 - 2000  # float + two coffees in cash - to the bank
    args = ["journal", "--database", database_url, "--store", "T01"]
    assert cli.main([*args, "--register", register.register_code, "--verify"]) == 0
    assert "the chain holds: 3 record(s) verified" in capsys.readouterr().out
