"""Self-guided study of a completed run: own deadlines, recordings, completion and a
certificate with no staff action."""

import shutil
import subprocess
from datetime import UTC, date, datetime, time
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps as registry
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohortkit.courses.models import Role, Run, RunRole
from cohortkit.learning.deadlines import deadlines_for, own_due_at
from cohortkit.learning.models import (
    Certificate,
    LearningPolicy,
    ParticipantState,
    ParticipantStatus,
    Submission,
    SupportActionKind,
)
from cohortkit.learning.queries import completion
from cohortkit.learning.services.support import enrol_self_paced, take_support_action
from cohortkit.notifications.models import OutboxMessage
from tests.conftest import Cast
from tests.factories import ModuleFactory, RunFactory, RunRoleFactory, TopicFactory, UserFactory
from tests.factories.learning import AssignmentFactory, SubmissionFactory
from tests.factories.scheduling import weekly_series
from tests.queries import forget_kept_pages

BERLIN = ZoneInfo("Europe/Berlin")


def _self_study_run() -> Run:
    """The 2021 run (1 February, eight weeks) in Berlin, open for self-study afterwards."""
    return RunFactory(timezone="Europe/Berlin", is_self_paced=True, starts_on=date(2021, 2, 1))


def _cohort_member(run: Run, user: object) -> None:
    """A participant of the live cohort (their role dates from before the run)."""
    role = RunRoleFactory(run=run, user=user, role=Role.PARTICIPANT)
    RunRole.objects.filter(pk=role.pk).update(created_at=datetime(2021, 1, 20, tzinfo=UTC))


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.mark.parametrize(
    ("zone", "enrolled_at", "due_local"),
    [
        # New York moves its clocks on Sunday 8 March 2026: enrolled on the 5th in EST,
        # due six days later at 23:59 in EDT (wall clock kept, not 6 x 24 hours).
        ("America/New_York", datetime(2026, 3, 5, 15, tzinfo=UTC), datetime(2026, 3, 11, 23, 59)),
        # 20:00 UTC on 5 March is already 6 March in Kolkata (UTC+05:30): the local day counts.
        ("Asia/Kolkata", datetime(2026, 3, 5, 20, tzinfo=UTC), datetime(2026, 3, 12, 23, 59)),
        # Adelaide (UTC+10:30, daylight saving ends on 5 April 2026).
        ("Australia/Adelaide", datetime(2026, 4, 1, 3, tzinfo=UTC), datetime(2026, 4, 7, 23, 59)),
    ],
)
def test_own_deadline_is_the_assignments_offset_from_the_run_start_in_the_learners_zone(
    db: None, zone: str, enrolled_at: datetime, due_local: datetime
) -> None:
    run = _self_study_run()
    # Due Sunday 7 February 2021 at 23:59 in Berlin: six days after the start.
    assignment = AssignmentFactory(run=run, due_at=datetime(2021, 2, 7, 23, 59, tzinfo=BERLIN))
    learner = UserFactory(timezone=zone)
    enrol_self_paced(run, user=learner, at=enrolled_at)
    assert deadlines_for(run, learner, [assignment]) == {
        assignment.pk: due_local.replace(tzinfo=ZoneInfo(zone))
    }
    assert (
        own_due_at(assignment, run=run, since=enrolled_at, zone=ZoneInfo(zone)).utcoffset()
        == due_local.replace(tzinfo=ZoneInfo(zone)).utcoffset()
    )


def test_cohort_deadlines_stay_for_everyone_else(db: None) -> None:
    run = _self_study_run()
    assignment = AssignmentFactory(run=run, due_at=datetime(2021, 2, 7, 23, 59, tzinfo=BERLIN))
    member = UserFactory(timezone="Asia/Kolkata")
    _cohort_member(run, member)
    assert deadlines_for(run, member, [assignment]) == {assignment.pk: assignment.due_at}


