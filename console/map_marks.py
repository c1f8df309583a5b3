"""Which events draw the eye on the map.

A new urgent event pulses until someone in the hall takes it: levels 1 and 2, while its status
is still "new" (not yet acknowledged). At most `MAX_PULSING` pulse at once, the newest,
so that a burst of alarms cannot make the map unreadable or slow.
"""

from __future__ import annotations

PULSE_LEVELS: frozenset[int] = frozenset({1, 2})
PULSE_STATUSES: frozenset[str] = frozenset({"new"})
MAX_PULSING = 200


def pulses(level: int, status: str) -> bool:
    """Whether an event of this level and status pulses on the map."""
    return level in PULSE_LEVELS and status in PULSE_STATUSES
