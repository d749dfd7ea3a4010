"""Progress grid, assignments, Q&A, support, completion and certificates, self-paced."""

import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohortkit.courses.models import Role, RunRole
from cohortkit.learning.models import (
    Certificate,
    ParticipantState,
    ParticipantStatus,
    Submission,
    SupportAction,
    SupportActionKind,
    TalkPreference,
    TopicCompletion,
)
from cohortkit.learning.queries import at_risk, completion
from cohortkit.learning.services.assignments import save_submission
from cohortkit.learning.services.certificates import issue_certificates
from cohortkit.learning.services.support import take_support_action
from cohortkit.learning.services.talk import reply_to_thread
from cohortkit.notifications.models import OutboxMessage
from tests.conftest import Cast
from tests.factories import ModuleFactory, RunFactory, RunRoleFactory, TopicFactory, UserFactory
from tests.factories.learning import (
    AssignmentFactory,
    ReplyFactory,
    SubmissionFactory,
    ThreadFactory,
)
from tests.learning.conftest import IN_RUN
from tests.payloads import naughty_strings
from tests.queries import forget_kept_pages


def _grid_queries(cast: Cast, people: int) -> tuple[int, int]:
    module = ModuleFactory(run=cast.run, position=1)
    topic = TopicFactory(module=module)
    ModuleFactory(run=cast.run, position=2)
    for _ in range(people - 1):
        person = UserFactory()
        RunRoleFactory(run=cast.run, user=person, role=Role.PARTICIPANT)
        TopicCompletion.objects.create(user=person, topic=topic, done_at=IN_RUN)
    client = cast.client_for("facilitator")
    url = reverse("learning:grid", kwargs={"slug": cast.run.course.slug, "run": cast.run.slug})
    client.get(url)
    forget_kept_pages()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode().count('<th scope="row">')


@pytest.mark.parametrize("people", [1, 60])
def test_progress_grid_makes_the_same_queries_for_one_or_many_participants(
    cast: Cast, people: int
) -> None:
    count, rows = _grid_queries(cast, people)
    # Ten: one of them asks which languages the course is published in, to name the run
    # and the modules in the reader's content language (no version: no further query);
    # one reads the exercise results of the page's people.
    assert (count, rows) == (10, min(people, 50))


def test_late_work_is_refused_when_the_policy_says_so_and_the_draft_is_kept(cast: Cast) -> None:
    assignment = AssignmentFactory(
        run=cast.run, accepts_late=False, due_at=datetime(2021, 2, 14, 23, 59, tzinfo=UTC)
    )
    with pytest.raises(ValidationError):
        save_submission(assignment, participant=cast.participant, text="draft text", link="", upload=None,
                        upload_type="", submit=True, at=datetime(2021, 2, 15, tzinfo=UTC))  # fmt: skip
    save_submission(assignment, participant=cast.participant, text="draft text", link="", upload=None,
                    upload_type="", submit=False, at=datetime(2021, 2, 15, tzinfo=UTC))  # fmt: skip
    assert list(Submission.objects.values_list("text", "status")) == [("draft text", "draft")]


def test_extension_lets_late_work_in_and_is_recorded_and_mailed(cast: Cast) -> None:
    assignment = AssignmentFactory(run=cast.run, accepts_late=False)
    with django_capture_commit():
        take_support_action(cast.run, participant=cast.participant, kind=SupportActionKind.EXTENSION, note="Take a week.",
                            by=cast.coordinator, at=IN_RUN, assignment=assignment,
                            due_at=datetime(2021, 2, 21, 23, 59, tzinfo=UTC))  # fmt: skip
    submission = save_submission(assignment, participant=cast.participant, text="x", link="", upload=None,
                                 upload_type="", submit=True, at=datetime(2021, 2, 20, tzinfo=UTC))  # fmt: skip
    assert (submission.status, submission.is_late) == ("submitted", False)
    assert list(SupportAction.objects.values_list("kind", "participant")) == [
        ("extension", cast.participant.pk)
    ]
    assert list(OutboxMessage.objects.values_list("recipient", "kind")) == [
        (cast.participant.email, "learning-support")
    ]


