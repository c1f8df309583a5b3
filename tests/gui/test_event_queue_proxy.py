"""The queue's proxy against a plain-Python reference: live batches, sorts and filters give the
right rows in the right order, every change passes Qt's model tester, and selection survives.

The events are the reference backend's simulated Liangxi events; no server is needed here
because nothing crosses the network — the store is fed live messages directly.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QAbstractItemModelTester

from backend.catalog_data import build_catalog
from backend.simulator.generator import EventGenerator
from console.flow import running_deadline
from console.queue_index import QueueFilter
from console.schema import CST, OPEN_STATUSES, STATUSES, Catalog, Event, LiveMessage
from console.store import EventStore
from views.event_queue_model import Column, EventIdRole, EventQueueModel, EventQueueProxy
from views.labels import source_name

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=CST)


class Feed:
    """Makes live batches of new and changed events, as the backend would send them."""

    def __init__(self, store: EventStore, seed: int) -> None:
        self.store = store
        self.rng = random.Random(seed)
        self.generator = EventGenerator(seed)
        self.seq = 0
        self.made = 0

    def new(self) -> Event:
        self.made += 1
        data = self.generator.make(self.made, NOW - timedelta(minutes=self.rng.randrange(600)))
        return Event.model_validate(data)

    def changed(self, event: Event) -> Event:
        change = self.rng.choice(("status", "title", "level", "status"))
        update: dict = {"version": event.version + 1}
        if change == "status":
            update["status"] = self.rng.choice(STATUSES)
        elif change == "title":
            update["title"] = event.title + self.rng.choice(("（续）", "·复查", " A"))
        else:
            update["level"] = self.rng.randint(1, 4)
        return event.model_copy(update=update)

    def batch(self, new: int, changed: int) -> list[LiveMessage]:
        events = [self.new() for _ in range(new)]
        known = self.store.events()
        events += [self.changed(self.rng.choice(known)) for _ in range(min(changed, len(known)))]
        messages = []
        for event in events:
            self.seq += 1
            event = event.model_copy(update={"seq": self.seq})
            message = LiveMessage(seq=self.seq, type="event.upsert", at=NOW, data={})
            message.attach_event(event)
            messages.append(message)
        return messages


def expected_ids(store: EventStore, column: Column, descending: bool, statuses, text: str,
                 names) -> list[tuple]:
    """The reference: filter and sort in plain Python; returns (key, id) in display order."""
    categories, streets = names["category"], names["street"]

    def key(event: Event):
        street = event.location.street_id or ""
        if column == Column.LEVEL:
            return float(event.level)
        if column == Column.CATEGORY:
            return categories.get(event.category, event.category)
        if column == Column.TITLE:
            return event.title
        if column == Column.SOURCE:
            return source_name(event.source)
        if column == Column.STREET:
            return streets.get(street, street)
        if column == Column.REPORTED:
            return event.reported_at.timestamp()
        if column == Column.STATUS:
            return float(STATUSES.index(event.status))
        deadline = running_deadline(event)
        return deadline[1].timestamp() if deadline else float("inf")

    def haystack(event: Event) -> str:
        # Fields apart: a search matches inside one field, never across two.
        street = event.location.street_id or ""
        return "\n".join((event.id, categories.get(event.category, event.category), event.title,
                          source_name(event.source), streets.get(street, street),
                          names["status"][event.status], event.location.address,
                          event.description)).casefold()

    shown = [e for e in store.events()
             if (statuses is None or e.status in statuses)
             and (not text or text.casefold() in haystack(e))]
    shown.sort(key=key, reverse=descending)
    return [(key(e), e.id) for e in shown]


def shown(proxy: EventQueueProxy, column: Column, store: EventStore) -> list[str]:
    return [proxy.index(row, 0).data(EventIdRole) for row in range(proxy.rowCount())]


@pytest.fixture
def queue(qapp):
    store = EventStore()
    store.set_catalog(Catalog.model_validate(build_catalog()))
    model = EventQueueModel(store)
    model.on_catalog()
    proxy = EventQueueProxy()
    proxy.setSourceModel(model)

    def apply(messages):
        first = len(store)
        store.apply_batch(messages)
        if len(store) > first:
            model.on_rows_inserted(first, len(store) - first)
        rows = sorted({store.row_of(m.event.id) for m in messages} - set(range(first, len(store))))
        if rows:
            model.on_rows_updated(rows)

    return store, model, proxy, apply


@pytest.mark.parametrize("column", list(Column))
@pytest.mark.parametrize("descending", [False, True])
def test_live_batches_keep_the_same_order_as_a_full_sort(queue, column, descending):
    store, model, proxy, apply = queue
    feed = Feed(store, seed=int(column) * 2 + descending)
    apply(feed.batch(new=200, changed=0))
    proxy.sort(int(column), Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
    statuses = OPEN_STATUSES
    for step in range(12):
        apply(feed.batch(new=feed.rng.randrange(0, 40), changed=feed.rng.randrange(0, 40)))
        if step == 6:
            statuses = None
            proxy.set_status_filter(EventQueueProxy.ALL)
        expected = expected_ids(store, column, descending, statuses, "", model.names())
        got = shown(proxy, column, store)
        assert len(got) == len(expected)
        # Ties may come in any order; the keys must be in order and the rows the same.
        by_id = dict((event_id, key) for key, event_id in expected)
        assert [by_id[event_id] for event_id in got] == [key for key, _ in expected]
        assert set(got) == set(by_id)


def test_text_and_status_filters_match_the_reference(queue):
    store, model, proxy, apply = queue
    feed = Feed(store, seed=7)
    apply(feed.batch(new=300, changed=100))
    for status, statuses in (("all", None), ("open", OPEN_STATUSES), ("closed", {"closed"})):
        proxy.set_status_filter(status)
        for text in ("", "中山路", "ev-", "12345", "清名桥"):
            proxy.set_text_filter(text)
            expected = expected_ids(store, Column.REPORTED, True, statuses, text, model.names())
            assert sorted(shown(proxy, Column.REPORTED, store)) == sorted(i for _, i in expected)
            # New rows that match the search appear in place; others stay out.
            apply(feed.batch(new=10, changed=10))
            expected = expected_ids(store, Column.REPORTED, True, statuses, text, model.names())
            assert sorted(shown(proxy, Column.REPORTED, store)) == sorted(i for _, i in expected)


def test_selection_follows_an_event_that_moves(queue, qtbot):
    from PySide6.QtWidgets import QTableView

    store, model, proxy, apply = queue
    feed = Feed(store, seed=11)
    apply(feed.batch(new=100, changed=0))
    proxy.set_status_filter(EventQueueProxy.ALL)
    proxy.sort(int(Column.STATUS), Qt.SortOrder.AscendingOrder)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    chosen = proxy.index(10, 0)
    chosen_id = chosen.data(EventIdRole)
    view.selectionModel().setCurrentIndex(
        chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    event = store.get(chosen_id)
    moved = event.model_copy(update={"status": "closed", "version": event.version + 1})
    feed.seq += 1
    message = LiveMessage(seq=feed.seq, type="event.upsert", at=NOW, data={})
    message.attach_event(moved.model_copy(update={"seq": feed.seq}))
    apply([message] + feed.batch(new=20, changed=20))
    current = view.selectionModel().currentIndex()
    assert current.data(EventIdRole) == chosen_id
    assert view.selectionModel().isRowSelected(current.row())
    assert current.row() != 10  # it really moved (closed sorts last)


def test_every_change_passes_the_model_tester(queue):
    """Qt's own checker (row counts, indexes, signals in the right order) on every change."""
    store, model, proxy, apply = queue
    tester = QAbstractItemModelTester(proxy, QAbstractItemModelTester.FailureReportingMode.Fatal)
    feed = Feed(store, seed=3)
    apply(feed.batch(new=30, changed=0))
    for column in Column:
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            proxy.sort(int(column), order)
            apply(feed.batch(new=3, changed=6))
    proxy.set_status_filter(EventQueueProxy.ALL)
    proxy.set_text_filter("路")
    apply(feed.batch(new=5, changed=5))
    assert tester is not None and proxy.rowCount() > 0


