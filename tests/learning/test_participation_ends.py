"""Access ends with participation: a withdrawn participant, or one whose role was removed,
gets 403 (404 for the feed) on every run page; withdrawing after confirming frees the seat
for the waitlist (the applications app's services) and ends the role."""

from datetime import timedelta
from importlib import import_module

import pytest
import time_machine
from django.apps import apps as registry
from django.test import Client
from django.urls import reverse

from cohortkit.applications import services as applications
from cohortkit.applications.models import ApplicationForm, Offer, OfferState, Seats
from cohortkit.courses.models import Role, RunRole
from cohortkit.learning.models import ParticipantStatus, SupportActionKind, Thread
from cohortkit.learning.services.support import take_support_action
from cohortkit.notifications.models import OutboxMessage
from cohortkit.scheduling.models import CalendarToken
from cohortkit.scheduling.services import issue_calendar_token
from tests.applications.test_selection_flow import released
from tests.conftest import Cast
from tests.factories import RunFactory
from tests.factories.scheduling import weekly_series
from tests.learning.conftest import IN_RUN
from tests.learning.test_access import files, pages  # noqa: F401 (the fixture, shared)

VIDEO = "https://meet.example.org/partnerships-weekly"


def _end(cast: Cast, how: str) -> None:
    if how == "withdrawn":
        take_support_action(cast.run, participant=cast.participant, kind=SupportActionKind.WITHDRAWAL,
                            note="", by=cast.coordinator, at=IN_RUN)  # fmt: skip
    else:
        RunRole.objects.filter(run=cast.run, user=cast.participant).delete()


@pytest.mark.parametrize("how", ["withdrawn", "role removed"])
def test_a_person_whose_participation_ended_is_refused_on_every_run_page_and_feed(
    cast: Cast,
    files: dict[str, object],  # noqa: F811 (the fixture imported from test_access)
    how: str,
) -> None:
    series = weekly_series(cast.run, members=[cast.participant])
    series.video_url = VIDEO
    series.save()
    token = issue_calendar_token(cast.run, cast.participant, at=IN_RUN)
    run = {"slug": cast.run.course.slug, "run": cast.run.slug}
    occurrence = {**run, "pk": series.occurrences.first().pk}  # type: ignore[union-attr]
    feed = reverse("scheduling:personal_feed", kwargs={**run, "token": token.token})
    schedule_pages = [
        reverse("scheduling:schedule", kwargs=run),
        reverse("scheduling:occurrence", kwargs=occurrence),
        reverse("scheduling:occurrence_ics", kwargs=occurrence),
        reverse("scheduling:calendar", kwargs=run),
        reverse("scheduling:availability", kwargs=run),
        reverse("learning:recordings", kwargs=run),
    ]
    urls = [url for url, rule in pages(cast, files) if rule["participant"] == 200] + schedule_pages
    client = cast.client_for("participant")
    with time_machine.travel(IN_RUN, tick=False):
        assert VIDEO in client.get(feed).content.decode()
        assert {client.get(url).status_code for url in urls} == {200}
        _end(cast, how)
        seen = {url: client.get(url).status_code for url in urls}
        posted = client.post(reverse("learning:talk", kwargs=run), {"title": "Hi", "body": "?"})
        feed_status = client.get(feed).status_code
    assert seen == dict.fromkeys(urls, 403)
    assert (posted.status_code, feed_status, Thread.objects.filter(title="Hi").count()) == (
        403,
        404,
        0,
    )


def test_withdrawal_by_the_coordinator_ends_the_role_and_the_feed_and_keeps_the_record(
    cast: Cast,
) -> None:
    issue_calendar_token(cast.run, cast.participant, at=IN_RUN)
    _end(cast, "withdrawn")
    assert (
        list(RunRole.objects.filter(run=cast.run, user=cast.participant)),
        list(ParticipantStatus.objects.values_list("user", "state")),
        CalendarToken.objects.filter(user=cast.participant, revoked_at__isnull=True).count(),
    ) == ([], [(cast.participant.pk, "withdrawn")], 0)


def test_withdrawing_after_confirming_frees_the_seat_for_the_waitlist_and_ends_the_role(
    db: None, django_capture_on_commit_callbacks: object
) -> None:
    run = RunFactory(capacity=2)
    ApplicationForm.objects.create(run=run, offer_days=7, lottery_seed=7)
    first, _second, third = released(run, 5, 4, 3)
    at = run.notification_at + timedelta(hours=1)
    applications.confirm_offer(Offer.objects.get(application=first), at=at)
    assert Seats.objects.get(run=run).confirmed == 1
    client = Client()
    client.force_login(first.applicant)
    url = reverse("applications:apply", kwargs={"slug": run.course.slug, "run": run.slug})
    with time_machine.travel(at + timedelta(hours=1), tick=False):
        assert "Give up my seat" in client.get(url).content.decode()
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            response = client.post(
                reverse("applications:withdraw", kwargs={"slug": run.course.slug, "run": run.slug}),
                follow=True,
            )
    assert "You gave up your seat" in response.content.decode()
    assert (
        Seats.objects.get(run=run).confirmed,
        Offer.objects.get(application=first).state,
        list(RunRole.objects.filter(run=run, user=first.applicant, role=Role.PARTICIPANT)),
        list(Offer.objects.filter(application=third).values_list("state", flat=True)),
        list(OutboxMessage.objects.filter(kind="application-offer").values_list("recipient", flat=True)),
    ) == (0, OfferState.DECLINED, [], [OfferState.OPEN], [third.applicant.email])  # fmt: skip


def test_people_withdrawn_earlier_lose_the_role_they_kept(cast: Cast) -> None:
    migration = import_module("cohortkit.learning.migrations.0007_withdrawn_roles_end")
    ParticipantStatus.objects.create(run=cast.run, user=cast.participant, state="withdrawn")
    migration.end_roles(registry, None)
    assert list(RunRole.objects.filter(run=cast.run, role=Role.PARTICIPANT)) == []
    migration.restore_roles(registry, None)
    assert list(
        RunRole.objects.filter(run=cast.run, role=Role.PARTICIPANT).values_list("user", flat=True)
    ) == [cast.participant.pk]
