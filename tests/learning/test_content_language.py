"""Learning pages name the course, run, modules, topics and assignments in the reader's
content language, with the fallback marker where a text is not translated."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cohortkit.courses.models import Module
from cohortkit.learning.certificates import certificate_pdf
from cohortkit.learning.models import Assignment, Certificate, ParticipantStatus
from cohortkit.translations.models import Translation
from cohortkit.translations.services import sync_units
from tests.conftest import Cast
from tests.factories import ModuleFactory, RunFactory, TopicFactory
from tests.factories.learning import AssignmentFactory, SubmissionFactory
from tests.factories.translations import publish_translations
from tests.queries import page_queries

pytestmark = pytest.mark.django_db
IN_RUN = datetime(2021, 2, 20, 12, tzinfo=UTC)
FALLBACK = '<span class="fallback" lang="en">not yet translated</span>'


@dataclass
class Content:
    cast: Cast
    module: Module
    assignment: Assignment

    def url(self, name: str, **kwargs: object) -> str:
        run = self.cast.run
        return reverse(
            f"learning:{name}", kwargs={"slug": run.course.slug, "run": run.slug, **kwargs}
        )

    def spanish(self) -> dict[str, str]:
        """Every text these pages show, in Spanish, by unit key."""
        run = self.cast.run.slug
        return {
            "course.title": "Curso de alianzas",
            f"run.{run}.title": "Edición de febrero",
            f"run.{run}.m1.title": "Prepararse para colaborar",
            f"run.{run}.m1.summary": "Encontrar socios cercanos.",
            f"run.{run}.m1.t1.title": "Conócete",
            f"learning.{run}.assignment.{self.assignment.pk}.title": "Mapa de socios",
        }

    def reader(self, role: str = "participant") -> Client:
        """A client for the cast's `role`, who reads course content in Spanish."""
        person = self.cast.users()[role]
        assert person is not None
        person.content_language = "es"
        person.save(update_fields=["content_language"])
        return self.cast.client_for(role)


@pytest.fixture
def content(cast: Cast) -> Content:
    """A module with a summary, one topic and one assignment, in a course titled in English."""
    course = cast.run.course
    course.title = "Partnerships course"
    course.save()
    cast.run.title = "February run"
    cast.run.save()
    module = ModuleFactory(
        run=cast.run, position=1, title="Preparing to partner", summary="Find partners nearby."
    )
    TopicFactory(module=module, position=1, title="Know yourself")
    assignment = AssignmentFactory(run=cast.run, module=module, title="Partner map")
    return Content(cast, module, assignment)


def _html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


ENGLISH = ["Partnerships course", "February run", "Preparing to partner", "Partner map"]


def test_module_list_names_the_modules_in_the_readers_content_language(content: Content) -> None:
    publish_translations(content.cast.run.course, content.spanish())

    html = _html(content.reader(), content.url("modules"))

    assert "<title>Modules · Edición de febrero · cohortkit</title>" in html
    assert ">Curso de alianzas · Edición de febrero</a>" in html
    assert ">Prepararse para colaborar</a></h2>" in html
    assert 'aria-label="Progress in Prepararse para colaborar"' in html
    assert [text for text in ENGLISH if text in html] == []


def test_module_page_shows_its_summary_topics_and_assignments_in_the_content_language(
    content: Content,
) -> None:
    publish_translations(content.cast.run.course, content.spanish())

    html = _html(content.reader(), content.url("module", position=1))

    assert "<title>Prepararse para colaborar · Edición de febrero · cohortkit</title>" in html
    assert '<p class="lead">Encontrar socios cercanos.</p>' in html
    assert ">Conócete</h2>" in html
    assert '<span class="visually-hidden">: Conócete</span>' in html
    assert ">Mapa de socios</a> — due" in html
    assert [text for text in [*ENGLISH, "Find partners", "Know yourself"] if text in html] == []


def test_marking_a_topic_done_answers_with_the_topic_named_in_the_content_language(
    content: Content,
) -> None:
    publish_translations(content.cast.run.course, content.spanish())
    topic = content.module.topics.get()

    with time_machine.travel(IN_RUN, tick=False):
        response = content.reader().post(
            content.url("topic_done", pk=topic.pk), {"done": "on"}, HTTP_HX_REQUEST="true"
        )

    html = response.content.decode()
    assert '<span class="visually-hidden">: Conócete</span>' in html
    assert "Know yourself" not in html


def test_assignment_list_names_the_module_of_each_assignment_in_the_content_language(
    content: Content,
) -> None:
    publish_translations(content.cast.run.course, content.spanish())

    html = _html(content.reader(), content.url("assignments"))

    assert '>Mapa de socios</a> <span class="help">Prepararse para colaborar</span>' in html
    assert [text for text in ENGLISH if text in html] == []


