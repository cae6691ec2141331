"""The sync status in the status bar and the needs-attention list, on the real window."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
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
    first, second = register.sync.next_batch()
    register.sync.record_push(
        PushResponse(
            last_seq=2,
            results=[
                EventResult(
                    seq=1,
                    event_id=first.event_id,
                    status=EventStatus.REJECTED,
                    code="totals_mismatch",
                    message="Los importes de las líneas no suman el total",
                ),
                EventResult(
                    seq=2,
                    event_id=second.event_id,
                    status=EventStatus.CONFLICT,
                    code="unknown_product",
                    message="Producto desconocido en la central",
                ),
            ],
        )
    )
    # A third sale whose event the backend asks for under an earlier number: events 3-4 were
    # lost from this register's outbox (a restored copy), and the gap is closed.
    register.checkout.scan(COFFEE)
    register.checkout.add_cash(register.checkout.view().payment.due)
    register.checkout.complete_sale()
    with register.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE outbox SET seq = 5 WHERE seq = 3")
    gap = register.sync.record_push(PushResponse(last_seq=2, results=[], expected_seq=3))
    assert gap.missing == ((3, 4),)
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
