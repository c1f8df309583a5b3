"""External cameras from a JSON file (`python -m backend --cameras FILE`).

The file holds a JSON list of camera objects in the shape `GET /api/v1/cameras` answers
(`id`, `name`, `location`, `streams`; `street_id`, `status` and `ptz` optional), any stream
URL the console can play (rtsp, hls, flv, mjpeg). A missing `street_id` is filled in for a
camera inside the district (the street it stands in). Anything wrong is a `CameraFileError`
naming the file and the problem, and the backend does not start.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from console.schema import Camera

from ..catalog_data import STREET_NAMES, nearest_street
from ..map.geometry import contains
from ..map.liangxi import DISTRICT_RING

#: A file larger than this is refused (a camera list, not a data dump).
MAX_BYTES = 16 << 20


class CameraFileError(ValueError):
    """The camera file cannot be used; the message names the file and the problem."""


def load_camera_file(path: str | Path, *, taken: set[str] = frozenset()) -> list[Camera]:
    """The cameras of a file, validated; `taken` are ids already used (the demo cameras)."""
    path = Path(path)

    def fail(problem: str) -> CameraFileError:
        return CameraFileError(f"camera file {str(path)!r}: {problem}")

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(exc.strerror or str(exc)) from None
    if len(raw) > MAX_BYTES:
        raise fail(f"larger than {MAX_BYTES >> 20} MB")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise fail(f"not JSON ({exc})") from None
    if not isinstance(data, list):
        raise fail("must be a JSON list of camera objects")
    cameras: list[Camera] = []
    seen = set(taken)
    for n, item in enumerate(data):
        try:
            camera = Camera.model_validate(item)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "(the entry)"
            raise fail(f"camera {n}: {where}: {first['msg']}") from None
        if not camera.streams:
            raise fail(f"camera {n} ({camera.id}): no streams")
        if camera.id in seen:
            raise fail(f"camera {n}: id {camera.id!r} is used twice")
        if camera.street_id is not None and camera.street_id not in STREET_NAMES:
            raise fail(f"camera {n} ({camera.id}): unknown street_id {camera.street_id!r}")
        lon, lat = camera.location
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise fail(f"camera {n} ({camera.id}): location is not [lon, lat]")
        if camera.street_id is None and contains(DISTRICT_RING, (lon, lat)):
            camera = camera.model_copy(update={"street_id": nearest_street(lon, lat)})
        seen.add(camera.id)
        cameras.append(camera)
    return cameras
