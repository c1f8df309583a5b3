"""AlertPolicy and AlertTracker: which events alert, when alerts end, when sounds repeat."""

from __future__ import annotations

import threading

import pytest
from console_helpers import AT, MainQueue, MemoryKeyring

from console.alerts import AlertPolicy, AlertTracker
from console.api import ApiClient
from console.auth import AuthSession, CredentialVault
from console.schema import Event, LiveMessage
from console.session import HallSession
from console.store import EventStore


def _event(event_id: str, seq: int, *, level: int = 1, status: str = "new",
           source: str = "hotline_12345", actors: tuple[str, ...] = ("system",)) -> Event:
    return Event.model_validate({
        "id": event_id, "seq": seq, "version": seq, "title": f"事件 {event_id}",
        "category": "gas_safety", "level": level, "source": source, "status": status,
        "location": {"lon": 120.3, "lat": 31.58, "address": "中山路 1 号",
                     "street_id": "chonganshi"},
        "reported_at": AT, "updated_at": AT,
        "timeline": [{"at": AT, "actor": actor, "action": "report"} for actor in actors],
    })


def _live(*events: Event) -> list[LiveMessage]:
    messages = []
    for event in events:
        message = LiveMessage.model_validate({"seq": event.seq, "type": "event.upsert",
                                              "at": AT, "data": event.model_dump(mode="json")})
        message.attach_event(event)
        messages.append(message)
    return messages


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Desk:
    """A store with a tracker fed by its signals, recording every change."""

    def __init__(self, policy: AlertPolicy | None = None, own: str | None = None,
                 initial: list[Event] | None = None) -> None:
        self.store = EventStore()
        self.store.replace_all(initial or [], max((e.seq for e in initial or []), default=0))
        self.clock = Clock()
        self.tracker = AlertTracker(self.store, policy, own_actor=own, clock=self.clock)
        self.changes = []
        self.store.sig_inserted.connect(lambda f, c: self.changes.append(
            self.tracker.on_inserted(f, c)))
        self.store.sig_updated.connect(lambda rows: self.changes.append(
            self.tracker.on_updated(rows)))
        self.store.sig_reset.connect(lambda: self.changes.append(self.tracker.on_reset()))

    def live(self, *events: Event):
        self.changes.clear()
        self.store.apply_batch(_live(*events))
        return self._merged()

    def rest(self, *events: Event):
        self.changes.clear()
        self.store.upsert(events)
        return self._merged()

    def _merged(self):
        raised = [a.event_id for c in self.changes for a in c.raised]
        ended = [e for c in self.changes for e in c.ended]
        sounds = [c.sound for c in self.changes if c.sound is not None]
        return raised, ended, sounds


def test_policy_choices_and_checks():
    policy = AlertPolicy()
    assert policy.choice == "level1_2" and not policy.muted
    assert policy.alerts_on(1) and policy.alerts_on(2) and not policy.alerts_on(3)
    assert policy.with_choice("level1").alerts_on(2) is False
    assert not any(policy.with_choice("off").alerts_on(level) for level in range(1, 5))
    with pytest.raises(ValueError):
        AlertPolicy(max_level=5)
    with pytest.raises(ValueError):
        AlertPolicy(repeat_seconds=0)


def test_only_new_severe_events_arriving_live_alert():
    desk = Desk(initial=[_event("OLD-1", 1, level=1)])
    assert desk.tracker.active() == []  # the initial load never alerts
    raised, _, sounds = desk.live(_event("A", 2, level=1), _event("B", 3, level=4),
                                  _event("C", 4, level=2),
                                  _event("D", 5, level=1, status="acknowledged"))
    assert raised == ["A", "C"]
    assert sounds == [1]  # one tone for the batch: the most severe
    assert [a.event_id for a in desk.tracker.active()] == ["C", "A"]  # newest first
    desk.clock.now += 3
    raised, _, sounds = desk.live(_event("E", 6, level=2))
    assert raised == ["E"] and sounds == [2]


