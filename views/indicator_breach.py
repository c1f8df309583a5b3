"""Breach announcements: a banner for each indicator that entered alarm, with "Open event".

The board decides what a breach is and announces each once (`sig_breach`); this presenter
shows it once (a repeated announcement of the same breach — same indicator, same sample
time — is ignored), newest first with a count of the others, until the officer dismisses it
or opens an event from it. "Open event" emits `sig_open_event(prefill)`: keyword arguments
for `NewEventDialog.prefill` (title, description, location, proposed category), for the
desk to open the dialog with source "indicator".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from console.breach_draft import proposed_category
from console.schema import CST, Indicator
from views.formatting import format_datetime, format_time
from views.labels import indicator_group_name
from widgets.alert_banner import AlertBanner
from widgets.indicator_card import STATE_STYLES, format_value, state_word


@dataclass(frozen=True)
class Breach:
    """One announced breach: the indicator as it was when it entered alarm."""

    key: str
    indicator: Indicator


class IndicatorBreachPresenter(QObject):
    """Shows the board's breaches on `banner` (an `AlertBanner` for the host to place).

    Signals:
      sig_open_event(prefill): "Open event" was clicked; `prefill` is a dict of keyword
        arguments for `NewEventDialog.prefill` (open the dialog with source "indicator").
    """

    sig_open_event = Signal(object)

    #: How many glows the banner makes when a breach is announced.
    PULSES = 6

    def __init__(self, bridge, parent_widget: QWidget, *, category_codes=None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent or parent_widget)
        self._category_codes = category_codes
        self._board = getattr(bridge, "board", None)
        self._breaches: list[Breach] = []  # newest first
        self._seen: set[str] = set()
        self.banner = AlertBanner(parent_widget)
        self.banner.setObjectName("breachBanner")
        self.banner.show_button.setText(self.tr("Open event"))
        self.banner.show_button.setToolTip(self.tr("Open a new event prefilled from this breach"))
        self.banner.sig_show_event.connect(self._open)
        self.banner.sig_dismiss.connect(self._dismiss)
        bridge.sig_breach.connect(self.announce)

    # ---- Public API

    def announce(self, indicator: Indicator) -> bool:
        """Show a breach of `indicator` (what `sig_breach` calls); False when this breach
        was shown before."""
        at = indicator.at.timestamp() if indicator.at is not None else 0.0
        key = f"{indicator.id}@{at:.3f}"
        if key in self._seen:
            return False
        self._seen.add(key)
        # A newer breach of the same indicator replaces an older one still waiting.
        self._breaches = [b for b in self._breaches if b.indicator.id != indicator.id]
        self._breaches.insert(0, Breach(key, indicator))
        self._show_newest(pulse=True)
        return True

    def pending(self) -> list[Breach]:
        """The breaches not yet dismissed or opened, newest first."""
        return list(self._breaches)

    def set_category_codes(self, codes) -> None:
        """The catalog's category codes (a proposed category must be one of them)."""
        self._category_codes = list(codes) if codes is not None else None

    def prefill_for(self, indicator: Indicator) -> dict:
        """The new-event dialog's prefill for a breach of `indicator`."""
        value = format_value(indicator.value, indicator.precision)
        unit = indicator.unit
        thresholds = indicator.thresholds
        above = thresholds.direction == "above"
        title = (self.tr("%1 above the alarm level: %2") if above
                 else self.tr("%1 below the alarm level: %2"))
        title = title.replace("%1", indicator.name).replace("%2", f"{value} {unit}".strip())
        moment = format_datetime(indicator.at) if indicator.at is not None else "—"
        limit = (self.tr("above %1") if above else self.tr("below %1"))
        lines = [
            self.tr("Indicator: %1 (%2, %3)").replace("%1", indicator.name).replace(
                "%2", indicator_group_name(indicator.group)).replace("%3", indicator.id),
            self.tr("Value: %1 at %2").replace("%1", f"{value} {unit}".strip()).replace(
                "%2", moment),
        ]
        levels = []
        for kind, level in (("alarm", thresholds.alarm), ("warning", thresholds.warning)):
            if level is not None:
                text = f"{format_value(level, indicator.precision)} {unit}".strip()
                levels.append(f"{state_word(kind)} {limit.replace('%1', text)}")
        if levels:
            lines.append(self.tr("Thresholds: %1").replace("%1", self.tr(", ").join(levels)))
        trend = self._trend_line(indicator)
        if trend:
            lines.append(trend)
        prefill: dict = {"title": title[:200], "description": "\n".join(lines)}
        category = proposed_category(indicator, self._category_codes)
        if category is not None:
            prefill["category"] = category
        location = indicator.location
        if location is not None:
            prefill["lon"], prefill["lat"] = location.lon, location.lat
            prefill["address"] = location.address or indicator.name
        return prefill

    def _trend_line(self, indicator: Indicator) -> str:
        """"Trend: an hour before …, the same time yesterday …", from the board's history."""
        if self._board is None or indicator.at is None:
            return ""
        at = indicator.at.timestamp()
        unit = indicator.unit
        parts = []
        t, v = self._board.history(indicator.id, since=at - 3600 - 300)
        if len(t) and t[0] <= at - 3600 + 300:
            parts.append(self.tr("an hour before %1").replace(
                "%1", f"{format_value(float(v[0]), indicator.precision)} {unit}".strip()))
        yesterday = self._board.same_time_yesterday(indicator.id, at)
        if yesterday is not None:
            parts.append(self.tr("the same time yesterday %1").replace(
                "%1", f"{format_value(yesterday, indicator.precision)} {unit}".strip()))
        if not parts:
            return ""
        return self.tr("Trend: %1").replace("%1", self.tr(", ").join(parts))

    # ----

    def _show_newest(self, pulse: bool) -> None:
        if not self._breaches:
            self.banner.clear()
            return
        breach = self._breaches[0]
        indicator = breach.indicator
        value = f"{format_value(indicator.value, indicator.precision)} {indicator.unit}".strip()
        title = self.tr("%1 in alarm: %2").replace("%1", indicator.name).replace("%2", value)
        detail = " · ".join(p for p in (
            indicator_group_name(indicator.group),
            format_time(indicator.at, datetime.now(CST)) if indicator.at is not None else "",
        ) if p)
        self.banner.set_item(breach.key, STATE_STYLES["alarm"].accent, state_word("alarm"),
                             title, detail, waiting=len(self._breaches) - 1)
        if pulse:
            self.banner.pulse(self.PULSES)

    def _take(self, key: str) -> Breach | None:
        breach = next((b for b in self._breaches if b.key == key), None)
        if breach is not None:
            self._breaches.remove(breach)
        return breach

    def _open(self, key: str) -> None:
        breach = self._take(key)
        self._show_newest(pulse=False)
        if breach is not None:
            self.sig_open_event.emit(self.prefill_for(breach.indicator))

    def _dismiss(self, key: str) -> None:
        self._take(key)
        self._show_newest(pulse=False)
