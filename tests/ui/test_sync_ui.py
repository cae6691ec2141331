"""The sync status in the status bar and the needs-attention list, on the real window."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from sqlalchemy import text
from support import COFFEE, SOAP, save_screenshot

from pos_app.services.sync import SyncStatus
from pos_app.ui.attention_dialog import AttentionDialog
from pos_app.ui.sync_status import SyncStatusBridge
from sync.protocol import EventResult, EventStatus, PushResponse


def status(**kw) -> SyncStatus:
    base = {
        "enrolled": True,
        "online": True,
        "pending": 0,
        "attention": 0,
        "last_success_at": datetime(2026, 11, 25, 10, 31, 5).astimezone(),
        "last_error": None,
    }
    base.update(kw)
    return SyncStatus(**base)


def test_the_status_bar_says_online_offline_pending_last_sync_and_attention(qtbot, window):
    widget = window.sync_status
    assert "Sin sincronizar" in widget.connection_label.text()  # a local register
    window.show_sync_status(status(pending=0))
    assert widget.connection_label.text() == "● En línea"
    assert widget.connection_label.property("state") == "online"
    assert widget.pending_label.text() == "Pendientes: 0"
    assert "10:31:05" in widget.last_sync_label.text()
    assert not widget.attention_button.isVisibleTo(window)
    window.show_sync_status(
        status(online=False, pending=7, attention=2, last_error="network: cannot reach the backend")
    )
    assert widget.connection_label.text() == "● Sin conexión"
    assert widget.pending_label.text() == "Pendientes: 7"
    assert widget.attention_button.isVisibleTo(window)
    assert widget.attention_button.text() == "⚠ Revisar: 2"
    assert "cannot reach" in widget.toolTip()
    window.presenter.scan(COFFEE)
    qtbot.waitUntil(lambda: window.cart_model.rowCount() == 1)
    save_screenshot(window, "checkout_offline_with_attention")


def test_status_from_the_sync_thread_arrives_queued_on_the_gui_thread(qtbot, window):
    import threading

    bridge = SyncStatusBridge()
    bridge.status_changed.connect(window.show_sync_status)
    t = threading.Thread(target=lambda: bridge.publish(status(pending=3)))
    t.start()
    t.join()
    qtbot.waitUntil(lambda: window.sync_status.pending_label.text() == "Pendientes: 3")


def test_the_attention_list_shows_why_and_can_be_marked_reviewed(qtbot, window, register):
    for code in (COFFEE, SOAP):
        register.checkout.scan(code)
        register.checkout.add_cash(register.checkout.view().payment.due)
        register.checkout.complete_sale()
    first, first_record, second, second_record = register.sync.next_batch()  # + fiscal records
    register.sync.record_push(
        PushResponse(
            last_seq=4,
            results=[
                EventResult(
                    seq=1,
                    event_id=first.event_id,
                    status=EventStatus.REJECTED,
                    code="totals_mismatch",
                    message="Los importes de las líneas no suman el total",
                ),
                EventResult(seq=2, event_id=first_record.event_id, status=EventStatus.APPLIED),
                EventResult(
                    seq=3,
                    event_id=second.event_id,
                    status=EventStatus.CONFLICT,
                    code="unknown_product",
                    message="Producto desconocido en la central",
                ),
                EventResult(seq=4, event_id=second_record.event_id, status=EventStatus.APPLIED),
            ],
        )
    )
    # A third sale whose events the backend asks for under earlier numbers: events 5-8 were
    # lost from this register's outbox (a restored copy), and the gap is closed.
    register.checkout.scan(COFFEE)
    register.checkout.add_cash(register.checkout.view().payment.due)
    register.checkout.complete_sale()
    with register.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE outbox SET seq = 10 WHERE seq = 6")
        conn.exec_driver_sql("UPDATE outbox SET seq = 9 WHERE seq = 5")
    gap = register.sync.record_push(PushResponse(last_seq=4, results=[], expected_seq=5))
    assert gap.missing == ((5, 8),)
    window.show_sync_status(register.sync.status(online=True))
    qtbot.mouseClick(window.sync_status.attention_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, AttentionDialog))
    dialog = window.active_dialog
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3)
    texts = {dialog.model.index(r, 3).data() for r in range(3)}
    assert "Producto desconocido en la central [unknown_product]" in texts
    assert any(t.startswith("Eventos de esta caja que nunca llegaron") for t in texts)
    assert {dialog.model.index(r, 2).data() for r in range(3)} == {
        "Rechazado",
        "Aplicado con conflicto",
        "No enviados (perdidos en esta caja)",
    }
    assert {dialog.model.index(r, 1).data() for r in range(3)} == {"Venta", "Eventos perdidos"}
    dialog.resize(980, 420)
    save_screenshot(dialog, "attention_dialog")
    qtbot.mouseClick(dialog.resolve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    assert register.sync.status().attention == 2


def test_the_attention_model_passes_the_model_tester(qtmodeltester, window, register):
    from pos_app.ui.attention_dialog import AttentionTableModel

    model = AttentionTableModel()
    qtmodeltester.check(model)


def test_return_voucher_and_customer_conflicts_tell_the_manager_what_to_do(
    qtbot, window, register, engine
):
    policy = "line 1 (P0001) is returned 45 days after the sale; the policy allows 30"
    rows = [
        (1, "return.completed", "conflict", "policy_violation", policy),
        (2, "return.completed", "conflict", "over_refund", "return D-1 refunds more of T-1"),
        (3, "sale.completed", "conflict", "voucher_overspent", "voucher VAB12 had 500 left"),
        (4, "customer.upserted", "rejected", "customer_erased", "customer c1 was erased"),
        (5, "sale.completed", "rejected", "payload_mismatch", "the first version stands"),
    ]
    with engine.begin() as conn:
        for seq, event_type, status_, code, message in rows:
            conn.execute(
                text(
                    "INSERT INTO attention_items (seq, event_id, event_type, status, code, "
                    "message, payload, created_at) VALUES (:seq, :event_id, :event_type, "
                    ":status, :code, :message, '{}', '2026-11-25T10:30:00+01:00')"
                ),
                {
                    "seq": seq,
                    "event_id": f"e{seq}",
                    "event_type": event_type,
                    "status": status_,
                    "code": code,
                    "message": message,
                },
            )
    dialog = AttentionDialog(window._runner, register.sync, window)
    qtbot.addWidget(dialog)
    dialog.resize(1100, 640)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == len(rows))
    model = dialog.model
    by_code = {
        model.item_at(r).code: (model.index(r, 1).data(), model.index(r, 3).data())
        for r in range(model.rowCount())
    }
    kind, reason = by_code["policy_violation"]
    assert kind == "Devolución"
    assert reason.startswith("La devolución no cumple la política de devoluciones")
    assert reason.endswith(f"Detalle: {policy} [policy_violation]")
    assert by_code["over_refund"][1].startswith(
        "Se devolvió más de lo que quedaba de la venta o del pedido original"
    )
    assert "el dinero salió dos veces" in by_code["over_refund"][1]
    assert "Detalle" not in by_code["over_refund"][1]
    assert by_code["voucher_overspent"][1].startswith(
        "Se pagó con un vale más de lo que le quedaba"
    )
    kind, reason = by_code["customer_erased"]
    assert kind == "Cliente"
    assert "la modificación se descartó. No hay que hacer nada" in reason
    # A code without advice: the backend's own words.
    assert by_code["payload_mismatch"][1] == "the first version stands [payload_mismatch]"
    # The backend's message, replaced by the advice, stays in the tooltip.
    row = next(r for r in range(model.rowCount()) if model.item_at(r).code == "over_refund")
    tip = model.index(row, 3).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("return D-1 refunds more of T-1\n")
    save_screenshot(dialog, "attention_dialog_returns")
