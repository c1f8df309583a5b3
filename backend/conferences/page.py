"""The room page: `room.html` filled in for one conference, its two assets, and the short
pages for a wrong link and an ended conference (Chinese first, English below)."""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path

import orjson

from ..catalog_data import unit_name

PAGE_DIR = Path(__file__).with_name("page")
ASSETS = {"room.js": "text/javascript; charset=utf-8", "room.css": "text/css; charset=utf-8"}
#: The page loads its own script and style only, and talks to its own origin only.
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "connect-src 'self'; media-src 'self' blob: mediastream:; "
                               "img-src 'self' data:; base-uri 'none'; form-action 'none'; "
                               "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


def load_assets() -> dict[str, bytes]:
    """The page's script and style (read at start-up, with the page's template)."""
    _template()
    return {name: (PAGE_DIR / name).read_bytes() for name in ASSETS}


@cache
def _template() -> str:
    """room.html, read once (the page is served from the event loop: no disk read there)."""
    return (PAGE_DIR / "room.html").read_text(encoding="utf-8")


def room_page(conference: dict, key: str, *, name: str, unit: str, lang: str) -> str:
    """The room page for `conference`; `name`, `unit` and `lang` come from the link."""
    lang = "en" if lang.lower().startswith("en") else "zh_CN"
    invited = [{"unit_id": p["unit_id"], "name": p["name"] or unit_name(p["unit_id"])}
               for p in conference["participants"] if p.get("invited") and p.get("unit_id")]
    config = {"conference": {"id": conference["id"], "title": conference["title"],
                             "event_id": conference["event_id"]},
              "key": key, "name": name[:64], "unit": unit[:64], "lang": lang,
              "invited": invited, "signal_path": f"/rooms/{conference['id']}/signal"}
    # `<` escaped so that no value can close the script element.
    data = orjson.dumps(config).decode().replace("<", "\\u003c")
    return (_template().replace("{{LANG}}", "en" if lang == "en" else "zh-CN")
            .replace("{{TITLE}}", html.escape(conference["title"]))
            .replace("{{CONFIG}}", data))


def message_page(title_zh: str, text_zh: str, title_en: str, text_en: str) -> str:
    """A short page for a link that leads nowhere."""
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{html.escape(title_zh)}</title><link rel="stylesheet" href="/rooms/static/room.css">'
        '</head><body class="notice"><main>'
        f'<h1>{html.escape(title_zh)}</h1><p>{html.escape(text_zh)}</p>'
        f'<h2 lang="en">{html.escape(title_en)}</h2><p lang="en">{html.escape(text_en)}</p>'
        '</main></body></html>')


NOT_FOUND = message_page("找不到会商", "链接无效或已失效，请向值班长索取新的会商链接。",
                         "Conference not found",
                         "The link is wrong or no longer valid. Ask the shift leader for a new one.")


def ended_page(conference: dict) -> str:
    title = conference["title"]
    return message_page("视频会商已结束", f"「{title}」（{conference['id']}）已经结束。",
                        "The conference has ended",
                        f"“{title}” ({conference['id']}) has ended.")
