"""The outbox against the real backend, through the fault proxy: durable, in order, once.

Commands made while the link is down are kept (in the real SQLite cache), shown as pending,
and sent when it returns; a final answer (2xx, 403, 409, 422) takes them out and is shown;
a lost answer is replayed with the same idempotency key and applied once (R2).
"""

from __future__ import annotations

import random
import threading
import time

import pytest
from console_helpers import MemoryKeyring
from fault_proxy import FaultProxy

from console.api import ApiClient, ApiError
from console.auth import AuthSession, CredentialVault
from console.commands import Command, CommandResult
from console.outbox import Outbox
from offline_cache import OfflineCache

FAST = (0.05, 0.3)
LOGIN_ATTEMPTS = 20


class Seat:
    """An outbox over a real cache file, signed in through the proxy; results collected."""

    def __init__(self, url: str, data_dir, username: str = "leader1") -> None:
        self.api = ApiClient(url, connect_timeout=1.0, read_timeout=3.0)
        self.auth = AuthSession(self.api, CredentialVault(MemoryKeyring()), "desk-1")
        # A test may have left cuts pending for the next answers (the state machine arms up
        # to one a step, 12 steps): each failed sign-in uses one up, as a user signing in
        # again would.
        for attempt in range(LOGIN_ATTEMPTS):
            try:
                self.auth.login(username, username)
                break
            except ApiError:
                if attempt == LOGIN_ATTEMPTS - 1:
                    raise
        self.cache, _ = OfflineCache.open(data_dir)
        self.results: list[CommandResult] = []
        self.done = threading.Condition()
        self.outbox = Outbox(self.cache, self.api, lambda: self.auth.online_username,
                             self._result, retry_delay=FAST)
        self.outbox.start()

    def _result(self, result: CommandResult) -> None:
        with self.done:
            self.results.append(result)
            self.done.notify_all()

    def submit(self, command: Command) -> None:
        self.outbox.submit(command, self.auth.username)

    def wait_empty(self, timeout: float) -> float:
        start = time.monotonic()
        while self.outbox.pending() or self.cache.outbox():
            assert time.monotonic() - start < timeout, self.outbox.pending()
            time.sleep(0.02)
        return time.monotonic() - start

    def close(self) -> None:
        self.outbox.stop()
        self.cache.close()
        self.api.close()


@pytest.fixture
def link(backend):
    with FaultProxy(backend.url) as proxy:
        yield proxy


def _fresh_events(backend, count: int) -> list[dict]:
    ids = backend.sim_events(count)["ids"]
    api = ApiClient(backend.url)
    AuthSession(api, CredentialVault(MemoryKeyring()), "check").login("admin", "admin")
    events = [api.get_event(event_id) for event_id in ids]
    api.close()
    return events


def _timeline(backend, event_id: str) -> list[dict]:
    import requests

    answer = requests.get(f"{backend.url}/api/v1/events/{event_id}", timeout=10,
                          headers=backend.headers("admin"))
    answer.raise_for_status()
    return answer.json()["timeline"]


def test_commands_made_offline_wait_then_go_in_order_once(backend, link, tmp_path):
    event = _fresh_events(backend, 1)[0]
    seat = Seat(link.url, tmp_path)
    link.refuse(existing=True)
    notes = [Command.make(event.id, "note", event.version, note=f"离线备注 {n}") for n in range(3)]
    for command in notes:
        seat.submit(command)
    time.sleep(0.5)
    assert [p.command.id for p in seat.outbox.pending()] == [c.id for c in notes]
    assert [row.id for row in seat.cache.outbox()] == [c.id for c in notes]  # durable, in order
    assert seat.outbox.pending()[0].attempts >= 1 and seat.results == []
    link.accept()
    took = seat.wait_empty(30)
    print(f"outbox emptied {took:.2f} s after the link returned")
    assert [r.ok for r in seat.results] == [True, True, True]  # the 2nd and 3rd were rebased
    texts = [entry["detail"] for entry in _timeline(backend, event.id) if entry["action"] == "note"]
    assert texts == [f"离线备注 {n}" for n in range(3)]
    seat.close()


def test_an_answer_lost_after_the_commit_is_replayed_and_applied_once(backend, link, tmp_path):
    event = _fresh_events(backend, 1)[0]
    seat = Seat(link.url, tmp_path)
    link.close_half_way(after_bytes=20)  # the backend commits, its answer is cut
    seat.submit(Command.make(event.id, "acknowledge", event.version))
    seat.wait_empty(30)
    assert len(seat.results) == 1 and seat.results[0].ok
    assert seat.results[0].event.status == "acknowledged"
    assert [e["action"] for e in _timeline(backend, event.id)].count("acknowledge") == 1
    assert link.stats().faults["close_half_way"] >= 1
    seat.close()


