"""Language of the window: Qt translators for our strings (desktop/i18n/*.qm) and Qt's own
(buttons of standard dialogs), switchable while running."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

I18N_DIR = Path(__file__).resolve().parents[1] / "i18n"
QM_NAMES = {"zh-Hans": "chatguard_zh_CN", "zh-Hant": "chatguard_zh_TW", "en": "chatguard_en"}
QT_NAMES = {"zh-Hans": "qtbase_zh_CN", "zh-Hant": "qtbase_zh_TW", "en": "qtbase_en"}
LOCALES = {"zh-Hans": QLocale(QLocale.Language.Chinese, QLocale.Script.SimplifiedChineseScript, QLocale.Country.China),
           "zh-Hant": QLocale(QLocale.Language.Chinese, QLocale.Script.TraditionalChineseScript, QLocale.Country.Taiwan),
           "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)}


class Translators:
    def __init__(self) -> None:
        self._installed: list[QTranslator] = []
        self.lang = "en"

    def set_language(self, lang: str) -> bool:
        """Install the translators of ``lang``; False if our .qm file is missing."""
        app = QCoreApplication.instance()
        if app is None:
            return False
        for t in self._installed:
            app.removeTranslator(t)
        self._installed.clear()
        ok = True
        ours = QTranslator(app)
        if ours.load(str(I18N_DIR / f"{QM_NAMES.get(lang, 'chatguard_en')}.qm")):
            app.installTranslator(ours)
            self._installed.append(ours)
        else:
            ok = False
        qt = QTranslator(app)
        if qt.load(QT_NAMES.get(lang, "qtbase_en"), QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            self._installed.append(qt)
        QLocale.setDefault(LOCALES.get(lang, LOCALES["en"]))
        self.lang = lang
        return ok
