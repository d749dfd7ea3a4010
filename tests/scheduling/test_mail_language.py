"""Session reminders name the course, the run and the series (title and agenda) in the
language of each person's mail: the published translation, or the source where there is
none."""

from datetime import UTC, datetime, time
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cohortkit.accounts.models import User
from cohortkit.courses.models import Role, Run
from cohortkit.notifications.models import OutboxMessage
from cohortkit.scheduling.models import SessionPlan
from cohortkit.scheduling.services import accept_plan, compute_plan, sync_reminders
from tests.factories import RunFactory, RunRoleFactory, UserFactory
from tests.factories.scheduling import weekly_series
from tests.factories.translations import publish_translations

pytestmark = pytest.mark.django_db
BEFORE_RUN = datetime(2021, 1, 20, 12, tzinfo=UTC)
REMINDER = "This is a reminder of “%(title)s” in %(course)s (%(run)s)."


def spanish_run() -> Run:
    """ "Partnerships course (February run)", published in Spanish with both titles."""
    run = RunFactory(title="February run", course__title="Partnerships course")
    publish_translations(
        run.course,
        {"course.title": "Curso de alianzas", f"run.{run.slug}.title": "Edición de febrero"},
    )
    return run


def people(run: Run, languages: list[str]) -> list[User]:
    made = [UserFactory(interface_language=language) for language in languages]
    for person in made:
        RunRoleFactory(run=run, user=person, role=Role.PARTICIPANT)
    return made


def reminder(person: User) -> OutboxMessage:
    return OutboxMessage.objects.get(user=person, kind="scheduling-reminder")


@time_machine.travel(BEFORE_RUN, tick=False)
def test_reminders_name_the_course_and_run_in_each_persons_language() -> None:
    run = spanish_run()
    ines, ada, amira = people(run, ["es", "en", "ar"])
    series = weekly_series(
        run, start=time(14), members=[ines, ada, amira], title="Group one", reminder_minutes=60
    )

    assert sync_reminders(series.occurrences.get(week=0)) == 3

    assert {person: reminder(person).language for person in (ines, ada, amira)} == {
        ines: "es",
        ada: "en",
        amira: "ar",
    }
    # The sentence is an interface string, in the mail's language; the titles are content.
    assert [sentence(person) in reminder(person).body for person in (ines, ada, amira)] == [
        True,
        True,
        True,
    ]
    assert "Partnerships course" not in reminder(ines).body
    assert "Curso de alianzas" not in reminder(amira).body


@time_machine.travel(BEFORE_RUN, tick=False)
def test_reminders_name_the_series_and_its_agenda_in_each_persons_language() -> None:
    run = RunFactory(title="February run", course__title="Partnerships course")
    ines, ada = people(run, ["es", "en"])
    series = weekly_series(
        run, start=time(14), members=[ines, ada], title="Group one", reminder_minutes=60
    )
    series.agenda = "Check-in round"
    series.save()
    key = f"scheduling.{run.slug}.session.{series.pk}"
    publish_translations(
        run.course,
        {
            "course.title": "Curso de alianzas",
            f"run.{run.slug}.title": "Edición de febrero",
            f"{key}.title": "Grupo uno",
            f"{key}.agenda": "Ronda de presentación",
        },
    )

    assert sync_reminders(series.occurrences.get(week=0)) == 2

    spanish, english = reminder(ines), reminder(ada)
    with translation.override("es"):
        subject = translation.gettext("Reminder: %(title)s on %(when)s")
        named = translation.gettext(REMINDER) % {
            "title": "Grupo uno", "course": "Curso de alianzas", "run": "Edición de febrero"
        }  # fmt: skip
    assert spanish.subject.startswith(subject.split("%(when)s")[0] % {"title": "Grupo uno"})
    assert named in spanish.body
    assert "Ronda de presentación" in spanish.body
    assert [text for text in ["Group one", "Check-in round"] if text in spanish.body] == []
    assert english.subject.startswith("Reminder: Group one on ")
    assert "“Group one” in Partnerships course (February run)" in english.body
    assert "Check-in round" in english.body


def sentence(person: User) -> str:
    titles = {
        "es": {"course": "Curso de alianzas", "run": "Edición de febrero"},
        "en": {"course": "Partnerships course", "run": "February run"},
        "ar": {"course": "Partnerships course", "run": "February run"},  # not published
    }[person.interface_language]
    with translation.override(person.interface_language):
        return translation.gettext(REMINDER) % {"title": "Group one", **titles}


@time_machine.travel(BEFORE_RUN, tick=False)
def test_accepting_a_plan_queues_reminders_with_titles_in_each_persons_language() -> None:
    run = spanish_run()
    ines, ada = people(run, ["es", "en"])
    plan = compute_plan(SessionPlan.objects.create(run=run, sessions=1, duration_minutes=60))

    accept_plan(plan, by=None, at=BEFORE_RUN)

    spanish = OutboxMessage.objects.filter(user=ines, kind="scheduling-reminder")
    english = OutboxMessage.objects.filter(user=ada, kind="scheduling-reminder")
    assert spanish.count() == english.count() > 0
    assert {"Curso de alianzas (Edición de febrero)" in m.body for m in spanish} == {True}
    assert {"Partnerships course (February run)" in m.body for m in english} == {True}


def reminder_queries(capture: Any, languages: list[str]) -> int:
    run = spanish_run()
    members = people(run, languages)
    series = weekly_series(run, members=members, title="Group one", reminder_minutes=60)
    occurrence = series.occurrences.select_related("session__run__course").get(week=0)
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        assert sync_reminders(occurrence) == len(languages)
    return len(queries)


@time_machine.travel(BEFORE_RUN, tick=False)
def test_reminders_make_the_same_queries_for_few_or_many_people_and_languages(
    django_capture_on_commit_callbacks: Any,
) -> None:
    few = reminder_queries(django_capture_on_commit_callbacks, ["es", "en"])
    many = reminder_queries(django_capture_on_commit_callbacks, ["es", "en", "ar", "fr"] * 10)
    # The meeting's unsent reminders (its id, then the delete), the people; the course's
    # published versions and their translations (one query each however many people and
    # languages); the outbox's keys, a savepoint around one insert, and the sending task.
    assert (few, many) == (10, 10)
