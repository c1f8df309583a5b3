"""The demo cameras' video (视频监控): MJPEG and H.264 (HTTP-FLV) from the real backend on
loopback, decoded with Pillow and PyAV; one producer shared by a stream's clients; a camera
going offline ends its streams and refuses new ones; the event loop stays responsive."""

from __future__ import annotations

import io
import json
import statistics
import threading
import time
from fractions import Fraction

import av
import pytest
import requests
from be_helpers import API, assert_error, bearer
from PIL import Image, ImageChops, ImageStat

from backend.launcher import BackendProcess


class Backend(BackendProcess):
    def login(self, username: str) -> str:
        answer = requests.post(f"{self.url}{API}/auth/login", timeout=10, json={
            "username": username, "password": username, "seat": "streams"})
        answer.raise_for_status()
        return answer.json()["access_token"]


@pytest.fixture(scope="module")
def streams_backend(tmp_path_factory):
    """A backend of its own (these tests force cameras offline), a short linger, one external
    camera."""
    work = tmp_path_factory.mktemp("streams")
    cameras = work / "cameras.json"
    cameras.write_text(json.dumps([{
        "id": "EXT-1", "name": "外部 摄像机", "location": [120.3125, 31.5605],
        "streams": [{"profile": "main", "kind": "rtsp", "url": "rtsp://10.1.2.3/ch1"}]}]),
        encoding="utf-8")
    proc = Backend(work / "backend.db", log_file=work / "backend.log", log_level="warning",
                   units="off", indicators="off", camera_dropouts="off", stream_linger=0.5,
                   cameras=str(cameras))
    proc.start()
    proc.token = proc.login("duty1")
    proc.admin = proc.login("admin")
    try:
        yield proc
    finally:
        proc.stop()


def url(proc, camera_id: str, name: str) -> str:
    return f"{proc.url}{API}/cameras/{camera_id}/{name}"


def open_stream(proc, camera_id: str, name: str) -> requests.Response:
    answer = requests.get(url(proc, camera_id, name), headers=bearer(proc.token), stream=True,
                          timeout=10)
    assert answer.status_code == 200, answer.text[:300]
    return answer


def mjpeg_parts(answer: requests.Response):
    """(part headers, JPEG bytes) of a multipart/x-mixed-replace answer, as they come."""
    boundary = answer.headers["Content-Type"].split("boundary=")[1].encode()
    raw = answer.raw
    while True:
        line = raw.readline()
        if not line:
            return
        if line.strip() != b"--" + boundary:
            continue
        headers = {}
        while (line := raw.readline().strip()):
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        data = raw.read(int(headers["content-length"]))
        yield headers, data


def flv_options(proc) -> dict:
    # fpsprobesize 0: FFmpeg takes the listed rate instead of counting 40 frames first.
    return {"headers": f"Authorization: Bearer {proc.token}\r\n", "fpsprobesize": "0"}