def test_questions_about_a_module_name_it_in_the_content_language(content: Content) -> None:
    publish_translations(content.cast.run.course, content.spanish())

    html = _html(content.reader(), content.url("module_talk", position=1))

    assert "<h1>Questions about Prepararse para colaborar</h1>" in html
    assert ">Prepararse para colaborar</a></nav>" in html
    assert [text for text in ENGLISH if text in html] == []


def test_untranslated_module_and_run_titles_show_the_fallback_marker(content: Content) -> None:
    spanish = content.spanish()
    run = content.cast.run.slug
    del spanish[f"run.{run}.m1.title"], spanish[f"run.{run}.title"]
    publish_translations(content.cast.run.course, spanish)

    html = _html(content.reader(), content.url("modules"))

    assert f'<span lang="en" dir="ltr">Preparing to partner</span> {FALLBACK}</a></h2>' in html
    assert f'Curso de alianzas · <span lang="en" dir="ltr">February run</span> {FALLBACK}' in html
    # Where no marker fits (an attribute), the source stands alone.
    assert 'aria-label="Progress in Preparing to partner"' in html


def test_staff_pages_name_modules_and_assignments_in_the_content_language(
    content: Content,
) -> None:
    submission = SubmissionFactory(
        assignment=content.assignment, participant=content.cast.participant
    )
    later = RunFactory(course=content.cast.run.course, title="Autumn run")
    ParticipantStatus.objects.create(
        run=content.cast.run, user=content.cast.participant, state="paused", joins_run=later
    )
    spanish = {**content.spanish(), f"run.{later.slug}.title": "Edición de otoño"}
    publish_translations(content.cast.run.course, spanish)
    client = content.reader("coordinator")

    grid = _html(client, content.url("grid"))
    work = _html(client, content.url("submission", pk=submission.pk))
    at_risk = _html(client, content.url("at_risk"))

    assert '<abbr title="Prepararse para colaborar">1</abbr>' in grid
    assert "<title>Mapa de socios · Participant · cohortkit</title>" in work
    assert ">Curso de alianzas · Edición de febrero</a>" in work
    assert ">Mapa de socios</a></nav>" in work
    assert "continues in Edición de otoño" in at_risk
    pages = grid + work + at_risk
    assert [text for text in [*ENGLISH, "Autumn run"] if text in pages] == []


def test_self_paced_enrolment_names_the_course_in_the_content_language(cast: Cast) -> None:
    run = cast.run
    run.is_self_paced = True
    run.save()
    publish_translations(run.course, {"course.title": "Curso de alianzas"})
    cast.other_participant.content_language = "es"
    cast.other_participant.save(update_fields=["content_language"])

    response = cast.client_for("other_participant").get(
        reverse("learning:modules", kwargs={"slug": run.course.slug, "run": run.slug})
    )

    html = response.content.decode()
    assert "<h1>Study Curso de alianzas at your own pace</h1>" in html
    assert run.course.title not in html


def test_certificate_check_names_course_and_run_in_the_visitors_language(cast: Cast) -> None:
    run = cast.run
    publish_translations(
        run.course, {"course.title": "Curso de alianzas", f"run.{run.slug}.title": "Edición 1"}
    )
    certificate = Certificate.objects.create(
        run=run,
        user=cast.participant,
        name="Participant",
        issued_at=datetime(2021, 4, 1, tzinfo=UTC),
    )

    response = Client().get(
        reverse(
            "learning:certificate_verify",
            kwargs={"slug": run.course.slug, "run": run.slug, "code": certificate.code},
        ),
        HTTP_ACCEPT_LANGUAGE="es",
    )

    html = response.content.decode()
    assert "<dd>Curso de alianzas (Edición 1)</dd>" in html
    assert run.course.title not in html
    assert f"({run.title})" not in html


