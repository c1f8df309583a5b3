"""The cameras (视频监控): the list, status changes on the live feed, dropouts, external cameras
from a file and a bad file refused at start-up."""

from __future__ import annotations

import json
import re

import pytest
import requests
from be_helpers import API, assert_error, bearer, last_seq, live, receive

from backend.cameras import CameraService, demo_cameras
from backend.cameras import service as camera_service
from backend.map.geometry import contains
from backend.map.liangxi import DISTRICT_RING
from backend.store import Database
from console.schema import Camera, CameraStatus, Catalog, LiveMessage

HAN = re.compile(r"[\u4e00-\u9fff]")


def cameras(proc, token: str) -> list[dict]:
    answer = requests.get(f"{proc.url}{API}/cameras", headers=bearer(token), timeout=10)
    assert answer.status_code == 200, answer.text[:500]
    return answer.json()


def force(proc, camera_id: str, status: str, username: str = "admin") -> requests.Response:
    return requests.post(f"{proc.url}{API}/sim/cameras/{camera_id}", timeout=10,
                         headers=proc.headers(username), json={"status": status})


def test_the_list_has_about_sixty_demo_cameras_on_the_district_streets(backend):
    token = backend.login("duty1")
    listed = cameras(backend, token)
    streets = {s.id for s in Catalog.model_validate(requests.get(
        f"{backend.url}{API}/catalog", headers=bearer(token), timeout=10).json()).streets}
    assert 50 <= len(listed) <= 70
    ids = [item["id"] for item in listed]
    assert len(set(ids)) == len(ids)
    assert len({item["name"] for item in listed}) == len(listed)
    for item in listed:
        camera = Camera.model_validate(item)
        assert {"id", "name", "location", "street_id", "status", "ptz", "streams"} <= set(item)
        assert HAN.search(camera.name) and camera.name.endswith(("球机", "枪机"))
        assert contains(DISTRICT_RING, camera.location), camera
        assert camera.street_id in streets
        assert camera.status == "online"
        assert isinstance(item["ptz"], bool)
        main, sub = camera.stream("main"), camera.stream("sub")
        assert (main.width, main.height, main.fps) == (1280, 720, 25)
        assert (sub.width, sub.height) == (640, 360)
        for stream in (main, sub):
            assert stream.kind == "mjpeg"
            assert stream.url == f"{backend.url}{API}/cameras/{camera.id}/{stream.profile}.mjpeg"
    # Every street has at least one camera; both kinds of camera are there.
    assert {item["street_id"] for item in listed} == streets
    assert {item["ptz"] for item in listed} == {True, False}
    assert any("解放环路" in item["name"] for item in listed)


def test_the_demo_cameras_never_change():
    first, again = demo_cameras(), demo_cameras()
    assert [c.model_dump() for c in first] == [c.model_dump() for c in again]


def test_the_list_needs_a_signed_in_user_and_is_in_openapi(backend):
    assert_error(requests.get(f"{backend.url}{API}/cameras", timeout=10), 401, "unauthorized")
    doc = requests.get(f"{backend.url}/openapi.json", timeout=10).json()
    listed = doc["paths"][f"{API}/cameras"]["get"]["responses"]["200"]
    assert listed["content"]["application/json"]["schema"]["items"]["$ref"].endswith("Camera")
    assert f"{API}/sim/cameras/{{camera_id}}" in doc["paths"]


def test_a_forced_status_arrives_live_and_shows_in_the_list(backend):
    token = backend.login("duty1")
    camera_id = cameras(backend, token)[5]["id"]
    since = last_seq(backend)
    with live(backend, token, since) as ws:
        answer = force(backend, camera_id, "offline")
        assert answer.status_code == 200, answer.text
        result = answer.json()
        [message] = receive(ws, 1)
        assert message["seq"] == result["seq"] == since + 1
        assert message["type"] == "camera.status"
        data = CameraStatus.model_validate(message["data"])
        assert (data.camera_id, data.status) == (camera_id, "offline")
        assert data.at is not None and message["data"] == result["data"]
        LiveMessage.model_validate(message)
        listed = {item["id"]: item for item in cameras(backend, token)}
        assert listed[camera_id]["status"] == "offline"

        assert force(backend, camera_id, "online").status_code == 200
        [back] = receive(ws, 1)
        assert back["data"]["camera_id"] == camera_id and back["data"]["status"] == "online"
    assert {item["id"]: item for item in cameras(backend, token)}[camera_id]["status"] == "online"


