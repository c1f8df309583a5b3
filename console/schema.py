"""The console ⇄ backend contract (API.md, version 1) as typed models.

The reference backend and the console both import these models, so the contract lives in
exactly one place. Models read from the wire ignore unknown fields (a district platform may
add fields); request bodies forbid them, so a typo is rejected instead of silently dropped.
Times are timezone-aware datetimes and serialise as ISO 8601 with an offset.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PrivateAttr

API_VERSION = "v1"
API_PREFIX = "/api/v1"

#: The district's local time (Wuxi, UTC+8, no daylight saving).
CST = timezone(timedelta(hours=8), "CST")

Status = Literal[
    "new",
    "acknowledged",
    "dispatched",
    "signed",
    "on_site",
    "resolved",
    "closed",
    "returned",
    "reopened",
]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]

#: Statuses in which an event still needs someone's attention. A resolved event waits for the
#: hall to check the result and close it (结案), so it stays open until closed.
OPEN_STATUSES: frozenset[str] = frozenset(set(STATUSES) - {"closed"})

Source = Literal[
    "hotline_12345", "grid", "city_mgmt", "police_home", "iot", "indicator", "manual"
]
SOURCES: tuple[str, ...] = Source.__args__  # type: ignore[attr-defined]

#: `unit`: a responding unit's own client (or the simulator acting for one): it reports on the
#: tasks dispatched to it (sign, arrive, resolve, return) and nothing else.
Role = Literal["duty_officer", "shift_leader", "admin", "unit"]
ROLES: tuple[str, ...] = Role.__args__  # type: ignore[attr-defined]

ActionName = Literal[
    "acknowledge", "note", "urge", "dispatch", "escalate", "close", "reopen",
    "sign", "arrive", "resolve", "return",
]
ACTIONS: tuple[str, ...] = ActionName.__args__  # type: ignore[attr-defined]

#: Which roles may perform each action (the backend enforces it; the console hides the rest).
ACTION_ROLES: dict[str, frozenset[str]] = {
    "acknowledge": frozenset({"duty_officer", "shift_leader", "admin"}),
    "note": frozenset({"duty_officer", "shift_leader", "admin"}),
    "dispatch": frozenset({"shift_leader", "admin"}),
    "escalate": frozenset({"shift_leader", "admin"}),
    "close": frozenset({"shift_leader", "admin"}),
    "reopen": frozenset({"shift_leader", "admin"}),
    # Starting and ending a video conference about an event (視頻會商; not an event action).
    "conference": frozenset({"shift_leader", "admin"}),
    # Chasing a unit that has not signed or reported (催办).
    "urge": frozenset({"duty_officer", "shift_leader", "admin"}),
    # A unit's reports on a task dispatched to it; the request names the unit (`unit_id`).
    "sign": frozenset({"unit", "admin"}),
    "arrive": frozenset({"unit", "admin"}),
    "resolve": frozenset({"unit", "admin"}),
    "return": frozenset({"unit", "admin"}),
}
#: The actions a responding unit reports (they need `unit_id`).
UNIT_ACTIONS: frozenset[str] = frozenset({"sign", "arrive", "resolve", "return"})

LiveType = Literal[
    "event.upsert",
    "indicator.sample",
    "unit.position",
    "camera.status",
    "conference.updated",
    "heartbeat",
    "resync_required",
]
LIVE_TYPES: tuple[str, ...] = LiveType.__args__  # type: ignore[attr-defined]

#: Message types that carry a durable, strictly increasing global seq.
DURABLE_LIVE_TYPES: frozenset[str] = frozenset(set(LIVE_TYPES) - {"heartbeat", "resync_required"})

ErrorCode = Literal[
    "invalid_credentials",
    "unauthorized",
    "forbidden",
    "not_found",
    "version_conflict",
    "in_progress",
    "idempotency_key_reuse",
    "invalid",
    "rate_limited",
    "payload_too_large",
    "internal",
]

LonLat = tuple[float, float]


def now_cst() -> datetime:
    """The current time in the district's zone, to the millisecond."""
    now = datetime.now(CST)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


class WireModel(BaseModel):
    """A model read from the backend: unknown fields are ignored, not fatal."""

    model_config = ConfigDict(extra="ignore", frozen=False)


class RequestModel(BaseModel):
    """A request body: unknown fields are an error (`422 invalid`)."""

    model_config = ConfigDict(extra="forbid")


# ---- Errors


