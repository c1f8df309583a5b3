"""The cameras (视频监控) of the reference backend: `GET /api/v1/cameras`, the `camera.status`
live messages, and the simulator's control of them.

- `demo`: 60 demo cameras on Liangxi's main roads and at its landmarks (ids `CAM-001` …
  `CAM-060`, Chinese names such as 「中山路·人民路口 球机」, `street_id` from the street
  outlines, `ptz` for the dome cameras at crossings and landmarks). Each has two streams, both
  `kind: "mjpeg"`: `main` 1280×720 at 25 fps and `sub` 640×360 at 15 fps, at
  `{base}/api/v1/cameras/{id}/main.mjpeg` and `…/sub.mjpeg`. The list gives the URLs absolute,
  `{base}` being the scheme and host the request came to (a client resolves a relative URL
  against its API base anyway). The same two as H.264 follow, `kind: "flv"`, at `…/main.flv`
  and `…/sub.flv`.
- `streams` (with `frames`): the demo cameras' video, produced only while someone watches
  (one producer thread per camera × profile × kind, shared by its clients): MJPEG
  (`multipart/x-mixed-replace`) and HTTP-FLV (H.264), a street scrolling by, a car, the
  camera's name and the time drawn in. An offline camera's streams end and new ones get 503
  `camera_offline`; external cameras are not served (404). `GET /api/v1/sim/streams` (admin)
  lists the producers running.
- `external`: `python -m backend --cameras FILE` adds the cameras of a JSON file (a list of
  camera objects in the list's shape, any URL: rtsp, hls, flv, mjpeg); a bad file stops the
  start with a message naming the file and the problem.
- `service`: the statuses. With `--camera-dropouts on` (the default; the tests turn it off)
  a demo camera drops out about every 45 s for 30 s to 4 min, at most three at once. Every
  change is a durable `camera.status` live message `{"camera_id", "status": "online" |
  "offline", "at"}`. `POST /api/v1/sim/cameras/{id} {"status"}` (admin) sets a camera's
  status at once (one message per call, audited `sim.camera`); the dropouts leave a camera
  alone once forced. Statuses are kept in memory: after a restart every camera is as listed.
"""

from .demo import demo_cameras
from .external import CameraFileError, load_camera_file
from .service import CameraDropouts, CameraService

__all__ = ["CameraDropouts", "CameraFileError", "CameraService", "demo_cameras",
           "load_camera_file"]
