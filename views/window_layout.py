"""A window's arrangement kept in a small JSON file, written atomically.

    store = WindowLayoutFile(data_dir / "desk_layout.json", version=2)
    parts = store.load()          # {"geometry": QByteArray, ...}, or None: use the default
    store.save({"geometry": window.saveGeometry(), "tab": b"operationMap"})

The file is `{"version": N, "parts": {name: base64}}`, written through QSaveFile (a crash
mid-write leaves the old file whole). A file of another version is ignored (the layout it
describes may not fit this build's windows); an unreadable one is renamed `*.broken` and
logged, and the window opens with its default arrangement.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QIODevice, QSaveFile

log = logging.getLogger(__name__)


class WindowLayoutFile:
    """The saved arrangement of one window (see the module docstring)."""

    def __init__(self, path: Path | str, version: int) -> None:
        self.path = Path(path)
        self.version = version

    def load(self) -> dict[str, QByteArray] | None:
        """The saved parts, or None (no file, another version, or a broken file)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("window layout %s unreadable (%s): the default is used", self.path, exc)
            return None
        try:
            document = json.loads(raw)
            version = document["version"]
            parts = {str(name): QByteArray(base64.b64decode(value, validate=True))
                     for name, value in document["parts"].items()}
        except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as exc:
            broken = self.path.with_name(self.path.name + ".broken")
            log.warning("window layout %s is broken (%s): set aside as %s, the default is used",
                        self.path, exc, broken.name)
            try:
                self.path.replace(broken)
            except OSError:
                pass
            return None
        if version != self.version:
            log.info("window layout %s is of version %s, not %s: the default is used",
                     self.path, version, self.version)
            return None
        return parts

    def save(self, parts: dict[str, QByteArray | bytes]) -> bool:
        """Write the parts (atomically); False, logged, when it cannot be written."""
        document = {"version": self.version, "parts": {
            name: base64.b64encode(bytes(value)).decode("ascii") for name, value in parts.items()}}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        out = QSaveFile(str(self.path))
        if not out.open(QIODevice.OpenModeFlag.WriteOnly):
            log.warning("window layout %s not saved: %s", self.path, out.errorString())
            return False
        out.write(QByteArray(json.dumps(document).encode("utf-8")))
        if not out.commit():
            log.warning("window layout %s not saved: %s", self.path, out.errorString())
            return False
        return True
