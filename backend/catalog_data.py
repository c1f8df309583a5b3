"""Reference data of the demo district (梁溪区, 无锡): levels, categories, sources, streets, units.

Coordinates are approximate WGS 84 centroids; they only need to look right on the demo map.
"""

from __future__ import annotations

from console.schema import Catalog

LEVELS = [
    {"level": 1, "name": "特别重大", "color": "#d32f2f", "color_name": "红"},
    {"level": 2, "name": "重大", "color": "#f57c00", "color_name": "橙"},
    {"level": 3, "name": "较大", "color": "#fbc02d", "color_name": "黄"},
    {"level": 4, "name": "一般", "color": "#1976d2", "color_name": "蓝"},
]

SOURCES = [
    {"code": "hotline_12345", "name": "12345热线"},
    {"code": "grid", "name": "网格化治理"},
    {"code": "city_mgmt", "name": "数字城管"},
    {"code": "police_home", "name": "公安家园计划"},
    {"code": "iot", "name": "物联感知"},
    {"code": "indicator", "name": "数字体征"},
    {"code": "manual", "name": "人工录入"},
]

#: (id, name, centroid lon, centroid lat)
STREETS: list[tuple[str, str, float, float]] = [
    ("chonganshi", "崇安寺街道", 120.3035, 31.5800),
    ("tongjiang", "通江街道", 120.3010, 31.5935),
    ("guangruilu", "广瑞路街道", 120.3180, 31.5985),
    ("shangmadun", "上马墩街道", 120.3250, 31.5895),
    ("jianghai", "江海街道", 120.3060, 31.6100),
    ("guangyi", "广益街道", 120.3380, 31.5840),
    ("yinglongqiao", "迎龙桥街道", 120.2895, 31.5705),
    ("nanchansi", "南禅寺街道", 120.3060, 31.5690),
    ("qingmingqiao", "清名桥街道", 120.3135, 31.5590),
    ("jinxing", "金星街道", 120.2990, 31.5560),
    ("jinkui", "金匮街道", 120.3230, 31.5650),
    ("yangming", "扬名街道", 120.3100, 31.5460),
    ("huangxiang", "黄巷街道", 120.2850, 31.6120),
    ("beidajie", "北大街街道", 120.2920, 31.5880),
    ("huishan", "惠山街道", 120.2700, 31.5850),
    ("shanbei", "山北街道", 120.2740, 31.6010),
]

STREET_NAMES = {sid: name for sid, name, _lon, _lat in STREETS}
STREET_CENTROIDS = {sid: (lon, lat) for sid, _name, lon, lat in STREETS}

#: District departments named in the seed, plus three line bureaus the scenarios need.
DEPARTMENTS: list[tuple[str, str]] = [
    ("city_ops", "区城运中心"),
    ("big_data", "区大数据管理局"),
    ("emergency", "区应急局"),
    ("city_mgmt", "区城管局"),
    ("politics_law", "区委政法委"),
    ("police", "公安梁溪分局"),
    ("petitions", "区信访局"),
    ("planning", "自然资源规划分局"),
    ("publicity", "区委宣传部"),
    ("gov_office", "区政府办公室"),
    ("market", "区市场监管局"),
    ("housing", "区住房城乡建设局"),
    ("ecology", "梁溪生态环境局"),
]

#: 7×24 response teams: (id, name, home street)
TEAMS: list[tuple[str, str, str]] = [
    ("team_ops_1", "城运7×24应急处置一队", "chonganshi"),
    ("team_ops_2", "城运7×24应急处置二队", "qingmingqiao"),
    ("team_ops_3", "城运7×24应急处置三队", "huishan"),
    ("team_ops_4", "城运7×24应急处置四队", "guangyi"),
    ("team_ops_5", "城运7×24应急处置五队", "jianghai"),
    ("team_flood", "防汛抢险突击队", "nanchansi"),
    ("team_gas", "燃气抢修队", "tongjiang"),
    ("team_city_mgmt", "城管快速反应队", "beidajie"),
]

PARENTS: list[tuple[str, str, int, int, float]] = [
    # code, name, default_level, sign_minutes, resolve_hours
    ("safety", "安全", 3, 15, 24),
    ("urban", "城市治理", 4, 30, 48),
    ("economy", "经济", 3, 30, 48),
    ("society", "社会", 4, 30, 48),
]

