"""Manual events in the core: places (console.geo) and HallSession.create_event against the
real backend, including a retry after a lost answer."""

from __future__ import annotations

import pytest
from console_helpers import AT, Hall

from console.api import NetworkError
from console.commands import CreateEventCommand
from console.geo import address_book, district_bounds, nearest_street
from console.schema import Event, EventCreateRequest, Location, Reporter, Street

STREETS = [
    Street(id="chonganshi", name="崇安寺街道", centroid=(120.3035, 31.5800)),
    Street(id="guangyi", name="广益街道", centroid=(120.3380, 31.5840)),
    Street(id="huishan", name="惠山街道", centroid=(120.2700, 31.5850)),
]


def _event(event_id: str, address: str, street: str | None = "chonganshi") -> Event:
    return Event.model_validate({
        "id": event_id, "seq": 1, "version": 1, "title": "t", "category": "noise", "level": 4,
        "source": "grid", "status": "new", "reported_at": AT, "updated_at": AT,
        "location": {"lon": 120.31, "lat": 31.58, "address": address, "street_id": street},
    })


def test_district_bounds_and_nearest_street():
    bounds = district_bounds(STREETS)
    assert (bounds.min_lon, bounds.max_lon) == pytest.approx((120.17, 120.438))
    assert (bounds.min_lat, bounds.max_lat) == pytest.approx((31.48, 31.685))
    assert bounds.contains(120.3, 31.58) and not bounds.contains(121.0, 31.58)
    assert district_bounds([]) is None
    assert nearest_street(STREETS, 120.337912, 31.584321).id == "guangyi"
    assert nearest_street(STREETS, 120.29, 31.58).id == "chonganshi"
    assert nearest_street([], 120.3, 31.5) is None


def test_address_book_lists_streets_then_recent_distinct_addresses():
    events = [_event("A", "中山路 1 号"), _event("B", "人民路 8 号", None),
              _event("C", "中山路 1 号"), _event("D", ""), _event("E", "崇安寺街道")]
    places = address_book(STREETS, reversed(events), limit=5)
    assert [p.label for p in places] == ["崇安寺街道", "广益街道", "惠山街道", "中山路 1 号",
                                         "人民路 8 号"]
    assert [p.kind for p in places][-2:] == ["address", "address"]
    assert places[-1].street_id is None
    assert [p.label for p in address_book(STREETS, reversed(events), limit=1)][-1] == "中山路 1 号"


@pytest.fixture
def hall(backend):
    h = Hall(backend.url, "duty1")
    h.start()
    yield h
    h.close()


def _request(title: str, category: str = "noise") -> EventCreateRequest:
    return EventCreateRequest(
        title=title, category=category, level=3,
        location=Location(lon=120.3380, lat=31.5840, address="广益路 18 号", street_id="guangyi"),
        reporter=Reporter(name="李先生", phone_masked="13912345678"))


def test_create_event_puts_it_in_the_store_before_the_result(hall):
    seen = []
    hall.session.sig_command_finished.connect(
        lambda result: seen.append(hall.store.get(result.event.id) is not None))
    command = hall.session.create_event(_request("夜间施工噪声"))
    assert isinstance(command, CreateEventCommand)
    assert command.idempotency_key and command.event_id == "" and command.action == "create"
    assert hall.main.run_until(lambda: hall.results)
    [result] = hall.results
    assert result.ok and result.command is command and seen == [True]
    event = hall.store.get(result.event.id)
    assert (event.source, event.level, event.status) == ("manual", 3, "new")
    assert event.location.street_id == "guangyi"
    assert "12345678" not in event.reporter.phone_masked  # masked by the backend
    assert event.timeline[0].actor == "duty1"


def test_a_retry_after_a_lost_answer_is_applied_once(hall, monkeypatch):
    real = hall.api.create_event
    keys: list[str] = []

    def lose_first_answer(request, key):
        keys.append(key)
        event = real(request, key)
        if len(keys) == 1:
            raise NetworkError(0, "network", "POST /events failed: ConnectionError")
        return event

    monkeypatch.setattr(hall.api, "create_event", lose_first_answer)
    command = hall.session.create_event(_request("失联重试"))
    assert hall.main.run_until(lambda: hall.results)
    assert not hall.results[0].ok and hall.results[0].error.status == 0
    assert hall.session.resend(command) is command
    assert hall.main.run_until(lambda: len(hall.results) == 2)
    second = hall.results[1]
    assert second.ok and keys == [command.idempotency_key] * 2
    entries = hall.api.audit(actor="duty1")
    assert [e.result for e in entries if e.idempotency_key == command.idempotency_key] == [
        "ok", "replayed"]
    created = [e for e in hall.api.all_events()[0] if e.title == "失联重试"]
    assert [e.id for e in created] == [second.event.id]


def test_a_refused_create_is_reported_and_stores_nothing(hall):
    before = len(hall.store)
    hall.session.create_event(_request("Unknown category", category="no_such_category"))
    assert hall.main.run_until(lambda: hall.results)
    [result] = hall.results
    assert not result.ok and result.error.status == 422 and result.event is None
    assert len(hall.store) == before
