"""EventStore: batches in, one signal per kind per batch out, newer seq wins."""

from __future__ import annotations

import time

from console_helpers import AT, message

from console.schema import Event, LiveMessage
from console.store import EventStore


def _record(store: EventStore) -> list[tuple]:
    seen: list[tuple] = []
    store.sig_inserted.connect(lambda first, count: seen.append(("inserted", first, count)))
    store.sig_updated.connect(lambda rows: seen.append(("updated", rows)))
    store.sig_reset.connect(lambda: seen.append(("reset",)))
    store.sig_seq.connect(lambda seq: seen.append(("seq", seq)))
    store.sig_other.connect(lambda msgs: seen.append(("other", [m.seq for m in msgs])))
    return seen


def test_a_batch_of_new_events_is_one_insert_signal():
    store = EventStore()
    seen = _record(store)
    store.apply_batch([message(s) for s in range(1, 251)])
    assert len(store) == 250
    assert seen == [("inserted", 0, 250), ("seq", 250)]
    assert store.event_at(0).id == "E000001"
    assert store.row_of("E000250") == 249
    assert store.get("E000100").seq == 100
    assert store.last_seq == 250


def test_updates_replace_in_place_and_are_one_update_signal():
    store = EventStore()
    store.apply_batch([message(1, "A"), message(2, "B"), message(3, "C")])
    seen = _record(store)
    store.apply_batch([message(4, "C", version=2, status="acknowledged"),
                       message(5, "D"),
                       message(6, "A", version=2),
                       message(7, "D", version=2),  # inserted by this batch: no update signal
                       message(8, "C", version=3, status="dispatched")])
    assert [store.event_at(r).id for r in range(len(store))] == ["A", "B", "C", "D"]
    assert store.get("C").status == "dispatched" and store.get("C").version == 3
    assert store.get("D").version == 2
    assert seen == [("inserted", 3, 1), ("updated", [0, 2]), ("seq", 8)]


def test_an_older_copy_never_overwrites_a_newer_one():
    store = EventStore()
    store.apply_batch([message(10, "A", version=3, status="dispatched")])
    seen = _record(store)
    stale = Event.model_validate(message(4, "A", version=1).data)
    store.upsert([stale])
    assert store.get("A").version == 3
    assert seen == []
    newer = Event.model_validate(message(11, "A", version=4, status="signed").data)
    store.upsert([newer])
    assert store.get("A").status == "signed"
    assert seen == [("updated", [0])]
    assert store.last_seq == 10  # REST results do not move the live seq


def test_other_durable_messages_go_out_through_sig_other():
    store = EventStore()
    seen = _record(store)
    unit = LiveMessage.model_validate({"seq": 2, "type": "unit.position", "at": AT,
                                       "data": {"unit_id": "U1", "position": [120.3, 31.5]}})
    beat = LiveMessage.model_validate({"seq": 2, "type": "heartbeat", "at": AT,
                                       "data": {"last_seq": 2}})
    store.apply_batch([message(1), unit, beat])
    assert seen == [("inserted", 0, 1), ("other", [2]), ("seq", 2)]


def test_a_message_without_an_attached_event_is_validated_or_skipped():
    store = EventStore()
    plain = LiveMessage.model_validate(
        {"seq": 1, "type": "event.upsert", "at": AT, "data": message(1, "X").data})
    broken = LiveMessage.model_validate(
        {"seq": 2, "type": "event.upsert", "at": AT, "data": {"id": "Y"}})
    store.apply_batch([plain, broken, message(3, "Z")])
    assert [e.id for e in store.events()] == ["X", "Z"]
    assert store.last_seq == 3


def test_replace_all_and_merge():
    store = EventStore()
    store.apply_batch([message(1, "A"), message(2, "B")])
    seen = _record(store)
    fresh = [Event.model_validate(message(s, f"N{s}").data) for s in (5, 6)]
    store.replace_all(fresh, 6)
    assert [e.id for e in store.events()] == ["N5", "N6"]
    assert store.row_of("A") is None
    assert seen == [("reset",), ("seq", 6)]
    seen.clear()
    store.merge([Event.model_validate(message(9, "N5", version=2).data),
                 Event.model_validate(message(8, "M").data)], 9)
    assert seen == [("inserted", 2, 1), ("updated", [0]), ("seq", 9)]


def test_a_live_event_is_stored_as_its_frame_without_serialising(monkeypatch):
    """The GUI thread applies live batches: it must not serialise events (10-30 µs each)."""
    import console.store as store_module

    def refuse(*args, **kwargs):
        raise AssertionError("serialised on the applying thread")

    first = [message(1, "A"), message(2, "B", title="桥下积水")]
    second = [message(3, "A", version=2, status="acknowledged")]
    monkeypatch.setattr(store_module, "_to_json", refuse)
    monkeypatch.setattr(store_module.orjson, "dumps", refuse)
    store = EventStore(cache_size=1)
    store.apply_batch(first)
    store.apply_batch(second)
    store.event_at(1)  # pushes A out of the one-row cache: the next read decodes the frame
    assert store.get("A").status == "acknowledged" and store.get("A").version == 2
    assert store.get("B").title == "桥下积水" and store.get("B").seq == 2
    assert [e.id for e in store.events()] == ["A", "B"]