class ErrorInfo(WireModel):
    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorBody(WireModel):
    """Every non-2xx answer has this shape."""

    error: ErrorInfo


# ---- Auth


class Scope(WireModel):
    level: Literal["district", "street"] = "district"
    street_id: str | None = None


class User(WireModel):
    id: str
    name: str
    roles: list[Role]
    scope: Scope = Field(default_factory=Scope)

    def can(self, action: str) -> bool:
        """True when one of the user's roles allows `action`."""
        allowed = ACTION_ROLES.get(action, frozenset())
        return any(role in allowed for role in self.roles)


class LoginRequest(RequestModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    seat: str = Field(default="", max_length=64)


class RefreshRequest(RequestModel):
    refresh_token: str = Field(min_length=1, max_length=512)


class TokenResponse(WireModel):
    access_token: str
    refresh_token: str
    expires_in: int
    user: User


# ---- Reference data


class Level(WireModel):
    level: int = Field(ge=1, le=4)
    name: str
    color: str


class CategorySla(WireModel):
    sign_minutes: int = Field(gt=0)
    resolve_hours: float = Field(gt=0)


class Category(WireModel):
    code: str
    name: str
    parent: str | None = None
    default_level: int = Field(ge=1, le=4)
    sla: CategorySla
    lead_units: list[str] = Field(default_factory=list)
    assist_units: list[str] = Field(default_factory=list)
    #: Dispatch instruction templates (first = default); `{title}`, `{address}` and
    #: `{street}` are filled in by the console. Optional: a category without them inherits
    #: its parent's, and the console falls back to a generic text.
    instruction_templates: list[str] = Field(default_factory=list)


class Street(WireModel):
    id: str
    name: str
    centroid: LonLat


class Unit(WireModel):
    id: str
    name: str
    kind: Literal["department", "street", "team"]
    street_id: str | None = None
    position: LonLat | None = None
    status: Literal["available", "busy", "off_duty"] = "available"


class SourceInfo(WireModel):
    code: str
    name: str


class Catalog(WireModel):
    levels: list[Level]
    categories: list[Category]
    sources: list[str | SourceInfo]
    streets: list[Street]
    units: list[Unit]


# ---- Events


class Location(WireModel):
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    address: str = ""
    street_id: str | None = None
    grid_id: str | None = None


class EventSla(WireModel):
    sign_due: AwareDatetime | None = None
    resolve_due: AwareDatetime | None = None


class Assignment(WireModel):
    unit_id: str
    role: Literal["lead", "assist"]
    status: Literal["sent", "signed", "returned", "done"] = "sent"
    instructions: str = ""
    due_at: AwareDatetime | None = None
    signed_at: AwareDatetime | None = None


class Reporter(WireModel):
    name: str = ""
    phone_masked: str = ""


class TimelineEntry(WireModel):
    at: AwareDatetime
    actor: str
    action: str
    detail: str = ""


class Event(WireModel):
    """One city event: a ticket that goes round the whole loop from intake to close."""

    id: str
    seq: int = Field(ge=0)
    version: int = Field(ge=1)
    title: str
    description: str = ""
    category: str
    level: int = Field(ge=1, le=4)
    source: Source
    status: Status
    location: Location
    reported_at: AwareDatetime
    updated_at: AwareDatetime
    sla: EventSla = Field(default_factory=EventSla)
    assignments: list[Assignment] = Field(default_factory=list)
    reporter: Reporter = Field(default_factory=Reporter)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    bounces: int = Field(default=0, ge=0)
    camera_ids: list[str] = Field(default_factory=list)


class EventPage(WireModel):
    items: list[Event]
    next_cursor: str | None = None
    last_seq: int = Field(ge=0)


class AssignmentRequest(RequestModel):
    unit_id: str = Field(min_length=1, max_length=64)
    role: Literal["lead", "assist"]
    instructions: str = Field(default="", max_length=2000)
    due_at: AwareDatetime | None = None


class ActionRequest(RequestModel):
    """Body of `POST /api/v1/events/{id}/actions`."""

    action: ActionName
    expected_version: int = Field(ge=1)
    note: str | None = Field(default=None, max_length=4000)
    assignments: list[AssignmentRequest] | None = Field(default=None, max_length=20)
    level: int | None = Field(default=None, ge=1, le=4)
    #: The reporting unit, for the unit actions (sign, arrive, resolve, return).
    unit_id: str | None = Field(default=None, min_length=1, max_length=64)


class EventCreateRequest(RequestModel):
    """Body of `POST /api/v1/events` (manual events, indicator breaches)."""

    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=4000)
    category: str = Field(min_length=1, max_length=64)
    level: int | None = Field(default=None, ge=1, le=4)
    source: Literal["manual", "indicator"] = "manual"
    location: Location
    reporter: Reporter = Field(default_factory=Reporter)


