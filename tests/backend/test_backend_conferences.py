"""Video conferences (視頻會商): the REST commands, the live messages and event timeline
entries they make, the room page, and the room's websocket signalling."""

from __future__ import annotations

import contextlib
import json
import re

import pytest
import requests
from be_helpers import API, act, assert_error, bearer, get_event, last_seq, live, receive
from conference_helpers import (
    end_conference,
    get_conference,
    hello,
    new_event,
    next_message,
    room_key,
    room_view,
    signal_socket,
    start_conference,
    wait_for,
)
from websockets.exceptions import ConnectionClosed

from console.schema import Conference, Event, LiveMessage

UNITS = ["street_chonganshi", "city_mgmt"]


@pytest.fixture(scope="module")
def leader(backend) -> str:
    return backend.login("leader1")


@pytest.fixture
def conference(backend, leader) -> dict:
    answer = start_conference(backend, leader, {"event_id": new_event(backend),
                                                "title": "积水会商", "participants": UNITS})
    assert answer.status_code == 201, answer.text
    return answer.json()


def closed_by_server(ws) -> bool:
    try:
        while True:
            ws.recv(timeout=5)
    except ConnectionClosed:
        return True


def test_a_leader_starts_a_conference_and_anyone_signed_in_reads_it(backend, leader):
    event_id = new_event(backend)
    answer = start_conference(backend, leader, {"event_id": event_id, "title": "道路积水会商",
                                                "participants": UNITS})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    conference = Conference.model_validate(body)
    assert re.fullmatch(r"CF-\d{8}-\d{4}", conference.id)
    assert re.fullmatch(rf"{re.escape(backend.url)}/rooms/{conference.id}\?k=[\w-]{{22}}",
                        conference.join_url)
    assert (conference.event_id, conference.title, conference.status) == (
        event_id, "道路积水会商", "open")
    assert conference.created_by == "leader1" and conference.created_at is not None
    assert conference.ended_at is None and conference.ended_by is None
    assert [(p.unit_id, p.name, p.invited, p.joined_at, p.left_at, p.present)
            for p in conference.participants] == [
        ("street_chonganshi", "崇安寺街道办事处", True, None, None, 0),
        ("city_mgmt", "区城管局", True, None, None, 0)]

    duty = backend.login("duty1")
    assert get_conference(backend, duty, conference.id) == body
    second = start_conference(backend, leader, {"event_id": event_id, "title": "第二次",
                                                "participants": []}).json()
    listed = requests.get(f"{backend.url}{API}/conferences", params={"event_id": event_id},
                          headers=bearer(duty), timeout=10).json()
    assert [c["id"] for c in listed] == [second["id"], conference.id]  # newest first
    assert end_conference(backend, leader, second["id"]).status_code == 200
    open_ones = requests.get(f"{backend.url}{API}/conferences",
                             params={"event_id": event_id, "status": "open"},
                             headers=bearer(duty), timeout=10).json()
    assert [c["id"] for c in open_ones] == [conference.id]
    assert_error(requests.get(f"{backend.url}{API}/conferences/CF-19990101-9999",
                              headers=bearer(duty), timeout=10), 404, "not_found")
    assert_error(requests.get(f"{backend.url}{API}/conferences", timeout=10), 401,
                 "unauthorized")
    assert f"{API}/conferences" in requests.get(f"{backend.url}/openapi.json",
                                                timeout=10).json()["paths"]


def test_starting_is_idempotent_and_audited(backend, leader):
    body = {"event_id": new_event(backend), "title": "会商", "participants": ["city_mgmt"]}
    first = start_conference(backend, leader, body, key="cf-same-key")
    again = start_conference(backend, leader, body, key="cf-same-key")
    assert first.status_code == again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert again.json() == first.json()
    other = start_conference(backend, leader, {**body, "title": "另一个"}, key="cf-same-key")
    assert_error(other, 422, "idempotency_key_reuse")
    details = assert_error(start_conference(backend, leader, body, key=None), 422, "invalid")
    assert details == {"header": "Idempotency-Key"}
    audit = requests.get(f"{backend.url}{API}/audit", headers=bearer(leader),
                         params={"actor": "leader1"}, timeout=10).json()
    results = [e["result"] for e in audit if e["action"] == "conference.start"
               and e["idempotency_key"] == "cf-same-key"]
    assert results == ["ok", "replayed", "idempotency_key_reuse"]
    # The event's own audit trail holds the start (the detail panel merges it).
    trail = requests.get(f"{backend.url}{API}/audit", headers=bearer(leader),
                         params={"event_id": body["event_id"]}, timeout=10).json()
    assert [e["result"] for e in trail if e["action"] == "conference.start"][0] == "ok"


