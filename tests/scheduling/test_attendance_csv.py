"""Attendance as a spreadsheet: each participant's summary, the overview's figures."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.urls import reverse

from cohortkit.courses.models import Role
from cohortkit.scheduling.models import Attendance
from tests.conftest import Cast
from tests.factories import RunRoleFactory, UserFactory
from tests.factories.scheduling import weekly_series
from tests.queries import page_queries
from tests.spreadsheets import read_csv

RECORDED = datetime(2021, 1, 1, tzinfo=UTC)


def _url(cast: Cast) -> str:
    kwargs = {"slug": cast.run.course.slug, "run": cast.run.slug}
    return reverse("scheduling:attendance_csv", kwargs=kwargs)


def test_the_attendance_csv_has_each_participants_summary(cast: Cast, tmp_path: Path) -> None:
    formula = UserFactory(display_name="@SUM(1+1)*cmd|' /C calc'!A0", email="f@example.org")
    RunRoleFactory(run=cast.run, user=formula, role=Role.PARTICIPANT)
    series = weekly_series(cast.run, members=[cast.participant, formula])
    weeks = list(series.occurrences.order_by("week")[:3])
    for occurrence, status in zip(weeks, ["present", "late", "absent"], strict=True):
        Attendance.objects.create(
            occurrence=occurrence, user=cast.participant, status=status, recorded_at=RECORDED
        )
    for occurrence, status in zip(weeks, ["excused", "absent", "absent"], strict=True):
        Attendance.objects.create(
            occurrence=occurrence, user=formula, status=status, recorded_at=RECORDED
        )

    response = cast.client_for("facilitator").get(_url(cast))

    assert response["Content-Disposition"] == (
        f'attachment; filename="attendance-{cast.run.course.slug}-{cast.run.slug}.csv"'
    )
    assert read_csv(response, tmp_path) == [
        ["Participant", "E-mail", "Recorded", "Present", "Late", "Excused", "Absent",
         "Attendance (%)", "Needs attention"],
        ["'@SUM(1+1)*cmd|' /C calc'!A0", "f@example.org", "3", "0", "0", "1", "2", "0", "yes"],
        ["Participant", cast.participant.email, "3", "1", "1", "0", "1", "67", "no"],
    ]  # fmt: skip


def test_a_participant_with_nothing_recorded_has_no_rate(cast: Cast, tmp_path: Path) -> None:
    rows = read_csv(cast.client_for("coordinator").get(_url(cast)), tmp_path)

    assert rows[1:] == [["Participant", cast.participant.email, "0", "0", "0", "0", "0", "", "no"]]


@pytest.mark.parametrize("people", [1, 30])
def test_the_attendance_csv_reads_a_constant_number_of_queries(cast: Cast, people: int) -> None:
    for _ in range(people - 1):
        RunRoleFactory(run=cast.run, role=Role.PARTICIPANT)
    weekly_series(cast.run, members=[cast.participant])

    assert page_queries(cast.client_for("coordinator"), _url(cast)) == 7