# ---- Audit


class AuditEntry(WireModel):
    at: AwareDatetime
    actor: str
    seat: str = ""
    action: str
    target: str
    result: str
    idempotency_key: str | None = None


# ---- Live feed


class LiveMessage(WireModel):
    """One text frame of the live websocket: `{"seq", "type", "at", "data"}`.

    For `event.upsert`, `event` is `data` as a validated `Event`. The live feed validates it
    once on its own thread and attaches it (`attach_event`), so the store never validates
    again on the GUI thread; a message built elsewhere validates lazily on first access
    (and raises `pydantic.ValidationError` then if `data` is not an event).
    """

    seq: int = Field(ge=0)
    type: LiveType
    at: AwareDatetime
    data: dict[str, Any] = Field(default_factory=dict)

    _event: Event | None = PrivateAttr(default=None)
    _frame: bytes | None = PrivateAttr(default=None)

    # Private attributes are read through `__pydantic_private__` directly: going through
    # BaseModel.__getattr__ costs microseconds, which matters at thousands of messages/s.

    @property
    def event(self) -> Event | None:
        """The event of an `event.upsert` message; None for every other type."""
        private = self.__pydantic_private__
        event = private["_event"]
        if event is None and self.type == "event.upsert":
            event = private["_event"] = Event.model_validate(self.data)
        return event

    @property
    def frame(self) -> bytes | None:
        """The whole frame the message was decoded from, as received (the store keeps an
        event's frame as its document); None if the message was not built from a frame."""
        return self.__pydantic_private__["_frame"]

    def attach_frame(self, frame: bytes) -> None:
        """Keep the frame this message was decoded from (the live feed does)."""
        self.__pydantic_private__["_frame"] = frame

    def attach_event(self, event: Event, frame: bytes | None = None) -> None:
        """Attach the already-validated event of an `event.upsert` (used by the live feed),
        with the frame it came in, if it is `{"type": "event.upsert", "data": <event>}`."""
        private = self.__pydantic_private__
        private["_event"] = event
        private["_frame"] = frame


class Heartbeat(WireModel):
    last_seq: int = Field(ge=0)


IndicatorState = Literal["normal", "warning", "alarm"]
INDICATOR_STATES: tuple[str, ...] = IndicatorState.__args__  # type: ignore[attr-defined]
#: The seed's groups of indicators (數字體征), in the order a dashboard shows them.
INDICATOR_GROUPS: tuple[str, ...] = (
    "operations", "safety", "environment", "traffic", "livelihood", "economy")


class Thresholds(WireModel):
    """When an indicator is in warning or alarm: at or beyond `warning` / `alarm`, above or
    below them by `direction`. Either may be missing (no such state)."""

    warning: float | None = None
    alarm: float | None = None
    direction: Literal["above", "below"] = "above"

    def state_of(self, value: float | None) -> str:
        """The state a value puts the indicator in."""
        if value is None:
            return "normal"
        sign = 1.0 if self.direction == "above" else -1.0
        if self.alarm is not None and sign * (value - self.alarm) >= 0:
            return "alarm"
        if self.warning is not None and sign * (value - self.warning) >= 0:
            return "warning"
        return "normal"


class Indicator(WireModel):
    """One of the city's vital signs, as `GET /api/v1/indicators` lists it.

    Extensions of API.md: `precision` (decimals to show), `location` (where it is measured,
    or the district's centre for city-wide figures; prefills an event opened from a breach),
    `kind` ("sensor" for measured values, "events" for figures the backend computes from its
    own events) and `interval` (seconds between live samples).
    """

    id: str = Field(min_length=1, max_length=64)
    name: str
    group: str
    unit: str = ""
    value: float | None = None
    at: AwareDatetime | None = None
    state: IndicatorState = "normal"
    thresholds: Thresholds = Field(default_factory=Thresholds)
    precision: int = Field(default=0, ge=0, le=6)
    location: Location | None = None
    kind: Literal["sensor", "events"] = "sensor"
    interval: float = 60.0


class IndicatorSeries(WireModel):
    """`GET /api/v1/indicators/{id}/series`: sample times (epoch seconds) and values (None
    where there is no sample in a step)."""

    t: list[float]
    v: list[float | None]


