"""The live feed: one websocket, read on its own thread, delivered in seq order as batches.

The feed applies each durable seq exactly once: repeats are dropped, a gap makes it resume
from the last seq it accepted, and `resync_required` hands over to a REST reload. A watchdog
reconnects when nothing at all arrives for `heartbeat_timeout` (a half-open connection),
and every reconnect waits a jittered, growing delay.

Batches go to `on_batch` on the live thread, each a list of `LiveMessage` in seq order. For
`event.upsert` messages the validated `Event` is attached (`message.event`), so nobody has to
validate it again. Heartbeats and `resync_required` are never delivered.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import orjson
from pydantic import ValidationError
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException
from websockets.sync.client import ClientConnection, connect

from console.schema import DURABLE_LIVE_TYPES, Event, Heartbeat, LiveMessage

log = logging.getLogger(__name__)

MAX_FRAME_BYTES = 4 * 1024 * 1024
MAX_BATCH = 2000
#: How long the stream may lag behind what a heartbeat announced before it counts as a gap.
HEARTBEAT_GRACE = 1.0
#: Longest single wait in the receive loop, so stop() is noticed promptly.
_POLL = 0.2
#: A rejected frame holding the next seq is skipped after this many connections in a row.
_POISON_LIMIT = 3
_PREVIEW = 200
_UNAUTHORIZED_CLOSE = 4401


#: Silence after which the link counts as half-open. The backend sends a heartbeat every 5 s:
#: two missed heartbeats and a margin, so a reconnect (backoff and handshake included) lands
#: within R6's 15 s.
HEARTBEAT_TIMEOUT = 11.0

class _Reconnect(Exception):
    """Leave the current connection: `reason` is logged and shown; `healthy` resets backoff."""

    def __init__(self, reason: str, *, healthy: bool = False, backoff: bool = True,
                 silent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.healthy = healthy
        self.backoff = backoff
        self.silent = silent


@dataclass(frozen=True)
class LiveUrl:
    """The live feed's websocket address; called with a seq, the URL that resumes after it.
    A plain value, so that it can be handed to the feed's own process."""

    endpoint: str

    def __call__(self, since_seq: int) -> str:
        return f"{self.endpoint}?since_seq={int(since_seq)}"


