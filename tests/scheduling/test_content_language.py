"""Live-session pages name the course, the run and each series (title and agenda) in the
reader's content language, with the fallback marker where a text is not translated."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohortkit.scheduling.models import SessionPlan
from tests.conftest import Cast
from tests.factories import ModuleFactory, RunFactory
from tests.factories.scheduling import weekly_series
from tests.factories.translations import publish_translations

pytestmark = pytest.mark.django_db
FALLBACK = '<span class="fallback" lang="en">not yet translated</span>'
NEXT = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"  # between crumbs


@pytest.fixture
def titled(cast: Cast) -> Cast:
    """The cast's course and run with English titles, and a weekly series for the participant."""
    cast.run.course.title = "Partnerships course"
    cast.run.course.save()
    cast.run.title = "February run"
    cast.run.save()
    weekly_series(cast.run, members=[cast.participant], title="Group one")
    return cast


def _reader(cast: Cast, role: str) -> Client:
    """A client for `role`, who reads course content in Spanish."""
    person = cast.users()[role]
    assert person is not None
    person.content_language = "es"
    person.save(update_fields=["content_language"])
    return cast.client_for(role)


def _spanish(cast: Cast, *, run_title: bool = True) -> None:
    texts = {"course.title": "Curso de alianzas"}
    if run_title:
        texts[f"run.{cast.run.slug}.title"] = "Edición de febrero"
    publish_translations(cast.run.course, texts)


def _url(cast: Cast, name: str) -> str:
    kwargs: dict[str, object] = {"slug": cast.run.course.slug, "run": cast.run.slug}
    if name in {"occurrence", "attendance_sheet"}:
        kwargs["pk"] = cast.run.live_sessions.get().occurrences.first().pk  # type: ignore[union-attr]
    elif name == "plan":
        kwargs["pk"] = SessionPlan.objects.create(run=cast.run).pk
    return reverse(f"scheduling:{name}", kwargs=kwargs)


def _html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


PAGES = [
    ("schedule", "participant", "Live sessions"),
    ("availability", "participant", "Your weekly availability"),
    ("calendar", "participant", "Add the sessions to your calendar"),
    ("occurrence", "participant", "Group one"),
    ("planner", "coordinator", "Plan the live sessions"),
    ("plan", "coordinator", "Session plan"),
    ("attendance", "coordinator", "Attendance"),
    ("attendance_sheet", "coordinator", "Attendance"),
]


@pytest.mark.parametrize(("name", "role", "heading"), PAGES)
def test_live_session_pages_name_course_and_run_in_the_content_language(
    titled: Cast, name: str, role: str, heading: str
) -> None:
    _spanish(titled)
    run_url = titled.run.get_absolute_url()

    html = _html(_reader(titled, role), _url(titled, name))

    # The attendance sheet is titled by its session alone.
    title = f"{heading} · " + ("Group one" if name == "attendance_sheet" else "Edición de febrero")
    assert f"<title>{title} · cohortkit</title>" in html
    assert f'<a href="{run_url}">Curso de alianzas · Edición de febrero</a>' in html
    assert [text for text in ["Partnerships course", "February run"] if text in html] == []


def test_schedule_marks_an_untranslated_run_title_and_keeps_the_page_title_plain(
    titled: Cast,
) -> None:
    _spanish(titled, run_title=False)

    html = _html(_reader(titled, "participant"), _url(titled, "schedule"))

    assert "<title>Live sessions · February run · cohortkit</title>" in html
    assert f'<span lang="en" dir="ltr">February run</span> {FALLBACK}</a></nav>' in html
    assert ">Curso de alianzas · <span" in html


def _spanish_series(cast: Cast) -> str:
    """The series' title and agenda published in Spanish; the agenda's key."""
    series = cast.run.live_sessions.get()
    series.agenda = "Check-in round\nThe week's topic"
    series.save()
    key = f"scheduling.{cast.run.slug}.session.{series.pk}"
    publish_translations(
        cast.run.course,
        {
            "course.title": "Curso de alianzas",
            f"{key}.title": "Grupo uno",
            f"{key}.agenda": "Ronda de presentación\nEl tema de la semana",
        },
    )
    return key


