"""The connection state the hall shows: online, degraded, offline, on a fake clock."""

from __future__ import annotations

from console.connectivity import DEGRADED, OFFLINE, OFFLINE_AFTER, ONLINE, REST_MEMORY, Connectivity


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def _machine():
    clock = Clock()
    link = Connectivity(clock)
    seen: list[tuple[str, float | None]] = []
    link.sig_changed.connect(lambda state, at: seen.append((state, at)))
    return clock, link, seen


def test_a_live_feed_is_online_and_a_blip_is_only_degraded():
    clock, link, seen = _machine()
    link.feed_state("connecting")
    assert link.state == DEGRADED
    link.feed_state("live")
    assert link.state == ONLINE and seen[-1] == (ONLINE, clock.now)
    clock.now += 10
    link.feed_state("reconnecting")
    assert link.state == DEGRADED
    clock.now += OFFLINE_AFTER - 1
    link.tick()
    assert link.state == DEGRADED  # a reconnect after a blip does not paint the hall red
    link.feed_state("live")
    assert [state for state, _ in seen] == [ONLINE, DEGRADED, ONLINE]


def test_a_feed_down_for_long_is_offline_and_data_age_stays_at_the_last_frame():
    clock, link, seen = _machine()
    link.feed_state("live")
    clock.now += 3
    link.heard()
    heard_at = clock.now
    clock.now += 20
    link.feed_state("reconnecting")
    clock.now += OFFLINE_AFTER
    link.tick()
    assert link.state == OFFLINE
    assert seen[-1] == (OFFLINE, heard_at)
    assert link.data_as_of == heard_at


def test_rest_failing_makes_it_offline_at_once_and_rest_answering_degraded():
    clock, link, _ = _machine()
    link.feed_state("reconnecting")
    link.rest_result(False)
    assert link.state == OFFLINE
    clock.now += 1
    link.rest_result(True)  # the backend answers REST; only the feed is away
    assert link.state == DEGRADED and link.data_as_of == clock.now


def test_rest_failures_with_a_live_feed_are_degraded_until_forgotten():
    clock, link, _ = _machine()
    link.feed_state("live")
    link.rest_result(False)
    assert link.state == DEGRADED
    clock.now += REST_MEMORY + 1
    link.tick()
    assert link.state == ONLINE


def test_data_from_the_cache_gives_the_age_before_anything_is_heard():
    clock, link, _ = _machine()
    link.seed_data_as_of(clock.now - 3600)
    assert link.data_as_of == clock.now - 3600
    link.seed_data_as_of(clock.now - 7200)  # never moves back
    assert link.data_as_of == clock.now - 3600


def test_the_age_of_cached_data_is_announced_even_without_a_state_change():
    clock, link, seen = _machine()
    link.rest_result(False)
    assert seen == [(OFFLINE, None)]
    link.seed_data_as_of(clock.now - 60)
    assert seen[-1] == (OFFLINE, clock.now - 60)
