"""Where the response units are and whether they are free: the catalog plus live positions.

`UnitBoard` starts from the catalog's units and follows `unit.position` messages from the
live feed (the store's `sig_other`). Call its methods on the thread that owns the store.
"""

from __future__ import annotations

import logging
import math

from pydantic import ValidationError

from console.events import Signal
from console.schema import Catalog, LiveMessage, Unit, UnitPosition

log = logging.getLogger(__name__)

_EARTH_RADIUS_KM = 6371.0088


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two [lon, lat] points, in kilometres."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


class UnitBoard:
    """The current state of every unit, by id.

    Signals: `sig_changed(unit_ids)` after live positions or statuses changed.
    """

    def __init__(self, store) -> None:
        self._units: dict[str, Unit] = {}
        self.sig_changed = Signal("units changed")
        store.sig_catalog.connect(self.set_catalog)
        store.sig_other.connect(self.apply)
        if store.catalog is not None:
            self.set_catalog(store.catalog)

    def set_catalog(self, catalog: Catalog) -> None:
        """Take the catalog's units, keeping live positions already known for them."""
        known = self._units
        self._units = {}
        for unit in catalog.units:
            live = known.get(unit.id)
            if live is not None and live.position is not None:
                unit = unit.model_copy(update={"position": live.position, "status": live.status})
            self._units[unit.id] = unit

    def apply(self, messages: list[LiveMessage]) -> None:
        """Follow `unit.position` messages (others are ignored)."""
        changed: list[str] = []
        for message in messages:
            if message.type != "unit.position":
                continue
            try:
                data = UnitPosition.model_validate(message.data)
            except ValidationError as exc:
                log.warning("skipped unit.position seq %d: %d validation errors", message.seq,
                            exc.error_count())
                continue
            unit = self._units.get(data.unit_id)
            if unit is None:
                continue
            update: dict = {"position": data.position}
            if data.status is not None:
                update["status"] = data.status
            self._units[data.unit_id] = unit.model_copy(update=update)
            changed.append(data.unit_id)
        if changed:
            self.sig_changed.emit(changed)

    def get(self, unit_id: str) -> Unit | None:
        return self._units.get(unit_id)

    def name(self, unit_id: str) -> str:
        unit = self._units.get(unit_id)
        return unit.name if unit is not None else unit_id

    def all(self) -> list[Unit]:
        return list(self._units.values())
