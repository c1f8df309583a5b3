"""What the one-key dispatch proposes: units with their reasons, instructions and due times.

The proposal follows the catalog: the category's lead unit (or its parent's), the category's
assisting units, the office of the event's street, and the nearest available response team.
A unit that sent this event back is not proposed as lead again. Everything here is a
proposal; the shift leader edits it in the dispatch dialog before it is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from console.schema import AssignmentRequest, Catalog, Category, Event, Unit
from console.units import distance_km

#: Why a unit is proposed (the views translate these).
Reason = Literal["category_lead", "category_assist", "event_street", "nearest_team",
                 "fallback_lead"]
#: The unit that leads when a category names none.
FALLBACK_LEAD = "city_ops"
GENERIC_TEMPLATE = "请尽快处置「{title}」（{address}），到场后及时反馈处置情况。"


@dataclass(frozen=True)
class UnitProposal:
    """One proposed unit: its role, why it is proposed, and how far away it is (teams)."""

    unit_id: str
    name: str
    role: Literal["lead", "assist"]
    reason: Reason
    distance_km: float | None = None
    status: str = "available"
    #: The unit sent this event back before.
    returned_before: bool = False


@dataclass(frozen=True)
class DispatchProposal:
    """The dispatch dialog's starting point for one event."""

    event_id: str
    expected_version: int
    units: list[UnitProposal]
    templates: list[str]
    instructions: str
    sign_minutes: int
    due_at: datetime | None
    extra_units: list[Unit] = field(default_factory=list)


def category_of(catalog: Catalog, code: str) -> tuple[Category | None, Category | None]:
    """The category with `code` and its parent (either may be None)."""
    by_code = {c.code: c for c in catalog.categories}
    category = by_code.get(code)
    parent = by_code.get(category.parent) if category and category.parent else None
    return category, parent


def fill_template(template: str, event: Event, street_name: str) -> str:
    """A template with {title}, {address} and {street} filled; unknown braces stay as typed."""
    values = {"title": event.title, "address": event.location.address or street_name,
              "street": street_name}
    out = template
    for key, value in values.items():
        out = out.replace("{" + key + "}", value)
    return out


def propose(event: Event, catalog: Catalog, units: list[Unit], now: datetime) -> DispatchProposal:
    """The proposal for dispatching `event` (see the module docstring)."""
    by_id = {u.id: u for u in units}
    category, parent = category_of(catalog, event.category)
    returned = {a.unit_id for a in event.assignments if a.status == "returned"}
    for entry in event.timeline:
        if entry.action == "return" and entry.actor in by_id:
            returned.add(entry.actor)

    chosen: list[UnitProposal] = []
    taken: set[str] = set()
    here = (event.location.lon, event.location.lat)

    def add(unit_id: str, role: str, reason: Reason) -> None:
        unit = by_id.get(unit_id)
        if unit is None or unit_id in taken:
            return
        taken.add(unit_id)
        distance = round(distance_km(here, unit.position), 2) \
            if unit.kind == "team" and unit.position is not None else None
        chosen.append(UnitProposal(unit_id, unit.name, role, reason, distance, unit.status,
                                   unit_id in returned))

    leads = [*(category.lead_units if category else []), *(parent.lead_units if parent else [])]
    lead = next((u for u in leads if u in by_id and u not in returned), None)
    if lead is not None:
        add(lead, "lead", "category_lead")
    else:
        add(FALLBACK_LEAD, "lead", "fallback_lead")
    for unit_id in (category.assist_units if category else []) or \
            (parent.assist_units if parent else []):
        add(unit_id, "assist", "category_assist")
    street_id = event.location.street_id
    if street_id:
        add(f"street_{street_id}", "assist", "event_street")
    teams = sorted(
        (distance_km(here, u.position), u.id) for u in units
        if u.kind == "team" and u.status == "available" and u.position is not None
        and u.id not in taken and u.id not in returned
    )
    if teams:
        add(teams[0][1], "assist", "nearest_team")

    streets = {s.id: s.name for s in catalog.streets}
    street_name = streets.get(street_id or "", "")
    templates = list((category.instruction_templates if category else []) or
                     (parent.instruction_templates if parent else []) or [GENERIC_TEMPLATE])
    sla = category.sla if category else parent.sla if parent else None
    sign_minutes = sla.sign_minutes if sla else 30
    due_at = event.sla.resolve_due
    if due_at is None or due_at <= now:
        due_at = now + timedelta(hours=sla.resolve_hours if sla else 24)
    return DispatchProposal(
        event_id=event.id, expected_version=event.version, units=chosen,
        templates=[fill_template(t, event, street_name) for t in templates],
        instructions=fill_template(templates[0], event, street_name),
        sign_minutes=sign_minutes, due_at=due_at,
        extra_units=[u for u in units if u.id not in taken],
    )


def assignments(selected: list[tuple[str, str]], instructions: str,
                due_at: datetime | None) -> list[AssignmentRequest]:
    """The dispatch body's assignments for `selected` (unit_id, role) pairs.

    Raises ValueError unless exactly one unit leads and no unit is listed twice.
    """
    leads = [unit for unit, role in selected if role == "lead"]
    if len(leads) != 1:
        raise ValueError("exactly one lead unit")
    if len({unit for unit, _role in selected}) != len(selected):
        raise ValueError("a unit is listed twice")
    return [AssignmentRequest(unit_id=unit, role=role, instructions=instructions, due_at=due_at)
            for unit, role in selected]