def test_forcing_a_status_is_for_admins_known_cameras_and_valid_states(backend):
    assert_error(force(backend, "CAM-001", "offline", "leader1"), 403, "forbidden")
    assert_error(force(backend, "CAM-999", "offline"), 404, "not_found")
    assert_error(force(backend, "CAM-001", "broken"), 422, "invalid")
    assert force(backend, "CAM-002", "online").status_code == 200
    audit = requests.get(f"{backend.url}{API}/audit", headers=backend.headers("admin"),
                         params={"actor": "admin"}, timeout=10).json()
    assert any(e["action"] == "sim.camera" and e["target"] == "camera:CAM-002" for e in audit)


def _offline(service: CameraService) -> set[str]:
    return {c["id"] for c in service.list_cameras("http://x") if c["status"] == "offline"}


def test_dropouts_take_cameras_out_for_a_while_and_bring_them_back(tmp_path, monkeypatch):
    monkeypatch.setattr(camera_service, "DROPOUT_FOR", (10.0, 20.0))
    db = Database(str(tmp_path / "cams.db"), retain=1000)
    try:
        demo = demo_cameras()
        service = CameraService(db, demo, dropout_ids=[c.id for c in demo], seed=1)
        published = 0
        out_for: dict[str, int] = {}
        seen_out: set[str] = set()
        for tick in range(20):
            published += service.step(now=tick * 5.0)
            offline = _offline(service)
            assert 1 <= len(offline) <= camera_service.MAX_OFFLINE
            seen_out |= offline
            for camera_id in offline:
                out_for[camera_id] = out_for.get(camera_id, 0) + 1
                assert out_for[camera_id] <= 5, "back within 20 s (+ one 5 s tick)"
            for camera_id in set(out_for) - offline:
                out_for.pop(camera_id)
        assert len(seen_out) > camera_service.MAX_OFFLINE
        assert db.last_seq == published  # one camera.status message per change
        service.step(now=1000.0)
        assert len(_offline(service)) == 1  # the others came back; one new dropout
    finally:
        db.close()


def _camera_file(tmp_path, items) -> str:
    path = tmp_path / "cameras.json"
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return str(path)


EXTERNAL = [
    {"id": "EXT-1", "name": "清名桥 卡口 (外部)", "location": [120.3125, 31.5605], "ptz": False,
     "streams": [{"profile": "main", "kind": "rtsp", "url": "rtsp://10.1.2.3:554/live/ch1",
                  "width": 1920, "height": 1080, "fps": 25}]},
    {"id": "EXT-2", "name": "外区 摄像机", "location": [121.0, 31.0], "status": "offline",
     "streams": [{"profile": "sub", "kind": "hls", "url": "https://video.example/x.m3u8"}]},
]


def test_a_camera_file_adds_external_cameras(backend_factory, tmp_path):
    proc = backend_factory(cameras=_camera_file(tmp_path, EXTERNAL))
    listed = {item["id"]: item for item in cameras(proc, proc.login("duty1"))}
    assert len(listed) == len(demo_cameras()) + 2
    ext = Camera.model_validate(listed["EXT-1"])
    assert ext.street_id == "qingmingqiao"  # filled in: it stands in the district
    assert ext.stream("main").url == "rtsp://10.1.2.3:554/live/ch1"
    assert ext.stream("main").kind == "rtsp"
    outside = Camera.model_validate(listed["EXT-2"])
    assert outside.street_id is None and outside.status == "offline"
    assert outside.stream("sub").url == "https://video.example/x.m3u8"


@pytest.mark.parametrize(("content", "problem"), [
    (None, "No such file"),
    ("{not json", "not JSON"),
    ('{"id": "x"}', "must be a JSON list"),
    (json.dumps([{"id": "E", "name": "n", "location": [120.3, 31.5]}]), "no streams"),
    (json.dumps([{"id": "E", "name": "n", "streams": []}]), "location"),
    (json.dumps([EXTERNAL[0], EXTERNAL[0]]), "used twice"),
    (json.dumps([{**EXTERNAL[0], "id": "CAM-001"}]), "used twice"),
    (json.dumps([{**EXTERNAL[0], "street_id": "nowhere"}]), "unknown street_id"),
])
def test_a_bad_camera_file_stops_the_start_naming_the_file(tmp_path, capsys, content, problem):
    from backend.__main__ import parse_args

    path = tmp_path / "cameras.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        parse_args(["--cameras", str(path)])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert str(path) in err and problem in err, err


def test_a_backend_with_a_bad_camera_file_does_not_start(backend_factory, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("[1, 2", encoding="utf-8")
    with pytest.raises(RuntimeError) as failed:
        backend_factory(cameras=str(path))
    assert "broken.json" in str(failed.value) and "not JSON" in str(failed.value)