def test_only_leaders_start_and_only_for_open_events_and_known_units(backend, leader):
    event_id = new_event(backend)
    good = {"event_id": event_id, "title": "会商", "participants": UNITS}
    assert_error(start_conference(backend, backend.login("duty1"), good), 403, "forbidden")
    assert start_conference(backend, backend.login("admin"), good).status_code == 201
    assert_error(start_conference(backend, leader, {**good, "event_id": "EV-NOPE"}), 404,
                 "not_found")
    details = assert_error(start_conference(backend, leader,
                                            {**good, "participants": ["city_mgmt", "mars"]}),
                           422, "invalid")
    assert details["field"] == "participants" and details["values"] == ["mars"]
    assert_error(start_conference(backend, leader, {**good, "title": ""}), 422, "invalid")
    assert_error(start_conference(backend, leader, {**good, "extra": 1}), 422, "invalid")
    closed = act(backend, leader, event_id, {"action": "close", "expected_version":
                                              get_event(backend, leader, event_id)["version"],
                                              "note": "重复事件"})
    assert closed.status_code == 200, closed.text
    details = assert_error(start_conference(backend, leader, good), 422, "invalid")
    assert details["field"] == "event_id"


def test_joins_leaves_and_the_end_go_live_and_into_the_timeline(backend, leader, conference):
    event_before = get_event(backend, leader, conference["event_id"])
    since = last_seq(backend)
    with live(backend, leader, since) as feed:
        with signal_socket(backend, conference) as unit, signal_socket(backend, conference) as guest:
            hello(unit, "张三", "street_chonganshi")
            hello(guest, "王五")
            assert next_message(unit)["type"] == "peer-joined"
        # Both sockets closed: two leaves.
        wait_for(lambda: get_conference(backend, leader, conference["id"])["participants"][0]
                 ["present"] == 0 and len(get_conference(backend, leader, conference["id"])
                                          ["participants"]) == 3
                 and get_conference(backend, leader, conference["id"])["participants"][2]
                 ["present"] == 0, 10, "both leaves")
        ended = end_conference(backend, leader, conference["id"])
        assert ended.status_code == 200, ended.text
        messages = receive(feed, 10)
    for message in messages:
        LiveMessage.model_validate(message)
    assert [m["seq"] for m in messages] == list(range(since + 1, since + 11))
    updates = [m["data"] for m in messages if m["type"] == "conference.updated"]
    assert [m["type"] for m in messages] == ["conference.updated", "event.upsert"] * 5
    presence = [[(p["unit_id"], p["name"], p["invited"], p["present"])
                 for p in u["participants"]] for u in updates]
    assert presence[0][0] == ("street_chonganshi", "崇安寺街道办事处", True, 1)
    assert presence[1][2] == (None, "王五", False, 1)
    assert {presence[3][0][3], presence[3][2][3]} == {0}
    final = Conference.model_validate(updates[-1])
    assert final.status == "ended" and final.ended_by == "leader1" and final.ended_at
    unit = final.participant("street_chonganshi")
    assert unit.joined_at is not None and unit.left_at is not None and unit.present == 0
    assert final.participant("city_mgmt").joined_at is None  # never came
    assert ended.json() == updates[-1]

    event = Event.model_validate(messages[-1]["data"])
    assert event.version == event_before["version"]  # a leader's next command still applies
    assert event.seq == messages[-1]["seq"]
    added = event.timeline[len(event_before["timeline"]):]
    start = [e for e in event.timeline if e.action == "conference.start"][-1]
    assert start.actor == "leader1"
    assert start.detail == f"发起视频会商 {conference['id']}：积水会商（邀请 2 个单位）"
    entries = [(e.actor, e.action, e.detail) for e in added]
    cid = conference["id"]
    assert entries[:2] == [("street_chonganshi", "conference.join", f"崇安寺街道办事处 加入视频会商 {cid}"),
                           ("guest", "conference.join", f"王五 加入视频会商 {cid}")]
    assert sorted(entries[2:4]) == sorted([
        ("street_chonganshi", "conference.leave", f"崇安寺街道办事处 离开视频会商 {cid}"),
        ("guest", "conference.leave", f"王五 离开视频会商 {cid}")])
    assert entries[4][:2] == ("leader1", "conference.end")
    assert re.fullmatch(rf"结束视频会商 {cid}，时长 \d\d:\d\d", entries[4][2])
    nudge = act(backend, leader, event.id, {"action": "note", "expected_version": event.version,
                                            "note": "会商结束"})
    assert nudge.status_code == 200, nudge.text

    assert_error(end_conference(backend, leader, cid), 422, "invalid")
    assert_error(end_conference(backend, backend.login("duty1"), cid), 403, "forbidden")
    assert_error(end_conference(backend, leader, "CF-19990101-0001"), 404, "not_found")


