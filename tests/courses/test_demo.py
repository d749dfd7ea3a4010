from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from cohortkit.accounts.models import User
from cohortkit.courses.demo import Demo, load_demo
from cohortkit.courses.models import Course, Module, Phase, Role, Run, RunRole, Topic

pytestmark = pytest.mark.django_db


def _demo_has_the_2021_run_with_its_real_milestones_completed(demo: Demo) -> None:
    run = demo.completed_run
    assert (run.capacity, run.starts_on, run.weeks) == (40, date(2021, 2, 1), 8)
    assert [
        when.date() if isinstance(when, datetime) else when for _, when in run.milestones()
    ] == [
        date(2020, 12, 15),
        date(2021, 1, 14),
        date(2021, 1, 18),
        date(2021, 1, 25),
        date(2021, 2, 1),
    ]
    assert run.phase in {Phase.COMPLETED, Phase.SELF_PACED}


def _demo_has_a_run_accepting_applications_today(demo: Demo) -> None:
    assert demo.open_run.phase == Phase.ACCEPTING
    assert demo.current_run.phase == Phase.IN_PROGRESS


def _demo_applicants_span_at_least_30_zones_of_every_kind(demo: Demo) -> None:
    assert len(demo.applicants) == 120
    zones = {person.timezone for person in demo.applicants}
    assert len(zones) >= 30
    january, july = datetime(2021, 1, 15, tzinfo=UTC), datetime(2021, 7, 15, tzinfo=UTC)

    def offset_minutes(zone: str, at: datetime) -> int:
        offset = at.astimezone(ZoneInfo(zone)).utcoffset() or timedelta()
        return int(offset.total_seconds() // 60)

    half_hour = {z for z in zones if offset_minutes(z, january) % 60 in (30, -30)}
    quarter = {z for z in zones if offset_minutes(z, january) % 60 == 45}
    with_dst = {z for z in zones if offset_minutes(z, january) != offset_minutes(z, july)}
    southern_dst = {z for z in with_dst if offset_minutes(z, january) > offset_minutes(z, july)}
    northern_dst = with_dst - southern_dst
    assert half_hour
    assert quarter
    assert zones - with_dst
    assert southern_dst
    assert northern_dst


def _demo_outline_has_the_eight_modules_in_every_run(demo: Demo) -> None:
    for run in Run.objects.all():
        assert Module.objects.filter(run=run).count() == 8
    assert Topic.objects.filter(module__run__slug="2021").count() == 19


def test_demo_is_idempotent() -> None:
    load_demo()
    counts = (
        Course.objects.count(),
        Run.objects.count(),
        User.objects.count(),
        RunRole.objects.count(),
        Topic.objects.count(),
    )
    load_demo()
    assert (
        Course.objects.count(),
        Run.objects.count(),
        User.objects.count(),
        RunRole.objects.count(),
        Topic.objects.count(),
    ) == counts


def _demo_staff_have_their_roles(demo: Demo) -> None:
    assert set(RunRole.objects.filter(user=demo.coordinator).values_list("role", flat=True)) == {
        Role.COORDINATOR
    }
    assert RunRole.objects.filter(run=demo.open_run, role=Role.REVIEWER).count() == 4


def test_demo_command_if_empty_prints_the_logins_without_loading_twice(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("demo", if_empty=True)
    first = capsys.readouterr().out
    call_command("demo", if_empty=True)
    second = capsys.readouterr().out
    assert "Demo loaded" in first
    assert "not loaded again" in second
    for output in (first, second):
        assert "coordinator@example.org" in output
        assert "demo-password-2021" in output


def test_demo_matches_the_reference_course() -> None:
    demo = load_demo()
    _demo_has_the_2021_run_with_its_real_milestones_completed(demo)
    _demo_has_a_run_accepting_applications_today(demo)
    _demo_applicants_span_at_least_30_zones_of_every_kind(demo)
    _demo_outline_has_the_eight_modules_in_every_run(demo)
    _demo_staff_have_their_roles(demo)
