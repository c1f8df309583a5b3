"""A signed-in console at work: the initial load, the live feed, and the user's commands.

All REST calls run in a small thread pool and the live feed in its own thread; every change
to the store, and every signal, happens through `call_on_main` (in the app, the GUI thread),
so the store has one owner and the views never see a half-applied batch.
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from console.api import ApiClient, ApiError
from console.auth import AuthSession
from console.cameras import CameraBoard, CameraMirror, cameras_from_cache, load_cameras
from console.commands import Command, CommandResult, CreateEventCommand, send_command
from console.conferences import ConferenceBoard, load_open_conferences, send_with_retries
from console.connectivity import OFFLINE, ONLINE, Connectivity
from console.events import Signal
from console.indicators import (
    HISTORY_HOURS,
    Histories,
    IndicatorBoard,
    indicator_from_cache,
    series_arrays,
)
from console.live_process import LiveFeedProcess
from console.mailbox import BatchMailbox
from console.mirror import (
    batch_rows,
    catalog_document,
    documents_to_events,
    event_rows,
    indicator_history_rows,
    indicator_list_rows,
    indicator_sample_rows,
)
from console.outbox import Outbox, PendingCommand
from console.runtime import settle_after_bulk_load
from console.schema import (
    AuditEntry,
    Catalog,
    Conference,
    ConferenceCreateRequest,
    Event,
    EventCreateRequest,
    Indicator,
    LiveMessage,
)
from console.store import EventStore, PreparedLoad, encode_events
from offline_cache import OfflineCache

log = logging.getLogger(__name__)

#: A cold start from the cache shows this many events first, then adds the rest in chunks.
COLD_START_FIRST = 2000
COLD_START_CHUNK = 10000
#: Delay before retrying a failed load: (first, longest), in seconds, jittered.
LOAD_BACKOFF = (1.0, 30.0)
#: The step (seconds) of the indicator histories loaded over REST.
INDICATOR_STEP = 60
#: Series requests in flight at once while the indicators load.
INDICATOR_FETCHES = 4


class HallSession:
    """Keeps an `EventStore` in step with the backend and runs the user's commands.

    Signals (all emitted through `call_on_main`):
    - `sig_connection(state, detail)`: "connecting", "live", "reconnecting", "resyncing",
      "offline" (the load failed; it is retried), "stopped";
    - `sig_loaded()`: the initial load is in the store;
    - `sig_error(message)`: something failed that no other signal reports;
    - `sig_command_finished(result: CommandResult)`: after the store holds its outcome.

    - `sig_connectivity(state, data_as_of)`: "online", "degraded" or "offline", and the epoch
      seconds of the newest data (console.connectivity);
    - `sig_outbox(pending)`: the commands not yet answered for good (`PendingCommand`s).

    `indicators` (an `IndicatorBoard`, on the thread of `call_on_main`) holds the city's
    indicators: listed with their last `HISTORY_HOURS` of history over REST at start (once the
    events are loaded), again after a resync and when the link comes back after an
    outage, and followed live through the store. `cameras` (a `CameraBoard`, likewise) holds
    the cameras: listed at start (from the cache first on a cold start) and after a resync,
    their status followed live.

    With a `cache` (console.offline_cache), everything loaded or received is mirrored to it
    (one transaction per batch, with the last seq), a start with a filled cache shows the
    cached events (and indicators, with the time of their values) at once and resumes the
    live feed from the cache's seq, and every command goes through the durable outbox
    (console.outbox). Without one (tests of other parts),
    commands are sent directly and nothing survives a restart.

    `live_options` are passed to `LiveFeed` in its process (batch_window, heartbeat_timeout, backoff).
    """

    def __init__(self, api: ApiClient, auth: AuthSession, store: EventStore,
                 call_on_main: Callable[[Callable[[], None]], None], *, workers: int = 4,
                 live_options: dict[str, Any] | None = None,
                 schedule_live: Callable[[Callable[[], None]], None] | None = None,
                 cache: OfflineCache | None = None) -> None:
        self.api = api
        self.cache = cache
        self.auth = auth
        self.store = store
        self._call_on_main = call_on_main
        self._live_options = dict(live_options or {})
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hall-rest")
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._started = False
        self._feed: LiveFeedProcess | None = None
        self._mailbox = BatchMailbox(
            lambda drain: (schedule_live or call_on_main)(self._unless_stopped(drain)),
            store.apply_batch)
        #: The last (state, detail) emitted by sig_connection.
        self.connection: tuple[str, str] = ("stopped", "")
        self.sig_connection = Signal("connection")
        self.sig_loaded = Signal("loaded")
        self.sig_error = Signal("error")
        self.sig_command_finished = Signal("command_finished")
        self.sig_connectivity = Signal("connectivity")
        self.sig_outbox = Signal("outbox")
        self.connectivity = Connectivity()
        self.connectivity.sig_changed.connect(self._connectivity_changed)
        api.sig_reached.connect(self.connectivity.rest_result)
        self.outbox: Outbox | None = None
        if cache is not None:
            self.outbox = Outbox(cache, api, lambda: auth.online_username, self._outbox_result)
            self.outbox.sig_changed.connect(self._outbox_changed)
        self._watch: threading.Thread | None = None
        self._link_back = threading.Event()
        #: The city's indicators (數字體征); changed on main only.
        self.indicators = IndicatorBoard(store)
        # Indicator loads: one at a time; a request while one runs makes it go again.
        self._indicators_asked = 0
        self._indicators_done = 0
        self._indicators_running = False
        self._indicators_cold = False  # the next load shows the cache's indicators first
        self._indicators_wake = threading.Event()
        self._was_offline = False
        #: id -> the listed indicator's JSON, for the cache rows of live samples (read on
        #: the live thread, replaced whole by a load).
        self._indicator_documents: dict[str, bytes] = {}
        #: The cameras (视频监控); changed on main only. The mirror keeps the cache's copies.
        self.cameras = CameraBoard(store)
        self._camera_mirror = CameraMirror()
        #: The conferences (視頻會商) heard of; changed on main only.
        self.conferences = ConferenceBoard(store)

    # ---- Public API: lifecycle

    def start(self) -> None:
        """Load the catalog and all events, then follow the live feed. Returns at once."""
        with self._lock:
            if self._started or self._stopping.is_set():
                raise RuntimeError("a HallSession starts once")
            self._started = True
        self._connection("connecting", "loading events")
        if self.outbox is not None:
            self.outbox.start()
        self._watch = threading.Thread(target=self._watch_link, name="hall-link", daemon=True)
        self._watch.start()
        self._submit(self._load_then_follow)

    def stop(self) -> None:
        """Stop the feed and the pool and wait for their threads; nothing is emitted after,
        except the final `sig_connection("stopped", "")`."""
        with self._lock:
            if self._stopping.is_set():
                return
            self._stopping.set()
            feed = self._feed
        self._indicators_wake.set()
        self._mailbox.close()
        if feed is not None:
            feed.stop()
        if self.outbox is not None:
            self.outbox.stop()
        if self._watch is not None:
            self._watch.join(5)
        self._pool.shutdown(wait=True, cancel_futures=True)
        self.connection = ("stopped", "")
        self.sig_connection.emit("stopped", "")

    @property
    def live_feed(self) -> LiveFeedProcess | None:
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
        self._send(command)
        return command

    def create_event(self, request: EventCreateRequest) -> CreateEventCommand:
        """Create an event (manual entry, indicator breach); call on main.

        The result comes as `sig_command_finished`, after the new event is in the store.
        """
        command = CreateEventCommand(request=request)
        self._send(command)
        return command

    def start_conference(self, request: ConferenceCreateRequest,
                         callback: Callable[[Conference | ApiError], None]) -> str:
        """Start a conference (call on main); returns its Idempotency-Key. `callback(the
        conference or the error)` runs on main, after the board has the conference."""
        key = str(uuid.uuid4())
        self._conference_command(
            lambda: self.api.create_conference(request, key), "start conference", callback)
        return key

    def end_conference(self, conference_id: str,
                       callback: Callable[[Conference | ApiError], None]) -> str:
        """End a conference (call on main); like `start_conference`."""
        key = str(uuid.uuid4())
        self._conference_command(lambda: self.api.end_conference(conference_id, key),
                                 f"end conference {conference_id}", callback)
        return key

    def _conference_command(self, send: Callable[[], Conference], what: str,
                            callback: Callable[[Conference | ApiError], None]) -> None:
        def work() -> None:
            try:
                result: Conference | ApiError = send_with_retries(send, what,
                                                                  stopping=self._stopping)
            except ApiError as exc:
                log.warning("%s refused: %s %s", what, exc.status, exc.code)
                result = exc

            def finish() -> None:
                if isinstance(result, Conference):
                    self.conferences.put(result)
                callback(result)

            self._on_main(finish)

        self._submit(work)

    def pending_commands(self) -> list[PendingCommand]:
        """Commands in the outbox (made here, not yet answered for good), in order."""
        return self.outbox.pending() if self.outbox is not None else []

    def _send(self, command: Command | CreateEventCommand) -> None:
        if self.outbox is not None:
            self.outbox.submit(command, self.auth.username or "")
        else:
            self._submit(self._run_command, command)

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
        if self.cache is not None and self._load_from_cache():
            return
        loaded = self._retry("initial load", "offline", self._load_everything, first_error=True)
        if loaded is None:
            return
        # The events come first: the indicators load once they are in (a few hundred ms).
        self._request_indicators()
        self._request_cameras()
        self._request_conferences()
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
        documents = encode_events(events)
        if self.cache is not None:
            self.cache.write(catalog=catalog_document(catalog))
            self.cache.replace_events(event_rows(events, documents), last_seq)
        return catalog, EventStore.prepare_load(events, last_seq, documents)

    def _load_from_cache(self) -> bool:
        """Show what the offline cache holds and follow the live feed from its seq; False
        when the cache has no catalog or no events (then the backend is asked)."""
        cache = self.cache
        raw_catalog = cache.catalog_document()
        if raw_catalog is None or cache.event_count() == 0:
            return False
        try:
            catalog = Catalog.model_validate_json(raw_catalog)
        except ValueError:
            log.warning("the cached catalog is unreadable; loading from the backend")
            return False
        last_seq = cache.last_seq()
        self.connectivity.seed_data_as_of(cache.written_at())
        # Validating a cached event costs about 70 µs: 100,000 take seconds. The newest open
        # events go first, so the desk is usable at once; the rest follow in chunks. (Events
        # written meanwhile may shift the order: one is then read twice, which the store's
        # seq rule absorbs; one that changed comes on the live feed anyway.)
        first = cache.event_documents(open_newest_first=True, count=COLD_START_FIRST)
        events, first, bad = documents_to_events(first)
        load = EventStore.prepare_load(events, last_seq, first)
        shown = len(events)
        del events, first

        def apply() -> None:
            self.store.set_catalog(catalog)
            self.store.install(load)
            settle_after_bulk_load()
            self.sig_loaded.emit()

        self._on_main(apply)
        cameras = cameras_from_cache(cache, self._camera_mirror)
        if cameras:
            self._on_main(lambda: self.cameras.load(cameras))
        self._submit(self._refresh_catalog)
        self._request_indicators(from_cache=True)
        self._request_cameras()
        self._request_conferences()
        self._follow(last_seq)  # live changes meanwhile win over the older cached copies
        documents = cache.event_documents(open_newest_first=True, start=COLD_START_FIRST)
        for start in range(0, len(documents), COLD_START_CHUNK):
            if self._stopping.is_set():
                return True
            events, chunk, skipped = documents_to_events(
                documents[start:start + COLD_START_CHUNK])
            bad += skipped
            self._on_main(lambda events=events, chunk=chunk: self.store.upsert(events, chunk))
        if bad:
            log.warning("offline cache: %d unreadable event documents skipped", bad)
        log.info("loaded %d events from the offline cache up to seq %d",
                 shown + len(documents), last_seq)
        return True

    def _refresh_catalog(self) -> None:
        catalog = self._retry("catalog", "offline", self.api.catalog)
        if catalog is None:
            return
        if self.cache is not None:
            self.cache.write(catalog=catalog_document(catalog))
        self._on_main(lambda: self.store.set_catalog(catalog))

    def _request_cameras(self) -> None:
        try:
            self._submit(self._load_cameras)
        except RuntimeError:  # stopped meanwhile
            pass

    def _request_conferences(self) -> None:
        try:
            self._submit(self._load_conferences)
        except RuntimeError:  # stopped meanwhile
            pass

    def _load_conferences(self) -> None:
        loaded = load_open_conferences(self.api, self._stopping)
        if loaded is not None:
            self._on_main(lambda: self.conferences.load(*loaded))

    def _load_cameras(self) -> None:
        loaded = load_cameras(self.api, self.cache, self._camera_mirror, self._stopping)
        if loaded is not None:
            self._on_main(lambda: self.cameras.load(*loaded))

    def _follow(self, since_seq: int) -> None:
        with self._lock:
            if self._stopping.is_set():
                return
            self._feed = LiveFeedProcess(
                self.api.live_endpoint,
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
            documents = encode_events(events)
            if self.cache is not None:
                self.cache.write(event_rows(events, documents), last_seq=last_seq)
            return events, last_seq, documents

        loaded = self._retry("reload after resync", "resyncing", reload)
        if loaded is None:
            return
        events, last_seq, documents = loaded
        log.info("resync: reloaded %d events up to seq %d", len(events), last_seq)
        self._on_main(lambda: self.store.merge(events, last_seq, documents))
        self._request_indicators()
        self._request_cameras()
        self._request_conferences()
        feed.resume_from(last_seq)

    # ---- Indicators (pool work)

    def _request_indicators(self, *, from_cache: bool = False) -> None:
        """Ask for the indicators to be (re)loaded: one loader runs at a time, and goes
        again if asked while it worked; one waiting to retry tries at once."""
        with self._lock:
            if self._stopping.is_set():
                return
            self._indicators_asked += 1
            self._indicators_cold = self._indicators_cold or from_cache
            running, self._indicators_running = self._indicators_running, True
        self._indicators_wake.set()
        if not running:
            try:
                self._submit(self._indicator_loader)
            except RuntimeError:  # stopped meanwhile
                pass

    def _indicator_loader(self) -> None:
        try:
            self._load_indicators_until_done()
        except BaseException:
            with self._lock:  # a later request starts a new loader
                self._indicators_running = False
            raise

    def _load_indicators_until_done(self) -> None:
        """Load until every request is served (`_indicators_running` is cleared here, with
        the lock held, so that a request can never fall between two loaders)."""
        attempt = 0
        while not self._stopping.is_set():
            with self._lock:
                asked = self._indicators_asked
                if self._indicators_done >= asked:
                    self._indicators_running = False
                    return
                cold, self._indicators_cold = self._indicators_cold, False
            if cold:
                self._indicators_from_cache()
            self._indicators_wake.clear()
            try:
                indicators, history = self._fetch_indicators()
            except ApiError as exc:
                if exc.status in (403, 404):  # this backend has none (or not for us)
                    log.warning("indicators not loaded: %s", exc.code)
                    with self._lock:
                        self._indicators_done = asked
                    continue
                delay = _delay(attempt)
                attempt += 1
                log.warning("indicator load failed (%s); retrying in %.1f s", exc.code, delay)
                self._indicators_wake.wait(delay)
                continue
            attempt = 0
            self._on_main(lambda loaded=indicators, kept=history:
                          self.indicators.load(loaded, kept))
            with self._lock:
                self._indicators_done = asked

    def _fetch_indicators(self) -> tuple[list[Indicator], Histories]:
        """The list and each indicator's last HISTORY_HOURS at INDICATOR_STEP, mirrored."""
        started = time.monotonic()
        indicators = self.api.indicators()
        end = time.time()
        start = end - HISTORY_HOURS * 3600
        history: Histories = {}

        def fetch(indicator: Indicator) -> None:
            if self._stopping.is_set():
                return
            try:
                series = self.api.indicator_series(indicator.id, start, end, INDICATOR_STEP)
            except ApiError as exc:
                if exc.status != 404:
                    raise
                log.info("indicator %s has no series (404)", indicator.id)
                return
            history[indicator.id] = series_arrays(series.t, series.v)

        with ThreadPoolExecutor(INDICATOR_FETCHES, thread_name_prefix="hall-series") as fetches:
            for future in [fetches.submit(fetch, i) for i in indicators]:
                future.result()
        documents = {i.id: i.model_dump_json().encode() for i in indicators}
        self._indicator_documents = documents
        if self.cache is not None:
            self.cache.write(indicators=indicator_list_rows(indicators, documents),
                             history=indicator_history_rows(history))
        log.info("loaded %d indicators and %d history points in %.2f s", len(indicators),
                 sum(len(t) for t, _ in history.values()), time.monotonic() - started)
        return indicators, history

    def _indicators_from_cache(self) -> None:
        """Show the indicators the offline cache holds, with their kept history."""
        rows = self.cache.indicators()
        indicators: list[Indicator] = []
        history: Histories = {}
        for row in rows:
            try:
                indicator = indicator_from_cache(row.document, row.value, row.state, row.at)
            except ValueError:
                log.warning("offline cache: unreadable indicator %s skipped", row.id)
                continue
            indicators.append(indicator)
            newest = row.at if row.at and math.isfinite(row.at) else time.time()
            kept = self.cache.indicator_history(row.id, newest - HISTORY_HOURS * 3600)
            if kept:
                t, v = zip(*kept, strict=True)
                history[row.id] = series_arrays(t, v)
        if not indicators:
            return
        if not self._indicator_documents:
            self._indicator_documents = {row.id: row.document for row in rows}
        log.info("showing %d indicators from the offline cache", len(indicators))
        self._on_main(lambda: self.indicators.load(indicators, history))

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
            event = send_command(self.api, command)
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

    def _outbox_result(self, result: CommandResult) -> None:
        """A command answered for good (outbox thread): mirror, then show on main."""
        if result.event is not None and self.cache is not None:
            self.cache.write(event_rows([result.event], encode_events([result.event])))

        def finish() -> None:
            if result.event is not None:
                self.store.upsert([result.event])
            self.sig_command_finished.emit(result)

        self._on_main(finish)

    def _outbox_changed(self, pending: list[PendingCommand]) -> None:
        self._on_main(lambda: self.sig_outbox.emit(pending))

    def _connectivity_changed(self, state: str, data_as_of: float | None) -> None:
        log.info("connectivity: %s", state)
        if state == OFFLINE:
            self._was_offline = True
        if state == ONLINE:
            self._link_back.set()
            if self._was_offline:  # values missed in the outage: load them again
                self._was_offline = False
                self._request_indicators()
        self._on_main(lambda: self.sig_connectivity.emit(state, data_as_of))

    def _watch_link(self) -> None:
        """Once a second: re-evaluate the connection; when the backend is back, sign in
        online after an offline sign-in and let the outbox send at once."""
        ticks = 0
        while not self._stopping.wait(1.0):
            ticks += 1
            self.connectivity.tick()
            # Signed in offline, the live feed has no token and cannot say the link is back:
            # try the real sign-in whenever REST answers, and every 5 s anyway.
            if self.auth.offline and (self.connectivity.state != OFFLINE or ticks % 5 == 0):
                if self.auth.go_online():
                    log.info("signed in online again; the outbox may send")
                    self._link_back.set()
            if self._link_back.is_set():
                self._link_back.clear()
                if self.outbox is not None and self.outbox.pending():
                    self.outbox.wake()

    # ---- Live feed callbacks (live thread)

    def _feed_batch(self, batch: list[LiveMessage]) -> None:
        if self.cache is not None:
            rows, last_seq = batch_rows(batch)
            latest, history = indicator_sample_rows(batch, self._indicator_documents)
            self.cache.write(rows, last_seq=last_seq, indicators=latest, history=history,
                             cameras=self._camera_mirror.rows(batch))
        self.connectivity.heard()
        self._mailbox.put(batch)

    def _feed_state(self, state: str, detail: str) -> None:
        self.connectivity.feed_state(state)
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
