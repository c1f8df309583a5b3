"""Named queue filters: the built-in ones every seat has, and the user's own, as plain data.

A filter is stored as a small JSON-able dict (`filter_to_dict`); reading one back never
fails: unknown keys and wrong types are dropped (a saved filter from an older version, or a
hand-edited settings file, gives the nearest valid filter).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from console.queue_index import QueueFilter
from console.schema import OPEN_STATUSES, STATUSES

#: Built-in filter keys, in menu order.
OPEN_LEVEL_1_2 = "open_level_1_2"
OVERDUE = "overdue"
MY_STREET = "my_street"
BUILTIN_KEYS = (OPEN_LEVEL_1_2, OVERDUE, MY_STREET)

_SET_FIELDS = ("statuses", "levels", "sources", "streets", "categories")


@dataclass(frozen=True)
class NamedFilter:
    """A filter with a name: a built-in (`key` set, the views translate it) or the user's."""

    name: str
    filter: QueueFilter
    key: str = ""


def builtin_filters(my_street: str | None) -> list[NamedFilter]:
    """The built-in filters; "my street" only when the seat has a street."""
    out = [
        NamedFilter("open level 1-2", QueueFilter(statuses=OPEN_STATUSES,
                                                   levels=frozenset({1, 2})), OPEN_LEVEL_1_2),
        NamedFilter("overdue", QueueFilter(statuses=OPEN_STATUSES, overdue=True), OVERDUE),
    ]
    if my_street:
        out.append(NamedFilter("my street", QueueFilter(statuses=OPEN_STATUSES,
                                                         streets=frozenset({my_street})),
                               MY_STREET))
    return out


def filter_to_dict(queue_filter: QueueFilter) -> dict[str, Any]:
    """A JSON-able dict of the filter (sets become sorted lists; None stays None)."""
    out: dict[str, Any] = {}
    for name in _SET_FIELDS:
        value = getattr(queue_filter, name)
        out[name] = None if value is None else sorted(value)
    out["overdue"] = bool(queue_filter.overdue)
    out["text"] = queue_filter.text
    return out


def filter_from_dict(data: Any) -> QueueFilter:
    """The filter stored in `data`; anything malformed falls back to the default."""
    base = QueueFilter()
    if not isinstance(data, dict):
        return base
    fields: dict[str, Any] = {}
    for name in _SET_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if value is None:
            fields[name] = None
        elif isinstance(value, list):
            wanted = int if name == "levels" else str
            items = [v for v in value if isinstance(v, wanted) and not isinstance(v, bool)]
            if name == "statuses":
                items = [v for v in items if v in STATUSES]
            if name == "levels":
                items = [v for v in items if 1 <= v <= 4]
            fields[name] = frozenset(items)
    if isinstance(data.get("overdue"), bool):
        fields["overdue"] = data["overdue"]
    if isinstance(data.get("text"), str):
        fields["text"] = data["text"][:200]
    return replace(base, **fields)


def user_filters_from_data(data: Any) -> list[NamedFilter]:
    """The user's saved filters from settings data (a list of {"name", "filter"})."""
    out = []
    if not isinstance(data, list):
        return out
    for item in data:
        if isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"].strip():
            out.append(NamedFilter(item["name"].strip()[:60], filter_from_dict(item.get("filter"))))
    return out


def user_filters_to_data(filters: list[NamedFilter]) -> list[dict[str, Any]]:
    return [{"name": f.name, "filter": filter_to_dict(f.filter)} for f in filters]
