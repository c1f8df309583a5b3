"""The desk through an outage: the red band with the data's age, commands kept as pending on
their rows and sent when the link returns; a damaged cache is set aside and said so."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from offline_cache import OfflineCache
from tests.console.fault_proxy import FaultProxy
from tests.gui.conftest import sign_in

ARTIFACTS = "tests/artifacts"


@pytest.fixture
def link(backend):
    with FaultProxy(backend.url) as proxy:
        yield proxy


def _open_desk(qtbot, link, tmp_path, username="leader1"):
    from views.desk_app import DeskApp

    api, auth, dialog, invoker = sign_in(qtbot, SimpleNamespace(url=link.url), username)
    qtbot.waitUntil(lambda: dialog.user is not None, timeout=15000)
    dialog.wait_for_workers()
    cache, report = OfflineCache.open(tmp_path)
    app = DeskApp(api, auth, dialog.user, invoker, cache=cache, cache_report=report)
    app.start()
    qtbot.waitUntil(lambda: app.window.status.connection_state == "live", timeout=20000)
    return app, api, cache


def test_the_desk_keeps_working_through_an_outage(qtbot, backend, link, memory_keyring,
                                                  language, tmp_path):
    backend.sim_events(5, level=3)
    app, api, cache = _open_desk(qtbot, link, tmp_path)
    window = app.window
    try:
        qtbot.waitUntil(lambda: window.link.state == "online", timeout=10000)
        assert window.link_band.isHidden() and window.queue_age.isHidden()
        event = app.store.event_at(len(app.store) - 1)
        assert event.status == "new"

        link.refuse(existing=True)
        app.session.acknowledge(event.id)
        qtbot.waitUntil(lambda: window.link.state == "offline", timeout=15000)
        qtbot.waitUntil(lambda: window.link.pending == 1, timeout=5000)
        band = window.link_band.text()
        assert window.link_band.isVisible() and window.link_band.tone == "alarm"
        assert band.startswith("离线 · 数据截至 ") and band.endswith("1 条指令待同步"), band
        assert window.queue_age.isVisible() and window.queue_age.text().startswith("数据截至")
        row = window.queue.model.row_of(event.id)
        status = window.queue.model.cell_data(row, 6, 0)
        assert status.endswith("⇡1"), status
        assert [r.event_id for r in cache.outbox()] == [event.id]  # durable while offline
        window.resize(1600, 900)
        window.grab().save(f"{ARTIFACTS}/desk_offline.png")

        # A call to the hall while offline: the new event is kept, not lost in a spinner.
        from PySide6.QtCore import Qt
        dialog = window.open_new_event()
        qtbot.waitExposed(dialog)
        dialog.title_edit.insert("断网期间来电：燃气味")
        index = dialog.category_combo.findData("gas_safety", Qt.ItemDataRole.UserRole + 1)
        assert index >= 0
        dialog.category_combo.setCurrentIndex(index)
        dialog.address_edit.insert("崇安寺街道")
        queued: list[str] = []
        dialog.sig_queued.connect(queued.append)
        dialog.submit()
        assert queued and not dialog.isVisible(), dialog.result_label.text()
        assert "link returns" in window.status.currentMessage() or \
            "恢复" in window.status.currentMessage()
        qtbot.waitUntil(lambda: window.link.pending == 2, timeout=5000)
        assert window.link_band.text().endswith("2 条指令待同步")

        link.accept()
        qtbot.waitUntil(lambda: app.store.get(event.id).status == "acknowledged", timeout=30000)
        qtbot.waitUntil(lambda: window.link.pending == 0 and window.link.state == "online",
                        timeout=30000)
        assert any(e.title == "断网期间来电：燃气味" for e in app.store.events())
        assert window.link_band.isHidden()
        assert not window.queue.model.cell_data(row, 6, 0).endswith("⇡1")
        assert cache.outbox() == []
    finally:
        app.shutdown()
        cache.close()
        api.close()


def test_a_damaged_cache_is_set_aside_and_the_user_told(qtbot, backend, link, memory_keyring,
                                                       language, tmp_path):
    backend.sim_events(3, level=3)
    (tmp_path / "cache.db").write_bytes(b"this is not a database" * 500)
    app, api, cache = _open_desk(qtbot, link, tmp_path)
    try:
        notice = app.window.cache_notice
        assert notice.isVisible(), "the user must be told"
        assert "cache.db.broken-" in notice.text()
        assert list(tmp_path.glob("cache.db.broken-*")), "the damaged file is kept"
        qtbot.waitUntil(lambda: cache.event_count() == len(app.store) > 0, timeout=20000)
        app.window.grab().save(f"{ARTIFACTS}/desk_cache_notice.png")
    finally:
        app.shutdown()
        cache.close()
        api.close()