def test_certificate_pdf_names_the_course_in_the_holders_language(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = cast.run
    publish_translations(run.course, {"course.title": "Curso de alianzas"})
    spanish, english = (
        Certificate.objects.create(
            run=run,
            user=user,
            name="A",
            language=language,
            issued_at=datetime(2021, 4, 1, tzinfo=UTC),
        )
        for user, language in [(cast.participant, "es"), (cast.other_participant, "en")]
    )
    written: list[str] = []

    class Html:
        """WeasyPrint's document, keeping the HTML it is given instead of laying it out."""

        def __init__(self, *, string: str, base_url: str) -> None:
            written.append(string)

        def write_pdf(self, **options: object) -> bytes:
            return b"%PDF-"

    monkeypatch.setattr("weasyprint.HTML", Html)

    certificate_pdf(spanish)
    certificate_pdf(english)

    assert ['<p class="course">Curso de alianzas</p>' in html for html in written] == [True, False]
    assert f'<p class="course">{run.course.title}</p>' in written[1]


def test_module_and_assignment_lists_make_the_same_queries_for_one_or_many_rows_in_spanish(
    content: Content,
) -> None:
    course = content.cast.run.course
    client = content.reader()
    urls = [content.url("modules"), content.url("assignments"), content.url("module", position=1)]
    publish_translations(course, content.spanish())
    one = [page_queries(client, url, warm=True) for url in urls]
    for position in range(2, 7):
        module = ModuleFactory(run=content.cast.run, position=position)
        TopicFactory(module=module, position=1)
        AssignmentFactory(run=content.cast.run, module=module)
        AssignmentFactory(run=content.cast.run, module=content.module)

    many = [page_queries(client, url, warm=True) for url in urls]

    assert Module.objects.filter(run=content.cast.run).count() == 6
    assert many == one


def test_assignment_form_offers_the_modules_in_the_content_language(content: Content) -> None:
    ModuleFactory(run=content.cast.run, position=2, title="Negotiating")
    publish_translations(content.cast.run.course, content.spanish())

    html = _html(content.reader("coordinator"), content.url("assignment_new"))

    assert f'<option value="{content.module.pk}">1. Prepararse para colaborar</option>' in html
    # Untranslated: the source as plain text, since an <option> holds no marker.
    assert ">2. Negotiating</option>" in html
    # ("Partner map" is also a kind of assignment, an interface string.)
    english = ["Partnerships course", "February run", "Preparing to partner"]
    assert [text for text in english if text in html] == []


def test_support_page_offers_assignments_and_later_runs_in_the_content_language(
    content: Content,
) -> None:
    later = RunFactory(
        course=content.cast.run.course, title="Autumn run", starts_on=date(2021, 9, 1)
    )
    untranslated = RunFactory(
        course=content.cast.run.course, title="Winter run", starts_on=date(2022, 1, 10)
    )
    spanish = {**content.spanish(), f"run.{later.slug}.title": "Edición de otoño"}
    publish_translations(content.cast.run.course, spanish)
    participant = content.cast.participant

    html = _html(
        content.reader("coordinator"), content.url("support_person", user_id=participant.pk)
    )

    assert f'<option value="{content.assignment.pk}">Mapa de socios</option>' in html
    assert f'<option value="{later.pk}">Curso de alianzas (Edición de otoño)</option>' in html
    assert f'<option value="{untranslated.pk}">Curso de alianzas (Winter run)</option>' in html
    english = ["Partnerships course", "February run", "Autumn run", ">Partner map</option>"]
    assert [text for text in english if text in html] == []


def test_staff_forms_make_the_same_queries_for_one_or_many_modules_assignments_and_runs(
    content: Content,
) -> None:
    course = content.cast.run.course
    client = content.reader("coordinator")
    participant = content.cast.participant
    urls = [content.url("assignment_new"), content.url("support_person", user_id=participant.pk)]
    RunFactory(course=course, starts_on=date(2021, 9, 1))
    publish_translations(course, content.spanish())
    one = [page_queries(client, url, warm=True) for url in urls]
    for position in range(2, 7):
        module = ModuleFactory(run=content.cast.run, position=position)
        AssignmentFactory(run=content.cast.run, module=module)
        RunFactory(course=course, starts_on=date(2021, 9, position))

    many = [page_queries(client, url, warm=True) for url in urls]

    assert many == one


def test_overdue_reasons_name_the_assignment_in_the_content_language(content: Content) -> None:
    publish_translations(content.cast.run.course, content.spanish())
    participant = content.cast.participant
    client = content.reader("coordinator")

    with time_machine.travel(IN_RUN, tick=False):  # the assignment was due on 14 February
        listed = _html(client, content.url("at_risk"))
        helped = _html(client, content.url("support_person", user_id=participant.pk))

    for html in (listed, helped):
        assert "Overdue: Mapa de socios" in html
        assert "Overdue: Partner map" not in html


def test_an_edited_topic_body_and_its_edited_translation_show_at_once(content: Content) -> None:
    """Rendered Markdown and split units are kept per process (keyed by the text): reading
    the page, editing the source, then the translation, shows each edit."""
    topic = content.module.topics.get()
    topic.body = "## Start here\n\nList **three** partners."
    topic.save()
    key = f"run.{content.cast.run.slug}.m1.t1.body"
    publish_translations(content.cast.run.course, {f"{key}.2": "Enumera **tres** socios."})
    reader = content.reader()
    url = content.url("module", position=1)
    with time_machine.travel(IN_RUN, tick=False):
        assert "Enumera <strong>tres</strong> socios." in _html(reader, url)

        translation = Translation.objects.get(unit__key=f"{key}.2", language="es")
        translation.text = "Enumera **cuatro** socios."
        translation.save()
        assert "Enumera <strong>cuatro</strong> socios." in _html(reader, url)

        topic.body = "## Start here\n\nList **five** partners."
        topic.save()
        sync_units(content.cast.run.course)
        html = _html(reader, url)
        assert "List <strong>five</strong> partners." in html
        assert "socios" not in html