def producers(proc) -> dict:
    answer = requests.get(f"{proc.url}{API}/sim/streams", headers=bearer(proc.admin), timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def force(proc, camera_id: str, status: str) -> None:
    answer = requests.post(f"{proc.url}{API}/sim/cameras/{camera_id}", timeout=10,
                           headers=bearer(proc.admin), json={"status": status})
    assert answer.status_code == 200, answer.text


def test_the_catalog_lists_mjpeg_and_flv_streams_of_both_profiles(streams_backend):
    proc = streams_backend
    listed = requests.get(f"{proc.url}{API}/cameras", headers=bearer(proc.token),
                          timeout=10).json()
    cam = next(c for c in listed if c["id"] == "CAM-001")
    kinds = {(s["profile"], s["kind"]): s for s in cam["streams"]}
    assert set(kinds) == {("main", "mjpeg"), ("sub", "mjpeg"), ("main", "flv"), ("sub", "flv")}
    assert kinds[("main", "flv")]["url"] == url(proc, "CAM-001", "main.flv")
    assert (kinds[("sub", "flv")]["width"], kinds[("sub", "flv")]["height"]) == (640, 360)


@pytest.mark.parametrize(("profile", "size", "fps"), [("sub", (640, 360), 15),
                                                      ("main", (1280, 720), 25)])
def test_mjpeg_frames_are_jpegs_of_the_right_size_that_move(streams_backend, profile, size, fps):
    proc = streams_backend
    answer = open_stream(proc, "CAM-003", f"{profile}.mjpeg")
    try:
        assert answer.headers["Content-Type"].startswith("multipart/x-mixed-replace")
        images, started = [], None
        for headers, data in mjpeg_parts(answer):
            assert headers["content-type"] == "image/jpeg"
            image = Image.open(io.BytesIO(data))
            image.load()
            images.append(image)
            started = started or time.monotonic()
            if len(images) == fps + 1:  # about a second of frames after the first
                break
        elapsed = time.monotonic() - started
    finally:
        answer.close()
    assert all(im.size == size and im.format == "JPEG" for im in images)
    assert fps / elapsed > fps * 0.6, f"{fps / elapsed:.1f} fps"
    diff = ImageChops.difference(images[0].convert("L"), images[-1].convert("L"))
    assert ImageStat.Stat(diff).mean[0] > 1.0, "the picture moves"
    # The clock and the name plate: the top rows are not the sky's plain gradient.
    top = images[-1].convert("L").crop((0, 0, size[0], size[1] // 10))
    assert ImageStat.Stat(top).stddev[0] > 20


@pytest.mark.parametrize(("profile", "size", "fps"), [("sub", (640, 360), 15),
                                                      ("main", (1280, 720), 25)])
def test_flv_is_h264_of_the_right_size_and_rate(streams_backend, profile, size, fps):
    proc = streams_backend
    t0 = time.monotonic()
    with av.open(url(proc, "CAM-004", f"{profile}.flv"), options=flv_options(proc),
                 timeout=10) as container:
        opened = time.monotonic() - t0
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert stream.average_rate == Fraction(fps)
        frames = []
        for frame in container.decode(video=0):
            frames.append((frame.time, time.monotonic(), frame.width, frame.height,
                           frame.to_ndarray(format="gray")[::16, ::16].copy()))
            if len(frames) == fps + 1:
                break
    assert opened < 3.0, f"opening took {opened:.2f} s"
    assert all((w, h) == size for _t, _at, w, h, _a in frames)
    times = [t for t, *_ in frames]
    assert times[0] == 0.0  # each client's timestamps start at 0
    steps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert statistics.median(steps) == pytest.approx(1 / fps, abs=0.002)
    assert times[-1] == pytest.approx(1.0, abs=0.25), "no frames lost by the producer"
    assert (frames[0][4] != frames[-1][4]).mean() > 0.05, "the picture moves"


def test_two_clients_of_a_stream_share_one_producer_stopped_after_both_left(streams_backend):
    proc = streams_backend
    before = producers(proc)["started"]
    first = open_stream(proc, "CAM-010", "sub.mjpeg")
    second = open_stream(proc, "CAM-010", "sub.mjpeg")
    try:
        next(mjpeg_parts(first))
        next(mjpeg_parts(second))
        state = producers(proc)
        mine = [p for p in state["producers"] if p["camera_id"] == "CAM-010"]
        assert [(p["profile"], p["kind"], p["clients"]) for p in mine] == [("sub", "mjpeg", 2)]
        assert state["started"] == before + 1
    finally:
        first.close()
        second.close()
    deadline = time.monotonic() + 5
    while any(p["camera_id"] == "CAM-010" for p in producers(proc)["producers"]):
        assert time.monotonic() < deadline, "the producer goes on without clients"
        time.sleep(0.1)


def test_an_offline_camera_ends_open_streams_and_refuses_new_ones_until_back(streams_backend):
    proc = streams_backend
    mjpeg = open_stream(proc, "CAM-020", "sub.mjpeg")
    flv = av.open(url(proc, "CAM-020", "sub.flv"), options=flv_options(proc), timeout=10)
    try:
        parts = mjpeg_parts(mjpeg)
        next(parts)
        frames = flv.decode(video=0)
        next(frames)
        force(proc, "CAM-020", "offline")
        t0 = time.monotonic()
        rest = sum(1 for _ in parts)  # ends: the answer is over
        assert time.monotonic() - t0 < 3 and rest <= 3
        with pytest.raises((EOFError, StopIteration, av.error.FFmpegError)):
            for _ in range(100):
                next(frames)
        assert time.monotonic() - t0 < 5
        for name in ("sub.mjpeg", "main.flv"):
            details = assert_error(requests.get(url(proc, "CAM-020", name), timeout=10,
                                                headers=bearer(proc.token)),
                                   503, "camera_offline")
            assert details["camera_id"] == "CAM-020"
        assert not any(p["camera_id"] == "CAM-020" for p in producers(proc)["producers"])
    finally:
        mjpeg.close()
        flv.close()
        force(proc, "CAM-020", "online")
    again = open_stream(proc, "CAM-020", "sub.mjpeg")
    try:
        _headers, data = next(mjpeg_parts(again))
        assert Image.open(io.BytesIO(data)).size == (640, 360)
    finally:
        again.close()


def test_streams_need_a_token_a_demo_camera_and_a_known_profile(streams_backend):
    proc = streams_backend
    assert_error(requests.get(url(proc, "CAM-001", "sub.mjpeg"), timeout=10), 401,
                 "unauthorized")
    assert_error(requests.get(url(proc, "CAM-001", "sub.flv"), timeout=10,
                              headers=bearer("not-a-token")), 401, "unauthorized")
    for camera_id, name in (("CAM-999", "sub.mjpeg"), ("CAM-001", "big.mjpeg"),
                            ("EXT-1", "main.mjpeg"), ("EXT-1", "main.flv")):
        assert_error(requests.get(url(proc, camera_id, name), timeout=10,
                                  headers=bearer(proc.token)), 404, "not_found")
    assert requests.get(url(proc, "CAM-001", "sub.ts"), timeout=10,
                        headers=bearer(proc.token)).status_code == 404
    assert_error(requests.get(f"{proc.url}{API}/sim/streams", timeout=10,
                              headers=bearer(proc.token)), 403, "forbidden")


def test_the_api_answers_promptly_while_four_streams_run(streams_backend):
    proc = streams_backend
    stop = threading.Event()
    counts: dict[str, int] = {}

    def watch(camera_id: str, name: str) -> None:
        answer = open_stream(proc, camera_id, name)
        try:
            for chunk in answer.iter_content(65536):
                counts[name + camera_id] = counts.get(name + camera_id, 0) + len(chunk)
                if stop.is_set():
                    return
        finally:
            answer.close()

    watchers = [threading.Thread(target=watch, args=args, daemon=True) for args in (
        ("CAM-030", "main.mjpeg"), ("CAM-031", "main.flv"), ("CAM-032", "sub.mjpeg"),
        ("CAM-033", "sub.flv"))]
    for thread in watchers:
        thread.start()
    try:
        time.sleep(0.5)
        waits = []
        for _ in range(20):
            t0 = time.monotonic()
            answer = requests.get(f"{proc.url}{API}/catalog", headers=bearer(proc.token),
                                  timeout=10)
            waits.append(time.monotonic() - t0)
            assert answer.status_code == 200
            time.sleep(0.05)
        assert len(producers(proc)["producers"]) >= 4
    finally:
        stop.set()
        for thread in watchers:
            thread.join(5)
    assert len(counts) == 4 and min(counts.values()) > 10_000
    assert statistics.median(waits) < 0.1 and max(waits) < 0.5, waits
