"""The English translation: complete, in step with the code, compiled, and shown."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import Qt
from support import COFFEE

from pos_app.bootstrap import build_main_window
from pos_app.ui.app import choose_language, install_translators, remove_translators
from resources import TRANSLATIONS_DIR

ROOT = Path(__file__).resolve().parents[2]
TS = TRANSLATIONS_DIR / "mostrador_en.ts"


def tool(name: str) -> str:
    return shutil.which(name) or str(Path(sys.executable).with_name(name))


def messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(path).getroot()
    return {
        (ctx.findtext("name") or "", msg.findtext("source") or ""): msg
        for ctx in root.iter("context")
        for msg in ctx.iter("message")
    }


def test_every_string_has_a_finished_english_translation():
    found = messages(TS)
    assert len(found) > 100
    unfinished = [
        key
        for key, msg in found.items()
        if not (msg.findtext("translation") or "").strip()
        or msg.find("translation").get("type") in ("unfinished", "obsolete")
    ]
    assert unfinished == []


def test_placeholders_survive_translation():
    for (_ctx, source), msg in messages(TS).items():
        target = msg.findtext("translation") or ""
        for token in ("{error}", "{code}", "{number}", "{change}", "{due}", "{count}", "{store}"):
            assert (token in source) == (token in target), (source, target)


def test_the_translation_source_is_in_step_with_the_code(tmp_path):
    fresh = tmp_path / "fresh.ts"
    shutil.copy(TS, fresh)
    sources = sorted(str(p) for p in (ROOT / "pos_app" / "ui").glob("*.py"))
    subprocess.run(
        [
            tool("pyside6-lupdate"),
            *sources,
            str(ROOT / "pos_app" / "cli.py"),
            "-no-obsolete",
            "-ts",
            str(fresh),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert set(messages(fresh)) == set(messages(TS)), "run resources/translations/update.sh"


def test_the_shipped_qm_is_compiled_from_the_ts(tmp_path):
    out = tmp_path / "en.qm"
    subprocess.run(
        [tool("pyside6-lrelease"), str(TS), "-qm", str(out)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert out.read_bytes() == (TRANSLATIONS_DIR / "mostrador_en.qm").read_bytes()


def test_language_is_chosen_from_the_setting_with_spanish_as_fallback():
    assert choose_language("en_GB") == "en"
    assert choose_language("es_ES") == "es"
    assert choose_language("fr_FR") == "es"


def test_the_checkout_screen_in_english(qtbot, qapp, register):
    translators = install_translators(qapp, "en")
    assert translators, "the English .qm did not load"
    try:
        window, runner = build_main_window(register, "en_GB")
        qtbot.addWidget(window)
        window.show()
        assert window.pay_button.text() == "PAY (F12)"
        assert window.cart_model.headerData(0, Qt.Orientation.Horizontal) == "Item"
        window.presenter.scan(COFFEE)
        qtbot.waitUntil(lambda: window.cart_model.rowCount() == 1)
        assert window.total_label.text() == "€3.49"
        window.presenter.scan("123")
        qtbot.waitUntil(lambda: window.message_label.property("kind") == "error")
        assert "Invalid code" in window.message_label.text()
        from support import save_screenshot

        save_screenshot(window, "checkout_english")
        runner.shutdown()
        window.close()
    finally:
        remove_translators(qapp, translators)
