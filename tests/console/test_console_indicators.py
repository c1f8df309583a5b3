"""console.indicators.IndicatorBoard on its own: real indicators and samples, no backend."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import numpy as np
import pytest

from console.indicators import (
    HISTORY_HOURS,
    REARM_AFTER,
    IndicatorBoard,
    indicator_from_cache,
    series_arrays,
)
from console.schema import CST, Indicator, IndicatorSample, LiveMessage
from console.store import EventStore

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=CST)
E0 = T0.timestamp()


def _indicator(indicator_id: str, group: str = "operations", *, value: float | None = 10.0,
               state: str = "normal", at: datetime | None = T0, alarm: float = 100.0,
               warning: float = 80.0, direction: str = "above") -> Indicator:
    return Indicator.model_validate({
        "id": indicator_id, "name": f"指标 {indicator_id}", "group": group, "unit": "件",
        "value": value, "at": at, "state": state,
        "thresholds": {"warning": warning, "alarm": alarm, "direction": direction}})


def _sample(indicator_id: str, value: float, seconds: float, state: str = "normal"
            ) -> IndicatorSample:
    return IndicatorSample(id=indicator_id, value=value, at=T0 + timedelta(seconds=seconds),
                           state=state)


def _frame(seq: int, data: dict) -> LiveMessage:
    return LiveMessage(seq=seq, type="indicator.sample", at=T0, data=data)


class Heard:
    """What a board's signals said."""

    def __init__(self, board: IndicatorBoard) -> None:
        self.changed: list[list[str]] = []
        self.states: list[tuple[str, str, str]] = []  # (id, old, new)
        self.breaches: list[tuple[str, float]] = []  # (id, value)
        self.loads = 0
        board.sig_changed.connect(self.changed.append)
        board.sig_state.connect(lambda ind, old: self.states.append((ind.id, old, ind.state)))
        board.sig_breach.connect(lambda ind: self.breaches.append((ind.id, ind.value)))
        board.sig_loaded.connect(self._loaded)

    def _loaded(self) -> None:
        self.loads += 1


# ---- Order and reading


def test_indicators_come_by_group_in_dashboard_order_then_as_listed():
    board = IndicatorBoard()
    board.load([
        _indicator("air", "environment"), _indicator("crowd", "safety"),
        _indicator("calls", "operations"), _indicator("odd", "weather"),
        _indicator("fire", "safety"), _indicator("backlog", "operations"),
        _indicator("gdp", "economy"),
    ])
    assert [i.id for i in board.indicators()] == [
        "calls", "backlog", "crowd", "fire", "air", "gdp", "odd"]
    assert [(g, [i.id for i in items]) for g, items in board.groups()] == [
        ("operations", ["calls", "backlog"]), ("safety", ["crowd", "fire"]),
        ("environment", ["air"]), ("economy", ["gdp"]), ("weather", ["odd"])]
    assert len(board) == 7
    assert board.get("fire").name == "指标 fire" and board.get("nope") is None


def test_a_reload_replaces_the_list_and_drops_what_it_no_longer_names():
    board = IndicatorBoard()
    heard = Heard(board)
    board.load([_indicator("a"), _indicator("b")],
               {"b": (np.array([E0 - 60, E0]), np.array([1.0, 2.0]))})
    board.load([_indicator("b", value=5.0), _indicator("c", "safety")])
    assert heard.loads == 2
    assert [i.id for i in board.indicators()] == ["b", "c"]
    assert board.get("a") is None and board.get("b").value == 5.0
    assert board.history("b")[1].tolist() == [1.0, 2.0]  # no history given: the held one stays
    assert len(board.history("a")[0]) == 0


# ---- Live samples


def test_samples_move_value_state_and_history_with_one_change_signal_per_batch():
    board = IndicatorBoard()
    heard = Heard(board)
    board.load([_indicator("calls"), _indicator("queue", "safety")])
    board.apply_samples([_sample("calls", 11, 1), _sample("queue", 85, 1, "warning"),
                         _sample("calls", 12, 2)])
    assert heard.changed == [["calls", "queue"]]
    calls = board.get("calls")
    assert (calls.value, calls.at, calls.state) == (12.0, T0 + timedelta(seconds=2), "normal")
    assert heard.states == [("queue", "normal", "warning")]
    t, v = board.history("calls")
    assert t.dtype == np.float64 and v.dtype == np.float64
    assert t.tolist() == [E0 + 1, E0 + 2] and v.tolist() == [11.0, 12.0]


