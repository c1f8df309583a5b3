"""The queue's filter buttons: level, source, street, category, overdue, and saved filters.

Each button opens a menu of checkable choices; a button shows how many choices are on. The
bar holds no rule of its own: it builds a `QueueFilter` for the queue view (`value()`), and
the saved filters are `console.saved_filters` data kept in the desk's QSettings.
"""

from __future__ import annotations

import json
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QMenu, QToolButton, QWidget

from console.queue_index import QueueFilter
from console.saved_filters import (
    MY_STREET,
    OPEN_LEVEL_1_2,
    OVERDUE,
    NamedFilter,
    builtin_filters,
    user_filters_from_data,
    user_filters_to_data,
)
from console.schema import SOURCES
from views.labels import source_name

_SETTINGS_KEY = "queue/saved_filters"
_MY_STREET_KEY = "queue/my_street"


class _ChoiceButton(QToolButton):
    """A button with a menu of checkable choices (code -> label); none checked = no limit."""

    changed = Signal()

    def __init__(self, title: str, name: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._title = title
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setMenu(QMenu(self))
        self._actions: dict[object, QAction] = {}
        self._groups: dict[str, list[object]] = {}
        self._refresh_text()

    def set_choices(self, choices: list[tuple[object, str]],
                    groups: list[tuple[str, str, list[tuple[object, str]]]] | None = None) -> None:
        """Flat choices, or groups (code, title, children) shown as sections."""
        checked = self.checked()
        menu = self.menu()
        menu.clear()
        self._actions = {}
        self._groups = {}
        clear = menu.addAction(self.tr("Any"))
        clear.setObjectName("any")
        clear.triggered.connect(self.clear)
        menu.addSeparator()
        if groups:
            for code, title, children in groups:
                section = menu.addAction(title)
                section.setObjectName(f"group_{code}")
                section.triggered.connect(lambda _c=False, g=code: self._toggle_group(g))
                font = section.font()
                font.setBold(True)
                section.setFont(font)
                self._groups[code] = [c for c, _t in children]
                for child, label in children:
                    self._add(menu, child, "    " + label)
        for code, label in choices:
            self._add(menu, code, label)
        self.set_checked(checked & set(self._actions))

    def _add(self, menu: QMenu, code, label: str) -> None:
        action = menu.addAction(label)
        action.setCheckable(True)
        action.setObjectName(f"choice_{code}")
        action.toggled.connect(self._toggled)
        self._actions[code] = action

    def _toggle_group(self, group: str) -> None:
        children = [c for c in self._groups.get(group, []) if c in self._actions]
        turn_on = not all(self._actions[c].isChecked() for c in children)
        self.set_checked((self.checked() | set(children)) if turn_on
                         else (self.checked() - set(children)))
        self.changed.emit()

    def checked(self) -> set:
        return {code for code, action in self._actions.items() if action.isChecked()}

    def set_checked(self, codes) -> None:
        codes = set(codes or ())
        for code, action in self._actions.items():
            action.blockSignals(True)
            action.setChecked(code in codes)
            action.blockSignals(False)
        self._refresh_text()

    def value(self) -> frozenset | None:
        codes = self.checked()
        return frozenset(codes) if codes else None

    def clear(self) -> None:
        self.set_checked(set())
        self.changed.emit()

    def action(self, code) -> QAction | None:
        return self._actions.get(code)

    def _toggled(self, _on: bool) -> None:
        self._refresh_text()
        self.changed.emit()

    def _refresh_text(self) -> None:
        count = len(self.checked())
        self.setText(f"{self._title} ({count})" if count else self._title)
        self.setProperty("active", bool(count))
        self.style().unpolish(self)
        self.style().polish(self)


class QueueFilterBar(QWidget):
    """Level, source, street and category choices, the overdue toggle and saved filters.

    Signals:
      changed(): a choice changed (read `value()`).
      sig_apply(QueueFilter): a saved filter was chosen (statuses and text included).
    """

    changed = Signal()
    sig_apply = Signal(object)

    def __init__(self, settings=None, my_street: str | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("QueueFilterBar")
        self._settings = settings
        self._fixed_street = my_street
        self._catalog = None
        self._current = QueueFilter()
        self.levels = _ChoiceButton(self.tr("Level"), "filterLevels", self)
        self.sources = _ChoiceButton(self.tr("Source"), "filterSources", self)
        self.streets = _ChoiceButton(self.tr("Street"), "filterStreets", self)
        self.categories = _ChoiceButton(self.tr("Category"), "filterCategories", self)
        self.overdue = QToolButton(self)
        self.overdue.setObjectName("filterOverdue")
        self.overdue.setText(self.tr("Overdue"))
        self.overdue.setCheckable(True)
        self.overdue.toggled.connect(lambda _on: self.changed.emit())
        self.saved = QToolButton(self)
        self.saved.setObjectName("savedFilters")
        self.saved.setText(self.tr("Saved filters"))
        self.saved.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.saved.setMenu(QMenu(self.saved))
        self.saved.menu().aboutToShow.connect(self._fill_saved_menu)
        self.sources.set_choices([(code, source_name(code)) for code in SOURCES])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for button in (self.levels, self.sources, self.streets, self.categories):
            button.changed.connect(self.changed)
            layout.addWidget(button)
        layout.addWidget(self.overdue)
        layout.addWidget(self.saved)

    # ---- Public API

    def set_catalog(self, catalog) -> None:
        """Level, street and category choices from the catalog (kept choices stay on)."""
        self._catalog = catalog
        if catalog is None:
            return
        self.levels.set_choices([(lv.level, lv.name) for lv in sorted(catalog.levels,
                                                                      key=lambda lv: lv.level)])
        self.streets.set_choices([(s.id, s.name) for s in catalog.streets])
        parents = [c for c in catalog.categories if c.parent is None]
        groups = []
        for parent in parents:
            children = [(c.code, c.name) for c in catalog.categories if c.parent == parent.code]
            groups.append((parent.code, parent.name, children))
        self.categories.set_choices([], groups)

    def value(self, base: QueueFilter) -> QueueFilter:
        """`base` (statuses and text from the queue view) with this bar's choices."""
        return replace(base, levels=self.levels.value(), sources=self.sources.value(),
                       streets=self.streets.value(), categories=self.categories.value(),
                       overdue=self.overdue.isChecked())

    def show_filter(self, queue_filter: QueueFilter) -> None:
        """Set the buttons to `queue_filter`'s choices without announcing a change."""
        self.blockSignals(True)
        for button, codes in ((self.levels, queue_filter.levels),
                              (self.sources, queue_filter.sources),
                              (self.streets, queue_filter.streets),
                              (self.categories, queue_filter.categories)):
            button.blockSignals(True)
            button.set_checked(codes or ())
            button.blockSignals(False)
        self.overdue.blockSignals(True)
        self.overdue.setChecked(queue_filter.overdue)
        self.overdue.blockSignals(False)
        self.blockSignals(False)

    def my_street(self) -> str | None:
        """The seat's street: the user's scope, else the one chosen on this seat."""
        if self._fixed_street:
            return self._fixed_street
        if self._settings is not None:
            value = self._settings.value(_MY_STREET_KEY, "")
            return value or None
        return getattr(self, "_my_street", None)

    def set_my_street(self, street_id: str | None) -> None:
        if self._settings is not None:
            self._settings.setValue(_MY_STREET_KEY, street_id or "")
        self._my_street = street_id

    def named_filters(self) -> list[NamedFilter]:
        """Built-in filters, then the user's own."""
        return builtin_filters(self.my_street()) + self.user_filters()

    def user_filters(self) -> list[NamedFilter]:
        if self._settings is None:
            return list(getattr(self, "_user_filters", []))
        raw = self._settings.value(_SETTINGS_KEY, "[]")
        try:
            return user_filters_from_data(json.loads(raw if isinstance(raw, str) else "[]"))
        except ValueError:
            return []

    def save_filter(self, name: str, queue_filter: QueueFilter) -> None:
        """Save (or replace) a user filter under `name`."""
        filters = [f for f in self.user_filters() if f.name != name]
        filters.append(NamedFilter(name, queue_filter))
        if self._settings is None:
            self._user_filters = filters
        else:
            self._settings.setValue(_SETTINGS_KEY, json.dumps(user_filters_to_data(filters),
                                                              ensure_ascii=False))

    def delete_filter(self, name: str) -> None:
        filters = [f for f in self.user_filters() if f.name != name]
        if self._settings is None:
            self._user_filters = filters
        else:
            self._settings.setValue(_SETTINGS_KEY, json.dumps(user_filters_to_data(filters),
                                                              ensure_ascii=False))

    def apply_named(self, key_or_name: str) -> bool:
        """Apply a built-in (by key) or user filter (by name); False if unknown."""
        for named in self.named_filters():
            if key_or_name == (named.key or named.name):
                self.show_filter(named.filter)
                self.sig_apply.emit(named.filter)
                return True
        return False

    def set_current(self, queue_filter: QueueFilter) -> None:
        """The whole filter now in force (what "Save current filter" saves)."""
        self._current = queue_filter

    # ---- Saved filter menu

    def builtin_name(self, key: str) -> str:
        return {
            OPEN_LEVEL_1_2: self.tr("Open, level 1–2"),
            OVERDUE: self.tr("Overdue"),
            MY_STREET: self.tr("My street"),
        }.get(key, key)

    def _fill_saved_menu(self) -> None:
        menu = self.saved.menu()
        menu.clear()
        for named in self.named_filters():
            action = menu.addAction(self.builtin_name(named.key) if named.key else named.name)
            action.setObjectName(f"saved_{named.key or named.name}")
            action.triggered.connect(
                lambda _c=False, k=named.key or named.name: self.apply_named(k))
        if not self.my_street():
            hint = menu.addAction(self.tr("My street (choose your street below)"))
            hint.setEnabled(False)
        menu.addSeparator()
        save = menu.addAction(self.tr("Save the current filter…"))
        save.setObjectName("saveCurrentFilter")
        save.triggered.connect(self._ask_and_save)
        own = self.user_filters()
        if own:
            delete = menu.addMenu(self.tr("Delete a saved filter"))
            for named in own:
                action = delete.addAction(named.name)
                action.triggered.connect(lambda _c=False, n=named.name: self.delete_filter(n))
        if not self._fixed_street and self._catalog is not None:
            streets = menu.addMenu(self.tr("My street"))
            for street in self._catalog.streets:
                action = streets.addAction(street.name)
                action.setCheckable(True)
                action.setChecked(street.id == self.my_street())
                action.triggered.connect(lambda _c=False, s=street.id: self.set_my_street(s))
        menu.addSeparator()
        reset = menu.addAction(self.tr("Clear the filters"))
        reset.setObjectName("clearFilters")
        reset.triggered.connect(lambda: self.apply_filter(QueueFilter()))

    def apply_filter(self, queue_filter: QueueFilter) -> None:
        self.show_filter(queue_filter)
        self.sig_apply.emit(queue_filter)

    def _ask_and_save(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save filter"), self.tr("Name:"))
        if ok and name.strip():
            self.save_filter(name.strip(), self._current)

