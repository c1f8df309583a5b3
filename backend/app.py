"""The FastAPI application: routes of API.md, error handlers, body limit, live feed, simulator."""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated

import orjson
from fastapi import Depends, FastAPI, Header, Query, Request, WebSocket
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic.json_schema import models_json_schema
from starlette.concurrency import run_in_threadpool

from console.schema import (
    API_PREFIX,
    CST,
    STATUSES,
    ActionRequest,
    AuditEntry,
    Camera,
    Catalog,
    ConferenceCreateRequest,
    ErrorBody,
    Event,
    EventCreateRequest,
    EventPage,
    Indicator,
    IndicatorSeries,
    LoginRequest,
    MapConfig,
    MapLayer,
    RefreshRequest,
    TokenResponse,
)

from .bodylimit import BodyLimitMiddleware
from .cameras import CameraDropouts, CameraService, demo_cameras
from .cameras.streams import StreamHub, StreamResponse
from .conferences import ConferenceService, RoomHub, conference_routes
from .conferences.rooms import ice_server_config
from .config import Settings
from .errors import ApiError, install_error_handlers, json_response
from .indicators import IndicatorFeed, IndicatorService
from .live import Hub, LiveEndpoint
from .map import LAYERS, layer_body, map_config
from .map.models import FeatureCollection
from .models import (
    Health,
    SimBurstRequest,
    SimCameraRequest,
    SimCameraResult,
    SimEventsRequest,
    SimIndicatorRequest,
    SimIndicatorResult,
    SimResult,
)
from .security import Principal
from .service import CommandResult, HallService
from .simulator import Simulator
from .store import Database

log = logging.getLogger("backend")

_bearer = HTTPBearer(auto_error=False, description="The access token from /auth/login.")
_ERRORS = {code: {"model": ErrorBody} for code in (401, 403, 404, 409, 413, 422)}


async def principal(request: Request,
                    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
                    ) -> Principal:
    """The caller of a request, from its bearer token (401 `unauthorized` without one)."""
    token = creds.credentials if creds is not None else None
    return await run_in_threadpool(request.app.state.backend["service"].authenticate, token)


User = Annotated[Principal, Depends(principal)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key",
                                              description="Required; one per command.")]


