"""Answers go on the purge day, read in the run's zone; the decision stays."""

from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command

from cohortkit.applications.models import Application, ApplicationReview
from cohortkit.applications.services import purge_expired_answers
from tests.factories import RunFactory
from tests.factories.applications import ApplicationFactory, ApplicationReviewFactory

pytestmark = pytest.mark.django_db


def _application(zone: str, purge_on: date) -> Application:
    application = ApplicationFactory(
        run=RunFactory(timezone=zone),
        purge_on=purge_on,
        answers={"q1": "I run the Wiki Club"},
        wiki_username="Example",
        home_community="Wiki Club Lagos",
    )
    ApplicationReviewFactory(application=application, comment="Strong motivation")
    return application


def _purged(application: Application) -> tuple[dict[str, str], str, str, str]:
    application.refresh_from_db()
    review = ApplicationReview.objects.get(application=application)
    return (
        application.answers,
        application.wiki_username,
        application.home_community,
        review.comment,
    )


@pytest.mark.parametrize(
    ("zone", "purge_on", "just_before", "at_start"),
    [
        # Kolkata (UTC+05:30): 2021-04-18 begins at 18:30 UTC the day before.
        (
            "Asia/Kolkata",
            date(2021, 4, 18),
            datetime(2021, 4, 17, 18, 29, tzinfo=UTC),
            datetime(2021, 4, 17, 18, 30, tzinfo=UTC),
        ),
        # Berlin, just after the change of 2021-03-28: midnight is 22:00 UTC (UTC+02:00).
        (
            "Europe/Berlin",
            date(2021, 3, 30),
            datetime(2021, 3, 29, 21, 59, tzinfo=UTC),
            datetime(2021, 3, 29, 22, 0, tzinfo=UTC),
        ),
        # Berlin on the day of the change itself: 2021-03-28 began at 23:00 UTC (UTC+01:00).
        (
            "Europe/Berlin",
            date(2021, 3, 28),
            datetime(2021, 3, 27, 22, 59, tzinfo=UTC),
            datetime(2021, 3, 27, 23, 0, tzinfo=UTC),
        ),
    ],
)
def test_answers_are_deleted_when_the_purge_day_begins_in_the_runs_zone(
    zone: str, purge_on: date, just_before: datetime, at_start: datetime
) -> None:
    application = _application(zone, purge_on)
    assert purge_expired_answers(at=just_before) == 0
    assert _purged(application) == (
        {"q1": "I run the Wiki Club"},
        "Example",
        "Wiki Club Lagos",
        "Strong motivation",
    )
    assert purge_expired_answers(at=at_start) == 1
    assert _purged(application) == ({}, "", "", "")
    application.refresh_from_db()
    assert (application.state, application.purged_at) == ("submitted", at_start)
    assert purge_expired_answers(at=at_start) == 0


def test_purge_command_reports_what_it_did(capsys: pytest.CaptureFixture[str]) -> None:
    _application("UTC", date(2020, 1, 1))
    call_command("purge_applications")
    assert capsys.readouterr().out == "1 application(s) purged.\n"
