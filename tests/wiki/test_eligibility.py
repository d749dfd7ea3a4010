"""Eligibility rules from wiki figures: at least N edits, an account at least N days old
when applications close, one of some groups; read from a real MediaWiki in the background
and applied again when the figures arrive; shown to coordinators and reviewers."""

from datetime import UTC, datetime
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cohortkit.applications import services
from cohortkit.applications.models import (
    ApplicationForm,
    EligibilityRule,
    RuleKind,
)
from cohortkit.applications.services import check_eligibility
from cohortkit.courses.models import Role
from cohortkit.wiki.models import RunWikis, Wiki, WikiFigures, WikiIdentity
from cohortkit.wiki.queries import Experience
from cohortkit.wiki.tasks import task_read_wiki_figures
from tests.factories import RunFactory, RunRoleFactory, UserFactory, open_run_window
from tests.factories.applications import ApplicationFactory, ApplicationReviewFactory
from tests.wiki.mediawiki import MediaWiki

_names = count(1)


def _experience(*, edits: int = 0, registered_at: datetime | None = None, groups=()) -> Experience:
    return Experience(
        username="Ana",
        edit_count=edits,
        registered_at=registered_at,
        groups=frozenset(groups),
        recent_edits=0,
        read_at=datetime(2021, 1, 1, tzinfo=UTC),
        wikis=(),
    )


def _rules(run) -> list[EligibilityRule]:
    return [
        EligibilityRule(run=run, kind=RuleKind.WIKI_EDITS, minimum=500, reason="500 edits"),
        EligibilityRule(run=run, kind=RuleKind.WIKI_AGE, minimum=365, reason="One year"),
        EligibilityRule(
            run=run, kind=RuleKind.WIKI_GROUP, allowed=["autoconfirmed"], reason="Confirmed"
        ),
    ]


def _verdict(application, rules, experience) -> tuple[bool | None, str]:
    check_eligibility(application, rules, experience)
    return application.is_eligible, application.eligibility_reason


@pytest.mark.parametrize(
    ("experience", "expected"),
    [
        (
            _experience(
                edits=500,
                registered_at=datetime(2020, 1, 14, 12, tzinfo=UTC),
                groups=["autoconfirmed"],
            ),
            (True, ""),
        ),
        (
            _experience(
                edits=499, registered_at=datetime(2020, 1, 16, 12, tzinfo=UTC), groups=["user"]
            ),
            (False, "500 edits; One year; Confirmed"),
        ),
        (
            _experience(edits=9000, registered_at=None, groups=["autoconfirmed"]),
            (False, "One year"),
        ),
        (None, (False, "500 edits; One year; Confirmed")),
    ],
)
def test_wiki_rules_read_the_figures(db: None, experience, expected) -> None:
    # RunFactory: applications close on 2021-01-14 23:59 UTC.
    run = RunFactory()
    application = ApplicationFactory.build(run=run)
    assert _verdict(application, _rules(run), experience) == expected


@pytest.mark.parametrize(
    ("zone", "registered", "closes", "days"),
    [
        # New York springs forward on 2020-03-08: 23:30 to 23:30 is 23 hours, and one day.
        ("America/New_York", "2020-03-08T04:30", "2020-03-09T03:30", 1),
        ("UTC", "2020-03-08T00:30", "2020-03-08T23:30", 0),
        # Kolkata is UTC+05:30: 18:45 UTC is already the next day there.
        ("Asia/Kolkata", "2020-01-01T18:45", "2020-01-02T18:00", 0),
        ("Asia/Kolkata", "2020-01-01T18:00", "2020-01-02T18:00", 1),
    ],
)
def test_an_accounts_age_counts_calendar_days_in_the_runs_zone(
    db: None, zone: str, registered: str, closes: str, days: int
) -> None:
    run = RunFactory.build(
        timezone=zone, applications_close_at=datetime.fromisoformat(closes + "Z")
    )
    application = ApplicationFactory.build(run=run)
    experience = _experience(registered_at=datetime.fromisoformat(registered + "Z"))
    rule = EligibilityRule(run=run, kind=RuleKind.WIKI_AGE, minimum=1, reason="A day")
    assert experience.account_age_days(run.applications_close_at, ZoneInfo(zone)) == days
    assert _verdict(application, [rule], experience) == (days >= 1, "" if days else "A day")


