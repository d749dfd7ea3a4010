"""A person's own data: every model with a user key is covered; the download holds exactly
what the site has about them; deleting the account erases it and keeps what others need."""

import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse

from cohortkit.accounts import privacy
from cohortkit.accounts.models import PrivacyRequest, User
from cohortkit.applications.models import Application, ApplicationReview
from cohortkit.courses.models import Role, Run
from cohortkit.exercises.models import Answer, Attempt, Exercise
from cohortkit.learning.models import (
    Certificate,
    Extension,
    HelpRequest,
    ParticipantStatus,
    Reply,
    Submission,
    SubmissionVersion,
    SupportAction,
    TalkPreference,
    Thread,
    TopicCompletion,
)
from cohortkit.notifications.models import OutboxMessage
from cohortkit.reviews.models import FinalWork, Review
from cohortkit.scheduling.models import Attendance, CalendarToken, WeeklyAvailability
from tests.factories import (
    PASSWORD,
    ModuleFactory,
    RunFactory,
    RunRoleFactory,
    TopicFactory,
    UserFactory,
)
from tests.factories.applications import (
    ApplicationFactory,
    ApplicationReviewFactory,
    DecisionFactory,
    OfferFactory,
)
from tests.factories.learning import (
    PNG,
    AssignmentFactory,
    CertificateFactory,
    ReplyFactory,
    ThreadFactory,
)
from tests.factories.notifications import OutboxMessageFactory
from tests.factories.reviews import (
    CriterionFactory,
    FeedbackPromptFactory,
    FinalWorkFactory,
    ReviewFactory,
    ReviewStepFactory,
)
from tests.factories.scheduling import weekly_series
from tests.factories.translations import SourceUnitFactory, TranslationFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2021, 4, 1, 9, tzinfo=UTC)
T0_ISO = "2021-04-01T09:00:00Z"


def test_every_model_with_a_user_key_is_covered_by_export_and_erase() -> None:
    user_model = get_user_model()
    with_user_key = {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.related_model is user_model
    } | {user_model._meta.label}
    modules = [item.module for item in privacy.contributions()]
    complete = {
        label
        for module in modules
        if callable(getattr(module, "export", None)) and callable(getattr(module, "erase", None))
        for label in module.COVERS
    }
    assert with_user_key - complete == set()
    assert complete - with_user_key == set()  # no stale entry either


@dataclass
class World:
    ana: User
    ben: User
    run: Run
    certificate: Certificate
    review_by_ana: Review
    review_of_ana: Review