def test_final_refusals_leave_the_outbox_and_are_reported_not_retried(backend, link, tmp_path):
    first, second = _fresh_events(backend, 2)
    duty = Seat(link.url, tmp_path, "duty1")
    duty.submit(Command.make(first.id, "acknowledge", first.version + 5))  # stale: 409
    duty.submit(Command.make(first.id, "dispatch", first.version,
                             assignments=[{"unit_id": "cgj", "role": "lead"}]))  # role: 403
    duty.submit(Command.make(second.id, "close", second.version))  # not allowed from new: 422/403
    duty.wait_empty(30)
    codes = [r.error.status for r in duty.results]
    assert codes[0] == 409 and duty.results[0].event is not None  # the current state is shown
    assert codes[1] == 403
    assert codes[2] in (403, 422)
    assert duty.outbox.delivered == 3
    duty.close()


def test_the_outbox_survives_a_restart(backend, link, tmp_path):
    event = _fresh_events(backend, 1)[0]
    seat = Seat(link.url, tmp_path)
    link.refuse(existing=True)
    command = Command.make(event.id, "note", event.version, note="重启前的备注")
    seat.submit(command)
    time.sleep(0.3)
    seat.close()  # the console stops with the command unsent
    link.accept()
    again = Seat(link.url, tmp_path)
    assert [p.command.idempotency_key for p in again.outbox.pending()] == [command.idempotency_key]
    again.wait_empty(30)
    assert again.results[0].ok
    notes = [e for e in _timeline(backend, event.id) if e["action"] == "note"]
    assert [n["detail"] for n in notes] == ["重启前的备注"]
    again.close()


def test_another_users_commands_wait_for_that_user(backend, link, tmp_path):
    event = _fresh_events(backend, 1)[0]
    seat = Seat(link.url, tmp_path, "duty1")
    seat.outbox.submit(Command.make(event.id, "note", event.version, note="leader 的"), "leader1")
    mine = Command.make(event.id, "acknowledge", event.version)
    seat.submit(mine)
    deadline = time.monotonic() + 10
    while not seat.results and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [r.command.id for r in seat.results] == [mine.id]
    assert [p.username for p in seat.outbox.pending()] == ["leader1"]
    seat.close()


@pytest.mark.timeout(240)
def test_r2_a_hundred_offline_online_cycles(backend, link, tmp_path):
    """R2: commands made while offline across 100 cycles, some answers cut after the commit:
    each applied exactly once; the outbox empty within 30 s of the link returning."""
    rng = random.Random(2)
    events = _fresh_events(backend, 100)
    seat = Seat(link.url, tmp_path)
    worst = 0.0
    for cycle, event in enumerate(events):
        link.refuse(existing=True)
        for n in range(rng.randint(1, 2)):
            text = f"R2 第{cycle}轮 {n}"
            seat.submit(Command.make(event.id, "note", event.version, note=text))
        tried = time.monotonic() + 5
        while seat.outbox.pending()[0].attempts < 1:  # really made offline: a try failed
            assert time.monotonic() < tried
            time.sleep(0.01)
        if rng.random() < 0.3:
            link.close_half_way(after_bytes=rng.randint(1, 200))
        link.accept()
        worst = max(worst, seat.wait_empty(30))
    print(f"R2: 100 cycles, {len(seat.results)} commands, worst time to empty {worst:.2f} s, "
          f"{link.stats().faults['close_half_way']} answers cut")
    assert all(r.ok for r in seat.results), [r.error for r in seat.results if not r.ok]
    for event in rng.sample(events, 20):
        notes = [e["detail"] for e in _timeline(backend, event.id) if e["action"] == "note"]
        assert len(notes) == len(set(notes)) and all(n.startswith("R2 ") for n in notes)
        mine = [r for r in seat.results if r.command.event_id == event.id]
        assert len(notes) == len(mine)
    seat.close()


def test_a_command_is_on_disk_before_it_is_first_sent(backend, link, tmp_path):
    """Each send is preceded by the command's durable row (checked from inside the send)."""
    events = _fresh_events(backend, 5)
    seat = Seat(link.url, tmp_path)
    on_disk_when_sent: list[bool] = []
    real_act = seat.api.act

    def act(event_id, request, key):
        on_disk_when_sent.append(any(r.idempotency_key == key for r in seat.cache.outbox()))
        return real_act(event_id, request, key)

    seat.api.act = act
    for event in events:
        seat.submit(Command.make(event.id, "acknowledge", event.version))
    seat.wait_empty(30)
    assert on_disk_when_sent == [True] * 5 and all(r.ok for r in seat.results)
    seat.close()
