"""Reference data and the published OpenAPI document."""

from __future__ import annotations

import re
import string

import requests
from be_helpers import API, bearer

from console.schema import SOURCES, Catalog

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_catalog_matches_the_schema(backend):
    answer = requests.get(f"{backend.url}{API}/catalog", headers=backend.headers(), timeout=10)
    assert answer.status_code == 200
    catalog = Catalog.model_validate(answer.json())
    assert [lv.level for lv in catalog.levels] == [1, 2, 3, 4]
    assert catalog.levels[0].name == "特别重大" and catalog.levels[3].name == "一般"
    codes = {s.code if hasattr(s, "code") else s for s in catalog.sources}
    assert codes == set(SOURCES)

    by_code = {c.code: c for c in catalog.categories}
    parents = {c.name for c in catalog.categories if c.parent is None}
    assert parents == {"安全", "城市治理", "经济", "社会"}
    names = {c.name for c in catalog.categories}
    for name in ("防汛防台", "燃气安全", "物联感知火情", "房屋安全", "工地安全", "食品安全",
                 "共享单车", "占道经营", "违规停车", "水环境", "渣土车", "噪声扰民",
                 "大客流预警", "矛盾纠纷", "市场监管"):
        assert name in names
    unit_ids = {u.id for u in catalog.units}
    for category in catalog.categories:
        if category.parent is not None:
            assert by_code[category.parent].parent is None
        assert set(category.lead_units) <= unit_ids
        assert set(category.assist_units) <= unit_ids

    assert len(catalog.streets) == 16
    assert "崇安寺街道" in {s.name for s in catalog.streets}
    for street in catalog.streets:
        lon, lat = street.centroid
        assert 120.24 <= lon <= 120.36 and 31.53 <= lat <= 31.62

    departments = {u.name for u in catalog.units if u.kind == "department"}
    for name in ("区城运中心", "区大数据管理局", "区应急局", "区城管局", "区委政法委",
                 "公安梁溪分局", "区信访局", "自然资源规划分局", "区委宣传部", "区政府办公室"):
        assert name in departments
    street_units = [u for u in catalog.units if u.kind == "street"]
    assert len(street_units) == 16
    teams = [u for u in catalog.units if u.kind == "team"]
    assert len(teams) >= 5 and all(t.position is not None for t in teams)


def test_every_category_has_instruction_templates(backend):
    answer = requests.get(f"{backend.url}{API}/catalog", headers=backend.headers(), timeout=10)
    catalog = Catalog.model_validate(answer.json())
    for category in catalog.categories:
        assert 2 <= len(category.instruction_templates) <= 3, category.code
        for template in category.instruction_templates:
            fields = {name for _text, name, _spec, _conv in string.Formatter().parse(template)
                      if name is not None}
            assert fields and fields <= {"title", "address", "street"}, template
            assert HAN.search(template), template
    gas = next(c for c in catalog.categories if c.code == "gas_safety")
    filled = gas.instruction_templates[0].format(title="燃气泄漏", address="梁溪区广益路88号",
                                                 street="广益街道")
    assert "梁溪区广益路88号" in filled and "{" not in filled


def test_openapi_names_the_main_paths(backend):
    answer = requests.get(f"{backend.url}/openapi.json", timeout=10)
    assert answer.status_code == 200
    doc = answer.json()
    paths = set(doc["paths"])
    for path in ("/auth/login", "/auth/refresh", "/catalog", "/events", "/events/{event_id}",
                 "/events/{event_id}/actions", "/audit", "/live", "/health", "/sim/events",
                 "/sim/burst"):
        assert f"{API}{path}" in paths
    schemas = doc["components"]["schemas"]
    assert "ActionRequest" in schemas and "Event" in schemas and "ErrorBody" in schemas
    body = doc["paths"][f"{API}/events/{{event_id}}/actions"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["$ref"].endswith("/ActionRequest")


def test_catalog_requires_login(backend):
    assert requests.get(f"{backend.url}{API}/catalog", headers=bearer("x"), timeout=5).status_code == 401