def test_a_burst_over_several_batches_sounds_once_unless_more_severe():
    desk = Desk()
    assert desk.live(_event("A", 1, level=2))[2] == [2]
    desk.clock.now += 0.5
    assert desk.live(_event("B", 2, level=2))[2] == []  # within the gap, not more severe
    desk.clock.now += 0.5
    assert desk.live(_event("C", 3, level=1))[2] == [1]  # more severe: sounds at once
    desk.clock.now += 0.5
    assert desk.live(_event("D", 4, level=2))[2] == []
    desk.clock.now += 2
    assert desk.live(_event("E", 5, level=2))[2] == [2]
    assert len(desk.tracker) == 5  # every one of them alerts; only the tone is held back


def test_rest_merges_and_a_reset_do_not_alert():
    desk = Desk()
    raised, _, sounds = desk.rest(_event("R", 1, level=1))  # a command answer, a resync reload
    assert raised == [] and sounds == []
    desk.live(_event("L", 2, level=1))
    assert desk.tracker.is_alerting("L")
    desk.changes.clear()
    desk.store.replace_all([_event("L", 3, level=1, status="acknowledged"),
                            _event("N", 4, level=1)], 4)
    ended = [e for c in desk.changes for e in c.ended]
    raised = [a for c in desk.changes for a in c.raised]
    assert ended == ["L"] and raised == []


def test_an_alert_ends_when_the_event_leaves_new():
    desk = Desk()
    desk.live(_event("A", 1, level=1))
    raised, ended, sounds = desk.live(_event("A", 2, level=1, status="acknowledged"))
    assert (raised, ended, sounds) == ([], ["A"], [])
    assert len(desk.tracker) == 0


def test_the_level1_sound_repeats_until_acknowledged_or_the_limit():
    desk = Desk(AlertPolicy(repeat_seconds=30, repeat_limit=2))
    desk.live(_event("A", 1, level=1), _event("B", 2, level=2))
    tracker, clock = desk.tracker, desk.clock
    clock.now += 29
    assert tracker.tick().sound is None
    clock.now += 1
    assert tracker.tick().sound == 1  # level 2 does not repeat
    assert tracker.tick().sound is None  # not again at once
    clock.now += 30
    assert tracker.tick().sound == 1
    clock.now += 30
    assert tracker.tick().sound is None  # the limit: two repeats after the first
    desk.live(_event("C", 3, level=1))
    clock.now += 30
    assert tracker.tick().sound == 1
    desk.live(_event("C", 4, level=1, status="acknowledged"))
    clock.now += 30
    assert tracker.tick().sound is None


def test_muted_alerts_show_but_stay_silent():
    desk = Desk(AlertPolicy(muted=True))
    raised, _, sounds = desk.live(_event("A", 1, level=1))
    assert raised == ["A"] and sounds == []
    desk.clock.now += 60
    assert desk.tracker.tick().sound is None
    desk.tracker.set_policy(AlertPolicy(muted=False))
    assert desk.tracker.tick().sound == 1  # unmuted while still unacknowledged


def test_escalation_alerts_once():
    desk = Desk(initial=[_event("A", 1, level=3, status="acknowledged")])
    raised, _, sounds = desk.live(_event("A", 2, level=1, status="acknowledged",
                                         actors=("system", "leader2")))
    assert raised == ["A"] and sounds == [1]
    [alert] = desk.tracker.active()
    assert alert.reason == "escalated" and alert.status == "acknowledged"
    raised, ended, _ = desk.live(_event("A", 3, level=1, status="acknowledged"))  # a note
    assert raised == [] and ended == []
    desk.tracker.dismiss("A")
    raised, _, _ = desk.live(_event("A", 4, level=1, status="acknowledged"))
    assert raised == []  # the same level again is not an escalation


