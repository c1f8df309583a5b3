"""The outbox: the seat's commands, kept on disk until the backend has answered them for good.

Every command the user makes (acknowledge, note, dispatch, any action, a new event) goes in
here first. One thread, the sender, takes new commands in the order they were made, writes
each to the offline cache with full durability (`OfflineCache.outbox_add`), and only then
sends it. The answers:

- an HTTP answer that is final (2xx; 400, 403, 404, 409, 422 and other 4xx) takes the
  command out of the outbox and is reported (`on_result`): a refusal or a conflict is shown
  to the user, never retried;
- a network failure (refused, reset, timed out, cut half-way), an answer that cannot be read
  (truncated, not JSON) or a server in trouble (429, 500, 502, 503, 504) leaves it, and every command after it, in the outbox: the sender waits
  (with backoff, or until `wake()` says the link is back) and sends it again with the same
  idempotency key, so the backend applies it at most once even when it had committed the
  first try and the answer was lost;
- a command made on a version of an event that this seat's own earlier command moved on
  from (two notes typed while offline; a note typed just before the answer of the first
  arrived) is sent on the version that command produced: the only change in between is the
  seat's own, so this overwrites nothing;
- a command can only go out under the user who made it: while nobody (or someone else) is
  signed in online, it waits; each user's commands go in the order they were made.

Commands left in the cache by an earlier run are loaded at start and replayed first, in
their order. Nothing is dropped without an answer.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from console.api import ApiClient, ApiError, NetworkError
from console.commands import Command, CommandResult, CreateEventCommand, send_command
from console.events import Signal
from console.logsafe import mask_phone_field, mask_phones
from console.schema import ActionRequest, EventCreateRequest
from offline_cache import OfflineCache, OutboxRow

log = logging.getLogger(__name__)

#: Answers that say "not now", not "no": the command stays and is sent again.
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
#: Events whose own moves are remembered (`Outbox._moves`).
_MOVES_KEPT = 2000
#: Backoff between tries of a command that could not be delivered (first, longest), s.
RETRY_DELAY = (0.5, 10.0)

AnyCommand = Command | CreateEventCommand


@dataclass(frozen=True)
class PendingCommand:
    """A command in the outbox, as the desk shows it."""

    command: AnyCommand
    username: str
    attempts: int = 0
    last_error: str = ""

    @property
    def event_id(self) -> str:
        return self.command.event_id


class Outbox:
    """The seat's durable command queue and its sender thread (see the module docstring).

    `sig_changed(pending)` is emitted on the sender thread (or the caller's, for `submit`)
    with the commands still pending, in order. `on_result(result)` is called on the sender
    thread for each command answered for good.
    """

    def __init__(self, cache: OfflineCache, api: ApiClient,
                 current_user: Callable[[], str | None],
                 on_result: Callable[[CommandResult], None], *,
                 retry_delay: tuple[float, float] = RETRY_DELAY) -> None:
        self._cache = cache
        self._api = api
        self._current_user = current_user
        self._on_result = on_result
        self._retry_delay = retry_delay
        self._incoming: queue.SimpleQueue[tuple[AnyCommand, str]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._pending: list[PendingCommand] = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._persist_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        #: (user, event) -> {version a command was made on: version it produced}: this
        #: seat's own changes, which later commands made on the old version may follow.
        self._moves: OrderedDict[tuple[str, str], dict[int, int]] = OrderedDict()
        self.sig_changed = Signal("outbox_changed")
        self.delivered = 0

    # ---- Public API

    def start(self) -> None:
        """Load what an earlier run left, then start sending."""
        if self._thread is not None:
            return
        left: list[PendingCommand] = []
        for row in self._cache.outbox():
            try:
                command = command_from_row(row)
            except ValueError as exc:
                # Kept in the cache (never deleted silently) and reported in the log.
                log.error("outbox row %s cannot be read back (%s); it stays in the cache", row.id, exc)
                continue
            left.append(PendingCommand(command, row.username, row.attempts, row.last_error))
        with self._lock:
            self._pending = left + self._pending
        if left:
            log.info("outbox: %d command(s) left by an earlier run will be sent", len(left))
            self._changed()
        self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop sending; commands submitted but not yet written are written first."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        with self._persist_lock:
            self._persist_incoming()

    def submit(self, command: AnyCommand, username: str) -> None:
        """Queue `command`, made by `username`; it shows as pending at once. Non-blocking."""
        self._incoming.put((command, username))  # first: what the sender sees is persistable
        with self._lock:
            self._pending.append(PendingCommand(command, username))
        self._wake.set()
        self._changed()

    def wake(self) -> None:
        """The link (or the sign-in) is back: try the first pending command now."""
        self._wake.set()

    def pending(self) -> list[PendingCommand]:
        with self._lock:
            return list(self._pending)

    # ---- The sender thread

    def _run(self) -> None:
        attempt = 0
        while not self._stop.is_set():
            with self._persist_lock:
                self._persist_incoming()
            head = self._head(self._current_user())
            if head is None:  # nothing, or nothing this user may send (signed out, offline
                self._wait(None if not self.pending() else 1.0)  # sign-in, another user's)
                continue
            with self._persist_lock:  # a command made a moment ago is written before it goes
                self._persist_incoming()
            head = self._moved_on(head)
            outcome = self._send(head)
            if outcome is None:  # not delivered: try again later
                delay = min(self._retry_delay[1], self._retry_delay[0] * 2 ** min(attempt, 10))
                attempt += 1
                self._wait(delay)
            else:
                attempt = 0
                self._finish(head, outcome)

    def _persist_incoming(self) -> None:
        while True:
            try:
                command, username = self._incoming.get_nowait()
            except queue.Empty:
                return
            # Written on the version the seat's own answered commands moved the event to, so
            # a restart before it is sent (the moves are only in memory) cannot send it on
            # the old one.
            pending = self._moved_on(PendingCommand(command, username), persist=False)
            command = pending.command
            try:
                self._cache.outbox_add(row_from_command(command, username))
            except Exception:
                # The command stays pending in memory and is still sent; the log says it
                # was not durable (a full or broken disk).
                log.exception("outbox: command %s could not be written to the cache", command.id)

    def _head(self, username: str | None) -> PendingCommand | None:
        """The first pending command of `username` (each user's commands go in order)."""
        if not username:
            return None
        with self._lock:
            return next((p for p in self._pending if p.username == username), None)

    def _wait(self, seconds: float | None) -> None:
        if self._incoming.empty():
            self._wake.wait(seconds)
        self._wake.clear()

    def _send(self, pending: PendingCommand) -> CommandResult | None:
        command = pending.command
        try:
            event = send_command(self._api, command)
            return CommandResult(command=command, event=event)
        except NetworkError as exc:
            return self._not_delivered(pending, exc)
        except ApiError as exc:
            # A cut or garbled answer ("bad_response") may hide a committed command: only
            # the same key again can tell, and the backend answers it without applying twice.
            if (exc.status in TRANSIENT_STATUSES or exc.status == 401
                    or exc.code == "bad_response"):
                return self._not_delivered(pending, exc)
            log.info("%s on %s refused: %s", command.action, command.event_id or "a new event",
                     exc.code)
            return CommandResult.from_error(command, exc)

    def _not_delivered(self, pending: PendingCommand, exc: ApiError) -> None:
        log.info("outbox: %s %s not delivered (%s); kept", pending.command.action,
                 pending.command.id, exc.code)
        updated = PendingCommand(pending.command, pending.username, pending.attempts + 1,
                                 exc.message or exc.code)
        with self._lock:
            for index, item in enumerate(self._pending):
                if item is pending:
                    self._pending[index] = updated
        try:
            self._cache.outbox_update(pending.command.id, state="pending",
                                      attempts=updated.attempts, last_error=updated.last_error)
        except Exception:
            log.exception("outbox: cannot record the failed try of %s", pending.command.id)
        self._changed()
        return None

    def _finish(self, pending: PendingCommand, result: CommandResult) -> None:
        # The commands that follow this one move on first (persisted), so a restart right
        # after cannot send them on the old version.
        self._record_move(pending, result)
        for other in self.pending():
            if other is not pending and other.command.event_id == pending.command.event_id:
                self._moved_on(other)
        try:
            self._cache.outbox_remove(pending.command.id)
        except Exception:
            log.exception("outbox: cannot remove %s from the cache", pending.command.id)
        try:  # reported before it leaves the list: it is always pending or answered
            self._on_result(result)
        except Exception:
            log.exception("outbox: the result handler failed")
        with self._lock:
            self._pending = [p for p in self._pending if p.command.id != pending.command.id]
        self.delivered += 1
        self._changed()

    def _moved_on(self, pending: PendingCommand, persist: bool = True) -> PendingCommand:
        """`pending` made on a version this seat's own earlier commands have moved on from:
        the same command on the version they produced (in the pending list, and persisted
        unless `persist` is False: not yet written); else `pending` itself."""
        command = pending.command
        if not isinstance(command, Command):
            return pending
        moves = self._moves.get((pending.username, command.event_id))
        version = command.request.expected_version
        while moves and version in moves:
            version = moves[version]
        if version == command.request.expected_version:
            return pending
        request = command.request.model_copy(update={"expected_version": version})
        moved = PendingCommand(
            Command(event_id=command.event_id, request=request, id=command.id,
                    idempotency_key=command.idempotency_key, created_at=command.created_at),
            pending.username, pending.attempts, pending.last_error)
        with self._lock:
            self._pending = [moved if p.command.id == command.id else p for p in self._pending]
        if not persist:
            return moved
        try:
            self._cache.outbox_update(command.id, body=row_from_command(moved.command,
                                                                        moved.username).body)
        except Exception:
            log.exception("outbox: cannot record the new version of %s", command.id)
        return moved

    def _record_move(self, pending: PendingCommand, result: CommandResult) -> None:
        command = pending.command
        if not (result.ok and result.event is not None and isinstance(command, Command)):
            return
        key = (pending.username, command.event_id)
        self._moves.setdefault(key, {})[command.request.expected_version] = result.event.version
        self._moves.move_to_end(key)
        while len(self._moves) > _MOVES_KEPT:
            self._moves.popitem(last=False)

    def _changed(self) -> None:
        self.sig_changed.emit(self.pending())


# ---- Rows


def row_from_command(command: AnyCommand, username: str) -> OutboxRow:
    """The cache row of a command (the request as JSON, its key and identity).

    Phone numbers are masked in what is written (R8): the backend masks them on arrival
    anyway (backend/privacy.py), so the command sent after a restart means the same."""
    request = command.request
    if isinstance(command, CreateEventCommand) and request.reporter.phone_masked:
        request = request.model_copy(update={"reporter": request.reporter.model_copy(
            update={"phone_masked": mask_phone_field(request.reporter.phone_masked)})})
    return OutboxRow(
        id=command.id, position=0,
        kind="create" if isinstance(command, CreateEventCommand) else "action",
        event_id=command.event_id, idempotency_key=command.idempotency_key,
        body=mask_phones(request.model_dump_json()).encode(), created_at=command.created_at.isoformat(),
        username=username, state="pending", attempts=0, last_error="")


def command_from_row(row: OutboxRow) -> AnyCommand:
    """The command a cache row holds; ValueError if it cannot be read back."""
    try:
        created_at = datetime.fromisoformat(row.created_at)
        if row.kind == "create":
            return CreateEventCommand(request=EventCreateRequest.model_validate_json(row.body),
                                      id=row.id, idempotency_key=row.idempotency_key,
                                      created_at=created_at)
        if row.kind == "action":
            return Command(event_id=row.event_id,
                           request=ActionRequest.model_validate_json(row.body),
                           id=row.id, idempotency_key=row.idempotency_key, created_at=created_at)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise ValueError(f"unreadable {row.kind} command: {exc}") from None
    raise ValueError(f"unknown command kind {row.kind!r}")
