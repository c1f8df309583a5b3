"""The console's conference core: the board follows live updates, commands are retried with
the same key only after network failures, and the provider builds join links and the one
origin allowed the camera."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from console.api import ApiError, NetworkError
from console.conference_link import (
    ConferenceProvider,
    is_loopback_origin,
    origin_of,
    secure_context_flags,
    without_unsafe_media_flags,
)
from console.conferences import ConferenceBoard, send_with_retries
from console.schema import CST, Conference, LiveMessage


def conference(cid: str = "CF-20261124-0001", event_id: str = "EV-1", status: str = "open",
               created: datetime | None = None, present: int = 0) -> Conference:
    return Conference.model_validate({
        "id": cid, "event_id": event_id, "title": "会商", "status": status,
        "join_url": f"http://127.0.0.1:8000/rooms/{cid}?k=secret",
        "created_at": (created or datetime(2026, 11, 24, 9, 0, tzinfo=CST)).isoformat(),
        "participants": [{"unit_id": "U-FIRE", "name": "消防救援站", "invited": True,
                          "present": present}]})


def message(seq: int, data, at: datetime | None = None, type_: str = "conference.updated"):
    return LiveMessage.model_validate({
        "seq": seq, "type": type_, "data": data,
        "at": (at or datetime.now(CST)).isoformat()})


def test_the_board_follows_live_updates_and_skips_a_malformed_one(caplog):
    board = ConferenceBoard()
    heard: list[list[str]] = []
    board.sig_changed.connect(heard.append)
    board.load([conference()], as_of=0)
    joined = conference(present=1).model_dump(mode="json")
    board.apply([message(5, joined), message(6, {"id": "CF-X"}),
                 message(7, {"camera_id": "C"}, type_="camera.status")])
    assert board.get("CF-20261124-0001").participants[0].present == 1
    assert heard == [["CF-20261124-0001"], ["CF-20261124-0001"]]
    assert "skipped conference.updated seq 6" in caplog.text


def test_a_listing_older_than_a_live_update_does_not_undo_it():
    board = ConferenceBoard()
    now = datetime.now(CST)
    board.apply([message(3, conference(status="ended").model_dump(mode="json"), at=now)])
    board.load([conference(status="open")], as_of=(now - timedelta(seconds=5)).timestamp())
    assert board.get("CF-20261124-0001").status == "ended"
    board.load([conference(status="open")], as_of=(now + timedelta(seconds=5)).timestamp())
    assert board.get("CF-20261124-0001").status == "open"


def test_an_events_conferences_newest_first_and_the_open_one():
    board = ConferenceBoard()
    early = datetime(2026, 11, 24, 8, 0, tzinfo=CST)
    board.load([conference("CF-1", status="ended", created=early),
                conference("CF-2", created=early + timedelta(hours=1)),
                conference("CF-3", event_id="EV-2")])
    assert [c.id for c in board.for_event("EV-1")] == ["CF-2", "CF-1"]
    assert board.open_for_event("EV-1").id == "CF-2"
    assert board.open_for_event("EV-9") is None


def test_a_command_is_sent_again_after_a_network_failure_only():
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise NetworkError(0, "network", "connection refused")
        return "ok"

    assert send_with_retries(flaky, "start", pause=0.01) == "ok"
    assert len(calls) == 3

    refused = []

    def forbidden():
        refused.append(1)
        raise ApiError(403, "forbidden", "no")

    with pytest.raises(ApiError):
        send_with_retries(forbidden, "start", pause=0.01)
    assert len(refused) == 1

    def down():
        raise NetworkError(0, "network", "down")

    with pytest.raises(NetworkError):
        send_with_retries(down, "start", tries=2, pause=0.01)


def test_the_backend_provider_adds_who_joins_to_the_rooms_link():
    provider = ConferenceProvider()
    url = provider.join_url(conference(), name="王班长（指挥大厅）", unit_id="U-FIRE", lang="en")
    assert url.startswith("http://127.0.0.1:8000/rooms/CF-20261124-0001?k=secret&name=")
    assert "unit=U-FIRE" in url and url.endswith("lang=en")
    assert "%E7%8E%8B" in url  # the name, URL-encoded
    assert provider.allowed_origin("http://127.0.0.1:8000/") == "http://127.0.0.1:8000"


def test_an_external_provider_fills_its_template_and_is_checked():
    provider = ConferenceProvider.external(
        "https://meet.example.gov.cn/room/{conference_id}?display={name}&topic={title}")
    url = provider.join_url(conference(), name="A B&C")
    assert url == ("https://meet.example.gov.cn/room/CF-20261124-0001?display=A%20B%26C"
                   "&topic=%E4%BC%9A%E5%95%86")
    assert provider.allowed_origin("http://127.0.0.1:8000") == "https://meet.example.gov.cn"
    for bad, why in (("https://x/{room}", r"unknown placeholder \{room\}"),
                     ("ftp://x/{name}", r"not an http\(s\) URL"),
                     ("https://x/{name", "conference URL template")):
        with pytest.raises(ValueError, match=why):
            ConferenceProvider.external(bad)


def test_origins_and_the_secure_context_flag():
    assert origin_of("HTTP://Example.COM:80/a?b") == "http://example.com"
    assert origin_of("https://h:8443/x") == "https://h:8443"
    assert origin_of("about:blank") == "" and origin_of("not a url") == ""
    assert is_loopback_origin("http://127.0.0.1:9") and is_loopback_origin("http://localhost")
    assert secure_context_flags("http://127.0.0.1:8000") == []
    assert secure_context_flags("https://10.1.2.3") == []
    assert secure_context_flags("http://10.1.2.3:8000") == [
        "--unsafely-treat-insecure-origin-as-secure=http://10.1.2.3:8000"]


def test_the_switch_that_grants_every_page_the_camera_is_dropped():
    flags = "--use-gl=angle --use-fake-ui-for-media-stream --use-fake-device-for-media-stream"
    kept, dropped = without_unsafe_media_flags(flags)
    assert kept == "--use-gl=angle --use-fake-device-for-media-stream"
    assert dropped == ["--use-fake-ui-for-media-stream"]
    assert without_unsafe_media_flags("") == ("", [])