def test_an_older_or_repeated_sample_changes_nothing():
    board = IndicatorBoard()
    heard = Heard(board)
    board.load([_indicator("calls")])
    board.apply_samples([_sample("calls", 20, 10)])
    board.apply_samples([_sample("calls", 99, 5, "alarm"), _sample("calls", 20, 10)])
    assert board.get("calls").value == 20.0 and board.get("calls").state == "normal"
    assert board.history("calls")[1].tolist() == [20.0]
    assert heard.changed == [["calls"]] and heard.breaches == []


def test_a_sample_without_a_state_takes_it_from_the_thresholds():
    board = IndicatorBoard(store := EventStore())
    board.load([_indicator("level", "environment", alarm=2.0, warning=3.0, direction="below",
                           value=5.0)])
    store.apply_batch([_frame(1, {"id": "level", "value": 2.5,
                                  "at": (T0 + timedelta(seconds=5)).isoformat()})])
    assert board.get("level").state == "warning"
    store.apply_batch([_frame(2, {"id": "level", "value": 1.5,
                                  "at": (T0 + timedelta(seconds=6)).isoformat()})])
    assert board.get("level").state == "alarm"


def test_a_malformed_sample_is_logged_and_skipped_and_the_batch_goes_on(caplog):
    store = EventStore()
    board = IndicatorBoard(store)
    heard = Heard(board)
    board.load([_indicator("calls")])
    at = (T0 + timedelta(seconds=5)).isoformat()
    with caplog.at_level(logging.WARNING, logger="console.indicators"):
        store.apply_batch([
            _frame(1, {"id": "calls", "value": "many", "at": at, "state": "normal"}),
            _frame(2, {"id": "calls", "value": 30, "state": "normal"}),
            _frame(3, {"id": "calls", "value": 31, "at": at, "state": "on fire"}),
            _frame(4, {"value": 32, "at": at, "state": "normal"}),
            LiveMessage(seq=5, type="unit.position", at=T0, data={"unit_id": "x"}),
            _frame(6, {"id": "calls", "value": 40, "at": at, "state": "normal"}),
        ])
    assert board.get("calls").value == 40.0
    assert board.history("calls")[1].tolist() == [40.0]
    assert heard.changed == [["calls"]]
    skipped = [r.getMessage() for r in caplog.records if "indicator.sample" in r.getMessage()]
    assert [m.split("seq ")[1].split(":")[0] for m in skipped] == ["1", "2", "3", "4"]
    assert store.last_seq == 6


# ---- History


def test_history_is_pruned_to_history_hours_behind_the_newest_sample_and_sliced_by_since():
    board = IndicatorBoard()
    board.load([_indicator("calls")])
    keep = HISTORY_HOURS * 3600
    step = 30
    for batch in range(0, 2 * keep, 600):  # 50 hours of samples, every 30 s, in batches
        board.apply_samples([_sample("calls", float(s), s)
                             for s in range(batch, batch + 600, step)])
    t, v = board.history("calls")
    newest = E0 + 2 * keep - step
    assert t[-1] == newest and v[-1] == 2 * keep - step
    assert t[0] == newest - keep and len(t) == keep // step + 1
    assert bool(np.all(np.diff(t) > 0))

    since = newest - 3600
    t1, v1 = board.history("calls", since=since)
    assert t1[0] == since and len(t1) == 3600 // step + 1
    assert v1.tolist() == (t1 - E0).tolist()
    assert len(board.history("calls", since=newest + 1)[0]) == 0
    assert len(board.history("calls", since=0)[0]) == len(t)


def test_history_arrays_handed_out_do_not_change_as_the_board_goes_on():
    board = IndicatorBoard()
    board.load([_indicator("calls")], {"calls": (np.arange(E0 - 600, E0, 60.0),
                                                 np.arange(10, dtype=float))})
    t, v = board.history("calls")
    before = (t.copy(), v.copy())
    for s in range(1, 5000):  # forces the buffers to grow and move
        board.apply_samples([_sample("calls", 100.0 + s, s)])
    assert np.array_equal(t, before[0]) and np.array_equal(v, before[1])
    with pytest.raises(ValueError):
        v[0] = 1.0  # read-only: a view cannot spoil the board
    assert len(board.history("calls")[0]) == 10 + 4999


