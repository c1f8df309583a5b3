"""The `hall:` URL scheme: how the map page and its library reach QtWebEngine without a network.

`hall://map/index.html` (and map.js, map.css) come from `resources/map/`; `hall://map/lib/…`
from the pinned `maplibre` package installed with the project (MapLibre GL JS, found through
the package's installed files, never a CDN). Other parts of the console add their own routes
to the same handler, e.g. base-map tiles from the offline cache:

    handler = hall_scheme_handler()
    handler.add_route("tiles", "/", lambda path: cache.tile(path))  # hall://tiles/<z>/<x>/<y>

A route is a function of the rest of the path (after its prefix) that returns a `Reply` or
None (404). It runs on the GUI thread: it must answer from memory or a local file quickly.

`register_hall_scheme()` must run before the QApplication exists (main.py and the GUI tests'
conftest call it); `hall_profile()` is the web profile, with the handler installed, that map
pages use.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, Qt
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


Route = Callable[[str], Reply | None]


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
    first."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._routes: dict[str, list[tuple[str, Route]]] = {}

    def add_route(self, host: str, prefix: str, route: Route) -> None:
        """Answer `hall://host/prefix…` with `route(rest_of_path)`; a later route for the same
        host and prefix replaces the earlier one."""
        if not prefix.startswith("/"):
            prefix = "/" + prefix
        routes = [r for r in self._routes.get(host, []) if r[0] != prefix]
        routes.append((prefix, route))
        routes.sort(key=lambda r: len(r[0]), reverse=True)
        self._routes[host] = routes

    def resolve(self, host: str, path: str) -> Reply | None:
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
        if reply is None:
            log.debug("hall: not found %s", url.toString())
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        body = QBuffer(job)  # lives as long as the job
        body.setData(QByteArray(reply.data))
        body.open(QIODevice.OpenModeFlag.ReadOnly)
        job.reply(reply.mime.encode(), body)


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
    scheme.setFlags(QWebEngineUrlScheme.Flag.SecureScheme
                    | QWebEngineUrlScheme.Flag.LocalAccessAllowed
                    | QWebEngineUrlScheme.Flag.CorsEnabled)
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
