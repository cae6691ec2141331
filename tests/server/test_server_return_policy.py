"""The return policy of every channel: published by default and set from the command line,
pulled by every register, and checked again for every pushed return (days per category,
categories never taken back, no receipt or a gift receipt: store credit only), a return that
breaks it kept as a ``policy_violation`` conflict. Exchanges move no money."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select

from pos_app.domain.ids import new_id
from sync.protocol import RETURN_POLICY, PushResponse, ReturnPolicy
from sync.server.cli import main
from sync.server.errors import CommandError
from sync.server.services.catalog import product_id_for_sku
from sync.server.services.policies import (
    STAFF_LIMITS,
    check_return_policy,
    publish_missing_defaults,
)
from sync.server.tables import change_log, policies, returns, vouchers


@pytest.fixture
def shop(backend, tmp_path):
    backend.store("T01")
    backend.store("T02")
    backend.catalog(tmp_path)  # P0001 ALIM, P0003 DROG
    return backend


def cli(capsys, database_url, *args):
    code = main([*args, "--database", database_url])
    out, err = capsys.readouterr()
    return code, out, err


def policy_of(changes) -> list[ReturnPolicy]:
    return [
        ReturnPolicy.model_validate(c["data"])
        for c in changes
        if c["entity"] == "policy" and c["key"] == RETURN_POLICY
    ]


class _Pusher:
    def __init__(self, shop, register, make_event):
        self.shop, self.register, self.make_event, self.seq = shop, register, make_event, 0
        self.messages: list[str | None] = []

    def __call__(self, *payloads, type_="return.completed"):
        events = []
        for payload in payloads:
            self.seq += 1
            events.append(self.make_event(self.seq, payload, type_))
        response = self.shop.client(self.register.token).post(
            "/v1/sync/push", json={"events": events}
        )
        assert response.status_code == 200, response.text
        results = PushResponse.model_validate(response.json()).results
        self.messages = [r.message for r in results]
        return [(r.status.value, r.code) for r in results]


def _return(
    register,
    reference,
    lines,
    *,
    number=1,
    kind="sale",
    refund="card",
    at=datetime(2026, 11, 26, 12, 0, tzinfo=UTC),
    **overrides,
):
    """A ``return.completed``; ``lines``: (sku, quantity, refund cents, original line no)."""
    docs = [
        {
            "line_no": i,
            "original_line_no": original,
            "product_id": product_id_for_sku(sku),
            "sku": sku,
            "name": f"Producto {sku}",
            "quantity": quantity,
            "unit_refund_cents": cents,
            "refund_cents": cents,
            "tax_class": "IVA21",
            "tax_rate": "21",
            "base_cents": round(cents / 1.21),
            "tax_cents": cents - round(cents / 1.21),
            "reason": "no le gusta",
            "disposition": "sellable",
        }
        for i, (sku, quantity, cents, original) in enumerate(lines, start=1)
    ]
    total = sum(d["refund_cents"] for d in docs)
    payload = {
        "return_id": new_id(),
        "return_number": f"{register.store_code}-{register.register_code}-D2026-{number:06d}",
        "store_code": register.store_code,
        "register_code": register.register_code,
        "cashier": "Ana",
        "completed_at": at.isoformat(),
        "currency": "EUR",
        "original_kind": kind,
        "original_reference": reference,
        "checked": False,
        "total_cents": total,
        "tax_cents": sum(d["tax_cents"] for d in docs),
        "lines": docs,
        "refunds": [
            {
                "refund_id": new_id(),
                "kind": refund,
                "amount_cents": total,
                "reference": f"VALE{number:04d}" if refund == "voucher" else "",
            }
        ],
    }
    payload.update(overrides)
    return payload


def _sold(shop, register, make_sale, make_event, lines, pusher=None):
    sale = make_sale(register, lines)
    pusher = pusher or _Pusher(shop, register, make_event)
    assert pusher(sale, type_="sale.completed") == [("applied", None)]
    return sale, pusher


# --- the policy itself -----------------------------------------------------------------------


def test_every_register_pulls_the_default_return_policy_once(shop):
    changes = shop.pull_all(shop.client(shop.enroll("T02").token))
    assert policy_of(changes) == [ReturnPolicy()]
    assert ReturnPolicy().offline_max_refund_cents == 10000  # 100 euros


def test_a_database_whose_stores_predate_the_policy_publishes_it_at_the_next_start(shop):
    with shop.database.writing() as conn:  # as a database made before return_policy existed
        conn.execute(delete(policies).where(policies.c.name == RETURN_POLICY))
        conn.execute(delete(change_log).where(change_log.c.key == RETURN_POLICY))
    with shop.database.writing() as conn:
        assert publish_missing_defaults(conn) == 1
    with shop.database.writing() as conn:
        assert publish_missing_defaults(conn) == 0  # once
    changes = shop.pull_all(shop.client(shop.enroll().token))
    assert policy_of(changes) == [ReturnPolicy()]
    assert [c["key"] for c in changes if c["entity"] == "policy"].count(STAFF_LIMITS) == 1


def test_the_migrate_command_publishes_a_policy_the_stores_predate(shop, database_url, capsys):
    with shop.database.writing() as conn:
        conn.execute(delete(policies).where(policies.c.name == RETURN_POLICY))
        conn.execute(delete(change_log).where(change_log.c.key == RETURN_POLICY))
    assert cli(capsys, database_url, "migrate")[0] == 0  # serve does the same first
    assert policy_of(shop.pull_all(shop.client(shop.enroll().token))) == [ReturnPolicy()]


def test_without_stores_nothing_is_published_before_the_first_store(database):
    with database.writing() as conn:
        assert publish_missing_defaults(conn) == 0
    with database.reading() as conn:
        assert conn.execute(select(policies.c.name)).first() is None


def test_set_return_policy_changes_what_is_given_and_every_register_pulls_it(
    shop, database_url, capsys
):
    t02 = shop.client(shop.enroll("T02").token)
    code, out, err = cli(
        capsys, database_url, "set-return-policy", "--days", "15", "--category-days", "alim=7",
        "--category-days", "DROG=60", "--non-returnable", "elec", "--receipt-required",
        "--offline-max-refund", "50,5",
    )  # fmt: skip
    assert code == 0, err
    expected = ReturnPolicy(
        days=15,
        category_days={"ALIM": 7, "DROG": 60},
        non_returnable_categories=["ELEC"],
        receipt_required=True,
        offline_max_refund_cents=5050,
    )
    assert "return policy sent to every register:" in out
    assert "category-days: ALIM=7, DROG=60\n" in out
    assert "receipt-required: yes\n" in out and "offline-max-refund: 50.50\n" in out
    assert policy_of(shop.pull_all(t02))[-1] == expected
    stored = shop.scalar(select(policies.c.data).where(policies.c.name == RETURN_POLICY))
    assert ReturnPolicy.model_validate(json.loads(stored)) == expected

    # Only what is given changes; days per category add up; an empty name clears the list.
    code, out, _ = cli(
        capsys, database_url, "set-return-policy", "--no-receipt-required",
        "--category-days", "ALIM=10", "--non-returnable", "", "--no-receipt-price-days", "90",
    )  # fmt: skip
    assert code == 0
    assert policy_of(shop.pull_all(t02))[-1] == expected.model_copy(
        update={
            "receipt_required": False,
            "category_days": {"ALIM": 10, "DROG": 60},
            "non_returnable_categories": [],
            "no_receipt_price_days": 90,
        }
    )

    rows = shop.count(change_log, change_log.c.key == RETURN_POLICY)
    for args, fragment in (
        (["--days", "-1"], "days"),
        (["--days", "5000"], "days"),
        (["--category-days", "ALIM=-3"], "category_days"),
        (["--no-receipt-price-days", "0"], "no_receipt_price_days"),
    ):
        code, _, err = cli(capsys, database_url, "set-return-policy", *args)
        assert code == 2, args
        assert len(err.strip().splitlines()) == 1 and fragment in err, err
        assert err.startswith("mostrador-server: error: ")
    assert shop.count(change_log, change_log.c.key == RETURN_POLICY) == rows
    for args in (["--category-days", "ALIM"], ["--offline-max-refund", "-2"]):
        with pytest.raises(SystemExit) as exited:
            main(["set-return-policy", *args, "--database", database_url])
        assert exited.value.code == 2  # argparse names the bad value
    capsys.readouterr()


def test_a_category_code_must_not_be_empty():
    with pytest.raises(CommandError, match="category_days"):
        check_return_policy({"category_days": {" ": 3}})
    assert check_return_policy({"non_returnable_categories": ["b", "a", "B"]}) == ReturnPolicy(
        non_returnable_categories=["A", "B"]
    )


def test_the_returnable_view_names_each_lines_category(shop, make_sale, make_event):
    t01 = shop.enroll("T01")
    sale, _ = _sold(shop, t01, make_sale, make_event, [("P0001", "1", 349), ("P0003", "1", 1210)])
    response = shop.client(t01.token).get(f"/v1/returnable/{sale['receipt_number']}")
    assert [line["category"] for line in response.json()["lines"]] == ["ALIM", "DROG"]


# --- the re-check of pushed returns --------------------------------------------------------


def _set(shop, **settings):
    from sync.server.services.policies import set_return_policy

    with shop.database.writing() as conn:
        set_return_policy(conn, settings)


def test_a_return_in_time_of_a_returnable_category_is_applied(shop, make_sale, make_event):
    t01 = shop.enroll("T01")
    sale, pusher = _sold(shop, t01, make_sale, make_event, [("P0001", "1", 349)])
    # Sold 25 Nov; the 30th day after it is 25 Dec, still in time.
    late = _return(
        t01, sale["receipt_number"], [("P0001", "1", 349, 1)],
        at=datetime(2026, 12, 25, 22, 0, tzinfo=UTC),
    )  # fmt: skip
    assert pusher(late) == [("applied", None)]


def test_a_return_after_its_categorys_days_is_kept_as_a_policy_violation(
    shop, make_sale, make_event
):
    _set(shop, days=30, category_days={"ALIM": 3})
    t01 = shop.enroll("T01")
    sale, pusher = _sold(
        shop, t01, make_sale, make_event, [("P0001", "1", 349), ("P0003", "1", 1210)]
    )
    at = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)  # 4 days: ALIM (3) is over, DROG (30) not
    drog = _return(t01, sale["receipt_number"], [("P0003", "1", 1210, 2)], at=at)
    assert pusher(drog) == [("applied", None)]
    alim = _return(t01, sale["receipt_number"], [("P0001", "1", 349, 1)], number=2, at=at)
    assert pusher(alim) == [("conflict", "policy_violation")]
    message = pusher.messages[0] or ""
    assert "line 1 (P0001) was sold on 2026-11-25, more than 3 days before" in message
    assert "manager" in message
    row = shop.scalar(select(returns.c.conflict).where(returns.c.id == alim["return_id"]))
    assert row == "policy_violation"  # kept: the money has left


def test_a_non_returnable_category_is_a_policy_violation_even_with_an_over_refund(
    shop, make_sale, make_event
):
    _set(shop, non_returnable_categories=["DROG"])
    t01 = shop.enroll("T01")
    sale, pusher = _sold(shop, t01, make_sale, make_event, [("P0003", "1", 1210)])
    ret = _return(t01, sale["receipt_number"], [("P0003", "2", 2420, 1)])
    assert pusher(ret) == [("conflict", "over_refund")]  # the first conflict names the code
    message = pusher.messages[0] or ""
    assert "more of" in message and "category DROG, never taken back" in message


def test_a_return_without_a_receipt_refunds_store_credit_only_and_only_when_allowed(
    shop, make_event
):
    t02 = shop.enroll("T02")
    pusher = _Pusher(shop, t02, make_event)
    credit = _return(t02, "", [("P0001", "1", 299, None)], kind="none", refund="voucher")
    assert pusher(credit) == [("applied", None)]
    assert shop.scalar(select(vouchers.c.balance_cents).where(vouchers.c.code == "VALE0001")) == (
        299
    )
    assert shop.scalar(select(returns.c.original_kind).where(returns.c.id == credit["return_id"]))
    cash = _return(t02, "", [("P0001", "1", 299, None)], kind="none", refund="cash", number=2)
    assert pusher(cash) == [("conflict", "policy_violation")]
    assert "no receipt, yet refunds other than as store credit" in (pusher.messages[0] or "")

    _set(shop, receipt_required=True)
    again = _return(t02, "", [("P0001", "1", 299, None)], kind="none", refund="voucher", number=3)
    assert pusher(again) == [("conflict", "policy_violation")]
    assert "the policy requires one" in (pusher.messages[0] or "")
    assert shop.count(returns) == 3


def test_a_gift_receipt_return_refunds_store_credit_only(shop, make_sale, make_event):
    t01 = shop.enroll("T01")
    sale, pusher = _sold(shop, t01, make_sale, make_event, [("P0001", "2", 698)])
    gift = _return(
        t01, sale["receipt_number"], [("P0001", "1", 349, 1)], refund="voucher", gift_receipt=True
    )
    assert pusher(gift) == [("applied", None)]
    card = _return(
        t01, sale["receipt_number"], [("P0001", "1", 349, 1)], number=2, gift_receipt=True
    )
    assert pusher(card) == [("conflict", "policy_violation")]
    assert "gift receipt" in (pusher.messages[0] or "")


def test_an_exchange_refund_and_payment_move_no_money_and_are_accepted(shop, make_sale, make_event):
    t01 = shop.enroll("T01")
    sale, pusher = _sold(shop, t01, make_sale, make_event, [("P0003", "1", 1210)])
    ret = _return(t01, sale["receipt_number"], [("P0003", "1", 1210, 1)], refund="exchange")
    ret["refunds"][0]["reference"] = "T01-C01-2026-000002"
    ret["gift_receipt"] = True  # an exchange is store credit too
    new_sale = make_sale(t01, [("P0001", "1", 349)], number=2)
    new_sale["payments"] = [
        {
            "payment_id": new_id(),
            "kind": "exchange",
            "amount_cents": 349,
            "tendered_cents": 349,
            "reference": ret["return_number"],
        }
    ]
    assert pusher(ret) == [("applied", None)]
    assert pusher(new_sale, type_="sale.completed") == [("applied", None)]
    assert shop.count(vouchers) == 0


def test_set_return_policy_with_nothing_given_shows_the_policy_in_force(shop, database_url, capsys):
    code, out, _ = cli(capsys, database_url, "set-return-policy")
    assert code == 0
    assert "  days: 30\n" in out and "non-returnable: -\n" in out
    assert "offline-max-refund: 100.00\n" in out
