"""A hypothesis state machine over the outbox: submit, lose the link, cut answers, restart.

Whatever the sequence, no command is lost (each is pending or answered), none is answered
twice, the cache holds exactly the pending ones in order, and once the link is back every
note reaches the backend exactly once, in the order it was made.
"""

from __future__ import annotations

import itertools

import pytest
import requests
from fault_proxy import FaultProxy
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from test_console_outbox import Seat

from console.commands import Command

_run = itertools.count()


@pytest.mark.timeout(300)
def test_outbox_state_machine(backend, tmp_path):
    class OutboxMachine(RuleBasedStateMachine):
        @initialize()
        def start(self):
            self.proxy = FaultProxy(backend.url)
            self.dir = tmp_path / f"run{next(_run)}"
            self.events = backend.sim_events(2)["ids"]
            self.seat = Seat(self.proxy.url, self.dir)
            self.made: list[Command] = []
            self.answered: list[str] = []
            self.offline = False

        def _version(self, event_id: str) -> int:
            answer = requests.get(f"{backend.url}/api/v1/events/{event_id}", timeout=10,
                                  headers=backend.headers("admin"))
            return answer.json()["version"]

        def _collect(self):
            self.answered.extend(r.command.id for r in self.seat.results)
            self.seat.results.clear()

        @rule(which=st.integers(0, 1))
        def note(self, which):
            event_id = self.events[which]
            # Made on the version the seat last saw: the backend's, unless notes are pending
            # on it (then the version they were made on, as a desk offline would do). Answers
            # that came in are seen first, as a desk applies them before the next click.
            self._collect()
            earlier = [c for c in self.made if c.event_id == event_id
                       and c.id not in self.answered]
            version = (earlier[-1].request.expected_version if earlier
                       else self._version(event_id))
            command = Command.make(event_id, "note", version, note=f"n{len(self.made)}")
            self.made.append(command)
            self.seat.submit(command)

        @rule()
        def link_down(self):
            self.proxy.refuse(existing=True)
            self.offline = True

        @rule()
        def link_up(self):
            self.proxy.accept()
            self.offline = False

        @rule(after=st.integers(1, 300))
        def cut_next_answer(self, after):
            self.proxy.close_half_way(after_bytes=after)

        @rule()
        def restart(self):
            self.seat.close()
            self._collect()  # after close: an answer may come in while it stops
            self.seat = Seat(self.proxy.url, self.dir) if not self.offline else None
            if self.seat is None:  # signing in needs the link: restart once it is back
                self.proxy.accept()
                self.offline = False
                self.seat = Seat(self.proxy.url, self.dir)

        @invariant()
        def nothing_lost_nothing_twice(self):
            if not hasattr(self, "seat"):
                return
            self._collect()
            pending = [p.command.id for p in self.seat.outbox.pending()]
            assert len(self.answered) == len(set(self.answered))
            assert set(self.answered) | set(pending) == {c.id for c in self.made}
            order = {c.id: n for n, c in enumerate(self.made)}
            assert pending == sorted(pending, key=order.get)

        def teardown(self):
            if not hasattr(self, "seat"):
                return
            try:
                self._check_and_close()
            finally:
                self.proxy.close()  # also when a step failed: no proxy thread outlives it

        def _check_and_close(self):
            self.proxy.accept()
            self.seat.wait_empty(30)
            self._collect()
            assert self.seat.cache.outbox() == []
            for event_id in self.events:
                answer = requests.get(f"{backend.url}/api/v1/events/{event_id}", timeout=10,
                                      headers=backend.headers("admin"))
                notes = [e["detail"] for e in answer.json()["timeline"] if e["action"] == "note"]
                made = [c.request.note for c in self.made if c.event_id == event_id]
                assert notes == made
            self.seat.close()

    OutboxMachine.TestCase.settings = settings(
        max_examples=12, stateful_step_count=12, deadline=None, database=None,
        suppress_health_check=list(HealthCheck))
    OutboxMachine.TestCase().runTest()