def test_late_work_is_marked_late_when_accepted_by_policy(cast: Cast) -> None:
    assignment = AssignmentFactory(run=cast.run, accepts_late=True)
    submission = save_submission(assignment, participant=cast.participant, text="x", link="", upload=None,
                                 upload_type="", submit=True, at=datetime(2021, 2, 15, tzinfo=UTC))  # fmt: skip
    assert (submission.status, submission.is_late) == ("submitted", True)


def test_feedback_sets_status_and_mails_the_participant(cast: Cast) -> None:
    submission = SubmissionFactory(
        assignment=AssignmentFactory(run=cast.run), participant=cast.participant
    )
    url = reverse(
        "learning:submission",
        kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, "pk": submission.pk},
    )
    with django_capture_commit():
        cast.client_for("facilitator").post(
            url, {"status": "needs-work", "feedback": "Add a partner."}
        )
    submission.refresh_from_db()
    assert (submission.status, submission.feedback, submission.feedback_by) == (
        "needs-work",
        "Add a partner.",
        cast.facilitator,
    )
    assert list(OutboxMessage.objects.values_list("recipient", "kind")) == [
        (cast.participant.email, "learning-feedback")
    ]


def django_capture_commit() -> object:
    return TestCase.captureOnCommitCallbacks(execute=True)


def test_reply_mails_the_asker_unless_they_turned_it_off(cast: Cast) -> None:
    thread = ThreadFactory(run=cast.run, author=cast.participant)
    with django_capture_commit():
        reply_to_thread(thread, author=cast.facilitator, body="Yes.", at=IN_RUN)
    TalkPreference.objects.create(user=cast.participant, mail_on_reply=False)
    with django_capture_commit():
        reply_to_thread(thread, author=cast.facilitator, body="Again.", at=IN_RUN)
    assert list(OutboxMessage.objects.values_list("recipient", "kind")) == [
        (cast.participant.email, "learning-reply")
    ]


@pytest.mark.parametrize("repliers", [1, 12])
def test_a_reply_makes_the_same_queries_however_many_people_are_in_the_thread(
    cast: Cast, repliers: int
) -> None:
    thread = ThreadFactory(run=cast.run, author=cast.participant)
    people = [ReplyFactory(thread=thread).author for _ in range(repliers)]
    TalkPreference.objects.create(user=people[0], mail_on_reply=False)
    with CaptureQueriesContext(connection) as queries, django_capture_commit():
        reply_to_thread(thread, author=cast.facilitator, body="Noted.", at=IN_RUN)
    mailed = set(OutboxMessage.objects.values_list("recipient", flat=True))
    assert mailed == {cast.participant.email, *(person.email for person in people[1:])}
    # The reply, the thread, who is in it (preferences included), the texts, the queueing.
    assert len(queries) == 11


def test_hidden_thread_disappears_for_other_participants_with_its_reason_kept(cast: Cast) -> None:
    thread = ThreadFactory(run=cast.run, author=cast.facilitator, title="Spam here")
    kwargs = {"slug": cast.run.course.slug, "run": cast.run.slug}
    cast.client_for("facilitator").post(
        reverse("learning:thread_hide", kwargs={**kwargs, "pk": thread.pk}), {"reason": "Off topic"}
    )
    thread.refresh_from_db()
    assert (thread.is_hidden, thread.hidden_reason, thread.hidden_by) == (
        True,
        "Off topic",
        cast.facilitator,
    )
    listing = (
        cast.client_for("participant").get(reverse("learning:talk", kwargs=kwargs)).content.decode()
    )
    assert "Spam here" not in listing
    assert (
        cast.client_for("participant")
        .get(reverse("learning:thread", kwargs={**kwargs, "pk": thread.pk}))
        .status_code
        == 403
    )


def test_runs_never_see_each_others_threads(cast: Cast) -> None:
    ThreadFactory(run=cast.other_run, title="Other run question")
    ThreadFactory(run=cast.run, title="Our question")
    page = cast.client_for("coordinator").get(
        reverse("learning:talk", kwargs={"slug": cast.run.course.slug, "run": cast.run.slug})
    )
    assert (
        "Our question" in page.content.decode(),
        "Other run question" in page.content.decode(),
    ) == (True, False)