def _world(media: Path) -> World:
    """Ana has data in every app; Ben is another participant who reviews and is reviewed."""
    with time_machine.travel(T0, tick=False):
        ana = UserFactory(
            email="ana@example.org",
            display_name="Ana Quispe",
            timezone="America/Lima",
            languages=["es", "qu"],
            wiki_username="AnaQ",
            home_community="Wikimedistas de Perú",
            region="latin-america",
            date_joined=T0,
            last_login=T0,
        )
        ben = UserFactory(email="ben@example.org", display_name="Ben Okafor")
        run = RunFactory(slug="2021", course__slug="partners")
        for person in (ana, ben):
            RunRoleFactory(run=run, user=person, role=Role.PARTICIPANT)
        application = ApplicationFactory(
            run=run, applicant=ana, answers={"why": "To learn."}, wiki_username="AnaQ"
        )
        DecisionFactory(application=application)
        OfferFactory(application=application)
        scored = ApplicationFactory(run=run, applicant=ben)
        ApplicationReviewFactory(
            application=scored, reviewer=ana, scores={"1": 4}, score=4, comment="Strong.",
            submitted_at=T0,
        )  # fmt: skip
        WeeklyAvailability.objects.create(
            run=run, user=ana, timezone="America/Lima", slots="f0" + "0" * 166
        )
        CalendarToken.objects.create(run=run, user=ana, token="secret-token")
        session = weekly_series(run, title="Weekly call")
        occurrence = session.occurrences.order_by("starts_at").first()
        Attendance.objects.create(occurrence=occurrence, user=ana, status="present", recorded_at=T0)
        module = ModuleFactory(run=run)
        topic = TopicFactory(module=module, title="Partners")
        TopicCompletion.objects.create(user=ana, topic=topic, done_at=T0)
        ParticipantStatus.objects.create(run=run, user=ana)
        assignment = AssignmentFactory(run=run, title="Partner map")
        submission = Submission.objects.create(
            assignment=assignment, participant=ana, text="My map.", status="submitted",
            submitted_at=T0, file=SimpleUploadedFile("map.png", PNG), file_name="../map.png",
            file_type="image/png",
        )  # fmt: skip
        SubmissionVersion.objects.create(
            submission=submission, number=1, text="My map.", file=submission.file.name,
            file_name="../map.png", file_type="image/png", submitted_at=T0,
        )  # fmt: skip
        Extension.objects.create(assignment=assignment, participant=ana, due_at=T0)
        SupportAction.objects.create(
            run=run, participant=ana, kind="pause", note="Rest.", taken_at=T0
        )
        TalkPreference.objects.create(user=ana)
        HelpRequest.objects.create(
            run=run, participant=ana, kind="pause", message="Busy month.", created_at=T0
        )
        thread = ThreadFactory(run=run, author=ana, title="Contracts?", body="Do we sign?")
        ReplyFactory(thread=thread, author=ben, body="Not always.")
        ReplyFactory(thread=thread, author=ana, body="Thanks!")
        certificate = CertificateFactory(run=run, user=ana, code="PARTNER-ANA1")
        step = ReviewStepFactory(run=run)
        criterion = CriterionFactory(step=step, title="Partner fit")
        prompt = FeedbackPromptFactory(step=step, text="What is strongest?")
        work = FinalWorkFactory(run=run, author=ana, title="Our plan", text="Plan.",
                                file=SimpleUploadedFile("Ana Quispe plan.pdf", b"%PDF-1.4"))  # fmt: skip
        other_work = FinalWorkFactory(run=run, author=ben, title="Ben's plan")
        review_of_ana = ReviewFactory(
            work=work, reviewer=ben, state="submitted", submitted_at=T0,
            scores={str(criterion.pk): 4}, answers={str(prompt.pk): "Clear aims."},
        )  # fmt: skip
        review_by_ana = ReviewFactory(
            work=other_work, reviewer=ana, state="submitted", submitted_at=T0,
            scores={str(criterion.pk): 3}, answers={str(prompt.pk): "Good partners."},
        )  # fmt: skip
        exercise = Exercise.objects.create(run=run, module=module, title="Check")
        question = exercise.questions.create(position=1, kind="truefalse", title="Sign", text="?")
        attempt = Attempt.objects.create(
            exercise=exercise, user=ana, number=1, started_at=T0, finished_at=T0, score=1.0
        )
        Answer.objects.create(attempt=attempt, question=question, response=True, score=1.0,
                              is_correct=True, answered_at=T0)  # fmt: skip
        unit = SourceUnitFactory(course=run.course, key="course.title")
        TranslationFactory(unit=unit, language="es", text="Socios", translator=ana,
                           translated_at=T0)  # fmt: skip
        OutboxMessageFactory(user=ana, subject="Welcome", body="Hello Ana.", kind="welcome")
        OutboxMessageFactory(user=ben, subject="For Ben", body="Hello Ben.")
    return World(ana, ben, run, certificate, review_by_ana, review_of_ana)


@pytest.fixture
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


@pytest.fixture
def world(media: Path) -> World:
    return _world(media)


def _download(person: User, password: str = PASSWORD) -> Any:
    client = Client()
    with time_machine.travel(T0, tick=False):
        client.force_login(person)
        return client.post("/accounts/profile/my-data/", {"password": password})


