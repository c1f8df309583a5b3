"""Request and answer bodies that only the reference backend has (simulator control, health)."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from console.schema import CameraStatus, IndicatorSample


class Health(BaseModel):
    status: Literal["ok"]
    last_seq: int


class SimEventsRequest(BaseModel):
    """Body of `POST /api/v1/sim/events`."""

    model_config = ConfigDict(extra="forbid")
    count: int = Field(ge=1, le=20_000)
    source: Literal["hotline_12345", "grid", "city_mgmt", "police_home", "iot"] | None = None
    level: int | None = Field(default=None, ge=1, le=4)
    category: str | None = Field(default=None, max_length=64)


class SimBurstRequest(BaseModel):
    """Body of `POST /api/v1/sim/burst`."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["rainstorm", "holiday_crowd"]
    count: int | None = Field(default=None, ge=1, le=2_000)


class SimResult(BaseModel):
    ids: list[str]
    last_seq: int


class SimIndicatorRequest(BaseModel):
    """Body of `POST /api/v1/sim/indicators`: hold indicator `id` at `value` for `hold_s` s."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=64)
    value: float = Field(allow_inf_nan=False)
    hold_s: float = Field(default=600, ge=1, le=7 * 24 * 3600)


class SimIndicatorResult(BaseModel):
    """The sample published at once, its seq, and when the indicator returns to its curve."""

    sample: IndicatorSample
    seq: int
    hold_until: AwareDatetime


class SimCameraRequest(BaseModel):
    """Body of `POST /api/v1/sim/cameras/{id}`."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["online", "offline"]


class SimCameraResult(BaseModel):
    """The `camera.status` message published and its seq."""

    data: CameraStatus
    seq: int