def test_at_risk_names_inactivity_and_overdue_work_and_skips_paused_people(cast: Cast) -> None:
    module = ModuleFactory(run=cast.run, position=1)
    topic = TopicFactory(module=module)
    AssignmentFactory(
        run=cast.run, title="Partner map", due_at=datetime(2021, 2, 14, 23, 59, tzinfo=UTC)
    )
    busy = UserFactory(display_name="Busy")
    RunRoleFactory(run=cast.run, user=busy)
    TopicCompletion.objects.create(user=busy, topic=topic, done_at=IN_RUN - timedelta(days=2))
    paused = UserFactory(display_name="Paused")
    RunRoleFactory(run=cast.run, user=paused)
    ParticipantStatus.objects.create(run=cast.run, user=paused, state=ParticipantState.PAUSED)
    flagged = {item.person.display_name: item.reasons for item in at_risk(cast.run, at=IN_RUN)}
    assert flagged == {
        "Busy": ["Overdue: Partner map"],
        "Participant": ["No progress for 10 days or more", "Overdue: Partner map"],
    }


def test_pause_moves_the_person_to_the_next_run_keeping_progress(cast: Cast) -> None:
    topic = TopicFactory(module=ModuleFactory(run=cast.run, position=2), position=3)
    later = RunFactory(course=cast.run.course, starts_on=cast.run.starts_on + timedelta(days=365))
    twin = TopicFactory(module=ModuleFactory(run=later, position=2), position=3)
    TopicCompletion.objects.create(user=cast.participant, topic=topic, done_at=IN_RUN)
    url = reverse(
        "learning:support_person",
        kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, "user_id": cast.participant.pk},
    )
    with django_capture_commit():
        response = cast.client_for("coordinator").post(
            url, {"kind": "pause", "next_run": later.pk, "note": "See you next year."}
        )
    assert response.status_code == 302
    assert ParticipantStatus.objects.get(run=cast.run, user=cast.participant).state == "paused"
    assert RunRole.objects.filter(run=later, user=cast.participant, role=Role.PARTICIPANT).exists()
    assert TopicCompletion.objects.filter(user=cast.participant, topic=twin).exists()
    assert OutboxMessage.objects.get().kind == "learning-support"


def test_extension_form_names_missing_fields(cast: Cast) -> None:
    url = reverse(
        "learning:support_person",
        kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, "user_id": cast.participant.pk},
    )
    response = cast.client_for("coordinator").post(url, {"kind": "extension", "note": "kept note"})
    page = response.content.decode()
    assert response.status_code == 400
    wanted = ["Choose the assignment to extend.", "Give the new due date.", "kept note"]
    assert [text in page for text in wanted] == [True, True, True]


def test_completion_issue_verify_pdf_revoke_and_list_command(cast: Cast, client: object) -> None:
    topic = TopicFactory(module=ModuleFactory(run=cast.run, position=1))
    assignment = AssignmentFactory(run=cast.run)
    TopicCompletion.objects.create(user=cast.participant, topic=topic, done_at=IN_RUN)
    SubmissionFactory(assignment=assignment, participant=cast.participant, status="accepted")
    other = UserFactory(display_name="Not done")
    RunRoleFactory(run=cast.run, user=other)
    results = {c.person.display_name: (c.is_complete, c.missing) for c in completion(cast.run)}
    assert results == {
        "Participant": (True, []),
        "Not done": (False, ["0 of 1 topic done", "1 required assignment not accepted yet"]),
    }
    [certificate] = issue_certificates(cast.run, at=IN_RUN, notify=False)
    assert issue_certificates(cast.run, at=IN_RUN) == []
    out = StringIO()
    call_command("certificates", "list", "--json", stdout=out)
    base = f"http://127.0.0.1:8000/certificates/{certificate.code}/"
    assert json.loads(out.getvalue()) == [
        {
            "code": certificate.code,
            "name": "Participant",
            "course": cast.run.course.title,
            "url": base,
            "pdf": base + "pdf/",
        }
    ]
    verify = client.get(base.removeprefix("http://127.0.0.1:8000"))  # type: ignore[attr-defined]
    assert "This certificate is valid." in verify.content.decode()
    pdf = client.get(base.removeprefix("http://127.0.0.1:8000") + "pdf/")  # type: ignore[attr-defined]
    assert (pdf.status_code, pdf["Content-Type"], pdf.content[:5]) == (
        200,
        "application/pdf",
        b"%PDF-",
    )
    revoke = reverse(
        "learning:revoke_certificate",
        kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, "code": certificate.code},
    )
    cast.client_for("coordinator").post(revoke, {"reason": "Plagiarism"})
    assert (
        "has been revoked"
        in client.get(base.removeprefix("http://127.0.0.1:8000")).content.decode()
    )  # type: ignore[attr-defined]
    assert client.get(base.removeprefix("http://127.0.0.1:8000") + "pdf/").status_code == 410  # type: ignore[attr-defined]
    out = StringIO()
    call_command("certificates", "list", "--json", stdout=out)
    assert json.loads(out.getvalue()) == []


