"""A self-paced learner's schedule says plainly that live sessions and attendance do not
apply to them, and points to the recordings (issue 11, item 8's self-paced switch)."""

from datetime import UTC, datetime

import time_machine
from django.urls import reverse

from cohortkit.learning.models import ParticipantState, ParticipantStatus
from cohortkit.scheduling.models import Attendance
from tests.conftest import Cast
from tests.factories.scheduling import weekly_series

NOTICE = "You study this course at your own pace: the live sessions and attendance do not apply"


def _schedule(cast: Cast) -> str:
    url = reverse(
        "scheduling:schedule", kwargs={"slug": cast.run.course.slug, "run": cast.run.slug}
    )
    return cast.client_for("participant").get(url).content.decode()


@time_machine.travel(datetime(2021, 2, 20, tzinfo=UTC), tick=False)
def test_a_self_paced_learner_is_told_sessions_and_attendance_do_not_apply(cast: Cast) -> None:
    series = weekly_series(cast.run, members=[cast.participant], title="Group one")
    Attendance.objects.create(
        occurrence=series.occurrences.get(week=0),
        user=cast.participant,
        status="absent",
        recorded_at=datetime(2021, 2, 1, tzinfo=UTC),
    )
    cohort = _schedule(cast)
    assert (NOTICE in cohort, "Your attendance so far" in cohort) == (False, True)

    ParticipantStatus.objects.create(
        run=cast.run,
        user=cast.participant,
        state=ParticipantState.SELF_PACED,
        self_paced_at=datetime(2021, 2, 15, tzinfo=UTC),
    )
    page = _schedule(cast)

    recordings = reverse(
        "learning:recordings", kwargs={"slug": cast.run.course.slug, "run": cast.run.slug}
    )
    assert (NOTICE in page, "Your attendance so far" in page, f'href="{recordings}"' in page) == (
        True,
        False,
        True,
    )


def test_staff_are_not_told_so(cast: Cast) -> None:
    url = reverse(
        "scheduling:schedule", kwargs={"slug": cast.run.course.slug, "run": cast.run.slug}
    )
    assert NOTICE not in cast.client_for("facilitator").get(url).content.decode()
