"""The cameras (视频监控): the list from the backend, their live status, the ones near a place.

`CameraBoard` holds the cameras of `GET /api/v1/cameras` and follows `camera.status`
messages from the live feed (the store's `sig_other`). Call its methods on the thread that
owns the store.

The session's side (pool and live threads) is here too, so that `HallSession` only wires it:
`load_cameras` reads the list (a backend without cameras, 404, gives an empty list and one
log line), `cameras_from_cache` reads the offline cache's copy for a cold start, and
`CameraMirror` keeps the cache's documents in step with the live statuses.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Iterable

import orjson
from pydantic import ValidationError

from console.api import ApiClient, ApiError
from console.events import Signal
from console.schema import Camera, CameraStatus, LiveMessage
from console.units import distance_km

log = logging.getLogger(__name__)

STATUS = "camera.status"
#: Retry delays of a failed list (first, longest), in seconds, jittered.
LOAD_BACKOFF = (1.0, 30.0)


def _status_of(message: LiveMessage) -> CameraStatus | None:
    try:
        return CameraStatus.model_validate(message.data)
    except ValidationError as exc:
        log.warning("skipped camera.status seq %d: %d validation errors", message.seq,
                    exc.error_count())
        return None


class CameraBoard:
    """Every camera by id, in the backend's order, with its current status.

    Signals: `sig_loaded()` after `load`; `sig_changed(camera_ids)` after live statuses
    changed these cameras (one emit per batch).
    """

    def __init__(self, store=None) -> None:
        self._cameras: dict[str, Camera] = {}
        #: camera id → (epoch seconds, status) of the last live status heard.
        self._heard: dict[str, tuple[float, str]] = {}
        self.sig_loaded = Signal("cameras loaded")
        self.sig_changed = Signal("cameras changed")
        if store is not None:
            store.sig_other.connect(self.apply)

    def load(self, cameras: Iterable[Camera], as_of: float | None = None) -> None:
        """Replace every camera. A live status heard after `as_of` (epoch seconds: when the
        list was asked for) wins over the listed one."""
        loaded: dict[str, Camera] = {}
        for camera in cameras:
            if camera.id in loaded:
                log.warning("camera %s listed twice; the first kept", camera.id)
                continue
            heard = self._heard.get(camera.id)
            if heard is not None and as_of is not None and heard[0] > as_of \
                    and heard[1] != camera.status:
                camera = camera.model_copy(update={"status": heard[1]})
            loaded[camera.id] = camera
        self._cameras = loaded
        self.sig_loaded.emit()

    def apply(self, messages: list[LiveMessage]) -> None:
        """Follow `camera.status` messages (others are ignored)."""
        changed: dict[str, None] = {}
        for message in messages:
            if message.type != STATUS:
                continue
            data = _status_of(message)
            if data is None:
                continue
            at = (data.at or message.at).timestamp()
            self._heard[data.camera_id] = (at, data.status)
            camera = self._cameras.get(data.camera_id)
            if camera is None or camera.status == data.status:
                continue
            self._cameras[data.camera_id] = camera.model_copy(update={"status": data.status})
            changed[data.camera_id] = None
        if changed:
            self.sig_changed.emit(list(changed))

    def get(self, camera_id: str) -> Camera | None:
        return self._cameras.get(camera_id)

    def all(self) -> list[Camera]:
        return list(self._cameras.values())

    def __len__(self) -> int:
        return len(self._cameras)

    def within(self, lon: float, lat: float, radius_m: float) -> list[Camera]:
        """The cameras at most `radius_m` metres from (lon, lat), nearest first (ties by id)."""
        found = []
        for camera in self._cameras.values():
            metres = metres_between((lon, lat), camera.location)
            if metres <= radius_m:
                found.append((metres, camera.id, camera))
        found.sort(key=lambda item: item[:2])
        return [camera for _m, _id, camera in found]


class CameraMirror:
    """The cameras' JSON documents as the offline cache keeps them, kept in step with the
    live statuses (used from the pool and the live thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._documents: dict[str, dict] = {}

    def replace(self, cameras: Iterable[Camera]) -> dict[str, bytes]:
        """Take a new list; returns the cache rows (id → JSON) for it."""
        documents = {c.id: c.model_dump(mode="json") for c in cameras}
        with self._lock:
            self._documents = documents
        return {i: orjson.dumps(d) for i, d in documents.items()}

    def rows(self, batch: Iterable[LiveMessage]) -> dict[str, bytes] | None:
        """The cache rows of the cameras whose status a live batch changed (None: none)."""
        changed: dict[str, bytes] = {}
        with self._lock:
            for message in batch:
                if message.type != STATUS:
                    continue
                data = _status_of(message)
                document = self._documents.get(data.camera_id) if data is not None else None
                if document is None:
                    continue
                document["status"] = data.status
                changed[data.camera_id] = orjson.dumps(document)
        return changed or None


def cameras_from_cache(cache, mirror: CameraMirror) -> list[Camera]:
    """The cameras the offline cache holds (unreadable ones skipped and counted in the log)."""
    cameras: list[Camera] = []
    bad = 0
    for document in cache.documents("cameras").values():
        try:
            cameras.append(Camera.model_validate_json(document))
        except ValueError:
            bad += 1
    if bad:
        log.warning("offline cache: %d unreadable cameras skipped", bad)
    mirror.replace(cameras)
    return cameras


def load_cameras(api: ApiClient, cache, mirror: CameraMirror,
                 stopping: threading.Event) -> tuple[list[Camera], float] | None:
    """The cameras of the backend and when they were asked for (epoch seconds), mirrored to
    `cache` (if any). Retried with backoff on failures until it works or `stopping` is set
    (then None). A backend that has no cameras (404) or none for this user (403) gives an
    empty list."""
    attempt = 0
    while not stopping.is_set():
        as_of = time.time()
        try:
            cameras = api.cameras()
        except ApiError as exc:
            if exc.status in (403, 404):
                log.info("no cameras: the backend answered %d %s", exc.status, exc.code)
                cameras = []
            else:
                first, longest = LOAD_BACKOFF
                delay = min(longest, first * 2 ** min(attempt, 10)) * random.uniform(0.5, 1.0)
                attempt += 1
                log.warning("camera list failed (%s); retrying in %.1f s", exc.code, delay)
                if stopping.wait(delay):
                    return None
                continue
        rows = mirror.replace(cameras)
        if cache is not None and rows:
            cache.write(cameras=rows)
        log.info("loaded %d cameras", len(cameras))
        return cameras, as_of
    return None


def metres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two [lon, lat] points, in metres."""
    return distance_km(a, b) * 1000.0
