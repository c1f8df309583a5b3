"""The statistics panel: shows the figures of the store it is given, follows its changes,
asks the queue for a figure's events on a click; a picture of it in both languages."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from backend.catalog_data import build_catalog
from backend.simulator.generator import EventGenerator
from console.queue_index import QueueFilter
from console.saved_filters import filter_from_dict, filter_to_dict
from console.schema import CST, OPEN_STATUSES, Catalog, Event
from console.store import EventStore
from tests.gui.conftest import ARTIFACTS, create_events
from views.statistics_panel import StatisticsPanel

CATALOG = Catalog.model_validate(build_catalog())
NOW = datetime(2026, 11, 24, 15, 30, tzinfo=CST)
HOUR = timedelta(hours=1)


def _event(n: int, status: str, *, source: str = "grid", category: str = "noise",
           street: str = "tongjiang", reported: datetime = NOW - 3 * HOUR,
           sign_due: datetime | None = None, signed: datetime | None = None,
           resolve_due: datetime | None = None, returns: int = 0, seq: int | None = None
           ) -> Event:
    timeline = [{"at": reported, "actor": "system", "action": "report"}]
    timeline += [{"at": reported + HOUR, "actor": "ecology", "action": "return"}] * returns
    lead = status not in ("new", "acknowledged")
    return Event.model_validate({
        "id": f"EV-{n:03d}", "seq": seq or n, "version": 1, "title": f"事件{n}",
        "category": category, "level": 3, "source": source, "status": status,
        "location": {"lon": 120.3, "lat": 31.58, "street_id": street},
        "reported_at": reported, "updated_at": reported + HOUR,
        "sla": {"sign_due": sign_due, "resolve_due": resolve_due},
        "assignments": [{"unit_id": "ecology", "role": "lead", "signed_at": signed,
                         "status": "signed" if signed else "sent"}] if lead else [],
        "timeline": timeline, "bounces": returns,
    })


def _small() -> list[Event]:
    """Six events of today: one closed, one overdue (sign-for missed), one signed in time,
    one sent back twice, two new; one of yesterday."""
    return [
        _event(1, "closed", sign_due=NOW - 2 * HOUR, signed=NOW - 2.5 * HOUR),
        _event(2, "dispatched", sign_due=NOW - HOUR, source="iot", category="gas_safety"),
        _event(3, "signed", sign_due=NOW - HOUR, signed=NOW - 1.5 * HOUR, street="guangyi"),
        _event(4, "returned", sign_due=NOW + HOUR, returns=2, source="hotline_12345"),
        _event(5, "new", category="gas_safety"),
        _event(6, "new", source="iot"),
        _event(7, "closed", reported=NOW - 30 * HOUR),
    ]


def _panel(qtbot, events: list[Event], now: datetime = NOW) -> tuple[EventStore, StatisticsPanel]:
    store = EventStore()
    store.set_catalog(CATALOG)
    panel = StatisticsPanel(store, clock=lambda: now)  # built before the load, as the desk does
    qtbot.addWidget(panel)
    store.upsert(events)
    panel.refresh()
    return store, panel


def _texts(panel: StatisticsPanel) -> dict[str, tuple[str, str]]:
    return {figure: (tile.value(), tile.detail()) for figure, tile in panel.tiles.items()}


@pytest.mark.parametrize("language", ["en"], indirect=True)
def test_the_panel_shows_the_figures_of_its_store(qtbot, language):
    store, panel = _panel(qtbot, _small())
    assert _texts(panel) == {
        "intake": ("6", "7 events held"),
        "closure": ("16.7 %", "1 of 6"),
        "sign_on_time": ("66.7 %", "2 of 3"),
        "resolve_on_time": ("—", "none due or met today"),
        "open": ("5", "in every status but closed"),
        "overdue": ("1", "sign-for 1 · resolve 0"),
        "returned": ("1", "waiting in the hall"),
        "returns": ("2", "returns by units"),
    }
    assert panel.tiles["overdue"].property("tone") == "alarm"
    assert panel.tiles["returned"].property("tone") == "warning"
    assert panel.bars["source"].rows()[:4] == [
        ("grid", "Grid governance", 3), ("iot", "IoT sensing", 2),
        ("hotline_12345", "12345 hotline", 1), ("city_mgmt", "Digital city management", 0)]
    assert panel.bars["category"].rows() == [("noise", "噪声扰民", 4),
                                             ("gas_safety", "燃气安全", 2)]
    assert panel.bars["street"].rows() == [("tongjiang", "通江街道", 5), ("guangyi", "广益街道", 1)]
    assert panel.as_of_label.text() == "2026-11-24 · as of 15:30:00"


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_no_events_no_rates(qtbot, language):
    _store, panel = _panel(qtbot, [])
    texts = _texts(panel)
    assert texts["intake"] == ("0", "共 0 件")
    for figure in ("closure", "sign_on_time", "resolve_on_time"):
        assert texts[figure][0] == "—"  # not "0 %": nothing to rate
    assert texts["closure"][1] == "今日无受理"
    assert panel.bars["category"].rows() == [] and panel.bars["street"].rows() == []
    assert panel.tiles["overdue"].property("tone") == ""


def test_the_panel_follows_the_store(qtbot, language):
    store, panel = _panel(qtbot, _small())
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.tiles["intake"].value() == "6"
    store.upsert([_event(8, "new", source="police_home"),
                  _event(2, "signed", sign_due=NOW - HOUR, signed=NOW - 0.5 * HOUR, seq=20)])
    # The core recomputes at most every couple of seconds; the panel shows it at its next tick.
    qtbot.waitUntil(lambda: panel.tiles["intake"].value() == "7", timeout=6000)
    assert panel.tiles["overdue"].value() == "0"
    assert panel.tiles["overdue"].property("tone") == ""
    assert {key: count for key, _label, count in panel.bars["source"].rows()}[
        "police_home"] == 1


def test_a_click_asks_the_queue_for_those_events(qtbot, language):
    _store, panel = _panel(qtbot, _small())
    panel.resize(1100, 620)
    panel.show()
    qtbot.waitExposed(panel)
    with qtbot.waitSignal(panel.sig_filter_requested, timeout=2000) as overdue:
        qtbot.mouseClick(panel.tiles["overdue"], Qt.MouseButton.LeftButton)
    assert overdue.args == [filter_to_dict(QueueFilter(statuses=OPEN_STATUSES, overdue=True))]
    assert filter_from_dict(overdue.args[0]).overdue

    panel.tiles["returned"].setFocus()
    with qtbot.waitSignal(panel.sig_filter_requested, timeout=2000) as returned:
        qtbot.keyClick(panel.tiles["returned"], Qt.Key.Key_Return)
    assert filter_from_dict(returned.args[0]) == QueueFilter(statuses=frozenset({"returned"}))

    bars = panel.bars["source"]
    row = [key for key, _label, _count in bars.rows()].index("iot")
    with qtbot.waitSignal(panel.sig_filter_requested, timeout=2000) as source:
        qtbot.mouseClick(bars, Qt.MouseButton.LeftButton, pos=bars.row_rect(row).center())
    assert filter_from_dict(source.args[0]) == QueueFilter(statuses=None,
                                                           sources=frozenset({"iot"}))
    street_bars = panel.bars["street"]
    with qtbot.waitSignal(panel.sig_filter_requested, timeout=2000) as street:
        qtbot.mouseClick(street_bars, Qt.MouseButton.LeftButton,
                         pos=street_bars.row_rect(1).center())
    assert filter_from_dict(street.args[0]).streets == frozenset({"guangyi"})

    # A rate has no queue filter: a click asks for nothing.
    asked = []
    panel.sig_filter_requested.connect(asked.append)
    qtbot.mouseClick(panel.tiles["closure"], Qt.MouseButton.LeftButton)
    categories = panel.bars["category"]  # two lines, room for five: below them is nothing
    qtbot.mouseClick(categories, Qt.MouseButton.LeftButton, pos=categories.row_rect(4).center())
    assert asked == [] and not panel.tiles["closure"].property("clickable")


def test_a_click_filters_the_desks_queue(qtbot, backend, make_desk):
    desk = make_desk("leader1")
    panel = StatisticsPanel(desk.app.store)
    qtbot.addWidget(panel)
    # What the desk does to host the panel: a click applies the filter to its queue.
    panel.sig_filter_requested.connect(
        lambda data: desk.queue.set_queue_filter(filter_from_dict(data)))
    ids = create_events(backend, 3, source="police_home")
    store = desk.app.store
    qtbot.waitUntil(lambda: all(store.get(i) is not None for i in ids), timeout=15000)
    panel.resize(1100, 620)
    panel.show()
    qtbot.waitExposed(panel)
    panel.refresh()
    bars = panel.bars["source"]
    row = [key for key, _label, _count in bars.rows()].index("police_home")
    assert bars.rows()[row][2] >= 3
    qtbot.mouseClick(bars, Qt.MouseButton.LeftButton, pos=bars.row_rect(row).center())
    police = sum(event.source == "police_home" for event in store.events())
    qtbot.waitUntil(lambda: desk.queue.proxy.rowCount() == police, timeout=5000)
    assert all(desk.queue.visible_row_of(i) is not None for i in ids)
    assert desk.queue.queue_filter().sources == frozenset({"police_home"})


def _realistic(count: int = 900) -> list[Event]:
    """Events made by the reference simulator over the last two days, moved on through the
    loop as a day at the hall would (a fixed seed, so the picture is the same every run)."""
    generator = EventGenerator(3)
    rng = random.Random(3)
    events = []
    for n in range(1, count + 1):
        reported = NOW - timedelta(minutes=rng.randrange(0, 40 * 60))
        data = generator.make(n, reported)
        sign_due = datetime.fromisoformat(data["sla"]["sign_due"])
        resolve_due = datetime.fromisoformat(data["sla"]["resolve_due"])
        age = NOW - reported
        roll = rng.random()
        status, signed, resolved, returned = "new", None, None, False
        if age > timedelta(minutes=20) and roll < 0.9:
            window = sign_due - reported
            signed = reported + window * (rng.uniform(0.1, 0.9) if rng.random() < 0.88
                                          else rng.uniform(1.1, 2.0))
            status = "signed"
            if rng.random() < 0.07:
                status, signed, returned = "returned", None, True
            elif signed < NOW and rng.random() < 0.75:
                resolved = signed + (resolve_due - signed) * rng.uniform(0.1, 1.15)
                if resolved < NOW:
                    status = "closed" if rng.random() < 0.6 else "resolved"
            if signed is not None and signed > NOW:
                signed, status = None, "dispatched"
        elif roll < 0.95:
            status = "acknowledged"
        timeline = data["timeline"]
        if status != "new" and status != "acknowledged":
            timeline.append({"at": (reported + timedelta(minutes=5)).isoformat(),
                             "actor": "leader1", "action": "dispatch"})
        if returned:
            timeline.append({"at": (reported + timedelta(minutes=12)).isoformat(),
                             "actor": "ecology", "action": "return"})
        if resolved is not None:
            timeline.append({"at": resolved.isoformat(), "actor": "ecology",
                             "action": "resolve"})
        if status not in ("new", "acknowledged"):
            data["assignments"] = [{"unit_id": "ecology", "role": "lead",
                                    "status": "signed" if signed else "sent",
                                    "signed_at": signed.isoformat() if signed else None}]
        stamps = [datetime.fromisoformat(t["at"]) for t in timeline]
        data.update(status=status, seq=n, bounces=int(returned),
                    updated_at=max(stamps + ([signed] if signed else [])).isoformat())
        events.append(Event.model_validate(data))
    return events


@pytest.mark.parametrize(("language", "name"), [("zh_CN", "statistics_panel.png"),
                                                 ("en", "statistics_panel_en.png")],
                         indirect=["language"])
def test_statistics_panel_screenshot(qtbot, language, name):
    _store, panel = _panel(qtbot, _realistic())
    panel.resize(1100, 620)
    panel.show()
    qtbot.waitExposed(panel)
    panel.refresh()
    qtbot.wait(100)
    stats = panel.shown
    assert stats.intake > 300 and stats.sign_on_time.whole and stats.top_streets
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    focused = panel.focusWidget()
    if focused is not None:
        focused.clearFocus()  # the picture shows no focus frame
    qtbot.wait(20)
    assert panel.grab().save(str(path))
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1100, 620)
    _assert_nothing_cut(panel)
    # In a narrow side dock: two tiles a row, the lists one under the other.
    panel.resize(460, 1140)
    qtbot.wait(50)
    assert panel.tiles["closure"].geometry().top() == panel.tiles["intake"].geometry().top()
    assert panel.tiles["sign_on_time"].geometry().top() > panel.tiles["intake"].geometry().top()
    assert panel.bars["street"].mapTo(panel, panel.bars["street"].rect().topLeft()).y() > \
        panel.bars["source"].mapTo(panel, panel.bars["source"].rect().bottomLeft()).y()
    _assert_nothing_cut(panel)
    if language == "zh_CN":
        assert panel.grab().save(str(ARTIFACTS / "statistics_panel_narrow.png"))


def _assert_nothing_cut(panel: StatisticsPanel) -> None:
    """Every tile and bar list gets the size it asks for, inside the panel; every text fits
    its label."""
    for widget in [*panel.tiles.values(), *panel.bars.values()]:
        assert widget.height() >= widget.sizeHint().height(), widget.accessibleName()
        assert widget.width() >= widget.minimumSizeHint().width(), widget.accessibleName()
        bottom = widget.mapTo(panel, widget.rect().bottomRight())
        assert bottom.y() < panel.height() and bottom.x() < panel.width()
    for tile in panel.tiles.values():
        for label in (tile.caption_label, tile.value_label, tile.detail_label):
            assert label.width() >= label.fontMetrics().horizontalAdvance(label.text()), \
                label.text()
