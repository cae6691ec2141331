"""The first-run wizard on the real backend served on loopback: test the connection, enrol
with the catalog's progress, a wrong code shown where it can be fixed; screenshots of each
page. The token goes to the (in-memory) keyring, the settings to a file."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QWizard
from support import BackendProcess, backend_process, enrollment_code, free_port, save_screenshot

from pos_app.provisioning import LocalProvisioner, is_provisioned
from pos_app.ui.app import style_sheet
from pos_app.ui.first_run_wizard import FirstRunWizard
from pos_app.ui.task_runner import TaskRunner


@pytest.fixture(scope="module")
def backend(tmp_path_factory) -> Iterator[BackendProcess]:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("backend")
    with backend_process(folder, f"sqlite:///{folder / 'backend.sqlite3'}", products=30) as b:
        yield b


@pytest.fixture
def wizard(qtbot, qapp, tmp_path, fake_keyring):  # type: ignore[no-untyped-def]
    qapp.setStyleSheet(style_sheet())
    runner = TaskRunner()
    provisioner = LocalProvisioner(tmp_path / "data", tmp_path / "mostrador.toml")
    wiz = FirstRunWizard(runner, provisioner)
    qtbot.addWidget(wiz)
    wiz.show()
    qtbot.waitExposed(wiz)
    yield wiz
    qtbot.waitUntil(lambda: runner.idle, timeout=60_000)
    runner.shutdown()


def _next(qtbot, wiz: FirstRunWizard) -> None:  # type: ignore[no-untyped-def]
    button = wiz.button(QWizard.WizardButton.NextButton)
    assert button.isEnabled()
    button.click()


def test_the_wizard_checks_the_backend_enrols_with_progress_and_writes_settings(
    qtbot, wizard, backend, tmp_path, fake_keyring
):
    page = wizard.backend_page
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # nothing typed
    page.url_field.setText(backend.url)
    with qtbot.waitSignal(wizard.connection_checked, timeout=30_000) as checked:
        page.check_button.click()
    assert checked.args == [True]
    assert "Conexión correcta" in page.status.text() and backend.url in page.status.text()
    save_screenshot(wizard, "first_run_1_backend")

    _next(qtbot, wizard)
    form = wizard.register_page
    form.store_field.setText("T01")
    form.name_field.setText("Caja mostrador")
    form.code_field.setText(enrollment_code(backend))
    save_screenshot(wizard, "first_run_2_register")

    progress: list[int] = []
    wizard.enrol_page._bridge.progressed.connect(progress.append)
    with qtbot.waitSignal(wizard.provisioned, timeout=60_000) as done:
        _next(qtbot, wizard)
        assert not wizard.button(QWizard.WizardButton.CancelButton).isEnabled()  # busy
    identity = done.args[0]
    assert identity.store_code == "T01" and identity.store_name == "Tienda Centro"
    assert progress and progress[-1] >= 30  # 30 products and their barcodes, stock, ...
    page3 = wizard.enrol_page
    assert "lista para vender" in page3.result.text() and identity.register_code in (
        page3.result.text()
    )
    assert f"Catálogo descargado: {progress[-1]} cambios" == page3.changes.text()
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    save_screenshot(wizard, "first_run_3_done")

    assert is_provisioned(tmp_path / "data")
    settings = tomllib.loads((tmp_path / "mostrador.toml").read_text(encoding="utf-8"))
    assert settings["register"]["backend_url"] == backend.url
    assert settings["register"]["register_name"] == "Caja mostrador"
    (token,) = fake_keyring.secrets.values()
    assert token not in (tmp_path / "mostrador.toml").read_text(encoding="utf-8")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.result() == QWizard.DialogCode.Accepted
    assert wizard.identity == identity


def test_a_wrong_code_is_shown_inline_and_corrected_without_leaving_the_wizard(
    qtbot, wizard, backend, tmp_path
):
    wizard.backend_page.url_field.setText(backend.url)
    _next(qtbot, wizard)
    form = wizard.register_page
    form.store_field.setText("T01")
    form.name_field.setText("Caja 2")
    form.code_field.setText("ABCD-EFGH-WRONG")
    with qtbot.waitSignal(wizard.failed, timeout=30_000):
        _next(qtbot, wizard)
    page = wizard.enrol_page
    assert page.error.isVisible()
    assert page.error.text() == "El código de alta no es válido, ya se usó o ha caducado"
    assert "no acepta el código" in page.detail.text()
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    assert not page.retry_button.isVisible() and page.fix_hint.isVisible()  # fix it, not retry
    assert not (tmp_path / "data" / "register.sqlite3").exists()
    assert not (tmp_path / "mostrador.toml").exists()
    save_screenshot(wizard, "first_run_error_wrong_code")

    wizard.button(QWizard.WizardButton.BackButton).click()
    assert wizard.currentPage() is form and form.error.isVisible()
    form.code_field.setText(enrollment_code(backend))
    with qtbot.waitSignal(wizard.provisioned, timeout=60_000):
        _next(qtbot, wizard)
    assert is_provisioned(tmp_path / "data")


def test_an_unreachable_backend_and_a_malformed_address_are_said_on_their_page(qtbot, wizard):
    page = wizard.backend_page
    page.url_field.setText(f"http://127.0.0.1:{free_port()}")
    with qtbot.waitSignal(wizard.connection_checked, timeout=30_000) as checked:
        page.check_button.click()
    assert checked.args == [False]
    assert page.status.text() == "No se puede conectar con la central"
    assert "no se puede conectar" in page.detail.text()
    save_screenshot(wizard, "first_run_error_unreachable")

    page.url_field.setText("central sin esquema")
    with qtbot.waitSignal(wizard.connection_checked, timeout=10_000) as checked:
        page.check_button.click()
    assert checked.args == [False] and page.status.text() == "Revise los datos"


# --- "mostrador run" on an unprovisioned machine: the wizard, then the register --------------

DRIVER = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWizard
from pos_app.cli import main
from pos_app.ui.first_run_wizard import FirstRunWizard
from pos_app.ui.main_window import MainWindow

backend_url, code = sys.argv[1], sys.argv[2]
app = QApplication(sys.argv[:1])
steps = []

def drive():
    modal = QApplication.activeModalWidget()
    if isinstance(modal, FirstRunWizard):
        page = modal.currentPage()
        if page is modal.backend_page and "url" not in steps:
            steps.append("url")
            page.url_field.setText(backend_url)
            modal.button(QWizard.WizardButton.NextButton).click()
        elif page is modal.register_page and "form" not in steps:
            steps.append("form")
            page.store_field.setText("T01")
            page.name_field.setText("Caja del asistente")
            page.code_field.setText(code)
            modal.button(QWizard.WizardButton.NextButton).click()
        elif page is modal.enrol_page and modal.identity is not None and "finish" not in steps:
            steps.append("finish")
            print("wizard: " + page.result.text(), flush=True)
            modal.button(QWizard.WizardButton.FinishButton).click()
        return
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.isVisible() and "finish" in steps:
            timer.stop()
            QTimer.singleShot(500, app.quit)

timer = QTimer()
timer.timeout.connect(drive)
timer.start(100)
sys.exit(main(sys.argv[3:]))
"""


def test_run_on_an_unprovisioned_machine_shows_the_wizard_then_opens_the_register(
    backend, tmp_path
):
    import os
    import subprocess
    import sys
    from pathlib import Path

    tests = Path(__file__).resolve().parents[1]
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": os.pathsep.join([str(tests), os.environ.get("PYTHONPATH", "")]),
        "PYTHON_KEYRING_BACKEND": "file_keyring.FileKeyring",
        "MOSTRADOR_TEST_KEYRING": str(tmp_path / "keyring.json"),
        "MOSTRADOR_LOG_DIR": str(tmp_path / "logs"),
    }
    config = tmp_path / "mostrador.toml"
    args = ["run", "--data-dir", str(tmp_path / "data"), "--config", str(config)]
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, backend.url, enrollment_code(backend), *args],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "wizard: Caja C" in done.stdout and "lista para vender" in done.stdout
    assert "mostrador: ready (30 products" in done.stdout
    assert "sin sincronización" not in done.stderr  # its token was found in the keyring
    settings = tomllib.loads(config.read_text(encoding="utf-8"))
    assert settings["register"]["register_name"] == "Caja del asistente"
    assert settings["register"]["data_dir"] == str((tmp_path / "data").resolve())
