"""A computed plan as stored in `SessionPlan.result` (JSON), written and read in one place.

`plan_result_json` turns the planner's `Plan` into JSON (user ids as strings);
`read_plan_result` reads it back as typed, frozen dataclasses, and is the only reader:
the plan pages, the heat map, accepting a plan and the office-hours clash check all go
through it (`SessionPlan.outcome`). Plans stored before a key existed read with its
default, so older rows keep working.

No Django imports: a pure translation between the planner's types and JSON.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cohortkit.scheduling.planner import Plan, SessionTime


@dataclass(frozen=True, slots=True)
class StoredTime:
    """One chosen weekly time, in the plan's anchor zone."""

    weekday: int
    minute: int
    label: str

    @property
    def session_time(self) -> SessionTime:
        return SessionTime(self.weekday, self.minute)


@dataclass(frozen=True, slots=True)
class StoredReason:
    """Why a participant is left out: the planner's ``code`` (see
    `planner.UncoveredReason`), the 0-based run weeks that fail, and the planner's English
    ``message`` (for the command line; pages say it in the reader's language, from the
    code and its parameters ``other_times`` and ``shift_weeks``: `scheduling.left_out`)."""

    code: str
    message: str
    weeks: tuple[int, ...] = ()
    other_times: int = 0
    shift_weeks: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredShift:
    """A change of a participant's offset to the anchor zone: from 0-based ``week`` on, at
    ``at``, their local time moves ``after - before`` minutes."""

    week: int
    at: datetime
    before: int
    after: int

    @property
    def minutes(self) -> int:
        return self.after - self.before


@dataclass(frozen=True, slots=True)
class PlanResult:
    """A stored plan: the chosen ``times``; how many ``participants`` it was computed for,
    how many it ``covered``, and for how many of those the session falls in their local
    ``night``; each participant's group (``assignment``, user id → index into ``times`` or
    None); the (7, 96) ``coverage`` counts for the heat map; who is left out and why; whose
    local time shifts during the run."""

    times: tuple[StoredTime, ...]
    participants: int
    covered: int
    night: int
    assignment: Mapping[str, int | None]
    coverage: tuple[tuple[int, ...], ...]
    uncovered: Mapping[str, StoredReason]
    offset_shifts: Mapping[str, tuple[StoredShift, ...]]

    @property
    def covered_share(self) -> int:
        """The covered participants in percent, rounded."""
        return round(100 * self.covered / self.participants) if self.participants else 0

    def group_counts(self) -> list[int]:
        """How many participants each time was assigned."""
        counts = [0] * len(self.times)
        for index in self.assignment.values():
            if index is not None:
                counts[index] += 1
        return counts

    def members(self, index: int) -> list[int]:
        """The user ids assigned to the time at ``index``."""
        return [int(key) for key, value in self.assignment.items() if value == index]

    def people(self) -> set[int]:
        """The user ids the page names: those left out and those whose time shifts."""
        return {int(key) for key in self.uncovered} | {int(key) for key in self.offset_shifts}


def plan_result_json(plan: Plan) -> dict[str, Any]:
    """The planner's result as JSON for `SessionPlan.result` (ids are user ids as strings)."""
    return {
        "times": [
            {"weekday": t.weekday, "minute": t.minute_of_day, "label": t.label} for t in plan.times
        ],
        "participants": plan.participants,
        "covered": plan.covered,
        "night": plan.night,
        "assignment": plan.assignment,
        "coverage": plan.coverage.tolist(),
        "uncovered": {
            key: {
                "code": r.code,
                "message": r.message,
                "weeks": list(r.weeks),
                "other_times": r.other_times,
                "shift_weeks": list(r.shift_weeks),
            }
            for key, r in plan.uncovered.items()
        },
        "offset_shifts": {
            key: [
                {"week": s.week, "at": s.at.isoformat(), "before": s.before, "after": s.after}
                for s in shifts
            ]
            for key, shifts in plan.offset_shifts.items()
        },
    }


def read_plan_result(data: Mapping[str, Any] | None) -> PlanResult | None:
    """The stored JSON as a `PlanResult`; None when there is none (not computed, failed)."""
    if not data:
        return None
    return PlanResult(
        times=tuple(
            StoredTime(int(t["weekday"]), int(t["minute"]), str(t["label"]))
            for t in data.get("times", [])
        ),
        participants=int(data.get("participants", 0)),
        covered=int(data.get("covered", 0)),
        night=int(data.get("night", 0)),
        assignment={
            str(key): None if value is None else int(value)
            for key, value in data.get("assignment", {}).items()
        },
        coverage=tuple(tuple(int(c) for c in row) for row in data.get("coverage", [])),
        uncovered={str(key): _reason(value) for key, value in data.get("uncovered", {}).items()},
        offset_shifts={
            str(key): tuple(
                StoredShift(
                    int(s["week"]),
                    datetime.fromisoformat(s["at"]),
                    int(s["before"]),
                    int(s["after"]),
                )
                for s in shifts
            )
            for key, shifts in data.get("offset_shifts", {}).items()
        },
    )


def _reason(data: Mapping[str, Any]) -> StoredReason:
    message = str(data.get("message", ""))
    if "shift_weeks" in data:
        shift_weeks = tuple(int(week) for week in data["shift_weeks"])
    elif "DST shift in" in message:
        # Stored before the parameters were: the English message names the weeks (1-based).
        cause = message.partition("DST shift in")[2]
        shift_weeks = tuple(int(week) - 1 for week in re.findall(r"week (\d+)", cause))
    else:
        shift_weeks = ()
    other_times = data.get("other_times")
    if other_times is None:
        found = re.match(r"can attend (\d+) other", message)
        other_times = int(found.group(1)) if found else 0
    return StoredReason(
        code=str(data["code"]),
        message=message,
        weeks=tuple(int(week) for week in data.get("weeks", [])),
        other_times=int(other_times),
        shift_weeks=shift_weeks,
    )
