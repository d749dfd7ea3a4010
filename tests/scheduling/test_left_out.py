"""Who the planner leaves out, said in the reader's language from the stored code and
parameters (never the planner's English message)."""

from datetime import date

from django.utils import translation

from cohortkit.scheduling.availability import Participant, parse_availability
from cohortkit.scheduling.left_out import describe_left_out
from cohortkit.scheduling.plan_results import StoredReason, plan_result_json, read_plan_result
from cohortkit.scheduling.planner import SessionTime, evaluate_plan


def _stored_reasons(participants, times, **run):
    plan = evaluate_plan(participants, times, **run)
    result = read_plan_result(plan_result_json(plan))
    assert result is not None
    return result.uncovered


def test_each_reason_is_said_from_its_code_and_parameters():
    reasons = _stored_reasons(
        [
            Participant("short", "UTC", parse_availability("Mon 09:00-09:30")),
            Participant("other", "UTC", parse_availability("Tue 09:00-11:00")),
            # New York changes its clocks on 14 March 2021 (week 6): Monday 14:00 UTC fits
            # the 09:00-11:00 window only before.
            Participant("ny", "America/New_York", parse_availability("Mon 09:00-11:00")),
        ],
        [SessionTime(0, 14 * 60)],
        start=date(2021, 2, 1),
        weeks=8,
        duration_minutes=120,
    )

    with translation.override("en"):
        said = {key: describe_left_out(reason) for key, reason in reasons.items()}

    assert said == {
        "short": "No stretch of their availability is long enough for a session.",
        "other": "They could attend other times every week, but none of the chosen ones.",
        "ny": "Their available times fit in some weeks only: Their clocks change in week 6.",
    }
    assert reasons["other"].other_times > 0


def test_weeks_without_the_session_time_are_named():
    reason = StoredReason("not_every_week", "", weeks=(2, 4), shift_weeks=())

    with translation.override("en"):
        assert describe_left_out(reason) == (
            "Their available times fit in some weeks only: "
            "The session time does not exist in weeks 3, 5."
        )


def test_a_reason_is_said_in_the_language_of_whoever_reads_it():
    reason = StoredReason("no_window", "no available stretch holds a 120-minute session")

    with translation.override("es"):
        spanish = describe_left_out(reason)
    with translation.override("en"):
        english = describe_left_out(reason)

    assert spanish == "Ningún tramo de su disponibilidad es lo bastante largo para una sesión."
    assert english == "No stretch of their availability is long enough for a session."


def test_a_reason_stored_before_its_parameters_reads_them_from_the_message():
    result = read_plan_result(
        {
            "uncovered": {
                "1": {
                    "code": "not_every_week",
                    "message": "no candidate fits every week; available times fit only in "
                    "some weeks: DST shift in week 6, week 9",
                    "weeks": [6, 7],
                },
                "2": {
                    "code": "not_chosen",
                    "message": "can attend 3 other time(s) every week, but none of the chosen "
                    "times",
                },
            }
        }
    )

    assert result is not None
    assert result.uncovered["1"].shift_weeks == (5, 8)
    assert result.uncovered["2"].other_times == 3
