"""The stored plan's one reader: what the planner found reads back whole, older rows too."""

import json
from datetime import UTC, date, datetime

from cohortkit.scheduling.availability import Participant, parse_availability
from cohortkit.scheduling.plan_results import (
    PlanResult,
    StoredReason,
    StoredShift,
    StoredTime,
    plan_result_json,
    read_plan_result,
)
from cohortkit.scheduling.planner import plan_sessions


def cohort() -> list[Participant]:
    return [
        Participant("1", "Europe/Berlin", parse_availability("Mon 18:00-20:00")),
        Participant("2", "America/New_York", parse_availability("Mon 12:00-14:00")),
        Participant("3", "Asia/Kolkata", parse_availability("Tue 09:00-09:30")),
        Participant("4", "UTC", parse_availability("Wed 10:00-12:00")),
    ]


def test_a_plan_reads_back_as_the_planner_found_it():
    # March 2021: Berlin and New York change their clocks in different weeks.
    plan = plan_sessions(cohort(), start=date(2021, 3, 8), weeks=4, duration_minutes=60)
    stored = json.loads(json.dumps(plan_result_json(plan)))  # as the JSONField keeps it

    result = read_plan_result(stored)

    assert result is not None
    assert result.uncovered  # the case has someone left out
    assert result.offset_shifts  # and clocks changing
    assert result.times == tuple(
        StoredTime(t.weekday, t.minute_of_day, t.label) for t in plan.times
    )
    assert [entry.session_time for entry in result.times] == plan.times
    assert (result.participants, result.covered, result.night) == (4, plan.covered, plan.night)
    assert result.assignment == plan.assignment
    assert result.coverage == tuple(tuple(row) for row in plan.coverage.tolist())
    assert result.uncovered == {
        key: StoredReason(
            reason.code, reason.message, reason.weeks, reason.other_times, reason.shift_weeks
        )
        for key, reason in plan.uncovered.items()
    }
    assert result.offset_shifts == {
        key: tuple(StoredShift(s.week, s.at, s.before, s.after) for s in shifts)
        for key, shifts in plan.offset_shifts.items()
    }
    assert result.group_counts() == [plan.covered]
    assert result.members(0) == [int(key) for key, v in plan.assignment.items() if v == 0]
    assert result.covered_share == round(100 * plan.covered / 4)


def test_nothing_stored_reads_as_none():
    assert read_plan_result(None) is None
    assert read_plan_result({}) is None


def test_a_row_stored_before_a_key_existed_reads_with_its_default():
    result = read_plan_result(
        {
            "times": [{"weekday": 0, "minute": 840, "label": "Mon 14:00"}],
            "participants": 2,
            "covered": 1,
            "assignment": {"7": 0, "8": None},
            "uncovered": {"8": {"code": "no_window", "message": "no available stretch"}},
            "offset_shifts": {
                "7": [{"week": 2, "at": "2021-03-28T01:00:00+00:00", "before": 60, "after": 120}]
            },
        }
    )

    assert result == PlanResult(
        times=(StoredTime(0, 840, "Mon 14:00"),),
        participants=2,
        covered=1,
        night=0,
        assignment={"7": 0, "8": None},
        coverage=(),
        uncovered={"8": StoredReason("no_window", "no available stretch", ())},
        offset_shifts={"7": (StoredShift(2, datetime(2021, 3, 28, 1, tzinfo=UTC), 60, 120),)},
    )
    assert result.offset_shifts["7"][0].minutes == 60
    assert result.people() == {7, 8}
