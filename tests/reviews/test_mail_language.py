"""Review notices and reminders name the course and the run in the language of each
reviewer's mail: the published translation, or the source where there is none."""

from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cohortkit.accounts.models import User
from cohortkit.notifications.models import OutboxMessage
from cohortkit.reviews import services
from cohortkit.reviews.models import ReviewStep
from tests.factories.translations import publish_translations
from tests.reviews.test_services import AT, cohort_with_works

pytestmark = pytest.mark.django_db

SPANISH = {"course.title": "Curso de alianzas", "run.{slug}.title": "Edición de febrero"}


def allocated(languages: list[str]) -> tuple[ReviewStep, list[User]]:
    """An allocated step of "Partnerships course (February run)", published in Spanish
    (course and run titles translated), with a reviewer per language given."""
    step, people = cohort_with_works(
        len(languages), communities=[""], regions=[""], reviews_per_work=2
    )
    run = step.run
    run.course.title, run.title = "Partnerships course", "February run"
    run.course.save()
    run.save()
    for person, language in zip(people, languages, strict=True):
        person.interface_language = language
        person.save(update_fields=["interface_language"])
    publish_translations(run.course, {k.format(slug=run.slug): v for k, v in SPANISH.items()})
    services.allocate_reviews(step, at=AT)
    return ReviewStep.objects.select_related("run__course").get(pk=step.pk), people


def subjects(person: User) -> dict[str, str]:
    return dict(OutboxMessage.objects.filter(user=person).values_list("kind", "subject"))


def in_language(language: str, message: str, **values: object) -> str:
    with translation.override(language):
        return translation.gettext(message) % values


NOTICE = "Final presentations to review in %(run)s"
REMINDER = "Reminder: a peer review is due soon in %(run)s"


def test_notices_and_reminders_name_the_course_and_run_in_each_reviewers_language() -> None:
    step, (ines, ada, amira) = allocated(["es", "en", "ar"])
    with time_machine.travel(AT, tick=False):
        services.notify_reviewers(step, review_ids=None, at=AT)

    expected = {
        # Published in Spanish: the translations.
        ines: ("es", "Curso de alianzas", "Curso de alianzas (Edición de febrero)"),
        # The course's own language, and one it is not published in: the source.
        ada: ("en", "Partnerships course", "Partnerships course (February run)"),
        amira: ("ar", "Partnerships course", "Partnerships course (February run)"),
    }
    for person, (language, course, run) in expected.items():
        assert subjects(person) == {
            "reviews-assigned": in_language(language, NOTICE, run=course),
            "reviews-reminder": in_language(language, REMINDER, run=course),
        }
        notice = OutboxMessage.objects.get(user=person, kind="reviews-assigned")
        assert (notice.language, f" {run}." in notice.body) == (language, True)
    spanish = OutboxMessage.objects.filter(user=ines)
    assert [m for m in spanish if "Partnerships" in m.subject + m.body] == []


def test_moved_reminders_name_the_course_in_the_reviewers_language() -> None:
    step, (ines, ada, _amira) = allocated(["es", "en", "ar"])
    with time_machine.travel(AT, tick=False):
        services.notify_reviewers(step, review_ids=None, at=AT)
        services.configure_review_step(
            step.run,
            settings={"reviews_due_at": step.reviews_due_at + (step.reviews_due_at - AT)},
            criteria=[],
            prompts=[],
        )

    assert (subjects(ines)["reviews-reminder"], subjects(ada)["reviews-reminder"]) == (
        in_language("es", REMINDER, run="Curso de alianzas"),
        in_language("en", REMINDER, run="Partnerships course"),
    )


def notify_queries(capture: Any, languages: list[str]) -> int:
    step, _people = allocated(languages)
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        assert services.notify_reviewers(step, review_ids=None, at=AT) == 3 * len(languages)
    return len(queries)


def test_notifying_reviewers_in_many_languages_makes_the_same_queries_for_few_or_many(
    django_capture_on_commit_callbacks: Any,
) -> None:
    few = notify_queries(django_capture_on_commit_callbacks, ["es", "en", "ar"])
    many = notify_queries(django_capture_on_commit_callbacks, ["es", "en", "ar", "fr"] * 8)
    # The reviews; the course's published versions and their translations (one query each,
    # whatever the number of reviewers and languages; none when every reviewer reads the
    # course's own language); the keys; a savepoint around one insert (three statements);
    # two sending tasks (the notices now, the reminders later).
    assert (few, many) == (9, 9)
