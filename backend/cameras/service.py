"""The cameras' list and their status: forced by the simulator, or dropping out on their own.

Statuses live in memory (a restart finds every camera as listed: demo cameras online,
external ones as their file says). Every change is published as a durable `camera.status`
live message `{"camera_id", "status", "at"}`, in the same lock that changes the status, so
the list and the feed agree.
"""

from __future__ import annotations

import asyncio
import logging
import random
import threading
import time
from collections.abc import Callable, Iterable

from console.schema import Camera, CameraStatus, now_cst

from ..errors import ApiError
from ..loop_task import LoopTask
from ..security import Principal
from ..store import Database

log = logging.getLogger("backend.cameras")

STATUS = "camera.status"
#: Dropouts: a new one every DROPOUT_EVERY seconds (jittered, ×0.5–1.5), each lasting
#: DROPOUT_FOR seconds (min, max); at most MAX_OFFLINE demo cameras out at once.
DROPOUT_EVERY = 45.0
DROPOUT_FOR = (30.0, 240.0)
MAX_OFFLINE = 3


class CameraService:
    """The cameras by id, with their current status."""

    def __init__(self, db: Database, cameras: Iterable[Camera], *, dropout_ids: Iterable[str] = (),
                 seed: int = 1):
        self.db = db
        self._lock = threading.Lock()
        self._cameras: dict[str, Camera] = {c.id: c for c in cameras}
        #: Cameras that may drop out on their own (the demo ones).
        self._droppable = [i for i in dropout_ids if i in self._cameras]
        #: camera id → when (monotonic) a dropped-out camera comes back.
        self._returns: dict[str, float] = {}
        #: Cameras whose status an admin forced: left alone by the dropouts from then on.
        self._forced: set[str] = set()
        self._rng = random.Random(f"hall-cameras:{seed}")
        #: Called with (camera_id, status) after every change, in the changing thread.
        self._listeners: list[Callable[[str, str], None]] = []

    def add_listener(self, listener: Callable[[str, str], None]) -> None:
        """Call `listener(camera_id, status)` after every status change (from whichever
        thread made it: hand it on to the event loop with `call_soon_threadsafe`)."""
        self._listeners.append(listener)

    def get(self, camera_id: str) -> Camera | None:
        """The camera with its current status, or None."""
        with self._lock:
            return self._cameras.get(camera_id)

    def list_cameras(self, base_url: str) -> list[dict]:
        """Every camera as JSON; stream URLs given as a path get `base_url` in front."""
        base = base_url.rstrip("/")
        with self._lock:
            cameras = list(self._cameras.values())
        out = []
        for camera in cameras:
            item = camera.model_dump(mode="json")
            for stream in item["streams"]:
                if stream["url"].startswith("/"):
                    stream["url"] = base + stream["url"]
            out.append(item)
        return out

    def force(self, principal: Principal, camera_id: str, status: str) -> dict:
        """Set a camera's status now and publish it (every call publishes one message, also
        when the status stays); audited as `sim.camera`."""
        with self._lock:
            if camera_id not in self._cameras:
                raise ApiError(404, "not_found", "No such camera.",
                               {"camera_id": camera_id[:64]})
            self._forced.add(camera_id)
            self._returns.pop(camera_id, None)
            data, seq = self._set(camera_id, status, principal)
        return {"data": data, "seq": seq}

    def step(self, now: float | None = None) -> int:
        """One tick of the dropouts: cameras due back come back, and one more drops out when
        fewer than MAX_OFFLINE are out; returns how many changed."""
        now = time.monotonic() if now is None else now
        changed = 0
        with self._lock:
            for camera_id, back_at in sorted(self._returns.items()):
                if back_at <= now:
                    del self._returns[camera_id]
                    self._set(camera_id, "online")
                    changed += 1
            candidates = [i for i in self._droppable if i not in self._forced
                          and self._cameras[i].status == "online"]
            if candidates and len(self._returns) < MAX_OFFLINE:
                camera_id = self._rng.choice(candidates)
                self._returns[camera_id] = now + self._rng.uniform(*DROPOUT_FOR)
                self._set(camera_id, "offline")
                changed += 1
        return changed

    def next_delay(self) -> float:
        with self._lock:
            return DROPOUT_EVERY * self._rng.uniform(0.5, 1.5)

    def _set(self, camera_id: str, status: str,
             principal: Principal | None = None) -> tuple[dict, int]:
        at = now_cst()
        data = CameraStatus(camera_id=camera_id, status=status, at=at).model_dump(mode="json")
        with self.db.write() as tx:
            seq = tx.append_message(STATUS, data, at=at)
            if principal is not None:
                tx.audit(actor=principal.user_id, seat=principal.seat, action="sim.camera",
                         target=f"camera:{camera_id}", result="ok", idempotency_key=None,
                         event_id=None)
        self._cameras[camera_id] = self._cameras[camera_id].model_copy(update={"status": status})
        for listener in self._listeners:
            try:
                listener(camera_id, status)
            except Exception:  # a listener's failure must not undo the change
                log.exception("camera status listener failed")
        return data, seq


class CameraDropouts(LoopTask):
    """The task that lets demo cameras drop out and come back (`--camera-dropouts on`)."""

    name = "camera-dropouts"

    def __init__(self, service: CameraService):
        super().__init__()
        self.service = service

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.service.next_delay())
            try:
                await asyncio.to_thread(self.service.step)
            except Exception:  # a failed tick must not stop the dropouts
                log.exception("camera dropouts: a tick failed")
