"""The backend's use cases: login, events, commands with idempotency and audit, simulation.

All methods are synchronous and short; the web layer runs them in the thread pool.
"""

from __future__ import annotations

import base64
import binascii
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from pydantic import ValidationError

from console.schema import ActionRequest, EventCreateRequest, now_cst

from .catalog_data import CATEGORY_BY_CODE, build_catalog, nearest_street
from .errors import ApiError, validation_details
from .flow import apply_action, check_role, check_version, team_status_changes
from .privacy import mask_phone_field, mask_phones
from .security import (
    DEMO_USERS,
    Principal,
    fingerprint,
    hash_password,
    new_salt,
    new_token,
    token_hash,
    verify_password,
)
from .simulator.generator import EventGenerator
from .store import Database, Txn, dumps

log = logging.getLogger("backend.service")

#: A "running" idempotency record older than this was left by a crash and may be taken over.
STALE_RUNNING_SECONDS = 60.0
#: Answered idempotency records are kept this long (an outbox replays within minutes or hours).
IDEMPOTENCY_KEEP_SECONDS = 7 * 24 * 3600
MAX_KEY_LENGTH = 200


@dataclass
class CommandResult:
    """What a command answers: status, JSON body, and whether it is a stored replay."""

    status: int
    body: Any
    replayed: bool = False


