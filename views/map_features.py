"""The desk's data as map features: the store's events as NumPy columns (`EventPoints`), and
the teams, cameras and sensors as GeoJSON."""

from __future__ import annotations

import numpy as np
import orjson

from console.map_marks import MAX_PULSING, pulses
from console.schema import OPEN_STATUSES

_FEATURE = ('{"type":"Feature","properties":{"id":%s,"level":%d},'
            '"geometry":{"type":"Point","coordinates":[%.6f,%.6f]}}')


class EventPoints:
    """The store's events as columns by store row: id, lon, lat, level, open.

    Call `read` with the rows a store signal names, from the signal (the store serves their
    events without decoding then); `feature_collection` makes the open events' GeoJSON.
    """

    def __init__(self, store) -> None:
        self._store = store
        self._ids: list[str] = []
        self._quoted: list[str] = []  # the ids as JSON strings
        self._lon = np.zeros(0)
        self._lat = np.zeros(0)
        self._level = np.zeros(0, dtype=np.int8)
        self._open = np.zeros(0, dtype=bool)
        self._pulse = np.zeros(0, dtype=bool)
        # Rows read since `take_changes` (None: everything, e.g. after `read_all`).
        self._changed: set[int] | None = None
        self.read_all()

    def __len__(self) -> int:
        return len(self._ids)

    def read_all(self) -> None:
        self._ids = []
        self._quoted = []
        self._resize(0)
        self.read(range(len(self._store)))
        self._changed = None

    def read(self, rows) -> None:
        rows = list(rows)
        if not rows:
            return
        event_at = self._store.event_at
        values = []
        for row in rows:
            event = event_at(row)
            location = event.location
            values.append((event.id, location.lon, location.lat, event.level,
                           event.status in OPEN_STATUSES, pulses(event.level, event.status)))
        ids, lon, lat, level, is_open, pulse = zip(*values, strict=True)
        top = max(rows) + 1
        if top > len(self._ids):
            self._quoted.extend(['""'] * (top - len(self._ids)))
            self._ids.extend([""] * (top - len(self._ids)))
            self._resize(top)
        for row, event_id in zip(rows, ids, strict=True):
            self._ids[row] = event_id
            self._quoted[row] = orjson.dumps(event_id).decode()
        if self._changed is not None:
            self._changed.update(rows)
        index = np.fromiter(rows, dtype=np.int64, count=len(rows))
        self._lon[index] = lon
        self._lat[index] = lat
        self._level[index] = level
        self._open[index] = is_open
        self._pulse[index] = pulse

    def location(self, event_id: str) -> tuple[float, float] | None:
        row = self._store.row_of(event_id)
        if row is None or row >= len(self._ids):
            return None
        return float(self._lon[row]), float(self._lat[row])

    def open_count(self) -> int:
        return int(np.count_nonzero(self._open))

    def feature_collection(self) -> bytes:
        """The open events as a GeoJSON FeatureCollection (JSON bytes) of points with `id`
        and `level` properties, formatted straight from the columns (ids are kept JSON-quoted
        from when they were read): no Python object per feature."""
        rows = np.flatnonzero(self._open)
        quoted = self._quoted
        parts = [_FEATURE % (quoted[row], level, lon, lat)
                 for row, lon, lat, level in zip(rows.tolist(), self._lon[rows].tolist(),
                                                 self._lat[rows].tolist(),
                                                 self._level[rows].tolist(), strict=True)]
        return b'{"type":"FeatureCollection","features":[' + ",".join(parts).encode() + b"]}"

    def take_changes(self) -> tuple[bytes, list[str]] | None:
        """The open events read since the last call, as a JSON array of Features, and the
        ids of those read closed; None when everything changed (after `read_all`, or before
        the first call): then send `feature_collection()` whole."""
        changed, self._changed = self._changed, set()
        if changed is None:
            return None
        rows = np.fromiter(sorted(changed), dtype=np.int64, count=len(changed))
        is_open = self._open[rows]
        shown = rows[is_open]
        quoted = self._quoted
        parts = [_FEATURE % (quoted[row], level, lon, lat)
                 for row, lon, lat, level in zip(shown.tolist(), self._lon[shown].tolist(),
                                                 self._lat[shown].tolist(),
                                                 self._level[shown].tolist(), strict=True)]
        removed = [self._ids[row] for row in rows[~is_open].tolist()]
        return b"[" + ",".join(parts).encode() + b"]", removed

    def pulse_features(self) -> list[dict]:
        """The events that pulse (console.map_marks), newest rows first, at most
        MAX_PULSING, as GeoJSON point features with `id` and `level`."""
        rows = np.flatnonzero(self._pulse & self._open)[::-1][:MAX_PULSING]
        return [{"type": "Feature", "properties": {"id": self._ids[row], "level": int(level)},
                 "geometry": {"type": "Point", "coordinates": [lon, lat]}}
                for row, lon, lat, level in zip(rows.tolist(), self._lon[rows].tolist(),
                                                self._lat[rows].tolist(),
                                                self._level[rows].tolist(), strict=True)]

    def _resize(self, size: int) -> None:
        def grown(column: np.ndarray) -> np.ndarray:
            new = np.zeros(size, dtype=column.dtype)
            keep = min(size, len(column))
            new[:keep] = column[:keep]
            return new

        self._lon, self._lat = grown(self._lon), grown(self._lat)
        self._level, self._open = grown(self._level), grown(self._open)
        self._pulse = grown(self._pulse)


def teams_collection(units) -> dict:
    """The response teams with a known position as GeoJSON points."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": unit.id, "status": unit.status},
         "geometry": {"type": "Point", "coordinates": [unit.position[0], unit.position[1]]}}
        for unit in units if unit.position is not None]}


def cameras_collection(cameras) -> dict:
    """The cameras (console.schema.Camera) as GeoJSON points with `id`, `name`, `status`."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": c.id, "name": c.name, "status": c.status},
         "geometry": {"type": "Point", "coordinates": [c.location[0], c.location[1]]}}
        for c in cameras]}


def sensors_collection(layer: dict, state_of) -> dict:
    """The backend's sensors layer with each sensor's current `state` (`state_of(id)`:
    "normal", "warning", "alarm", or None when unknown) in its properties."""
    features = []
    for feature in layer.get("features", []):
        props = dict(feature.get("properties") or {})
        sensor_id = props.get("id", feature.get("id"))
        props["state"] = state_of(sensor_id) or "unknown"
        features.append({**feature, "properties": props})
    return {"type": "FeatureCollection", "features": features}