def create_app(settings: Settings) -> FastAPI:
    """The backend as an ASGI app; the store and simulator live for the app's lifespan."""
    state: dict = {}

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        loop = asyncio.get_running_loop()
        db = Database(settings.db_path, retain=settings.retain)
        hub = Hub(settings.client_queue)
        hub.last_published = db.last_seq
        db.on_publish = lambda messages: loop.call_soon_threadsafe(hub.publish, messages)
        service = HallService(db, seed=settings.seed, access_ttl=settings.access_ttl,
                              refresh_ttl=settings.refresh_ttl)
        simulator = Simulator(service, seed=settings.seed, rate=settings.rate, speed=settings.speed,
                              units=settings.units)
        indicators = await asyncio.to_thread(IndicatorService, db, seed=settings.seed,
                                             interval=settings.indicator_interval)
        feed = IndicatorFeed(indicators) if settings.indicators else None
        demo = demo_cameras()
        cameras = CameraService(db, [*demo, *settings.external_cameras],
                                dropout_ids=[c.id for c in demo], seed=settings.seed)
        dropouts = CameraDropouts(cameras) if settings.camera_dropouts else None
        streams = StreamHub(cameras, served=[c.id for c in demo], linger=settings.stream_linger,
                            max_producers=settings.max_streams)
        streams.attach(loop)
        conferences = await asyncio.to_thread(ConferenceService, service)
        state.update(db=db, hub=hub, service=service, simulator=simulator,
                     indicators=indicators, cameras=cameras, streams=streams,
                     conferences=conferences,
                     rooms=RoomHub(conferences, ice_server_config(settings.ice_servers)),
                     live=LiveEndpoint(service, hub, heartbeat=settings.heartbeat))
        simulator.start()
        if feed is not None:
            feed.start()
        if dropouts is not None:
            dropouts.start()
        try:
            yield
        finally:
            await streams.close()
            if dropouts is not None:
                await dropouts.stop()
            if feed is not None:
                await feed.stop()
            await simulator.stop()
            indicators.close()
            db.on_publish = None
            await asyncio.to_thread(db.close)

    app = FastAPI(title="Hall Console reference backend", version="1",
                  description="The console ⇄ backend contract (API.md v1) of the Liangxi "
                              "district city-operations hall console.",
                  lifespan=lifespan, docs_url=None, redoc_url=None)
    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware)

    def service() -> HallService:
        return state["service"]

    def indicators() -> IndicatorService:
        return state["indicators"]

    # ---- health and auth

    @app.get(f"{API_PREFIX}/health", response_model=Health, tags=["meta"])
    async def health() -> dict:
        return {"status": "ok", "last_seq": state["db"].last_seq}

    @app.post(f"{API_PREFIX}/auth/login", response_model=TokenResponse, tags=["auth"],
              responses=_ERRORS)
    async def login(body: LoginRequest) -> Response:
        answer = await run_in_threadpool(service().login, body.username, body.password, body.seat)
        return json_response(200, answer)

    @app.post(f"{API_PREFIX}/auth/refresh", response_model=TokenResponse, tags=["auth"],
              responses=_ERRORS)
    async def refresh(body: RefreshRequest) -> Response:
        return json_response(200, await run_in_threadpool(service().refresh, body.refresh_token))

    # ---- reference data

    @app.get(f"{API_PREFIX}/catalog", response_model=Catalog, tags=["reference"],
             responses=_ERRORS)
    async def catalog(_user: User) -> Response:
        return json_response(200, service().catalog_json())

    # ---- events

    @app.get(f"{API_PREFIX}/events", response_model=EventPage, tags=["events"], responses=_ERRORS)
    async def list_events(
        _user: User,
        since_seq: Annotated[int | None, Query(ge=0)] = None,
        status: Annotated[str | None, Query(description="one status or several, comma-separated")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 500,
        cursor: Annotated[str | None, Query(max_length=200)] = None,
    ) -> Response:
        statuses = None
        if status:
            statuses = [s.strip() for s in status.split(",") if s.strip()]
            bad = [s for s in statuses if s not in STATUSES]
            if bad:
                raise ApiError(422, "invalid", "Unknown status.", {"field": "status", "values": bad})
        body = await run_in_threadpool(service().list_events, since_seq=since_seq,
                                       statuses=statuses, limit=limit, cursor=cursor)
        return Response(body, media_type="application/json")

    @app.get(f"{API_PREFIX}/events/{{event_id}}", response_model=Event, tags=["events"],
             responses=_ERRORS)
    async def get_event(event_id: str, _user: User) -> Response:
        return json_response(200, await run_in_threadpool(service().get_event, event_id))

    def command_response(result: CommandResult) -> Response:
        headers = {"Idempotent-Replayed": "true"} if result.replayed else None
        return json_response(result.status, result.body, headers)

    @app.post(f"{API_PREFIX}/events", status_code=201, response_model=Event, tags=["events"],
              responses=_ERRORS,
              openapi_extra={"requestBody": _body_schema("EventCreateRequest")})
    async def create_event(request: Request, user: User,
                           idempotency_key: IdempotencyKey = None) -> Response:
        raw = await request.body()
        result = await run_in_threadpool(service().create_event, user, raw, idempotency_key)
        return command_response(result)

    @app.post(f"{API_PREFIX}/events/{{event_id}}/actions", response_model=Event, tags=["events"],
              responses=_ERRORS, openapi_extra={"requestBody": _body_schema("ActionRequest")})
    async def act(event_id: str, request: Request, user: User,
                  idempotency_key: IdempotencyKey = None) -> Response:
        raw = await request.body()
        result = await run_in_threadpool(service().act, user, event_id, raw, idempotency_key)
        return command_response(result)

    # ---- audit

    @app.get(f"{API_PREFIX}/audit", response_model=list[AuditEntry], tags=["audit"],
             responses=_ERRORS)
    async def audit(_user: User, event_id: Annotated[str | None, Query(max_length=64)] = None,
                    actor: Annotated[str | None, Query(max_length=64)] = None,
                    since: datetime | None = None,
                    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000) -> Response:
        if since is not None and since.tzinfo is None:
            since = since.replace(tzinfo=CST)
        rows = await run_in_threadpool(service().audit, event_id=event_id, actor=actor,
                                       since=since, limit=limit)
        return json_response(200, rows)

    # ---- indicators (數字體征)

    @app.get(f"{API_PREFIX}/indicators", response_model=list[Indicator], tags=["indicators"],
             responses=_ERRORS)
    async def list_indicators(_user: User) -> Response:
        return json_response(200, await run_in_threadpool(indicators().list_indicators))

    @app.get(f"{API_PREFIX}/indicators/{{indicator_id}}/series", response_model=IndicatorSeries,
             tags=["indicators"], responses=_ERRORS)
    async def indicator_series(
        indicator_id: str, _user: User,
        start: Annotated[float | None, Query(
            alias="from", description="epoch seconds (default: `to` − 24 h; at most 7 days back)"
        )] = None,
        end: Annotated[float | None, Query(alias="to", description="epoch seconds (default: now)")
                       ] = None,
        step: Annotated[float, Query(description="seconds per point, at least 60; at most "
                                                 "20,000 points")] = 60.0,
    ) -> Response:
        series = await run_in_threadpool(indicators().series, indicator_id, start, end, step)
        return Response(orjson.dumps(series, option=orjson.OPT_SERIALIZE_NUMPY),
                        media_type="application/json")

    # ---- map (数字城市运行图)

    map_config_json = map_config(settings.tile_sources).model_dump(mode="json")
    map_layers_json = [layer.model_dump(mode="json") for layer in LAYERS]

    @app.get(f"{API_PREFIX}/map/config", response_model=MapConfig, tags=["map"],
             responses=_ERRORS)
    async def get_map_config(_user: User) -> Response:
        return json_response(200, map_config_json)

    @app.get(f"{API_PREFIX}/map/layers", response_model=list[MapLayer], tags=["map"],
             responses=_ERRORS)
    async def list_map_layers(_user: User) -> Response:
        return json_response(200, map_layers_json)

    @app.get(f"{API_PREFIX}/map/layers/{{layer_id}}", response_model=FeatureCollection,
             tags=["map"], responses={**_ERRORS, 304: {"description": "Not modified (ETag)"}})
    async def get_map_layer(layer_id: str, _user: User,
                            if_none_match: Annotated[str | None,
                                                     Header(alias="If-None-Match")] = None
                            ) -> Response:
        layer = await run_in_threadpool(layer_body, layer_id)
        if layer is None:
            raise ApiError(404, "not_found", "No such map layer.", {"layer_id": layer_id[:64]})
        headers = {"ETag": layer.etag, "Cache-Control": "private, max-age=3600"}
        if if_none_match is not None and layer.etag in {
                tag.strip() for tag in if_none_match.split(",")}:
            return Response(status_code=304, headers=headers)
        return Response(layer.body, media_type="application/geo+json", headers=headers)

    # ---- cameras (视频监控)

    @app.get(f"{API_PREFIX}/cameras", response_model=list[Camera], tags=["cameras"],
             responses=_ERRORS)
    async def list_cameras(request: Request, _user: User) -> Response:
        return json_response(200, state["cameras"].list_cameras(str(request.base_url)))

    _stream_answers = {**_ERRORS, 503: {"model": ErrorBody,
                                        "description": "The camera is offline"}}

    @app.get(f"{API_PREFIX}/cameras/{{camera_id}}/{{profile}}.mjpeg", tags=["cameras"],
             response_class=Response, responses={**_stream_answers, 200: {
                 "description": "Motion JPEG: one JPEG per part, until the camera goes offline",
                 "content": {"multipart/x-mixed-replace": {}}}})
    async def camera_mjpeg(camera_id: str, profile: str, _user: User) -> Response:
        return StreamResponse(state["streams"], *state["streams"].subscribe(
            camera_id, profile, "mjpeg"))

    @app.get(f"{API_PREFIX}/cameras/{{camera_id}}/{{profile}}.flv", tags=["cameras"],
             response_class=Response, responses={**_stream_answers, 200: {
                 "description": "H.264 in HTTP-FLV, a keyframe a second, until the camera "
                                "goes offline", "content": {"video/x-flv": {}}}})
    async def camera_flv(camera_id: str, profile: str, _user: User) -> Response:
        return StreamResponse(state["streams"], *state["streams"].subscribe(
            camera_id, profile, "flv"))

    # ---- conferences (視頻會商) and their room pages

    app.include_router(conference_routes(User, state))

    # ---- simulator control (admin)

    @app.post(f"{API_PREFIX}/sim/events", response_model=SimResult, tags=["simulator"],
              responses=_ERRORS)
    async def sim_events(body: SimEventsRequest, user: User) -> Response:
        service().require_role(user, {"admin"}, "control the simulator")
        result = await run_in_threadpool(service().generate, body.count, source=body.source,
                                         level=body.level, category=body.category,
                                         principal=user)
        return json_response(200, result)

    @app.post(f"{API_PREFIX}/sim/burst", response_model=SimResult, tags=["simulator"],
              responses=_ERRORS)
    async def sim_burst(body: SimBurstRequest, user: User) -> Response:
        service().require_role(user, {"admin"}, "control the simulator")
        return json_response(200, await state["simulator"].burst(body.kind, body.count, user))

    @app.post(f"{API_PREFIX}/sim/indicators", response_model=SimIndicatorResult,
              tags=["simulator"], responses=_ERRORS)
    async def sim_indicator(body: SimIndicatorRequest, user: User) -> Response:
        service().require_role(user, {"admin"}, "control the simulator")
        result = await run_in_threadpool(indicators().force, user, body.id, body.value,
                                         body.hold_s)
        return json_response(200, result)

    @app.post(f"{API_PREFIX}/sim/cameras/{{camera_id}}", response_model=SimCameraResult,
              tags=["simulator"], responses=_ERRORS)
    async def sim_camera(camera_id: str, body: SimCameraRequest, user: User) -> Response:
        service().require_role(user, {"admin"}, "control the simulator")
        result = await run_in_threadpool(state["cameras"].force, user, camera_id, body.status)
        return json_response(200, result)

    @app.get(f"{API_PREFIX}/sim/streams", tags=["simulator"], responses=_ERRORS)
    async def sim_streams(user: User) -> Response:
        """The camera streams being produced now, with their clients (admin)."""
        service().require_role(user, {"admin"}, "see the simulator's streams")
        return json_response(200, state["streams"].describe())

    # ---- live feed

    @app.websocket(f"{API_PREFIX}/live")
    async def live(websocket: WebSocket) -> None:
        await state["live"](websocket)

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description,
                             routes=app.routes)
        _, defs = models_json_schema(
            [(ActionRequest, "validation"), (EventCreateRequest, "validation"),
             (ConferenceCreateRequest, "validation")],
            ref_template="#/components/schemas/{model}")
        schema.setdefault("components", {}).setdefault("schemas", {}).update(defs["$defs"])
        schema["paths"][f"{API_PREFIX}/live"] = {"get": {
            "tags": ["live"], "summary": "Live feed (websocket upgrade)",
            "description": "Upgrade to a websocket with `Authorization: Bearer`. Text frames "
                           "`{seq, type, at, data}`; replays messages after `since_seq`, then live.",
            "parameters": [{"name": "since_seq", "in": "query", "schema": {"type": "integer"}}],
            "responses": {"101": {"description": "Switching protocols"},
                          "401": {"description": "Unauthorized",
                                  "content": {"application/json": {"schema": {
                                      "$ref": "#/components/schemas/ErrorBody"}}}}}}}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.state.backend = state
    return app


def _body_schema(name: str) -> dict:
    return {"required": True, "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{name}"}}}}
