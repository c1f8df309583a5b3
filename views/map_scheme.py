"""The `hall:` URL scheme: how the map page and its library reach QtWebEngine without a network.

`hall://map/index.html` (and map.js, map.css) come from `resources/map/`; `hall://map/lib/…`
from the pinned `maplibre` package installed with the project (MapLibre GL JS, found through
the package's installed files, never a CDN). Other parts of the console add their own routes
to the same handler, e.g. a page's icons from memory, or (views/map_tiles.py) base-map tiles
from the offline cache or their server, answered later from workers:

    handler = hall_scheme_handler()
    handler.add_route("icons", "/", lambda path: Reply(ICONS[path], "image/svg+xml"))
    handler.add_route("tiles", "/osm/", lambda path: pool.submit(read_tile, path))  # a Future

A route is a function of the rest of the path (after its prefix) that returns a `Reply` or
None (404). It runs on the GUI thread: it must answer from memory or a local file quickly.
A route with disk or network work to do returns a `concurrent.futures.Future` instead, at
once, and completes it from a worker with a `Reply` or None (or an exception: the request
fails). The handler answers the request on the GUI thread when the future is done (the job
belongs to that thread); if QtWebEngine dropped the request in the meantime (the page went
away, the tile scrolled out; the job is then destroyed), the answer is dropped and the
future is cancelled, so a worker that has not started on it yet can skip it
(views/map_tiles.py serves map tiles this way).

`register_hall_scheme()` must run before the QApplication exists (main.py and the GUI tests'
conftest call it); `hall_profile()` is the web profile, with the handler installed, that map
pages use.
"""

from __future__ import annotations

import itertools
import logging
import mimetypes
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, Qt, Signal
from PySide6.QtWebEngineCore import (
    QWebEngineProfile,
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)

log = logging.getLogger(__name__)

SCHEME = b"hall"
MAP_PAGE_DIR = Path(__file__).resolve().parent.parent / "resources" / "map"
#: The distribution that ships MapLibre GL JS, and where in it the files are.
MAPLIBRE_DIST = "maplibre"
MAPLIBRE_DIR = "maplibre/srcjs"

_MIME = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".geojson": "application/geo+json",
    ".pbf": "application/x-protobuf",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class Reply:
    """What a route answers: the body and its MIME type."""

    data: bytes
    mime: str


#: A route answers now (a Reply, or None: not found) or later (a Future of either).
Route = Callable[[str], "Reply | None | Future[Reply | None]"]


def mime_for(path: str) -> str:
    suffix = PurePosixPath(path).suffix.lower()
    return _MIME.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def directory_route(directory: Path, allowed: frozenset[str] | None = None) -> Route:
    """A route serving the files under `directory` (nothing outside it; only names in
    `allowed` when given)."""
    root = Path(directory).resolve()

    def serve(path: str) -> Reply | None:
        if allowed is not None and path not in allowed:
            return None
        target = (root / path).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            return None
        return Reply(target.read_bytes(), mime_for(path))

    return serve


def maplibre_dir() -> Path:
    """The installed MapLibre GL JS files (read from the distribution's file list, so the
    `maplibre` Python package itself is never imported)."""
    return Path(str(metadata.distribution(MAPLIBRE_DIST).locate_file(MAPLIBRE_DIR)))


