"""The one date rule of exercises: an exercise opens with its module, at midnight in the
run's zone on the first day of the module's release week. Tested across daylight-saving
changes and in half-hour zones, through the page and the answer URL, to the second.

(Exercises have no due date; a self-paced learner finds every module of a finished run
released, whenever they enrol.)"""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cohortkit.courses.models import Role
from cohortkit.exercises.models import Answer
from cohortkit.exercises.services import import_questions
from tests.factories import ModuleFactory, RunFactory, RunRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

CASES = [
    # (zone, run start, release week, the opening instant in UTC)
    # Berlin: the week starts the day after clocks went forward (CEST, +2, not +1).
    ("Europe/Berlin", date(2021, 2, 1), 8, datetime(2021, 3, 28, 22, tzinfo=UTC)),
    # New York: the week starts on the day clocks go back; its midnight is still EDT (-4).
    ("America/New_York", date(2021, 10, 31), 1, datetime(2021, 11, 7, 4, tzinfo=UTC)),
    # Kolkata: +5:30 all year.
    ("Asia/Kolkata", date(2021, 2, 1), 1, datetime(2021, 2, 7, 18, 30, tzinfo=UTC)),
    # Adelaide: the week starts the day after clocks went forward (ACDT, +10:30, not +9:30).
    ("Australia/Adelaide", date(2021, 9, 27), 1, datetime(2021, 10, 3, 13, 30, tzinfo=UTC)),
]


@pytest.mark.parametrize(
    ("zone", "starts_on", "week", "opens_at"), CASES, ids=[c[0] for c in CASES]
)
def test_an_exercise_opens_at_local_midnight_of_its_modules_week(
    zone: str, starts_on: date, week: int, opens_at: datetime
) -> None:
    run = RunFactory(timezone=zone, starts_on=starts_on, weeks=10)
    module = ModuleFactory(run=run, position=1, release_week=week)
    exercise, (question,) = import_questions(module, text="Q {=a ~b}\n", file_format="gift")
    learner = UserFactory()
    RunRoleFactory(run=run, user=learner, role=Role.PARTICIPANT)
    kwargs = {"slug": run.course.slug, "run": run.slug, "pk": exercise.pk}
    page = reverse("exercises:exercise", kwargs=kwargs)
    answer = reverse("exercises:answer", kwargs={**kwargs, "question": question.pk})
    seen = []
    for at in (opens_at - timedelta(seconds=1), opens_at):
        cache.clear()
        client = Client()
        client.force_login(learner)
        with time_machine.travel(at, tick=False):
            html = client.get(page).content.decode()
            status = client.post(answer, {f"q{question.pk}-choice": "1"}).status_code
        seen.append(("This exercise opens with its module." in html, status))
    assert seen == [(True, 403), (False, 302)]
    assert Answer.objects.filter(question=question).count() == 1