def test_ending_tells_every_peer_and_closes_the_room(backend, leader, conference):
    with signal_socket(backend, conference) as one, signal_socket(backend, conference) as two:
        hello(one, "甲", "city_mgmt")
        hello(two, "乙")
        assert next_message(one)["type"] == "peer-joined"
        assert len(room_view(backend, leader, conference["id"])["peers"]) == 2
        assert end_conference(backend, leader, conference["id"]).status_code == 200
        for ws in (one, two):
            assert next_message(ws) == {"type": "ended"}
            assert closed_by_server(ws)
    ended = get_conference(backend, leader, conference["id"])
    assert ended["status"] == "ended"
    assert all(p["present"] == 0 for p in ended["participants"])
    assert room_view(backend, leader, conference["id"]) == {"peers": []}
    with signal_socket(backend, conference) as late:
        error = next_message(late)
        assert (error["type"], error["code"]) == ("error", "ended")
        assert closed_by_server(late)


def test_signalling_introduces_peers_and_relays_their_messages(backend, leader, conference):
    with signal_socket(backend, conference) as alice:
        first = hello(alice, "Alice", "street_chonganshi")
        assert first["peers"] == [] and first["ice_servers"] == []
        assert first["conference"] == {"id": conference["id"], "title": "积水会商",
                                       "event_id": conference["event_id"]}
        with signal_socket(backend, conference) as bob:
            welcome = hello(bob, "Bob")
            assert welcome["peers"] == [{"peer_id": first["peer_id"], "name": "Alice",
                                         "unit_id": "street_chonganshi"}]
            joined = next_message(alice)
            assert joined == {"type": "peer-joined", "peer": {
                "peer_id": welcome["peer_id"], "name": "Bob", "unit_id": None}}
            offer = {"description": {"type": "offer", "sdp": "v=0\r\n"}}
            bob.send(json.dumps({"type": "signal", "to": first["peer_id"], "data": offer}))
            assert next_message(alice) == {"type": "signal", "from": welcome["peer_id"],
                                           "data": offer}
            answer = {"candidate": {"candidate": "candidate:1 1 udp 1 127.0.0.1 9 typ host",
                                    "sdpMid": "0"}}
            alice.send(json.dumps({"type": "signal", "to": welcome["peer_id"], "data": answer}))
            assert next_message(bob)["data"] == answer
            stats = {"frames_decoded": 42, "frame_width": 640, "frame_height": 360,
                     "bytes_received": 1000}
            bob.send(json.dumps({"type": "stats", "inbound": {first["peer_id"]: stats}}))
            peers = wait_for(lambda: [p for p in room_view(backend, leader, conference["id"])
                                      ["peers"] if p["inbound"]], 5, "the stats")
            assert peers[0]["peer_id"] == welcome["peer_id"] and peers[0]["name"] == "Bob"
            assert peers[0]["inbound"] == {first["peer_id"]: stats}
            assert peers[0]["user_agent"] and peers[0]["joined_at"]
        assert next_message(alice) == {"type": "peer-left", "peer_id": welcome["peer_id"]}
    assert_error(requests.get(f"{backend.url}{API}/conferences/{conference['id']}/room",
                              headers=backend.headers("duty1"), timeout=10), 403, "forbidden")


@pytest.mark.parametrize("key", ["wrong-key", ""])
def test_a_wrong_room_key_is_refused(backend, conference, key):
    with signal_socket(backend, conference, key=key) as ws:
        error = next_message(ws)
        assert (error["type"], error["code"]) == ("error", "bad_key")
        assert closed_by_server(ws)
    with signal_socket(backend, {**conference, "id": "CF-19990101-0001"}) as ws:
        assert next_message(ws)["code"] == "bad_key"


def test_malformed_messages_are_refused_and_the_connection_stays(backend, conference):
    with signal_socket(backend, conference) as ws, signal_socket(backend, conference) as other:
        ws.send(json.dumps({"type": "signal", "to": "x", "data": {}}))  # before hello
        assert next_message(ws)["code"] == "bad_message"
        me = hello(ws, "Me")
        peer = hello(other, "Other")["peer_id"]
        assert next_message(ws)["type"] == "peer-joined"
        bad = ["not json", json.dumps([1]), json.dumps({"type": "dance"}),
               json.dumps({"type": "signal", "data": {}}),
               json.dumps({"type": "signal", "to": "nobody", "data": {}}),
               json.dumps({"type": "signal", "to": peer, "data": "x"}),
               json.dumps({"type": "signal", "to": peer, "data": {"pad": "x" * 70_000}}),
               json.dumps({"type": "stats", "inbound": [1]}),
               json.dumps({"type": "hello", "name": "again"})]
        for text in bad:
            ws.send(text)
            error = next_message(ws)
            assert (error["type"], error["code"]) == ("error", "bad_message"), text[:40]
            assert error["message"]
        ws.send(json.dumps({"type": "signal", "to": peer, "data": {"ok": 1}}))
        assert next_message(other) == {"type": "signal", "from": me["peer_id"],
                                       "data": {"ok": 1}}
        for _ in range(20 - len(bad) - 1):
            ws.send("{")
        assert closed_by_server(ws)
        assert next_message(other)["type"] == "peer-left"


