"""Application mail names the course and the run in the language of the applicant's mail:
the published translation, or the source where there is none."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cohortkit.applications import services
from cohortkit.applications.models import Application, ApplicationForm, Offer
from cohortkit.courses.models import Run
from cohortkit.notifications.models import OutboxMessage
from tests.factories import RunFactory, UserFactory, open_run_window
from tests.factories.applications import ApplicationFactory, ApplicationReviewFactory
from tests.factories.translations import publish_translations

pytestmark = pytest.mark.django_db
CLOSED = datetime(2021, 1, 16, tzinfo=UTC)
SPANISH = {"course": "Curso de alianzas", "run": "Edición de febrero"}
SOURCE = {"course": "Partnerships course", "run": "February run"}


def spanish_run(**fields: Any) -> Run:
    """ "Partnerships course (February run)", published in Spanish with both titles."""
    run = RunFactory(title="February run", course__title="Partnerships course", **fields)
    ApplicationForm.objects.create(run=run, offer_days=7, lottery_seed=7)
    publish_translations(
        run.course,
        {"course.title": SPANISH["course"], f"run.{run.slug}.title": SPANISH["run"]},
    )
    return run


def applicant(run: Run, language: str, score: float, **fields: Any) -> Application:
    application = ApplicationFactory(
        run=run, applicant=UserFactory(interface_language=language), **fields
    )
    ApplicationReviewFactory(application=application, score=score, submitted_at=CLOSED)
    return application


def in_language(language: str, message: str, titles: dict[str, str]) -> str:
    with translation.override(language):
        return translation.gettext(message) % titles


def mail(application: Application) -> OutboxMessage:
    return OutboxMessage.objects.get(user=application.applicant)


SUBJECTS = {
    "application-selected": "You have a seat in %(course)s: please confirm",
    "application-waitlisted": "Your application to %(course)s: you are on the waitlist",
    "application-not-selected": "Your application to %(course)s",
}


def test_decision_mails_name_the_course_and_run_in_each_applicants_language() -> None:
    run = spanish_run(capacity=1)
    ines = applicant(run, "es", 5.0)  # selected
    ada = applicant(run, "en", 4.0)  # waitlisted
    amira = applicant(run, "ar", 3.0, is_eligible=False)  # not selected; no Arabic version
    services.record_selection(run, by=UserFactory(), at=CLOSED)

    assert services.prepare_decision_messages(run) == 3

    expected = {
        ines: ("application-selected", "es", SPANISH),
        ada: ("application-waitlisted", "en", SOURCE),
        amira: ("application-not-selected", "ar", SOURCE),
    }
    assert {a: (mail(a).kind, mail(a).subject) for a in expected} == {
        a: (kind, in_language(language, SUBJECTS[kind], titles))
        for a, (kind, language, titles) in expected.items()
    }
    for application, (_kind, _language, titles) in expected.items():
        assert f"{titles['course']} ({titles['run']})" in mail(application).body
    assert "Partnerships" not in mail(ines).body


def test_a_seat_offered_from_the_waitlist_is_mailed_with_the_spanish_titles() -> None:
    run = spanish_run(capacity=1)
    first = applicant(run, "en", 5.0)
    ines = applicant(run, "es", 4.0)
    services.record_selection(run, by=UserFactory(), at=CLOSED)
    services.release_decisions(run, at=CLOSED)

    made = services.decline_offer(
        Offer.objects.get(application=first), at=run.notification_at + timedelta(hours=1)
    )

    assert [offer.application for offer in made] == [ines]
    offer = OutboxMessage.objects.get(kind="application-offer")
    assert (offer.user, offer.subject) == (
        ines.applicant,
        in_language("es", SUBJECTS["application-selected"], SPANISH),
    )
    assert "Curso de alianzas (Edición de febrero)" in offer.body


NOW = datetime(2021, 1, 5, 12, tzinfo=UTC)
RECEIVED = "Your application to %(course)s (%(run)s) is received"


@time_machine.travel(NOW, tick=False)
def test_the_confirmation_of_a_submission_names_the_course_in_the_applicants_language() -> None:
    run = open_run_window(spanish_run(), NOW)
    data = {"timezone": "UTC", "languages": ["en"], "region": "europe", "experience": "new"}
    expected = {"es": SPANISH, "en": SOURCE, "fr": SOURCE}  # no French version: the source
    people = {language: UserFactory(interface_language=language) for language in expected}

    for person in people.values():
        services.submit_application(run=run, applicant=person, data=data, at=NOW)

    confirmations = {
        language: OutboxMessage.objects.get(user=person, kind="application-submitted")
        for language, person in people.items()
    }
    assert {language: (m.language, m.subject) for language, m in confirmations.items()} == {
        language: (language, in_language(language, RECEIVED, titles))
        for language, titles in expected.items()
    }
    assert {
        language: f"{titles['course']} ({titles['run']})" in confirmations[language].body
        for language, titles in expected.items()
    } == dict.fromkeys(expected, True)


def decision_queries(count: int) -> int:
    run = spanish_run(capacity=1)
    for number in range(count):
        applicant(run, ["es", "en", "ar", "fr"][number % 4], float(number))
    services.record_selection(run, by=UserFactory(), at=CLOSED)
    with CaptureQueriesContext(connection) as queries:
        assert services.prepare_decision_messages(run) == count
    return len(queries)


def test_decision_drafts_make_the_same_queries_for_one_or_many_applicants_and_languages() -> None:
    # The form, the decisions, the drafts; the course's published versions and their
    # translations (one query each however many applicants and languages); then, inside
    # the transaction's savepoint, the outbox's keys and one insert in its own savepoint.
    assert (decision_queries(1), decision_queries(40)) == (11, 11)
