"""The rooms' websocket signalling (`/rooms/{id}/signal?k=KEY`): a WebRTC mesh of ≤ 8 peers.

The backend never touches media: it introduces the peers to each other and relays their SDP
offers, answers and ICE candidates. Runs on the event loop only; each peer has its own
outgoing queue and sender task, so one slow page cannot hold up the others.

Protocol (JSON text messages):
- client → `{"type": "hello", "name", "unit_id"}` first; server → `{"type": "welcome",
  "peer_id", "peers": [{"peer_id", "name", "unit_id"}], "ice_servers", "conference": {"id",
  "title", "event_id"}}`, and `{"type": "peer-joined", "peer"}` to the others (before the
  welcome, so a newcomer's offer never reaches a peer that does not know it yet).
- `{"type": "signal", "to", "data"}` → relayed as `{"type": "signal", "from", "data"}`.
- `{"type": "stats", "inbound": {peer_id: {"frames_decoded", "frame_width", "frame_height",
  "bytes_received"}}}`: what the page receives, kept for `GET /conferences/{id}/room`.
- server → `{"type": "peer-left", "peer_id"}`, `{"type": "ended"}` (then the socket closes),
  `{"type": "error", "code": "bad_key" | "ended" | "room_full" | "bad_message", "message"}`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from dataclasses import dataclass, field

import orjson
from fastapi import WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from console.schema import now_cst

from ..errors import ApiError
from .service import ConferenceService

log = logging.getLogger("backend.conferences.rooms")

MAX_PEERS = 8
MAX_MESSAGE = 64 * 1024
MAX_BAD_MESSAGES = 20
HELLO_TIMEOUT = 30.0
OUTBOX = 2000
STAT_FIELDS = ("frames_decoded", "frame_width", "frame_height", "bytes_received")
CLOSE_POLICY = 1008
CLOSE_ENDED = 4000
CLOSE_FULL = 4009
CLOSE_BAD_KEY = 4404


@dataclass(eq=False)
class Peer:
    """One connected room page."""

    peer_id: str
    ws: WebSocket
    user_agent: str
    name: str = ""
    unit_id: str | None = None
    joined_at: str = ""
    ready: bool = False
    who: tuple | None = None
    inbound: dict = field(default_factory=dict)
    outbox: asyncio.Queue = field(default_factory=lambda: asyncio.Queue(OUTBOX))
    closing: tuple[int, str] | None = None

    def card(self) -> dict:
        return {"peer_id": self.peer_id, "name": self.name, "unit_id": self.unit_id}

    def send(self, message: dict) -> None:
        if self.closing is not None:
            return
        try:
            self.outbox.put_nowait(orjson.dumps(message).decode())
        except asyncio.QueueFull:
            log.warning("room peer %s too slow: closing it", self.peer_id)
            self.close(1013, "too slow")

    def close(self, code: int, reason: str) -> None:
        """Close after what is queued has been sent."""
        if self.closing is None:
            self.closing = (code, reason)
            with contextlib.suppress(asyncio.QueueFull):
                self.outbox.put_nowait(None)


class RoomHub:
    """The peers of every room, by conference id."""

    def __init__(self, conferences: ConferenceService, ice_servers: list[dict]):
        self.conferences = conferences
        self.ice_servers = ice_servers
        self.rooms: dict[str, dict[str, Peer]] = {}

    # ---- reads and commands from the REST side

    def describe(self, conference_id: str) -> dict:
        """`GET /conferences/{id}/room`: who is connected and what each page receives."""
        peers = [p for p in self.rooms.get(conference_id, {}).values() if p.ready]
        return {"peers": [{**p.card(), "joined_at": p.joined_at, "user_agent": p.user_agent,
                           "inbound": p.inbound} for p in peers]}

    def end(self, conference_id: str) -> None:
        """Tell every peer the conference has ended and close their sockets."""
        for peer in list(self.rooms.get(conference_id, {}).values()):
            peer.send({"type": "ended"})
            peer.close(CLOSE_ENDED, "ended")

    # ---- the websocket

    async def serve(self, ws: WebSocket, conference_id: str) -> None:
        await ws.accept()
        room = await run_in_threadpool(self.conferences.room, conference_id)
        if room is None or not room.key_matches(ws.query_params.get("k")):
            await _refuse(ws, "bad_key", "Unknown conference or wrong room key.", CLOSE_BAD_KEY)
            return
        if room.conference["status"] == "ended":
            await _refuse(ws, "ended", "The conference has ended.", CLOSE_ENDED)
            return
        peer = Peer(peer_id=secrets.token_hex(6), ws=ws,
                    user_agent=ws.headers.get("user-agent", "")[:300])
        sender = asyncio.create_task(_send_loop(peer))
        try:
            await self._receive_loop(peer, conference_id, room.conference)
        finally:
            await self._drop(peer, conference_id)
            peer.close(1000, "")
            with contextlib.suppress(Exception):
                await asyncio.wait_for(sender, 5)
            sender.cancel()

    async def _receive_loop(self, peer: Peer, conference_id: str, conference: dict) -> None:
        bad = 0
        while peer.closing is None:
            try:
                timeout = None if peer.ready else HELLO_TIMEOUT
                message = await asyncio.wait_for(peer.ws.receive(), timeout)
            except (TimeoutError, WebSocketDisconnect, RuntimeError):
                return
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None and message.get("bytes") is not None:
                text = ""
            problem = await self._handle(peer, conference_id, conference, text)
            if problem:
                bad += 1
                log.info("room %s peer %s: bad message (%s)", conference_id, peer.peer_id,
                         problem)
                peer.send({"type": "error", "code": "bad_message", "message": problem})
                if bad >= MAX_BAD_MESSAGES:
                    peer.close(CLOSE_POLICY, "too many bad messages")

    async def _handle(self, peer: Peer, conference_id: str, conference: dict,
                      text: str) -> str | None:
        """Act on one message; returns what is wrong with it, or None."""
        if len(text) > MAX_MESSAGE:
            return "message larger than 64 KB"
        try:
            message = orjson.loads(text)
        except orjson.JSONDecodeError:
            return "not JSON"
        if not isinstance(message, dict):
            return "not a JSON object"
        kind = message.get("type")
        if not peer.ready:
            if kind != "hello":
                return "the first message must be hello"
            return await self._hello(peer, conference_id, conference, message)
        if kind == "signal":
            target = self.rooms.get(conference_id, {}).get(message.get("to"))
            data = message.get("data")
            if target is None or not target.ready or target is peer:
                return "signal: unknown peer in 'to'"
            if not isinstance(data, dict):
                return "signal: 'data' must be an object"
            target.send({"type": "signal", "from": peer.peer_id, "data": data})
            return None
        if kind == "stats":
            inbound = message.get("inbound")
            if not isinstance(inbound, dict) or len(inbound) > MAX_PEERS * 2:
                return "stats: 'inbound' must be an object by peer id"
            kept = {}
            for peer_id, stats in inbound.items():
                if not isinstance(stats, dict):
                    return "stats: each entry must be an object"
                kept[str(peer_id)[:32]] = {k: stats[k] for k in STAT_FIELDS
                                           if isinstance(stats.get(k), int)
                                           and not isinstance(stats.get(k), bool)}
            peer.inbound = kept
            return None
        if kind == "hello":
            return "hello: already joined"
        return f"unknown type {str(kind)[:32]!r}"

    async def _hello(self, peer: Peer, conference_id: str, conference: dict,
                     message: dict) -> str | None:
        name = message.get("name")
        unit_id = message.get("unit_id")
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= 64:
            return "hello: 'name' must be 1-64 characters"
        if unit_id is not None and (not isinstance(unit_id, str) or len(unit_id) > 64):
            return "hello: 'unit_id' must be a string or null"
        room = self.rooms.setdefault(conference_id, {})
        if len(room) >= MAX_PEERS:
            peer.send({"type": "error", "code": "room_full",
                       "message": f"The room is full ({MAX_PEERS} people at most)."})
            peer.close(CLOSE_FULL, "room full")
            return None
        # Hold the place while the join is written (other hellos may come meanwhile).
        room[peer.peer_id] = peer
        peer.name, peer.unit_id = name.strip(), unit_id or None
        try:
            _conf, peer.who = await run_in_threadpool(self.conferences.join, conference_id,
                                                      peer.name, peer.unit_id)
        except ApiError as error:
            room.pop(peer.peer_id, None)
            peer.send({"type": "error", "code": "ended", "message": error.message})
            peer.close(CLOSE_ENDED, "ended")
            return None
        peer.joined_at = now_cst().isoformat()
        others = [p for p in room.values() if p.ready]
        for other in others:
            other.send({"type": "peer-joined", "peer": peer.card()})
        peer.ready = True
        peer.send({"type": "welcome", "peer_id": peer.peer_id,
                   "peers": [p.card() for p in others], "ice_servers": self.ice_servers,
                   "conference": {"id": conference["id"], "title": conference["title"],
                                  "event_id": conference["event_id"]}})
        log.info("room %s: %s joined as %s (%d here)", conference_id, peer.name, peer.peer_id,
                 len(room))
        return None

    async def _drop(self, peer: Peer, conference_id: str) -> None:
        room = self.rooms.get(conference_id, {})
        if room.get(peer.peer_id) is not peer:
            return
        del room[peer.peer_id]
        if not room:
            self.rooms.pop(conference_id, None)
        if not peer.ready:
            return
        for other in room.values():
            if other.ready:
                other.send({"type": "peer-left", "peer_id": peer.peer_id})
        try:
            await run_in_threadpool(self.conferences.leave, conference_id, peer.who)
        except Exception:  # the peer is gone whatever the store says
            log.exception("room %s: recording the leave of %s failed", conference_id,
                          peer.peer_id)
        log.info("room %s: %s left", conference_id, peer.peer_id)


async def _send_loop(peer: Peer) -> None:
    try:
        while True:
            text = await peer.outbox.get()
            if text is None:
                break
            await peer.ws.send_text(text)
    except Exception:  # the socket is gone: the receive loop notices too
        return
    code, reason = peer.closing or (1000, "")
    with contextlib.suppress(Exception):
        await asyncio.wait_for(peer.ws.close(code, reason), 2)


async def _refuse(ws: WebSocket, code: str, message: str, close_code: int) -> None:
    with contextlib.suppress(Exception):
        await ws.send_text(orjson.dumps({"type": "error", "code": code,
                                         "message": message}).decode())
        await ws.close(close_code, code)


def ice_server_config(urls: tuple[str, ...] | list[str]) -> list[dict]:
    """`RTCIceServer` dictionaries for the pages: `stun:host:port` as it is, and
    `turn:user:password@host:port?transport=udp` split into urls, username and credential."""
    servers = []
    for url in urls:
        scheme, _, rest = url.partition(":")
        if "@" in rest:
            login, _, where = rest.rpartition("@")
            username, _, credential = login.partition(":")
            servers.append({"urls": f"{scheme}:{where}", "username": username,
                            "credential": credential})
        else:
            servers.append({"urls": url})
    return servers
