"""The district's vital signs (數字體征): 43 indicators of Liangxi district (梁溪区, 无锡) in the
six groups of `console.schema.INDICATOR_GROUPS`.

Each has a Simplified Chinese name, a unit, the decimals to show, warning and alarm
thresholds, where it is measured and how often it publishes a sample. Operations and hotline
figures are computed from the backend's own events (`event_figures`); everything else is a
simulated sensor (`curves`).
"""

from __future__ import annotations

from dataclasses import dataclass

from console.schema import INDICATOR_GROUPS, Indicator, Location, Thresholds

from ..catalog_data import nearest_street
from . import event_figures as ev
from .curves import (
    Air,
    AlarmCount,
    Ammonia,
    Congestion,
    Crowd,
    Curve,
    DissolvedOxygen,
    Noise,
    Occupancy,
    Percentage,
    Rainfall,
    SitesOnline,
    WaterLevel,
)

Source = Curve | ev.EventFigure


@dataclass(frozen=True)
class IndicatorDef:
    """One indicator: what `GET /api/v1/indicators` says of it, and where its values come from."""

    id: str
    name: str
    group: str
    unit: str
    precision: int
    thresholds: Thresholds
    location: Location
    interval: float
    source: Source

    @property
    def kind(self) -> str:
        return self.source.kind

    def describe(self, interval: float | None = None) -> Indicator:
        """The indicator without a value (`interval` overrides the publishing interval)."""
        return Indicator(id=self.id, name=self.name, group=self.group, unit=self.unit,
                         thresholds=self.thresholds, precision=self.precision,
                         location=self.location, kind=self.kind,
                         interval=interval if interval is not None else self.interval)


def _place(lon: float, lat: float, address: str) -> Location:
    return Location(lon=lon, lat=lat, address=address, street_id=nearest_street(lon, lat))


#: City-wide figures are placed at the district's centre (崇安寺), without a street.
DISTRICT = Location(lon=120.3035, lat=31.5800, address="梁溪区（全区）")


def _above(warning: float | None, alarm: float | None) -> Thresholds:
    return Thresholds(warning=warning, alarm=alarm, direction="above")


def _below(warning: float | None, alarm: float | None) -> Thresholds:
    return Thresholds(warning=warning, alarm=alarm, direction="below")


_NONE = Thresholds()


