"""Makes one believable Liangxi event from a template; event n of a seed is always the same."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from console.schema import Event

from ..catalog_data import CATEGORY_BY_CODE, SOURCES, STREET_CENTROIDS, STREET_NAMES, STREETS
from ..map.grids import grid_of
from .places import BRIDGES, HOLIDAY_SPOTS, MARKETS, SCENIC, SHOPS, STREET_PLACES, SURNAMES
from .templates import BURSTS, EVERYDAY, Template

SOURCE_NAMES = {s["code"]: s["name"] for s in SOURCES}
SIM_SOURCES = ("hotline_12345", "grid", "city_mgmt", "police_home", "iot")
_PHONE_PREFIXES = ("133", "135", "136", "137", "138", "139", "150", "151", "152", "158",
                   "159", "177", "180", "186", "187", "188", "189", "199")
#: Street weights: the old town centre and the scenic streets report more.
_STREET_WEIGHTS = {"chonganshi": 3, "qingmingqiao": 2.5, "nanchansi": 2, "beidajie": 2,
                   "huishan": 1.5, "tongjiang": 1.5}


def masked_phone(rng: random.Random) -> str:
    """A masked mobile number such as 138****5678; a full number is never made."""
    return f"{rng.choice(_PHONE_PREFIXES)}****{rng.randrange(10000):04d}"


class EventGenerator:
    """Event n of a given seed (plus options) is always the same apart from its timestamps."""

    def __init__(self, seed: int):
        self.seed = seed
        self._streets = [s[0] for s in STREETS]
        self._street_w = [_STREET_WEIGHTS.get(s, 1.0) for s in self._streets]

    def rng_for(self, n: int) -> random.Random:
        return random.Random(f"hall-sim:{self.seed}:{n}")

    def make(self, n: int, now: datetime, *, burst: str | None = None, source: str | None = None,
             level: int | None = None, category: str | None = None) -> dict:
        """Event number `n` as stored JSON (seq 0: the store numbers it)."""
        rng = self.rng_for(n)
        template = self._pick(rng, burst=burst, source=source, category=category)
        src = source if source in SIM_SOURCES else rng.choice(template.sources)
        street_id, lon, lat, values, address = self._place(rng, template, holiday=burst == "holiday_crowd")
        cat = CATEGORY_BY_CODE[template.category]
        lvl = level if level is not None else cat["default_level"]
        if level is None and rng.random() < 0.12:
            lvl = min(4, lvl + 1)
        if burst == "rainstorm" and level is None and template.category == "flood_typhoon" \
                and rng.random() < 0.2:
            lvl = max(1, lvl - 1)
        reported = now - timedelta(seconds=rng.randrange(0, 20))
        reported = reported.replace(microsecond=reported.microsecond // 1000 * 1000)
        stamp = reported.isoformat()
        sla = cat["sla"]
        # The grid unit is the street's cell holding the point (backend/map/grids.py); the
        # draw that used to pick it stays, so the rest of event n is what it always was.
        rng.randrange(1, 25)
        grid_id = grid_of(street_id, lon, lat) or f"{street_id}-01"
        event = {
            "id": f"EV-{reported:%Y%m%d}-{n:06d}",
            "seq": 0,
            "version": 1,
            "title": template.title.format_map(values),
            "description": template.description.format_map(values),
            "category": template.category,
            "level": lvl,
            "source": src,
            "status": "new",
            "location": {"lon": lon, "lat": lat, "address": address, "street_id": street_id,
                         "grid_id": grid_id},
            "reported_at": stamp,
            "updated_at": stamp,
            "sla": {
                "sign_due": (reported + timedelta(minutes=sla["sign_minutes"])).isoformat(),
                "resolve_due": (reported + timedelta(hours=sla["resolve_hours"])).isoformat(),
            },
            "assignments": [],
            "reporter": self._reporter(rng, src),
            "timeline": [{"at": stamp, "actor": "system", "action": "report",
                          "detail": f"{SOURCE_NAMES[src]}上报"}],
            "bounces": 0,
            "camera_ids": [],
        }
        return Event.model_validate(event).model_dump(mode="json")

    def _pick(self, rng: random.Random, *, burst, source, category) -> Template:
        pool = BURSTS[burst] if burst in BURSTS else EVERYDAY
        if category:
            pool = [t for t in pool if t.category == category] or \
                   [t for t in EVERYDAY + BURSTS["rainstorm"] if t.category == category]
        if source in SIM_SOURCES:
            pool = [t for t in pool if source in t.sources] or pool
        if not pool:
            pool = EVERYDAY
        return rng.choice(pool)

    def _place(self, rng: random.Random, template: Template, *, holiday: bool):
        if template.place == "scenic":
            spot = rng.choice(HOLIDAY_SPOTS if holiday else list(SCENIC))
            street_id, base_lon, base_lat = SCENIC[spot]
            lon = base_lon + rng.uniform(-0.0015, 0.0015)
            lat = base_lat + rng.uniform(-0.0012, 0.0012)
        else:
            street_id = rng.choices(self._streets, weights=self._street_w)[0]
            spot = rng.choice(list(SCENIC))
            base_lon, base_lat = STREET_CENTROIDS[street_id]
            lon = base_lon + rng.uniform(-0.006, 0.006)
            lat = base_lat + rng.uniform(-0.004, 0.004)
        roads, communities, river = STREET_PLACES[street_id]
        values = {
            "road": rng.choice(roads), "community": rng.choice(communities), "river": river,
            "scenic": spot, "bridge": rng.choice(BRIDGES), "market": rng.choice(MARKETS),
            "shop": rng.choice(SHOPS), "num": rng.randrange(1, 400), "bldg": rng.randrange(1, 40),
            "room": rng.choice((1, 2, 3, 4, 5, 6)) * 100 + rng.randrange(1, 4),
            "depth": rng.choice((15, 20, 25, 30, 40, 50)), "water": f"{rng.uniform(3.9, 4.6):.2f}",
            "lel": rng.randrange(12, 45), "dev": f"{rng.randrange(1000, 9999)}",
            "temp": rng.randrange(70, 110), "n": rng.randrange(30, 120),
            "nh3": f"{rng.uniform(1.6, 3.2):.1f}", "crowd": rng.randrange(8, 30) * 1000,
            "pct": rng.randrange(80, 110), "age": rng.randrange(4, 10),
            "plate": f"{rng.choice('ACDEFGHJK')}{rng.randrange(10, 99)}{rng.choice('LMNPQRSTU')}"
                     f"{rng.randrange(1, 9)}",
        }
        street = STREET_NAMES[street_id]
        if template.place == "scenic":
            address = f"梁溪区{street}{spot}"
        elif template.place == "community":
            address = f"梁溪区{street}{values['community']}{values['bldg']}栋"
        elif template.place == "river":
            address = f"梁溪区{values['river']}{values['bridge']}段"
        else:
            address = f"梁溪区{street}{values['road']}{values['num']}号"
        return street_id, round(lon, 6), round(lat, 6), values, address

    @staticmethod
    def _reporter(rng: random.Random, source: str) -> dict:
        surname = rng.choice(SURNAMES)
        if source == "hotline_12345":
            return {"name": f"{surname}{rng.choice(('女士', '先生'))}",
                    "phone_masked": masked_phone(rng)}
        if source == "grid":
            return {"name": f"网格员{surname}某", "phone_masked": masked_phone(rng)}
        if source == "city_mgmt":
            return {"name": f"城管监督员{surname}某", "phone_masked": masked_phone(rng)}
        if source == "police_home":
            return {"name": f"社区民警{surname}某", "phone_masked": ""}
        return {"name": "物联感知平台", "phone_masked": ""}