def test_switching_to_self_paced_mid_run_gives_own_deadlines_never_earlier(cast: Cast) -> None:
    early = AssignmentFactory(run=cast.run, due_at=datetime(2021, 2, 7, 23, 59, tzinfo=UTC))
    cast.participant.timezone = "UTC"
    cast.participant.save()
    switched_at = datetime(2021, 2, 20, 12, tzinfo=UTC)
    take_support_action(cast.run, participant=cast.participant, kind=SupportActionKind.SELF_PACED,
                        note="", by=cast.coordinator, at=switched_at)  # fmt: skip
    assert deadlines_for(cast.run, cast.participant, [early]) == {
        early.pk: datetime(2021, 2, 26, 23, 59, tzinfo=ZoneInfo("UTC"))
    }


def test_a_self_paced_learner_enrols_hands_in_completes_and_gets_a_verified_certificate(
    db: None, settings: object, tmp_path: object, django_capture_on_commit_callbacks: object
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    run = _self_study_run()
    module = ModuleFactory(run=run, position=1, release_week=0)
    topics = [TopicFactory(module=module, position=n) for n in (1, 2)]
    assignment = AssignmentFactory(
        run=run,
        module=module,
        accepts_late=False,
        due_at=datetime(2021, 2, 7, 23, 59, tzinfo=BERLIN),
    )
    learner = UserFactory(display_name="Amara Okafor", timezone="Asia/Kolkata")
    client = _client(learner)
    kwargs = {"slug": run.course.slug, "run": run.slug}
    with time_machine.travel(datetime(2026, 3, 5, 20, tzinfo=UTC), tick=False):
        page = client.get(reverse("learning:modules", kwargs=kwargs)).content.decode()
        assert "Enrol" in page
        client.post(reverse("learning:enrol", kwargs=kwargs))
        listing = client.get(reverse("learning:assignments", kwargs=kwargs)).content.decode()
        assert "Overdue" not in listing
    # Two days later: within their own week, though the cohort's date passed in 2021.
    with time_machine.travel(datetime(2026, 3, 8, 9, tzinfo=UTC), tick=False):
        url = reverse("learning:assignment", kwargs={**kwargs, "pk": assignment.pk})
        assert "does not accept late work" not in client.get(url).content.decode()
        response = client.post(url, {"text": "My partnership map.", "link": "", "submit": "1"})
        assert response.status_code == 302
        for topic in topics:
            client.post(
                reverse("learning:topic_done", kwargs={**kwargs, "pk": topic.pk}), {"done": "on"}
            )
        page = client.get(reverse("learning:modules", kwargs=kwargs)).content.decode()
        assert "Get your certificate" in page
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            claimed = client.post(reverse("learning:claim_certificate", kwargs=kwargs))
    assert list(Submission.objects.values_list("status", "is_late")) == [("submitted", False)]
    certificate = Certificate.objects.get()
    assert claimed.headers["Location"] == f"/certificates/{certificate.code}/"
    assert (certificate.user, certificate.name, certificate.issued_at) == (
        learner,
        "Amara Okafor",
        datetime(2026, 3, 8, 9, tzinfo=UTC),
    )
    verified = Client().get(claimed.headers["Location"]).content.decode()
    assert "This certificate is valid." in verified
    assert "Amara Okafor" in verified
    pdf = Client().get(f"/certificates/{certificate.code}/pdf/")
    assert (pdf["Content-Type"], pdf.content[:5]) == ("application/pdf", b"%PDF-")
    # Read back by poppler's pdftotext (scripts/system-deps installs poppler-utils).
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None
    path = tmp_path / "certificate.pdf"  # type: ignore[operator]
    path.write_bytes(pdf.content)
    text = subprocess.run(  # noqa: S603 (a fixed program on a file we wrote)
        [pdftotext, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert ("Amara Okafor" in text, certificate.code in text) == (True, True)
    assert list(OutboxMessage.objects.values_list("recipient", "kind")) == [
        (learner.email, "learning-certificate")
    ]


def test_claiming_is_refused_while_something_is_missing_and_for_the_cohort(cast: Cast) -> None:
    run = _self_study_run()
    TopicFactory(module=ModuleFactory(run=run, position=1))
    learner = UserFactory()
    kwargs = {"slug": run.course.slug, "run": run.slug}
    client = _client(learner)
    with time_machine.travel(datetime(2026, 3, 5, 12, tzinfo=UTC), tick=False):
        client.post(reverse("learning:enrol", kwargs=kwargs))
        client.post(reverse("learning:claim_certificate", kwargs=kwargs))
        cohort = {"slug": cast.run.course.slug, "run": cast.run.slug}
        TopicFactory(module=ModuleFactory(run=cast.run, position=1))
        refused = cast.client_for("participant").post(
            reverse("learning:claim_certificate", kwargs=cohort), follow=True
        )
    assert Certificate.objects.count() == 0
    assert "The coordinator issues the certificates of this run." in refused.content.decode()


def test_self_paced_rules_skip_attendance_and_peer_review_and_need_work_handed_in(
    db: None,
) -> None:
    run = _self_study_run()

    LearningPolicy.objects.create(run=run, min_attendance_percent=80, requires_final_review=True)
    assignment = AssignmentFactory(run=run)
    learner, member = UserFactory(), UserFactory()
    _cohort_member(run, member)
    enrol_self_paced(run, user=learner, at=datetime(2026, 3, 5, tzinfo=UTC))
    SubmissionFactory(assignment=assignment, participant=learner, status="submitted")
    SubmissionFactory(assignment=assignment, participant=member, status="submitted")
    results = {item.person.pk: (item.is_complete, item.missing) for item in completion(run)}
    assert results == {
        learner.pk: (True, []),
        member.pk: (
            False,
            [
                "1 required assignment not accepted yet",
                "attendance below 80%",
                "final presentation not reviewed yet",
            ],
        ),
    }


def test_work_sent_back_does_not_count_for_a_self_paced_learner(db: None) -> None:
    run = _self_study_run()
    assignment = AssignmentFactory(run=run)
    learner = UserFactory()
    enrol_self_paced(run, user=learner, at=datetime(2026, 3, 5, tzinfo=UTC))
    SubmissionFactory(assignment=assignment, participant=learner, status="needs-work")
    assert [(c.is_complete, c.missing) for c in completion(run)] == [
        (False, ["1 required assignment not handed in yet"])
    ]


def test_enrolment_is_recorded_as_self_paced_from_that_instant(db: None) -> None:
    run = _self_study_run()
    learner = UserFactory()
    enrol_self_paced(run, user=learner, at=datetime(2026, 3, 5, 12, tzinfo=UTC))
    assert list(ParticipantStatus.objects.values_list("user", "state", "self_paced_at")) == [
        (learner.pk, ParticipantState.SELF_PACED, datetime(2026, 3, 5, 12, tzinfo=UTC))
    ]


def _recordings(run: Run, client: Client, count: int) -> tuple[int, int]:
    series = weekly_series(run, start=time(15, 0))
    for occurrence in series.occurrences.order_by("week")[:count]:
        occurrence.recording_url = f"https://video.example.org/week-{occurrence.week + 1}"
        occurrence.save()
    url = reverse("learning:recordings", kwargs={"slug": run.course.slug, "run": run.slug})
    client.get(url)
    forget_kept_pages()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return len(queries), response.content.decode().count("Watch the recording")


@pytest.mark.parametrize("count", [1, 8])
def test_recordings_are_open_to_self_paced_learners_in_constant_queries(
    db: None, count: int
) -> None:
    run = _self_study_run()
    learner = UserFactory()
    with time_machine.travel(datetime(2026, 3, 5, 12, tzinfo=UTC), tick=False):
        enrol_self_paced(run, user=learner, at=datetime(2026, 3, 5, 12, tzinfo=UTC))
        queries, shown = _recordings(run, _client(learner), count)
    assert (queries, shown) == (6, count)


def test_earlier_enrolments_become_self_paced_from_the_day_they_joined(db: None) -> None:
    migration = import_module("cohortkit.learning.migrations.0004_self_paced_enrolments_before")
    run = _self_study_run()
    alumnus, learner = UserFactory(), UserFactory()
    _cohort_member(run, alumnus)
    joined = RunRoleFactory(run=run, user=learner, role=Role.PARTICIPANT)
    migration.mark_self_paced(registry, None)
    assert list(ParticipantStatus.objects.values_list("user", "state", "self_paced_at")) == [
        (learner.pk, "self-paced", RunRole.objects.get(pk=joined.pk).created_at)
    ]