class IndicatorSample(WireModel):
    id: str
    value: float
    at: AwareDatetime
    state: IndicatorState


class UnitPosition(WireModel):
    unit_id: str
    position: LonLat
    status: Literal["available", "busy", "off_duty"] | None = None


CameraState = Literal["online", "offline"]


class CameraStatus(WireModel):
    """Data of a `camera.status` live message: a camera went offline or came back.

    `at` (when it changed) is an extension of API.md; a message without it is accepted."""

    camera_id: str = Field(min_length=1, max_length=64)
    status: CameraState
    at: AwareDatetime | None = None


# ---- Cameras


class CameraStream(WireModel):
    """One stream of a camera: `main` (full size) or `sub` (small, for a wall of tiles).
    `url` is absolute; a relative one is resolved against the API's base URL by the client."""

    profile: Literal["main", "sub"]
    kind: Literal["mjpeg", "hls", "rtsp", "flv"]
    url: str = Field(min_length=1, max_length=2000)
    width: int | None = Field(default=None, gt=0, le=16384)
    height: int | None = Field(default=None, gt=0, le=16384)
    fps: float | None = Field(default=None, gt=0, le=240)


class Camera(WireModel):
    """One entry of `GET /api/v1/cameras`."""

    id: str = Field(min_length=1, max_length=64)
    name: str
    location: LonLat
    street_id: str | None = None
    status: CameraState = "online"
    ptz: bool = False
    streams: list[CameraStream] = Field(default_factory=list)

    def stream(self, profile: str) -> CameraStream | None:
        """The stream of `profile` ("main" or "sub"), or None."""
        return next((s for s in self.streams if s.profile == profile), None)


# ---- Map (数字城市运行图)


class MapTileSource(WireModel):
    """A raster tile source: `url` is an XYZ template with `{z}`, `{x}` and `{y}`."""

    id: str
    url: str
    attribution: str = ""
    max_zoom: int = Field(default=18, ge=0, le=30)


class MapConfig(WireModel):
    """`GET /api/v1/map/config`: where the map opens and the tile sources it may draw under
    the base layers (none in the demo: the base map is the backend's own vector layers)."""

    center: LonLat
    zoom: float = Field(ge=0, le=30)
    tile_sources: list[MapTileSource] = Field(default_factory=list)


class MapLayer(WireModel):
    """One entry of `GET /api/v1/map/layers`; `GET /api/v1/map/layers/{id}` is its GeoJSON
    FeatureCollection (WGS84 lon/lat)."""

    id: str
    name: str
    kind: Literal["base", "overlay"]
    geometry: Literal["polygon", "line", "point"]


# ---- Conferences (視頻會商)

ConferenceState = Literal["open", "ended"]


class ConferenceParticipant(WireModel):
    """One participant of a conference: an invited unit, or someone who joined from the link.

    `unit_id` is None for a participant who is not a unit (the hall's own seat, a guest).
    `joined_at` is the first join, `left_at` the last leave (None while connected or never
    joined); `present` counts the participant's open connections. `name`, `invited` and
    `present` extend API.md."""

    unit_id: str | None = Field(default=None, max_length=64)
    name: str = Field(default="", max_length=64)
    invited: bool = True
    joined_at: AwareDatetime | None = None
    left_at: AwareDatetime | None = None
    present: int = Field(default=0, ge=0)


class Conference(WireModel):
    """A conference room about an event (`POST /api/v1/conferences`, `conference.updated`).

    `join_url` opens the room page (it carries the room's key: whoever has the link may join).
    `created_by`, `created_at`, `ended_at` and `ended_by` extend API.md."""

    id: str = Field(min_length=1, max_length=64)
    event_id: str = Field(min_length=1, max_length=64)
    title: str = Field(default="", max_length=200)
    join_url: str = Field(min_length=1, max_length=2000)
    status: ConferenceState = "open"
    created_by: str | None = None
    created_at: AwareDatetime | None = None
    ended_at: AwareDatetime | None = None
    ended_by: str | None = None
    participants: list[ConferenceParticipant] = Field(default_factory=list)

    def participant(self, unit_id: str) -> ConferenceParticipant | None:
        """The participant for `unit_id`, or None."""
        return next((p for p in self.participants if p.unit_id == unit_id), None)


class ConferenceCreateRequest(RequestModel):
    """The body of `POST /api/v1/conferences`: the event, a title and the units invited."""

    event_id: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=200)
    participants: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        default_factory=list, max_length=50)
