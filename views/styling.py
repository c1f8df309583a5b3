"""Dynamic style properties: the theme (resources/themes/*.qss) styles widgets by properties
such as `state` and `tone`, and Qt applies a changed property only after a re-polish."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


def set_style_property(widget: QWidget, name: str, value) -> None:
    """Set `widget`'s property `name` and re-polish it so the theme follows (no-op if same)."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def show_state(label: QLabel, text: str, state: str) -> None:
    """`label` says `text` in the theme's colour for `state` ("ok", "busy", "error", …)."""
    label.setText(text)
    set_style_property(label, "state", state)
