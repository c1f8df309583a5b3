"""Two real browsers in one conference room: headless Chromium with fake camera and
microphone joins from the link, and each must receive the other's video (what the pages
report through `GET /conferences/{id}/room`); killing one is recorded as its leave."""

from __future__ import annotations

import tempfile
import time
from urllib.parse import quote

import pytest
from be_helpers import get_event
from conference_helpers import new_event, room_view, start_conference, wait_for

from tests.browser import CHROMIUM, MISSING, kill, launch

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=MISSING)


def receiving(view: dict) -> dict[str, dict] | None:
    """peer id → what it receives from the other, once both receive decoded video."""
    peers = view["peers"]
    if len(peers) != 2:
        return None
    out = {}
    for peer in peers:
        other = next(p for p in peers if p is not peer)["peer_id"]
        stats = peer["inbound"].get(other) or {}
        if stats.get("frames_decoded", 0) <= 0 or stats.get("frame_width", 0) <= 0:
            return None
        out[peer["name"]] = stats
    return out


def test_two_browsers_see_each_other_and_their_leave_is_recorded(backend):
    leader = backend.login("leader1")
    event_id = new_event(backend)
    conference = start_conference(backend, leader, {
        "event_id": event_id, "title": "浏览器会商", "participants": ["street_chonganshi"]}).json()
    url = conference["join_url"]
    browsers = []
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as two:
        try:
            started = time.monotonic()
            browsers.append(launch(f"{url}&name={quote('崇安寺值班员')}&unit=street_chonganshi",
                                   one))
            browsers.append(launch(f"{url}&name={quote('访客乙')}", two))
            first = wait_for(lambda: receiving(room_view(backend, leader, conference["id"])),
                             40, "both browsers to decode the other's video", interval=0.5)
            first_frame_s = time.monotonic() - started
            time.sleep(3)
            later = receiving(room_view(backend, leader, conference["id"]))
            assert later is not None, "a browser stopped receiving"
            for name, stats in later.items():
                assert stats["frames_decoded"] > first[name]["frames_decoded"], (name, stats)
                assert stats["frame_width"] > 0 and stats["frame_height"] > 0
                assert stats["bytes_received"] > first[name]["bytes_received"]
            print(f"first remote frames after {first_frame_s:.1f} s; 3 s later: {later}")

            actions = [(e["actor"], e["action"]) for e in
                       get_event(backend, leader, event_id)["timeline"]]
            assert ("street_chonganshi", "conference.join") in actions
            assert ("guest", "conference.join") in actions

            kill(browsers[1])
            wait_for(lambda: len(room_view(backend, leader, conference["id"])["peers"]) == 1,
                     10, "the killed browser to leave the room")
            timeline = get_event(backend, leader, event_id)["timeline"]
            leave = [e for e in timeline if e["action"] == "conference.leave"]
            assert [(e["actor"], e["detail"]) for e in leave] == [
                ("guest", f"访客乙 离开视频会商 {conference['id']}")]
        finally:
            for browser in browsers:
                kill(browser)
