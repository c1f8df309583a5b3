"""What an event opened from an indicator breach is proposed to be filed under.

A proposal only: the new-event dialog shows it and the officer confirms or changes it. Where
a group's breaches have no evident category, none is proposed and the officer picks one.
"""

from __future__ import annotations

from collections.abc import Iterable

from console.schema import Indicator

#: The event category proposed for a breach of an indicator of each group. Only the economy
#: group's alarms have one evident category (its live figures are crowds in scenic and
#: shopping areas); the others mix kinds (a water level and a gas alarm are both "safety").
CATEGORY_BY_GROUP: dict[str, str] = {
    "economy": "crowd_warning",
}


def proposed_category(indicator: Indicator, known: Iterable[str] | None = None) -> str | None:
    """The category code proposed for a breach of `indicator` (None: let the officer pick);
    with `known` (the catalog's codes), only one of those."""
    code = CATEGORY_BY_GROUP.get(indicator.group)
    if code is not None and known is not None and code not in set(known):
        return None
    return code


__all__ = ["CATEGORY_BY_GROUP", "proposed_category"]
