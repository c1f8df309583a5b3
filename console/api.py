"""The REST client of the console: one `requests.Session`, typed answers, honest errors.

Every call has a connect and a read timeout. Idempotent GETs are retried with jittered
backoff on network failures and 502/503/504; POSTs never are (a command is replayed only
with its own Idempotency-Key, by its owner). A `401 unauthorized` asks the refresh handler
once, then repeats the call once. Answers are validated with the models of
`console/schema.py`; anything else becomes `ApiError(code="bad_response")`.
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit, urlunsplit

import orjson
import requests
from pydantic import BaseModel, TypeAdapter, ValidationError
from requests.adapters import HTTPAdapter

from console.events import Signal
from console.live import LiveUrl
from console.schema import (
    API_PREFIX,
    ActionRequest,
    AuditEntry,
    Camera,
    Catalog,
    Conference,
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

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

#: GET answers worth another try: the server or a proxy in front of it is briefly unwell.
RETRY_STATUSES = frozenset({502, 503, 504})
MAX_TRIES = 3
#: Safety net against a server that hands out the same cursor forever.
MAX_PAGES = 10_000

_STATUS_CODES = {
    400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    409: "conflict", 413: "payload_too_large", 422: "invalid", 429: "rate_limited",
}

_AUDIT_LIST = TypeAdapter(list[AuditEntry])
_MAP_LAYERS = TypeAdapter(list[MapLayer])


class ApiError(Exception):
    """A refused or failed call.

    `status` is the HTTP status (0 when no answer came), `code` the API error code
    (`"network"`, `"timeout"` or `"bad_response"` for client-side failures), `message` a
    human text and `details` the error's details object.
    """

    def __init__(self, status: int, code: str, message: str,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.status = status
        self.code = code
        self.message = message
        self.details: dict[str, Any] = details or {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status}, code={self.code!r})"


class NetworkError(ApiError):
    """No answer: the connection failed, broke, or timed out (`status` 0)."""


class ApiClient:
    """Typed access to the backend's REST API (API.md, version 1).

    Thread-safe: the REST pool calls it from several threads.
    """

    def __init__(self, base_url: str, *, connect_timeout: float = 3.05,
                 read_timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._timeout = (connect_timeout, read_timeout)
        self._session = requests.Session()
        adapter = HTTPAdapter(pool_connections=2, pool_maxsize=8, max_retries=0)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers.update({"Accept": "application/json",
                                      "User-Agent": "hall-console/0.1"})
        self._token_provider: Callable[[], str | None] = lambda: None
        self._refresh_handler: Callable[[], bool] | None = None
        self._refresh_lock = threading.Lock()
        self._closed = False
        #: `sig_reached(bool)` after every request, on the caller's thread: True when the
        #: backend answered (any HTTP status), False when the request failed on the network.
        self.sig_reached = Signal("reached")

    # ---- Public API: wiring

    def set_token_provider(self, fn: Callable[[], str | None]) -> None:
        """`fn()` gives the current access token (or None) for each call."""
        self._token_provider = fn

    def auth_headers(self) -> dict[str, str]:
        """The Authorization header of the current access token ({} without one): for the
        calls made outside this client, e.g. the video streams (any thread)."""
        token = self._token_provider()
        return {"Authorization": f"Bearer {token}"} if token else {}

    def set_refresh_handler(self, fn: Callable[[], bool] | None) -> None:
        """`fn()` renews the access token after a 401; True when it did."""
        self._refresh_handler = fn

    @property
    def live_endpoint(self) -> LiveUrl:
        """The live feed's websocket address (`live_endpoint(seq)` resumes after `seq`)."""
        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        path = f"{parts.path.rstrip('/')}{API_PREFIX}/live"
        return LiveUrl(urlunsplit((scheme, parts.netloc, path, "", "")))

    def live_url(self, since_seq: int) -> str:
        """The live feed's websocket URL, resuming after `since_seq`."""
        return self.live_endpoint(since_seq)

    def reauthenticate(self, failed_token: str | None) -> bool:
        """Renew the access token after `failed_token` was refused; True if there is a new one.

        Concurrent callers refused with the same token cause one refresh only: whoever comes
        second sees the token has already changed and just uses the new one.
        """
        handler = self._refresh_handler
        if handler is None:
            return False
        with self._refresh_lock:
            current = self._token_provider()
            if current is not None and current != failed_token:
                return True
            try:
                return bool(handler())
            except Exception:
                log.exception("the refresh handler failed")
                return False

    def close(self) -> None:
        """Close the HTTP session's connections."""
        self._closed = True
        self._session.close()

    # ---- Public API: calls

    def health(self) -> dict[str, Any]:
        data = self._call("GET", "/health", auth=False)
        if not isinstance(data, dict):
            raise self._bad_response("GET", "/health", "not an object")
        return data

    def login(self, username: str, password: str, seat: str) -> TokenResponse:
        body = LoginRequest(username=username, password=password, seat=seat)
        data = self._call("POST", "/auth/login", json=body.model_dump(), auth=False)
        return self._parse(TokenResponse, data, "POST", "/auth/login")

    def refresh(self, refresh_token: str) -> TokenResponse:
        body = RefreshRequest(refresh_token=refresh_token)
        data = self._call("POST", "/auth/refresh", json=body.model_dump(), auth=False)
        return self._parse(TokenResponse, data, "POST", "/auth/refresh")

    def catalog(self) -> Catalog:
        return self._parse(Catalog, self._call("GET", "/catalog"), "GET", "/catalog")

    def list_events(self, *, since_seq: int | None = None, status: str | None = None,
                    limit: int = 500, cursor: str | None = None) -> EventPage:
        params: dict[str, Any] = {"limit": limit}
        if since_seq is not None:
            params["since_seq"] = since_seq
        if status is not None:
            params["status"] = status
        if cursor is not None:
            params["cursor"] = cursor
        data = self._call("GET", "/events", params=params)
        return self._parse(EventPage, data, "GET", "/events")

    def all_events(self, since_seq: int | None = None) -> tuple[list[Event], int]:
        """Every event (changed after `since_seq`), following cursors to the last page.

        The seq returned is the first page's `last_seq`: anything that changes while the
        later pages load has a higher seq, so resuming the live feed from it misses nothing
        (the store keeps whichever copy of an event has the higher seq).
        """
        events: list[Event] = []
        page = self.list_events(since_seq=since_seq)
        last_seq = page.last_seq
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            events.extend(page.items)
            cursor = page.next_cursor
            if not cursor:
                return events, last_seq
            if cursor in seen:
                raise self._bad_response("GET", "/events", "the server repeated a cursor")
            seen.add(cursor)
            page = self.list_events(since_seq=since_seq, cursor=cursor)
        raise self._bad_response("GET", "/events", f"more than {MAX_PAGES} pages")

    def get_event(self, event_id: str) -> Event:
        path = f"/events/{_segment(event_id)}"
        return self._parse(Event, self._call("GET", path), "GET", path)

    def act(self, event_id: str, request: ActionRequest, idempotency_key: str) -> Event:
        path = f"/events/{_segment(event_id)}/actions"
        data = self._call("POST", path, json=request.model_dump(mode="json", exclude_none=True),
                          headers={"Idempotency-Key": idempotency_key})
        return self._parse(Event, data, "POST", path)

    def create_event(self, request: EventCreateRequest, idempotency_key: str) -> Event:
        data = self._call("POST", "/events", json=request.model_dump(mode="json", exclude_none=True),
                          headers={"Idempotency-Key": idempotency_key})
        return self._parse(Event, data, "POST", "/events")

    def audit(self, *, event_id: str | None = None, actor: str | None = None,
              since: str | None = None) -> list[AuditEntry]:
        params = {k: v for k, v in (("event_id", event_id), ("actor", actor), ("since", since))
                  if v is not None}
        data = self._call("GET", "/audit", params=params)
        try:
            return _AUDIT_LIST.validate_python(data)
        except ValidationError as exc:
            raise self._bad_response("GET", "/audit", _summary(exc)) from None

    def indicators(self) -> list[Indicator]:
        """Every indicator with its latest value and state (`GET /indicators`). A malformed
        entry is logged and left out: one bad sensor must not empty the dashboard."""
        data = self._call("GET", "/indicators")
        if not isinstance(data, list):
            raise self._bad_response("GET", "/indicators", "not a list")
        indicators: list[Indicator] = []
        for n, item in enumerate(data):
            try:
                indicators.append(Indicator.model_validate(item))
            except ValidationError as exc:
                log.warning("GET /indicators: entry %d skipped: %s", n, _summary(exc))
        return indicators

    def indicator_series(self, indicator_id: str, start: float, end: float,
                         step: int = 60) -> IndicatorSeries:
        """One indicator's values from `start` to `end` (epoch seconds), one per `step`
        seconds (`GET /indicators/{id}/series`)."""
        path = f"/indicators/{_segment(indicator_id)}/series"
        # Whole seconds, widened to cover the span asked for.
        params = {"from": math.floor(start), "to": math.ceil(end), "step": int(step)}
        series = self._parse(IndicatorSeries, self._call("GET", path, params=params), "GET", path)
        if len(series.t) != len(series.v):
            raise self._bad_response("GET", path, f"{len(series.t)} times for "
                                                  f"{len(series.v)} values")
        return series

    # ---- Internals

    def map_config(self) -> MapConfig:
        """Where the map opens and its tile sources (`GET /map/config`)."""
        return self._parse(MapConfig, self._call("GET", "/map/config"), "GET", "/map/config")

    def map_layers(self) -> list[MapLayer]:
        """The map's layers, without their features (`GET /map/layers`)."""
        data = self._call("GET", "/map/layers")
        try:
            return _MAP_LAYERS.validate_python(data)
        except ValidationError as exc:
            raise self._bad_response("GET", "/map/layers", _summary(exc)) from None

    def map_layer(self, layer_id: str) -> dict[str, Any]:
        """One layer's GeoJSON FeatureCollection (`GET /map/layers/{id}`), as decoded JSON."""
        path = f"/map/layers/{_segment(layer_id)}"
        data = self._call("GET", path)
        if not (isinstance(data, dict) and data.get("type") == "FeatureCollection"
                and isinstance(data.get("features"), list)):
            raise self._bad_response("GET", path, "not a GeoJSON FeatureCollection")
        return data

    def cameras(self) -> list[Camera]:
        """Every camera with its status and streams (`GET /cameras`). A stream URL given as a
        path is made absolute against the API's base URL (`/api/v1/…` → `{base_url}/api/v1/…`,
        as the API's own paths are); a malformed entry is logged and left out (one bad camera
        must not empty the wall)."""
        data = self._call("GET", "/cameras")
        if not isinstance(data, list):
            raise self._bad_response("GET", "/cameras", "not a list")
        cameras: list[Camera] = []
        for n, item in enumerate(data):
            try:
                camera = Camera.model_validate(item)
            except ValidationError as exc:
                log.warning("GET /cameras: entry %d skipped: %s", n, _summary(exc))
                continue
            for stream in camera.streams:
                if stream.url.startswith("/") and not stream.url.startswith("//"):
                    stream.url = self.base_url + stream.url
                elif not urlsplit(stream.url).scheme:
                    stream.url = urljoin(self.base_url + "/", stream.url)
            cameras.append(camera)
        return cameras

    # ---- Conferences (視頻會商)

    def create_conference(self, request: ConferenceCreateRequest,
                          idempotency_key: str) -> Conference:
        data = self._call("POST", "/conferences", json=request.model_dump(mode="json"),
                          headers={"Idempotency-Key": idempotency_key})
        return self._conference(data, "POST", "/conferences")

    def end_conference(self, conference_id: str, idempotency_key: str) -> Conference:
        path = f"/conferences/{_segment(conference_id)}/end"
        data = self._call("POST", path, json={}, headers={"Idempotency-Key": idempotency_key})
        return self._conference(data, "POST", path)

    def conferences(self, *, event_id: str | None = None,
                    status: str | None = None) -> list[Conference]:
        """`GET /conferences` (filtered); a malformed entry is logged and left out."""
        params = {k: v for k, v in (("event_id", event_id), ("status", status)) if v}
        data = self._call("GET", "/conferences", params=params)
        if not isinstance(data, list):
            raise self._bad_response("GET", "/conferences", "not a list")
        found: list[Conference] = []
        for n, item in enumerate(data):
            try:
                found.append(self._conference(item, "GET", "/conferences"))
            except ApiError as exc:
                log.warning("GET /conferences: entry %d skipped: %s", n, exc)
        return found

    def _conference(self, data: Any, method: str, path: str) -> Conference:
        conference = self._parse(Conference, data, method, path)
        if not urlsplit(conference.join_url).scheme:  # a path: on the API's own server
            conference.join_url = urljoin(self.base_url + "/", conference.join_url)
        return conference

    def _call(self, method: str, path: str, *, params: dict[str, Any] | None = None,
              json: Any = None, headers: dict[str, str] | None = None, auth: bool = True) -> Any:
        """Send one call (with the retries it deserves) and return the decoded JSON body."""
        refreshed = False
        while True:
            token = self._token_provider() if auth else None
            response = self._send_with_retries(method, path, params, json, headers, token)
            if response.status_code < 400:
                return self._decode(method, path, response)
            error = self._error_from(method, path, response)
            if (auth and not refreshed and response.status_code == 401
                    and error.code == "unauthorized" and self.reauthenticate(token)):
                refreshed = True
                continue
            raise error

    def _send_with_retries(self, method: str, path: str, params: dict[str, Any] | None,
                           json: Any, headers: dict[str, str] | None,
                           token: str | None) -> requests.Response:
        tries = MAX_TRIES if method == "GET" else 1
        for attempt in range(1, tries + 1):
            try:
                response = self._send(method, path, params, json, headers, token)
            except NetworkError as exc:
                if attempt >= tries:
                    raise
                log.info("%s %s: %s; try %d of %d", method, path, exc.code, attempt + 1, tries)
            else:
                if response.status_code not in RETRY_STATUSES or attempt >= tries:
                    return response
                log.info("%s %s: HTTP %d; try %d of %d", method, path, response.status_code,
                         attempt + 1, tries)
                response.close()
            time.sleep(_backoff(attempt))
        raise AssertionError("unreachable")

    def _send(self, method: str, path: str, params: dict[str, Any] | None, json: Any,
              headers: dict[str, str] | None, token: str | None) -> requests.Response:
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        body = None
        if json is not None:
            body = orjson.dumps(json)
            all_headers["Content-Type"] = "application/json"
        url = f"{self.base_url}{API_PREFIX}{path}"
        try:
            response = self._session.request(method, url, params=params, data=body,
                                             headers=all_headers, timeout=self._timeout,
                                             allow_redirects=False)
        except requests.Timeout:
            self.sig_reached.emit(False)
            raise NetworkError(0, "timeout", f"{method} {path} timed out") from None
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError) as exc:
            self.sig_reached.emit(False)
            raise NetworkError(0, "network", f"{method} {path} failed: the connection broke "
                                              f"({type(exc).__name__})") from None
        if _cut_short(response):
            self.sig_reached.emit(False)
            raise NetworkError(0, "network", f"{method} {path} failed: the answer was cut short")
        self.sig_reached.emit(True)
        return response

    def _decode(self, method: str, path: str, response: requests.Response) -> Any:
        if response.status_code == 204 or not response.content:
            return None
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError:
            raise self._bad_response(method, path,
                                     f"HTTP {response.status_code} body is not JSON") from None

    def _error_from(self, method: str, path: str, response: requests.Response) -> ApiError:
        status = response.status_code
        try:
            info = ErrorBody.model_validate(orjson.loads(response.content)).error
        except (orjson.JSONDecodeError, ValidationError):
            code = _STATUS_CODES.get(status, "internal" if status >= 500 else "http_error")
            log.warning("%s %s: HTTP %d without an error body", method, path, status)
            return ApiError(status, code, f"HTTP {status}")
        log.info("%s %s: HTTP %d %s", method, path, status, info.code)
        return ApiError(status, info.code, info.message, info.details)

    def _parse(self, model: type[M], data: Any, method: str, path: str) -> M:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise self._bad_response(method, path, _summary(exc)) from None

    @staticmethod
    def _bad_response(method: str, path: str, why: str) -> ApiError:
        log.warning("%s %s: malformed answer: %s", method, path, why)
        return ApiError(0, "bad_response", f"The server's answer is malformed ({why}).")


