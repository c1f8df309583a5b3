"""Start-up options of the backend (the command line of `python -m backend`)."""

from __future__ import annotations

from dataclasses import dataclass

from console.schema import Camera


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
    #: Demo cameras drop out now and then and come back (`camera.status` live messages).
    camera_dropouts: bool = True
    #: External cameras listed after the demo ones (`--cameras FILE`, already validated).
    external_cameras: tuple[Camera, ...] = ()
    #: Seconds a demo camera's stream goes on being produced after its last client left.
    stream_linger: float = 2.0
    #: Demo camera streams (camera × profile × kind) produced at once at most; more → 503.
    max_streams: int = 64
    #: ICE servers offered to the conference room pages (`stun:` / `turn:` URLs; none: host
    #: candidates only, enough on a LAN and on this machine).
    ice_servers: tuple[str, ...] = ()
