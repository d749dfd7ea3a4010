"""Learning mail (certificates, feedback, support) names the course, runs and assignments in
the language of the participant's mail: the published translation, or the source where
there is none. Mail is plain text: a title shows as written, apostrophes and all (the
French titles here have some)."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cohortkit.accounts.models import User
from cohortkit.courses.models import Role, Run
from cohortkit.learning.models import Assignment, SupportActionKind
from cohortkit.learning.services.assignments import review_submission
from cohortkit.learning.services.certificates import issue_certificates
from cohortkit.learning.services.support import take_support_action
from cohortkit.learning.services.talk import reply_to_thread
from cohortkit.learning.translation_units import assignment_key
from cohortkit.notifications.models import OutboxMessage
from tests.factories import RunFactory, RunRoleFactory, UserFactory
from tests.factories.learning import AssignmentFactory, SubmissionFactory, ThreadFactory
from tests.factories.translations import publish_translations
from tests.learning.conftest import IN_RUN

pytestmark = pytest.mark.django_db
SPANISH = {"course": "Curso de alianzas", "next_run": "Edición de otoño", "task": "Tu plan"}
FRENCH = {"course": "Cours d'alliances", "next_run": "Session d'automne", "task": "Plan d'action"}
SOURCE = {"course": "Partnerships course", "next_run": "Autumn run", "task": "Your plan"}


def published_run() -> tuple[Run, Run, Assignment]:
    """ "Partnerships course" with a run, a later run and an assignment, published in
    Spanish and in French (course, later run and assignment titles translated)."""
    run = RunFactory(course__title="Partnerships course")
    later = RunFactory(course=run.course, title="Autumn run")
    assignment = AssignmentFactory(run=run, title="Your plan")
    for language, titles in [("es", SPANISH), ("fr", FRENCH)]:
        publish_translations(
            run.course,
            {
                "course.title": titles["course"],
                f"run.{later.slug}.title": titles["next_run"],
                assignment_key(assignment, "title"): titles["task"],
            },
            language=language,
        )
    return run, later, assignment


def graduate(person: User, assignment: Assignment) -> None:
    """The person meets the run's completion rules (its one assignment accepted)."""
    SubmissionFactory(assignment=assignment, participant=person, status="accepted")


def participant(run: Run, language: str) -> User:
    person = UserFactory(interface_language=language)
    RunRoleFactory(run=run, user=person, role=Role.PARTICIPANT)
    return person


def in_language(language: str, message: str, **values: str) -> str:
    with translation.override(language):
        return translation.gettext(message) % values


def mail(person: User) -> OutboxMessage:
    return OutboxMessage.objects.get(user=person)


LANGUAGES = [("es", SPANISH), ("fr", FRENCH), ("en", SOURCE), ("ar", SOURCE)]


def test_certificate_mails_name_the_course_in_each_holders_language(
    django_capture_on_commit_callbacks: Any,
) -> None:
    run, _later, assignment = published_run()
    people = {language: participant(run, language) for language, _titles in LANGUAGES}
    for person in people.values():
        graduate(person, assignment)

    with django_capture_on_commit_callbacks(execute=True):
        assert len(issue_certificates(run, at=IN_RUN)) == 4

    assert {language: mail(person).subject for language, person in people.items()} == {
        language: in_language(language, "Your certificate for %(course)s", course=t["course"])
        for language, t in LANGUAGES
    }
    for language, titles in LANGUAGES:
        assert f" {titles['course']}. " in mail(people[language]).body
    assert "Partnerships" not in mail(people["es"]).body + mail(people["fr"]).body


def test_feedback_mail_names_the_assignment_in_each_participants_language(
    django_capture_on_commit_callbacks: Any,
) -> None:
    run, _later, assignment = published_run()
    people = {language: participant(run, language) for language, _titles in LANGUAGES}

    with django_capture_on_commit_callbacks(execute=True):
        for person in people.values():
            submission = SubmissionFactory(assignment=assignment, participant=person)
            review_submission(
                submission, status="accepted", feedback="Bien.", by=UserFactory(), at=IN_RUN
            )

    assert {language: mail(person).subject for language, person in people.items()} == {
        language: in_language(language, "Feedback on %(title)s", title=titles["task"])
        for language, titles in LANGUAGES
    }
    assert {
        language: titles["task"] in mail(people[language]).body for language, titles in LANGUAGES
    } == dict.fromkeys(people, True)
    assert "Your plan" not in mail(people["es"]).body + mail(people["fr"]).body


def test_support_mails_name_the_course_assignment_and_next_run_in_each_participants_language(
    django_capture_on_commit_callbacks: Any,
) -> None:
    run, later, assignment = published_run()
    people = {language: participant(run, language) for language, _titles in LANGUAGES}
    coordinator = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        for person in people.values():
            take_support_action(
                run, participant=person, kind=SupportActionKind.EXTENSION, note="",
                by=coordinator, at=IN_RUN, assignment=assignment,
                due_at=datetime(2021, 3, 7, 23, 59, tzinfo=UTC),
            )  # fmt: skip
            take_support_action(
                run, participant=person, kind=SupportActionKind.PAUSE, note="", by=coordinator,
                at=IN_RUN, next_run=later,
            )  # fmt: skip

    for language, titles in LANGUAGES:
        extension, pause = OutboxMessage.objects.filter(user=people[language]).order_by("pk")
        subject = in_language(language, "Your place in %(course)s", course=titles["course"])
        assert (extension.subject, pause.subject) == (subject, subject)
        assert (titles["task"] in extension.body, titles["next_run"] in pause.body) == (
            True,
            True,
        )
    spanish_and_french = OutboxMessage.objects.filter(user__in=[people["es"], people["fr"]])
    assert [m for m in spanish_and_french if "Your plan" in m.body or "Autumn run" in m.body] == []


def test_reply_mail_shows_the_thread_and_reply_as_written_in_the_readers_language(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # Threads and replies are written by people, not translation units: the mail names
    # them as written, in the reader's interface language, with no HTML escaping.
    run, _later, _assignment = published_run()
    asker = participant(run, "fr")
    thread = ThreadFactory(run=run, author=asker, title="Où est l'enregistrement ?")

    with django_capture_on_commit_callbacks(execute=True):
        reply_to_thread(thread, author=UserFactory(), body="C'est en ligne & à jour.", at=IN_RUN)

    assert mail(asker).subject == in_language(
        "fr", "New reply: %(title)s", title="Où est l'enregistrement ?"
    )
    assert "\nC'est en ligne & à jour.\n" in mail(asker).body


def certificate_mail_queries(capture: Any, languages: list[str]) -> int:
    """The queries of the mail that issuing certificates queues after commit."""
    run, _later, assignment = published_run()
    for language in languages:
        graduate(participant(run, language), assignment)
    with capture() as callbacks:
        assert len(issue_certificates(run, at=IN_RUN)) == len(languages)
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    return len(queries)


def test_certificate_mail_makes_the_same_queries_for_one_or_many_holders_and_languages(
    django_capture_on_commit_callbacks: Any,
) -> None:
    one = certificate_mail_queries(django_capture_on_commit_callbacks, ["es"])
    many = certificate_mail_queries(
        django_capture_on_commit_callbacks, ["es", "fr", "en", "ar"] * 5
    )
    # The course's published versions and their translations (one query each, however many
    # holders and languages), the outbox's keys, and one insert in a savepoint.
    assert (one, many) == (6, 6)
