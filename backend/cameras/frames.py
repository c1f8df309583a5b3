"""Synthetic pictures of a demo camera: a street scrolling by, a car driving across it, the
camera's name and the time drawn in (Pillow).

Cheap per frame: everything that does not move is drawn once per (camera, size) when a stream
starts: a street panorama twice the frame's width (the frame is a window onto it that slides
along, wrapping round), the car, and the name plate. A frame is one crop of the panorama and
three pastes (the car, the plate, the clock); the clock's picture is drawn once a second.
Colours, the buildings' outline and the car's speed come from the camera's id, so every
camera looks different, and nothing is random between runs.

The text is drawn in a CJK font found on the machine (fontconfig's choice for "Noto Sans CJK
SC", else any font file with CJK in its name under the usual folders); with none the plate
falls back to Pillow's own font and the camera's id (a Latin-only font has no glyphs for the
name). No font file is shipped with the project.
"""

from __future__ import annotations

import colorsys
import functools
import glob
import hashlib
import logging
import shutil
import subprocess
from datetime import datetime

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from console.schema import now_cst

log = logging.getLogger("backend.cameras")

WEEKDAYS = "一二三四五六日"
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "/System/Library/Fonts",
              "/Library/Fonts", "C:/Windows/Fonts")


@functools.lru_cache(maxsize=1)
def cjk_font_file() -> tuple[str, int] | None:
    """(path, face index) of a font with Simplified Chinese glyphs, or None."""
    if shutil.which("fc-match"):
        try:
            out = subprocess.run(["fc-match", "-f", "%{file}:%{index}", "Noto Sans CJK SC"],
                                 capture_output=True, text=True, timeout=5).stdout.strip()
            path, _, index = out.rpartition(":")
            if "cjk" in path.lower() or "cjk" in out.lower():
                return path, int(index or 0)
        except (OSError, ValueError, subprocess.SubprocessError):
            pass
    for folder in _FONT_DIRS:
        for pattern in ("**/*CJK*SC*.[ot]t[fc]", "**/*CJK*.[ot]t[fc]", "**/wqy*.tt[fc]",
                        "**/msyh*.tt[fc]"):
            found = sorted(glob.glob(f"{folder}/{pattern}", recursive=True))
            if found:
                # In Noto's .ttc collections the faces are JP, KR, SC, TC, HK.
                return found[0], 2 if found[0].endswith(".ttc") and "CJK" in found[0] else 0
    return None


@functools.lru_cache(maxsize=16)
def font(size: int) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, bool]:
    """A font of `size` pixels and whether it has CJK glyphs."""
    found = cjk_font_file()
    if found is not None:
        try:
            return ImageFont.truetype(found[0], size, index=found[1]), True
        except OSError:
            log.warning("cannot load the CJK font %s", found[0])
    else:
        log.warning("no CJK font on this machine: camera pictures show ids, not names")
    return ImageFont.load_default(size), False


def _palette(camera_id: str) -> tuple[int, list[tuple[int, int, int]]]:
    """A seed and a few colours of the camera's own."""
    digest = hashlib.sha256(camera_id.encode()).digest()
    hue = digest[0] / 255.0

    def rgb(h: float, s: float, v: float) -> tuple[int, int, int]:
        r, g, b = colorsys.hsv_to_rgb(h % 1.0, s, v)
        return int(r * 255), int(g * 255), int(b * 255)

    colours = [rgb(hue, 0.35, 0.85), rgb(hue + 0.5, 0.6, 0.9), rgb(hue + 0.2, 0.25, 0.55),
               rgb(hue + 0.7, 0.8, 0.95)]
    return int.from_bytes(digest[1:5], "big"), colours


