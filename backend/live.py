"""The live websocket: replay from `since_seq`, then live, with heartbeats and bounded queues.

A client subscribes to the hub *before* reading the replay from SQLite, so nothing published
meanwhile is missed; live messages with seq <= the last replayed one are skipped. A client whose
queue overflows once live is closed with 1013 and resumes from its last seq.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

import orjson
from fastapi import WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from console.schema import now_cst

from .errors import ApiError, error_response
from .service import HallService
from .store import Message

log = logging.getLogger("backend.live")

REPLAY_CHUNK = 1000
CLOSE_TRY_AGAIN_LATER = 1013
CLOSE_UNAUTHORIZED = 4401


class LiveClient:
    """One connected websocket's subscription."""

    def __init__(self, maxsize: int):
        self.queue: asyncio.Queue[Message] = asyncio.Queue(maxsize)
        self.replaying = True
        self.dropped = False
        self.overflowed = False
        self.task: asyncio.Task | None = None


class Hub:
    """Fans durable messages out to live clients; runs on the event loop thread only."""

    def __init__(self, queue_size: int = 50_000):
        self.queue_size = queue_size
        self.clients: set[LiveClient] = set()
        self.last_published = 0

    def subscribe(self) -> LiveClient:
        client = LiveClient(self.queue_size)
        self.clients.add(client)
        return client

    def unsubscribe(self, client: LiveClient) -> None:
        self.clients.discard(client)

    def publish(self, messages: list[Message]) -> None:
        self.last_published = messages[-1][0]
        for client in list(self.clients):
            for message in messages:
                try:
                    client.queue.put_nowait(message)
                except asyncio.QueueFull:
                    if client.replaying:
                        # The replay reads SQLite anyway; it catches up on what we drop here.
                        client.dropped = True
                    else:
                        client.overflowed = True
                        self.clients.discard(client)
                        if client.task is not None:
                            client.task.cancel()
                    break


def _frame(seq: int, type_: str, data: dict) -> str:
    return orjson.dumps({"seq": seq, "type": type_, "at": now_cst().isoformat(),
                         "data": data}).decode()


class LiveEndpoint:
    """Serves `GET /api/v1/live?since_seq=N` for one app."""

    def __init__(self, service: HallService, hub: Hub, *, heartbeat: float = 5.0):
        self.service = service
        self.hub = hub
        self.heartbeat = heartbeat

    async def __call__(self, websocket: WebSocket) -> None:
        token = _bearer(websocket)
        try:
            await run_in_threadpool(self.service.authenticate, token)
        except ApiError as error:
            await _deny(websocket, error)
            return
        try:
            since = int(websocket.query_params.get("since_seq", "0"))
            if since < 0:
                raise ValueError
        except ValueError:
            await _deny(websocket, ApiError(422, "invalid", "since_seq must be an integer >= 0."))
            return
        await websocket.accept()
        client = self.hub.subscribe()
        sender = asyncio.create_task(self._send(websocket, client, since))
        client.task = sender
        receiver = asyncio.create_task(_drain_incoming(websocket))
        try:
            await asyncio.wait({sender, receiver}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self.hub.unsubscribe(client)
            for task in (sender, receiver):
                task.cancel()
            for task in (sender, receiver):
                with contextlib.suppress(BaseException):
                    await task
        if client.overflowed:
            log.info("live client too slow: closing it with 1013")
            with contextlib.suppress(Exception):
                await asyncio.wait_for(
                    websocket.close(CLOSE_TRY_AGAIN_LATER, "too slow, resume from your last seq"), 2)
        elif sender.done() and not sender.cancelled() and sender.exception() is None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(websocket.close(1000, sender.result() or ""), 2)

    async def _send(self, ws: WebSocket, client: LiveClient, since: int) -> str | None:
        db = self.service.db
        oldest, last_seq = db.retention()
        if since > last_seq or (since < last_seq and since + 1 < oldest):
            await ws.send_text(_frame(last_seq, "resync_required",
                                      {"last_seq": last_seq, "oldest_retained": oldest}))
            return "resync_required"
        last = since
        next_beat = time.monotonic() + self.heartbeat
        # Replay from SQLite until caught up with everything published so far.
        while True:
            if client.dropped:
                client.dropped = False
                _clear(client.queue)
            rows = await run_in_threadpool(db.messages_after, last, REPLAY_CHUNK)
            if rows and rows[0][0] != last + 1:
                oldest, last_seq = db.retention()
                await ws.send_text(_frame(last_seq, "resync_required",
                                          {"last_seq": last_seq, "oldest_retained": oldest}))
                return "resync_required"
            for seq, frame in rows:
                await ws.send_text(frame)
                last = seq
            if time.monotonic() >= next_beat:
                await ws.send_text(_frame(last, "heartbeat", {"last_seq": last}))
                next_beat = time.monotonic() + self.heartbeat
            if len(rows) < REPLAY_CHUNK and not (client.dropped and self.hub.last_published > last):
                # No await between this check and the switch: publishes cannot slip between.
                client.replaying = False
                break
        while True:
            # The hub also cancels this task on overflow, but a cancel can be lost when the
            # queue get has just finished, so the flag is checked before every send too.
            if client.overflowed:
                return None
            try:
                async with asyncio.timeout(max(0.0, next_beat - time.monotonic())):
                    seq, frame = await client.queue.get()
            except TimeoutError:
                if client.overflowed:
                    return None
                await ws.send_text(_frame(last, "heartbeat", {"last_seq": last}))
                next_beat = time.monotonic() + self.heartbeat
                continue
            if client.overflowed:
                return None
            if seq <= last:
                continue
            if seq > last + 1:
                # Messages dropped while replaying: fetch the hole from SQLite.
                for gap_seq, gap_frame in await run_in_threadpool(db.messages_after, last,
                                                                  seq - last - 1):
                    if gap_seq >= seq:
                        break
                    await ws.send_text(gap_frame)
                    last = gap_seq
                if last != seq - 1:
                    oldest, last_seq = db.retention()
                    await ws.send_text(_frame(last_seq, "resync_required",
                                              {"last_seq": last_seq, "oldest_retained": oldest}))
                    return "resync_required"
            await ws.send_text(frame)
            last = seq


def _clear(queue: asyncio.Queue) -> None:
    while True:
        try:
            queue.get_nowait()
        except asyncio.QueueEmpty:
            return


async def _drain_incoming(ws: WebSocket) -> None:
    """Read (and ignore) what the client sends, to notice when it goes away."""
    try:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                return
    except (WebSocketDisconnect, RuntimeError):
        return


def _bearer(ws: WebSocket) -> str | None:
    header = ws.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip() or None
    return ws.query_params.get("access_token") or None


async def _deny(ws: WebSocket, error: ApiError) -> None:
    """Refuse the upgrade with an HTTP answer when the server can, else accept and close."""
    if "websocket.http.response" in ws.scope.get("extensions", {}):
        await ws.send_denial_response(error_response(error.status, error.code, error.message,
                                                     error.details))
        return
    await ws.accept()
    await ws.close(CLOSE_UNAUTHORIZED if error.status == 401 else 1008, error.code)
