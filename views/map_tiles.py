"""Raster base-map tiles for the map page: served through `hall://tiles/`, mirrored in the
offline cache, so a configured base map survives an outage.

The backend's map config (`/api/v1/map/config`, console/schema.py `MapConfig`) may name
raster tile sources (`MapTileSource`: an id and an http(s) XYZ URL template). The page
never reaches them itself (its CSP allows only hall:, qrc:, data:, blob:): it asks for
`hall://tiles/<source_id>/<z>/<x>/<y>` and `TileService` answers

1. from the offline cache (`OfflineCache.tile`, key "<source_id>/<z>/<x>/<y>"), read in a
   small worker pool, never on the GUI thread;
2. else from the upstream server (`requests`, one Session, a timeout of a few seconds, at
   most `FETCH_WORKERS` fetches at a time), storing what it got with `tile_put` (the cache
   evicts the least recently used tiles beyond its byte budget);
3. else not at all: the request fails (404) and MapLibre leaves that tile empty. Failures
   are logged at most once per source per `LOG_INTERVAL` seconds, not once per tile.

Cache first, on purpose: a tile in the cache is served from the cache and never
re-validated upstream. The cache is the offline mirror of the base map, and base maps
change rarely; a tile that changed upstream is fetched again once the cache's LRU budget
has evicted it (or the cache file is replaced). Without a cache (None) tiles are fetched
every time and nothing is stored. The cache key does not include the URL: a source whose
URL changes under the same id keeps serving the old tiles until they are evicted.

    service = install_tile_sources(view, config, cache)  # None when there are no sources
    ...
    service.close()                                      # or let the view's end close it

A source whose URL is not an http(s) XYZ template, or whose id is not a plain name, is
refused (logged, listed in `rejected`) and not shown; asking for anything but integer
z/x/y within the source's range (0 ≤ z ≤ max_zoom, 0 ≤ x, y < 2^z) is answered 404 at once.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future, InvalidStateError, ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from views.map_scheme import HallSchemeHandler, Reply, hall_scheme_handler

log = logging.getLogger(__name__)

#: The `hall:` host the tiles are served under: hall://tiles/<source_id>/<z>/<x>/<y>.
TILE_HOST = "tiles"
#: Upstream fetches at a time (also the Session's connection pool size).
FETCH_WORKERS = 4
#: Threads reading tiles from the cache.
READ_WORKERS = 2
#: (connect, read) timeout of one upstream fetch, in seconds.
TIMEOUT = (3.0, 5.0)
#: Seconds between two warnings about failing fetches of the same source.
LOG_INTERVAL = 60.0
#: Bodies larger than this are not tiles (and are not stored).
MAX_TILE_BYTES = 4 * 1024 * 1024
#: What a tile is said to be when the upstream server does not say.
DEFAULT_CONTENT_TYPE = "image/png"
USER_AGENT = "HallConsole-tiles/1 (+city operations centre console)"

_SOURCE_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_NUMBER = re.compile(r"[0-9]{1,10}")


@dataclass(frozen=True)
class TileSource:
    """A checked tile source (see `check_source`)."""

    id: str
    url: str
    max_zoom: int = 18
    attribution: str = ""

    def tile_url(self, z: int, x: int, y: int) -> str:
        return self.url.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))


def check_source(source) -> TileSource:
    """A `TileSource` from a config entry (`MapTileSource` or anything with id, url,
    max_zoom, attribution); ValueError saying why when it cannot be used: the id must be a
    plain name (letters, digits, `_.-`), the URL an http or https XYZ template with {z},
    {x} and {y}."""
    source_id = str(source.id)
    if not _SOURCE_ID.fullmatch(source_id):
        raise ValueError(f"tile source id {source_id!r}: only letters, digits and _.- allowed")
    url = str(source.url)
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"tile source {source_id!r}: only http and https URLs are fetched, "
                         f"not {parts.scheme or 'a relative URL'!r} ({url})")
    if not parts.netloc:
        raise ValueError(f"tile source {source_id!r}: no host in {url}")
    missing = [p for p in ("{z}", "{x}", "{y}") if p not in url]
    if missing:
        raise ValueError(f"tile source {source_id!r}: {url} lacks {', '.join(missing)}")
    max_zoom = int(getattr(source, "max_zoom", 18))
    if not 0 <= max_zoom <= 30:
        raise ValueError(f"tile source {source_id!r}: max_zoom {max_zoom} out of 0..30")
    return TileSource(source_id, url, max_zoom, str(getattr(source, "attribution", "") or ""))


def parse_tile_path(path: str, max_zoom: int) -> tuple[int, int, int] | None:
    """(z, x, y) from "z/x/y" (an optional ".png"-like suffix on y is ignored), or None when
    they are not plain non-negative integers or out of range."""
    parts = path.split("/")
    if len(parts) != 3:
        return None
    parts[2] = parts[2].split(".", 1)[0]
    if not all(_NUMBER.fullmatch(p) for p in parts):
        return None
    z, x, y = (int(p) for p in parts)
    if z > max_zoom or x >= 1 << z or y >= 1 << z:
        return None
    return z, x, y


class TileService:
    """Answers `hall://tiles/<source_id>/<z>/<x>/<y>` from the offline cache, else from the
    source's server (storing what it fetched), else 404; see the module's docstring.

    `sources`: the config's tile sources (unusable ones are refused: `rejected` maps their
    id to the reason). `cache`: an open `OfflineCache`, or None (fetch, store nothing).
    `session`: the requests Session to fetch with (one is made when None; it is closed by
    `close()` only when made here).

    Counters, for tests and benches (read them on any thread): `served_from_cache`,
    `fetched` (tiles fetched upstream), `failed` (fetches that failed: the tile is answered
    404), `stored` (tile_put committed). A fetch whose request went away before its turn is
    skipped and counted nowhere; one already under way completes and is stored.

    `install()` registers the routes on the `hall:` handler; `show(view)` adds the sources
    to a MapView; `close()` removes the routes and stops the workers (idempotent).
    """

    def __init__(self, sources: Iterable, cache=None, *, session: requests.Session | None = None,
                 timeout: tuple[float, float] | float = TIMEOUT,
                 fetch_workers: int = FETCH_WORKERS, read_workers: int = READ_WORKERS,
                 log_interval: float = LOG_INTERVAL) -> None:
        self.sources: dict[str, TileSource] = {}
        self.rejected: dict[str, str] = {}
        for entry in sources:
            try:
                source = check_source(entry)
            except ValueError as exc:
                log.warning("map tiles: source refused: %s", exc)
                self.rejected[str(getattr(entry, "id", "?"))] = str(exc)
                continue
            self.sources[source.id] = source
        self._cache = cache
        self._timeout = timeout
        self._log_interval = log_interval
        self._own_session = session is None
        if session is None:
            session = requests.Session()
            adapter = HTTPAdapter(pool_connections=4, pool_maxsize=fetch_workers)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.headers["User-Agent"] = USER_AGENT
        self._session = session
        # Threads start on first use, so a service nobody asks for costs nothing.
        self._reads = ThreadPoolExecutor(read_workers, thread_name_prefix="hall-tile-read")
        self._fetches = ThreadPoolExecutor(fetch_workers, thread_name_prefix="hall-tile-fetch")
        self._lock = threading.Lock()
        self._warned_at: dict[str, float] = {}
        self._suppressed: dict[str, int] = {}
        self._routes: list[tuple[HallSchemeHandler, str, object]] = []
        self._closed = False
        self.served_from_cache = 0
        self.fetched = 0
        self.failed = 0
        self.stored = 0

    # ---- Wiring

    def install(self, handler: HallSchemeHandler | None = None) -> TileService:
        """Register hall://tiles/<source_id>/… for every usable source on `handler` (the
        application's `hall:` handler by default); replaces routes of the same sources."""
        handler = handler if handler is not None else hall_scheme_handler()
        for source_id in self.sources:
            prefix = f"/{source_id}/"

            def route(path: str, _source_id: str = source_id):
                return self.request(_source_id, path)

            handler.add_route(TILE_HOST, prefix, route)
            self._routes.append((handler, prefix, route))
        return self

    def show(self, view) -> None:
        """Add every usable source to `view` (a MapView) as a raster layer under all others.
        The list is bottom-up, as in a style: the config's last source is drawn on top."""
        for source in reversed(list(self.sources.values())):
            view.set_raster_source(source.id, source.max_zoom, source.attribution)

    def close(self, *, wait: bool = True) -> None:
        """Remove the routes, drop queued work, close the Session if it was made here; with
        `wait`, wait for fetches under way (at most a fetch's timeout). Idempotent."""
        if self._closed:
            return
        self._closed = True
        for handler, prefix, route in self._routes:
            try:
                handler.remove_route(TILE_HOST, prefix, route)
            except RuntimeError:  # the handler is gone already (application shutdown)
                pass
        self._routes.clear()
        self._reads.shutdown(wait=wait, cancel_futures=True)
        self._fetches.shutdown(wait=wait, cancel_futures=True)
        if self._own_session:
            self._session.close()

    # ---- The route

    def request(self, source_id: str, path: str) -> Future | None:
        """The answer to hall://tiles/<source_id>/<path>: None (404 at once) for an unknown
        source or a bad or out-of-range z/x/y, else a Future of the Reply (or of None)."""
        source = self.sources.get(source_id)
        if source is None or self._closed:
            return None
        zxy = parse_tile_path(path, source.max_zoom)
        if zxy is None:
            log.debug("map tiles: refused %s/%s", source_id, path)
            return None
        answer: Future = Future()
        try:
            self._reads.submit(self._from_cache, source, zxy, answer)
        except RuntimeError:  # closed meanwhile
            return None
        return answer

    def _from_cache(self, source: TileSource, zxy: tuple[int, int, int], answer: Future) -> None:
        if answer.cancelled():  # the request went away while this waited
            return
        key = tile_key(source.id, *zxy)
        hit = None
        if self._cache is not None:
            try:
                hit = self._cache.tile(key)
            except Exception as exc:  # a closed or broken cache: go on without it
                log.debug("map tiles: cache read of %s failed: %s", key, exc)
        if hit is not None:
            data, content_type = hit
            with self._lock:
                self.served_from_cache += 1
            _settle(answer, Reply(data, content_type or DEFAULT_CONTENT_TYPE))
            return
        try:
            self._fetches.submit(self._from_upstream, source, zxy, answer)
        except RuntimeError:  # closed meanwhile
            _settle(answer, None)

    def _from_upstream(self, source: TileSource, zxy: tuple[int, int, int],
                       answer: Future) -> None:
        if answer.cancelled():  # scrolled out before its turn: no fetch
            return
        url = source.tile_url(*zxy)
        try:
            response = self._session.get(url, timeout=self._timeout, allow_redirects=True)
            try:
                if response.status_code != 200:
                    raise OSError(f"HTTP {response.status_code}")
                data = response.content
                content_type = (response.headers.get("Content-Type") or DEFAULT_CONTENT_TYPE)
            finally:
                response.close()
            if not data:
                raise OSError("empty body")
            if len(data) > MAX_TILE_BYTES:
                raise OSError(f"{len(data)} bytes is no tile")
        except Exception as exc:  # whatever went wrong, the request gets its answer
            with self._lock:
                self.failed += 1
            self._warn(source.id, url, exc)
            _settle(answer, None)
            return
        with self._lock:
            self.fetched += 1
        self._store(tile_key(source.id, *zxy), data, content_type)
        _settle(answer, Reply(data, content_type))

    def _store(self, key: str, data: bytes, content_type: str) -> None:
        if self._cache is None:
            return
        try:
            stored = self._cache.tile_put(key, data, content_type)
        except Exception as exc:  # a closed cache: serve the tile anyway
            log.debug("map tiles: not stored %s: %s", key, exc)
            return

        def committed(future: Future) -> None:
            if not future.cancelled() and future.exception() is None and future.result():
                with self._lock:
                    self.stored += 1

        stored.add_done_callback(committed)

    def _warn(self, source_id: str, url: str, exc: BaseException) -> None:
        """One warning per source per `log_interval`, with how many failures it stands for."""
        now = time.monotonic()
        with self._lock:
            last = self._warned_at.get(source_id)
            if last is not None and now - last < self._log_interval:
                self._suppressed[source_id] = self._suppressed.get(source_id, 0) + 1
                return
            self._warned_at[source_id] = now
            more = self._suppressed.pop(source_id, 0)
        also = f" (and {more} more failures since the last warning)" if more else ""
        log.warning("map tiles: source %r unreachable, tiles not in the cache stay empty: "
                    "%s: %s%s", source_id, url, exc, also)


def tile_key(source_id: str, z: int, x: int, y: int) -> str:
    """The offline cache key of a tile."""
    return f"{source_id}/{z}/{x}/{y}"


def _settle(answer: Future, reply: Reply | None) -> None:
    try:
        answer.set_result(reply)
    except InvalidStateError:  # cancelled meanwhile: the request went away
        pass


def install_tile_sources(view, config, cache=None) -> TileService | None:
    """Serve and show `config.tile_sources` (a MapConfig's) on `view` (a MapView whose page
    is ready), mirrored in `cache` (an OfflineCache, or None). Returns the TileService, or
    None when there is no usable source. The service is closed (without waiting) when the
    view is destroyed; call its `close()` sooner to wait for fetches under way."""
    sources = list(getattr(config, "tile_sources", None) or [])
    if not sources:
        return None
    service = TileService(sources, cache)
    if not service.sources:
        service.close()
        return None
    service.install()
    service.show(view)
    view.destroyed.connect(lambda *_: service.close(wait=False))
    return service