class LiveFeed:
    """Client of `/api/v1/live` running in a daemon thread.

    States passed to `on_state(state, detail)`: "connecting", "live", "reconnecting",
    "resyncing", "stopped". `on_unauthorized(refused_token)`, if given, is called on the live
    thread when the server refuses the token (HTTP 401 or close code 4401), before
    `token_provider` is asked again; it may refresh the token.
    """

    def __init__(
        self,
        url_for: Callable[[int], str],
        token_provider: Callable[[], str | None],
        *,
        since_seq: int,
        on_batch: Callable[[list[LiveMessage]], None],
        on_state: Callable[[str, str], None],
        on_resync: Callable[[], None],
        batch_window: float = 0.05,
        heartbeat_timeout: float = HEARTBEAT_TIMEOUT,
        backoff: tuple[float, float] = (0.5, 15.0),
        on_unauthorized: Callable[[str | None], object] | None = None,
        max_batch: int = MAX_BATCH,
    ) -> None:
        self._url_for = url_for
        self._token_provider = token_provider
        self._on_batch = on_batch
        self._on_state = on_state
        self._on_resync = on_resync
        self._on_unauthorized = on_unauthorized
        self._batch_window = batch_window
        self._heartbeat_timeout = heartbeat_timeout
        self._backoff = backoff
        self._max_batch = max_batch
        self._last_seq = since_seq
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._resync_pending = False
        self._ws: ClientConnection | None = None
        self._thread: threading.Thread | None = None
        self._poison_seen = (-1, -1)  # (seq, connection number)
        self._poison_count = 0
        self._log_window = 0.0
        self._logged_in_window = 0
        self._suppressed = 0
        #: Counters for diagnostics and tests.
        self.rejected = 0
        self.duplicates = 0
        self.gaps = 0
        self.connections = 0

    # ---- Public API

    @property
    def last_seq(self) -> int:
        """The last durable seq accepted from the stream."""
        return self._last_seq

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the live feed was already started")
        self._thread = threading.Thread(target=self._run, name="live-feed", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5) -> None:
        """Close the connection and join the thread; no batch is delivered after this."""
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            if thread.is_alive():
                log.warning("the live feed thread did not end within %.1f s", timeout)

    def resume_from(self, seq: int) -> None:
        """Go on from `seq` (after a REST reload that followed `resync_required`)."""
        self._last_seq = seq
        self._resync_pending = False
        self._wake.set()

    # ---- The thread

    def _run(self) -> None:
        attempt = 0
        state, detail = "connecting", ""
        try:
            while not self._stop.is_set():
                if self._resync_pending:
                    self._wait_for_resume()
                    state, detail = "reconnecting", "resuming after a reload"
                    continue
                self._state(state, detail or f"from seq {self._last_seq}")
                try:
                    self._connection()
                    continue  # only when stopping
                except Exception as exc:
                    leave = exc if isinstance(exc, _Reconnect) else None
                    if leave is None:  # a bug must not end a 24/7 feed: log it, go on
                        log.exception("live feed: unexpected failure")
                        leave = _Reconnect(f"internal error ({type(exc).__name__})")
                    if self._stop.is_set():
                        break
                    if leave.healthy:
                        attempt = 0
                    state, detail = "reconnecting", leave.reason
                    if not leave.backoff or self._resync_pending:
                        continue
                    delay = self._delay(attempt)
                    attempt += 1
                    log.info("live feed: %s; reconnecting in %.1f s", leave.reason, delay)
                    self._state("reconnecting", f"{leave.reason}; retry in {delay:.1f} s")
                    self._stop.wait(delay)
        except Exception:
            log.exception("the live feed thread failed")
        finally:
            self._state("stopped", "")

    def _connection(self) -> None:
        """Run one websocket connection until it ends; always ends by raising _Reconnect
        (or returning when stopping)."""
        since = self._last_seq
        token = self._token_provider()
        if not token:
            raise _Reconnect("not signed in")
        try:
            ws = connect(
                self._url_for(since),
                additional_headers={"Authorization": f"Bearer {token}"},
                open_timeout=5,
                close_timeout=2,
                max_size=MAX_FRAME_BYTES,
            )
        except InvalidStatus as exc:
            status = exc.response.status_code
            if status == 401:
                self._unauthorized(token)
                raise _Reconnect("the server refused the sign-in token") from None
            raise _Reconnect(f"the server answered HTTP {status}") from None
        except (OSError, TimeoutError, WebSocketException) as exc:
            raise _Reconnect(f"cannot connect ({type(exc).__name__})") from None
        self._ws = ws
        self.connections += 1
        with ws:  # closes it on the way out (a no-op after close_socket)
            try:
                if self._stop.is_set():
                    return
                log.info("live feed connected, resuming after seq %d", since)
                self._state("live", f"from seq {since}")
                self._receive(ws)
            except _Reconnect as leave:
                if leave.silent:  # a dead peer would only make a closing handshake wait
                    ws.close_socket()
                raise
            finally:
                self._ws = None

    def _receive(self, ws: ClientConnection) -> None:
        batch: list[LiveMessage] = []
        batch_due = 0.0
        healthy = False
        last_frame = time.monotonic()
        announced = -1  # the seq the last heartbeat said exists
        announced_due = 0.0
        try:
            while not self._stop.is_set():
                now = time.monotonic()
                if batch and (now >= batch_due or len(batch) >= self._max_batch):
                    self._deliver(batch)
                    batch = []
                if announced > self._last_seq and now >= announced_due:
                    self.gaps += 1
                    raise _Reconnect(f"heartbeat announced seq {announced}, have {self._last_seq}",
                                     healthy=healthy, backoff=not healthy)
                silent_until = last_frame + self._heartbeat_timeout
                if now >= silent_until:
                    log.warning("live feed: no frame for %.1f s, reconnecting",
                                self._heartbeat_timeout)
                    raise _Reconnect(f"no data for {self._heartbeat_timeout:g} s",
                                     healthy=healthy, silent=True)
                wait = min(silent_until - now, _POLL)
                if batch:
                    wait = min(wait, batch_due - now)
                if announced > self._last_seq:
                    wait = min(wait, announced_due - now)
                try:
                    raw = ws.recv(timeout=max(wait, 0.0), decode=False)
                except TimeoutError:
                    continue
                except ConnectionClosed as exc:
                    code = exc.rcvd.code if exc.rcvd is not None else None
                    if code == _UNAUTHORIZED_CLOSE:
                        self._unauthorized(self._token_provider())
                        raise _Reconnect("the server refused the sign-in token") from None
                    raise _Reconnect(f"connection closed ({code or 'no close frame'})",
                                     healthy=healthy) from None
                last_frame = time.monotonic()
                message = self._decode(raw)
                if message is None:
                    continue
                kind = message.type
                if kind in DURABLE_LIVE_TYPES:
                    seq = message.seq
                    if seq <= self._last_seq:
                        self.duplicates += 1
                        continue
                    if seq > self._last_seq + 1:
                        self.gaps += 1
                        log.info("live feed: gap after seq %d (got %d), resuming",
                                 self._last_seq, seq)
                        # Resume at once, unless this connection brought nothing good
                        # (then the server keeps sending a hole: back off).
                        raise _Reconnect(f"gap after seq {self._last_seq}", healthy=healthy,
                                         backoff=not healthy)
                    self._last_seq = seq
                    healthy = True
                    batch.append(message)
                    if len(batch) == 1:
                        batch_due = last_frame + self._batch_window
                elif kind == "heartbeat":
                    healthy = True
                    hb_seq = message.data["last_seq"]
                    if hb_seq > self._last_seq and hb_seq > announced:
                        announced, announced_due = hb_seq, last_frame + HEARTBEAT_GRACE
                elif kind == "resync_required":
                    log.warning("live feed: the server no longer holds seq %d; reloading",
                                self._last_seq)
                    self._deliver(batch)
                    batch = []
                    self._resync_pending = True
                    self._state("resyncing", "reloading over REST")
                    try:
                        self._on_resync()
                    except Exception:
                        log.exception("on_resync failed")
                    raise _Reconnect("resync required", healthy=True, backoff=False)
        finally:
            if batch:
                self._deliver(batch)

    # ---- Helpers

    def _decode(self, raw: bytes | str) -> LiveMessage | None:
        """The frame as a validated message, or None (rejected and logged)."""
        obj = None
        try:
            obj = orjson.loads(raw)
            return message_from(obj, raw)
        except orjson.JSONDecodeError:
            self._reject(raw, "not JSON", None)
        except ValidationError as exc:
            self._reject(raw, _summary(exc), obj)
        except (ValueError, TypeError) as exc:
            self._reject(raw, str(exc), obj)
        return None

    def _reject(self, raw: bytes | str, why: str, obj: object) -> None:
        self.rejected += 1
        seq = obj.get("seq") if isinstance(obj, dict) else None
        if (type(seq) is int and seq == self._last_seq + 1
                and obj.get("type") in DURABLE_LIVE_TYPES
                and (seq, self.connections) != self._poison_seen):
            # The next seq itself is unreadable. Resuming (which the next frame's gap causes)
            # fetches it again; if it stays unreadable on several connections in a row, skip
            # it rather than stall forever. (Counted once per connection: a good copy of the
            # seq may still follow a bad one on the same connection.)
            self._poison_count = self._poison_count + 1 if seq == self._poison_seen[0] else 1
            self._poison_seen = (seq, self.connections)
            if self._poison_count >= _POISON_LIMIT:
                log.error("live feed: seq %d stays unreadable after %d tries; skipping it",
                          seq, self._poison_count)
                self._last_seq = seq
        now = time.monotonic()
        if now - self._log_window > 10.0:
            if self._suppressed:
                log.warning("live feed: %d more frames rejected", self._suppressed)
            self._log_window, self._logged_in_window, self._suppressed = now, 0, 0
        if self._logged_in_window >= 20:
            self._suppressed += 1
            return
        self._logged_in_window += 1
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        preview = text[:_PREVIEW] + ("…" if len(text) > _PREVIEW else "")
        log.warning("live feed: rejected a frame of %d bytes (%s): %r", len(raw), why, preview)

    def _deliver(self, batch: list[LiveMessage]) -> None:
        if not batch or self._stop.is_set():
            return
        try:
            self._on_batch(batch)
        except Exception:
            log.exception("on_batch failed")

    def _state(self, state: str, detail: str) -> None:
        try:
            self._on_state(state, detail)
        except Exception:
            log.exception("on_state failed")

    def _unauthorized(self, token: str | None) -> None:
        if self._on_unauthorized is None:
            return
        try:
            self._on_unauthorized(token)
        except Exception:
            log.exception("on_unauthorized failed")

    def _wait_for_resume(self) -> None:
        while self._resync_pending and not self._stop.is_set():
            self._wake.wait(1.0)
            self._wake.clear()

    def _delay(self, attempt: int) -> float:
        base, cap = self._backoff
        return min(cap, base * 2 ** min(attempt, 16)) * random.uniform(0.5, 1.0)


