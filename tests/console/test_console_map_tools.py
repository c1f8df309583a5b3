"""The map's core: what lies in the ring, the search's ranking, the pulse rule, and the base map
mirrored to the offline cache (real backend, real SQLite file)."""

from __future__ import annotations

import pytest

from console.api import ApiClient, NetworkError
from console.map_data import load_map_data
from console.map_marks import pulses
from console.map_search import MapSearch
from console.nearby import Place, clamp_radius, nearby
from offline_cache import OfflineCache


def test_nearby_lists_what_is_inside_nearest_first():
    center = (120.30, 31.57)
    # 0.001° of latitude is 111 m.
    cams = [Place("camera", f"C{n}", f"cam {n}", 120.30, 31.57 + n * 0.001,
                  "offline" if n == 2 else "online") for n in range(1, 8)]
    teams = [Place("team", "T1", "team", 120.30, 31.5705)]
    found = nearby(center, 400, cameras=reversed(cams), teams=teams)
    assert [i.place.id for i in found.cameras] == ["C1", "C2", "C3"]
    assert found.cameras[0].distance_m == pytest.approx(111.2, abs=0.5)
    assert [i.place.id for i in found.teams] == ["T1"]
    assert found.wall_cameras() == ["C1", "C3"]  # the offline one is not sent to the wall
    assert clamp_radius(10) == 100 and clamp_radius(99_999) == 5000


def test_search_ranks_exact_then_prefix_then_anywhere():
    search = MapSearch()
    search.set_places("street", [Place("street", "S01", "崇安寺街道", 0, 0)])
    search.set_places("camera", [Place("camera", "CAM-001", "崇安寺步行街 球机", 0, 0),
                                 Place("camera", "CAM-002", "中山路·崇安寺口", 0, 0)])
    events = [Place("event", "EV-1", "崇安寺路面破损", 0, 0, "new", "梁溪区崇安寺")]
    search.set_event_finder(lambda text, limit: [e for e in events if text in e.detail])
    assert [p.id for p in search.find("崇安寺")] == ["S01", "CAM-001", "EV-1", "CAM-002"]
    assert [p.id for p in search.find("cam-002")] == ["CAM-002"]
    assert search.find("  ") == []


def test_new_urgent_events_pulse_until_taken():
    assert pulses(1, "new") and pulses(2, "new")
    assert not pulses(3, "new")
    assert not pulses(1, "acknowledged")


def test_base_map_survives_an_outage_from_the_cache(backend_factory, tmp_path):
    server = backend_factory()
    api = ApiClient(server.url)
    token = server.login("duty1")
    api.set_token_provider(lambda: token)
    cache, _ = OfflineCache.open(tmp_path / "cache")
    try:
        fresh = load_map_data(api, cache, ("streets", "roads", "nowhere"))
        assert not fresh.from_cache and set(fresh.layers) == {"streets", "roads"}
        cache.write().result()  # the writer has stored the mirror
        server.stop()
        cached = load_map_data(api, cache, ("streets", "roads"))
        assert cached.from_cache
        assert cached.layers == fresh.layers and cached.config == fresh.config
        empty, _ = OfflineCache.open(tmp_path / "empty")
        try:
            with pytest.raises(NetworkError):
                load_map_data(api, empty, ("streets",))
        finally:
            empty.close()
    finally:
        cache.close()
        api.close()
