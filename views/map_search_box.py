"""The map's search box: type, pick (or press Enter for the best match), and the map goes there.

A QLineEdit whose popup lists `console.map_search.MapSearch` results as the user types
(searched after a short pause, so a fast typist does not search every key).
"""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit

from console.map_search import MapSearch
from console.nearby import Place

SEARCH_DELAY_MS = 150


class MapSearchBox(QLineEdit):
    """Signal `sig_chosen(place)`: the user picked a result (a console.nearby.Place)."""

    sig_chosen = Signal(object)

    def __init__(self, search: MapSearch, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("mapSearch")
        self.setClearButtonEnabled(True)
        self.setPlaceholderText(self.tr("Find an event, address, street, camera or unit"))
        self._search = search
        self._results: list[Place] = []
        self._labels = QStringListModel(self)
        self._completer = QCompleter(self._labels, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setMaxVisibleItems(12)
        self._completer.activated.connect(self._activated)
        self.setCompleter(None)  # the popup is driven by hand, not by Qt's prefix filter
        self._completer.setWidget(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.textEdited.connect(lambda _t: self._timer.start())
        self.returnPressed.connect(self._choose_best)

    @property
    def search_pending(self) -> bool:
        """Text was typed and its search has not run yet."""
        return self._timer.isActive()

    @property
    def results(self) -> list[Place]:
        return list(self._results)

    def kind_name(self, kind: str) -> str:
        return {"event": self.tr("Event"), "street": self.tr("Street"),
                "camera": self.tr("Camera"), "team": self.tr("Unit"),
                "sensor": self.tr("Sensor")}.get(kind, kind)

    def label(self, place: Place) -> str:
        text = f"{self.kind_name(place.kind)} · {place.name}"
        if place.kind == "event":
            text = f"{self.kind_name(place.kind)} · {place.id} {place.name}"
        if place.detail:
            text += f" — {place.detail}"
        return text

    def refresh(self) -> None:
        """Search the current text now and show the results in the popup."""
        self._timer.stop()
        self._results = self._search.find(self.text())
        self._labels.setStringList([self.label(p) for p in self._results])
        if self._results and self.hasFocus():
            self._completer.complete()
        else:
            self._completer.popup().hide()

    def _activated(self, label: str) -> None:
        labels = self._labels.stringList()
        if label in labels:
            self._choose(self._results[labels.index(label)])

    def _choose_best(self) -> None:
        if self._timer.isActive() or not self._results:
            self.refresh()
        if self._results:
            self._choose(self._results[0])

    def _choose(self, place: Place) -> None:
        self._completer.popup().hide()
        self.sig_chosen.emit(place)