def _build() -> tuple[IndicatorDef, ...]:
    d = IndicatorDef
    items = [
        # ---- operations: from the backend's events
        d("ops.intake_today", "今日受理事件", "operations", "件", 0, _NONE, DISTRICT, 60,
          ev.INTAKE_TODAY),
        d("ops.open_events", "在办事件", "operations", "件", 0, _NONE, DISTRICT, 60, ev.OPEN),
        d("ops.closure_rate", "办结率（近7日）", "operations", "%", 1, _below(85, 70), DISTRICT,
          60, ev.CLOSURE_7D),
        d("ops.sign_on_time", "按时签收率（近24小时）", "operations", "%", 1, _below(95, 90),
          DISTRICT, 60, ev.SIGN_ON_TIME),
        d("ops.resolve_on_time", "按期办结率（近24小时）", "operations", "%", 1, _below(95, 90),
          DISTRICT, 60, ev.RESOLVE_ON_TIME),
        d("ops.overdue", "超期事件", "operations", "件", 0, _above(10, 30), DISTRICT, 60,
          ev.OVERDUE),
        # ---- safety
        d("safety.fire_iot", "消防物联告警（近30分钟）", "safety", "起", 0, _above(4, 6),
          DISTRICT, 60, AlarmCount("safety.fire_iot", per_day=18)),
        d("safety.gas_iot", "燃气物联告警（近30分钟）", "safety", "起", 0, _above(2, 4),
          DISTRICT, 60, AlarmCount("safety.gas_iot", per_day=6)),
        d("safety.sites_online", "在建工地监测在线数", "safety", "个", 0, _below(75, 68),
          DISTRICT, 120, SitesOnline("safety.sites_online", total=86)),
        d("safety.level_nanmen", "古运河南门站水位", "safety", "m", 2, _above(3.90, 4.20),
          _place(120.3102, 31.5668, "梁溪区古运河南门水位站"), 60,
          WaterLevel("safety.level_nanmen", base=3.26)),
        d("safety.level_qingmingqiao", "古运河清名桥站水位", "safety", "m", 2,
          _above(3.90, 4.20), _place(120.3128, 31.5604, "梁溪区古运河清名桥水位站"), 60,
          WaterLevel("safety.level_qingmingqiao", base=3.23)),
        d("safety.level_jiangjian", "古运河江尖站水位", "safety", "m", 2, _above(3.90, 4.20),
          _place(120.2905, 31.5890, "梁溪区古运河江尖水位站"), 60,
          WaterLevel("safety.level_jiangjian", base=3.29, gain=0.013)),
        d("safety.level_yinglongqiao", "梁溪河迎龙桥站水位", "safety", "m", 2,
          _above(3.80, 4.10), _place(120.2882, 31.5702, "梁溪区梁溪河迎龙桥水位站"), 60,
          WaterLevel("safety.level_yinglongqiao", base=3.18, gain=0.011)),
        d("safety.rain_nanchansi", "南禅寺雨量站1小时降雨量", "safety", "mm", 1,
          _above(20, 50), _place(120.3072, 31.5697, "梁溪区南禅寺雨量站"), 60,
          Rainfall("safety.rain_nanchansi")),
        d("safety.rain_huangxiang", "黄巷雨量站1小时降雨量", "safety", "mm", 1,
          _above(20, 50), _place(120.2852, 31.6108, "梁溪区黄巷雨量站"), 60,
          Rainfall("safety.rain_huangxiang")),
        # ---- environment
        d("env.aqi", "空气质量指数AQI（黄巷站）", "environment", "", 0, _above(100, 150),
          _place(120.2858, 31.6102, "梁溪区黄巷空气质量监测站"), 300, Air("env.aqi", "aqi")),
        d("env.pm25", "PM2.5浓度（黄巷站）", "environment", "μg/m³", 0, _above(75, 115),
          _place(120.2858, 31.6102, "梁溪区黄巷空气质量监测站"), 300, Air("env.pm25", "pm25")),
        d("env.pm10", "PM10浓度（黄巷站）", "environment", "μg/m³", 0, _above(150, 250),
          _place(120.2858, 31.6102, "梁溪区黄巷空气质量监测站"), 300, Air("env.pm10", "pm10")),
        d("env.nh3n_qingmingqiao", "古运河清名桥断面氨氮", "environment", "mg/L", 2,
          _above(1.5, 2.0), _place(120.3135, 31.5590, "梁溪区古运河清名桥断面"), 300,
          Ammonia("env.nh3n_qingmingqiao", base=0.62)),
        d("env.nh3n_yinglongqiao", "梁溪河迎龙桥断面氨氮", "environment", "mg/L", 2,
          _above(1.5, 2.0), _place(120.2875, 31.5700, "梁溪河迎龙桥断面"), 300,
          Ammonia("env.nh3n_yinglongqiao", base=0.48)),
        d("env.do_beixingtang", "北兴塘河断面溶解氧", "environment", "mg/L", 1, _below(3, 2),
          _place(120.3140, 31.6002, "梁溪区北兴塘河广瑞路断面"), 300,
          DissolvedOxygen("env.do_beixingtang", base=5.6)),
        d("env.noise_chonganshi", "崇安寺环境噪声", "environment", "dB(A)", 1, _above(70, 75),
          _place(120.3032, 31.5792, "梁溪区崇安寺步行街"), 60,
          Noise("env.noise_chonganshi", quiet=47, busy=63)),
        d("env.noise_zhongshan", "中山路交通噪声", "environment", "dB(A)", 1, _above(70, 75),
          _place(120.3010, 31.5755, "梁溪区中山路"), 60,
          Noise("env.noise_zhongshan", quiet=52, busy=67)),
        # ---- traffic
        d("traffic.tci_district", "全区交通拥堵指数", "traffic", "", 2, _above(1.8, 2.1),
          DISTRICT, 60, Congestion("traffic.tci_district", peak=1.75)),
        d("traffic.tci_jiefang", "解放环路拥堵指数", "traffic", "", 2, _above(2.0, 2.4),
          _place(120.3068, 31.5722, "梁溪区解放南路"), 60,
          Congestion("traffic.tci_jiefang", peak=1.95)),
        d("traffic.tci_zhongshan", "中山路拥堵指数", "traffic", "", 2, _above(2.0, 2.4),
          _place(120.3012, 31.5765, "梁溪区中山路"), 60,
          Congestion("traffic.tci_zhongshan", peak=2.02)),
        d("traffic.tci_renmin", "人民中路拥堵指数", "traffic", "", 2, _above(2.0, 2.4),
          _place(120.3045, 31.5803, "梁溪区人民中路"), 60,
          Congestion("traffic.tci_renmin", peak=1.9)),
        d("traffic.tci_tongyang", "通扬路拥堵指数", "traffic", "", 2, _above(2.0, 2.4),
          _place(120.3252, 31.5905, "梁溪区通扬路"), 60,
          Congestion("traffic.tci_tongyang", peak=1.85)),
        d("traffic.park_chonganshi", "崇安寺地下停车场占用率", "traffic", "%", 0,
          _above(90, 98), _place(120.3037, 31.5797, "梁溪区崇安寺地下停车场"), 60,
          Occupancy("traffic.park_chonganshi", "shopping", peak=88)),
        d("traffic.park_sanyang", "三阳广场停车场占用率", "traffic", "%", 0, _above(90, 98),
          _place(120.3001, 31.5773, "梁溪区三阳广场停车场"), 60,
          Occupancy("traffic.park_sanyang", "shopping", peak=84)),
        d("traffic.park_nanchangjie", "南长街停车场占用率", "traffic", "%", 0, _above(90, 98),
          _place(120.3108, 31.5648, "梁溪区南长街停车场"), 60,
          Occupancy("traffic.park_nanchangjie", "night_scene", peak=82, weekend_boost=1.18)),
        d("traffic.park_huishan", "惠山古镇停车场占用率", "traffic", "%", 0, _above(90, 98),
          _place(120.2772, 31.5858, "梁溪区惠山古镇停车场"), 60,
          Occupancy("traffic.park_huishan", "day_trip", peak=76, weekend_boost=1.25)),
        # ---- livelihood
        d("livelihood.hotline_today", "12345热线今日来电", "livelihood", "件", 0, _NONE,
          DISTRICT, 60, ev.HOTLINE_TODAY),
        d("livelihood.hotline_hour", "12345热线近1小时来电", "livelihood", "件", 0, _NONE,
          DISTRICT, 60, ev.HOTLINE_HOUR),
        d("livelihood.satisfaction", "12345热线满意率", "livelihood", "%", 1, _below(92, 88),
          DISTRICT, 300, Percentage("livelihood.satisfaction", base=97.0, wander=1.1, dip=3.0)),
        d("livelihood.answer_rate", "12345热线接通率", "livelihood", "%", 1, _below(95, 90),
          DISTRICT, 300,
          Percentage("livelihood.answer_rate", base=98.6, wander=0.6, load=2.2, dip=2.5)),
        # ---- economy
        d("economy.crowd_qingmingqiao", "清名桥历史文化街区在园人数", "economy", "人", 0,
          _above(18000, 24000), _place(120.3128, 31.5602, "梁溪区清名桥历史文化街区"), 60,
          Crowd("economy.crowd_qingmingqiao", "night_scene", peak=9000, weekend_boost=1.7)),
        d("economy.crowd_nanchangjie", "南长街在园人数", "economy", "人", 0,
          _above(12000, 16000), _place(120.3112, 31.5640, "梁溪区南长街"), 60,
          Crowd("economy.crowd_nanchangjie", "night_scene", peak=6500, weekend_boost=1.7)),
        d("economy.crowd_huishan", "惠山古镇在园人数", "economy", "人", 0,
          _above(14000, 20000), _place(120.2762, 31.5853, "梁溪区惠山古镇"), 60,
          Crowd("economy.crowd_huishan", "day_trip", peak=5200, weekend_boost=2.1)),
        d("economy.crowd_nanchansi", "南禅寺在园人数", "economy", "人", 0,
          _above(7000, 10000), _place(120.3072, 31.5697, "梁溪区南禅寺"), 60,
          Crowd("economy.crowd_nanchansi", "day_trip", peak=3800, weekend_boost=1.8)),
        d("economy.shoppers_chonganshi", "崇安寺商圈客流", "economy", "人", 0,
          _above(38000, 48000), _place(120.3035, 31.5795, "梁溪区崇安寺商圈"), 60,
          Crowd("economy.shoppers_chonganshi", "shopping", peak=24000, weekend_boost=1.6,
                night=600)),
        d("economy.shoppers_sanyang", "三阳广场商圈客流", "economy", "人", 0,
          _above(28000, 36000), _place(120.3000, 31.5772, "梁溪区三阳广场商圈"), 60,
          Crowd("economy.shoppers_sanyang", "shopping", peak=18000, weekend_boost=1.6, night=500)),
        d("economy.shoppers_zhongshan", "中山路商圈客流", "economy", "人", 0,
          _above(25000, 32000), _place(120.3013, 31.5742, "梁溪区中山路商圈"), 60,
          Crowd("economy.shoppers_zhongshan", "shopping", peak=15000, weekend_boost=1.55,
                night=400)),
    ]
    ids = [item.id for item in items]
    assert len(set(ids)) == len(ids), "duplicate indicator id"
    assert {item.group for item in items} == set(INDICATOR_GROUPS)
    for item in items:
        if isinstance(item.source, Curve):
            assert item.source.name == item.id, item.id
    return tuple(items)


INDICATORS: tuple[IndicatorDef, ...] = _build()
BY_ID: dict[str, IndicatorDef] = {item.id: item for item in INDICATORS}
