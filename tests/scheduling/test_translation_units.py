"""Live-session titles and agendas are translation units, kept in step when a series is
saved, and the demo has them all in Spanish."""

from typing import Any

import pytest
from django.db import connection

from cohortkit.courses.demo import load_demo
from cohortkit.scheduling.models import Session, SessionKind
from cohortkit.scheduling.services import update_session_details
from cohortkit.translations.models import SourceUnit, State, Translation
from cohortkit.translations.registry import collect_units
from cohortkit.translations.services import review_translation, save_translation, sync_units
from tests.conftest import Cast
from tests.factories.scheduling import weekly_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(cast: Cast) -> tuple[Session, Session]:
    """A weekly series with an agenda and office hours without one, on the cast's run."""
    weekly = weekly_series(cast.run, members=[cast.participant], title="Group one")
    weekly.agenda = "Check-in round\nThe week's topic"
    weekly.save()
    office = weekly_series(cast.run, kind=SessionKind.OFFICE_HOURS, weekday=3, title="Office hours")
    return weekly, office


def _translate_all(cast: Cast, languages: list[str]) -> None:
    for unit in SourceUnit.objects.filter(course=cast.run.course):
        for language in languages:
            translation = save_translation(
                unit, language=language, text=f"[{language}] {unit.text}", by=cast.coordinator,
                at=cast.run.applications_open_at,
            )  # fmt: skip
            review_translation(translation, by=cast.coordinator, at=cast.run.applications_open_at)


def test_the_registry_lists_each_series_title_and_agenda(
    cast: Cast, sessions: tuple[Session, Session]
) -> None:
    weekly, office = sessions

    specs = collect_units(cast.run.course)

    run = cast.run.slug
    ours = [(s.key, s.kind, s.text) for s in specs if s.key.startswith("scheduling.")]
    # An empty agenda is no unit; weekly series come before office hours (by kind).
    assert ours == [
        (f"scheduling.{run}.session.{office.pk}.title", "title", "Office hours"),
        (f"scheduling.{run}.session.{weekly.pk}.title", "title", "Group one"),
        (
            f"scheduling.{run}.session.{weekly.pk}.agenda",
            "text",
            "Check-in round\nThe week's topic",
        ),
    ]


def test_renaming_a_series_marks_exactly_its_title_outdated_in_every_language(
    cast: Cast, sessions: tuple[Session, Session]
) -> None:
    weekly, _office = sessions
    course = cast.run.course
    sync_units(course)
    _translate_all(cast, ["es", "fr"])
    weekly.title = "Group one (Tuesdays)"
    weekly.save()

    report = sync_units(course)

    key = f"scheduling.{cast.run.slug}.session.{weekly.pk}.title"
    assert report.changed == [key]
    outdated = set(
        Translation.objects.filter(state=State.OUTDATED).values_list("unit__key", "language")
    )
    assert outdated == {(key, "es"), (key, "fr")}
    assert Translation.objects.exclude(state__in=[State.OUTDATED, State.REVIEWED]).count() == 0


def test_changing_a_series_agenda_syncs_its_unit_after_commit(
    cast: Cast, sessions: tuple[Session, Session], django_capture_on_commit_callbacks: Any
) -> None:
    weekly, _office = sessions
    sync_units(cast.run.course)
    # The fixture's saves queued a sync that the test transaction never commits.
    connection.run_on_commit.clear()

    with django_capture_on_commit_callbacks(execute=True):
        update_session_details(weekly, video_url="", agenda="Questions only", facilitator=None)

    key = f"scheduling.{cast.run.slug}.session.{weekly.pk}.agenda"
    assert SourceUnit.objects.get(key=key).text == "Questions only"


def test_the_demo_has_every_live_session_text_in_spanish() -> None:
    demo = load_demo()

    units = SourceUnit.objects.current().filter(course=demo.course, key__startswith="scheduling.")
    spanish = dict(
        Translation.objects.filter(unit__in=units, language="es", state=State.REVIEWED).values_list(
            "unit__text", "text"
        )
    )
    # Series from a plan and the onboarding call are named in each reader's language by
    # gettext (Session.default_title): only titles someone wrote are course texts.
    titled = Session.objects.filter(run__course=demo.course).exclude(title="")
    assert units.filter(key__endswith=".title").count() == titled.count() >= 1
    assert Session.objects.filter(run__course=demo.course, title="").count() >= 5
    assert sorted({unit.text for unit in units} - spanish.keys()) == []
    assert [english for english, text in spanish.items() if text == english] == []