def test_the_download_holds_exactly_what_the_site_has_about_the_person(world: World) -> None:
    response = _download(world.ana)
    assert (response.status_code, response["Content-Type"]) == (200, "application/zip")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("personal-data.json"))
    work = FinalWork.objects.get(author=world.ana)
    submission = Submission.objects.get(participant=world.ana)
    run = "partners/2021"
    expected = {
        "format": "cohortkit-personal-data/1",
        "exported_at": T0_ISO,
        "accounts": {
            "profile": [
                {
                    "email": "ana@example.org",
                    "email_verified_at": "2020-01-01T00:00:00Z",
                    "display_name": "Ana Quispe",
                    "timezone": "America/Lima",
                    "languages": ["es", "qu"],
                    "interface_language": "",
                    "content_language": "",
                    "wiki_username": "AnaQ",
                    "home_community": "Wikimedistas de Perú",
                    "region": "latin-america",
                    "date_joined": T0_ISO,
                    "last_login": T0_ISO,
                }
            ],
            "admin_actions": [],
        },
        "courses": {
            "roles": [{"run": run, "role": "participant", "since": T0_ISO}],
            "invitations": [],
        },
        "wiki": {"identity": [], "figures": [], "edits": [], "reads": [], "sharing": []},
        "applications": {
            "applications": [
                {
                    "run": run,
                    "state": "submitted",
                    "contact_email": "ana@example.org",
                    "timezone": "UTC",
                    "languages": ["en"],
                    "wiki_username": "AnaQ",
                    "home_community": "",
                    "region": "europe",
                    "experience": "intermediate",
                    "answers": {"why": "To learn."},
                    "consent_at": "2021-01-02T12:00:00Z",
                    "submitted_at": "2021-01-02T12:00:00Z",
                    "withdrawn_at": None,
                    "answers_deleted_at": None,
                    "decision": {
                        "outcome": "selected",
                        "waitlist_rank": None,
                        "decided_at": "2021-01-02T12:00:00Z",
                    },
                    "offer": {
                        "state": "open",
                        "offered_at": "2021-01-18T12:00:00Z",
                        "respond_by": "2021-01-25T12:00:00Z",
                        "responded_at": None,
                    },
                }
            ],
            "application_scores_given": [
                {
                    "run": run,
                    "application": Application.objects.get(applicant=world.ben).pk,
                    "scores": {"1": 4},
                    "score": 4.0,
                    "comment": "Strong.",
                    "submitted_at": T0_ISO,
                }
            ],
            "decision_overrides_made": [],
        },
        "scheduling": {
            "availability": [
                {
                    "run": run,
                    "timezone": "America/Lima",
                    "slots": "f0" + "0" * 166,
                    "updated_at": T0_ISO,
                }
            ],
            "calendar_feeds": [{"run": run, "created_at": T0_ISO, "revoked_at": None}],
            "attendance": [
                {
                    "run": run,
                    "session": "Weekly call",
                    "starts_at": "2021-02-01T14:00:00Z",
                    "status": "present",
                    "recorded_at": T0_ISO,
                }
            ],
        },
        "learning": {
            "topics_done": [{"run": run, "topic": "Partners", "done_at": T0_ISO}],
            "participation": [{"run": run, "state": "active", "updated_at": T0_ISO}],
            "submissions": [
                {
                    "run": run,
                    "assignment": "Partner map",
                    "text": "My map.",
                    "link": "",
                    "file": "../map.png",
                    "status": "submitted",
                    "submitted_at": T0_ISO,
                    "is_late": False,
                    "feedback": "",
                    "feedback_at": None,
                    "versions": [
                        {
                            "number": 1,
                            "text": "My map.",
                            "link": "",
                            "file": "../map.png",
                            "submitted_at": T0_ISO,
                            "is_late": False,
                        }
                    ],
                }
            ],
            "extensions": [{"run": run, "assignment": "Partner map", "due_at": T0_ISO}],
            "support": [{"run": run, "kind": "pause", "note": "Rest.", "taken_at": T0_ISO}],
            "help_requests": [
                {
                    "run": run,
                    "kind": "pause",
                    "message": "Busy month.",
                    "state": "open",
                    "asked_at": T0_ISO,
                    "answered_at": None,
                    "answer": "",
                }
            ],
            "questions": [
                {
                    "run": run,
                    "title": "Contracts?",
                    "body": "Do we sign?",
                    "created_at": "2021-02-03T00:00:00Z",
                }
            ],
            "replies": [
                {
                    "run": run,
                    "question": "Contracts?",
                    "body": "Thanks!",
                    "created_at": "2021-02-04T00:00:00Z",
                }
            ],
            "qa_preferences": [{"mail_on_reply": True, "question_mail": "daily"}],
            "certificates": [
                {
                    "run": run,
                    "code": "PARTNER-ANA1",
                    "name": "Ana Quispe",
                    "issued_at": "2021-03-29T12:00:00Z",
                    "revoked_at": None,
                }
            ],
        },
        "reviews": {
            "final_work": [
                {
                    "run": run,
                    "title": "Our plan",
                    "text": "Plan.",
                    "link": "",
                    "file": f"work-{work.pk}.pdf",
                    "state": "submitted",
                    "submitted_at": "2021-03-20T12:00:00Z",
                }
            ],
            "reviews_given": [
                {
                    "run": run,
                    "scores": {"Partner fit": 3},
                    "answers": {"What is strongest?": "Good partners."},
                    "submitted_at": T0_ISO,
                    "state": "submitted",
                }
            ],
            # Received reviews name no reviewer, as the results page shows them.
            "reviews_received": [
                {
                    "run": run,
                    "scores": {"Partner fit": 4},
                    "answers": {"What is strongest?": "Clear aims."},
                    "submitted_at": T0_ISO,
                }
            ],
        },
        "exercises": {
            "exercise_attempts": [
                {
                    "run": run,
                    "exercise": "Check",
                    "number": 1,
                    "started_at": T0_ISO,
                    "finished_at": T0_ISO,
                    "score": 1.0,
                    "answers": [
                        {
                            "question": "Sign",
                            "response": True,
                            "score": 1.0,
                            "answered_at": T0_ISO,
                        }
                    ],
                }
            ]
        },
        "translations": {
            "translations": [
                {
                    "course": "partners",
                    "key": "course.title",
                    "language": "es",
                    "text": "Socios",
                    "as": "translator",
                    "translated_at": T0_ISO,
                }
            ]
        },
        "notifications": {
            "mail": [
                {
                    "to": "ana@example.org",
                    "subject": "Welcome",
                    "body": "Hello Ana.",
                    "kind": "welcome",
                    "state": "queued",
                    "sent_at": None,
                    "created_at": T0_ISO,
                }
            ],
            "mail_turned_off": [],
        },
    }
    assert data == expected
    # The zip holds the JSON and each stored file once, under safe names.
    assert sorted(archive.namelist()) == [
        "personal-data.json",
        f"uploads/final-work/work-{work.pk}.pdf",
        f"uploads/submissions/{submission.pk}/v1-map.png",
    ]
    assert archive.read(f"uploads/submissions/{submission.pk}/v1-map.png") == PNG
    assert archive.read(f"uploads/final-work/work-{work.pk}.pdf") == b"%PDF-1.4"
    assert list(PrivacyRequest.objects.values_list("kind", flat=True)) == ["download"]