def test_schedule_names_the_series_in_spanish_for_a_spanish_reader(titled: Cast) -> None:
    _spanish_series(titled)

    html = _html(_reader(titled, "participant"), _url(titled, "schedule"))

    occurrence = titled.run.live_sessions.get().occurrences.order_by("starts_at").first()
    link = reverse(
        "scheduling:occurrence",
        kwargs={"slug": titled.run.course.slug, "run": titled.run.slug, "pk": occurrence.pk},  # type: ignore[union-attr]
    )
    assert f'<a href="{link}">Grupo uno</a>' in html
    assert html.count(">Grupo uno</a>") == titled.run.weeks
    assert "Group one" not in html


def test_occurrence_page_shows_the_series_title_and_agenda_in_spanish(titled: Cast) -> None:
    _spanish_series(titled)

    html = _html(_reader(titled, "participant"), _url(titled, "occurrence"))

    assert "<title>Grupo uno · February run · cohortkit</title>" in html
    assert "<h1>Grupo uno</h1>" in html
    assert '<div class="prose" lang="es" dir="ltr"><p>Ronda de presentación<br>' in html
    assert [text for text in ["Group one", "Check-in round"] if text in html] == []


def test_an_untranslated_series_title_shows_the_source_with_the_marker(titled: Cast) -> None:
    _spanish(titled)  # the course and run in Spanish, the series not

    schedule = _html(_reader(titled, "participant"), _url(titled, "schedule"))
    sheet = _html(_reader(titled, "coordinator"), _url(titled, "attendance_sheet"))

    marked = f'<span lang="en" dir="ltr">Group one</span> {FALLBACK}'
    assert f"{marked}</a>" in schedule
    assert "Grupo uno" not in schedule
    assert f"<h1>Attendance: {marked}</h1>" in sheet
    assert "<title>Attendance · Group one · cohortkit</title>" in sheet


def test_an_english_reader_sees_the_series_as_written(titled: Cast) -> None:
    _spanish_series(titled)

    html = _html(titled.client_for("participant"), _url(titled, "schedule"))

    assert ">Group one</a>" in html
    assert [text for text in ["Grupo uno", "not yet translated"] if text in html] == []


@pytest.mark.parametrize("runs", [1, 4])
def test_schedule_in_spanish_makes_the_same_queries_for_one_or_many_runs_and_modules(
    titled: Cast, runs: int
) -> None:
    for _ in range(runs - 1):
        other = RunFactory(course=titled.run.course)
        ModuleFactory(run=other, position=1)
    for position in range(1, runs * 2):
        ModuleFactory(run=titled.run, position=position)
    _spanish(titled)
    client = _reader(titled, "participant")

    with CaptureQueriesContext(connection) as queries:
        html = _html(client, _url(titled, "schedule"))

    assert "Edición de febrero" in html
    # The English page's ten (the course's published languages among them) and one for
    # the Spanish translations.
    assert len(queries) == 11


@pytest.mark.parametrize("series", [1, 4])
def test_schedule_in_spanish_makes_the_same_queries_for_one_or_many_translated_series(
    titled: Cast, series: int
) -> None:
    for number in range(2, series + 1):
        weekly_series(titled.run, members=[titled.participant], title=f"Group {number}")
    publish_translations(
        titled.run.course,
        {
            f"scheduling.{titled.run.slug}.session.{session.pk}.title": f"Grupo {session.pk}"
            for session in titled.run.live_sessions.all()
        },
    )
    client = _reader(titled, "participant")

    with CaptureQueriesContext(connection) as queries:
        html = _html(client, _url(titled, "schedule"))

    assert html.count(">Grupo ") == series * titled.run.weeks
    assert len(queries) == 11  # as for the course and run titles alone