def decode_frame(raw: bytes | str) -> LiveMessage:
    """A live frame as a validated message. Raises `orjson.JSONDecodeError`,
    `pydantic.ValidationError`, `ValueError` or `TypeError` for a frame that is not one."""
    return message_from(orjson.loads(raw), raw)


def message_from(obj: object, raw: bytes | str) -> LiveMessage:
    """The parsed frame `obj` (received as `raw`) as a validated message, `raw` kept."""
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    data = obj.get("data", {})
    if not isinstance(data, dict):
        raise ValueError("data is not a JSON object")
    # The envelope is validated without `data` (a JSON object's keys are strings already);
    # copying a whole event through `dict[str, Any]` costs a third of the decode time.
    # `data` itself is validated by its own model just below.
    message = LiveMessage.model_validate(
        {"seq": obj.get("seq"), "type": obj.get("type"), "at": obj.get("at")})
    message.data = data
    frame = raw if isinstance(raw, bytes) else raw.encode()
    if message.type == "event.upsert":
        message.attach_event(Event.model_validate(data), frame)
    else:
        if message.type == "heartbeat":
            data["last_seq"] = Heartbeat.model_validate(data).last_seq
        message.attach_frame(frame)
    return message


def _summary(exc: ValidationError) -> str:
    errors = exc.errors(include_input=False, include_url=False, include_context=False)
    first = errors[0] if errors else {"loc": (), "type": "?"}
    where = ".".join(str(p) for p in first["loc"]) or "<root>"
    return f"{where}: {first['type']}" + (f" (+{len(errors) - 1})" if len(errors) > 1 else "")
