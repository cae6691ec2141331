"""The "Recogidas" screens driven as a clerk drives them: the real window, runner and database.
Orders arrive as a pull applies them (``pickup_order`` changes), no backend needed."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import text
from support import COFFEE, MILK, SOAP, pickup_order_data, pull_pickups, save_screenshot

from hardware.escpos_decoder import decode
from pos_app.services.pickups import QueueFilter
from pos_app.ui.attention_dialog import AttentionDialog
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.pickups_dialog import HandOverDialog, PickListDialog, PickupsDialog


def idle(window) -> bool:
    return window.presenter._runner.idle


def settle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: idle(window))
    QApplication.processEvents()
    qtbot.waitUntil(lambda: idle(window))


def seed(register, clock) -> dict[str, dict]:
    orders = {
        "new": pickup_order_data("W-2026-000101"),
        "new2": pickup_order_data(
            "W-2026-000102", customer="Jorge Núñez", phone="611 222 333",
            email="jorge@example.com", lines=(("P0002", 6), ("P0004", 2)), paid_online=False,
        ),
        "picking": pickup_order_data("W-2026-000103", customer="Lucía Gómez", status="picking",
                                     version=2, phone="622 000 111"),
        "ready": pickup_order_data("W-2026-000104", customer="Carmen Ruiz", status="ready",
                                   version=3, picked={1: "2", 2: "1"}, code="AB12CD"),
        "unpaid": pickup_order_data("W-2026-000105", customer="Pablo Sanz", status="ready",
                                    version=3, picked={1: "2", 2: "1"}, paid_online=False,
                                    code="ZX98YU"),
        "old": pickup_order_data("W-2026-000099", customer="Ana Torres", status="ready",
                                 version=3, picked={1: "2", 2: "1"},
                                 expires_in=clock.now() - clock.now().replace(hour=0)),
    }  # fmt: skip
    pull_pickups(register.uow_factory, clock, *orders.values())
    return orders


def open_pickups(qtbot, window) -> PickupsDialog:
    window.open_pickups()
    dialog = window.active_dialog
    assert isinstance(dialog, PickupsDialog)
    settle(qtbot, window)
    return dialog


def open_child(qtbot, window, dialog, action):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(dialog.child_opened) as opened:
        action()
    settle(qtbot, window)
    return opened.args[0]


def select(dialog: PickupsDialog, number: str) -> None:
    row = next(i for i, o in enumerate(dialog.model.rows()) if o.number == number)
    dialog.view.selectRow(row)


def test_the_queue_shows_counts_as_filters_and_searches(qtbot, window, register, clock):
    seed(register, clock)
    dialog = open_pickups(qtbot, window)
    captions = [b.text() for b in dialog.filter_buttons.values()]
    assert captions == ["Nuevos (2)", "Preparando (1)", "Listos (3)", "Atrasados (1)", "Todos (6)"]
    assert dialog.model.rowCount() == 6
    qtbot.mouseClick(dialog.filter_buttons[QueueFilter.READY], Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert {o.number for o in dialog.model.rows()} == {
        "W-2026-000104", "W-2026-000105", "W-2026-000099"
    }  # fmt: skip
    dialog.set_filter(QueueFilter.OVERDUE)
    settle(qtbot, window)
    assert [o.number for o in dialog.model.rows()] == ["W-2026-000099"]
    dialog.set_filter(QueueFilter.ALL)
    settle(qtbot, window)
    qtbot.keyClicks(dialog.search_field, "nunez")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=3000)
    settle(qtbot, window)
    assert dialog.model.rows()[0].number == "W-2026-000102"
    dialog.search_field.clear()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 6, timeout=3000)


def test_a_new_order_is_announced_on_the_main_window_and_appears_in_the_queue(
    qtbot, window, register, clock
):
    settle(qtbot, window)  # the window's first look: no orders yet
    seed(register, clock)
    with qtbot.waitSignal(window.pickups_announced) as first:
        window.check_new_pickups()
    assert len(first.args[0].orders) == 2  # the two still pending
    settle(qtbot, window)
    dialog = open_pickups(qtbot, window)
    pull_pickups(register.uow_factory, clock, pickup_order_data("W-2026-000200"))
    with qtbot.waitSignal(window.pickups_announced) as announced:
        window.check_new_pickups()
    assert [o.number for o in announced.args[0].orders] == ["W-2026-000200"]
    assert "Nuevo pedido W-2026-000200 para recoger" in window.message_label.text()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 7, timeout=3000)


def test_scans_confirm_items_in_the_pick_list_refuse_a_wrong_one_and_mark_it_ready(
    qtbot, window, register, clock, engine
):
    orders = seed(register, clock)
    dialog = open_pickups(qtbot, window)
    select(dialog, "W-2026-000101")
    pick = open_child(qtbot, window, dialog, dialog.open_pick_list)
    assert isinstance(pick, PickListDialog)
    assert pick.order is not None and pick.order.status == "picking"
    assert not pick.ready_button.isEnabled()
    window.devices.scanned.emit(COFFEE)  # the scanner, as the device controller delivers it
    settle(qtbot, window)
    assert pick.order.line(1).picked == 1
    assert "Café molido natural 250 g: 1 de 2" in pick.message_label.text()
    window.devices.scanned.emit(MILK)  # not in the order
    settle(qtbot, window)
    assert pick.message_label.property("kind") == "error"
    assert "«Leche entera 1 l» no es de este pedido" in pick.message_label.text()
    assert "Café molido natural 250 g, Jabón de manos 500 ml" in pick.message_label.text()
    assert window.presenter.view.is_empty  # never added to the sale
    window.devices.scanned.emit(COFFEE)
    settle(qtbot, window)
    window.devices.scanned.emit(COFFEE)  # a third coffee: too many
    settle(qtbot, window)
    assert "Ya están recogidos los 2" in pick.message_label.text()
    qtbot.keyClicks(pick.scan_field, SOAP)  # typed, for a keyboard without a scanner
    qtbot.keyClick(pick.scan_field, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert pick.ready_button.isEnabled()
    save_screenshot(pick, "pickups_pick_list_screenshot")
    # the transition is pushed at once, not at the sync worker's next round
    with qtbot.waitSignal(window.pickup_recorded, timeout=5000):
        qtbot.mouseClick(pick.ready_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert pick.order.status == "ready" and pick.order.pending_sync
    assert "listo para recoger" in pick.message_label.text()
    with engine.connect() as conn:
        events = [
            json.loads(p)
            for (p,) in conn.execute(
                text("SELECT payload FROM outbox WHERE event_type = 'pickup.transition'")
            )
        ]
    assert [(e["order_id"], e["to_status"]) for e in events] == [
        (orders["new"]["order_id"], "picking"),
        (orders["new"]["order_id"], "ready"),
    ]


def test_a_missing_item_is_marked_short_in_the_pick_list(qtbot, window, register, clock):
    seed(register, clock)
    dialog = open_pickups(qtbot, window)
    select(dialog, "W-2026-000103")
    pick = open_child(qtbot, window, dialog, dialog.open_pick_list)
    window.devices.scanned.emit(COFFEE)
    window.devices.scanned.emit(COFFEE)
    settle(qtbot, window)
    pick.view.selectRow(1)
    pick.mark_short()
    quantity = pick.quantity_dialog
    quantity.field.clear()
    qtbot.keyClicks(quantity.field, "0")
    qtbot.keyClick(quantity.field, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert pick.order.line(2).short and pick.ready_button.isEnabled()
    assert pick.model.data(pick.model.index(1, 4)) == "✗ Faltan 1"
    pick.mark_ready()
    settle(qtbot, window)
    assert pick.order.status == "ready"


def test_a_paid_order_is_handed_over_by_scanning_the_customers_qr_and_prints_the_receipt(
    qtbot, window, register, clock, printer_file
):
    orders = seed(register, clock)
    dialog = open_pickups(qtbot, window)
    save_screenshot(dialog, "pickups_queue_screenshot")
    with qtbot.waitSignal(dialog.child_opened) as opened:
        window.devices.scanned.emit(orders["ready"]["qr_payload"])
    hand = opened.args[0]
    assert isinstance(hand, HandOverDialog)
    settle(qtbot, window)
    assert hand.order is not None and hand.order.number == "W-2026-000104"
    assert hand.code and hand.hand_over_button.isEnabled() and not hand.pay_button.isVisible()
    save_screenshot(hand, "pickups_hand_over_screenshot")
    with qtbot.waitSignal(hand.receipt_printed, timeout=10000) as printed:
        qtbot.mouseClick(hand.hand_over_button, Qt.MouseButton.LeftButton)
    assert printed.args[0] == ""
    assert "entregado y justificante impreso" in hand.message_label.text()
    receipt = decode(printer_file.read_bytes()).text
    assert "JUSTIFICANTE DE RECOGIDA" in receipt and "W-2026-000104" in receipt
    assert "Carmen Ruiz" in receipt and "Pagado en línea" in receipt
    assert hand.order.status == "collected"


def test_a_typed_code_is_checked_and_a_refused_item_stays(qtbot, window, register, clock):
    seed(register, clock)
    dialog = open_pickups(qtbot, window)
    select(dialog, "W-2026-000104")
    hand = open_child(qtbot, window, dialog, dialog.open_hand_over)
    assert not hand.hand_over_button.isEnabled()  # the code is still to be checked
    qtbot.keyClicks(hand.code_field, "XXXXXX")
    qtbot.keyClick(hand.code_field, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert "no es el de este pedido" in hand.message_label.text()
    hand.code_field.clear()
    qtbot.keyClicks(hand.code_field, "ab12cd")
    qtbot.keyClick(hand.code_field, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert hand.hand_over_button.isEnabled()
    hand.view.selectRow(1)
    qtbot.mouseClick(hand.refuse_button, Qt.MouseButton.LeftButton)
    assert hand.model.data(hand.model.index(1, 2)) == "No se entrega"
    with qtbot.waitSignal(hand.handed_over) as done:
        qtbot.mouseClick(hand.hand_over_button, Qt.MouseButton.LeftButton)
    assert done.args[0].to_status == "partially_collected"
    settle(qtbot, window)


def test_an_unpaid_order_is_paid_through_the_payment_dialog(
    qtbot, window, register, clock, engine, printer_file
):
    orders = seed(register, clock)
    dialog = open_pickups(qtbot, window)
    with qtbot.waitSignal(dialog.child_opened) as opened:
        window.devices.scanned.emit(orders["unpaid"]["qr_payload"])
    hand = opened.args[0]
    settle(qtbot, window)
    assert hand.pay_button.isVisible() and hand.pay_button.isEnabled()
    assert not hand.hand_over_button.isVisible()
    qtbot.mouseClick(hand.pay_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, PaymentDialog), timeout=5000)
    pay = window.active_dialog
    assert window.cart_model.rowCount() == 2
    assert window.total_label.text().replace("\xa0", " ") == "19,08 €"
    qtbot.mouseClick(
        pay.findChild(type(pay.complete_button), "quickCash20"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: pay.complete_button.isEnabled())
    with qtbot.waitSignal(window.presenter.receipt_printed, timeout=10000):
        qtbot.mouseClick(pay.complete_button, Qt.MouseButton.LeftButton)
    assert "Pedido W-2026-000105 entregado" in window.message_label.text()
    with engine.connect() as conn:
        kinds = conn.execute(text("SELECT event_type, payload FROM outbox ORDER BY seq")).all()
        moves = conn.execute(text("SELECT count(*) FROM stock_movements")).scalar()
    sale = json.loads(kinds[-3][1])
    hand_over = json.loads(kinds[-1][1])
    assert kinds[-2][0] == "fiscal.recorded"  # the sale's ticket (F2), then the hand-over
    assert kinds[-3][0] == "sale.completed" and sale["order_id"] == orders["unpaid"]["order_id"]
    assert kinds[-1][0] == "pickup.transition" and hand_over["sale_id"] == sale["sale_id"]
    assert moves == 0
    assert "FACTURA SIMPLIFICADA" in decode(printer_file.read_bytes()).text


def test_a_pickup_conflict_tells_the_manager_what_to_do(qtbot, window, register, clock, engine):
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO attention_items (seq, event_id, event_type, status, code, message, "
                "payload, created_at) VALUES (7, 'e1', 'pickup.transition', 'conflict', "
                "'pickup_cancelled', 'order W-2026-000104 was cancelled', '{}', "
                "'2026-11-25T10:30:00+01:00')"
            )
        )
    dialog = AttentionDialog(window._runner, register.sync, window)
    qtbot.addWidget(dialog)
    settle(qtbot, window)
    assert dialog.model.data(dialog.model.index(0, 1)) == "Recogida"
    assert dialog.model.data(dialog.model.index(0, 3)).startswith(
        "El pedido se canceló en la web después de entregarlo aquí: la entrega se mantiene"
    )