class HallService:
    """Everything the HTTP and websocket layers ask of the backend."""

    def __init__(self, db: Database, *, seed: int = 1, access_ttl: float = 15 * 60,
                 refresh_ttl: float = 12 * 3600):
        self.db = db
        self.access_ttl = access_ttl
        self.refresh_ttl = refresh_ttl
        self.generator = EventGenerator(seed)
        self.catalog = build_catalog()
        self._units = {u["id"]: u for u in self.catalog["units"]}
        #: Called with the event after every accepted (not replayed) action, off the event loop.
        self.action_listeners: list[Callable[[dict], None]] = []
        self._ensure_users()
        with self.db.write() as tx:
            tx.conn.execute("DELETE FROM idempotency WHERE created_at < ?",
                            (time.time() - IDEMPOTENCY_KEEP_SECONDS,))

    # ---- auth

    def _ensure_users(self) -> None:
        with self.db.write() as tx:
            for username, name, roles in DEMO_USERS:
                exists = tx.conn.execute("SELECT 1 FROM users WHERE id = ?", (username,)).fetchone()
                if exists:
                    continue
                salt = new_salt()
                tx.conn.execute(
                    "INSERT INTO users(id, name, roles, scope, salt, password_hash)"
                    " VALUES (?,?,?,?,?,?)",
                    (username, name, dumps(roles), dumps({"level": "district", "street_id": None}),
                     salt, hash_password(username, salt)))

    def login(self, username: str, password: str, seat: str) -> dict:
        with self.db.read() as conn:
            row = conn.execute("SELECT * FROM users WHERE id = ?", (username,)).fetchone()
        ok = row is not None and verify_password(password, row["salt"], row["password_hash"])
        with self.db.write() as tx:
            tx.audit(actor=username[:64], seat=seat, action="login", target=f"user:{username[:64]}",
                     result="ok" if ok else "invalid_credentials", idempotency_key=None,
                     event_id=None)
        if not ok:
            raise ApiError(401, "invalid_credentials", "Wrong user name or password.")
        return self._issue(row, seat)

    def refresh(self, refresh_token: str) -> dict:
        digest = token_hash(refresh_token)
        with self.db.write() as tx:
            row = tx.conn.execute(
                "SELECT user_id, seat, expires_at FROM tokens WHERE token_hash = ? AND kind = 'refresh'",
                (digest,)).fetchone()
            if row is None or row["expires_at"] < time.time():
                raise ApiError(401, "invalid_credentials",
                               "The refresh token is unknown, used or expired.")
            # Rotation: a refresh token works once.
            tx.conn.execute("DELETE FROM tokens WHERE token_hash = ?", (digest,))
            user = tx.conn.execute("SELECT * FROM users WHERE id = ?", (row["user_id"],)).fetchone()
        return self._issue(user, row["seat"])

    def _issue(self, user, seat: str) -> dict:
        access, refresh = new_token(), new_token()
        now = time.time()
        with self.db.write() as tx:
            tx.conn.execute("DELETE FROM tokens WHERE expires_at < ?", (now,))
            tx.conn.executemany(
                "INSERT INTO tokens(token_hash, kind, user_id, seat, expires_at) VALUES (?,?,?,?,?)",
                [(token_hash(access), "access", user["id"], seat, now + self.access_ttl),
                 (token_hash(refresh), "refresh", user["id"], seat, now + self.refresh_ttl)])
        return {"access_token": access, "refresh_token": refresh,
                "expires_in": int(self.access_ttl), "user": self._principal(user, seat).user_json()}

    @staticmethod
    def _principal(user, seat: str) -> Principal:
        return Principal(user_id=user["id"], name=user["name"],
                         roles=tuple(orjson.loads(user["roles"])), seat=seat,
                         scope=orjson.loads(user["scope"]))

    def authenticate(self, access_token: str | None) -> Principal:
        if not access_token:
            raise ApiError(401, "unauthorized", "A bearer token is required.")
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT u.*, t.seat AS seat, t.expires_at AS expires_at FROM tokens t"
                " JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.kind = 'access'",
                (token_hash(access_token),)).fetchone()
        if row is None or row["expires_at"] < time.time():
            raise ApiError(401, "unauthorized", "The access token is unknown or expired.")
        return self._principal(row, row["seat"])

    def require_role(self, principal: Principal, roles: set[str], what: str) -> None:
        if not principal.has_any(roles):
            raise ApiError(403, "forbidden", f"Your role may not {what}.")

    # ---- reference data and reads

    def catalog_json(self) -> dict:
        return self.catalog

    def move_unit(self, unit_id: str, position: tuple[float, float], status: str | None) -> int:
        with self.db.write() as tx:
            unit = self._units[unit_id]
            unit["position"] = [position[0], position[1]]
            if status:
                unit["status"] = status
            return self._publish_unit(tx, unit)

    def _set_unit_status(self, tx: Txn, unit_id: str, status: str) -> None:
        """Change a unit's status within a command's transaction (published as unit.position)."""
        unit = self._units[unit_id]
        if unit["status"] != status:
            unit["status"] = status
            self._publish_unit(tx, unit)

    @staticmethod
    def _publish_unit(tx: Txn, unit: dict) -> int:
        return tx.append_message("unit.position", {"unit_id": unit["id"],
                                                   "position": unit["position"],
                                                   "status": unit["status"]})

    def list_events(self, *, since_seq: int | None, statuses: list[str] | None, limit: int,
                    cursor: str | None) -> bytes:
        after = since_seq or 0
        if cursor:
            after = max(after, _decode_cursor(cursor))
        rows, last_seq = self.db.list_events(after_seq=after, statuses=statuses, limit=limit)
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            next_cursor = _encode_cursor(orjson.loads(rows[-1])["seq"])
        # The stored JSON texts are spliced in as they are: no re-encoding per event.
        head = b'{"items":[' + ",".join(rows).encode() + b"]"
        tail = orjson.dumps({"next_cursor": next_cursor, "last_seq": last_seq})
        return head + b"," + tail[1:]

    def get_event(self, event_id: str) -> dict:
        event = self.db.get_event(event_id)
        if event is None:
            raise ApiError(404, "not_found", "No such event.", {"event_id": event_id})
        return event

    def audit(self, *, event_id: str | None, actor: str | None, since: datetime | None,
              limit: int) -> list[dict]:
        return self.db.audit_entries(event_id=event_id, actor=actor,
                                     since=since.timestamp() if since else None, limit=limit)

    # ---- commands

    def act(self, principal: Principal, event_id: str, raw: bytes, key: str | None) -> CommandResult:
        parsed = _parse_json(raw)
        action = parsed.get("action") if isinstance(parsed, dict) else None
        action = action[:32] if isinstance(action, str) else "unknown"

        def handler(tx: Txn) -> tuple[int, Any]:
            request = _validate(ActionRequest, parsed)
            event = tx.get_event(event_id)
            if event is None:
                raise ApiError(404, "not_found", "No such event.", {"event_id": event_id})
            check_role(principal, request.action)
            check_version(event, request.expected_version)
            before = list(event.get("assignments") or [])
            event = apply_action(event, request, principal, now_cst())
            stored = tx.put_event(event)
            for unit_id, status in team_status_changes(before, event, request.action).items():
                self._set_unit_status(tx, unit_id, status)
            return 200, stored

        result = self._command(principal, key, f"POST /events/{event_id}/actions", raw, parsed,
                               action, event_id, handler)
        if not result.replayed:
            for listener in self.action_listeners:
                listener(result.body)
        return result

    def create_event(self, principal: Principal, raw: bytes, key: str | None) -> CommandResult:
        parsed = _parse_json(raw)

        def handler(tx: Txn) -> tuple[int, Any]:
            request = _validate(EventCreateRequest, parsed)
            cat = CATEGORY_BY_CODE.get(request.category)
            if cat is None:
                raise ApiError(422, "invalid", "Unknown category.", {"field": "category"})
            now = now_cst()
            n = tx.next_event_number()
            loc = request.location.model_dump(mode="json")
            if not loc.get("street_id"):
                loc["street_id"] = nearest_street(loc["lon"], loc["lat"])
            loc["address"] = mask_phones(loc.get("address") or "")
            stamp = now.isoformat()
            sla = cat["sla"]
            event = {
                "id": f"EV-{now:%Y%m%d}-{n:06d}", "seq": 0, "version": 1,
                "title": mask_phones(request.title), "description": mask_phones(request.description),
                "category": request.category,
                "level": request.level or cat["default_level"], "source": request.source,
                "status": "new", "location": loc, "reported_at": stamp, "updated_at": stamp,
                "sla": {"sign_due": (now + timedelta(minutes=sla["sign_minutes"])).isoformat(),
                        "resolve_due": (now + timedelta(hours=sla["resolve_hours"])).isoformat()},
                "assignments": [],
                "reporter": {"name": mask_phones(request.reporter.name)[:64],
                             "phone_masked": mask_phone_field(request.reporter.phone_masked)[:32]},
                "timeline": [{"at": stamp, "actor": principal.user_id, "action": "report",
                              "detail": "人工录入"}],
                "bounces": 0, "camera_ids": [],
            }
            return 201, tx.put_event(event)

        return self._command(principal, key, "POST /events", raw, parsed, "create", "events",
                             handler)

    def _command(self, principal: Principal, key: str | None, route: str, raw: bytes,
                 parsed: Any, action: str, target: str,
                 handler: Callable[[Txn], tuple[int, Any]]) -> CommandResult:
        """Run a command once per Idempotency-Key, auditing it whatever the outcome."""
        event_id = target if target != "events" else None
        audit_key = key if key and len(key) <= MAX_KEY_LENGTH else None

        def refuse(error: ApiError, store: bool) -> None:
            with self.db.write() as tx:
                if store:
                    tx.finish_idempotency(principal.user_id, key, error.status, error.body())
                tx.audit(actor=principal.user_id, seat=principal.seat, action=action,
                         target=target, result=error.code, idempotency_key=audit_key,
                         event_id=event_id)
            raise error

        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            refuse(ApiError(422, "invalid", "An Idempotency-Key header (1-200 printable"
                            " characters) is required.", {"header": "Idempotency-Key"}), False)
        canonical = orjson.dumps(parsed, option=orjson.OPT_SORT_KEYS) if parsed is not _BAD \
            else raw
        request_hash = fingerprint(route.encode(), canonical)
        with self.db.write() as tx:
            record = tx.get_idempotency(principal.user_id, key)
            replay: CommandResult | None = None
            error: ApiError | None = None
            if record is not None:
                running = record["state"] == "running"
                if running and time.time() - record["created_at"] < STALE_RUNNING_SECONDS:
                    error = ApiError(409, "in_progress",
                                     "A request with this Idempotency-Key is still running.")
                elif not running and record["request_hash"] != request_hash:
                    error = ApiError(422, "idempotency_key_reuse",
                                     "This Idempotency-Key was used for another request.")
                elif not running:
                    replay = CommandResult(record["status_code"], orjson.loads(record["response"]),
                                           replayed=True)
                # else: a stale "running" record, taken over below
                if error is not None or replay is not None:
                    tx.audit(actor=principal.user_id, seat=principal.seat, action=action,
                             target=target, result=error.code if error else "replayed",
                             idempotency_key=key, event_id=event_id)
            if record is None or (replay is None and error is None):
                tx.claim_idempotency(principal.user_id, key, request_hash)
        if replay is not None:
            return replay
        if error is not None:
            raise error
        try:
            with self.db.write() as tx:
                status, body = handler(tx)
                tx.finish_idempotency(principal.user_id, key, status, body)
                tx.audit(actor=principal.user_id, seat=principal.seat, action=action,
                         target=body.get("id", target) if isinstance(body, dict) else target,
                         result="ok", idempotency_key=key,
                         event_id=(body.get("event_id") or body.get("id"))
                         if isinstance(body, dict) else event_id)
            return CommandResult(status, body)
        except ApiError as error:
            refuse(error, error.status < 500)
            raise  # unreachable: refuse raises
        except BaseException:
            with self.db.write() as tx:
                tx.drop_idempotency(principal.user_id, key)
            raise

    # ---- simulation

    def generate(self, count: int, *, burst: str | None = None, source: str | None = None,
                 level: int | None = None, category: str | None = None,
                 principal: Principal | None = None) -> dict:
        """Create `count` simulated events in one transaction."""
        ids: list[str] = []
        now = now_cst()
        with self.db.write() as tx:
            for _ in range(count):
                n = tx.next_event_number()
                event = self.generator.make(n, now, burst=burst, source=source, level=level,
                                            category=category)
                ids.append(tx.put_event(event)["id"])
            if principal is not None:
                tx.audit(actor=principal.user_id, seat=principal.seat,
                         action=f"sim.{burst or 'events'}", target="simulator", result="ok",
                         idempotency_key=None, event_id=None)
            last_seq = tx.last_seq
        return {"ids": ids, "last_seq": last_seq}


_BAD = object()


def _parse_json(raw: bytes) -> Any:
    try:
        return orjson.loads(raw) if raw else _BAD
    except orjson.JSONDecodeError:
        return _BAD


def _validate(model, parsed: Any):
    if parsed is _BAD:
        raise ApiError(422, "invalid", "The body is not valid JSON.", {"reason": "malformed_json"})
    try:
        return model.model_validate(parsed)
    except ValidationError as exc:
        raise ApiError(422, "invalid", "The request body is not valid.",
                       validation_details(exc.errors())) from None


def _encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(orjson.dumps({"after": seq})).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int:
    try:
        data = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        after = data["after"]
        if not isinstance(after, int) or after < 0:
            raise ValueError
        return after
    except (ValueError, KeyError, TypeError, binascii.Error, orjson.JSONDecodeError):
        raise ApiError(422, "invalid", "Bad cursor.", {"field": "cursor"}) from None
