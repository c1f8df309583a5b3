"""Application-wide look and language: the QSS theme, the translators, the CJK font."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
TRANSLATIONS = RESOURCES / "translations"
THEMES = RESOURCES / "themes"
LANGUAGES = ("zh_CN", "en")

#: Fonts tried in order for the UI (the first one installed wins); all cover Simplified Chinese.
_UI_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei UI", "Microsoft YaHei",
             "PingFang SC", "WenQuanYi Micro Hei")


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the console's and Qt's own translations for `language` ("en" = source strings).

    Returns the installed translators (keep them alive as long as the app).
    """
    installed: list[QTranslator] = []
    if language == "en":
        QLocale.setDefault(QLocale("en_US"))
        return installed
    QLocale.setDefault(QLocale(language))
    ours = QTranslator(app)
    if ours.load(str(TRANSLATIONS / f"hall_{language}.qm")):
        app.installTranslator(ours)
        installed.append(ours)
    else:
        log.warning("no translation hall_%s.qm found; showing English", language)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in (f"qtbase_{language}", f"qt_{language}"):
        qt = QTranslator(app)
        if qt.load(name, qt_dir):
            app.installTranslator(qt)
            installed.append(qt)
            break
    return installed


def apply_theme(app: QApplication, name: str = "dark") -> None:
    """Apply `resources/themes/<name>.qss` and a UI font that covers Simplified Chinese."""
    families = set(QFontDatabase.families())
    for family in _UI_FONTS:
        if family in families:
            font = QFont(family)
            font.setPointSizeF(10.0)
            app.setFont(font)
            break
    app.setStyle("Fusion")
    path = THEMES / f"{name}.qss"
    try:
        app.setStyleSheet(path.read_text(encoding="utf-8"))
    except OSError:
        log.warning("theme %s not found", path)