def _cut_short(response: requests.Response) -> bool:
    """True for an answer that ended before its length: no body and neither Content-Length
    nor chunked transfer (http.client then reads "until close", so a stream cut in the
    headers looks like a whole answer with no body), or fewer bytes than Content-Length."""
    if response.status_code in (204, 304) or response.request.method == "HEAD":
        return False
    headers = response.headers
    if "chunked" in headers.get("Transfer-Encoding", "").lower():
        return False
    length = headers.get("Content-Length")
    if length is None:  # a close-delimited body is legal; an empty one here is a cut
        return not response.content
    encoded = headers.get("Content-Encoding", "identity").lower() not in ("", "identity")
    try:
        return not encoded and len(response.content) < int(length)
    except ValueError:
        return True


def _segment(value: str) -> str:
    """`value` safe as one URL path segment."""
    return requests.utils.quote(value, safe="")


def _backoff(attempt: int) -> float:
    """Jittered exponential delay before try `attempt + 1`: about 0.25 s, 0.5 s, …"""
    return min(2.0, 0.25 * 2 ** (attempt - 1)) * random.uniform(0.5, 1.5)


def _summary(exc: ValidationError) -> str:
    """Where validation failed, without the offending values (they may be personal data)."""
    errors = exc.errors(include_input=False, include_url=False, include_context=False)
    parts = [f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['type']}" for e in errors[:3]]
    more = f" (+{len(errors) - 3} more)" if len(errors) > 3 else ""
    return "; ".join(parts) + more
