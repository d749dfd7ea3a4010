"""Series made from a plan are named in each reader's language, never in the language of
the coordinator who accepted the plan (issue 14 item 5)."""

from datetime import UTC, datetime
from importlib import import_module

import time_machine
from django.apps import apps as django_apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from cohortkit.scheduling.models import Session, SessionKind, SessionPlan
from cohortkit.scheduling.services import compute_plan
from tests.conftest import Cast


def _url(cast: Cast, name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, **kwargs})


def _schedule_in(cast: Cast, language: str) -> str:
    client = cast.client_for("participant")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # as signing in sets it
    return client.get(_url(cast, "scheduling:schedule")).content.decode()


@time_machine.travel(datetime(2021, 1, 20, tzinfo=UTC), tick=False)
def test_a_plan_accepted_in_spanish_is_read_in_english_and_arabic(cast: Cast) -> None:
    plan = compute_plan(SessionPlan.objects.create(run=cast.run, sessions=1, duration_minutes=120))
    coordinator = cast.client_for("coordinator")
    coordinator.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"  # the interface in Spanish

    accepted = coordinator.post(_url(cast, "scheduling:plan_accept", pk=plan.pk), follow=True)

    assert "Sesión semanal en directo, grupo 1" in accepted.content.decode()
    assert sorted(Session.objects.filter(run=cast.run).values_list("kind", "title", "group")) == [
        (SessionKind.ONBOARDING, "", None),
        (SessionKind.WEEKLY, "", 1),
    ]
    english = _schedule_in(cast, "en")
    assert "Weekly live session, group 1" in english
    assert "Onboarding call" in english
    assert "Sesión" not in english
    arabic = _schedule_in(cast, "ar")
    assert "جلسة مباشرة أسبوعية، المجموعة 1" in arabic
    assert "مكالمة الترحيب" in arabic
    assert "Sesión" not in arabic
    assert "Weekly live session" not in arabic


def test_office_hours_are_numbered_and_named_in_the_active_language(cast: Cast) -> None:
    series = Session(run=cast.run, kind=SessionKind.OFFICE_HOURS, group=2)

    with translation.override("es"):
        spanish = str(series)
    with translation.override("en"):
        english = str(series)

    assert (spanish, english) == ("Horas de consulta 2", "Office hours 2")
    assert str(Session(run=cast.run, kind=SessionKind.WEEKLY, title="Our call", group=1)) == (
        "Our call"
    )


def test_the_migration_clears_titles_the_old_code_wrote_in_any_language(cast: Cast) -> None:
    migration = import_module("cohortkit.scheduling.migrations.0003_untitle_generated_sessions")
    plan = SessionPlan.objects.create(run=cast.run, sessions=2, duration_minutes=60)
    spanish = Session.objects.create(
        run=cast.run, kind=SessionKind.WEEKLY, title="Sesión semanal en directo, grupo 2", plan=plan
    )
    arabic = Session.objects.create(
        run=cast.run, kind=SessionKind.OFFICE_HOURS, title="ساعات المكتب 3", plan=plan
    )
    onboarding = Session.objects.create(
        run=cast.run, kind=SessionKind.ONBOARDING, title="Llamada de bienvenida"
    )
    written = Session.objects.create(
        run=cast.run, kind=SessionKind.WEEKLY, title="Our own call", group=1, plan=plan
    )

    migration.untitle(django_apps, None)

    rows = {
        session.pk: (session.title, session.group)
        for session in Session.objects.filter(run=cast.run)
    }
    assert rows == {
        spanish.pk: ("", 2),
        arabic.pk: ("", 3),
        onboarding.pk: ("", None),
        written.pk: ("Our own call", 1),
    }
