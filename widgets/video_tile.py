"""A video tile: the newest picture of one stream, letterboxed, with an overlay telling the
camera's name, the stream's state (connecting / live / stalled / lost), the age of the last
picture and its frame rate; an empty tile invites a drop.

The tile knows nothing of the app. It plays a *source*: any object with

- `take_frame()` → the newest picture not taken yet, or None; a picture has `data` (a
  buffer of `height` rows of `stride` bytes, B G R A / QImage.Format_RGB32), `width`,
  `height`, `stride` (e.g. console.video_stream.VideoFrame);
- `state` → "connecting", "live", "stalled", "lost" or "stopped";
- `stats()` → an object with `fps` and `last_frame_age` (seconds or None);
- optionally `set_output_size(width, height)`: told the tile's size in device pixels, so
  the source decodes straight to it.

How pictures arrive: the tile polls its source at the display rate (30 Hz) while it is
visible, from one timer shared by every tile of the GUI thread (`_Poller`: a 36-tile wall
costs 30 timer events a second, not 1,080). Polling is one lock-free check per tick (a few µs); it coalesces by
nature (a 60 fps stream still costs at most 30 paints a second, older pictures are dropped
by the source), it needs no Qt object in the reader thread, and the tile needs a timer
anyway to age the "2 s ago" text and to see a stream going stalled when nothing arrives.
A queued signal per picture would post one event per decoded frame (more than the paints
for fast streams) and still need that timer.

Cheap per tick and per paint (36 tiles × 15 fps on 2 cores, P7 in TARGETS.md): the
translated words are looked up once (again on a language change), the status line is
rebuilt only when what it says changes (state, whole seconds of age, whole fps), the
overlay is drawn into two small cached images only when its text or the tile's size
changes, and a picture the reader already scaled to the tile's device pixels is painted
1:1 (no scaling). `frames_painted()` counts the distinct pictures painted.

Drag and drop are the wall's to wire: `sig_double_clicked()`; a drop of
"application/x-hall-camera-id" emits `sig_camera_dropped(camera_id)`; dragging a tile that
has a `tile_index` starts a drag of "application/x-hall-tile-index", and such a drop on a
tile emits `sig_tile_dropped(index)` (for swapping).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QMimeData,
    QObject,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDrag,
    QFont,
    QFontMetrics,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
)
from PySide6.QtWidgets import QApplication, QWidget

CAMERA_MIME = "application/x-hall-camera-id"
TILE_MIME = "application/x-hall-tile-index"

#: The colour of each state's word and dot.
STATE_COLOURS = {
    "connecting": "#d29922",
    "live": "#3fb950",
    "stalled": "#db6d28",
    "lost": "#f85149",
    "stopped": "#8b949e",
}

POLL_MS = 33  # 30 Hz


class _Poller(QObject):
    """One timer polling every visible tile that plays something (GUI thread)."""

    _instance: _Poller | None = None

    def __init__(self) -> None:
        super().__init__(QCoreApplication.instance())
        self._tiles: list[VideoTile] = []
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)

    @classmethod
    def get(cls) -> _Poller:
        poller = cls._instance
        try:
            stale = poller is None or poller.parent() is not QCoreApplication.instance()
        except RuntimeError:  # its application is gone
            stale = True
        if stale:
            poller = cls._instance = cls()
        return poller

    def add(self, tile: VideoTile) -> None:
        if tile not in self._tiles:
            self._tiles.append(tile)
            if not self._timer.isActive():
                self._timer.start()

    def remove(self, tile: VideoTile) -> None:
        try:
            self._tiles.remove(tile)
        except ValueError:
            pass
        if not self._tiles:
            self._timer.stop()

    def has(self, tile: VideoTile) -> bool:
        return tile in self._tiles

    def _tick(self) -> None:
        for tile in list(self._tiles):
            try:
                tile.poll()
            except RuntimeError:  # the tile's C++ side is gone
                self.remove(tile)


class VideoTile(QWidget):
    """One tile of a video wall; see the module's doc."""

    sig_double_clicked = Signal()
    sig_camera_dropped = Signal(str)
    sig_tile_dropped = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setMinimumSize(160, 90)
        self._source = None
        self._name = ""
        self._tile_index: int | None = None
        self._frame = None   # keeps the buffer of _image alive
        self._image: QImage | None = None
        self._painted_frame = None  # the frame the last paint showed
        self._frames_painted = 0
        self._shown_state = ""
        self._shown_text = ""
        self._press: QPoint | None = None
        self._drop_hover = False
        self._polling = False
        self._words: dict[str, str] | None = None  # state → translated word
        self._status_key: tuple | None = None
        self._overlay_key: tuple | None = None
        self._overlay: tuple = ()  # (top left, image) of each cached band

    # -- setup

    def set_source(self, source, name: str = "") -> None:
        """Play `source` (see the module's doc), or nothing with None; `name` is shown."""
        self._source = source
        self._name = name
        self._frame = None
        self._image = None
        self._shown_state = ""
        self._shown_text = ""
        self._status_key = None
        if source is not None:
            self._tell_size()
        self._update_timer()
        self.update()

    def source(self):
        return self._source

    def set_camera_name(self, name: str) -> None:
        self._name = name
        self.update()

    def camera_name(self) -> str:
        return self._name

    def set_tile_index(self, index: int | None) -> None:
        """The tile's place on its wall (what a drag of the tile carries)."""
        self._tile_index = index

    def tile_index(self) -> int | None:
        return self._tile_index

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(480, 270)

    # -- the poll

    def poll(self) -> None:
        """Take the newest picture and repaint when something shown has changed."""
        source = self._source
        if source is None:
            return
        changed = False
        frame = source.take_frame()
        if frame is not None:
            image = QImage(frame.data, frame.width, frame.height, frame.stride,
                           QImage.Format.Format_RGB32)
            self._frame, self._image = frame, image
            changed = True
        state = source.state
        text = self._status_text(state, source.stats())
        if state != self._shown_state or text != self._shown_text:
            self._shown_state, self._shown_text = state, text
            changed = True
        if changed:
            self.update()

    def is_polling(self) -> bool:
        """Whether the tile is polled (it plays something and is visible)."""
        return self._polling

    def _update_timer(self) -> None:
        if self._source is not None and self.isVisible():
            if not self._polling:
                self._polling = True
                _Poller.get().add(self)
                self.poll()
        elif self._polling:
            self._polling = False
            _Poller.get().remove(self)

    def _tell_size(self) -> None:
        setter = getattr(self._source, "set_output_size", None)
        if setter is not None:
            ratio = self.devicePixelRatioF()
            setter(max(1, round(self.width() * ratio)), max(1, round(self.height() * ratio)))

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self._update_timer()

    def hideEvent(self, event) -> None:  # noqa: N802
        super().hideEvent(event)
        self._update_timer()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._source is not None:
            self._tell_size()

    # -- texts

    def state_text(self, state: str) -> str:
        """The state's word, translated (looked up once; again on a language change)."""
        words = self._words
        if words is None:
            words = self._words = {
                "connecting": self.tr("connecting"),
                "live": self.tr("live"),
                "stalled": self.tr("stalled"),
                "lost": self.tr("lost"),
                "stopped": self.tr("stopped"),
            }
        return words.get(state, state)

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self._words = None
            self._status_key = None
            self._overlay_key = None
            if self._source is not None:
                self._shown_text = ""
                self.poll()
            self.update()
        super().changeEvent(event)

    def age_text(self, age: float | None) -> str:
        """"2 s ago" and the like; "no picture yet" without one."""
        if age is None:
            return self.tr("no picture yet")
        if age < 1.0:
            return self.tr("now")
        if age < 60:
            return self.tr("{0} s ago").format(int(age))
        if age < 3600:
            return self.tr("{0} min ago").format(int(age // 60))
        return self.tr("{0} h ago").format(int(age // 3600))

    def _status_text(self, state: str, stats) -> str:
        fps = getattr(stats, "fps", 0.0) or 0.0
        if state not in ("live", "stalled"):
            fps = 0.0  # a lost stream's last rate is not its rate
        age = getattr(stats, "last_frame_age", None)
        fps_text = f"{fps:.0f}"
        # what the line says: only when that changes are the texts translated again
        if age is None:
            bucket = None
        elif age < 1.0:
            bucket = -1
        elif age < 60:
            bucket = int(age)
        elif age < 3600:
            bucket = 60 * int(age // 60)
        else:
            bucket = 3600 * int(age // 3600)
        key = (state, bucket, fps_text)
        if key == self._status_key:
            return self._shown_text
        self._status_key = key
        return "  ·  ".join([self.state_text(state), self.age_text(age),
                             self.tr("{0} fps").format(fps_text)])

    def status_text(self) -> str:
        """The overlay's status line as last shown (state · age · fps)."""
        return self._shown_text

    def shown_state(self) -> str:
        return self._shown_state

    def frames_painted(self) -> int:
        """How many distinct pictures the tile has painted (repaints of the same one and
        polls that found nothing new are not counted)."""
        return self._frames_painted

    # -- painting

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        rect = self.rect()
        painter.fillRect(rect, QColor("#0d1117"))
        if self._source is None:
            self._paint_placeholder(painter, rect)
        else:
            if self._image is not None:
                self._paint_picture(painter, rect)
            self._paint_cached_overlay(painter, rect)
        if self._drop_hover:
            painter.setPen(QPen(QColor("#58a6ff"), 3))
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        painter.end()

    def _paint_picture(self, painter: QPainter, rect: QRect) -> None:
        image = self._image
        ratio = self.devicePixelRatioF()
        iw, ih = image.width(), image.height()
        # the reader scaled to fit the tile's device pixels: a 1:1 blit, centred
        one_to_one = (iw <= rect.width() * ratio + 1 and ih <= rect.height() * ratio + 1
                      and (abs(iw - rect.width() * ratio) <= 1
                           or abs(ih - rect.height() * ratio) <= 1))
        if one_to_one:
            w, h = round(iw / ratio), round(ih / ratio)
            target = QRect(rect.left() + (rect.width() - w) // 2,
                           rect.top() + (rect.height() - h) // 2, w, h)
            if ratio != 1.0:
                image.setDevicePixelRatio(ratio)
            painter.drawImage(target.topLeft(), image)
        else:
            size = QSize(iw, ih).scaled(rect.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(QPoint(0, 0), size)
            target.moveCenter(rect.center())
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawImage(target, image)
        frame = self._frame
        if frame is not None and frame is not self._painted_frame:
            self._painted_frame = frame
            self._frames_painted += 1
        if self._shown_state in ("lost", "stalled", "stopped"):
            painter.fillRect(target, QColor(0, 0, 0, 110))  # an old picture: dimmed

    def _overlay_font(self, rect: QRect) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(11, min(18, rect.height() // 16)))
        return font

    def _paint_cached_overlay(self, painter: QPainter, rect: QRect) -> None:
        """The overlay's two bands, drawn again only when what they show changes."""
        ratio = self.devicePixelRatioF()
        key = (self._name, self._shown_state, self._shown_text, rect.size().toTuple(), ratio,
               self.font().key())
        if key != self._overlay_key:
            self._overlay_key = key
            full = QImage(max(1, round(rect.width() * ratio)),
                          max(1, round(rect.height() * ratio)),
                          QImage.Format.Format_ARGB32_Premultiplied)
            full.setDevicePixelRatio(ratio)
            full.fill(Qt.GlobalColor.transparent)
            band_painter = QPainter(full)
            top, bottom = self._paint_overlay(band_painter, QRect(QPoint(0, 0), rect.size()))
            band_painter.end()
            bands = []
            for band in (top, bottom):
                if band is None:
                    continue
                device = QRect(round(band.left() * ratio), round(band.top() * ratio),
                               round(band.width() * ratio), round(band.height() * ratio))
                image = full.copy(device)
                image.setDevicePixelRatio(ratio)
                bands.append((band.topLeft(), image))
            self._overlay = tuple(bands)
        for at, image in self._overlay:
            painter.drawImage(at + rect.topLeft(), image)

    def _paint_overlay(self, painter: QPainter, rect: QRect) -> tuple[QRect | None, QRect]:
        """Draw the overlay; returns its top band (None without a name) and bottom band."""
        top = None
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        font = self._overlay_font(rect)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        pad = max(4, metrics.height() // 4)
        line = metrics.height() + pad
        band = QColor(0, 0, 0, 150)
        # top: the camera's name
        if self._name:
            name = metrics.elidedText(self._name, Qt.TextElideMode.ElideRight,
                                      rect.width() - 4 * pad)
            top = QRect(rect.left(), rect.top(), rect.width(), line + pad)
            painter.fillRect(top, band)
            painter.setPen(QColor("#e6edf3"))
            painter.drawText(top.adjusted(2 * pad, 0, -2 * pad, 0),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name)
        # bottom: ● state · age · fps
        state = self._shown_state or getattr(self._source, "state", "")
        colour = QColor(STATE_COLOURS.get(state, "#8b949e"))
        bottom = QRect(rect.left(), rect.bottom() - line - pad + 1, rect.width(), line + pad)
        painter.fillRect(bottom, band)
        dot = metrics.height() * 0.55
        x = bottom.left() + 2 * pad
        cy = bottom.center().y() + 0.5
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(QRectF(x, cy - dot / 2, dot, dot))
        x += dot + pad
        word = self.state_text(state)
        text_rect = QRect(int(x), bottom.top(), bottom.right() - int(x) - 2 * pad, bottom.height())
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(colour)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         word)
        word_w = QFontMetrics(bold).horizontalAdvance(word)
        rest = self._shown_text.partition("  ·  ")[2]
        if rest:
            painter.setFont(font)
            painter.setPen(QColor("#e6edf3"))
            rest_rect = text_rect.adjusted(word_w, 0, 0, 0)
            painter.drawText(rest_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             metrics.elidedText("  ·  " + rest, Qt.TextElideMode.ElideRight,
                                                rest_rect.width()))
        return top, bottom

    def _paint_placeholder(self, painter: QPainter, rect: QRect) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(QColor("#30363d"), 2, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        path = QPainterPath()
        path.addRoundedRect(QRectF(rect.adjusted(6, 6, -6, -6)), 8, 8)
        painter.drawPath(path)
        painter.setPen(QColor("#8b949e"))
        painter.setFont(self._overlay_font(rect))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.tr("drop a camera here"))

    # -- mouse, drag and drop

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.sig_double_clicked.emit()
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        self._press = None
        super().mouseReleaseEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        press = self._press
        if (press is not None and self._tile_index is not None
                and event.buttons() & Qt.MouseButton.LeftButton
                and (event.position().toPoint() - press).manhattanLength()
                >= QApplication.startDragDistance()):
            self._press = None
            self.start_drag()
            return
        super().mouseMoveEvent(event)

    def drag_mime(self) -> QMimeData:
        """What dragging this tile carries: its index as "application/x-hall-tile-index"."""
        mime = QMimeData()
        mime.setData(TILE_MIME, QByteArray(str(self._tile_index).encode("ascii")))
        return mime

    def start_drag(self) -> None:
        drag = QDrag(self)
        drag.setMimeData(self.drag_mime())
        thumb = self.grab().scaled(160, 90, Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
        drag.setPixmap(thumb)
        drag.setHotSpot(QPoint(thumb.width() // 2, thumb.height() // 2))
        drag.exec(Qt.DropAction.MoveAction)

    def _accepts(self, mime: QMimeData) -> bool:
        return mime.hasFormat(CAMERA_MIME) or mime.hasFormat(TILE_MIME)

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if self._accepts(event.mimeData()):
            event.acceptProposedAction()
            self._drop_hover = True
            self.update()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        if self._accepts(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event) -> None:  # noqa: N802
        self._drop_hover = False
        self.update()

    def dropEvent(self, event) -> None:  # noqa: N802
        self._drop_hover = False
        self.update()
        mime = event.mimeData()
        if mime.hasFormat(CAMERA_MIME):
            camera_id = bytes(mime.data(CAMERA_MIME).data()).decode("utf-8").strip()
            if camera_id:
                event.acceptProposedAction()
                self.sig_camera_dropped.emit(camera_id)
                return
        if mime.hasFormat(TILE_MIME):
            raw = bytes(mime.data(TILE_MIME).data()).decode("ascii", "replace").strip()
            if raw.lstrip("-").isdigit():
                event.acceptProposedAction()
                self.sig_tile_dropped.emit(int(raw))
                return
        event.ignore()