def test_a_prepared_load_is_installed_once_and_reads_back():
    import threading

    loaded = [Event.model_validate(message(s, f"P{s}").data) for s in range(1, 501)]
    prepared = []
    worker = threading.Thread(target=lambda: prepared.append(
        EventStore.prepare_load(loaded + [loaded[3]], 500)))  # a repeat is kept once
    worker.start()
    worker.join()
    store = EventStore(cache_size=2)
    store.apply_batch([message(1, "OLD")])
    seen = _record(store)
    read_during_reset = []
    store.sig_reset.connect(lambda: read_during_reset.append(store.event_at(499)))
    store.install(prepared[0])
    assert seen == [("reset",), ("seq", 500)]
    assert read_during_reset == [loaded[499]]
    assert len(store) == 500 and store.row_of("OLD") is None
    assert [store.event_at(row) for row in range(500)] == loaded
    import pytest

    with pytest.raises(RuntimeError):
        store.install(prepared[0])


def test_a_merge_with_documents_made_elsewhere():
    from console.store import encode_events

    store = EventStore(cache_size=1)
    store.apply_batch([message(1, "A")])
    merged = [Event.model_validate(message(s, f"M{s}").data) for s in (2, 3)]
    merged.append(Event.model_validate(message(4, "A", version=3, status="closed").data))
    store.merge(merged, 4, encode_events(merged))
    assert [e.id for e in store.events()] == ["A", "M2", "M3"]
    assert store.get("A").status == "closed" and store.last_seq == 4


def test_apply_throughput_with_100k_events_held():
    """Batches of 250, half new and half updates, with 100k events already held."""
    store = EventStore()
    store.apply_batch([message(s) for s in range(1, 100_001)])
    updates = 0
    store.sig_updated.connect(lambda rows: None)
    batches = []
    seq = 100_000
    for b in range(200):
        batch = []
        for i in range(250):
            seq += 1
            if i % 2:
                batch.append(message(seq, f"E{(b * 997 + i * 31) % 100_000 + 1:06d}", version=2))
                updates += 1
            else:
                batch.append(message(seq, f"N{seq}"))
        batches.append(batch)
    start = time.perf_counter()
    for batch in batches:
        store.apply_batch(batch)
    elapsed = time.perf_counter() - start
    print(f"store apply: {200 * 250 / elapsed:,.0f} events/s ({elapsed * 1000:.1f} ms for 50,000)")
    assert len(store) == 125_000
    assert store.last_seq == seq
    assert store.get("N100001").seq == 100_001
    assert store.get(f"E{(199 * 997 + 249 * 31) % 100_000 + 1:06d}").version == 2


def test_bulk_loaded_rows_read_back_exactly_and_leave_their_group_when_they_change():
    """A full load is kept compressed (console.cold_rows); every row reads back as it came,
    changed rows read their new copy, untouched neighbours still read right."""
    from console.cold_rows import GROUP

    loaded = [Event.model_validate(message(s, f"E{s:05d}", title=f"标题 {s}" * (s % 5)).data)
              for s in range(1, 3 * GROUP + 8)]
    store = EventStore(cache_size=4)
    store.replace_all(loaded, len(loaded))
    assert [store.event_at(row) for row in range(len(store))] == loaded
    assert store.get("E00040") == loaded[39] and store.row_of("E00040") == 39
    changed = [message(500 + r, f"E{r + 1:05d}", version=2, status="acknowledged")
               for r in range(GROUP, 2 * GROUP)]  # one whole group, then one more row
    store.apply_batch(changed + [message(600, "E00003", version=3, status="closed")])
    for row in range(len(store)):
        event = store.event_at(row)
        if GROUP <= row < 2 * GROUP:
            assert event.status == "acknowledged" and event.seq == 500 + row
        elif row == 2:
            assert event.status == "closed"
        else:
            assert event == loaded[row]
    assert store.events()[5] == loaded[5]


def test_a_large_merge_is_kept_compressed_too_and_ids_stay_unique():
    store = EventStore()
    store.apply_batch([message(s) for s in range(1, 11)])
    merged = [Event.model_validate(message(s, f"M{s}é").data) for s in range(11, 6011)]
    store.merge(merged + [Event.model_validate(message(6100, "E000004", version=2).data)], 6100)
    assert len(store) == 6010
    assert store.get("M5000é") == merged[5000 - 11]
    assert store.get("E000004").version == 2 and store.row_of("E000004") == 3
    assert store.row_of("M99999é") is None
    store.apply_batch([message(7000, "M11é", version=2)])
    assert store.get("M11é").version == 2 and len(store) == 6010


def test_the_id_table_finds_every_id_and_no_other():
    import random

    from console.id_table import IdTable

    table, known = IdTable(), {}
    rng = random.Random(4)
    table.reserve(3000)
    for n in range(20_000):
        event_id = rng.choice((f"EV-{rng.randrange(10**6)}", f"事件-{n}", str(n), ""))
        if event_id in known:
            assert table.get(event_id) == known[event_id]
            continue
        assert table.get(event_id) is None
        known[event_id] = table.add(event_id)
    assert all(table.get(k) == v for k, v in known.items())
    assert list(table) == list(known) and len(table) == len(known)
    assert table.get("EV-x") is None
