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

#: Dispatch instruction templates by category (first = default). The console fills in
#: `{title}`, `{address}` and `{street}`.
INSTRUCTION_TEMPLATES: dict[str, list[str]] = {
    "safety": [
        "「{title}」存在安全隐患，请立即赶赴{address}核查处置，落实现场管控，30分钟内反馈进展。",
        "请会同{street}对{address}开展安全检查，消除隐患后上传整改照片。",
    ],
    "urban": [
        "请按城市管理标准处置「{title}」（{address}），办结后上传处置前后照片。",
        "请联系{street}网格员到{address}现场核实，依职责处置并反馈结果。",
    ],
    "economy": [
        "请核查「{title}」（{address}）情况，依法依规处置，并将结果报区城运中心。",
        "请会同{street}了解{address}现场情况，做好保障与秩序维护，及时反馈。",
    ],
    "society": [
        "请尽快联系当事人，核实「{title}」（{address}）有关情况，依职责妥善处理并回复。",
        "请会同{street}社区做好{address}的走访与疏导工作，办结后反馈处理结果。",
    ],
    "flood_typhoon": [
        "「{title}」：请立即组织力量赶赴{address}，设置警示、抽排积水，必要时封闭交通，每30分钟报告一次。",
        "请调派防汛物资到{address}，会同{street}转移受影响群众，确保人员安全。",
        "请核查{address}周边排水设施，清理雨水口，水位回落后反馈。",
    ],
    "snow_ice": [
        "请立即对{address}路段撒布融雪剂、清扫积雪，设置防滑警示。",
        "请会同{street}组织人员清除{address}积雪结冰，重点保障学校、医院周边通行。",
    ],
    "gas_safety": [
        "「{title}」：请立即赶赴{address}，关闭气源、疏散人员、禁止明火，检测合格前不得恢复供气。",
        "请燃气抢修队到{address}排查泄漏点，会同{street}做好周边住户告知。",
    ],
    "iot_fire": [
        "物联感知告警：请立即到{address}现场确认火情，如属实同步报119并组织疏散。",
        "请核查{address}烟感告警原因，排除误报后上传现场照片并复位设备。",
    ],
    "housing_safety": [
        "请组织专业人员到{address}查看房屋受损情况，必要时设置警戒、转移住户。",
        "请会同{street}对{address}开展房屋安全排查，出具初步鉴定意见。",
    ],
    "site_safety": [
        "请到{address}工地现场检查「{title}」，责令施工单位立即整改，整改前暂停相关作业。",
        "请核查{address}工地围挡、扬尘及夜间施工许可情况，依法处置并反馈。",
    ],
    "food_safety": [
        "请到{address}核查「{title}」，封存可疑食品并抽样送检，依法处置。",
        "请对{address}经营主体开展食品安全检查，核实证照与从业人员健康证，结果当日反馈。",
    ],
    "shared_bike": [
        "请通知共享单车企业2小时内清理{address}乱停放车辆，并恢复通道畅通。",
        "请会同{street}对{address}共享单车停放点位进行整治，办结后上传照片。",
    ],
    "street_vendor": [
        "请到{address}劝导占道经营摊贩入市经营，恢复道路通行。",
        "请对{address}占道经营行为依法查处，并安排人员加强巡查防止回潮。",
    ],
    "illegal_parking": [
        "请到{address}处置违停车辆，联系车主挪车，必要时依法拖移。",
        "请对{address}违规停车加强巡查管控，恢复消防通道畅通。",
    ],
    "water_env": [
        "请到{address}核查「{title}」，查找污染源并采样监测，依法处置。",
        "请会同{street}河长对{address}水面漂浮物进行打捞清理，办结后上传照片。",
    ],
    "muck_truck": [
        "请对{address}渣土车抛洒滴漏行为进行查处，责令清理路面。",
        "请会同交警在{address}设卡检查渣土运输车辆，核查运输资质与密闭情况。",
    ],
    "noise": [
        "请到{address}核实噪声扰民情况，劝导停止扰民行为，必要时依法处罚。",
        "请对{address}夜间施工或经营噪声进行检测，超标的责令整改并回访投诉人。",
    ],
    "sanitation": [
        "请安排环卫人员清理{address}垃圾和污物，做到日产日清。",
        "请会同{street}对{address}环境卫生进行整治，办结后上传处置前后照片。",
    ],
    "property": [
        "请督促{address}物业企业处理「{title}」，3日内反馈整改结果。",
        "请会同{street}社区协调{address}业主与物业矛盾，依法依规处理并回复。",
    ],
    "crowd_warning": [
        "大客流预警：请立即在{address}启动限流分流措施，增派人员疏导，每15分钟报告客流。",
        "请会同公安、{street}在{address}设置单向通行与等候区，严防踩踏。",
    ],
    "market_supervision": [
        "请到{address}核查「{title}」，依法查处价格、计量或质量违法行为。",
        "请对{address}经营主体开展检查，调解消费纠纷并回复诉求人。",
    ],
    "major_event": [
        "请按重大活动保障方案，在{address}落实安保、交通和应急保障力量。",
        "请会同{street}做好{address}周边环境整治与秩序维护，发现问题即时报告。",
    ],
    "dispute": [
        "请会同{street}调委会上门了解{address}纠纷情况，组织双方调解，防止矛盾激化。",
        "请核查「{title}」有关情况，依法依规化解矛盾，办结后回访当事人。",
    ],
    "public_help": [
        "请立即联系求助人，赶赴{address}提供帮助，确保人员安全。",
        "请会同{street}社区上门了解{address}求助人困难，落实救助措施并反馈。",
    ],
    "public_opinion": [
        "请核实「{title}」相关舆情信息，及时回应关切，2小时内报送核查情况。",
        "请会同{street}调查{address}相关网络反映事项，形成处置口径并反馈。",
    ],
    "grid_patrol": [
        "请网格员到{address}复核「{title}」，能自行处置的现场处置，不能处置的及时上报。",
        "请{street}对{address}巡查发现的问题建立台账，限期整改并反馈。",
    ],
}

#: The names of an assignment's roles in timeline texts.
ROLE_NAMES = {"lead": "主办", "assist": "协办"}

CATEGORY_BY_CODE: dict[str, dict] = {}


def _categories() -> list[dict]:
    out = []
    for code, name, level, sign, resolve in PARENTS:
        out.append({
            "code": code, "name": name, "parent": None, "default_level": level,
            "sla": {"sign_minutes": sign, "resolve_hours": resolve},
            "lead_units": ["city_ops"], "assist_units": [],
            "instruction_templates": list(INSTRUCTION_TEMPLATES[code]),
        })
    for code, name, parent, level, sign, resolve, lead, assist in CATEGORIES:
        out.append({
            "code": code, "name": name, "parent": parent, "default_level": level,
            "sla": {"sign_minutes": sign, "resolve_hours": resolve},
            "lead_units": list(lead), "assist_units": list(assist),
            "instruction_templates": list(INSTRUCTION_TEMPLATES[code]),
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
UNIT_NAMES: dict[str, str] = {u["id"]: u["name"] for u in _units()}
UNIT_KINDS: dict[str, str] = {u["id"]: u["kind"] for u in _units()}


def unit_name(unit_id: str) -> str:
    """A unit's display name for timeline texts (its id when unknown)."""
    return UNIT_NAMES.get(unit_id, unit_id)


def nearest_street(lon: float, lat: float) -> str:
    """The street whose centroid is nearest to a point (a crude stand-in for a polygon lookup)."""
    return min(STREETS, key=lambda s: (s[2] - lon) ** 2 + (s[3] - lat) ** 2)[0]
