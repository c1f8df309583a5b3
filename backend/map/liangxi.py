"""The demo base map's hand-drawn shapes of Liangxi district (梁溪区, 无锡), WGS84 lon/lat.

Plausible, not surveyed: the district outline follows the real district's extent (the old
city inside the 解放环路 ring, 北塘 to the north-west, 南长 to the south, 广益 to the east),
and the rivers and roads pass the places the indicator catalog names (江尖, 南门, 清名桥,
迎龙桥 water-level stations). Street (街道) boundaries are not drawn here: they are derived
from the catalog's street centroids (`layers.streets`).
"""

from __future__ import annotations

#: The district outline, counter-clockwise from the south-west.
DISTRICT_NAME = "梁溪区"
DISTRICT_RING: list[tuple[float, float]] = [
    (120.2790, 31.5440),
    (120.2930, 31.5390),
    (120.3060, 31.5355),
    (120.3180, 31.5370),
    (120.3290, 31.5450),
    (120.3390, 31.5540),
    (120.3470, 31.5660),
    (120.3505, 31.5790),
    (120.3480, 31.5915),
    (120.3390, 31.5985),
    (120.3290, 31.6035),
    (120.3225, 31.6125),
    (120.3130, 31.6195),
    (120.2990, 31.6230),
    (120.2840, 31.6225),
    (120.2715, 31.6165),
    (120.2630, 31.6060),
    (120.2600, 31.5935),
    (120.2625, 31.5800),
    (120.2660, 31.5690),
    (120.2700, 31.5585),
    (120.2735, 31.5500),
]

#: Waterways: (id, name, course from upstream).
WATERWAYS: list[tuple[str, str, list[tuple[float, float]]]] = [
    ("grand_canal", "古运河", [
        (120.2700, 31.6100), (120.2790, 31.6010), (120.2860, 31.5940), (120.2905, 31.5890),
        (120.2925, 31.5830), (120.2950, 31.5770), (120.3000, 31.5715), (120.3060, 31.5685),
        (120.3102, 31.5668), (120.3120, 31.5635), (120.3128, 31.5604), (120.3150, 31.5545),
        (120.3195, 31.5480), (120.3240, 31.5430),
    ]),
    ("liangxi_river", "梁溪河", [
        (120.2720, 31.5570), (120.2770, 31.5610), (120.2830, 31.5660), (120.2882, 31.5702),
        (120.2910, 31.5745), (120.2935, 31.5785),
    ]),
]

#: Main roads: (id, name, course). 解放环路 is a closed ring round the old city.
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    ("jiefang_ring", "解放环路", [
        (120.2945, 31.5865), (120.3010, 31.5895), (120.3090, 31.5880), (120.3140, 31.5815),
        (120.3130, 31.5740), (120.3065, 31.5700), (120.2985, 31.5705), (120.2935, 31.5770),
        (120.2945, 31.5865),
    ]),
    ("zhongshan_road", "中山路", [
        (120.3025, 31.5890), (120.3030, 31.5840), (120.3033, 31.5790), (120.3035, 31.5745),
        (120.3040, 31.5700),
    ]),
    ("renmin_road", "人民路", [
        (120.2880, 31.5790), (120.2940, 31.5792), (120.3035, 31.5795), (120.3135, 31.5800),
        (120.3250, 31.5808), (120.3380, 31.5815),
    ]),
    ("tongyang_road", "通扬路", [
        (120.3215, 31.5560), (120.3220, 31.5680), (120.3228, 31.5800), (120.3235, 31.5920),
        (120.3240, 31.6040),
    ]),
    ("fengxiang_road", "凤翔路", [
        (120.2830, 31.5850), (120.2835, 31.5950), (120.2840, 31.6050), (120.2845, 31.6170),
    ]),
]