def test_a_hello_without_a_name_is_refused(backend, conference):
    with signal_socket(backend, conference) as ws:
        for body in ({"type": "hello"}, {"type": "hello", "name": ""},
                     {"type": "hello", "name": "x" * 65}, {"type": "hello", "name": "a",
                                                           "unit_id": 5}):
            ws.send(json.dumps(body))
            assert next_message(ws)["code"] == "bad_message"
        assert hello(ws, "好名字")["peers"] == []


def test_the_ninth_peer_finds_the_room_full(backend, leader, conference):
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(signal_socket(backend, conference)) for _ in range(9)]
        for n, ws in enumerate(sockets[:8]):
            assert len(hello(ws, f"P{n}")["peers"]) == n
        sockets[8].send(json.dumps({"type": "hello", "name": "P8", "unit_id": None}))
        error = next_message(sockets[8])
        assert (error["type"], error["code"]) == ("error", "room_full")
        assert closed_by_server(sockets[8])
        assert len(room_view(backend, leader, conference["id"])["peers"]) == 8


def test_the_room_page_needs_the_key(backend, conference):
    url = conference["join_url"]
    page = requests.get(url + "&name=张三&unit=city_mgmt&lang=en", timeout=10)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"
    config = json.loads(re.search(r'id="room-config" type="application/json">(.*?)</script>',
                                  page.text).group(1))
    assert config["name"] == "张三" and config["unit"] == "city_mgmt" and config["lang"] == "en"
    assert config["key"] == room_key(conference)
    assert [u["unit_id"] for u in config["invited"]] == UNITS
    assert "http" not in page.text.replace(backend.url, "")  # nothing from elsewhere
    for name, kind in (("room.js", "javascript"), ("room.css", "css")):
        asset = requests.get(f"{backend.url}/rooms/static/{name}", timeout=10)
        assert asset.status_code == 200 and kind in asset.headers["content-type"]
    assert "window.hallRoom" in requests.get(f"{backend.url}/rooms/static/room.js",
                                             timeout=10).text
    assert requests.get(f"{backend.url}/rooms/static/room.html", timeout=10).status_code == 404
    for bad in (url.replace("?k=", "?k=x"), url.split("?")[0],
                f"{backend.url}/rooms/CF-19990101-0001?k={room_key(conference)}"):
        refused = requests.get(bad, timeout=10)
        assert refused.status_code == 404 and "找不到会商" in refused.text
        assert "not found" in refused.text
    xss = start_conference(backend, backend.login("leader1"), {
        "event_id": conference["event_id"], "title": "</script><b>x", "participants": []})
    text = requests.get(xss.json()["join_url"], timeout=10).text
    assert "</script><b>" not in text
    assert end_conference(backend, backend.login("leader1"), conference["id"]).status_code == 200
    ended = requests.get(url, timeout=10)
    assert ended.status_code == 410 and "已结束" in ended.text and "has ended" in ended.text


def test_a_restart_marks_who_was_in_the_room_as_left(backend_factory):
    proc = backend_factory(ice_server="stun:127.0.0.1:3478")
    leader = proc.login("leader1")
    conference = start_conference(proc, leader, {"event_id": new_event(proc), "title": "会商",
                                                 "participants": ["city_mgmt"]}).json()
    with signal_socket(proc, conference) as ws:
        welcome = hello(ws, "李四", "city_mgmt")
        assert welcome["ice_servers"] == [{"urls": "stun:127.0.0.1:3478"}]
        assert get_conference(proc, leader, conference["id"])["participants"][0]["present"] == 1
        version = get_event(proc, leader, conference["event_id"])["version"]
        proc.kill()
    proc.start()
    leader = proc.login("leader1")
    after = get_conference(proc, leader, conference["id"])
    person = after["participants"][0]
    assert after["status"] == "open" and person["present"] == 0
    assert person["joined_at"] is not None and person["left_at"] is not None
    event = get_event(proc, leader, conference["event_id"])
    assert event["version"] == version
    assert [e["action"] for e in event["timeline"]][-3:] == [
        "conference.start", "conference.join", "conference.leave"]
    # The room still works, on the same link.
    with signal_socket(proc, after) as again:
        assert hello(again, "李四", "city_mgmt")["peers"] == []