def test_escalation_to_a_level_outside_the_policy_or_of_a_closed_event_is_quiet():
    desk = Desk(AlertPolicy(max_level=1),
                initial=[_event("A", 1, level=4), _event("B", 2, level=3, status="closed")])
    assert desk.live(_event("A", 3, level=2))[0] == []
    assert desk.live(_event("B", 4, level=1, status="closed"))[0] == []
    assert desk.live(_event("A", 5, level=1))[0] == ["A"]


def test_the_seats_own_events_and_escalations_do_not_alert_it():
    desk = Desk(own="leader1", initial=[_event("X", 1, level=3)])
    mine = _event("M", 2, level=1, source="manual", actors=("leader1",))
    theirs = _event("T", 3, level=1, source="manual", actors=("duty1",))
    assert desk.live(mine, theirs)[0] == ["T"]
    assert desk.live(_event("X", 4, level=1, actors=("system", "leader1")))[0] == []


def test_policy_change_ends_alerts_it_no_longer_covers():
    desk = Desk()
    desk.live(_event("A", 1, level=1), _event("B", 2, level=2))
    change = desk.tracker.set_policy(AlertPolicy(max_level=1))
    assert change.ended == ("B",) and change.sound is None
    assert desk.tracker.set_policy(AlertPolicy(max_level=0)).ended == ("A",)
    assert desk.live(_event("C", 3, level=1))[0] == []


def test_a_lowered_level_ends_the_alert():
    desk = Desk()
    desk.live(_event("A", 1, level=2))
    assert desk.live(_event("A", 2, level=3))[1] == ["A"]


def test_dismiss():
    desk = Desk()
    desk.live(_event("A", 1, level=1), _event("B", 2, level=1))
    assert desk.tracker.dismiss("A").ended == ("A",)
    assert not desk.tracker.dismiss("A")
    assert desk.tracker.dismiss_all().ended == ("B",)
    desk.clock.now += 60
    assert desk.tracker.tick().sound is None


def test_initial_load_and_resync_reload_do_not_alert_with_the_real_backend(backend_factory):
    """Level-1 events loaded at start or merged after a resync are shown without alerting;
    those arriving live alert."""
    small = backend_factory(retain=5)
    before = small.sim_events(3, level=1)["ids"]
    small.sim_events(20, level=4)  # more than the backend retains for replay
    main = MainQueue()
    api = ApiClient(small.url)
    auth = AuthSession(api, CredentialVault(MemoryKeyring()), seat="desk-1")
    auth.login("duty1", "duty1")
    store = EventStore()
    session = HallSession(api, auth, store, main,
                          live_options={"heartbeat_timeout": 5.0, "backoff": (0.1, 1.0)})
    tracker = AlertTracker(store)
    raised: list[str] = []
    store.sig_inserted.connect(
        lambda f, c: raised.extend(a.event_id for a in tracker.on_inserted(f, c).raised))
    store.sig_updated.connect(
        lambda rows: raised.extend(a.event_id for a in tracker.on_updated(rows).raised))
    store.sig_reset.connect(tracker.on_reset)
    states: list[str] = []
    loaded = threading.Event()
    session.sig_connection.connect(lambda s, d: states.append(s))
    session.sig_loaded.connect(loaded.set)
    try:
        session.start()
        assert main.run_until(lambda: loaded.is_set() and states[-1:] == ["live"], timeout=20)
        assert all(store.get(i) for i in before) and raised == []
        live = small.sim_events(1, level=1)["ids"]
        assert main.run_until(lambda: raised == live)
        # Fall behind the backend's retention: the next message is a gap, the backend
        # answers resync_required and the session reloads over REST.
        session.live_feed.resume_from(1)
        gap = small.sim_events(2, level=1)["ids"]
        assert main.run_until(lambda: "resyncing" in states)
        assert main.run_until(lambda: all(store.get(i) for i in gap) and states[-1] == "live")
        assert raised == live
        after = small.sim_events(1, level=2)["ids"]
        assert main.run_until(lambda: raised == live + after)
    finally:
        session.stop()
        api.close()