def test_row_tints_follow_a_new_catalog_after_a_reset(queue):
    """Cached row colours are dropped when a resync brings a catalog with other level colours."""
    from PySide6.QtGui import QColor

    store, model, proxy, apply = queue
    apply(Feed(store, seed=5).batch(new=20, changed=0))
    level = store.event_at(0).level
    before = QColor(model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole))
    recoloured = build_catalog()
    for entry in recoloured["levels"]:
        entry["color"] = "#00ff00"
    store.set_catalog(Catalog.model_validate(recoloured))
    store.replace_all(store.events(), store.last_seq)
    model.on_reset()
    after = QColor(model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole))
    assert store.event_at(0).level == level
    assert after != before and after.green() > before.green()


def _passes(event: Event, f: QueueFilter, now: datetime, names) -> bool:
    """The reference of `QueueFilter` on one event."""
    street = event.location.street_id or ""
    deadline = running_deadline(event)
    texts = (event.id, event.title, event.location.address, event.description,
             names["category"].get(event.category, event.category), names["street"].get(street, street),
             source_name(event.source), names["status"][event.status])
    needle = f.text.strip().casefold()
    return ((f.statuses is None or event.status in f.statuses)
            and (f.levels is None or event.level in f.levels)
            and (f.sources is None or event.source in f.sources)
            and (f.streets is None or street in f.streets)
            and (f.categories is None or event.category in f.categories)
            and (not f.overdue or (deadline is not None and deadline[1] < now))
            and (not needle or any(needle in text.casefold() for text in texts)))