@pytest.mark.urls("tests.learning.urls")
def test_site_wide_certificate_address_and_unknown_code_404(cast: Cast, client: object) -> None:
    certificate = Certificate.objects.create(
        run=cast.run, user=cast.participant, name="Ada", issued_at=IN_RUN
    )
    out = StringIO()
    call_command("certificates", "list", "--json", stdout=out)
    [row] = json.loads(out.getvalue())
    assert (row["url"], row["pdf"]) == (
        f"http://127.0.0.1:8000/certificates/{certificate.code}/",
        f"http://127.0.0.1:8000/certificates/{certificate.code}/pdf/",
    )
    assert client.get(f"/certificates/{certificate.code}/").status_code == 200  # type: ignore[attr-defined]
    assert client.get("/certificates/NOPE-NOPE-NOPE/").status_code == 404  # type: ignore[attr-defined]


def test_anyone_signed_in_enrols_in_a_self_paced_run_and_progresses(cast: Cast) -> None:
    run = RunFactory(course=cast.run.course, is_self_paced=True)
    topic = TopicFactory(module=ModuleFactory(run=run, position=1))
    newcomer = UserFactory()

    client = Client()
    client.force_login(newcomer)
    kwargs = {"slug": run.course.slug, "run": run.slug}
    assert "Enrol" in client.get(reverse("learning:modules", kwargs=kwargs)).content.decode()
    client.post(reverse("learning:enrol", kwargs=kwargs))
    client.post(reverse("learning:topic_done", kwargs={**kwargs, "pk": topic.pk}), {"done": "on"})
    assert list(RunRole.objects.filter(run=run).values_list("user", "role")) == [
        (newcomer.pk, "participant")
    ]
    assert [c.is_complete for c in completion(run)] == [True]
    # A run not open for self-study refuses.
    assert (
        client.post(
            reverse("learning:enrol", kwargs={"slug": cast.run.course.slug, "run": cast.run.slug})
        ).status_code
        == 403
    )


def test_naughty_strings_in_questions_replies_and_work_are_kept_and_never_executed(
    cast: Cast,
) -> None:
    kwargs = {"slug": cast.run.course.slug, "run": cast.run.slug}
    assignment = AssignmentFactory(run=cast.run)
    client = cast.client_for("participant")
    strings = [s for s in naughty_strings() if s.strip()][::20]
    thread = ThreadFactory(run=cast.run, author=cast.participant)
    for text in strings:
        title = text[:200]
        response = client.post(
            reverse("learning:talk", kwargs=kwargs), {"title": title, "body": text}
        )
        assert response.status_code in (302, 400), text
        response = client.post(
            reverse("learning:thread", kwargs={**kwargs, "pk": thread.pk}), {"body": text}
        )
        assert response.status_code in (302, 400), text
        client.post(
            reverse("learning:assignment", kwargs={**kwargs, "pk": assignment.pk}),
            {"text": text, "draft": "1"},
        )
        assert (
            Submission.objects.get(participant=cast.participant).text
            == text.replace("\r\n", "\n").strip()
            or text.strip() == ""
        )
    page = client.get(
        reverse("learning:thread", kwargs={**kwargs, "pk": thread.pk})
    ).content.decode()
    assert "<script>alert" not in page
