"""The Simplified Chinese translation is complete, built, and loads."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from PySide6.QtCore import QTranslator

from views.app_setup import TRANSLATIONS


def test_every_message_is_translated():
    tree = ET.parse(TRANSLATIONS / "hall_zh_CN.ts")
    messages = list(tree.getroot().iter("message"))
    assert len(messages) > 100
    unfinished = [
        m.findtext("source")
        for m in messages
        if m.find("translation") is None
        or m.find("translation").get("type") in ("unfinished", "obsolete", "vanished")
        or not (m.findtext("translation") or "").strip()
    ]
    assert unfinished == []


def test_qm_is_present_and_loads(qapp):
    qm = TRANSLATIONS / "hall_zh_CN.qm"
    assert qm.is_file()
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.translate("Status", "New") == "新事件"
    assert translator.translate("Connection", "Live") == "实时"
