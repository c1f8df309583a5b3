"""Where a conference is joined: the reference backend's rooms, or a hall's own system.

The **backend** provider (the default) opens the room page the backend names in the
conference's `join_url`, adding who joins (`name`, `unit`) and the page's language (`lang`).
An **external** provider is a URL template for a hall that runs its own conference system
(`--conference-url`), with these placeholders, each URL-encoded when filled in::

    {conference_id} {event_id} {title} {name} {unit_id} {lang}

for example ``https://meet.example.gov.cn/room/{conference_id}?display={name}``. The backend
still records the conference (who was invited, start and end); joins and leaves are then the
external system's to report.

Camera and microphone are granted to one origin only: the provider's (`allowed_origin`).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from console.schema import Conference

PLACEHOLDERS: frozenset[str] = frozenset(
    {"conference_id", "event_id", "title", "name", "unit_id", "lang"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str:
    """The web origin of `url` (`scheme://host[:port]`, lower case, default port left out),
    or "" when `url` is not an absolute http(s) URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host:
        return ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def is_loopback_origin(origin: str) -> bool:
    """Whether `origin` is on this machine (a secure context for the browser even over http)."""
    host = urlsplit(origin).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


@dataclass(frozen=True)
class ConferenceProvider:
    """How the console joins a conference; see the module's doc."""

    kind: Literal["backend", "external"] = "backend"
    url_template: str = ""

    @classmethod
    def external(cls, template: str) -> ConferenceProvider:
        """An external conference system. Raises ValueError naming what is wrong with
        `template` (not http(s), an unknown placeholder, a stray brace)."""
        template = template.strip()
        try:
            fields = {name for _, name, _, _ in string.Formatter().parse(template)
                      if name is not None}
        except ValueError as exc:
            raise ValueError(f"conference URL template {template!r}: {exc}") from None
        unknown = sorted(f for f in fields if f not in PLACEHOLDERS)
        if unknown:
            raise ValueError(
                f"conference URL template {template!r}: unknown placeholder "
                f"{{{unknown[0]}}} (known: {', '.join(sorted(PLACEHOLDERS))})")
        if not origin_of(template.replace("{", "").replace("}", "")):
            raise ValueError(f"conference URL template {template!r} is not an http(s) URL")
        return cls("external", template)

    def allowed_origin(self, api_base_url: str) -> str:
        """The one origin granted camera and microphone."""
        if self.kind == "external":
            return origin_of(self.url_template.split("{", 1)[0]) or origin_of(
                self.url_template.replace("{", "").replace("}", ""))
        return origin_of(api_base_url)

    def join_url(self, conference: Conference, *, name: str, unit_id: str | None = None,
                 lang: str = "zh_CN") -> str:
        """The address this seat opens to join `conference` as `name`."""
        if self.kind == "external":
            values = {"conference_id": conference.id, "event_id": conference.event_id,
                      "title": conference.title, "name": name, "unit_id": unit_id or "",
                      "lang": lang}
            return self.url_template.format_map(
                {key: quote(str(value), safe="") for key, value in values.items()})
        parts = urlsplit(conference.join_url)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                 if k not in ("name", "unit", "lang")]
        query.append(("name", name))
        if unit_id:
            query.append(("unit", unit_id))
        query.append(("lang", lang))
        return urlunsplit(parts._replace(query=urlencode(query)))


#: Chromium switches that grant every page the camera without asking the console: they would
#: bypass its permission policy, so the console drops them.
UNSAFE_MEDIA_FLAGS: frozenset[str] = frozenset({"--use-fake-ui-for-media-stream"})


def without_unsafe_media_flags(flags: str) -> tuple[str, list[str]]:
    """`flags` (QTWEBENGINE_CHROMIUM_FLAGS) without the switches of UNSAFE_MEDIA_FLAGS, and
    the ones dropped."""
    kept, dropped = [], []
    for flag in flags.split():
        (dropped if flag.split("=", 1)[0] in UNSAFE_MEDIA_FLAGS else kept).append(flag)
    return " ".join(kept), dropped


def secure_context_flags(origin: str) -> list[str]:
    """Chromium flags that let the conference page at `origin` use camera and microphone.

    Browsers offer them to secure contexts only: https, or http on this machine. A hall
    whose conference origin is plain http on its own network (`http://10.1.2.3:8000`) gets
    that one origin treated as secure; no other origin is."""
    if not origin.startswith("http://") or is_loopback_origin(origin):
        return []
    return [f"--unsafely-treat-insecure-origin-as-secure={origin}"]
