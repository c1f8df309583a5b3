"""LiveFeed against a hostile websocket server of our own on 127.0.0.1 (R4, R6, R1 in small).

The server speaks the live protocol but sends malformed frames, duplicates, a gap, a
heartbeat announcing a seq never sent, `resync_required`, and finally goes silent without
closing. The feed must reject and log, resume with the right `since_seq`, wait for
`resume_from` after a resync, notice the silence within `heartbeat_timeout`, and deliver
every seq exactly once, in order.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest
from console_helpers import AT, frame_bytes, upsert_frame, wait_until
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

from console.live import LiveFeed
from console.store import EventStore

MiB = 1024 * 1024


def heartbeat(last_seq: int) -> str:
    return frame_bytes({"seq": last_seq, "type": "heartbeat", "at": AT,
                        "data": {"last_seq": last_seq}})


class ScriptedServer:
    """A websocket server on 127.0.0.1 that runs one script per connection, in order."""

    def __init__(self, scripts: list[Callable[[ServerConnection], None]]) -> None:
        self.scripts = list(scripts)
        self.connections: list[dict] = []
        self.done = threading.Event()
        self._server = serve(self._handle, "127.0.0.1", 0, max_size=8 * MiB)
        self.port = self._server.socket.getsockname()[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def url_for(self, since_seq: int) -> str:
        return f"ws://127.0.0.1:{self.port}/api/v1/live?since_seq={since_seq}"

    def _handle(self, ws: ServerConnection) -> None:
        query = parse_qs(urlsplit(ws.request.path).query)
        info = {"since": int(query["since_seq"][0]),
                "auth": ws.request.headers.get("Authorization"),
                "opened": time.monotonic()}
        self.connections.append(info)
        index = len(self.connections) - 1
        script = self.scripts[index] if index < len(self.scripts) else None
        try:
            if script is not None:
                script(ws)
            # Then stay open and silent until the client leaves (or the test ends).
            while not self.done.is_set():
                try:
                    ws.recv(timeout=0.1)
                except TimeoutError:
                    continue
        except ConnectionClosed:
            pass
        finally:
            info["closed"] = time.monotonic()

    def close(self) -> None:
        self.done.set()
        self._server.shutdown()
        self._thread.join(5)


class Recorder:
    """Collects what the feed hands out."""

    def __init__(self) -> None:
        self.batches: list[list] = []
        self.states: list[tuple[str, str]] = []
        self.resyncs = 0
        self.lock = threading.Lock()

    def on_batch(self, batch) -> None:
        with self.lock:
            self.batches.append(batch)

    def on_state(self, state: str, detail: str) -> None:
        self.states.append((state, detail))

    @property
    def seqs(self) -> list[int]:
        with self.lock:
            return [m.seq for b in self.batches for m in b]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
        return wait_until(predicate, timeout)


def test_the_feed_survives_a_hostile_server(caplog):
    caplog.set_level(logging.INFO, logger="console.live")
    silence_started: list[float] = []

    def first(ws):  # since 0: good, malformed, duplicates, then a gap (7 after 4)
        ws.send(frame_bytes(upsert_frame(1)))
        ws.send(frame_bytes(upsert_frame(2)))
        ws.send("{not json")
        ws.send("[1, 2, 3]")
        ws.send(frame_bytes({"seq": "three", "type": "event.upsert", "at": AT, "data": {}}))
        ws.send(frame_bytes({"seq": 3}))
        ws.send(frame_bytes({"seq": 3, "type": "no.such.type", "at": AT, "data": {}}))
        ws.send(frame_bytes({"seq": 3, "type": "event.upsert", "at": AT,
                             "data": {"id": "E3", "level": "severe"}}))
        ws.send(frame_bytes({"seq": 3, "type": "heartbeat", "at": AT, "data": {}}))
        ws.send(frame_bytes({"seq": 3, "type": "event.upsert", "at": "yesterday", "data": {}}))
        ws.send("x" * MiB)
        ws.send(b"\xff\xfe binary garbage")
        ws.send(frame_bytes({"seq": 3, "type": "event.upsert", "at": AT,
                             "data": {"pad": "y" * MiB}}))
        ws.send(frame_bytes(upsert_frame(3)))
        ws.send(frame_bytes(upsert_frame(2)))
        ws.send(frame_bytes(upsert_frame(3)))
        ws.send(frame_bytes(upsert_frame(4)))
        ws.send(frame_bytes(upsert_frame(7)))  # gap: 5 and 6 are missing
        ws.send(frame_bytes(upsert_frame(8)))

    def second(ws):  # since 4: 5..7, then a heartbeat announcing 9, never sent
        for seq in (5, 6, 4, 7):
            ws.send(frame_bytes(upsert_frame(seq)))
        ws.send(heartbeat(7))
        ws.send(frame_bytes({"seq": 8, "type": "unit.position", "at": AT,
                             "data": {"unit_id": "U1", "position": [120.3, 31.5]}}))
        ws.send(heartbeat(9))

    def third(ws):  # since 8: the server no longer holds it
        ws.send(frame_bytes({"seq": 20, "type": "resync_required", "at": AT,
                             "data": {"last_seq": 20, "oldest_retained": 15}}))

    def fourth(ws):  # since 20 (after resume_from): two more, then silence, no close
        ws.send(frame_bytes(upsert_frame(21)))
        ws.send(frame_bytes(upsert_frame(22)))
        silence_started.append(time.monotonic())

    def fifth(ws):  # since 22
        ws.send(frame_bytes(upsert_frame(23)))
        ws.send(frame_bytes(upsert_frame(24, "E000001", version=2, status="acknowledged")))
        ws.send(heartbeat(24))

    server = ScriptedServer([first, second, third, fourth, fifth])
    rec = Recorder()
    feed: LiveFeed | None = None

    def on_resync():
        rec.resyncs += 1
        # As the session would: reload over REST elsewhere, then resume.
        threading.Timer(0.3, lambda: feed.resume_from(20)).start()

    tokens = iter(["t1", "t2", "t3", "t4", "t5", "t6"])
    feed = LiveFeed(server.url_for, lambda: next(tokens), since_seq=0,
                    on_batch=rec.on_batch, on_state=rec.on_state, on_resync=on_resync,
                    batch_window=0.02, heartbeat_timeout=1.5, backoff=(0.05, 0.2))
    try:
        feed.start()
        assert rec.wait_for(lambda: rec.seqs[-1:] == [24], timeout=20), rec.seqs
        assert len(server.connections) == 5
    finally:
        feed.stop()
        server.close()

    assert rec.seqs == [1, 2, 3, 4, 5, 6, 7, 8, 21, 22, 23, 24]
    assert [c["since"] for c in server.connections] == [0, 4, 8, 20, 22]
    assert [c["auth"] for c in server.connections] == [f"Bearer t{i}" for i in range(1, 6)]
    assert rec.resyncs == 1
    assert feed.last_seq == 24
    assert feed.duplicates >= 3 and feed.gaps == 2
    assert feed.rejected == 11
    # Batches carry validated events; the unit.position message went through.
    kinds = {m.seq: m.type for b in rec.batches for m in b}
    assert kinds[8] == "unit.position"
    assert all(m.event.id == m.data["id"] for b in rec.batches for m in b
               if m.type == "event.upsert")
    # The silence was noticed within the watchdog time (plus a little slack), and the
    # silent socket was dropped without waiting for a closing handshake.
    reconnected = server.connections[4]["opened"]
    assert reconnected - silence_started[0] < 1.5 + 1.0
    states = [s for s, _ in rec.states]
    assert states[0] == "connecting" and states[-1] == "stopped"
    assert {"live", "reconnecting", "resyncing"} <= set(states)
    # Every rejection was logged, and no log line carries more than a 200-char preview.
    rejections = [r for r in caplog.records if "rejected a frame" in r.getMessage()]
    assert len(rejections) == 11
    assert max(len(r.getMessage()) for r in caplog.records) < 500
    assert any("gap after seq 4" in r.getMessage() for r in caplog.records)


def test_heavy_traffic_arrives_in_few_batches():
    count = 6000

    def flood(ws):
        for seq in range(1, count + 1):
            ws.send(frame_bytes(upsert_frame(seq)))
        ws.send(heartbeat(count))

    server = ScriptedServer([flood])
    rec = Recorder()
    feed = LiveFeed(server.url_for, lambda: "t", since_seq=0, on_batch=rec.on_batch,
                    on_state=rec.on_state, on_resync=lambda: None)
    try:
        feed.start()
        assert rec.wait_for(lambda: len(rec.seqs) == count, timeout=30)
    finally:
        feed.stop()
        server.close()
    assert rec.seqs == list(range(1, count + 1))
    assert all(len(b) <= 2000 for b in rec.batches)
    assert len(rec.batches) < count / 10


def test_slow_traffic_is_batched_within_the_window():
    def trickle(ws):
        for seq in range(1, 41):
            ws.send(frame_bytes(upsert_frame(seq)))
            time.sleep(0.005)

    server = ScriptedServer([trickle])
    rec = Recorder()
    arrivals: list[float] = []

    def on_batch(batch):
        arrivals.append(time.monotonic())
        rec.on_batch(batch)

    feed = LiveFeed(server.url_for, lambda: "t", since_seq=0, on_batch=on_batch,
                    on_state=rec.on_state, on_resync=lambda: None, batch_window=0.05)
    try:
        feed.start()
        assert rec.wait_for(lambda: len(rec.seqs) == 40)
    finally:
        feed.stop()
        server.close()
    assert rec.seqs == list(range(1, 41))
    assert 2 <= len(rec.batches) < 20
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:], strict=False)]
    assert max(gaps) < 0.2


def test_refused_tokens_are_renewed_and_oversized_frames_survived():
    def deny(ws):
        ws.close(4401, "unauthorized")

    def oversized(ws):
        ws.send(frame_bytes(upsert_frame(1)))
        ws.send(frame_bytes({"seq": 2, "type": "event.upsert", "at": AT,
                             "data": {"pad": "z" * (5 * MiB)}}))

    def good(ws):
        ws.send(frame_bytes(upsert_frame(2)))
        ws.send(heartbeat(2))

    server = ScriptedServer([deny, oversized, good])
    rec = Recorder()
    token = {"value": "old"}
    refused: list[str | None] = []

    def on_unauthorized(failed):
        refused.append(failed)
        token["value"] = "new"

    feed = LiveFeed(server.url_for, lambda: token["value"], since_seq=0,
                    on_batch=rec.on_batch, on_state=rec.on_state, on_resync=lambda: None,
                    backoff=(0.05, 0.1), on_unauthorized=on_unauthorized)
    try:
        feed.start()
        assert rec.wait_for(lambda: rec.seqs == [1, 2])
    finally:
        feed.stop()
        server.close()
    assert refused == ["old"]
    assert [c["auth"] for c in server.connections] == ["Bearer old", "Bearer new", "Bearer new"]
    assert [c["since"] for c in server.connections] == [0, 0, 1]


def test_an_unreadable_next_seq_is_skipped_after_three_tries(caplog):
    bad = frame_bytes({"seq": 2, "type": "event.upsert", "at": AT, "data": {"id": "broken"}})

    def script(ws):
        ws.send(bad)
        ws.send(frame_bytes(upsert_frame(3)))

    def first(ws):
        ws.send(frame_bytes(upsert_frame(1)))
        script(ws)

    server = ScriptedServer([first, script, script])
    rec = Recorder()
    feed = LiveFeed(server.url_for, lambda: "t", since_seq=0, on_batch=rec.on_batch,
                    on_state=rec.on_state, on_resync=lambda: None, backoff=(0.01, 0.05))
    try:
        feed.start()
        assert rec.wait_for(lambda: rec.seqs == [1, 3])
    finally:
        feed.stop()
        server.close()
    # Third connection: seq 2 is skipped and seq 3 accepted right there.
    assert [c["since"] for c in server.connections] == [0, 1, 1]
    assert any("stays unreadable" in r.getMessage() for r in caplog.records)


def test_stop_is_prompt_even_while_connected_and_nothing_is_delivered_after():
    def endless(ws):
        seq = 0
        while not server.done.is_set():
            seq += 1
            try:
                ws.send(frame_bytes(upsert_frame(seq)))
            except ConnectionClosed:
                return
            time.sleep(0.001)

    server = ScriptedServer([endless])
    rec = Recorder()
    feed = LiveFeed(server.url_for, lambda: "t", since_seq=0, on_batch=rec.on_batch,
                    on_state=rec.on_state, on_resync=lambda: None)
    try:
        feed.start()
        assert rec.wait_for(lambda: len(rec.seqs) > 50)
        started = time.monotonic()
        feed.stop()
        assert time.monotonic() - started < 2.5
        delivered = len(rec.batches)
        time.sleep(0.3)
        assert len(rec.batches) == delivered
        assert rec.states[-1] == ("stopped", "")
        assert not any(t.name == "live-feed" and t.is_alive() for t in threading.enumerate())
    finally:
        server.close()
    seqs = rec.seqs
    assert seqs == list(range(1, len(seqs) + 1))


@pytest.mark.parametrize("since", [0, 41])
def test_connect_failures_back_off_and_report_reconnecting(since):
    rec = Recorder()
    feed = LiveFeed(lambda s: f"ws://127.0.0.1:9/api/v1/live?since_seq={s}", lambda: "t",
                    since_seq=since, on_batch=rec.on_batch, on_state=rec.on_state,
                    on_resync=lambda: None, backoff=(0.05, 0.2))
    feed.start()
    try:
        assert rec.wait_for(lambda: sum(s == "reconnecting" for s, _ in rec.states) >= 3)
    finally:
        feed.stop()
    assert feed.last_seq == since
    assert rec.batches == []
    assert any("cannot connect" in d for _, d in rec.states)


def test_decoded_events_are_attached_not_revalidated():
    raw = orjson.dumps(upsert_frame(5, "E9")).decode()
    feed = LiveFeed(lambda s: "", lambda: None, since_seq=0, on_batch=lambda b: None,
                    on_state=lambda s, d: None, on_resync=lambda: None)
    message = feed._decode(raw)
    assert message is not None
    assert message.__pydantic_private__["_event"] is not None
    assert message.event.id == "E9" and message.event.seq == 5
    assert message.frame == raw.encode()  # the store keeps the frame as it came
    store = EventStore(cache_size=1)
    store.apply_batch([message])
    store.apply_batch([feed._decode(orjson.dumps(upsert_frame(6, "E10")))])
    assert store.get("E9") == message.event  # read back from the frame
