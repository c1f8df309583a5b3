"""Start-up options of the backend (the command line of `python -m backend`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Settings:
    """Everything `create_app` needs to know."""

    db_path: str
    seed: int = 1
    rate: float = 6.0
    speed: float = 1.0
    #: Simulated responding units answer dispatched events.
    units: bool = True
    #: Every indicator publishes `indicator.sample` live messages.
    indicators: bool = True
    #: Seconds between two samples of every indicator (None: each indicator's own interval).
    indicator_interval: float | None = None
    retain: int = 200_000
    heartbeat: float = 5.0
    client_queue: int = 50_000
    access_ttl: float = 15 * 60
    refresh_ttl: float = 12 * 3600
    #: XYZ tile URL templates (`…/{z}/{x}/{y}.png`) offered in `GET /map/config`.
    tile_sources: tuple[str, ...] = ()