class HallSchemeHandler(QWebEngineUrlSchemeHandler):
    """Serves `hall://<host>/<path>` from routes: (host, path prefix) → Route, longest prefix
    first. A route's Future is answered on the GUI thread when it is done (see the module's
    docstring); `pending` is how many such requests wait for their answer."""

    # (token, future) from whichever thread completed the future, to the GUI thread.
    _answered = Signal(int, object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._routes: dict[str, list[tuple[str, Route]]] = {}
        # token -> (job, future, url) of requests waiting for a route's future.
        self._waiting: dict[int, tuple[QWebEngineUrlRequestJob, Future, str]] = {}
        self._tokens = itertools.count(1)
        self._answered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def pending(self) -> int:
        return len(self._waiting)

    def add_route(self, host: str, prefix: str, route: Route) -> None:
        """Answer `hall://host/prefix…` with `route(rest_of_path)`; a later route for the same
        host and prefix replaces the earlier one."""
        if not prefix.startswith("/"):
            prefix = "/" + prefix
        routes = [r for r in self._routes.get(host, []) if r[0] != prefix]
        routes.append((prefix, route))
        routes.sort(key=lambda r: len(r[0]), reverse=True)
        self._routes[host] = routes

    def remove_route(self, host: str, prefix: str, route: Route | None = None) -> None:
        """Forget the route for `hall://host/prefix…` (only if it is still `route`, when
        given: a route that replaced it stays)."""
        if not prefix.startswith("/"):
            prefix = "/" + prefix
        self._routes[host] = [r for r in self._routes.get(host, [])
                              if not (r[0] == prefix and (route is None or r[1] == route))]

    def resolve(self, host: str, path: str) -> Reply | None | Future:
        for prefix, route in self._routes.get(host, []):
            if path.startswith(prefix):
                rest = path[len(prefix):].lstrip("/")
                if ".." in PurePosixPath(rest).parts:
                    return None
                return route(rest)
        return None

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:  # noqa: N802 (Qt API)
        url = job.requestUrl()
        if bytes(job.requestMethod().data()) != b"GET":
            job.fail(QWebEngineUrlRequestJob.Error.RequestDenied)
            return
        try:
            reply = self.resolve(url.host(), url.path())
        except Exception:
            log.exception("hall: route for %s failed", url.toString())
            job.fail(QWebEngineUrlRequestJob.Error.RequestFailed)
            return
        if isinstance(reply, Future):
            self._wait_for(job, reply, url.toString())
            return
        self._answer(job, reply, url.toString())

    # ---- Answers that come later

    def _wait_for(self, job: QWebEngineUrlRequestJob, future: Future, url: str) -> None:
        token = next(self._tokens)
        self._waiting[token] = (job, future, url)
        # The engine deletes a job it no longer needs: forget it then (never touch it again).
        job.destroyed.connect(lambda *_: self._dropped(token))
        answered = self._answered

        def done(_future: Future) -> None:  # on the worker thread that completed it
            try:
                answered.emit(token, _future)
            except RuntimeError:  # the handler itself is gone
                pass

        future.add_done_callback(done)

    def _dropped(self, token: int) -> None:
        waiting = self._waiting.pop(token, None)
        if waiting is not None:
            log.debug("hall: request dropped before its answer: %s", waiting[2])
            waiting[1].cancel()  # a worker that has not started on it may skip it

    def _deliver(self, token: int, future: Future) -> None:
        waiting = self._waiting.pop(token, None)
        if waiting is None:  # the job was destroyed meanwhile: nobody wants the answer
            return
        job, _, url = waiting
        if future.cancelled():
            reply = None
        else:
            error = future.exception()
            if error is not None:
                log.error("hall: route for %s failed", url, exc_info=error)
                self._fail(job, QWebEngineUrlRequestJob.Error.RequestFailed)
                return
            reply = future.result()
        self._answer(job, reply, url)

    @staticmethod
    def _fail(job: QWebEngineUrlRequestJob, error: QWebEngineUrlRequestJob.Error) -> None:
        try:
            job.fail(error)
        except RuntimeError:  # deleted under us without a destroyed signal seen yet
            pass

    def _answer(self, job: QWebEngineUrlRequestJob, reply: Reply | None, url: str) -> None:
        if reply is None:
            log.debug("hall: not found %s", url)
            self._fail(job, QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        try:
            body = QBuffer(job)  # lives as long as the job
            body.setData(QByteArray(reply.data))
            body.open(QIODevice.OpenModeFlag.ReadOnly)
            job.reply(reply.mime.encode(), body)
        except RuntimeError:  # deleted under us
            log.debug("hall: request gone before its answer: %s", url)


def register_hall_scheme() -> bool:
    """Declare the `hall:` scheme to QtWebEngine; must run before the QApplication exists.

    Returns False (and does nothing) when it is too late or already done.
    """
    if QWebEngineUrlScheme.schemeByName(SCHEME).name() == SCHEME:
        return False
    if QCoreApplication.instance() is not None:
        log.warning("hall: scheme not registered, the QApplication already exists")
        return False
    scheme = QWebEngineUrlScheme(SCHEME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    # FetchApiAllowed: MapLibre loads tiles (hall://tiles/…) with fetch().
    scheme.setFlags(QWebEngineUrlScheme.Flag.SecureScheme
                    | QWebEngineUrlScheme.Flag.LocalAccessAllowed
                    | QWebEngineUrlScheme.Flag.CorsEnabled
                    | QWebEngineUrlScheme.Flag.FetchApiAllowed)
    QWebEngineUrlScheme.registerScheme(scheme)
    # QtWebEngine shares GL contexts with the widgets; must be set before the app too.
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    return True


_handler: HallSchemeHandler | None = None


def hall_scheme_handler() -> HallSchemeHandler:
    """The one handler of the `hall:` scheme, with the map page's routes (made on first use,
    installed on `hall_profile()`)."""
    global _handler
    if _handler is None:
        _handler = HallSchemeHandler(QCoreApplication.instance())
        _handler.add_route("map", "/", directory_route(MAP_PAGE_DIR))
        _handler.add_route("map", "/lib/", directory_route(
            maplibre_dir(), frozenset({"maplibre-gl.js", "maplibre-gl.css"})))
        QWebEngineProfile.defaultProfile().installUrlSchemeHandler(SCHEME, _handler)
    return _handler


def hall_profile() -> QWebEngineProfile:
    """The web profile map pages use (the default one: off the record, nothing on disk),
    with the `hall:` handler installed."""
    hall_scheme_handler()
    return QWebEngineProfile.defaultProfile()