def test_without_uploads_the_download_is_the_json_file_alone(media: Path) -> None:
    person = UserFactory(email="solo@example.org")
    response = _download(person)
    data = json.loads(response.content)
    assert (response.status_code, response["Content-Type"], response["Cache-Control"]) == (
        200,
        "application/json",
        "private, no-store",
    )
    assert (
        response["Content-Disposition"] == 'attachment; filename="cohortkit-my-data-20210401.json"'
    )
    assert (data["accounts"]["profile"][0]["email"], data["learning"]["submissions"]) == (
        "solo@example.org",
        [],
    )


def test_a_wrong_password_downloads_nothing_and_says_so(world: World) -> None:
    response = _download(world.ana, password="not it")
    assert (response.status_code, response["Content-Type"].split(";")[0]) == (400, "text/html")
    assert response.context["form"].errors == {"password": ["That is not your current password."]}
    assert PrivacyRequest.objects.count() == 0


def _delete(person: User, *, keep: bool, password: str = PASSWORD, confirm: bool = True) -> Any:
    client = Client()
    client.force_login(person)
    data: dict[str, str] = {"password": password}
    if keep:
        data["keep_certificates"] = "on"
    if confirm:
        data["confirm"] = "on"
    return client, client.post("/accounts/profile/delete/", data)


