"""A signed-in console at work: the initial load, the live feed, and the user's commands.

All REST calls run in a small thread pool and the live feed in its own thread; every change
to the store, and every signal, happens through `call_on_main` (in the app, the GUI thread),
so the store has one owner and the views never see a half-applied batch.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from console.api import ApiClient, ApiError
from console.auth import AuthSession
from console.commands import Command, CommandResult, CreateEventCommand
from console.events import Signal
from console.live import LiveFeed
from console.mailbox import BatchMailbox
from console.runtime import settle_after_bulk_load
from console.schema import AuditEntry, Catalog, Event, EventCreateRequest, LiveMessage
from console.store import EventStore, PreparedLoad, encode_events

log = logging.getLogger(__name__)

#: Delay before retrying a failed load: (first, longest), in seconds, jittered.
LOAD_BACKOFF = (1.0, 30.0)


class HallSession:
    """Keeps an `EventStore` in step with the backend and runs the user's commands.

    Signals (all emitted through `call_on_main`):
    - `sig_connection(state, detail)`: "connecting", "live", "reconnecting", "resyncing",
      "offline" (the load failed; it is retried), "stopped";
    - `sig_loaded()`: the initial load is in the store;
    - `sig_error(message)`: something failed that no other signal reports;
    - `sig_command_finished(result: CommandResult)`: after the store holds its outcome.

    `live_options` are passed to `LiveFeed` (batch_window, heartbeat_timeout, backoff).
    """

    def __init__(self, api: ApiClient, auth: AuthSession, store: EventStore,
                 call_on_main: Callable[[Callable[[], None]], None], *, workers: int = 4,
                 live_options: dict[str, Any] | None = None,
                 schedule_live: Callable[[Callable[[], None]], None] | None = None) -> None:
        self.api = api
        self.auth = auth
        self.store = store
        self._call_on_main = call_on_main
        self._live_options = dict(live_options or {})
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hall-rest")
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._started = False
        self._feed: LiveFeed | None = None
        self._mailbox = BatchMailbox(
            lambda drain: (schedule_live or call_on_main)(self._unless_stopped(drain)),
            store.apply_batch)
        #: The last (state, detail) emitted by sig_connection.
        self.connection: tuple[str, str] = ("stopped", "")
        self.sig_connection = Signal("connection")
        self.sig_loaded = Signal("loaded")
        self.sig_error = Signal("error")
        self.sig_command_finished = Signal("command_finished")

    # ---- Public API: lifecycle

    def start(self) -> None:
        """Load the catalog and all events, then follow the live feed. Returns at once."""
        with self._lock:
            if self._started or self._stopping.is_set():
                raise RuntimeError("a HallSession starts once")
            self._started = True
        self._connection("connecting", "loading events")
        self._submit(self._load_then_follow)

    def stop(self) -> None:
        """Stop the feed and the pool and wait for their threads; nothing is emitted after,
        except the final `sig_connection("stopped", "")`."""
        with self._lock:
            if self._stopping.is_set():
                return
            self._stopping.set()
            feed = self._feed
        self._mailbox.close()
        if feed is not None:
            feed.stop()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self.connection = ("stopped", "")
        self.sig_connection.emit("stopped", "")

    @property
    def live_feed(self) -> LiveFeed | None:
        return self._feed

    # ---- Public API: commands

    def acknowledge(self, event_id: str) -> Command:
        return self.act(event_id, "acknowledge")

    def add_note(self, event_id: str, text: str) -> Command:
        return self.act(event_id, "note", note=text)

    def act(self, event_id: str, action: str, *, expected_version: int | None = None,
            **fields: Any) -> Command:
        """Send `action` on an event (call on main).

        `expected_version` is the version the user saw when deciding (a dialog opened a while
        ago); by default, the version the store holds. Raises KeyError if the store does not
        hold the event, pydantic.ValidationError if the fields are not valid for the action.
        """
        event = self.store.get(event_id)
        if event is None:
            raise KeyError(event_id)
        version = event.version if expected_version is None else expected_version
        command = Command.make(event_id, action, version, **fields)
        self._submit(self._run_command, command)
        return command

    def create_event(self, request: EventCreateRequest) -> CreateEventCommand:
        """Create an event (manual entry, indicator breach); call on main.

        The result comes as `sig_command_finished`, after the new event is in the store.
        """
        command = CreateEventCommand(request=request)
        self._submit(self._run_command, command)
        return command

    def resend(self, command: Command | CreateEventCommand) -> Command | CreateEventCommand:
        """Send a command again with its own idempotency key (after a lost answer): the
        backend applies it at most once and answers the second time with the first answer."""
        self._submit(self._run_command, command)
        return command

    def fetch_audit(self, event_id: str,
                    callback: Callable[[list[AuditEntry] | ApiError], None]) -> None:
        """Fetch an event's audit trail; `callback(entries or error)` runs on main."""
        def work() -> None:
            try:
                result: list[AuditEntry] | ApiError = self.api.audit(event_id=event_id)
            except ApiError as exc:
                result = exc
            self._on_main(lambda: callback(result))

        self._submit(work)

    # ---- Pool work

    def _load_then_follow(self) -> None:
        loaded = self._retry("initial load", "offline", self._load_everything, first_error=True)
        if loaded is None:
            return
        catalog, load = loaded

        def apply() -> None:
            self.store.set_catalog(catalog)
            self.store.install(load)
            settle_after_bulk_load()
            self.sig_loaded.emit()

        log.info("loaded %d events up to seq %d", len(load), load.last_seq)
        self._on_main(apply)
        self._follow(load.last_seq)

    def _load_everything(self) -> tuple[Catalog, PreparedLoad]:
        catalog = self.api.catalog()
        events, last_seq = self.api.all_events()
        return catalog, EventStore.prepare_load(events, last_seq)

    def _follow(self, since_seq: int) -> None:
        with self._lock:
            if self._stopping.is_set():
                return
            self._feed = LiveFeed(
                self.api.live_url,
                lambda: self.auth.access_token,
                since_seq=since_seq,
                on_batch=self._feed_batch,
                on_state=self._feed_state,
                on_resync=self._feed_resync,
                on_unauthorized=self.api.reauthenticate,
                **self._live_options,
            )
            self._feed.start()

    def _reload_after_resync(self) -> None:
        feed = self._feed
        if feed is None:
            return

        def reload() -> tuple[list[Event], int, list[bytes]]:
            events, last_seq = self.api.all_events(since_seq=feed.last_seq)
            return events, last_seq, encode_events(events)

        loaded = self._retry("reload after resync", "resyncing", reload)
        if loaded is None:
            return
        events, last_seq, documents = loaded
        log.info("resync: reloaded %d events up to seq %d", len(events), last_seq)
        self._on_main(lambda: self.store.merge(events, last_seq, documents))
        feed.resume_from(last_seq)

    def _retry(self, what: str, state: str, fn: Callable[[], Any], *,
               first_error: bool = False) -> Any:
        """`fn()`, retried with backoff on ApiError until it works (or None once stopping)."""
        attempt = 0
        while not self._stopping.is_set():
            try:
                return fn()
            except ApiError as exc:
                delay = _delay(attempt)
                attempt += 1
                reason = exc.message or exc.code
                log.warning("%s failed (%s); retrying in %.1f s", what, exc.code, delay)
                self._connection(state, f"{reason} (retry in {delay:.0f} s)")
                if first_error and attempt == 1:
                    self._on_main(lambda reason=reason: self.sig_error.emit(reason))
                if self._stopping.wait(delay):
                    return None
        return None

    def _run_command(self, command: Command | CreateEventCommand) -> None:
        try:
            if isinstance(command, CreateEventCommand):
                event = self.api.create_event(command.request, command.idempotency_key)
            else:
                event = self.api.act(command.event_id, command.request, command.idempotency_key)
            result = CommandResult(command=command, event=event)
        except ApiError as exc:
            log.info("%s on %s refused: %s", command.action, command.event_id or "a new event",
                     exc.code)
            result = CommandResult.from_error(command, exc)

        def finish() -> None:
            if result.event is not None:
                self.store.upsert([result.event])
            self.sig_command_finished.emit(result)

        self._on_main(finish)

    # ---- Live feed callbacks (live thread)

    def _feed_batch(self, batch: list[LiveMessage]) -> None:
        self._mailbox.put(batch)

    def _feed_state(self, state: str, detail: str) -> None:
        if state != "stopped":
            self._connection(state, detail)
        elif not self._stopping.is_set():  # the feed died on its own (a bug): say so
            self._connection("offline", "the live feed stopped unexpectedly")
            self._on_main(lambda: self.sig_error.emit("the live feed stopped unexpectedly"))
        # else: stop() reports "stopped" itself, once

    def _feed_resync(self) -> None:
        if not self._stopping.is_set():
            try:
                self._submit(self._reload_after_resync)
            except RuntimeError:  # stopped meanwhile
                pass

    # ---- Helpers

    def _submit(self, fn: Callable[..., None], *args: Any) -> None:
        def guarded() -> None:
            try:
                fn(*args)
            except Exception as exc:
                log.exception("background task %s failed", getattr(fn, "__name__", fn))
                text = f"internal error: {type(exc).__name__}"
                self._on_main(lambda: self.sig_error.emit(text))

        try:
            self._pool.submit(guarded)
        except RuntimeError:
            raise RuntimeError("the session is stopped") from None

    def _on_main(self, fn: Callable[[], None]) -> None:
        """Run `fn` on main, unless the session has stopped by then."""
        self._call_on_main(self._unless_stopped(fn))

    def _unless_stopped(self, fn: Callable[[], None]) -> Callable[[], None]:
        def guarded() -> None:
            if not self._stopping.is_set():
                fn()

        return guarded

    def _connection(self, state: str, detail: str) -> None:
        def emit() -> None:
            self.connection = (state, detail)
            self.sig_connection.emit(state, detail)

        self._on_main(emit)


def _delay(attempt: int) -> float:
    first, longest = LOAD_BACKOFF
    return min(longest, first * 2 ** min(attempt, 10)) * random.uniform(0.5, 1.0)
