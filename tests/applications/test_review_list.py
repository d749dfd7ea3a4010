"""A reviewer's list puts what is still to score first, on SQLite and PostgreSQL alike."""

from datetime import UTC, datetime

from django.test import Client
from django.urls import reverse

from cohortkit.courses.models import Role
from tests.factories import RunFactory, RunRoleFactory, UserFactory
from tests.factories.applications import ApplicationFactory, ApplicationReviewFactory


def test_reviews_still_to_do_come_first_then_the_submitted_in_order(db: None) -> None:
    run = RunFactory()
    reviewer = UserFactory()
    RunRoleFactory(run=run, user=reviewer, role=Role.REVIEWER)
    done_late, pending, done_early = (
        ApplicationReviewFactory(application=ApplicationFactory(run=run), reviewer=reviewer)
        for _ in range(3)
    )
    done_late.submitted_at = datetime(2027, 3, 2, tzinfo=UTC)
    done_late.score = 3.0
    done_late.save()
    done_early.submitted_at = datetime(2027, 3, 1, tzinfo=UTC)
    done_early.score = 4.0
    done_early.save()
    client = Client()
    client.force_login(reviewer)
    response = client.get(
        reverse("applications:reviews", kwargs={"slug": run.course.slug, "run": run.slug})
    )
    assert [review.pk for review in response.context["reviews"]] == [
        pending.pk,
        done_early.pk,
        done_late.pk,
    ]
