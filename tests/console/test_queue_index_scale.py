"""QueueIndex at 100,000 events against a plain-Python reference: every filter alone and
combined, every sort both ways, live inserts and updates moving rows in, out and around, and
the overdue filter as deadlines pass. The reference breaks ties as the index does: ascending
by (key, store row), a descending sort being the exact reverse.

The index is driven the way the Qt proxy drives it (views/event_queue_model.py), without Qt.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

import numpy as np
import pytest

from backend.catalog_data import build_catalog
from backend.simulator.generator import EventGenerator
from console.flow import running_deadline
from console.queue_index import SORT_KEYS, QueueFilter, QueueIndex
from console.schema import CST, STATUSES, Catalog, Event, EventSla
from console.sort_keys import TitleKeys
from console.store import EventStore

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=CST)
EVENTS = 100_000
CATALOG = Catalog.model_validate(build_catalog())
STATUS_NAMES = {"new": "新事件", "acknowledged": "已受理", "dispatched": "已派遣", "signed": "已签收",
                "on_site": "已到场", "resolved": "已办结", "closed": "已关闭", "returned": "已退回",
                "reopened": "已重启"}
NAMES = {
    "category": {c.code: c.name for c in CATALOG.categories},
    # One street left out: its events sort and search by the id itself.
    "street": {s.id: s.name for s in CATALOG.streets if s.id != "huishan"},
    "source": {s.code: s.name for s in CATALOG.sources if not isinstance(s, str)},
    "status": STATUS_NAMES,
}


class Maker:
    """Events made fast: a few hundred simulated ones as templates, copied with other ids,
    times, statuses, levels, streets and titles."""

    def __init__(self, seed: int) -> None:
        self.rng = rng = random.Random(seed)
        generator = EventGenerator(seed)
        self.bases = [Event.model_validate(generator.make(n, NOW)) for n in range(1, 301)]
        self.no_street = [b.location.model_copy(update={"street_id": None}) for b in self.bases]
        # Report times over three days, each with its deadlines (5 % without any).
        self.times = []
        for _ in range(5000):
            reported = NOW - timedelta(seconds=rng.randrange(3 * 86400))
            sla = EventSla() if rng.random() < 0.05 else EventSla(
                sign_due=reported + timedelta(minutes=rng.choice((15, 30, 60))),
                resolve_due=reported + timedelta(hours=rng.choice((4, 24, 72))))
            self.times.append((reported, sla))
        self.made = 0
        self.seq = 0

    def new(self) -> Event:
        rng = self.rng
        self.made += 1
        self.seq += 1
        pick = rng.randrange(len(self.bases))
        base = self.bases[pick]
        reported, sla = self.times[rng.randrange(len(self.times))]
        update = {
            "id": f"EV-{self.made:07d}", "seq": self.seq, "reported_at": reported,
            "updated_at": reported, "status": STATUSES[rng.randrange(len(STATUSES))],
            "level": rng.randrange(1, 5), "sla": sla,
            "title": base.title if rng.random() < 0.5 else f"{base.title}{self.made % 997}",
        }
        if rng.random() < 0.03:
            update["location"] = self.no_street[pick]
        return base.model_copy(update=update)

    def changed(self, event: Event) -> Event:
        self.seq += 1
        change = self.rng.choice(("status", "status", "level", "title", "sla"))
        update: dict = {"seq": self.seq, "version": event.version + 1}
        if change == "status":
            update["status"] = self.rng.choice(STATUSES)
        elif change == "level":
            update["level"] = self.rng.randint(1, 4)
        elif change == "title":
            update["title"] = event.title + self.rng.choice(("（续）", "·复查", " A", ""))
        else:
            update["sla"] = EventSla(sign_due=NOW + timedelta(minutes=self.rng.randrange(-90, 90)))
        return event.model_copy(update=update)


class Reference:
    """The plain-Python answer, from one record per store row: the filter fields, the sort
    key of every column (display names for the text columns) and the searchable texts."""

    def __init__(self) -> None:
        self.records: list[tuple] = []
        self._sorted: dict[str, list[int]] = {}  # all rows by (key, row), until a read

    def read(self, first_row: int, events: list[Event]) -> None:
        for row, e in enumerate(events, first_row):
            street = e.location.street_id or ""
            deadline = running_deadline(e)
            due = deadline[1].timestamp() if deadline else float("inf")
            keys = {
                "level": e.level,
                "category": NAMES["category"].get(e.category, e.category),
                "title": e.title,
                "source": NAMES["source"].get(e.source, e.source),
                "street": NAMES["street"].get(street, street),
                "reported": e.reported_at.timestamp(),
                "status": STATUSES.index(e.status),
                "sla": due,
            }
            names = (keys["category"], keys["street"], keys["source"],
                     NAMES["status"].get(e.status, e.status))
            # Fields apart: a needle (never a line break) cannot match across two of them.
            texts = "\n".join((e.id, e.title, e.location.address, e.description, *names))
            record = (e.level, e.status, e.category, e.source, street, due, keys,
                      texts.casefold())
            if row == len(self.records):
                self.records.append(record)
            else:
                self.records[row] = record
        self._sorted.clear()

    def order(self, f: QueueFilter, sort_key: str, descending: bool, now: float) -> list[int]:
        records = self.records
        rows = range(len(records))
        for field, allowed in enumerate((f.levels, f.statuses, f.categories, f.sources,
                                         f.streets)):
            if allowed is not None:
                rows = [row for row in rows if records[row][field] in allowed]
        if f.overdue:
            rows = [row for row in rows if records[row][5] < now]
        needle = f.text.strip().casefold()
        if needle:
            rows = [row for row in rows if needle in records[row][7]]
        if sort_key not in self._sorted:
            self._sorted[sort_key] = [row for _key, row in sorted(
                (record[6][sort_key], row) for row, record in enumerate(records))]
        shown = set(rows)
        ordered = [row for row in self._sorted[sort_key] if row in shown]
        return ordered[::-1] if descending else ordered


class Queue:
    """A store, its index and the reference, driven like the Qt proxy drives the index."""

    def __init__(self, maker: Maker) -> None:
        self.maker = maker
        self.store = EventStore()
        self.index = QueueIndex(self.store, lambda: NAMES, NOW)
        self.store.sig_reset.connect(self.index.refresh_all)
        self.reference = Reference()
        self.now = NOW.timestamp()

    def load(self, count: int) -> None:
        events = [self.maker.new() for _ in range(count)]
        self.store.replace_all(events, self.maker.seq)
        self.reference.read(0, events)

    def insert(self, count: int) -> None:
        first = len(self.store)
        events = [self.maker.new() for _ in range(count)]
        self.store.upsert(events)
        for display, rows in self.index.appended(first, count):
            self.index.insert_run(display, rows)
        self.reference.read(first, events)

    def update(self, rows: list[int], moves_one_by_one: bool = True) -> None:
        rows = sorted(set(rows))
        events = [self.maker.changed(self.store.event_at(row)) for row in rows]
        self.store.upsert(events)
        index = self.index
        stay, leave, move, enter = index.updated(rows)
        for row in leave.tolist():
            index.remove(row)
        if moves_one_by_one:
            for row in move.tolist():
                index.remove(row)
                ((display, _rows),) = index.plan_enter([row])
                index.insert_run(display, np.array([row]))
        else:
            index.resort()
        for display, run in index.plan_enter(enter.tolist()):
            index.insert_run(display, run)
        for row, event in zip(rows, events, strict=True):
            self.reference.read(row, [event])

    def set_now(self, now: datetime) -> None:
        leave, enter = self.index.set_now(now)
        for row in leave.tolist():
            self.index.remove(row)
        for display, run in self.index.plan_enter(enter.tolist()):
            self.index.insert_run(display, run)
        self.now = now.timestamp()

    def check(self) -> None:
        index = self.index
        expected = self.reference.order(index.filter, index.sort_key, index.descending, self.now)
        got = index.shown_rows().tolist()
        assert len(got) == len(expected)
        assert got == expected
        assert len(index) == len(expected)
        for display in range(0, len(expected), max(1, len(expected) // 40)):
            row = expected[display]
            assert index.store_row(display) == row
            assert index.display_row(row) == display


@pytest.fixture(scope="module")
def queue() -> Queue:
    queue = Queue(Maker(seed=23))
    queue.load(EVENTS)
    return queue


def _categories(*parents: str) -> frozenset[str]:
    return frozenset(c.code for c in CATALOG.categories if c.parent in parents or c.code in parents)


FILTERS = [
    QueueFilter(statuses=None),
    QueueFilter(),
    QueueFilter(statuses=frozenset({"closed"})),
    QueueFilter(statuses=None, levels=frozenset({1})),
    QueueFilter(statuses=None, sources=frozenset({"grid", "iot"})),
    QueueFilter(statuses=None, streets=frozenset({"chonganshi", "huishan", ""})),
    QueueFilter(statuses=None, categories=_categories("safety")),
    QueueFilter(statuses=None, overdue=True),
    QueueFilter(statuses=None, text="梁溪"),
    QueueFilter(statuses=None, text="EV-00012"),
    QueueFilter(statuses=None, text="  井盖 "),
    QueueFilter(statuses=None, text="huishan"),  # the unnamed street's id, as its name
    QueueFilter(statuses=None, text="12345"),  # a source name
    QueueFilter(statuses=None, text="已办"),  # a status name
    QueueFilter(statuses=None, text="zzz"),
    QueueFilter(levels=frozenset({1, 2})),  # the saved "open level 1–2"
    QueueFilter(levels=frozenset({1, 2, 3}), sources=frozenset({"hotline_12345"}),
                streets=frozenset({"qingmingqiao", "nanchansi"}), text="路"),
    QueueFilter(categories=_categories("urban", "safety"), overdue=True, text="区"),
]


@pytest.mark.parametrize("queue_filter", FILTERS, ids=lambda f: repr(f)[12:70])
def test_each_filter_matches_the_reference(queue, queue_filter):
    queue.index.set_sort("reported", True)
    queue.index.set_filter(queue_filter)
    queue.check()


@pytest.mark.parametrize("sort_key", SORT_KEYS)
def test_each_sort_both_ways_matches_the_reference(queue, sort_key):
    queue.index.set_filter(QueueFilter(statuses=None) if SORT_KEYS.index(sort_key) % 2
                           else QueueFilter(levels=frozenset({2, 3})))
    for descending in (False, True):
        queue.index.set_sort(sort_key, descending)
        queue.check()


@pytest.mark.parametrize("sort_key", SORT_KEYS)
def test_live_inserts_and_updates_keep_the_reference_order(queue, sort_key):
    rng = random.Random(sort_key)
    descending = SORT_KEYS.index(sort_key) % 2 == 0
    queue.index.set_filter(QueueFilter(levels=frozenset({1, 2, 3}), text="区"))
    queue.index.set_sort(sort_key, descending)
    queue.insert(rng.randrange(50, 400))
    queue.check()
    # Old rows and the rows just added change; half the sorts re-sort instead of moving.
    rows = rng.sample(range(len(queue.store)), 300) + list(range(len(queue.store) - 40,
                                                                 len(queue.store)))
    queue.update(rows, moves_one_by_one=not descending)
    queue.check()


def test_overdue_rows_come_in_as_deadlines_pass_and_go_when_the_clock_goes_back(queue):
    queue.index.set_sort("sla", False)
    queue.set_now(NOW)
    queue.index.set_filter(QueueFilter(overdue=True))
    queue.check()
    shown = len(queue.index)
    for minutes in (1, 5, 30, 90):
        queue.set_now(NOW + timedelta(minutes=minutes))
        queue.check()
    assert len(queue.index) > shown
    queue.insert(200)
    queue.update(random.Random(5).sample(range(len(queue.store)), 200))
    queue.check()
    queue.set_now(NOW - timedelta(minutes=45))
    queue.check()
    queue.set_now(NOW)
    queue.check()


def test_every_filter_change_through_a_live_session_keeps_matching(queue):
    """Filters switched between live batches: the columns the batches wrote are read right."""
    rng = random.Random(99)
    queue.index.set_sort("category", True)
    for queue_filter in FILTERS[::3]:
        queue.index.set_filter(replace(queue_filter, text=""))
        queue.insert(rng.randrange(10, 100))
        queue.update(rng.sample(range(len(queue.store)), 100))
        queue.check()
        queue.index.set_filter(queue_filter)
        queue.check()


def test_new_names_re_sort_without_re_reading_and_a_replaced_store_is_re_read():
    queue = Queue(Maker(seed=3))
    queue.load(3000)
    names = dict(NAMES)
    index = QueueIndex(queue.store, lambda: names, NOW)
    index.set_filter(QueueFilter(statuses=None, text="阿崇"))
    index.set_sort("street", False)
    assert len(index) == 0
    read = []
    event_at = queue.store.event_at
    queue.store.event_at = lambda row: read.append(row) or event_at(row)
    try:
        names["street"] = dict(NAMES["street"], chonganshi="阿崇安寺")  # now first of all names
        index.refresh_all()
    finally:
        del queue.store.event_at
    assert read == []
    shown = [queue.reference.records[index.store_row(i)][4] for i in (0, len(index) - 1)]
    assert shown == ["chonganshi", "chonganshi"]
    generation = queue.store.generation
    queue.store.replace_all(queue.store.events()[:1000], queue.maker.seq)
    assert queue.store.generation == generation + 1
    index.set_filter(QueueFilter(statuses=None))
    index.refresh_all()
    assert len(index) == 1000


def test_title_keys_renumber_when_a_gap_is_used_up_and_keep_the_order():
    keys = TitleKeys()
    titles = ["T0", "T1", "A", "Z"]
    column = keys.keys(titles)
    assert keys.take_remaps() == []
    wedge = "T0"
    for _ in range(80):  # each new title goes between the last one and "T1": the gap halves
        wedge += "0"
        new_key = keys.keys([wedge])
        for renumbering in keys.take_remaps():
            column = TitleKeys.remap(column, renumbering)
        column = np.concatenate((column, new_key))
        titles.append(wedge)
    by_key = [titles[i] for i in np.argsort(column, kind="stable")]
    assert by_key == sorted(titles)
    assert len(set(column.tolist())) == len(titles)
    assert keys.keys(["T1"])[0] == column[1]


def test_the_search_buffer_matches_python_through_changes_and_compaction():
    from console.search_buffer import SearchBuffer

    rng = random.Random(8)
    words = ["梁溪区", "中山路", "井盖", "EV-2026", "ß", "Straße", "a", "路灯", "", "x" * 700]
    texts = ["\n".join(rng.choice(words) for _ in range(4)) for _ in range(3000)]
    buffer = SearchBuffer()
    buffer.set(np.arange(2000), texts[:2000])
    buffer.set(np.arange(2000, 3000), texts[2000:])
    for _ in range(6):  # rewrites: old text left behind, compacted when it outweighs the rest
        rows = np.array(sorted(rng.sample(range(3000), 900)))
        new = ["\n".join(rng.choice(words) for _ in range(4)) for _ in rows]
        for row, text in zip(rows.tolist(), new, strict=True):
            texts[row] = text
        buffer.set(rows, new)
    assert buffer._used < 2 * buffer._live + (1 << 20)
    some = np.array(sorted(rng.sample(range(3000), 50)))
    for needle in ("梁溪", "中山路井", "ev-2026", "STRASSE", "ss", "路", "xxxxx", "zz", "x\n梁"):
        expected = np.array([needle.casefold() in t.casefold() for t in texts])
        assert (buffer.contains(needle) == expected).all(), needle
        assert (buffer.contains(needle, some) == expected[some]).all(), needle
