"""The "new event" dialog (人工录入): a duty officer enters an event by hand.

Location comes from the address list (the district's streets and the addresses of events in
the store, each with coordinates and street) or from typed coordinates, whose street is the
nearest street centroid (`console.geo`). The command is `HallSession.create_event`; its
idempotency key is made with it, and a retry after a lost answer sends the same command again,
so the event is entered once.
"""

from __future__ import annotations

import logging
import re

from pydantic import ValidationError
from PySide6.QtCore import QSignalBlocker, QStringListModel, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QIcon,
    QKeySequence,
    QPixmap,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QDialog,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from console.geo import Place, address_book, district_bounds, nearest_street
from console.schema import Catalog, EventCreateRequest, Location, Reporter
from views.labels import source_name
from views.styling import show_state

log = logging.getLogger(__name__)

_CODE = Qt.ItemDataRole.UserRole + 1
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{2,19}$")
_MAX_DESCRIPTION = 4000


class NewEventDialog(QDialog):
    """Enter a new event: title, category, level, location, description, reporter.

    Ctrl+Enter creates it. While the command runs the fields are locked; a failure keeps the
    dialog open with everything typed and the reason shown; success closes it.

    Signals:
      sig_created(event_id): the event exists and is in the store (select it).
    """

    sig_created = Signal(str)
    #: A command id: the event was saved in the outbox, to be created when the link returns.
    sig_queued = Signal(str)

    MODE_ADDRESS = 0
    MODE_COORDINATES = 1
    #: How many of the newest events the address list draws its addresses from.
    ADDRESS_SCAN = 2000

    def __init__(self, bridge, catalog: Catalog, parent: QWidget | None = None, *,
                 source: str = "manual") -> None:
        super().__init__(parent)
        self.setObjectName("NewEventDialog")
        self._bridge = bridge
        self._session = bridge.session
        self._catalog = catalog
        self._source = source
        self._command = None  # the last command sent; sent again while its fate is unknown
        self._resendable = False
        self._pending_id = ""
        self._level_touched = False
        self._focus_before_lock: QWidget | None = None
        self._bounds = district_bounds(catalog.streets)
        self._places: dict[str, Place] = {}
        self._streets = {s.id: s for s in catalog.streets}

        self.setWindowTitle(self.tr("New event from an indicator breach") if source == "indicator"
                            else self.tr("New event"))
        bridge.sig_command_finished.connect(self._command_finished)

        self.form = QWidget(self)
        self.form.setObjectName("newEventForm")
        grid = QGridLayout(self.form)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        self._grid_row = 0
        self._grid = grid

        self.title_edit = QLineEdit(self.form)
        self.title_edit.setObjectName("newEventTitle")
        self.title_edit.setMaxLength(200)
        self.title_edit.setPlaceholderText(self.tr("What happened, where (e.g. gas smell at …)"))
        self.title_error = self._add_row(self.tr("Title"), self.title_edit, required=True)

        self.category_combo = QComboBox(self.form)
        self.category_combo.setObjectName("newEventCategory")
        self.category_combo.setPlaceholderText(self.tr("Choose a category…"))
        self.category_combo.setMaxVisibleItems(20)
        self._fill_categories()
        self.category_combo.currentIndexChanged.connect(self._category_changed)
        self.category_error = self._add_row(self.tr("Category"), self.category_combo,
                                            required=True)

        self.level_combo = QComboBox(self.form)
        self.level_combo.setObjectName("newEventLevel")
        for level in sorted(catalog.levels, key=lambda lv: lv.level):
            self.level_combo.addItem(self._swatch(level.color), f"{level.level} · {level.name}",
                                     level.level)
        self.level_combo.setPlaceholderText(self.tr("As the category says"))
        self.level_combo.setCurrentIndex(-1)
        self.level_combo.activated.connect(self._level_chosen)
        self._add_row(self.tr("Level"), self.level_combo)

        self._add_row(self.tr("Location"), self._location_widget(), required=True)
        self.location_error = self._error_label()
        self._grid.addWidget(self.location_error, self._grid_row, 1)
        self._grid_row += 1

        self.description_edit = QPlainTextEdit(self.form)
        self.description_edit.setObjectName("newEventDescription")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setPlaceholderText(self.tr("What the reporter said, what is known"))
        self.description_edit.setFixedHeight(self.fontMetrics().height() * 5 + 14)
        self.description_error = self._add_row(self.tr("Description"), self.description_edit)

        self.reporter_name_edit = QLineEdit(self.form)
        self.reporter_name_edit.setObjectName("newEventReporterName")
        self.reporter_name_edit.setMaxLength(64)
        self.reporter_phone_edit = QLineEdit(self.form)
        self.reporter_phone_edit.setObjectName("newEventReporterPhone")
        self.reporter_phone_edit.setMaxLength(20)
        self.reporter_phone_edit.setPlaceholderText(self.tr("Phone"))
        self.reporter_name_edit.setPlaceholderText(self.tr("Name"))
        reporter = QWidget(self.form)
        reporter_row = QHBoxLayout(reporter)
        reporter_row.setContentsMargins(0, 0, 0, 0)
        reporter_row.addWidget(self.reporter_name_edit, 1)
        reporter_row.addWidget(self.reporter_phone_edit, 1)
        self.phone_error = self._add_row(self.tr("Reporter"), reporter)

        heading = QLabel(self.windowTitle(), self)
        heading.setObjectName("dialogHeading")
        source_label = QLabel(self.tr("Source: %1").replace("%1", source_name(source)), self)
        source_label.setObjectName("dialogNote")

        self.result_label = QLabel(self)
        self.result_label.setObjectName("commandResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.hide()

        self.create_button = QPushButton(self.tr("Create event"), self)
        self.create_button.setObjectName("createEventButton")
        self.create_button.setToolTip(self.tr("Create the event (Ctrl+Enter)"))
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelButton")
        for button in (self.create_button, self.cancel_button):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.create_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.submit)

        buttons = QHBoxLayout()
        hint = QLabel(self.tr("Ctrl+Enter to create · Esc to cancel"), self)
        hint.setObjectName("dialogNote")
        buttons.addWidget(hint)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.create_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(source_label)
        layout.addWidget(self.form)
        layout.addWidget(self.result_label)
        layout.addLayout(buttons)

        self._set_tab_order()
        self._set_mode(self.MODE_ADDRESS)
        self.resize(640, self.sizeHint().height())
        self.title_edit.setFocus()

    # ---- Public API

    def prefill(self, *, title: str | None = None, description: str | None = None,
                category: str | None = None, level: int | None = None,
                lon: float | None = None, lat: float | None = None,
                address: str | None = None, reporter_name: str | None = None,
                reporter_phone: str | None = None) -> None:
        """Fill fields before showing (e.g. from an indicator breach). Coordinates switch the
        location to typed coordinates; an address alone is looked up in the address list."""
        if title is not None:
            self.title_edit.setText(title)
        if description is not None:
            self.description_edit.setPlainText(description)
        if category is not None:
            index = self.category_combo.findData(category, _CODE)
            if index >= 0:
                self.category_combo.setCurrentIndex(index)
        if level is not None:
            index = self.level_combo.findData(level)
            if index >= 0:
                self.level_combo.setCurrentIndex(index)
                self._level_touched = True
        if lon is not None and lat is not None:
            self.lon_spin.setValue(lon)
            self.lat_spin.setValue(lat)
            if address is not None:
                self.place_note_edit.setText(address)
            self.coordinates_radio.setChecked(True)
            self._set_mode(self.MODE_COORDINATES)
        elif address is not None:
            self.address_edit.setText(address)
            self.address_radio.setChecked(True)
            self._set_mode(self.MODE_ADDRESS)
        if reporter_name is not None:
            self.reporter_name_edit.setText(reporter_name)
        if reporter_phone is not None:
            self.reporter_phone_edit.setText(reporter_phone)

    def build_request(self) -> EventCreateRequest | None:
        """The request the fields describe, or None after showing what is missing."""
        errors: list[tuple[QLabel, str, QWidget]] = []
        title = self.title_edit.text().strip()
        if not title:
            errors.append((self.title_error, self.tr("Enter a title."), self.title_edit))
        category = self.category_combo.currentData(_CODE)
        if not category:
            errors.append((self.category_error, self.tr("Choose a category."),
                           self.category_combo))
        location = self._location()
        if location is None:
            errors.append((self.location_error,
                           self.tr("Pick an address from the list, or enter coordinates."),
                           self.address_edit))
        description = self.description_edit.toPlainText().strip()
        if len(description) > _MAX_DESCRIPTION:
            errors.append((self.description_error,
                           self.tr("The description is too long (at most %1 characters).")
                           .replace("%1", str(_MAX_DESCRIPTION)), self.description_edit))
        phone = self.reporter_phone_edit.text().strip()
        if phone and not _PHONE.match(phone):
            errors.append((self.phone_error, self.tr("Enter a phone number (digits, spaces, -)."),
                           self.reporter_phone_edit))
        for label in (self.title_error, self.category_error, self.location_error,
                      self.description_error, self.phone_error):
            label.clear()
            label.hide()
        for label, text, _widget in errors:
            label.setText(text)
            label.show()
        if errors:
            errors[0][2].setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        try:
            return EventCreateRequest(
                title=title, description=description, category=category,
                level=self.level_combo.currentData(), source=self._source, location=location,
                reporter=Reporter(name=self.reporter_name_edit.text().strip(), phone_masked=phone),
            )
        except ValidationError as exc:
            log.warning("new event request not valid: %d errors", exc.error_count())
            self._show_result(self.tr("Some fields are not valid."), "error")
            return None

    def submit(self) -> None:
        """Validate and send the event (Ctrl+Enter, "Create event")."""
        if self._pending_id:
            return
        request = self.build_request()
        if request is None:
            return
        if self._resendable and self._command is not None and self._command.request == request:
            command = self._session.resend(self._command)
        else:
            command = self._session.create_event(request)
        self._command = command
        self._resendable = False
        if self._queued_for_later():
            # Kept in the outbox (on disk) and sent when the link returns; the band counts it.
            self._command = None
            self.sig_queued.emit(command.id)
            self.accept()
            return
        self._pending_id = command.id
        self._lock(True)
        self._show_result(self.tr("Creating the event…"), "busy")

    def _queued_for_later(self) -> bool:
        """True when the session keeps commands in an outbox and the link is not online."""
        session = self._session
        return (getattr(session, "outbox", None) is not None
                and session.connectivity.state != "online")

    def mode(self) -> int:
        """`MODE_ADDRESS` or `MODE_COORDINATES`: where the location comes from."""
        return self.MODE_COORDINATES if self.coordinates_radio.isChecked() else self.MODE_ADDRESS

    def busy(self) -> bool:
        """True while the event is being created."""
        return bool(self._pending_id)

    def place(self) -> Place | None:
        """The place picked in the address list (None when the text names none)."""
        return self._places.get(self.address_edit.text().strip())

    def street_id(self) -> str | None:
        """The street the event would be filed under."""
        location = self._location()
        return location.street_id if location is not None else None

    def reject(self) -> None:
        if not self._pending_id:  # the answer is on its way: wait for it
            super().reject()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        # Prefilled before the first show, the dialog may hold the taller coordinates page;
        # its height was set before the theme sized the fields.
        if self.height() < self.sizeHint().height():
            self.resize(self.width(), self.sizeHint().height())
        # Opened by the user: it takes the keyboard (Ctrl+Enter is a window shortcut).
        self.activateWindow()

    # ---- Building the form

    def _add_row(self, name: str, widget: QWidget, *, required: bool = False) -> QLabel:
        label = QLabel(f"{name} *" if required else name, self.form)
        label.setObjectName("fieldName")
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        label.setBuddy(widget)
        self._grid.addWidget(label, self._grid_row, 0, Qt.AlignmentFlag.AlignTop)
        self._grid.addWidget(widget, self._grid_row, 1)
        error = self._error_label()
        self._grid.addWidget(error, self._grid_row + 1, 1)
        self._grid_row += 2
        return error

    def _error_label(self) -> QLabel:
        error = QLabel(self.form)
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()
        return error

    def _fill_categories(self) -> None:
        model = QStandardItemModel(self.category_combo)
        categories = self._catalog.categories
        children: dict[str, list] = {}
        for category in categories:
            if category.parent:
                children.setdefault(category.parent, []).append(category)
        codes = {c.code for c in categories}
        bold = QFont(self.font())
        bold.setBold(True)
        for category in categories:
            if category.parent in codes:
                continue
            kids = children.get(category.code, [])
            top = QStandardItem(category.name)
            top.setData(category.code if not kids else None, _CODE)
            if kids:  # a group heading, not a choice
                top.setFlags(Qt.ItemFlag.NoItemFlags)
                top.setFont(bold)
                top.setForeground(QColor("#9da7b3"))
            model.appendRow(top)
            for kid in kids:
                item = QStandardItem(kid.name)
                item.setData(kid.code, _CODE)
                item.setToolTip(f"{category.name} › {kid.name}")
                model.appendRow(item)
        self.category_combo.setModel(model)
        self.category_combo.setCurrentIndex(-1)

    @staticmethod
    def _swatch(color: str) -> QIcon:
        pixmap = QPixmap(12, 12)
        pixmap.fill(QColor(color))
        return QIcon(pixmap)

    def _location_widget(self) -> QWidget:
        box = QWidget(self.form)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        modes = QHBoxLayout()
        self.address_radio = QRadioButton(self.tr("From the address list"), box)
        self.address_radio.setObjectName("locationFromAddress")
        self.coordinates_radio = QRadioButton(self.tr("By coordinates"), box)
        self.coordinates_radio.setObjectName("locationFromCoordinates")
        self.address_radio.setChecked(True)
        self._mode_group = QButtonGroup(box)
        self._mode_group.addButton(self.address_radio, self.MODE_ADDRESS)
        self._mode_group.addButton(self.coordinates_radio, self.MODE_COORDINATES)
        self._mode_group.idToggled.connect(lambda mode, on: on and self._set_mode(mode))
        modes.addWidget(self.address_radio)
        modes.addSpacing(18)
        modes.addWidget(self.coordinates_radio)
        modes.addStretch(1)
        layout.addLayout(modes)

        # Address list page
        self.address_page = page = QWidget(box)
        rows = QVBoxLayout(page)
        rows.setContentsMargins(0, 0, 0, 0)
        self.address_edit = QLineEdit(page)
        self.address_edit.setObjectName("newEventAddress")
        self.address_edit.setPlaceholderText(self.tr("Type to search streets and known addresses"))
        self.address_edit.setClearButtonEnabled(True)
        places = address_book(self._catalog.streets, self._recent_events())
        self._places = {p.label: p for p in places}
        self.address_completer = QCompleter(QStringListModel([p.label for p in places], self),
                                            self)
        self.address_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.address_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.address_completer.setMaxVisibleItems(12)
        self.address_edit.setCompleter(self.address_completer)
        self.address_edit.textChanged.connect(self._show_place)
        self.address_completer.activated.connect(self._show_place)
        self.place_label = QLabel(page)
        self.place_label.setObjectName("dialogNote")
        rows.addWidget(self.address_edit)
        rows.addWidget(self.place_label)
        layout.addWidget(page)
        # Coordinates page
        self.coordinates_page = page = QWidget(box)
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        self.lon_spin = self._coordinate_spin(page, "newEventLon", 0)
        self.lat_spin = self._coordinate_spin(page, "newEventLat", 1)
        lon_label = QLabel(self.tr("Longitude"), page)
        lon_label.setBuddy(self.lon_spin)
        lat_label = QLabel(self.tr("Latitude"), page)
        lat_label.setBuddy(self.lat_spin)
        self.place_note_edit = QLineEdit(page)
        self.place_note_edit.setObjectName("newEventPlaceNote")
        self.place_note_edit.setMaxLength(200)
        self.place_note_edit.setPlaceholderText(self.tr("Address or landmark (optional)"))
        self.street_label = QLabel(page)
        self.street_label.setObjectName("dialogNote")
        grid.addWidget(lon_label, 0, 0)
        grid.addWidget(self.lon_spin, 0, 1)
        grid.addWidget(lat_label, 0, 2)
        grid.addWidget(self.lat_spin, 0, 3)
        grid.addWidget(self.place_note_edit, 1, 0, 1, 4)
        grid.addWidget(self.street_label, 2, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        layout.addWidget(page)
        self.lon_spin.valueChanged.connect(self._show_street)
        self.lat_spin.valueChanged.connect(self._show_street)
        self._show_street()
        self._show_place()
        return box

    def _recent_events(self):
        """The store's newest events, newest first, at most `ADDRESS_SCAN` of them (each read
        decodes a stored row, so the address list looks at the recent past only)."""
        store = self._bridge.store
        last = len(store) - 1
        for row in range(last, max(-1, last - self.ADDRESS_SCAN), -1):
            yield store.event_at(row)

    def _coordinate_spin(self, parent: QWidget, name: str, axis: int) -> QDoubleSpinBox:
        spin = QDoubleSpinBox(parent)
        spin.setObjectName(name)
        spin.setDecimals(6)
        spin.setSingleStep(0.0005)
        spin.setKeyboardTracking(False)
        bounds = self._bounds
        if bounds is not None:
            low = (bounds.min_lon, bounds.min_lat)[axis]
            high = (bounds.max_lon, bounds.max_lat)[axis]
            spin.setRange(low, high)
            spin.setValue(bounds.center[axis])
        else:
            spin.setRange(-180.0, 180.0) if axis == 0 else spin.setRange(-90.0, 90.0)
        return spin

    def _set_tab_order(self) -> None:
        chain = [self.title_edit, self.category_combo, self.level_combo, self.address_radio,
                 self.coordinates_radio, self.address_edit, self.lon_spin, self.lat_spin, self.place_note_edit,
                 self.description_edit, self.reporter_name_edit, self.reporter_phone_edit,
                 self.create_button, self.cancel_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # ---- Reacting to the user

    def _category_changed(self, _index: int) -> None:
        code = self.category_combo.currentData(_CODE)
        if not code or self._level_touched:
            return
        category = next((c for c in self._catalog.categories if c.code == code), None)
        if category is not None:
            index = self.level_combo.findData(category.default_level)
            if index >= 0:
                self.level_combo.setCurrentIndex(index)

    def _level_chosen(self, _index: int) -> None:
        self._level_touched = True

    def _set_mode(self, mode: int) -> None:
        if mode == self.MODE_COORDINATES:
            place = self.place()
            if place is not None:  # start from the place picked so far
                with QSignalBlocker(self.lon_spin), QSignalBlocker(self.lat_spin):
                    self.lon_spin.setValue(place.lon)
                    self.lat_spin.setValue(place.lat)
                self._show_street()
                if not self.place_note_edit.text() and place.kind == "address":
                    self.place_note_edit.setText(place.label)
            elif not self.place_note_edit.text():  # an address not in the list: keep it
                self.place_note_edit.setText(self.address_edit.text().strip())
        self.address_page.setVisible(mode == self.MODE_ADDRESS)
        self.coordinates_page.setVisible(mode == self.MODE_COORDINATES)
        self.address_edit.setEnabled(mode == self.MODE_ADDRESS)
        for widget in (self.lon_spin, self.lat_spin, self.place_note_edit):
            widget.setEnabled(mode == self.MODE_COORDINATES)

    def _show_place(self, *_args) -> None:
        place = self.place()
        if place is None:
            text = self.address_edit.text().strip()
            self.place_label.setText(self.tr("Not in the list yet: keep typing or pick one.")
                                     if text else "")
            return
        street = self._street_of(place)
        self.place_label.setText(
            f"{street.name if street else '—'} · {place.lon:.6f}, {place.lat:.6f}")

    def _show_street(self, *_args) -> None:
        street = nearest_street(self._catalog.streets, self.lon_spin.value(), self.lat_spin.value())
        self.street_label.setText(
            self.tr("Street: %1 (the nearest)").replace("%1", street.name if street else "—"))

    # ---- Location

    def _street_of(self, place: Place):
        if place.street_id and place.street_id in self._streets:
            return self._streets[place.street_id]
        return nearest_street(self._catalog.streets, place.lon, place.lat)

    def _location(self) -> Location | None:
        if self.mode() == self.MODE_COORDINATES:
            lon, lat = self.lon_spin.value(), self.lat_spin.value()
            street = nearest_street(self._catalog.streets, lon, lat)
            return Location(lon=lon, lat=lat, address=self.place_note_edit.text().strip(),
                            street_id=street.id if street else None)
        place = self.place()
        if place is None:
            return None
        street = self._street_of(place)
        return Location(lon=place.lon, lat=place.lat, address=place.label,
                        street_id=street.id if street else None)

    # ---- The command

    def _command_finished(self, result) -> None:
        if result.command.id != self._pending_id:
            return
        self._pending_id = ""
        self._lock(False)
        if result.ok and result.event is not None:
            self._command = None
            self._show_result(self.tr("Created %1.").replace("%1", result.event.id), "ok")
            self.sig_created.emit(result.event.id)
            self.accept()
            return
        error = result.error
        # Without an answer (or with a server fault) nobody knows whether the backend made
        # the event: the same command, with its key, goes again on the next try.
        self._resendable = error is not None and (error.status == 0 or error.status >= 500
                                                  or error.code == "in_progress")
        self._show_result(self._error_text(error), "error")

    def _error_text(self, error) -> str:
        if error is None:
            return self.tr("The event was not created.")
        if error.status == 0:
            return self.tr("No answer from the backend. Nothing you typed is lost: press "
                           "Ctrl+Enter to try again (the event will not be entered twice).")
        if error.status == 403:
            return self.tr("Your role may not create events.")
        if error.code == "in_progress":
            return self.tr("The backend is still creating this event; try again in a moment.")
        if error.status == 422:
            return self.tr("The backend refused the event: %1").replace(
                "%1", error.message or error.code)
        return self.tr("The event was not created: %1").replace("%1", error.message or error.code)

    def _lock(self, locked: bool) -> None:
        if locked:
            self._focus_before_lock = self.focusWidget()
        self.form.setEnabled(not locked)
        self.create_button.setEnabled(not locked)
        self.cancel_button.setEnabled(not locked)
        if not locked and self._focus_before_lock is not None:
            self._focus_before_lock.setFocus(Qt.FocusReason.OtherFocusReason)
            self._focus_before_lock = None

    def _show_result(self, text: str, state: str) -> None:
        show_state(self.result_label, text, state)
        self.result_label.setVisible(bool(text))