@pytest.mark.parametrize("keep", [True, False])
def test_deleting_the_account_erases_ana_and_keeps_what_others_depend_on(
    world: World, keep: bool, django_capture_on_commit_callbacks: Any, media: Path
) -> None:
    stored_before = {p.name for p in media.rglob("*") if p.is_file()}
    with django_capture_on_commit_callbacks(execute=True):
        client, response = _delete(world.ana, keep=keep)
    ana = User.objects.get(pk=world.ana.pk)

    assert (response.status_code, response["Location"], "_auth_user_id" in client.session) == (
        302,
        reverse("courses:catalogue"),
        False,
    )
    # The tombstone: nothing that names or reaches Ana, and no way to sign in.
    assert (
        ana.email, ana.display_name, ana.wiki_username, ana.home_community, ana.languages,
        ana.is_active, ana.has_usable_password(),
    ) == (f"deleted-{ana.pk}@deleted.invalid", "Deleted person", "", "", [], False, False)  # fmt: skip
    assert not Client().login(username="ana@example.org", password=PASSWORD)
    # Erased: answers, availability, feeds, work and its files, progress, attempts, mail.
    application = Application.objects.get(applicant=ana)
    assert (application.answers, application.contact_email, application.wiki_username) == (
        {},
        "",
        "",
    )
    assert [
        WeeklyAvailability.objects.filter(user=ana).count(),
        CalendarToken.objects.filter(user=ana).count(),
        Submission.objects.filter(participant=ana).count(),
        SubmissionVersion.objects.filter(submission__participant=ana).count(),
        Extension.objects.filter(participant=ana).count(),
        SupportAction.objects.filter(participant=ana).count(),
        HelpRequest.objects.filter(participant=ana).count(),
        TopicCompletion.objects.filter(user=ana).count(),
        TalkPreference.objects.filter(user=ana).count(),
        Attempt.objects.filter(user=ana).count(),
        OutboxMessage.objects.filter(recipient="ana@example.org").count(),
    ] == [0] * 11
    work = FinalWork.objects.get(author=ana)
    assert (work.title, work.text, work.file.name) == ("", "", "")
    assert {p.name for p in media.rglob("*") if p.is_file()} == set()
    assert len(stored_before) == 2
    # Kept, anonymised: the seat and the decision, attendance, Q&A posts, the review she
    # wrote (Ben received it), the scores she gave, Ben's review of her work, Ben's mail.
    assert (
        application.decision.outcome,
        Attendance.objects.filter(user=ana).count(),
        Thread.objects.filter(author=ana).count(),
        Reply.objects.filter(author=ana).count(),
        ApplicationReview.objects.filter(reviewer=ana).values_list("score", "comment")[0],
        Review.objects.filter(pk=world.review_of_ana.pk).count(),
        OutboxMessage.objects.filter(user=world.ben).count(),
        ParticipantStatus.objects.filter(user=ana).count(),
    ) == ("selected", 1, 1, 2 - 1, (4, ""), 1, 1, 1)
    assert list(PrivacyRequest.objects.values_list("kind", flat=True)) == ["deletion"]


def test_reviews_she_wrote_stay_for_the_person_who_received_them(world: World) -> None:
    _delete(world.ana, keep=False)
    ben = Client()
    ben.force_login(world.ben)
    run = world.run
    page = ben.get(f"/courses/{run.course.slug}/{run.slug}/reviews/my-results/")
    html = page.content.decode()
    assert (page.status_code, "Good partners." in html, "Ana" in html) == (200, True, False)


@pytest.mark.parametrize(
    ("keep", "expected"),
    [(True, (200, True, False)), (False, (200, False, True))],
)
def test_the_certificate_verification_page_answers_as_she_chose(
    world: World, keep: bool, expected: tuple[int, bool, bool]
) -> None:
    _delete(world.ana, keep=keep)
    page = Client().get(f"/certificates/{world.certificate.code}/")
    html = page.content.decode()
    assert (page.status_code, "Ana Quispe" in html, "has been revoked" in html) == expected


def test_a_wrong_password_or_no_confirmation_deletes_nothing_and_keeps_the_choice(
    world: World,
) -> None:
    _client, wrong = _delete(world.ana, keep=True, password="not it")
    _client, unconfirmed = _delete(world.ana, keep=True, confirm=False)
    ana = User.objects.get(pk=world.ana.pk)
    assert (wrong.status_code, unconfirmed.status_code, ana.email, ana.is_active) == (
        400,
        400,
        "ana@example.org",
        True,
    )
    assert wrong.context["form"].errors == {"password": ["That is not your current password."]}
    assert unconfirmed.context["form"].errors == {
        "confirm": ["Tick this box to confirm that you want to delete it."]
    }
    # What was ticked stays ticked.
    ticked = r'<input type="checkbox" name="keep_certificates"[^>]* checked'
    assert re.search(ticked, wrong.content.decode()) is not None
    assert PrivacyRequest.objects.count() == 0


def test_coordinators_read_the_counts_on_the_reports_page(cast: Any) -> None:
    PrivacyRequest.objects.create(kind="download", at=T0)
    PrivacyRequest.objects.create(kind="download", at=T0)
    PrivacyRequest.objects.create(kind="deletion", at=T0)
    run = cast.run
    page = cast.client_for("coordinator").get(
        f"/courses/{run.course.slug}/{run.slug}/reports/applications/"
    )
    html = page.content.decode()
    assert (page.status_code, "2 downloads of people" in html, "1 account deleted" in html) == (
        200,
        True,
        True,
    )