class FrameMaker:
    """Frames of one camera at one size; `frame(t)` for `t` seconds since the stream began."""

    def __init__(self, camera_id: str, name: str, width: int, height: int):
        self.camera_id, self.width, self.height = camera_id, width, height
        seed, colours = _palette(camera_id)
        self.speed = width * (0.08 + (seed % 7) / 100.0)  # scroll: pixels a second
        self.car_speed = width * (0.18 + (seed % 5) / 40.0)
        self.panorama = self._street(seed, colours)
        self.car = self._car(colours[3])
        self.plate = self._plate(f"{name}  {camera_id}")
        self._car_y = (int(height * 0.84) - self.car.height) & ~1
        self.clock_size = max(14, height // 24)
        self._yuv: dict[str, tuple] = {}
        self._clock_key: tuple[int, int] | None = None
        self._clock: Image.Image | None = None

    def _street(self, seed: int, colours) -> Image.Image:
        w, h = self.width, self.height
        pano = Image.new("RGB", (2 * w, h))
        draw = ImageDraw.Draw(pano)
        horizon, road_top = int(h * 0.55), int(h * 0.62)
        sky, facade, dark = colours[0], colours[2], (42, 44, 48)
        for y in range(horizon):  # sky: a vertical gradient
            k = y / horizon
            draw.line([(0, y), (2 * w, y)], fill=tuple(int(c * (0.55 + 0.45 * k)) for c in sky))
        # Buildings: a row of blocks with lit windows, tiling with period w.
        x, n = 0, seed
        while x < w:
            n = (n * 1103515245 + 12345) & 0x7FFFFFFF
            bw = int(w * (0.06 + (n % 97) / 97 * 0.1))
            bh = int(horizon * (0.35 + (n >> 8) % 89 / 89 * 0.55))
            bw = min(bw, w - x)
            shade = 0.7 + (n >> 16) % 7 / 20
            fill = tuple(int(c * shade) for c in facade)
            for ox in (0, w):
                draw.rectangle([x + ox, horizon - bh, x + ox + bw - 2, road_top], fill=fill)
                step = max(6, w // 80)
                for wy in range(horizon - bh + step, horizon - step, step * 2):
                    for wx in range(x + ox + step // 2, x + ox + bw - step, step * 2):
                        lit = ((wx * 7 + wy * 13 + n) >> 3) % 3 == 0
                        draw.rectangle([wx, wy, wx + step - 2, wy + step - 2],
                                       fill=(250, 226, 140) if lit else (60, 66, 80))
            x += bw
        draw.rectangle([0, road_top, 2 * w, h], fill=dark)  # the road
        lane = int(h * 0.8)
        dash = max(20, w // 16)
        for x in range(0, 2 * w, dash * 2):  # lane markings, also period w (w % (2 dash) == 0)
            draw.rectangle([x, lane - 2, x + dash, lane + 2], fill=(235, 235, 235))
        draw.rectangle([0, road_top, 2 * w, road_top + max(2, h // 120)], fill=(200, 200, 190))
        return pano

    def _car(self, colour) -> Image.Image:
        cw, ch = max(40, self.width // 9) & ~1, max(16, self.height // 14) & ~1
        car = Image.new("RGB", (cw, ch), (42, 44, 48))
        draw = ImageDraw.Draw(car)
        draw.rectangle([0, ch // 3, cw - 1, ch - ch // 5], fill=colour)
        draw.rectangle([cw // 4, 0, cw * 3 // 4, ch // 3], fill=tuple(c // 2 for c in colour))
        r = ch // 5
        for cx in (cw // 5, cw * 4 // 5):
            draw.ellipse([cx - r, ch - 2 * r, cx + r, ch - 1], fill=(15, 15, 15))
        return car

    def _plate(self, text: str) -> Image.Image:
        size = max(14, self.height // 20)
        face, cjk = font(size)
        if not cjk:
            text = self.camera_id
        left, top, right, bottom = face.getbbox(text)
        pad = size // 3
        plate = Image.new("RGB", _even(right - left + 2 * pad, bottom - top + 2 * pad),
                          (16, 24, 40))
        ImageDraw.Draw(plate).text((pad - left, pad - top), text, font=face,
                                   fill=(255, 255, 255))
        return plate

    def clock(self, now: datetime) -> Image.Image:
        """The clock's picture for `now`, drawn once a second (and once a tenth for the tenths)."""
        key = (int(now.timestamp()), now.microsecond // 100_000)
        if key[0] != (self._clock_key or (None,))[0] or self._clock is None:
            face, cjk = font(self.clock_size)
            day = f" 星期{WEEKDAYS[now.weekday()]}" if cjk else ""
            text = now.strftime("%Y-%m-%d") + day + now.strftime(" %H:%M:%S")
            left, top, right, bottom = face.getbbox(text + ".0")
            pad = self.clock_size // 3
            image = Image.new("RGB", _even(right - left + 2 * pad, bottom - top + 2 * pad),
                              (16, 24, 40))
            ImageDraw.Draw(image).text((pad - left, pad - top), text, font=face,
                                       fill=(255, 255, 255))
            self._clock_base, self._clock_face = image, face
            self._clock_text_end = pad - left + face.getlength(text)
            self._clock_pad_top = pad - top
            self._clock_key = None
        if key != self._clock_key:
            image = self._clock_base.copy()
            # The tenths change every frame or so: a small patch of its own.
            ImageDraw.Draw(image).text((self._clock_text_end, self._clock_pad_top),
                                       f".{key[1]}", font=self._clock_face, fill=(255, 220, 90))
            self._clock, self._clock_key = image, key
        return self._clock

    def _layout(self, t: float) -> tuple[int, int, int]:
        """(scroll x, car x, margin) at `t`; even, so the 4:2:0 planes line up."""
        w = self.width
        x = int(t * self.speed) % w & ~1
        cx = (w - int(t * self.car_speed) % (w + self.car.width)) & ~1
        return x, cx, max(8, self.height // 45) & ~1

    def frame(self, t: float, now: datetime | None = None) -> Image.Image:
        """The picture `t` seconds into the stream, with `now` (default: the time now) on it."""
        w, h = self.width, self.height
        x, cx, margin = self._layout(t)
        image = self.panorama.crop((x, 0, x + w, h))
        image.paste(self.car, (cx, self._car_y))
        image.paste(self.plate, (margin, margin))
        clock = self.clock(now or now_cst())
        image.paste(clock, (w - clock.width - margin, margin))
        return image

    def yuv_frame(self, t: float, now: datetime | None = None) -> np.ndarray:
        """The same picture as `frame`, as one yuv420p array (`h * 3 / 2` rows of `w`: Y, then
        U and V), made from planes converted once (BT.601, limited range), for the H.264
        encoder: no colour conversion per frame."""
        w, h = self.width, self.height
        if not self._yuv:
            self._yuv["pano"] = _planes(self.panorama)
            self._yuv["car"] = _planes(self.car)
            self._yuv["plate"] = _planes(self.plate)
        x, cx, margin = self._layout(t)
        out = np.empty((h * 3 // 2, w), np.uint8)
        planes = (out[:h], out[h:h + h // 4].reshape(h // 2, w // 2),
                  out[h + h // 4:].reshape(h // 2, w // 2))
        for n, (dst, src) in enumerate(zip(planes, self._yuv["pano"], strict=True)):
            s = 1 if n == 0 else 2
            dst[:] = src[:, x // s:x // s + w // s]
        clock = self.clock(now or now_cst())
        if self._yuv.get("clock_key") is not self._clock:
            self._yuv["clock"], self._yuv["clock_key"] = _planes(clock), self._clock
        _paste(planes, self._yuv["car"], cx, self._car_y)
        _paste(planes, self._yuv["plate"], margin, margin)
        _paste(planes, self._yuv["clock"], w - clock.width - margin, margin)
        return out


def _even(w: int, h: int) -> tuple[int, int]:
    return w + (w & 1), h + (h & 1)


def _planes(image: Image.Image) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Y, U and V planes of an RGB picture of even size."""
    frame = av.VideoFrame.from_image(image).reformat(format="yuv420p")
    return tuple(np.frombuffer(plane, np.uint8).reshape(plane.height, plane.line_size)
                 [:, :plane.width].copy() for plane in frame.planes)


def _paste(dst: tuple, src: tuple, x: int, y: int) -> None:
    """`src` planes onto `dst` planes at (x, y) (even), clipped to the picture."""
    for n in range(3):
        s = 1 if n == 0 else 2
        d, p = dst[n], src[n]
        x0, y0 = x // s, y // s
        left, top = max(0, -x0), max(0, -y0)
        right = min(p.shape[1], d.shape[1] - x0)
        bottom = min(p.shape[0], d.shape[0] - y0)
        if right > left and bottom > top:
            d[y0 + top:y0 + bottom, x0 + left:x0 + right] = p[top:bottom, left:right]
