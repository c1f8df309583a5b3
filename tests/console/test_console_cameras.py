"""The cameras in the core: the list over REST, the live status on the board, the ones near a
place, and the offline cache's copy on a cold start."""

from __future__ import annotations

import logging
import threading
from datetime import datetime

import pytest
import requests
from console_helpers import FAST_LIVE, Hall, MainQueue, MemoryKeyring

from console.api import ApiClient, ApiError
from console.auth import AuthSession, CredentialVault
from console.cameras import CameraBoard, CameraMirror, load_cameras, metres_between
from console.offline_login import OfflineLogin
from console.schema import CST, Camera, LiveMessage
from console.session import HallSession
from console.store import EventStore
from offline_cache import OfflineCache

AT = datetime(2025, 7, 1, 9, 30, tzinfo=CST)


def _force(backend, camera_id: str, status: str) -> int:
    answer = requests.post(f"{backend.url}/api/v1/sim/cameras/{camera_id}", timeout=10,
                           headers=backend.headers("admin"), json={"status": status})
    answer.raise_for_status()
    return answer.json()["seq"]


def _camera(camera_id: str, lon: float, lat: float, status: str = "online") -> Camera:
    return Camera(id=camera_id, name=camera_id, location=(lon, lat), status=status,
                  streams=[{"profile": "main", "kind": "mjpeg", "url": f"/{camera_id}"}])


def _status(seq: int, camera_id: str, status: str, at: datetime = AT) -> LiveMessage:
    return LiveMessage.model_validate({"seq": seq, "type": "camera.status", "at": at,
                                       "data": {"camera_id": camera_id, "status": status,
                                                "at": at.isoformat()}})


def test_the_client_lists_the_cameras_with_absolute_stream_urls(backend):
    hall = Hall(backend.url, "duty1")
    try:
        cameras = hall.api.cameras()
        assert len(cameras) >= 50
        for camera in cameras:
            assert camera.stream("main").url.startswith(f"{backend.url}/api/v1/cameras/")
    finally:
        hall.api.close()


def test_the_board_follows_camera_status_from_the_live_feed(backend):
    hall = Hall(backend.url, "duty1")
    changed: list[list[str]] = []
    hall.session.cameras.sig_changed.connect(changed.append)
    hall.start()
    try:
        board = hall.session.cameras
        assert hall.main.run_until(lambda: len(board) >= 50, timeout=20)
        camera_id = board.all()[7].id
        assert board.get(camera_id).status == "online"
        seq = _force(backend, camera_id, "offline")
        assert hall.main.run_until(lambda: board.get(camera_id).status == "offline", timeout=10)
        assert [camera_id] in changed and hall.store.last_seq >= seq
        _force(backend, camera_id, "online")
        assert hall.main.run_until(lambda: board.get(camera_id).status == "online", timeout=10)
    finally:
        hall.close()


def test_within_returns_the_cameras_in_reach_nearest_first():
    board = CameraBoard()
    here = (120.3035, 31.5795)
    board.load([
        _camera("far", 120.3300, 31.5795),     # about 2.5 km east
        _camera("near", 120.3040, 31.5795),    # about 47 m
        _camera("mid", 120.3035, 31.5830),     # about 390 m north
        _camera("nearer", 120.3035, 31.5797),  # about 22 m
    ])
    assert [c.id for c in board.within(*here, 500)] == ["nearer", "near", "mid"]
    assert [c.id for c in board.within(*here, 100)] == ["nearer", "near"]
    assert board.within(*here, 10) == []
    assert len(board.within(*here, 5000)) == 4
    assert metres_between(here, (120.3035, 31.5830)) == pytest.approx(389, abs=2)


def test_the_board_keeps_a_live_status_newer_than_the_list_and_skips_junk(caplog):
    board = CameraBoard()
    board.load([_camera("a", 120.3, 31.58), _camera("b", 120.31, 31.58)])
    changed: list[list[str]] = []
    board.sig_changed.connect(changed.append)
    bad = LiveMessage.model_validate({"seq": 1, "type": "camera.status", "at": AT,
                                      "data": {"camera_id": "a", "status": "melted"}})
    with caplog.at_level(logging.WARNING):
        board.apply([bad, _status(2, "a", "offline"), _status(3, "zz", "offline"),
                     _status(4, "b", "online")])
    assert changed == [["a"]] and "skipped camera.status seq 1" in caplog.text
    # A list read before that status came keeps it; one read after it does not.
    board.load([_camera("a", 120.3, 31.58)], as_of=AT.timestamp() - 1)
    assert board.get("a").status == "offline"
    board.load([_camera("a", 120.3, 31.58)], as_of=AT.timestamp() + 1)
    assert board.get("a").status == "online"


def test_a_backend_without_cameras_gives_an_empty_board(caplog):
    class NoCameras:
        def cameras(self):
            raise ApiError(404, "not_found", "Not Found.")

    with caplog.at_level(logging.INFO, logger="console.cameras"):
        loaded = load_cameras(NoCameras(), None, CameraMirror(), threading.Event())
    assert loaded is not None and loaded[0] == []
    assert [r.getMessage() for r in caplog.records] == [
        "no cameras: the backend answered 404 not_found", "loaded 0 cameras"]


def test_a_cold_start_shows_the_cached_cameras_with_their_live_status(backend_factory,
                                                                      tmp_path):
    proc = backend_factory()
    proc.sim_events(5)
    vault = CredentialVault(MemoryKeyring())
    api = ApiClient(proc.url, connect_timeout=1.0, read_timeout=5.0)
    auth = AuthSession(api, vault, "desk-1", OfflineLogin(vault, proc.url))
    auth.login("duty1", "duty1")
    cache, _ = OfflineCache.open(tmp_path)
    main = MainQueue()
    session = HallSession(api, auth, EventStore(), main, live_options=FAST_LIVE, cache=cache)
    session.start()
    try:
        assert main.run_until(lambda: len(session.cameras) >= 50, timeout=20)
        count = len(session.cameras)
        camera_id = session.cameras.all()[3].id
        _force(proc, camera_id, "offline")
        assert main.run_until(lambda: b'"offline"' in cache.documents("cameras")[camera_id],
                              timeout=10)
        assert len(cache.documents("cameras")) == count
    finally:
        session.stop()
        cache.close()
        api.close()
    proc.stop()

    # The same seat, the backend gone: the cameras come from the cache.
    api = ApiClient(proc.url, connect_timeout=0.5, read_timeout=1.0)
    auth = AuthSession(api, vault, "desk-1", OfflineLogin(vault, proc.url))
    auth.login("duty1", "duty1")
    assert auth.offline
    cache, _ = OfflineCache.open(tmp_path)
    main = MainQueue()
    session = HallSession(api, auth, EventStore(), main, live_options=FAST_LIVE, cache=cache)
    session.start()
    try:
        assert main.run_until(lambda: len(session.cameras) == count, timeout=10)
        assert session.cameras.get(camera_id).status == "offline"
        assert session.cameras.within(*session.cameras.get(camera_id).location, 1)[0].id \
            == camera_id
    finally:
        session.stop()
        cache.close()
        api.close()