#: code, name, parent, default_level, sign_minutes, resolve_hours, lead units, assist units
CATEGORIES: list[tuple[str, str, str, int, int, float, list[str], list[str]]] = [
    ("flood_typhoon", "防汛防台", "safety", 2, 10, 4, ["emergency"], ["city_mgmt", "team_flood"]),
    ("snow_ice", "雨雪冰冻", "safety", 3, 15, 8, ["emergency"], ["city_mgmt"]),
    ("gas_safety", "燃气安全", "safety", 2, 10, 4, ["emergency"], ["team_gas", "police"]),
    ("iot_fire", "物联感知火情", "safety", 2, 5, 2, ["emergency"], ["police", "team_ops_1"]),
    ("housing_safety", "房屋安全", "safety", 3, 30, 24, ["housing"], ["planning", "emergency"]),
    ("site_safety", "工地安全", "safety", 3, 30, 24, ["housing"], ["city_mgmt", "emergency"]),
    ("food_safety", "食品安全", "safety", 3, 30, 48, ["market"], ["city_mgmt"]),
    ("shared_bike", "共享单车", "urban", 4, 60, 24, ["city_mgmt"], []),
    ("street_vendor", "占道经营", "urban", 4, 30, 24, ["city_mgmt"], ["market"]),
    ("illegal_parking", "违规停车", "urban", 4, 30, 12, ["police"], ["city_mgmt"]),
    ("water_env", "水环境", "urban", 3, 30, 48, ["ecology"], ["city_mgmt"]),
    ("muck_truck", "渣土车", "urban", 3, 30, 24, ["city_mgmt"], ["police", "housing"]),
    ("noise", "噪声扰民", "urban", 4, 30, 24, ["ecology"], ["police", "city_mgmt"]),
    ("sanitation", "环境卫生", "urban", 4, 60, 24, ["city_mgmt"], []),
    ("property", "物业管理", "urban", 4, 60, 72, ["housing"], []),
    ("crowd_warning", "大客流预警", "economy", 2, 5, 2, ["city_ops"], ["police", "emergency"]),
    ("market_supervision", "市场监管", "economy", 3, 60, 72, ["market"], []),
    ("major_event", "重大活动保障", "economy", 3, 15, 8, ["gov_office"], ["police", "city_ops"]),
    ("dispute", "矛盾纠纷", "society", 3, 30, 48, ["politics_law"], ["petitions", "police"]),
    ("public_help", "求助服务", "society", 3, 10, 6, ["police"], ["city_ops"]),
    ("public_opinion", "舆情信息", "society", 3, 30, 24, ["publicity"], ["big_data"]),
    ("grid_patrol", "网格巡查", "society", 4, 60, 72, ["city_ops"], []),
]

CATEGORY_BY_CODE: dict[str, dict] = {}


def _categories() -> list[dict]:
    out = []
    for code, name, level, sign, resolve in PARENTS:
        out.append({
            "code": code, "name": name, "parent": None, "default_level": level,
            "sla": {"sign_minutes": sign, "resolve_hours": resolve},
            "lead_units": ["city_ops"], "assist_units": [],
        })
    for code, name, parent, level, sign, resolve, lead, assist in CATEGORIES:
        out.append({
            "code": code, "name": name, "parent": parent, "default_level": level,
            "sla": {"sign_minutes": sign, "resolve_hours": resolve},
            "lead_units": list(lead), "assist_units": list(assist),
        })
    return out


def _units() -> list[dict]:
    units = [
        {"id": uid, "name": name, "kind": "department", "street_id": None, "position": None,
         "status": "available"}
        for uid, name in DEPARTMENTS
    ]
    for sid, name, lon, lat in STREETS:
        units.append({"id": f"street_{sid}", "name": f"{name}办事处", "kind": "street",
                      "street_id": sid, "position": [lon, lat], "status": "available"})
    for i, (uid, name, sid) in enumerate(TEAMS):
        lon, lat = STREET_CENTROIDS[sid]
        units.append({"id": uid, "name": name, "kind": "team", "street_id": sid,
                      "position": [round(lon + 0.002 * ((i % 3) - 1), 6),
                                   round(lat + 0.0015 * ((i % 2) * 2 - 1), 6)],
                      "status": "available"})
    return units


def build_catalog() -> dict:
    """The catalog as plain JSON data (validated against `console.schema.Catalog`)."""
    data = {
        "levels": LEVELS,
        "categories": _categories(),
        "sources": SOURCES,
        "streets": [{"id": sid, "name": name, "centroid": [lon, lat]}
                    for sid, name, lon, lat in STREETS],
        "units": _units(),
    }
    Catalog.model_validate(data)
    return data


CATEGORY_BY_CODE.update({c["code"]: c for c in _categories()})
UNIT_IDS: frozenset[str] = frozenset(u["id"] for u in _units())


def nearest_street(lon: float, lat: float) -> str:
    """The street whose centroid is nearest to a point (a crude stand-in for a polygon lookup)."""
    return min(STREETS, key=lambda s: (s[2] - lon) ** 2 + (s[3] - lat) ** 2)[0]