def test_set_queue_filter_with_combined_filters_matches_the_reference(queue):
    store, model, proxy, apply = queue
    tester = QAbstractItemModelTester(proxy, QAbstractItemModelTester.FailureReportingMode.Fatal)
    feed = Feed(store, seed=13)
    apply(feed.batch(new=400, changed=0))
    model.tick_sla(NOW)
    proxy.sort(int(Column.LEVEL), Qt.SortOrder.AscendingOrder)
    safety = frozenset(c.code for c in store.catalog.categories
                       if c.code == "safety" or c.parent == "safety")
    filters = [
        QueueFilter(levels=frozenset({1, 2})),
        QueueFilter(statuses=None, sources=frozenset({"hotline_12345", "grid"}), text="路"),
        QueueFilter(streets=frozenset({"chonganshi", "qingmingqiao"}), levels=frozenset({2, 3})),
        QueueFilter(statuses=None, categories=safety, overdue=True),
        QueueFilter(levels=frozenset({1, 2, 3}), overdue=True, text="梁溪"),
    ]
    for queue_filter in filters:
        proxy.set_queue_filter(queue_filter)
        assert proxy.queue_filter() == queue_filter
        for _ in range(2):
            expected = {e.id for e in store.events() if _passes(e, queue_filter, NOW, model.names())}
            got = shown(proxy, Column.LEVEL, store)
            assert len(got) == len(expected) and set(got) == expected
            levels = [store.get(event_id).level for event_id in got]
            assert levels == sorted(levels)
            apply(feed.batch(new=20, changed=30))
    # The old single-purpose setters change their part only.
    proxy.set_status_filter("closed")
    proxy.set_text_filter(" 梁溪 ")
    assert proxy.queue_filter() == replace(filters[-1], statuses=frozenset({"closed"}), text="梁溪")
    assert tester is not None


def test_overdue_rows_come_in_as_the_clock_ticks_and_selection_stays(queue, qtbot):
    from PySide6.QtWidgets import QTableView

    store, model, proxy, apply = queue
    tester = QAbstractItemModelTester(proxy, QAbstractItemModelTester.FailureReportingMode.Fatal)
    apply(Feed(store, seed=17).batch(new=300, changed=0))
    start = NOW - timedelta(hours=10)
    model.tick_sla(start)
    proxy.set_queue_filter(QueueFilter(statuses=None, overdue=True))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    resets, inserted = [], []
    proxy.modelReset.connect(lambda: resets.append(1))
    proxy.rowsInserted.connect(lambda _p, first, last: inserted.append(last - first + 1))
    chosen_id = None
    clock = start
    for _ in range(40):
        clock += timedelta(minutes=20)
        model.tick_sla(clock)
        expected = {e.id for e in store.events()
                    if _passes(e, proxy.queue_filter(), clock, model.names())}
        assert set(shown(proxy, Column.SLA, store)) == expected
        if chosen_id is None and proxy.rowCount():
            chosen = proxy.index(0, 0)
            chosen_id = chosen.data(EventIdRole)
            view.selectionModel().setCurrentIndex(
                chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
    assert resets == [] and sum(inserted) == proxy.rowCount() > 50
    assert view.selectionModel().currentIndex().data(EventIdRole) == chosen_id
    # The clock going back takes rows out again, as removals.
    model.tick_sla(start + timedelta(hours=2))
    expected = {e.id for e in store.events()
                if _passes(e, proxy.queue_filter(), start + timedelta(hours=2), model.names())}
    assert set(shown(proxy, Column.SLA, store)) == expected
    assert resets == [] and tester is not None
