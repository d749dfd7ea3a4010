"""Applying: drafts, submission, the deadline in the applicant's zone, withdrawal."""

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse

from cohortkit.applications import services
from cohortkit.applications.models import (
    Application,
    ApplicationForm,
    ApplicationState,
    EligibilityRule,
    Question,
)
from cohortkit.notifications.models import OutboxMessage
from tests.applications.conftest import concurrent_database
from tests.factories import RunFactory, UserFactory, open_run_window
from tests.payloads import DATA

NOW = datetime(2021, 1, 5, 12, tzinfo=UTC)


@pytest.fixture
def run(db: None):
    run = open_run_window(RunFactory(), NOW)
    form = ApplicationForm.objects.create(run=run)
    Question.objects.create(form=form, label="Why?", kind="long", is_required=True)
    return run


def url(run, name: str = "applications:apply") -> str:
    return reverse(name, kwargs={"slug": run.course.slug, "run": run.slug})


def valid_post(run, **extra: object) -> dict:
    question = Question.objects.get(form__run=run)
    return {
        "timezone": "Asia/Kolkata",
        "languages": ["en", "hi"],
        "wiki_username": "Ada",
        "home_community": "Pune Readers",
        "region": "asia-pacific",
        "experience": "intermediate",
        question.key: "To build a partnership with the city library.",
        "consent": "on",
        **extra,
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@time_machine.travel(NOW, tick=False)
def test_submitting_stores_answers_consent_and_queues_one_confirmation(run) -> None:
    person = UserFactory(interface_language="es")
    response = client_for(person).post(url(run), valid_post(run))
    assert response.status_code == 302
    application = Application.objects.get(run=run, applicant=person)
    question = Question.objects.get(form__run=run)
    assert (application.state, application.region, application.languages, application.answers) == (
        ApplicationState.SUBMITTED,
        "asia-pacific",
        ["en", "hi"],
        {question.key: "To build a partnership with the city library."},
    )
    assert (application.consent_at, application.submitted_at) == (NOW, NOW)
    assert application.purge_on == (
        run.notification_at.date().fromordinal(run.notification_at.date().toordinal() + 90)
    )
    mail = OutboxMessage.objects.get(kind="application-submitted")
    assert (mail.recipient, mail.language, mail.key) == (
        person.email,
        "es",
        f"application-submitted-{application.pk}",
    )


@time_machine.travel(NOW, tick=False)
def test_missing_answers_are_named_and_nothing_typed_is_lost(run) -> None:
    person = UserFactory()
    post = valid_post(run, region="", consent="")
    response = client_for(person).post(url(run), post)
    assert response.status_code == 400
    content = response.content.decode()
    for expected in (
        "Region",
        "This field is required.",
        "Pune Readers",
        "To build a partnership with the city library.",
    ):
        assert expected in content
    assert not Application.objects.filter(state=ApplicationState.SUBMITTED).exists()


@time_machine.travel(NOW, tick=False)
def test_draft_saves_what_was_typed_even_if_invalid(run) -> None:
    person = UserFactory()
    question = Question.objects.get(form__run=run)
    response = client_for(person).post(
        url(run, "applications:save_draft"),
        {"timezone": "Not/AZone", question.key: "half a thought", "region": "asia-pacific"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Draft saved at" in response.content.decode()
    application = Application.objects.get(applicant=person)
    assert (application.state, application.timezone, application.answers) == (
        ApplicationState.DRAFT,
        "Not/AZone",
        {question.key: "half a thought"},
    )
    # The draft survives logging out and comes back in the form.
    page = client_for(person).get(url(run)).content.decode()
    assert ("half a thought" in page, "Not/AZone" in page) == (True, True)


def test_late_submission_is_refused_and_the_draft_kept(run) -> None:
    person = UserFactory()
    with time_machine.travel(run.applications_close_at, tick=False):
        response = client_for(person).post(url(run), valid_post(run))
    assert response.status_code == 200
    assert "Applications closed at the deadline" in response.content.decode()
    application = Application.objects.get(applicant=person)
    assert application.state == ApplicationState.DRAFT
    assert application.wiki_username == "Ada"
    assert not OutboxMessage.objects.exists()


def test_submission_one_second_before_the_deadline_counts(run) -> None:
    person = UserFactory()

    with time_machine.travel(run.applications_close_at - timedelta(seconds=1), tick=False):
        client_for(person).post(url(run), valid_post(run))
    assert Application.objects.get(applicant=person).state == ApplicationState.SUBMITTED


@time_machine.travel(NOW, tick=False)
def test_submitting_twice_gives_one_application_and_one_confirmation(run) -> None:
    person = UserFactory()
    client = client_for(person)
    client.post(url(run), valid_post(run))
    client.post(url(run), valid_post(run, wiki_username="Ada2"))
    assert Application.objects.filter(applicant=person).count() == 1
    assert Application.objects.get(applicant=person).wiki_username == "Ada2"
    assert OutboxMessage.objects.filter(kind="application-submitted").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_tabs_submitting_at_once_give_one_application_and_one_mail() -> None:
    concurrent_database()
    run = open_run_window(RunFactory(), datetime.now(UTC))
    form = ApplicationForm.objects.create(run=run)
    Question.objects.create(form=form, label="Why?", kind="long")
    person = UserFactory()
    data = {"timezone": "UTC", "languages": ["en"], "region": "europe", "experience": "new"}
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            barrier.wait()
            services.submit_application(run=run, applicant=person, data=data, at=datetime.now(UTC))
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Application.objects.filter(applicant=person).count() == 1
    assert OutboxMessage.objects.filter(kind="application-submitted").count() == 1


@time_machine.travel(NOW, tick=False)
def test_withdrawing_keeps_the_row_and_marks_it(run) -> None:
    person = UserFactory()
    client = client_for(person)
    client.post(url(run), valid_post(run))
    client.post(url(run, "applications:withdraw"))
    assert Application.objects.get(applicant=person).state == ApplicationState.WITHDRAWN


@time_machine.travel(NOW, tick=False)
def test_eligibility_rules_mark_the_application_with_the_reason(run) -> None:
    EligibilityRule.objects.create(
        run=run,
        column="experience",
        allowed=["intermediate", "advanced"],
        reason="Needs experience.",
    )
    eligible, not_eligible = UserFactory(), UserFactory()
    client_for(eligible).post(url(run), valid_post(run))
    client_for(not_eligible).post(url(run), valid_post(run, experience="new"))
    verdicts = {
        a.applicant_id: (a.is_eligible, a.eligibility_reason) for a in Application.objects.all()
    }
    assert verdicts == {eligible.pk: (True, ""), not_eligible.pk: (False, "Needs experience.")}


@pytest.mark.parametrize(
    ("zone", "instant", "shown"),
    [
        # Across a DST change: New York moves to UTC-4 on 2021-03-14.
        ("America/New_York", datetime(2021, 3, 13, 12, tzinfo=UTC), "(UTC-05:00)"),
        ("America/New_York", datetime(2021, 3, 15, 12, tzinfo=UTC), "(UTC-04:00)"),
        ("Asia/Kolkata", datetime(2021, 3, 13, 12, tzinfo=UTC), "Asia/Kolkata (UTC+05:30)"),
        ("Australia/Adelaide", datetime(2021, 4, 5, 12, tzinfo=UTC), "(UTC+09:30)"),
    ],
)
def test_deadline_is_shown_in_the_applicants_zone_with_countdown(
    db: None, zone: str, instant: datetime, shown: str
) -> None:
    run = RunFactory(
        applications_open_at=datetime(2021, 3, 1, tzinfo=UTC),
        applications_close_at=instant,
        notification_at=instant,
    )
    person = UserFactory(timezone=zone)
    with time_machine.travel(datetime(2021, 3, 2, tzinfo=UTC), tick=False):
        page = client_for(person).get(url(run)).content.decode()
    assert shown in page
    assert f'data-deadline="{instant.isoformat()}"' in page


def naughty_strings() -> list[str]:
    strings = json.loads((DATA / "blns.json").read_text())
    payloads = [
        line.strip()
        for path in sorted(DATA.glob("patt-xss-*.txt"))
        for line in path.read_text(errors="replace").splitlines()
        if line.strip()
    ]
    return strings[::25] + payloads[::60]


@time_machine.travel(NOW, tick=False)
def test_naughty_answers_are_kept_exactly_and_never_executed(run) -> None:
    question = Question.objects.get(form__run=run)
    coordinator = UserFactory(is_staff=True)
    for index, text in enumerate(naughty_strings()):
        text = text.replace("\x00", "")[:300] or "x"
        person = UserFactory()
        response = client_for(person).post(
            url(run), valid_post(run, home_community=text[:255], **{question.key: text})
        )
        assert response.status_code in (302, 400), index
        if response.status_code == 302:
            application = Application.objects.get(applicant=person)
            assert application.answers[question.key] == text.strip() or text.strip() == ""
    page = client_for(coordinator).get(url(run, "applications:list")).content.decode()
    assert "<script>alert" not in page
    for application in Application.objects.all()[:10]:
        detail = client_for(coordinator).get(
            reverse(
                "applications:detail",
                kwargs={"slug": run.course.slug, "run": run.slug, "pk": application.pk},
            )
        )
        assert detail.status_code == 200
        assert "<script>alert" not in detail.content.decode()