def test_a_loaded_series_is_cleaned_and_pruned():
    board = IndicatorBoard()
    span = HISTORY_HOURS * 3600
    t = [E0 - span - 120, E0 - 120, E0 - 60, E0 - 60, E0]
    v = [1.0, None, 3.0, 4.0, 5.0]
    board.load([_indicator("calls")], {"calls": series_arrays(t, v)})
    t_kept, v_kept = board.history("calls")
    assert t_kept.tolist() == [E0 - 60, E0] and v_kept.tolist() == [3.0, 5.0]


def test_same_time_yesterday_takes_the_nearest_sample_within_five_minutes():
    board = IndicatorBoard()
    now = E0
    day = now - 86400
    board.load([_indicator("calls", value=50.0)], {"calls": (
        np.array([day - 400, day - 200, day + 250, day + 3600]),
        np.array([1.0, 2.0, 3.0, 4.0]))})
    assert board.same_time_yesterday("calls", now) == 2.0  # 200 s before beats 250 s after
    assert board.same_time_yesterday("calls", now + 100) == 3.0  # 150 s after: nearest
    assert board.same_time_yesterday("calls", now + 550) == 3.0  # 300 s after: still in
    assert board.same_time_yesterday("calls", now + 1000) is None  # nothing within 5 min
    assert board.same_time_yesterday("calls", now - 800) is None
    assert board.change_vs_yesterday("calls", now) == 48.0
    assert board.change_vs_yesterday("calls", now + 1000) is None
    assert board.same_time_yesterday("unknown", now) is None

    fresh = IndicatorBoard()
    fresh.load([_indicator("calls", value=None, at=None)],
               {"calls": (np.array([day]), np.array([1.0]))})
    assert fresh.same_time_yesterday("calls", now) == 1.0
    assert fresh.change_vs_yesterday("calls", now) is None  # no current value


# ---- Breaches


def test_a_breach_is_announced_once_and_again_only_after_rearm_after_out_of_alarm():
    board = IndicatorBoard()
    heard = Heard(board)
    board.load([_indicator("crowd", "safety")])
    s = 0.0

    def feed(value: float, state: str, after: float) -> None:
        nonlocal s
        s += after
        board.apply_samples([_sample("crowd", value, s, state)])

    feed(120, "alarm", 10)  # enters alarm: announced
    feed(130, "alarm", 10)
    feed(90, "warning", 10)  # hovers at the threshold
    feed(101, "alarm", 10)
    feed(70, "normal", 10)  # out of alarm from here ...
    feed(75, "normal", REARM_AFTER - 20)
    feed(105, "alarm", 10)  # ... for REARM_AFTER - 10 s only: not announced
    assert heard.breaches == [("crowd", 120.0)]
    feed(60, "normal", 10)  # out of alarm from here ...
    feed(140, "alarm", REARM_AFTER)  # ... for REARM_AFTER s: announced again
    assert heard.breaches == [("crowd", 120.0), ("crowd", 140.0)]
    assert [(old, new) for _, old, new in heard.states] == [
        ("normal", "alarm"), ("alarm", "warning"), ("warning", "alarm"), ("alarm", "normal"),
        ("normal", "alarm"), ("alarm", "normal"), ("normal", "alarm")]


def test_several_state_changes_in_one_batch_are_each_reported_in_order():
    board = IndicatorBoard()
    heard = Heard(board)
    board.load([_indicator("crowd", "safety")])
    board.apply_samples([_sample("crowd", 120, 1, "alarm"), _sample("crowd", 70, 2),
                         _sample("crowd", 125, 3, "alarm")])
    assert heard.states == [("crowd", "normal", "alarm"), ("crowd", "alarm", "normal"),
                            ("crowd", "normal", "alarm")]
    assert heard.breaches == [("crowd", 120.0)]
    assert heard.changed == [["crowd"]]
    assert board.get("crowd").value == 125.0


