"""The Qt application object: language, style, and the last-resort error handler."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from resources import STYLES_DIR, TRANSLATIONS_DIR

log = logging.getLogger(__name__)
SUPPORTED = ("es", "en")


def choose_language(setting: str) -> str:
    """``es`` or ``en`` from a setting like ``en_GB``; empty: the system's; Spanish otherwise."""
    name = setting or QLocale.system().name()
    language = name.split("_")[0].split("-")[0].lower()
    return language if language in SUPPORTED else "es"


def ui_locale(language: str) -> str:
    return {"es": "es_ES", "en": "en_GB"}[language]


def install_translators(app: QApplication, language: str) -> list[QTranslator]:
    """Spanish is the source language; English comes from resources/translations/*.qm."""
    installed: list[QTranslator] = []
    if language == "es":
        qt_base = QTranslator(app)
        path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt_base.load(QLocale(QLocale.Language.Spanish), "qtbase", "_", path):
            app.installTranslator(qt_base)
            installed.append(qt_base)
        return installed
    translator = QTranslator(app)
    if translator.load(str(TRANSLATIONS_DIR / f"mostrador_{language}.qm")):
        app.installTranslator(translator)
        installed.append(translator)
    else:
        log.warning("no %s translation found in %s; showing Spanish", language, TRANSLATIONS_DIR)
    return installed


def remove_translators(app: QApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)


def style_sheet() -> str:
    return (STYLES_DIR / "mostrador.qss").read_text(encoding="utf-8")


def install_excepthook(sale_state: Callable[[], str]) -> None:
    """Unexpected errors are logged with their traceback and the cashier is told, plainly,
    whether the sale in progress was saved."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.critical("unexpected error", exc_info=(exc_type, exc, tb))
        app = QApplication.instance()
        if app is None:
            sys.__excepthook__(exc_type, exc, tb)
            return
        QMessageBox.critical(
            None,
            "Mostrador",
            QApplication.translate(
                "App",
                "Ha ocurrido un error inesperado: {error}\n\n{state}\n\n"
                "El detalle está en el registro de la aplicación.",
            ).format(error=exc, state=sale_state()),
        )

    sys.excepthook = hook
