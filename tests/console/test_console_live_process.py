"""The live feed in its own process, against the real backend: a killed process is replaced
and the stream goes on with nothing lost or repeated; stop ends the process; its log
records reach this process's logging."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time

from console_helpers import wait_until

from console.api import ApiClient
from console.live import LiveUrl
from console.live_process import LiveFeedProcess


class Recorder:
    def __init__(self) -> None:
        self.batches: list[list] = []
        self.states: list[str] = []
        self.lock = threading.Lock()

    def on_batch(self, batch) -> None:
        with self.lock:
            self.batches.append(batch)

    def seqs(self) -> list[int]:
        with self.lock:
            return [m.seq for b in self.batches for m in b]

    def feed(self, url_for, token: str, **options) -> LiveFeedProcess:
        """A feed from seq 0 that records into this recorder."""
        return LiveFeedProcess(url_for, lambda: token, since_seq=0, on_batch=self.on_batch,
                               on_state=lambda s, d: self.states.append(s),
                               on_resync=lambda: None, **options)


def test_a_killed_feed_process_is_replaced_and_nothing_is_lost_or_repeated(backend_factory):
    server = backend_factory()
    api = ApiClient(server.url)
    token = server.login("duty1")
    rec = Recorder()
    feed = rec.feed(api.live_endpoint, token)
    try:
        feed.start()
        assert wait_until(lambda: "live" in rec.states, 15)
        last = 0
        for _ in range(3):
            last = server.sim_events(200)["last_seq"]
            pid = feed.pid
            os.kill(pid, signal.SIGKILL)
            assert wait_until(lambda p=pid: feed.pid != p and feed.connections >= 1, 15)
        last = server.sim_events(200)["last_seq"]
        assert wait_until(lambda: rec.seqs()[-1:] == [last], 20)
        assert rec.seqs() == list(range(1, last + 1))
        assert feed.processes == 4
        events = [m.event for b in rec.batches for m in b]
        assert all(e is not None and e.id for e in events)  # validated here, not only there
    finally:
        feed.stop()
        api.close()
    assert rec.states[-1] == "stopped" and rec.states.count("stopped") == 1


def test_stop_ends_the_process_and_no_batch_follows(backend):
    api = ApiClient(backend.url)
    token = backend.login("duty1")
    rec = Recorder()
    feed = rec.feed(api.live_endpoint, token)
    feed.start()
    assert wait_until(lambda: "live" in rec.states, 15)
    pid = feed.pid
    feed.stop()
    count = len(rec.batches)
    backend.sim_events(20)
    time.sleep(0.5)
    assert len(rec.batches) == count
    assert not _alive(pid)
    api.close()


def test_the_feed_process_logs_through_this_process(caplog):
    caplog.set_level(logging.INFO, logger="console.live")
    rec = Recorder()
    feed = rec.feed(LiveUrl("ws://127.0.0.1:9/api/v1/live"), "t", backoff=(0.05, 0.1))
    try:
        feed.start()
        assert wait_until(lambda: any("reconnecting in" in r.getMessage()
                                      for r in caplog.records), 15)
    finally:
        feed.stop()
    record = next(r for r in caplog.records if "reconnecting in" in r.getMessage())
    assert record.name == "console.live" and "cannot connect" in record.getMessage()
    assert record.process != os.getpid()  # it came from the feed's process
    assert "reconnecting" in rec.states


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers signal 0 until reaped; count it as ended.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split()[2] != "Z"


def test_a_process_that_cannot_start_is_tried_again(backend, monkeypatch, caplog):
    import console.live_process as live_process

    real = live_process._context
    calls = []

    def failing_once():
        calls.append(1)
        if len(calls) == 1:
            raise OSError("Resource temporarily unavailable")
        return real()

    monkeypatch.setattr(live_process, "_context", failing_once)
    monkeypatch.setattr(live_process, "RESTART_DELAY", (0.05, 0.1))
    api = ApiClient(backend.url)
    token = backend.login("duty1")
    rec = Recorder()
    feed = rec.feed(api.live_endpoint, token)
    try:
        feed.start()
        assert wait_until(lambda: "live" in rec.states, 15)
    finally:
        feed.stop()
        api.close()
    assert len(calls) == 2 and feed.processes == 1
    assert any("cannot start the live feed process" in r.getMessage() for r in caplog.records)