def test_submitting_reads_the_wiki_in_the_background_and_rechecks_when_it_answers(
    db: None, mediawiki: MediaWiki, django_capture_on_commit_callbacks
) -> None:
    name = f"Applicant {next(_names)}"
    account = mediawiki.create_user(name)
    account.edit(f"Partnership Building/{name}", "One")
    account.edit(f"Partnership Building/{name}/2", "Two")
    mediawiki.add_group(name, "bot")
    now = timezone.now()
    run = open_run_window(RunFactory(), now)
    ApplicationForm.objects.create(run=run)
    wiki = Wiki.objects.create(name="Test wiki", api_url=mediawiki.api_url)
    RunWikis.objects.create(run=run).wikis.add(wiki)
    for kind, minimum, allowed, reason in [
        (RuleKind.WIKI_EDITS, 2, [], "Two edits"),
        (RuleKind.WIKI_EDITS, 3, [], "Three edits"),
        (RuleKind.WIKI_GROUP, None, ["bot", "sysop"], "Bot or admin"),
        (RuleKind.WIKI_AGE, 5, [], "Five days by the deadline"),
        (RuleKind.WIKI_AGE, 30, [], "A month by the deadline"),
    ]:
        EligibilityRule.objects.create(
            run=run, kind=kind, minimum=minimum, allowed=allowed, reason=reason
        )
    person = UserFactory()
    WikiIdentity.objects.create(person=person, central_id="77", username=name, verified_at=now)
    data = {"timezone": "UTC", "languages": ["en"], "wiki_username": "Someone Else"}
    DBTaskResult.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        application = services.submit_application(run=run, applicant=person, data=data, at=now)

    assert (application.wiki_username, application.is_eligible) == (name, False)
    assert application.eligibility_reason == (
        "Two edits; Three edits; Bot or admin; Five days by the deadline; A month by the deadline"
    )
    queued = DBTaskResult.objects.filter(task_path__endswith="task_read_wiki_figures").get()
    assert queued.args_kwargs["args"] == [person.pk, [wiki.pk]]

    with django_capture_on_commit_callbacks(execute=True):
        problems = task_read_wiki_figures.call(person.pk, [wiki.pk])

    application.refresh_from_db()
    assert (problems, application.is_eligible, application.eligibility_reason) == (
        [],
        False,
        "Three edits; A month by the deadline",
    )


@pytest.fixture
def reviewed(db: None):
    run = RunFactory()
    ApplicationForm.objects.create(run=run, is_blind_review=True)
    wiki = Wiki.objects.create(name="Test wiki", api_url="http://127.0.0.1:9/api.php")
    RunWikis.objects.create(run=run).wikis.add(wiki)
    application = ApplicationFactory(run=run)
    WikiFigures.objects.create(
        person=application.applicant,
        wiki=wiki,
        username="Ana Verified",
        edit_count=1234,
        registered_at=datetime(2015, 6, 1, tzinfo=UTC),
        groups=["autoconfirmed", "rollbacker"],
        read_at=datetime(2021, 1, 10, 8, tzinfo=UTC),
    )
    coordinator = UserFactory()
    reviewer = UserFactory()
    RunRoleFactory(run=run, user=coordinator, role=Role.COORDINATOR)
    RunRoleFactory(run=run, user=reviewer, role=Role.REVIEWER)
    review = ApplicationReviewFactory(application=application, reviewer=reviewer)
    return run, application, coordinator, reviewer, review


def _page(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_coordinators_and_reviewers_see_the_figures_and_when_they_were_read(reviewed) -> None:
    run, application, coordinator, reviewer, review = reviewed
    kwargs = {"slug": run.course.slug, "run": run.slug}
    detail = _page(
        coordinator, reverse("applications:detail", kwargs={**kwargs, "pk": application.pk})
    )
    blind = _page(reviewer, reverse("applications:review", kwargs={**kwargs, "pk": review.pk}))
    for page in (detail, blind):
        assert "<dt>Edits</dt><dd>1234</dd>" in page
        assert "<dt>Groups</dt><dd>autoconfirmed, rollbacker</dd>" in page
        assert "Test wiki: 1234 edits, " in page
        assert 'datetime="2021-01-10T08:00:00+00:00"' in page
    assert "Ana Verified" in detail
    assert "Ana Verified" not in blind  # the review is blind


def test_the_rule_form_names_what_a_wiki_rule_lacks(db: None) -> None:
    from cohortkit.applications.forms import RuleForm  # noqa: PLC0415 — only this test needs it

    def errors(data: dict) -> dict:
        form = RuleForm(data={"reason": "Why", **data}, columns=[("region", "Region")])
        form.is_valid()
        return {key: list(value) for key, value in form.errors.items()}

    assert errors({"kind": "wiki-edits"}) == {
        "minimum": ["Give the number of edits or days this rule asks for."]
    }
    assert errors({"kind": "wiki-group", "allowed_text": "  \n"}) == {
        "allowed_text": ["Give at least one wiki group."]
    }
    assert errors({"kind": "answer", "allowed_text": "africa"}) == {
        "column": ["Choose the answer this rule looks at."]
    }
    form = RuleForm(
        data={
            "kind": "wiki-group",
            "column": "region",
            "allowed_text": "sysop\nbot",
            "reason": "R",
        },
        columns=[("region", "Region")],
    )
    assert form.is_valid()
    rule = form.save(commit=False)
    assert (rule.kind, rule.column, rule.allowed, rule.minimum) == (
        "wiki-group",
        "",
        ["sysop", "bot"],
        None,
    )