def test_load_does_not_announce_alarms_an_indicator_already_had():
    board = IndicatorBoard()
    heard = Heard(board)
    board.load([_indicator("crowd", "safety", value=150.0, state="alarm"),
                _indicator("fire", "safety")])
    board.apply_samples([_sample("crowd", 160, 10, "alarm")])
    assert heard.breaches == []
    # Entering alarm during an outage: the reload says so, and announces nothing.
    board.load([_indicator("crowd", "safety", value=150.0, state="alarm",
                           at=T0 + timedelta(seconds=20)),
                _indicator("fire", "safety", value=120.0, state="alarm",
                           at=T0 + timedelta(seconds=20))])
    assert heard.breaches == [] and heard.states == []
    assert board.get("fire").state == "alarm"
    # Out of alarm long enough, then in again: that is news.
    board.apply_samples([_sample("fire", 50, 30)])
    board.apply_samples([_sample("fire", 130, 30 + REARM_AFTER, "alarm")])
    assert heard.breaches == [("fire", 130.0)]


def test_a_reload_keeps_the_rearm_clock():
    board = IndicatorBoard()
    heard = Heard(board)
    board.load([_indicator("crowd", "safety")])
    board.apply_samples([_sample("crowd", 120, 10, "alarm"), _sample("crowd", 50, 20)])
    board.load([_indicator("crowd", "safety", value=50.0, at=T0 + timedelta(seconds=20))])
    board.apply_samples([_sample("crowd", 120, 60, "alarm")])  # 40 s after leaving alarm
    assert heard.breaches == [("crowd", 120.0)]


def test_leaving_alarm_during_an_outage_starts_the_rearm_clock_at_the_listed_time():
    board = IndicatorBoard()
    heard = Heard(board)
    board.load([_indicator("crowd", "safety")])
    board.apply_samples([_sample("crowd", 120, 10, "alarm")])
    board.load([_indicator("crowd", "safety", value=50.0, at=T0 + timedelta(seconds=20))])
    board.apply_samples([_sample("crowd", 130, 60, "alarm")])  # 40 s out of alarm: quiet
    board.apply_samples([_sample("crowd", 50, 70)])
    board.apply_samples([_sample("crowd", 140, 70 + REARM_AFTER, "alarm")])
    assert heard.breaches == [("crowd", 120.0), ("crowd", 140.0)]


# ---- Load after live samples


def test_live_samples_newer_than_the_list_survive_the_load():
    board = IndicatorBoard()
    board.load([_indicator("calls")])
    board.apply_samples([_sample("calls", 40, 100, "warning")])
    # The list and series were read before that sample arrived.
    board.load([_indicator("calls", value=30.0, at=T0 + timedelta(seconds=90))],
               {"calls": (np.array([E0 + 30, E0 + 90]), np.array([20.0, 30.0]))})
    calls = board.get("calls")
    assert (calls.value, calls.state) == (40.0, "warning")
    assert board.history("calls")[1].tolist() == [20.0, 30.0, 40.0]


def test_samples_heard_before_the_first_load_are_kept_for_it():
    board = IndicatorBoard()
    heard = Heard(board)
    board.apply_samples([_sample("calls", 41, 100), _sample("calls", 42, 110)])
    assert len(board) == 0 and board.get("calls") is None and heard.changed == []
    board.load([_indicator("calls", value=40.0, at=T0 + timedelta(seconds=95))],
               {"calls": (np.array([E0 + 35, E0 + 95]), np.array([39.0, 40.0]))})
    assert board.get("calls").value == 42.0
    assert board.history("calls")[1].tolist() == [39.0, 40.0, 41.0, 42.0]


def test_an_indicator_from_the_cache_gets_its_state_from_the_thresholds_if_none_is_kept():
    document = _indicator("crowd", "safety", value=1.0).model_dump_json().encode()
    kept = indicator_from_cache(document, 120.0, None, E0 + 60)
    assert (kept.value, kept.state, kept.at.timestamp()) == (120.0, "alarm", E0 + 60)
    assert indicator_from_cache(document, 85.0, "normal", E0).state == "normal"  # as kept
    assert indicator_from_cache(document, 85.0, "bogus", E0).state == "warning"
    with pytest.raises(ValueError):
        indicator_from_cache(b"{not json", 1.0, "normal", E0)
