"""The live websocket: replay, live, heartbeat, resync, and resume across a restart."""

from __future__ import annotations

import json
import time

import pytest
from be_helpers import last_seq, live, receive
from websockets.exceptions import ConnectionClosed, InvalidStatus

from console.schema import Event, LiveMessage


def test_replay_from_since_seq_then_live(backend):
    token = backend.login("duty1")
    start = last_seq(backend)
    ids = backend.sim_events(30)["ids"]
    with live(backend, token, start + 10) as ws:
        replay = receive(ws, 20)
        assert [m["seq"] for m in replay] == list(range(start + 11, start + 31))
        assert [m["data"]["id"] for m in replay] == ids[10:]
        for message in replay:
            parsed = LiveMessage.model_validate(message)
            assert parsed.type == "event.upsert"
            assert Event.model_validate(parsed.data).seq == parsed.seq
        more = backend.sim_events(5)["ids"]
        fresh = receive(ws, 5)
        assert [m["seq"] for m in fresh] == list(range(start + 31, start + 36))
        assert [m["data"]["id"] for m in fresh] == more


def test_replay_and_live_meet_without_gap_or_repeat(backend):
    token = backend.login("duty1")
    start = last_seq(backend)
    backend.sim_events(1500)  # more than one replay chunk
    with live(backend, token, start) as ws:
        backend.sim_events(20)  # published while the replay runs
        messages = receive(ws, 1520, timeout=30)
    assert [m["seq"] for m in messages] == list(range(start + 1, start + 1521))


def test_heartbeat_arrives(backend):
    token = backend.login("duty1")
    seq = last_seq(backend)
    with live(backend, token, seq) as ws:
        deadline = time.monotonic() + 6.5
        while True:
            message = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message["type"] == "heartbeat":
                break
        assert message["data"]["last_seq"] == seq
        assert message["seq"] == seq
        LiveMessage.model_validate(message)


def test_bad_token_is_refused(backend):
    with pytest.raises(InvalidStatus) as info:
        with live(backend, "not-a-token", 0):
            pass
    assert info.value.response.status_code == 401
    assert json.loads(info.value.response.body)["error"]["code"] == "unauthorized"


def test_query_token_fallback(backend):
    from websockets.sync.client import connect

    token = backend.login("duty1")
    seq = last_seq(backend)
    url = f"{backend.ws_url}/api/v1/live?since_seq={seq}&access_token={token}"
    with connect(url, open_timeout=10) as ws:
        backend.sim_events(1)
        assert receive(ws, 1)[0]["seq"] == seq + 1


def test_resync_when_since_seq_is_too_old_or_too_new(backend_factory):
    small = backend_factory(retain=5)
    token = small.login("duty1")
    small.sim_events(20)
    last = last_seq(small)
    with live(small, token, 1) as ws:
        message = receive(ws, 1)[0]
        assert message["type"] == "resync_required"
        assert message["data"]["last_seq"] == last
        assert message["data"]["oldest_retained"] > 2
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=5)
    with live(small, token, last + 100) as ws:
        assert receive(ws, 1)[0]["type"] == "resync_required"
    # Within the window: a normal replay.
    with live(small, token, last - 3) as ws:
        assert [m["seq"] for m in receive(ws, 3)] == [last - 2, last - 1, last]


def test_resume_across_a_restart_without_gap_or_repeat(backend_factory):
    proc = backend_factory()
    token = proc.login("duty1")
    proc.sim_events(5)
    seen: list[int] = []
    with live(proc, token, 0) as ws:
        seen += [m["seq"] for m in receive(ws, 5)]
        proc.sim_events(3)
        seen += [m["seq"] for m in receive(ws, 3)]
        proc.sim_events(4)  # the client reads only some of these before the restart
        seen += [m["seq"] for m in receive(ws, 2)]
        proc.stop()  # while the client is still connected
        with pytest.raises(ConnectionClosed):
            while True:
                ws.recv(timeout=5)
    proc.start()
    token = proc.login("duty1")  # tokens survive too, but a fresh one is what a console does
    proc.sim_events(6)
    with live(proc, token, seen[-1]) as ws:
        seen += [m["seq"] for m in receive(ws, 8)]
        proc.sim_events(2)
        seen += [m["seq"] for m in receive(ws, 2)]
    assert seen == list(range(1, 21))


def test_unit_positions_and_events_flow_with_a_running_simulator(backend_factory):
    busy = backend_factory(rate=60, speed=60)
    token = busy.login("duty1")
    types: set[str] = set()
    seqs: list[int] = []
    with live(busy, token, 0) as ws:
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and not {"event.upsert", "unit.position"} <= types:
            message = json.loads(ws.recv(timeout=5))
            if message["type"] != "heartbeat":
                types.add(message["type"])
                seqs.append(message["seq"])
                LiveMessage.model_validate(message)
    assert {"event.upsert", "unit.position"} <= types
    assert seqs == list(range(1, len(seqs) + 1))


def test_a_slow_consumer_is_closed_with_1013_and_resumes(backend_factory):
    proc = backend_factory(client_queue=20)
    token = proc.login("duty1")
    with live(proc, token, 0) as ws:
        # The client reads nothing while thousands of messages are published.
        for _ in range(6):
            proc.sim_events(2000)
        assert last_seq(proc) == 12000
        seqs = []
        with pytest.raises(ConnectionClosed) as info:
            while True:
                message = json.loads(ws.recv(timeout=10))
                if message["type"] != "heartbeat":
                    seqs.append(message["seq"])
        assert info.value.rcvd is not None and info.value.rcvd.code == 1013
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) < 12000
    # It resumes from its last seq and gets the rest, in order.
    with live(proc, token, seqs[-1] if seqs else 0) as ws:
        rest = [m["seq"] for m in receive(ws, 12000 - len(seqs), timeout=30)]
    assert rest == list(range(len(seqs) + 1, 12001))
