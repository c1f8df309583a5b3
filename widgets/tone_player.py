"""Short sounds by name through QtMultimedia's QSoundEffect, silent where no audio exists."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QUrl

try:
    from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
except ImportError:  # a Qt build without QtMultimedia: the console stays silent
    QMediaDevices = QSoundEffect = None

log = logging.getLogger(__name__)


class TonePlayer(QObject):
    """Plays short WAV files by name (`play("level1")`).

    Without QtMultimedia, an audio output or a playable file it stays silent and says why
    once in the log; `play` then returns False. The effects are made (and load) as soon as an
    output exists, so the first alert does not wait for a file to load.
    """

    def __init__(self, files: dict[str, Path], volume: float = 0.8, parent=None) -> None:
        super().__init__(parent)
        self._files = dict(files)
        self._volume = volume
        self._effects: dict[str, QSoundEffect] = {}
        self._told: set[str] = set()
        if QSoundEffect is not None and QMediaDevices.audioOutputs():
            self._make_effects()

    # ---- Public API

    def play(self, name: str) -> bool:
        """Start the sound `name`; True when it went to an audio output."""
        effect = self._effect(name)
        if effect is None:
            return False
        if effect.status() == QSoundEffect.Status.Error:
            self._tell_once(f"error:{name}", "alert sound %s cannot be played on this output",
                            name)
            return False
        effect.play()
        return True

    def available(self) -> bool:
        """True when QtMultimedia and an audio output exist (the files may still fail)."""
        return QSoundEffect is not None and bool(QMediaDevices.audioOutputs())

    # ----

    def _effect(self, name: str) -> QSoundEffect | None:
        effect = self._effects.get(name)
        if effect is not None:
            return effect
        if QSoundEffect is None:
            self._tell_once("module", "QtMultimedia is not available: alert sounds are off")
            return None
        if not QMediaDevices.audioOutputs():
            self._tell_once("output", "no audio output: alert sounds are off")
            return None
        path = self._files.get(name)
        if path is None or not path.is_file():
            self._tell_once(f"file:{name}", "alert sound %s has no file (%s)", name, path)
            return None
        self._make_effects()
        return self._effects[name]

    def _make_effects(self) -> None:
        for key, file in self._files.items():
            made = QSoundEffect(self)
            made.setSource(QUrl.fromLocalFile(str(file)))
            made.setVolume(self._volume)
            self._effects[key] = made

    def _tell_once(self, key: str, message: str, *args) -> None:
        if key not in self._told:
            self._told.add(key)
            log.warning(message, *args)
