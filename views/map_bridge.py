"""The map page's QWebChannel object: Python → page updates batched, page → Python signals.

The page (resources/map/map.js) sees this object as `hall`. Python queues operations with
`send(op)`; a single-shot timer flushes the queue at most every `FLUSH_MS` (≤ 10 Hz) as one
JSON array through the `updates` signal, which the page applies in one go. Nothing is sent
before the page said it is ready: what was queued earlier goes out right after. A newer
`setLayer` for a layer replaces a queued older one and the `updateFeatures` queued for that
layer before it (only the latest data matters). Successive `updateFeatures` of a layer are
merged into the first one queued (unless a `setLayer` or `removeLayer` of the layer lies
between): the latest version of each feature wins, a removal after an upsert drops the
upsert, an upsert after a removal cancels the removal. `upserts` given as bytes (a JSON array
of Features) go out as they are unless they have to be merged.

The page calls the slots: `pageReady()` once the map's style has loaded, `featureClicked`
for a click on a feature of a clickable layer, `viewMoved` at the end of every move.
"""

from __future__ import annotations

import logging

import orjson
from PySide6.QtCore import QObject, QTimer, Signal, Slot

log = logging.getLogger(__name__)

#: Queued operations of a layer that a later `setLayer` of that layer makes moot.
_SUPERSEDED = ("setLayer", "updateFeatures")


def feature_id(feature: dict) -> str | None:
    """The id the page diffs a feature on: `properties.id`, else its `id` (as a string)."""
    value = (feature.get("properties") or {}).get("id")
    if value is None:
        value = feature.get("id")
    return None if value is None else str(value)


def _merge_updates(queued: dict, op: dict) -> None:
    """Fold `updateFeatures` `op` into the `queued` one of the same layer, in place. While
    merged, `queued` holds its upserts and removals as dicts by id (see `_pack_update`)."""
    upserts = queued["upserts"]
    if not isinstance(upserts, dict):
        upserts = {feature_id(f): f for f in _features(upserts)}
    removed = queued["removed"]
    if not isinstance(removed, dict):
        removed = dict.fromkeys(removed)
    for fid in op["removed"]:
        upserts.pop(fid, None)
        removed[fid] = None
    for feature in _features(op["upserts"]):
        fid = feature_id(feature)
        removed.pop(fid, None)
        upserts[fid] = feature
    queued["upserts"], queued["removed"] = upserts, removed


def _features(upserts: list[dict] | bytes) -> list[dict]:
    return orjson.loads(upserts) if isinstance(upserts, bytes) else upserts


def _pack_update(op: dict) -> None:
    """Make a queued `updateFeatures` sendable: lists, and bytes as they are."""
    if isinstance(op["upserts"], dict):
        op["upserts"] = list(op["upserts"].values())
    elif isinstance(op["upserts"], bytes):
        op["upserts"] = orjson.Fragment(op["upserts"])
    if isinstance(op["removed"], dict):
        op["removed"] = list(op["removed"])


class MapBridge(QObject):
    #: The page's map has loaded and applies updates.
    ready = Signal()
    #: (layer id, feature id) of a clicked feature.
    clicked = Signal(str, str)
    #: (longitude, latitude, zoom) after the view moved.
    moved = Signal(float, float, float)
    #: To the page: a JSON array of operations (connected to in map.js).
    updates = Signal(str)

    #: Shortest time between two batches sent to the page.
    FLUSH_MS = 100

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: list[dict] = []
        self._is_ready = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.FLUSH_MS)
        self._timer.timeout.connect(self.flush)
        self.batches_sent = 0

    @property
    def is_ready(self) -> bool:
        return self._is_ready

    def send(self, op: dict) -> None:
        """Queue one operation (`{"op": name, ...}`) for the next batch."""
        kind = op.get("op")
        if kind == "setLayer":
            self._queue = [q for q in self._queue
                           if not (q.get("op") in _SUPERSEDED and q.get("id") == op.get("id"))]
        elif kind == "updateFeatures":
            for queued in reversed(self._queue):
                if queued.get("id") != op.get("id"):
                    continue
                if queued.get("op") == "updateFeatures":
                    _merge_updates(queued, op)
                    return  # the timer is armed since `queued` came
                if queued.get("op") in ("setLayer", "removeLayer"):
                    break  # merged before it, the update would be applied before it
        self._queue.append(op)
        self._arm()

    def flush(self) -> None:
        """Send what is queued now, as one batch (only once the page is ready)."""
        if not self._is_ready or not self._queue:
            return
        batch, self._queue = self._queue, []
        self.batches_sent += 1
        for op in batch:
            if op.get("op") == "updateFeatures":
                _pack_update(op)
        self.updates.emit(orjson.dumps(batch).decode())
        # Whatever is queued during the next FLUSH_MS waits for the timer.
        self._timer.start()

    def _arm(self) -> None:
        if self._is_ready and not self._timer.isActive():
            self._timer.start()

    # ---- Called by the page

    @Slot()
    def pageReady(self) -> None:  # noqa: N802 (called from JavaScript)
        if self._is_ready:
            return
        self._is_ready = True
        self.ready.emit()
        self._arm()

    @Slot(str, str)
    def featureClicked(self, layer_id: str, feature_id: str) -> None:  # noqa: N802
        self.clicked.emit(layer_id, feature_id)

    @Slot(float, float, float)
    def viewMoved(self, lon: float, lat: float, zoom: float) -> None:  # noqa: N802
        self.moved.emit(lon, lat, zoom)

    @Slot(str)
    def pageError(self, message: str) -> None:  # noqa: N802
        log.warning("map page: %s", message)
