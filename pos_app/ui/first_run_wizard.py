"""The first-run wizard: a register that starts unprovisioned asks for what IT gave.

Three pages: the backend (with "test the connection"), the store, the register's name and the
one-time enrolment code, then the enrolment itself with the catalog download's progress. The
network calls run on the task runner's I/O pool (never on the GUI thread) through a
:class:`Provisioner` the composition root hands in; errors are shown inline, on the page where
they can be fixed (a wrong code: go back, type it again).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from pos_app.domain.provisioning import Problem, ProvisioningError, ProvisionRequest
from pos_app.services.ports import StoreIdentity
from pos_app.ui.qt_helpers import set_banner, weak_callback
from pos_app.ui.task_runner import Runner

_STYLE = """
QWizardPage QLabel[intro="true"] { font-size: 16px; color: #334155; }
QLabel#wizardResult { font-size: 20px; font-weight: bold; color: #1e6b2a; }
QLabel#wizardHint { color: #52606d; font-size: 14px; }
QLabel#wizardDetail { color: #52606d; font-size: 13px; }
"""


class Provisioner(Protocol):
    """What the wizard needs from the composition root; both run on a worker thread."""

    def check(self, backend_url: str) -> str:
        """The backend's description (its version); ProvisioningError when unusable."""
        ...

    def provision(
        self, request: ProvisionRequest, progress: Callable[[int], None]
    ) -> StoreIdentity:
        """Enrol, keep the token, download the catalog, write the settings."""
        ...


def describe_problem(error: ProvisioningError) -> str:
    """The headline of a provisioning problem, translated; the detail follows it."""

    translate = QCoreApplication.translate
    problem = error.problem
    if problem is Problem.BAD_INPUT:
        return translate("FirstRunWizard", "Revise los datos")
    if problem is Problem.CODE_REFUSED:
        return translate(
            "FirstRunWizard", "El código de alta no es válido, ya se usó o ha caducado"
        )
    if problem is Problem.WRONG_STORE:
        return translate("FirstRunWizard", "El código de alta es de otra tienda")
    if problem is Problem.UNREACHABLE:
        return translate("FirstRunWizard", "No se puede conectar con la central")
    if problem is Problem.BAD_BACKEND:
        return translate("FirstRunWizard", "La dirección no es la de una central de Mostrador")
    if problem is Problem.NO_KEYRING:
        return translate(
            "FirstRunWizard", "No hay un almacén de claves del sistema para guardar el token"
        )
    if problem is Problem.ALREADY:
        return translate("FirstRunWizard", "Esta caja ya está dada de alta")
    return translate("FirstRunWizard", "No se puede guardar la configuración")


class _ProgressBridge(QObject):
    """The worker's progress calls, re-emitted (queued) on the GUI thread."""

    progressed = Signal(int)


def _error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def _show_error(label: QLabel, detail: QLabel, exc: BaseException) -> None:
    if isinstance(exc, ProvisioningError):
        set_banner(label, describe_problem(exc), "error")
        detail.setText(exc.message)
    else:  # not expected: still said, never swallowed
        set_banner(label, QCoreApplication.translate("FirstRunWizard", "Error inesperado"), "error")
        detail.setText(f"{type(exc).__name__}: {exc}")
    label.setVisible(True)
    detail.setVisible(True)


class BackendPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Central"))
        self.setSubTitle(
            self.tr(
                "Esta caja aún no está configurada. Escriba la dirección de la central que le "
                "ha dado el departamento de informática."
            )
        )
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.url_field = QLineEdit()
        self.url_field.setObjectName("backendUrl")
        self.url_field.setPlaceholderText("https://central.ejemplo.es:8765")
        form.addRow(self.tr("Dirección de la central"), self.url_field)
        layout.addLayout(form)
        self.check_button = QPushButton(self.tr("Probar la conexión"))
        self.check_button.setObjectName("checkConnection")
        layout.addWidget(self.check_button)
        self.status = QLabel()
        self.status.setObjectName("messageBanner")
        self.status.setWordWrap(True)
        self.status.setVisible(False)
        self.detail = _error_label("wizardDetail")
        layout.addWidget(self.status)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        self.url_field.textChanged.connect(self._on_url_field_text_changed)
        self.check_button.clicked.connect(self._on_check_button_clicked)

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return bool(self.url_field.text().strip())

    def _on_url_field_text_changed(self, _: str) -> None:
        self.status.setVisible(False)
        self.detail.setVisible(False)
        self.completeChanged.emit()

    def _on_check_button_clicked(self) -> None:
        url = self.url_field.text()
        self.check_button.setEnabled(False)
        set_banner(self.status, self.tr("Conectando…"), "info")
        self.status.setVisible(True)
        self.detail.setVisible(False)
        provisioner = self._wizard.provisioner
        self._wizard.runner.run_io(
            lambda: provisioner.check(url),
            weak_callback(self._on_checked),
            weak_callback(self._on_check_failed),
        )

    def _on_checked(self, description: str) -> None:
        self.check_button.setEnabled(True)
        set_banner(
            self.status,
            self.tr("Conexión correcta: {backend}").format(backend=description),
            "success",
        )
        self._wizard.connection_checked.emit(True)

    def _on_check_failed(self, exc: BaseException) -> None:
        self.check_button.setEnabled(True)
        _show_error(self.status, self.detail, exc)
        self._wizard.connection_checked.emit(False)


class RegisterPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Tienda y caja"))
        self.setSubTitle(self.tr("Los datos que le ha dado el departamento de informática."))
        layout = QVBoxLayout(self)
        hint = QLabel(
            self.tr(
                "El código de alta sirve una sola vez (mostrador-server enrollment-code). La caja "
                "guarda su token en el almacén de claves del sistema, nunca en un archivo."
            )
        )
        hint.setObjectName("wizardHint")
        hint.setWordWrap(True)
        form = QFormLayout()
        self.store_field = QLineEdit()
        self.store_field.setObjectName("storeCode")
        self.store_field.setPlaceholderText("T01")
        self.name_field = QLineEdit()
        self.name_field.setObjectName("registerName")
        self.name_field.setPlaceholderText(self.tr("Caja 1"))
        self.code_field = QLineEdit()
        self.code_field.setObjectName("enrollmentCode")
        self.code_field.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        form.addRow(self.tr("Código de tienda"), self.store_field)
        form.addRow(self.tr("Nombre de la caja"), self.name_field)
        form.addRow(self.tr("Código de alta"), self.code_field)
        layout.addLayout(form)
        layout.addWidget(hint)
        self.error = _error_label("messageBanner")
        self.detail = _error_label("wizardDetail")
        layout.addWidget(self.error)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        for field in (self.store_field, self.name_field, self.code_field):
            field.textChanged.connect(self._on_field_text_changed)

    def request(self) -> ProvisionRequest:
        return ProvisionRequest(
            self._wizard.backend_page.url_field.text(),
            self.store_field.text(),
            self.name_field.text(),
            self.code_field.text(),
        )

    def show_error(self, exc: BaseException) -> None:
        _show_error(self.error, self.detail, exc)

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return all(f.text().strip() for f in (self.store_field, self.name_field, self.code_field))

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        try:
            self.request().validated()  # pure: no network
        except ProvisioningError as exc:
            self.show_error(exc)
            return False
        self.error.setVisible(False)
        self.detail.setVisible(False)
        return True

    def _on_field_text_changed(self, _: str) -> None:
        self.completeChanged.emit()


class EnrolPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.identity: StoreIdentity | None = None
        self._busy = False
        self._changes_seen = "0"
        self.setTitle(self.tr("Alta de la caja"))
        layout = QVBoxLayout(self)
        self.state = QLabel()
        self.state.setObjectName("wizardState")
        self.state.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("catalogProgress")
        self.progress.setTextVisible(False)
        self.changes = QLabel()
        self.changes.setObjectName("wizardHint")
        self.result = QLabel()
        self.result.setObjectName("wizardResult")
        self.result.setWordWrap(True)
        self.error = _error_label("messageBanner")
        self.detail = _error_label("wizardDetail")
        self.fix_hint = _error_label("wizardHint")
        self.fix_hint.setText(
            self.tr(
                "Pulse «Atrás» para corregir la tienda o el código, o pida otro código a "
                "informática."
            )
        )
        self.retry_button = QPushButton(self.tr("Reintentar"))
        self.retry_button.setObjectName("retryEnrolment")
        self.retry_button.setVisible(False)
        for widget in (
            self.state,
            self.progress,
            self.changes,
            self.result,
            self.error,
            self.detail,
            self.fix_hint,
            self.retry_button,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)
        self._bridge = _ProgressBridge(self)
        self._bridge.progressed.connect(self._on_bridge_progressed)
        self.retry_button.clicked.connect(self._start)

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        self._start()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self.identity is not None

    def _start(self) -> None:
        if self._busy or self.identity is not None:
            return
        self._busy = True
        request = self._wizard.register_page.request()
        self.state.setText(
            self.tr("Dando de alta la caja en {url}…").format(url=request.backend_url.strip())
        )
        self.progress.setRange(0, 0)  # busy: the catalog's size is not known in advance
        self.progress.setVisible(True)
        self.changes.setText(self.tr("Conectando con la central…"))
        self.changes.setVisible(True)
        self.result.setVisible(False)
        self.error.setVisible(False)
        self.detail.setVisible(False)
        self.fix_hint.setVisible(False)
        self.retry_button.setVisible(False)
        self._wizard.set_busy(True)
        # The wizard updates its buttons after this page is shown: say it again after that.
        QTimer.singleShot(0, weak_callback(self._assert_buttons))
        provisioner = self._wizard.provisioner
        emit = self._bridge.progressed.emit
        self._wizard.runner.run_io(
            lambda: provisioner.provision(request, emit),
            weak_callback(self._on_provisioned),
            weak_callback(self._on_provision_failed),
        )

    def _assert_buttons(self) -> None:
        self._wizard.set_busy(self._busy)
        if self.identity is not None:
            self._wizard.button(QWizard.WizardButton.BackButton).setEnabled(False)

    def _on_bridge_progressed(self, total: int) -> None:
        self._changes_seen = str(total)
        self.changes.setText(
            self.tr("Descargando el catálogo: {count} cambios").format(count=total)
        )

    def _on_provisioned(self, identity: StoreIdentity) -> None:
        self._busy = False
        self.identity = identity
        self._wizard.set_busy(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.state.setText(self.tr("Alta completada."))
        self.changes.setText(
            self.tr("Catálogo descargado: {count} cambios").format(count=self._changes_seen)
        )
        self.result.setText(
            self.tr("Caja {code} de {store} ({store_code}) lista para vender.").format(
                code=identity.register_code,
                store=identity.store_name,
                store_code=identity.store_code,
            )
        )
        self.result.setVisible(True)
        self.completeChanged.emit()
        self._assert_buttons()
        self._wizard.provisioned.emit(identity)

    def _on_provision_failed(self, exc: BaseException) -> None:
        self._busy = False
        self._wizard.set_busy(False)
        self.progress.setVisible(False)
        self.changes.setVisible(False)
        self.state.setText(self.tr("No se ha podido dar de alta la caja."))
        _show_error(self.error, self.detail, exc)
        fixable_here = isinstance(exc, ProvisioningError) and exc.problem in (
            Problem.UNREACHABLE,
            Problem.BAD_BACKEND,
            Problem.NO_KEYRING,
            Problem.NOT_WRITABLE,
        )
        self.retry_button.setVisible(fixable_here)
        if isinstance(exc, ProvisioningError) and exc.problem in (
            Problem.CODE_REFUSED,
            Problem.WRONG_STORE,
            Problem.BAD_INPUT,
        ):
            self.fix_hint.setVisible(True)
            self._wizard.register_page.show_error(exc)  # there when going back to fix it
        self._wizard.failed.emit(exc)


class FirstRunWizard(QWizard):
    """Set up this register. ``provisioned(StoreIdentity)`` once enrolled; ``failed(exc)`` at
    each failed attempt; ``connection_checked(bool)`` after "test the connection"."""

    provisioned = Signal(object)
    failed = Signal(object)
    connection_checked = Signal(bool)

    def __init__(
        self, runner: Runner, provisioner: Provisioner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.provisioner = provisioner
        self.setObjectName("firstRunWizard")
        self.setWindowTitle(self.tr("Mostrador: configurar esta caja"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.setStyleSheet(_STYLE)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Siguiente >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< Atrás"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Abrir la caja"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Cancelar"))
        self.backend_page = BackendPage(self)
        self.register_page = RegisterPage(self)
        self.enrol_page = EnrolPage(self)
        for page in (self.backend_page, self.register_page, self.enrol_page):
            self.addPage(page)
        self.resize(720, 520)

    def set_busy(self, busy: bool) -> None:
        """While enrolling: no going back, no cancelling (the code may be spent already)."""
        for button in (QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton):
            self.button(button).setEnabled(not busy)

    @property
    def identity(self) -> StoreIdentity | None:
        return self.enrol_page.identity

    def reject(self) -> None:
        if self.enrol_page._busy:
            return  # the enrolment finishes first
        super().reject()
