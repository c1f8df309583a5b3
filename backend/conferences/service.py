"""The conference records: creating and ending them (commands), joins and leaves.

A conference is one row of the `conferences` table (its JSON, its room key and the base URL
of the request that created it, for the `join_url` of live messages). Every change is
published in its own write transaction as a durable `conference.updated` live message with
the whole conference, and written to the event's timeline (a new seq for the event, the same
version: a join must not make a leader's next command a version conflict).
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime
from typing import Any

import orjson

from console.schema import ConferenceCreateRequest, now_cst

from ..catalog_data import UNIT_IDS, unit_name
from ..errors import ApiError
from ..security import Principal
from ..service import CommandResult, HallService, _parse_json, _validate
from ..store import Txn, dumps

log = logging.getLogger("backend.conferences")

UPDATED = "conference.updated"
ROLES = {"shift_leader", "admin"}

SCHEMA = """
CREATE TABLE IF NOT EXISTS conferences (
    id TEXT PRIMARY KEY, event_id TEXT NOT NULL, status TEXT NOT NULL, created_ts REAL NOT NULL,
    room_key TEXT NOT NULL, base_url TEXT NOT NULL, json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS conferences_event ON conferences(event_id);
"""


def join_url(base_url: str, conference_id: str, room_key: str) -> str:
    return f"{base_url.rstrip('/')}/rooms/{conference_id}?k={room_key}"


def duration_text(start: str, end: str) -> str:
    """`mm:ss` between two ISO times (minutes go past 59 for long conferences)."""
    seconds = max(0, int((datetime.fromisoformat(end) - datetime.fromisoformat(start))
                         .total_seconds()))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class Room:
    """What the room page and the signalling need of a conference: its record and key."""

    def __init__(self, conference: dict, room_key: str):
        self.conference = conference
        self.room_key = room_key

    def key_matches(self, key: str | None) -> bool:
        return bool(key) and secrets.compare_digest(key.encode(), self.room_key.encode())


class ConferenceService:
    """Conferences about events: the commands (through `HallService._command`, so they are
    idempotent and audited), the reads, and the joins and leaves of the room's peers."""

    def __init__(self, service: HallService):
        self.service = service
        self.db = service.db
        # executescript commits first: run it outside a write transaction.
        with self.db.read() as conn:
            conn.executescript(SCHEMA)
        self._leave_everyone()

    # ---- commands

    def create(self, principal: Principal, raw: bytes, key: str | None,
               base_url: str) -> CommandResult:
        parsed = _parse_json(raw)
        event_id = parsed.get("event_id") if isinstance(parsed, dict) else None
        target = event_id[:64] if isinstance(event_id, str) and event_id else "events"

        def handler(tx: Txn) -> tuple[int, Any]:
            self.service.require_role(principal, ROLES, "start conferences")
            request = _validate(ConferenceCreateRequest, parsed)
            event = tx.get_event(request.event_id)
            if event is None:
                raise ApiError(404, "not_found", "No such event.", {"event_id": request.event_id})
            if event["status"] == "closed":
                raise ApiError(422, "invalid", "The event is closed.",
                               {"field": "event_id", "status": "closed"})
            unknown = [u for u in request.participants if u not in UNIT_IDS]
            if unknown:
                raise ApiError(422, "invalid", "Unknown unit.",
                               {"field": "participants", "values": unknown[:20]})
            invited = list(dict.fromkeys(request.participants))
            now = now_cst()
            n = int(tx.get_meta("conference_counter", "0")) + 1
            tx.set_meta("conference_counter", str(n))
            conference_id = f"CF-{now:%Y%m%d}-{n:04d}"
            room_key = secrets.token_urlsafe(16)
            conference = {
                "id": conference_id, "event_id": request.event_id, "title": request.title,
                "join_url": join_url(base_url, conference_id, room_key), "status": "open",
                "created_by": principal.user_id, "created_at": now.isoformat(),
                "ended_at": None, "ended_by": None,
                "participants": [_participant(u, unit_name(u), True) for u in invited],
            }
            tx.conn.execute(
                "INSERT INTO conferences(id, event_id, status, created_ts, room_key, base_url,"
                " json) VALUES (?,?,?,?,?,?,?)",
                (conference_id, request.event_id, "open", now.timestamp(), room_key,
                 base_url, dumps(conference)))
            self._publish(tx, conference, [(principal.user_id, "conference.start",
                                            f"发起视频会商 {conference_id}：{request.title}"
                                            f"（邀请 {len(invited)} 个单位）")], event)
            return 201, conference

        return self.service._command(principal, key, "POST /conferences", raw, parsed,
                                     "conference.start", target, handler)

    def end(self, principal: Principal, conference_id: str, key: str | None) -> CommandResult:
        def handler(tx: Txn) -> tuple[int, Any]:
            self.service.require_role(principal, ROLES, "end conferences")
            conference = _load(tx, conference_id)
            if conference is None:
                raise ApiError(404, "not_found", "No such conference.",
                               {"conference_id": conference_id[:64]})
            if conference["status"] == "ended":
                raise ApiError(422, "invalid", "The conference has already ended.",
                               {"conference_id": conference_id, "status": "ended"})
            stamp = now_cst().isoformat()
            entries = _leave_all(conference, stamp)
            conference.update(status="ended", ended_at=stamp, ended_by=principal.user_id)
            entries.append((principal.user_id, "conference.end",
                            f"结束视频会商 {conference_id}，时长 "
                            f"{duration_text(conference['created_at'], stamp)}"))
            self._save(tx, conference)
            self._publish(tx, conference, entries)
            return 200, conference

        return self.service._command(principal, key, f"POST /conferences/{conference_id}/end",
                                     b"{}", {}, "conference.end", conference_id, handler)

    # ---- reads

    def get(self, conference_id: str, base_url: str | None = None) -> dict:
        room = self.room(conference_id)
        if room is None:
            raise ApiError(404, "not_found", "No such conference.",
                           {"conference_id": conference_id[:64]})
        return self._with_url(room, base_url)

    def list(self, *, event_id: str | None, status: str | None,
             base_url: str | None = None) -> list[dict]:
        sql = "SELECT json, room_key FROM conferences WHERE 1=1"
        args: list[Any] = []
        if event_id:
            sql += " AND event_id = ?"
            args.append(event_id)
        if status:
            sql += " AND status = ?"
            args.append(status)
        sql += " ORDER BY created_ts DESC, id DESC"
        with self.db.read() as conn:
            rows = conn.execute(sql, args).fetchall()
        return [self._with_url(Room(orjson.loads(r[0]), r[1]), base_url) for r in rows]

    def room(self, conference_id: str) -> Room | None:
        with self.db.read() as conn:
            row = conn.execute("SELECT json, room_key FROM conferences WHERE id = ?",
                               (conference_id,)).fetchone()
        return Room(orjson.loads(row[0]), row[1]) if row else None

    @staticmethod
    def _with_url(room: Room, base_url: str | None) -> dict:
        conference = room.conference
        if base_url:
            conference["join_url"] = join_url(base_url, conference["id"], room.room_key)
        return conference

    # ---- joins and leaves (the room's peers)

    def join(self, conference_id: str, name: str, unit_id: str | None) -> tuple[dict, tuple]:
        """Record a peer's arrival; returns the conference and the participant's key (for
        `leave`). Raises ApiError(404) for an unknown and (422) for an ended conference."""
        with self.db.write() as tx:
            conference = _load(tx, conference_id)
            if conference is None:
                raise ApiError(404, "not_found", "No such conference.")
            if conference["status"] == "ended":
                raise ApiError(422, "ended", "The conference has ended.")
            known = unit_id if unit_id in UNIT_IDS else None
            who = ("unit", known) if known else ("name", name)
            person = _find(conference, who)
            if person is None:
                person = _participant(known, name, False)
                conference["participants"].append(person)
            entries = []
            if person["present"] == 0:
                stamp = now_cst().isoformat()
                person["joined_at"] = person["joined_at"] or stamp
                person["left_at"] = None
                entries.append((known or "guest", "conference.join",
                                f"{person['name']} 加入视频会商 {conference_id}"))
            person["present"] += 1
            self._save(tx, conference)
            self._publish(tx, conference, entries)
        return conference, who

    def leave(self, conference_id: str, who: tuple) -> dict | None:
        """Record a peer's departure (nothing once the conference has ended)."""
        with self.db.write() as tx:
            conference = _load(tx, conference_id)
            if conference is None or conference["status"] == "ended":
                return None
            person = _find(conference, who)
            if person is None or person["present"] == 0:
                return None
            person["present"] -= 1
            entries = []
            if person["present"] == 0:
                person["left_at"] = now_cst().isoformat()
                entries.append((person["unit_id"] or "guest", "conference.leave",
                                f"{person['name']} 离开视频会商 {conference_id}"))
            self._save(tx, conference)
            self._publish(tx, conference, entries)
        return conference

    def _leave_everyone(self) -> None:
        """At start-up: whoever was still in a room when the backend stopped has left."""
        with self.db.write() as tx:
            rows = tx.conn.execute("SELECT json FROM conferences WHERE status = 'open'").fetchall()
            for row in rows:
                conference = orjson.loads(row[0])
                entries = _leave_all(conference, now_cst().isoformat())
                if entries:
                    log.info("conference %s: %d participants marked left after a restart",
                             conference["id"], len(entries))
                    self._save(tx, conference)
                    self._publish(tx, conference, entries)

    # ---- storage and publishing

    @staticmethod
    def _save(tx: Txn, conference: dict) -> None:
        tx.conn.execute("UPDATE conferences SET status = ?, json = ? WHERE id = ?",
                        (conference["status"], dumps(conference), conference["id"]))

    @staticmethod
    def _publish(tx: Txn, conference: dict, entries: list[tuple[str, str, str]],
                 event: dict | None = None) -> None:
        """`conference.updated`, then the event with the new timeline entries (new seq,
        same version and updated_at)."""
        tx.append_message(UPDATED, conference)
        if not entries:
            return
        event = event or tx.get_event(conference["event_id"])
        if event is None:
            return
        stamp = now_cst().isoformat()
        event.setdefault("timeline", []).extend(
            {"at": stamp, "actor": actor, "action": action, "detail": detail}
            for actor, action, detail in entries)
        tx.put_event(event)


def _participant(unit_id: str | None, name: str, invited: bool) -> dict:
    return {"unit_id": unit_id, "name": name[:64], "invited": invited, "joined_at": None,
            "left_at": None, "present": 0}


def _find(conference: dict, who: tuple) -> dict | None:
    kind, value = who
    for person in conference["participants"]:
        if kind == "unit" and person["unit_id"] == value:
            return person
        if kind == "name" and person["unit_id"] is None and person["name"] == value[:64]:
            return person
    return None


def _leave_all(conference: dict, stamp: str) -> list[tuple[str, str, str]]:
    """Mark every present participant left; their timeline entries."""
    entries = []
    for person in conference["participants"]:
        if person["present"] > 0:
            person["present"] = 0
            person["left_at"] = stamp
            entries.append((person["unit_id"] or "guest", "conference.leave",
                            f"{person['name']} 离开视频会商 {conference['id']}"))
    return entries


def _load(tx: Txn, conference_id: str) -> dict | None:
    row = tx.conn.execute("SELECT json FROM conferences WHERE id = ?",
                          (conference_id,)).fetchone()
    return orjson.loads(row[0]) if row else None
