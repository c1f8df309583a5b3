"""How each simulated unit answers a dispatch, and which report of an event is due next.

Pure and deterministic: a unit's plan follows from the seed, the event id, the dispatch round
(the first dispatch, a re-dispatch, ...) and the unit; the next report follows from the plan
and what the event records (its dispatch, urges, sign-for times, arrival). Durations of a plan
are in simulated seconds; `speed` turns them into wall-clock time.
"""

from __future__ import annotations

import math
import random
import re
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from ..catalog_data import CATEGORY_BY_CODE

#: The lead's behaviour is bucketed with a golden-ratio (Weyl) sequence over the event number
#: instead of independent dice: any few dozen consecutive events then show every behaviour
#: in about its share (40 in a row hold at least one of each), which keeps small demos and
#: tests representative.
GOLDEN = (math.sqrt(5) - 1) / 2
RETURN_SHARE = 0.08
SLOW_SHARE = 0.05
AWAITS_URGE_SHARE = 0.05
#: The shortest resolve a lead reports, in simulated seconds.
MIN_RESOLVE_SECONDS = 10 * 60
DEFAULT_SIGN_MINUTES = 30

RETURN_REASONS = (
    "非本单位职责，申请退回",
    "事发地点不在本单位辖区，请核实后改派",
    "该事项属物业管理范畴，建议转住建部门处理",
    "现场核实无此情况，申请退回",
    "涉及多个部门职责，请区城运中心协调后重新派单",
    "地址信息不详，无法定位现场，请补充后重新派单",
)

Behaviour = Literal["on_time", "slow", "awaits_urge", "returns"]
ACTIVE_STATUSES = ("dispatched", "signed", "on_site")


@dataclass(frozen=True)
class UnitPlan:
    """What one unit does with one dispatch (times in simulated seconds).

    `sign_after` counts from the dispatch (None: the unit signs only when urged);
    `urge_reaction` from an urge; `arrive_after` (lead) from its signing; `resolve_share` is
    the share of the resolve window left at arrival that the lead takes to resolve.
    """

    behaviour: Behaviour
    sign_after: float | None
    return_after: float | None
    urge_reaction: float
    arrive_after: float
    resolve_share: float
    reason: str


@dataclass(frozen=True)
class Step:
    """The next report of an event: who reports what, and when (wall-clock time)."""

    due: datetime
    action: Literal["sign", "arrive", "resolve", "return"]
    unit_id: str
    note: str = ""


def lead_behaviour(seed: int, event_id: str, round_: int) -> Behaviour:
    """How the lead unit answers dispatch number `round_` of an event."""
    offset = random.Random(f"hall-units:{seed}:round:{round_}").random()
    u = (_event_number(event_id) * GOLDEN + offset) % 1.0
    if u < RETURN_SHARE:
        return "returns"
    if u < RETURN_SHARE + SLOW_SHARE:
        return "slow"
    if u < RETURN_SHARE + SLOW_SHARE + AWAITS_URGE_SHARE:
        return "awaits_urge"
    return "on_time"


def plan_unit(seed: int, event_id: str, round_: int, unit_id: str, role: str,
              sign_window: float) -> UnitPlan:
    """The plan of one unit for dispatch `round_` of an event (`sign_window` in seconds)."""
    rng = random.Random(f"hall-units:{seed}:{event_id}:{round_}:{unit_id}")
    on_time = rng.uniform(0.1, 0.8) * sign_window
    late = rng.uniform(1.2, 2.5) * sign_window
    back = rng.uniform(0.1, 0.6) * sign_window
    reaction = rng.uniform(60, 180)
    arrive = rng.uniform(5 * 60, 25 * 60)
    share = rng.uniform(0.2, 0.7)
    reason = rng.choice(RETURN_REASONS)
    behaviour = lead_behaviour(seed, event_id, round_) if role == "lead" else "on_time"
    sign_after = {"on_time": on_time, "slow": late}.get(behaviour)
    return UnitPlan(behaviour, sign_after, back if behaviour == "returns" else None, reaction,
                    arrive, share, reason)


def next_step(event: dict, seed: int, speed: float) -> Step | None:
    """The earliest report still to come on `event` (possibly not due yet), or None."""
    status = event.get("status")
    timeline = event.get("timeline") or []
    dispatches = [i for i, entry in enumerate(timeline) if entry["action"] == "dispatch"]
    if status not in ACTIVE_STATUSES or not dispatches:
        return None
    since = timeline[dispatches[-1]:]
    dispatched_at = _time(since[0]["at"])
    urged_at = next((_time(e["at"]) for e in since if e["action"] == "urge"), None)
    category = CATEGORY_BY_CODE.get(event.get("category"))
    window = 60.0 * (category["sla"]["sign_minutes"] if category else DEFAULT_SIGN_MINUTES)

    def later(start: datetime, sim_seconds: float) -> datetime:
        return start + timedelta(seconds=sim_seconds / speed)

    steps: list[Step] = []
    for assignment in event.get("assignments") or []:
        unit_id, role = assignment["unit_id"], assignment["role"]
        plan = plan_unit(seed, event["id"], len(dispatches), unit_id, role, window)
        if assignment["status"] == "sent":
            own = plan.return_after if plan.behaviour == "returns" else plan.sign_after
            options = [later(dispatched_at, own)] if own is not None else []
            if urged_at is not None:
                options.append(later(urged_at, plan.urge_reaction))
            if options:
                action = "return" if plan.behaviour == "returns" else "sign"
                note = plan.reason if action == "return" else ""
                steps.append(Step(min(options), action, unit_id, note))
        elif role == "lead" and assignment["status"] == "signed":
            steps.append(_lead_step(event, since, assignment, plan, later))
    return min(steps, key=lambda s: s.due) if steps else None


def _lead_step(event: dict, since: list[dict], lead: dict, plan: UnitPlan, later) -> Step:
    signed_at = _time(lead["signed_at"]) if lead.get("signed_at") else _time(since[0]["at"])
    if event["status"] != "on_site":
        return Step(later(signed_at, plan.arrive_after), "arrive", lead["unit_id"])
    arrived_at = next((_time(e["at"]) for e in reversed(since) if e["action"] == "arrive"),
                      signed_at)
    resolve_due = (event.get("sla") or {}).get("resolve_due")
    left = (_time(resolve_due) - arrived_at).total_seconds() if resolve_due else 0.0
    took = max(MIN_RESOLVE_SECONDS, plan.resolve_share * left)
    return Step(later(arrived_at, took), "resolve", lead["unit_id"])


def _event_number(event_id: str) -> int:
    match = re.search(r"(\d+)$", event_id)
    return int(match.group(1)) if match else zlib.crc32(event_id.encode())


def _time(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)
