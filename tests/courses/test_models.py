from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cohortkit.courses.models import Phase
from tests.factories import RunFactory

pytestmark = pytest.mark.django_db


def test_phase_follows_the_2021_dates() -> None:
    run = RunFactory(is_self_paced=False)
    expected = {
        datetime(2020, 12, 14, 23, 59, tzinfo=UTC): Phase.UPCOMING,
        datetime(2020, 12, 15, tzinfo=UTC): Phase.ACCEPTING,
        datetime(2021, 1, 14, 23, 58, tzinfo=UTC): Phase.ACCEPTING,
        datetime(2021, 1, 14, 23, 59, tzinfo=UTC): Phase.SELECTING,
        datetime(2021, 2, 1, tzinfo=UTC): Phase.IN_PROGRESS,
        datetime(2021, 3, 28, 23, 59, tzinfo=UTC): Phase.IN_PROGRESS,
        datetime(2021, 3, 29, tzinfo=UTC): Phase.COMPLETED,
    }
    assert {at: run.phase_at(at) for at in expected} == expected


def test_completed_run_opened_for_self_study_is_self_paced() -> None:
    run = RunFactory(is_self_paced=True)
    assert run.phase_at(datetime(2022, 1, 1, tzinfo=UTC)) == Phase.SELF_PACED


@pytest.mark.parametrize("zone", ["Asia/Kolkata", "Australia/Adelaide", "America/St_Johns"])
def test_run_starts_and_ends_at_local_midnight_in_half_hour_zones(zone: str) -> None:
    run = RunFactory(timezone=zone, starts_on=date(2021, 2, 1), weeks=8)
    local = ZoneInfo(zone)
    assert run.starts_at == datetime(2021, 2, 1, tzinfo=local)
    assert run.ends_on == date(2021, 3, 28)
    assert run.ends_at == datetime(2021, 3, 29, tzinfo=local)
    just_before_start = run.starts_at - timedelta(minutes=1)
    assert run.phase_at(just_before_start) == Phase.SELECTING
    assert run.phase_at(run.starts_at) == Phase.IN_PROGRESS


def test_run_end_across_a_dst_change_is_local_midnight_not_a_fixed_offset() -> None:
    # Europe moved its clocks on 2021-03-28: the run's last day is 23 hours long.
    run = RunFactory(timezone="Europe/Berlin", starts_on=date(2021, 2, 1), weeks=8)
    assert run.starts_at.utcoffset() == timedelta(hours=1)
    assert run.ends_at.astimezone(UTC) == datetime(2021, 3, 28, 22, tzinfo=UTC)
    assert run.phase_at(datetime(2021, 3, 28, 21, 59, tzinfo=UTC)) == Phase.IN_PROGRESS
    assert run.phase_at(datetime(2021, 3, 28, 22, 0, tzinfo=UTC)) == Phase.COMPLETED


def test_milestones_are_the_five_dates_in_order() -> None:
    run = RunFactory()
    assert [label for label, _ in run.milestones()] == [
        "Applications open",
        "Applications close",
        "Successful applicants notified",
        "Onboarding call",
        "Course begins",
    ]
    when = [value for _, value in run.milestones()]
    # The first day of the run is a calendar date; the others are instants.
    assert when == [
        datetime(2020, 12, 15, tzinfo=UTC),
        datetime(2021, 1, 14, 23, 59, tzinfo=UTC),
        datetime(2021, 1, 18, 12, tzinfo=UTC),
        datetime(2021, 1, 25, 15, tzinfo=UTC),
        date(2021, 2, 1),
    ]
