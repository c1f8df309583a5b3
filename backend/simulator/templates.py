"""Event templates per category (Simplified Chinese), with the sources that report them.

`place` says where the event happens: on a road, in a residential community, at a scenic spot,
or on a river. Tags mark the templates a burst draws from ("rain", "holiday").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    """One kind of event the simulator can report."""

    category: str
    title: str
    description: str
    sources: tuple[str, ...]
    place: str = "road"
    tags: tuple[str, ...] = ()


T = Template

TEMPLATES: list[Template] = [
    # ---- 防汛防台 (rain)
    T("flood_typhoon", "{road}路段积水约{depth}厘米", "市民反映{road}{num}号附近路面积水约{depth}厘米，车辆涉水缓行，请尽快排水。",
      ("hotline_12345", "grid", "city_mgmt"), tags=("rain",)),
    T("flood_typhoon", "{road}行道树倒伏压占车道", "强降雨伴大风，{road}{num}号附近一棵行道树倒伏，压占机动车道，暂无人员受伤。",
      ("hotline_12345", "city_mgmt", "police_home"), tags=("rain",)),
    T("flood_typhoon", "{road}下穿通道积水，车辆熄火", "{road}下穿通道积水较深，已有车辆熄火滞留，需封闭交通并抽排。",
      ("police_home", "iot"), tags=("rain",)),
    T("flood_typhoon", "{river}{bridge}段水位超警戒", "水位监测站报警：{river}{bridge}段水位{water}米，超过警戒水位，持续上涨。",
      ("iot",), place="river", tags=("rain",)),
    T("flood_typhoon", "{community}地下车库进水", "{community}{bldg}栋地下车库进水，居民请求抽排并转移车辆。",
      ("hotline_12345", "grid"), place="community", tags=("rain",)),
    T("flood_typhoon", "{road}窨井冒水，路面塌陷风险", "物联感知井盖监测报警，{road}{num}号附近窨井冒水，井盖位移。",
      ("iot", "city_mgmt"), tags=("rain",)),
    T("housing_safety", "{community}{bldg}栋老旧房屋雨后渗漏", "连续降雨后{community}{bldg}栋顶层渗漏严重，墙体出现裂缝，住户担心安全。",
      ("grid", "hotline_12345"), place="community", tags=("rain",)),
    # ---- 燃气安全
    T("gas_safety", "{community}{bldg}栋楼道有燃气味", "居民反映{community}{bldg}栋楼道内有明显燃气味，已开窗通风，请求燃气公司检查。",
      ("hotline_12345", "grid"), place="community"),
    T("gas_safety", "{road}餐饮店可燃气体报警", "物联感知：{road}{num}号{shop}可燃气体报警器报警，浓度{lel}%LEL。",
      ("iot",)),
    T("gas_safety", "{road}施工挖破燃气管道", "{road}{num}号附近施工挖破中压燃气管道，现场有气体泄漏，已疏散周边人员。",
      ("city_mgmt", "police_home")),
    # ---- 物联感知火情
    T("iot_fire", "{community}{bldg}栋烟感报警", "独立式烟感报警（设备编号YG-{dev}），{community}{bldg}栋{room}室，需现场核实。",
      ("iot",), place="community"),
    T("iot_fire", "{market}电气线路温度异常", "电气火灾监测：{market}配电箱线路温度{temp}℃，超过阈值。",
      ("iot",)),
    T("iot_fire", "{road}沿街商铺冒烟", "{road}{num}号沿街商铺冒烟，疑似电线短路，店内无人。",
      ("hotline_12345", "police_home")),
    # ---- 房屋 / 工地 / 食品
    T("housing_safety", "{community}{bldg}栋外墙瓷砖脱落", "{community}{bldg}栋外墙瓷砖脱落，楼下为人行通道，存在坠物隐患。",
      ("hotline_12345", "grid"), place="community"),
    T("housing_safety", "{community}{bldg}栋倾斜监测超阈值", "房屋安全监测：{community}{bldg}栋倾斜率超过预警值，请尽快核查。",
      ("iot",), place="community"),
    T("site_safety", "{road}工地夜间违规施工", "{road}{num}号附近工地夜间施工，噪声大，围挡不全。",
      ("hotline_12345", "city_mgmt", "grid")),
    T("site_safety", "{road}工地塔吊作业未设警戒区", "网格员巡查发现{road}工地塔吊吊装作业，下方未设警戒区域。",
      ("grid",)),
    T("food_safety", "{road}{shop}后厨卫生差", "顾客反映{road}{num}号{shop}后厨卫生差，疑似使用过期食材。",
      ("hotline_12345",)),
    T("food_safety", "{market}销售来源不明冻品", "{market}有摊位销售来源不明的冷冻肉品，无检疫证明。",
      ("grid", "hotline_12345")),
    # ---- 城市治理
    T("shared_bike", "{road}共享单车乱停放", "{road}{num}号附近共享单车乱停放，堵塞人行道和盲道。",
      ("hotline_12345", "city_mgmt", "grid")),
    T("shared_bike", "{road}地铁站口共享单车堆积", "{road}地铁站出入口共享单车堆积约{n}辆，影响通行。",
      ("city_mgmt",)),
    T("street_vendor", "{road}流动摊贩占道经营", "{road}{num}号附近流动摊贩占道经营，影响行人通行。",
      ("city_mgmt", "hotline_12345", "grid")),
    T("street_vendor", "{scenic}周边摊贩占道", "{scenic}周边有摊贩占道兜售，游客通行受阻。",
      ("city_mgmt", "grid"), place="scenic", tags=("holiday",)),
    T("illegal_parking", "{road}车辆违停占用消防通道", "{road}{num}号附近机动车违停，占用消防通道。",
      ("hotline_12345", "police_home", "city_mgmt")),
    T("illegal_parking", "{scenic}周边道路拥堵，车辆乱停", "{scenic}周边道路车辆排队较长，路边违停较多，交通拥堵。",
      ("police_home", "city_mgmt"), place="scenic", tags=("holiday",)),
    T("water_env", "{river}河面漂浮垃圾", "{river}{bridge}附近河面漂浮垃圾较多，有异味。",
      ("hotline_12345", "grid", "city_mgmt"), place="river"),
    T("water_env", "{river}水质监测氨氮超标", "水质自动监测站：{river}氨氮{nh3}mg/L，超过考核标准。",
      ("iot",), place="river"),
    T("water_env", "{road}雨水口疑似污水直排", "网格员发现{road}{num}号附近雨水口有污水排入河道。",
      ("grid", "hotline_12345")),
    T("muck_truck", "{road}渣土车沿路抛洒", "{road}渣土车未密闭运输，沿路抛洒泥土，路面污染。",
      ("city_mgmt", "hotline_12345")),
    T("muck_truck", "{road}渣土车夜间闯禁行", "卡口识别：一辆渣土车（苏B·{plate}）夜间驶入{road}禁行路段。",
      ("iot",)),
    T("noise", "{community}附近夜间噪声扰民", "居民反映{community}附近娱乐场所夜间噪声大，影响休息。",
      ("hotline_12345", "police_home"), place="community"),
    T("noise", "{road}商铺高音喇叭招揽", "{road}{num}号商铺使用高音喇叭招揽生意，噪声扰民。",
      ("hotline_12345", "city_mgmt")),
    T("sanitation", "{road}垃圾桶满溢未清运", "{road}{num}号附近垃圾桶满溢，周边有异味。",
      ("city_mgmt", "hotline_12345", "grid")),
    T("property", "{community}{bldg}栋电梯故障停运", "{community}{bldg}栋电梯故障停运两天，老人出行困难。",
      ("hotline_12345",), place="community"),
    # ---- 经济
    T("crowd_warning", "{scenic}客流接近承载上限", "大客流监测：{scenic}实时客流约{crowd}人，达到最大承载量的{pct}%。",
      ("iot",), place="scenic", tags=("holiday",)),
    T("crowd_warning", "{scenic}入口人员拥挤", "{scenic}主入口人员拥挤，排队较长，需要疏导分流。",
      ("police_home", "grid"), place="scenic", tags=("holiday",)),
    T("market_supervision", "{road}商店价格标示不清", "消费者反映{road}{num}号商店商品价格标示不清，结账价格与标价不符。",
      ("hotline_12345",)),
    T("major_event", "{scenic}节庆活动安保需求", "{scenic}举办节庆活动，预计客流较大，需协调安保和交通保障。",
      ("grid",), place="scenic"),
    # ---- 社会
    T("dispute", "{community}邻里因漏水发生纠纷", "{community}{bldg}栋上下楼因漏水问题发生纠纷，双方情绪激动。",
      ("grid", "police_home", "hotline_12345"), place="community"),
    T("dispute", "{community}业主与物业停车费矛盾", "{community}部分业主与物业因停车费上调发生矛盾，聚集在物业办公室。",
      ("hotline_12345", "grid"), place="community"),
    T("public_help", "{scenic}儿童与家人走失", "{scenic}一名约{age}岁儿童与家人走失，家长在游客中心求助。",
      ("police_home",), place="scenic", tags=("holiday",)),
    T("public_help", "{community}独居老人多日未出门", "邻居反映{community}{bldg}栋一位独居老人多日未出门，电话无人接听。",
      ("grid", "hotline_12345"), place="community"),
    T("public_opinion", "网络反映{road}施工扰民", "网络平台多条帖子反映{road}施工扰民，关注度上升。",
      ("grid",)),
    T("grid_patrol", "{road}井盖缺失", "网格员巡查发现{road}{num}号附近井盖缺失，已设临时警示。",
      ("grid", "city_mgmt")),
    T("grid_patrol", "{community}楼道堆放杂物", "{community}{bldg}栋楼道堆放杂物，存在消防隐患。",
      ("grid",), place="community"),
    T("grid_patrol", "{road}路灯不亮", "{road}{num}号附近多盏路灯不亮，夜间出行不便。",
      ("hotline_12345", "city_mgmt", "grid")),
]

BY_CATEGORY: dict[str, list[Template]] = {}
for _t in TEMPLATES:
    BY_CATEGORY.setdefault(_t.category, []).append(_t)

RAIN = [t for t in TEMPLATES if "rain" in t.tags]
HOLIDAY = [t for t in TEMPLATES if "holiday" in t.tags]
#: Everyday templates: rain ones only appear in a rainstorm.
EVERYDAY = [t for t in TEMPLATES if "rain" not in t.tags]

BURSTS: dict[str, list[Template]] = {"rainstorm": RAIN, "holiday_crowd": HOLIDAY}
BURST_CATEGORIES: dict[str, frozenset[str]] = {
    kind: frozenset(t.category for t in templates) for kind, templates in BURSTS.items()
}
