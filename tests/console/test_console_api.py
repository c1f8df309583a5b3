"""ApiClient against the real backend, and against broken answers of a fault server."""

from __future__ import annotations

import logging
import uuid

import orjson
import pytest
from fault_http import FaultServer

from console.api import ApiClient, ApiError, NetworkError
from console.schema import ActionRequest, EventCreateRequest, Location


@pytest.fixture
def api(backend):
    client = ApiClient(backend.url)
    token = backend.login("leader1")
    client.set_token_provider(lambda: token)
    yield client
    client.close()


def test_health_login_and_catalog(backend):
    api = ApiClient(backend.url)
    try:
        assert api.health()["status"] == "ok"
        tokens = api.login("leader1", "leader1", "desk-1")
        assert tokens.user.id == "leader1" and "shift_leader" in tokens.user.roles
        api.set_token_provider(lambda: tokens.access_token)
        catalog = api.catalog()
        assert catalog.levels and catalog.categories and catalog.streets
        with pytest.raises(ApiError) as refused:
            api.login("leader1", "wrong", "desk-1")
        assert refused.value.status == 401 and refused.value.code == "invalid_credentials"
        assert not isinstance(refused.value, NetworkError)
    finally:
        api.close()


def test_all_events_follows_cursors(backend, api):
    backend.sim_events(1200)
    events, last_seq = api.all_events()
    page = api.list_events(limit=500)
    assert page.next_cursor  # more than one page exists
    ids = [e.id for e in events]
    assert len(ids) == len(set(ids)) >= 1200
    assert last_seq >= max(e.seq for e in events)
    newer, _ = api.all_events(since_seq=last_seq)
    assert newer == []


def test_events_actions_and_idempotency(backend, api):
    created = api.create_event(
        EventCreateRequest(title="梁溪区 井盖缺失", category=api.catalog().categories[0].code,
                           location=Location(lon=120.30, lat=31.57, address="梁溪区人民中路")),
        str(uuid.uuid4()))
    assert created.status == "new" and created.source == "manual"
    assert api.get_event(created.id).id == created.id
    key = str(uuid.uuid4())
    request = ActionRequest(action="acknowledge", expected_version=created.version)
    first = api.act(created.id, request, key)
    assert first.status == "acknowledged" and first.version == created.version + 1
    assert api.act(created.id, request, key) == first  # replayed, not applied twice
    with pytest.raises(ApiError) as reuse:
        api.act(created.id, ActionRequest(action="note", expected_version=first.version,
                                          note="x"), key)
    assert reuse.value.code == "idempotency_key_reuse"
    with pytest.raises(ApiError) as stale:
        api.act(created.id, request, str(uuid.uuid4()))
    assert stale.value.status == 409 and stale.value.code == "version_conflict"
    assert stale.value.details["current"]["version"] == first.version
    with pytest.raises(ApiError) as missing:
        api.get_event("NO-SUCH-EVENT")
    assert missing.value.status == 404 and missing.value.code == "not_found"
    entries = api.audit(event_id=created.id)
    assert any(e.action == "acknowledge" for e in entries)


def test_a_missing_token_is_unauthorized(backend):
    api = ApiClient(backend.url)
    try:
        with pytest.raises(ApiError) as refused:
            api.catalog()
        assert refused.value.status == 401 and refused.value.code == "unauthorized"
    finally:
        api.close()


def test_live_url():
    assert ApiClient("http://127.0.0.1:8000/").live_url(7) == \
        "ws://127.0.0.1:8000/api/v1/live?since_seq=7"
    assert ApiClient("https://ops.example/hall").live_url(0) == \
        "wss://ops.example/hall/api/v1/live?since_seq=0"


def test_network_failures_are_network_errors():
    api = ApiClient("http://127.0.0.1:9", connect_timeout=0.5, read_timeout=0.5)
    try:
        with pytest.raises(NetworkError) as failed:
            api.health()
        assert failed.value.status == 0 and failed.value.code == "network"
    finally:
        api.close()


CATALOG = orjson.dumps({"levels": [], "categories": [], "sources": [], "streets": [],
                        "units": []})
UNAVAILABLE = orjson.dumps({"error": {"code": "internal", "message": "busy", "details": {}}})


def test_gets_are_retried_on_503_but_posts_are_not():
    server = FaultServer([(503, UNAVAILABLE), (502, b"<html>bad gateway</html>"), (200, CATALOG)])
    api = ApiClient(server.url)
    try:
        assert api.catalog().levels == []
        assert len(server.requests) == 3
        server.requests.clear()
        server.answers = [(503, UNAVAILABLE)]
        with pytest.raises(ApiError) as failed:
            api.act("E1", ActionRequest(action="acknowledge", expected_version=1), "key-1")
        assert failed.value.status == 503
        assert len(server.requests) == 1
        method, path, headers = server.requests[0]
        assert (method, path) == ("POST", "/api/v1/events/E1/actions")
        assert headers["Idempotency-Key"] == "key-1"
        server.requests.clear()
        with pytest.raises(ApiError) as gone:
            api.catalog()
        assert gone.value.status == 503 and len(server.requests) == 3
    finally:
        api.close()
        server.close()


@pytest.mark.parametrize("body", [
    b"{not json",
    b"",
    b"[1, 2]",
    orjson.dumps({"levels": "many"}),
    orjson.dumps({"levels": [{"level": 9, "name": "13812345678", "color": "red"}],
                  "categories": [], "sources": [], "streets": [], "units": []}),
])
def test_malformed_answers_are_bad_response_and_logged_without_content(body, caplog):
    caplog.set_level(logging.WARNING, logger="console.api")
    server = FaultServer([(200, body)])
    api = ApiClient(server.url)
    try:
        with pytest.raises(ApiError) as failed:
            api.catalog()
        assert failed.value.code == "bad_response"
        assert not isinstance(failed.value, NetworkError)
        assert len(server.requests) == 1  # a malformed answer is not retried
    finally:
        api.close()
        server.close()
    assert any("malformed" in r.getMessage() for r in caplog.records)
    assert not any("13812345678" in r.getMessage() for r in caplog.records)


def test_an_error_without_the_error_shape_keeps_its_status():
    server = FaultServer([(404, b"<html>no</html>")])
    api = ApiClient(server.url)
    try:
        with pytest.raises(ApiError) as failed:
            api.get_event("E1")
        assert (failed.value.status, failed.value.code) == (404, "not_found")
    finally:
        api.close()
        server.close()


def test_a_read_timeout_is_a_timeout():
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []
    threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
    api = ApiClient(f"http://127.0.0.1:{listener.getsockname()[1]}", read_timeout=0.3)
    try:
        with pytest.raises(NetworkError) as failed:
            api.create_event(EventCreateRequest(title="t", category="c",
                                                location=Location(lon=120, lat=31)), "k")
        assert failed.value.code == "timeout"
    finally:
        api.close()
        listener.close()
