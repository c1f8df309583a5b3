"""The map's search box: one query finds any element (event id, address, street, camera, unit,
sensor), best match first.

`MapSearch` holds the named places of the map (streets, cameras, teams, sensors) by kind;
events come from a finder the caller gives (the queue's text index answers an address
search over 100,000 events without a Python step per event). Matching is case-folded
substring matching; the rank is: exact id or name, then id or name starting with the query,
then the query anywhere in the name or detail; within a rank, by kind (`KIND_ORDER`) and name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from console.nearby import Place

#: Kinds in the order results of equal rank are listed: one named place before the many
#: events that mention it.
KIND_ORDER = ("street", "camera", "team", "sensor", "event")

EventFinder = Callable[[str, int], list[Place]]


def _rank(query: str, place: Place) -> int | None:
    pid, name = place.id.casefold(), place.name.casefold()
    if query in (pid, name):
        return 0
    if pid.startswith(query) or name.startswith(query):
        return 1
    if query in name or query in pid or query in place.detail.casefold():
        return 2
    return None


class MapSearch:
    """Named places by kind plus an event finder; `find(text)` ranks them."""

    def __init__(self, events: EventFinder | None = None) -> None:
        self._places: dict[str, list[Place]] = {}
        self._events = events

    def set_event_finder(self, events: EventFinder | None) -> None:
        self._events = events

    def set_places(self, kind: str, places: Iterable[Place]) -> None:
        """Replace the places of `kind`."""
        self._places[kind] = list(places)

    def find(self, text: str, limit: int = 12) -> list[Place]:
        """The places matching `text`, best first, at most `limit` (none for blank text)."""
        query = text.strip().casefold()
        if not query:
            return []
        ranked: list[tuple[int, int, str, Place]] = []
        if self._events is not None:
            for place in self._events(text.strip(), limit):
                rank = _rank(query, place)
                ranked.append((rank if rank is not None else 2, KIND_ORDER.index("event"),
                               place.name, place))
        for kind, places in self._places.items():
            order = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
            for place in places:
                rank = _rank(query, place)
                if rank is not None:
                    ranked.append((rank, order, place.name, place))
        ranked.sort(key=lambda r: r[:3])
        return [r[3] for r in ranked[:limit]]


def event_place(event) -> Place:
    location = event.location
    return Place("event", event.id, event.title, location.lon, location.lat, event.status,
                 location.address)


def event_finder(store, text_rows: Callable[[str], Iterable[int]]) -> EventFinder:
    """An EventFinder over `store`: the event whose id is the query, then the events whose
    text contains it (`text_rows(text)` gives their store rows), open ones and the newest
    first."""

    def find(text: str, limit: int) -> list[Place]:
        found: dict[str, Place] = {}
        for candidate in (text, text.upper()):
            row = store.row_of(candidate)
            if row is not None:
                event = store.event_at(row)
                found[event.id] = event_place(event)
                break
        rows = list(text_rows(text))
        # Later rows arrived later; reading a few times the limit finds the open ones.
        events = [store.event_at(row) for row in rows[-limit * 8:]]
        events.sort(key=lambda e: (e.status == "closed", -e.reported_at.timestamp()))
        for event in events:
            if len(found) >= limit:
                break
            found.setdefault(event.id, event_place(event))
        return list(found.values())

    return find
