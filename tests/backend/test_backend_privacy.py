"""Mobile numbers are masked however they are written (R8)."""

from __future__ import annotations

import pytest

from backend.privacy import mask_phone_field, mask_phones


@pytest.mark.parametrize(("text", "masked"), [
    ("请回电 13912345678。", "请回电 139****5678。"),
    ("备用 +86 138 1234 5678", "备用 +86 138****5678"),
    ("8613812345678", "86138****5678"),
    ("138-1234-5678 或 159 1234 5678", "138****5678 或 159****5678"),
    ("工单 EV-20261124-000002，编号 12345678901", "工单 EV-20261124-000002，编号 12345678901"),
    ("坐标 120.3012345678", "坐标 120.3012345678"),
])
def test_mask_phones(text, masked):
    assert mask_phones(text) == masked


def test_a_phone_field_is_masked_whatever_was_typed():
    assert mask_phone_field("0510-82345678") == "051****5678"
    assert mask_phone_field("139****5678") == "139****5678"
