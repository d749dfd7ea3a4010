"""A participant who cannot keep up asks for help from the run pages; facilitators and the
coordinator get the request by mail and answer it on "People falling behind"."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohortkit.courses.models import Role, RunRole
from cohortkit.learning.deadlines import deadlines_for
from cohortkit.learning.models import (
    HelpRequest,
    ParticipantStatus,
    SupportAction,
)
from cohortkit.notifications.models import OutboxMessage
from tests.conftest import Cast
from tests.factories import RunFactory, RunRoleFactory, UserFactory
from tests.factories.learning import AssignmentFactory
from tests.learning.conftest import IN_RUN
from tests.payloads import naughty_strings


def _run(cast: Cast) -> dict[str, str]:
    return {"slug": cast.run.course.slug, "run": cast.run.slug}


def _ask(cast: Cast, kind: str, message: str = "Work got busy.") -> object:
    url = reverse("learning:ask_help", kwargs=_run(cast))
    return cast.client_for("participant").post(url, {"kind": kind, "message": message})


def _answer(cast: Cast, role: str, pk: int, decision: str, note: str = "") -> object:
    url = reverse("learning:answer_help", kwargs={**_run(cast), "pk": pk})
    return cast.client_for(role).post(url, {"decision": decision, "note": note})


def test_a_participant_switches_to_self_paced_and_sees_their_own_deadlines(
    cast: Cast, django_capture_on_commit_callbacks: object
) -> None:
    cast.participant.timezone = "Asia/Kolkata"
    cast.participant.save()
    assignment = AssignmentFactory(run=cast.run, due_at=datetime(2021, 2, 7, 23, 59, tzinfo=UTC))
    with time_machine.travel(IN_RUN, tick=False):
        modules = reverse("learning:modules", kwargs=_run(cast))
        page = cast.client_for("participant").get(modules).content.decode()
        assert (
            "Can't keep up? Ask for a pause" in page,
            cast.run.course.contact_email in page,
        ) == (
            True,
            True,
        )
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            _ask(cast, "self-paced")
        asked = set(OutboxMessage.objects.values_list("recipient", "kind"))
        listing = cast.client_for("facilitator").get(reverse("learning:at_risk", kwargs=_run(cast)))
        assert "Work got busy." in listing.content.decode()
        request = HelpRequest.objects.get()
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            _answer(cast, "facilitator", request.pk, "accept", "Take your time.")
        page = cast.client_for("participant").get(modules).content.decode()
    assert asked == {
        (cast.facilitator.email, "learning-help-request"),
        (cast.coordinator.email, "learning-help-request"),
    }
    assert list(HelpRequest.objects.values_list("state", "decided_by", "decision_note")) == [
        ("accepted", cast.facilitator.pk, "Take your time.")
    ]
    assert list(ParticipantStatus.objects.values_list("state", "self_paced_at")) == [
        ("self-paced", IN_RUN)
    ]
    assert list(SupportAction.objects.values_list("kind", "taken_by", "note")) == [
        ("self-paced", cast.facilitator.pk, "Take your time.")
    ]
    # Switched on Saturday 20 February (Kolkata): the week-one work is due six days later.
    assert deadlines_for(cast.run, cast.participant, [assignment]) == {
        assignment.pk: datetime(2021, 2, 26, 23, 59, tzinfo=ZoneInfo("Asia/Kolkata"))
    }
    assert "You study at your own pace" in page
    assert (cast.participant.email, "learning-support") in set(
        OutboxMessage.objects.values_list("recipient", "kind")
    )


def test_a_deferral_continues_in_the_next_run_and_a_decline_mails_the_note(
    cast: Cast, django_capture_on_commit_callbacks: object
) -> None:
    later = RunFactory(course=cast.run.course, starts_on=date(2021, 9, 6))
    with time_machine.travel(IN_RUN, tick=False):
        _ask(cast, "defer")
        first = HelpRequest.objects.get()
        _answer(cast, "coordinator", first.pk, "accept")
        _ask(cast, "pause")
        second = HelpRequest.objects.get(state="open")
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            _answer(cast, "coordinator", second.pk, "decline", "Let us talk on Monday.")
    assert list(
        RunRole.objects.filter(run=later, user=cast.participant).values_list("role", flat=True)
    ) == [Role.PARTICIPANT]
    assert list(ParticipantStatus.objects.values_list("state", "joins_run")) == [
        ("paused", later.pk)
    ]
    declined = OutboxMessage.objects.get(kind="learning-help-declined")
    assert (declined.recipient, "Let us talk on Monday." in declined.body) == (
        cast.participant.email,
        True,
    )


def test_one_waiting_request_at_a_time_and_no_deferral_without_a_next_run(cast: Cast) -> None:
    with time_machine.travel(IN_RUN, tick=False):
        refused = _ask(cast, "defer")
        _ask(cast, "pause")
        again = _ask(cast, "self-paced", "Typed text stays.")
    assert (refused.status_code, again.status_code) == (400, 400)  # type: ignore[attr-defined]
    assert "There is no next run to continue in yet" in refused.content.decode()  # type: ignore[attr-defined]
    assert "Typed text stays." in again.content.decode()  # type: ignore[attr-defined]
    assert list(HelpRequest.objects.values_list("kind", flat=True)) == ["pause"]


def test_hostile_messages_are_kept_and_shown_escaped(cast: Cast) -> None:
    strings = [s for s in naughty_strings() if "<" in s][:20]
    for text in strings:
        HelpRequest.objects.all().delete()
        _ask(cast, "pause", text)
        assert HelpRequest.objects.get().message == text.replace("\r\n", "\n").strip()
    page = cast.client_for("coordinator").get(reverse("learning:at_risk", kwargs=_run(cast)))
    assert "<script>alert" not in page.content.decode()


def _listing_queries(cast: Cast, people: int) -> tuple[int, int]:
    for _ in range(people):
        person = UserFactory()
        RunRoleFactory(run=cast.run, user=person, role=Role.PARTICIPANT)
        HelpRequest.objects.create(
            run=cast.run, participant=person, kind="pause", created_at=IN_RUN
        )
    client = cast.client_for("facilitator")
    url = reverse("learning:at_risk", kwargs=_run(cast))
    with time_machine.travel(IN_RUN, tick=False):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
    return len(queries), response.content.decode().count('name="decision" value="accept"')


def test_the_requests_list_makes_the_same_queries_for_one_or_many(cast: Cast) -> None:
    one = _listing_queries(cast, 1)
    HelpRequest.objects.all().delete()
    many = _listing_queries(cast, 12)
    assert (one[1], many[1], one[0] == many[0]) == (1, 12, True)
