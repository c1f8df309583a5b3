"""The HTTP and websocket routes of the conferences: the REST API under /api/v1/conferences
(bearer token) and the room page with its signalling under /rooms (the room key)."""

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, WebSocket
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from console.schema import API_PREFIX, Conference, ConferenceState, ErrorBody

from ..errors import ApiError, json_response
from ..service import CommandResult
from .page import ASSETS, HEADERS, NOT_FOUND, ended_page, load_assets, room_page
from .rooms import RoomHub
from .service import ROLES, ConferenceService

_ERRORS = {code: {"model": ErrorBody} for code in (401, 403, 404, 409, 413, 422)}
_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/ConferenceCreateRequest"}}}}}


def conference_routes(user, state: dict) -> APIRouter:
    """The routes; `user` is the app's authenticated-principal dependency type, `state` the
    app's state holding `conferences` (ConferenceService) and `rooms` (RoomHub)."""
    router = APIRouter()
    assets = load_assets()
    IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key",
                                                  description="Required; one per command.")]

    def service() -> ConferenceService:
        return state["conferences"]

    def rooms() -> RoomHub:
        return state["rooms"]

    def answer(result: CommandResult) -> Response:
        headers = {"Idempotent-Replayed": "true"} if result.replayed else None
        return json_response(result.status, result.body, headers)

    @router.post(f"{API_PREFIX}/conferences", status_code=201, response_model=Conference,
                 tags=["conferences"], responses=_ERRORS, openapi_extra=_BODY)
    async def create_conference(request: Request, principal: user,
                                idempotency_key: IdempotencyKey = None) -> Response:
        raw = await request.body()
        return answer(await run_in_threadpool(service().create, principal, raw, idempotency_key,
                                              str(request.base_url)))

    @router.get(f"{API_PREFIX}/conferences", response_model=list[Conference],
                tags=["conferences"], responses=_ERRORS)
    async def list_conferences(request: Request, _principal: user,
                               event_id: Annotated[str | None, Query(max_length=64)] = None,
                               status: ConferenceState | None = None) -> Response:
        found = await run_in_threadpool(service().list, event_id=event_id, status=status,
                                        base_url=str(request.base_url))
        return json_response(200, found)

    @router.get(f"{API_PREFIX}/conferences/{{conference_id}}", response_model=Conference,
                tags=["conferences"], responses=_ERRORS)
    async def get_conference(conference_id: str, request: Request,
                             _principal: user) -> Response:
        return json_response(200, await run_in_threadpool(service().get, conference_id,
                                                          str(request.base_url)))

    @router.post(f"{API_PREFIX}/conferences/{{conference_id}}/end", response_model=Conference,
                 tags=["conferences"], responses=_ERRORS)
    async def end_conference(conference_id: str, principal: user,
                             idempotency_key: IdempotencyKey = None) -> Response:
        result = await run_in_threadpool(service().end, principal, conference_id,
                                         idempotency_key)
        if not result.replayed:
            rooms().end(conference_id)
        return answer(result)

    @router.get(f"{API_PREFIX}/conferences/{{conference_id}}/room", tags=["conferences"],
                responses=_ERRORS)
    async def conference_room(conference_id: str, principal: user) -> Response:
        """The peers connected to the room and what each page reports receiving."""
        service().service.require_role(principal, ROLES, "see a conference room")
        await run_in_threadpool(service().get, conference_id)
        return json_response(200, rooms().describe(conference_id))

    @router.get("/rooms/static/{name}", include_in_schema=False)
    async def room_asset(name: str) -> Response:
        if name not in assets:
            raise ApiError(404, "not_found", "No such file.")
        return Response(assets[name], media_type=ASSETS[name],
                        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})

    @router.get("/rooms/{conference_id}", include_in_schema=False)
    async def room(conference_id: str, k: str = "", name: str = "", unit: str = "",
                   lang: str = "zh_CN") -> Response:
        found = await run_in_threadpool(service().room, conference_id)
        if found is None or not found.key_matches(k):
            return HTMLResponse(NOT_FOUND, status_code=404, headers=HEADERS)
        if found.conference["status"] == "ended":
            return HTMLResponse(ended_page(found.conference), status_code=410, headers=HEADERS)
        return HTMLResponse(room_page(found.conference, k, name=name, unit=unit, lang=lang),
                            headers=HEADERS)

    @router.websocket("/rooms/{conference_id}/signal")
    async def signal(websocket: WebSocket, conference_id: str) -> None:
        await rooms().serve(websocket, conference_id)

    return router
