"""Coordinators see when the last read of the wikis went wrong and why (per applicant on the
application, per run on the run's wiki settings), and can queue a read again; reads go to a
real MediaWiki or to a local server that answers badly."""

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cohortkit.applications.models import ApplicationForm
from cohortkit.courses.models import Role
from cohortkit.wiki.models import RunWikis, Wiki, WikiFigures, WikiIdentity, WikiRead
from cohortkit.wiki.services import read_run_edits, read_wiki_figures
from tests.access import snapshot
from tests.factories import RunFactory, RunRoleFactory, UserFactory
from tests.factories.applications import ApplicationFactory
from tests.wiki.bad_wiki import bad_wiki
from tests.wiki.mediawiki import MediaWiki

pytestmark = pytest.mark.django_db

_names = count(1)
FIRST = datetime(2021, 1, 10, 8, tzinfo=UTC)


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _verified(name: str):
    person = UserFactory(wiki_username=name, display_name=name)
    WikiIdentity.objects.create(
        person=person, central_id=name, username=name, verified_at=timezone.now()
    )
    return person


def test_a_read_records_its_time_its_problems_and_the_last_good_one(
    mediawiki: MediaWiki, settings
) -> None:
    name = f"Reads {next(_names)}"
    mediawiki.create_user(name).edit(f"Sandbox/{name}", "One")
    person = _verified(name)
    wiki = Wiki.objects.create(name="Test wiki", api_url=mediawiki.api_url)

    read_wiki_figures(person, [wiki], at=FIRST)
    good = WikiRead.objects.get(person=person)
    assert (good.attempted_at, good.problems, good.succeeded_at) == (FIRST, [], FIRST)

    settings.WIKI_API_TIMEOUT = 0.5
    with bad_wiki() as base:
        wiki.api_url = f"{base}/error/api.php"
        wiki.save()
        read_wiki_figures(person, [wiki], at=FIRST + timedelta(days=1))

    bad = WikiRead.objects.get(person=person)
    assert (bad.attempted_at, bad.problems, bad.succeeded_at) == (
        FIRST + timedelta(days=1),
        [f"{wiki.api_url} answered with HTTP status 500."],
        FIRST,
    )
    assert WikiFigures.objects.get(person=person).read_at == FIRST  # kept as it was


def test_an_unknown_wiki_user_is_recorded_as_the_problem(mediawiki: MediaWiki) -> None:
    person = _verified(f"Nobody Here {next(_names)}")
    wiki = Wiki.objects.create(name="Test wiki", api_url=mediawiki.api_url)
    read_wiki_figures(person, [wiki], at=FIRST)
    read = WikiRead.objects.get(person=person)
    assert (read.problems, read.succeeded_at, WikiFigures.objects.exists()) == (
        [f"{mediawiki.api_url} has no account named {person.display_name}."],
        None,
        False,
    )


def test_a_runs_read_of_edits_is_recorded(settings) -> None:
    run = RunFactory(starts_on=(timezone.now() - timedelta(days=3)).date())
    person = _verified(f"Edits {next(_names)}")
    RunRoleFactory(run=run, user=person, role=Role.PARTICIPANT)
    settings.WIKI_API_TIMEOUT = 0.5
    with bad_wiki() as base:
        wiki = Wiki.objects.create(name="Slow", api_url=f"{base}/slow/api.php")
        RunWikis.objects.create(run=run).wikis.add(wiki)
        at = timezone.now()
        read_run_edits(run, at=at)
    read = WikiRead.objects.get(run=run)
    assert (read.attempted_at, read.problems, read.succeeded_at) == (
        at,
        [f"{wiki.api_url} did not answer within 0.5 seconds."],
        None,
    )


@pytest.fixture
def applied():
    run = RunFactory()
    ApplicationForm.objects.create(run=run)
    wiki = Wiki.objects.create(name="Test wiki", api_url="http://127.0.0.1:9/api.php")
    RunWikis.objects.create(run=run).wikis.add(wiki)
    person = _verified("Ana Verified")
    application = ApplicationFactory(run=run, applicant=person)
    WikiRead.objects.create(
        person=person,
        attempted_at=FIRST + timedelta(days=1),
        problems=["http://127.0.0.1:9/api.php did not answer within 10 seconds."],
        succeeded_at=FIRST,
    )
    coordinator = UserFactory()
    RunRoleFactory(run=run, user=coordinator, role=Role.COORDINATOR)
    kwargs = {"slug": run.course.slug, "run": run.slug, "pk": application.pk}
    return run, wiki, application, coordinator, kwargs


def test_the_application_shows_the_failed_read_and_get_changes_nothing(applied) -> None:
    _run, _wiki, _application, coordinator, kwargs = applied
    before = snapshot(WikiRead, DBTaskResult)
    page = _client(coordinator).get(reverse("applications:detail", kwargs=kwargs))
    text = page.content.decode()
    assert "The last read of the wikis went wrong." in text
    assert "<li>http://127.0.0.1:9/api.php did not answer within 10 seconds.</li>" in text
    assert 'datetime="2021-01-10T08:00:00+00:00"' in text  # the last good read
    action = reverse("applications:read_wiki", kwargs=kwargs)
    assert f'<form method="post" action="{action}">' in text
    assert snapshot(WikiRead, DBTaskResult) == before


def test_reading_now_queues_a_read_of_the_applicants_figures_on_the_runs_wikis(applied) -> None:
    _run, wiki, application, coordinator, kwargs = applied
    response = _client(coordinator).post(reverse("applications:read_wiki", kwargs=kwargs))
    queued = DBTaskResult.objects.get()
    assert (response["Location"], queued.task_path, queued.args_kwargs["args"]) == (
        reverse("applications:detail", kwargs=kwargs),
        "cohortkit.wiki.tasks.task_read_wiki_figures",
        [application.applicant_id, [wiki.pk]],
    )
    assert [str(m) for m in response.wsgi_request._messages] == [
        "The wikis will be read in the background; reload this page in a minute."
    ]


def test_reading_now_without_a_verified_account_or_a_wiki_says_so_and_queues_nothing(
    applied,
) -> None:
    run, _wiki, application, coordinator, kwargs = applied
    client = _client(coordinator)
    WikiIdentity.objects.filter(person=application.applicant).delete()
    no_account = client.post(reverse("applications:read_wiki", kwargs=kwargs))
    RunWikis.objects.filter(run=run).delete()
    no_wiki = client.post(reverse("applications:read_wiki", kwargs=kwargs))
    # Messages not shown yet carry over to the next request: each one's own is its last.
    assert [[str(m) for m in r.wsgi_request._messages][-1] for r in (no_account, no_wiki)] == [
        "The applicant has not verified a wiki account: there is nothing to read.",
        "This run names no wiki: choose its wikis first.",
    ]
    assert not DBTaskResult.objects.exists()
    page = client.get(reverse("applications:detail", kwargs=kwargs)).content.decode()
    assert reverse("applications:read_wiki", kwargs=kwargs) not in page


def test_the_run_settings_show_the_runs_read_and_participants_whose_read_failed() -> None:
    run = RunFactory()
    wiki = Wiki.objects.create(name="Test wiki", api_url="http://127.0.0.1:9/api.php")
    RunWikis.objects.create(run=run).wikis.add(wiki)
    coordinator = UserFactory()
    RunRoleFactory(run=run, user=coordinator, role=Role.COORDINATOR)
    failing, fine = _verified("Bo Failing"), _verified("Cy Fine")
    for person in (failing, fine):
        RunRoleFactory(run=run, user=person, role=Role.PARTICIPANT)
    WikiRead.objects.create(person=failing, attempted_at=FIRST, problems=["Wiki said no."])
    WikiRead.objects.create(person=fine, attempted_at=FIRST, succeeded_at=FIRST)
    WikiRead.objects.create(
        run=run, attempted_at=FIRST, problems=["Edits: no answer."], succeeded_at=None
    )
    client = _client(coordinator)
    kwargs = {"slug": run.course.slug, "run": run.slug}
    before = snapshot(WikiRead, DBTaskResult)

    page = client.get(reverse("wiki:settings", kwargs=kwargs)).content.decode()

    assert snapshot(WikiRead, DBTaskResult) == before
    assert "<li>Edits: no answer.</li>" in page
    assert '<th scope="row">Bo Failing</th>' in page
    assert "Wiki said no." in page
    assert "Cy Fine" not in page
    response = client.post(reverse("wiki:read_edits", kwargs=kwargs), {"back": "settings"})
    assert response["Location"] == reverse("wiki:settings", kwargs=kwargs)
    assert DBTaskResult.objects.get().args_kwargs["args"] == [run.pk]
    facilitator = UserFactory()
    RunRoleFactory(run=run, user=facilitator, role=Role.FACILITATOR)
    from_facilitator = _client(facilitator).post(
        reverse("wiki:read_edits", kwargs=kwargs), {"back": "settings"}
    )
    assert from_facilitator["Location"] == reverse("wiki:edits", kwargs=kwargs)


@pytest.mark.parametrize("failing", [1, 12])
def test_the_settings_page_makes_the_same_queries_for_one_or_many_failed_reads(
    failing: int,
) -> None:
    from tests.queries import page_queries  # noqa: PLC0415 — only this test needs it

    run = RunFactory()
    wiki = Wiki.objects.create(name="Test wiki", api_url="http://127.0.0.1:9/api.php")
    RunWikis.objects.create(run=run).wikis.add(wiki)
    coordinator = UserFactory()
    RunRoleFactory(run=run, user=coordinator, role=Role.COORDINATOR)
    for number in range(failing):
        person = _verified(f"P{number}")
        RunRoleFactory(run=run, user=person, role=Role.PARTICIPANT)
        WikiRead.objects.create(person=person, attempted_at=FIRST, problems=["No."])
    url = reverse("wiki:settings", kwargs={"slug": run.course.slug, "run": run.slug})
    assert page_queries(_client(coordinator), url, warm=True) == SETTINGS_QUERIES


SETTINGS_QUERIES = 10  # the same for 1 and 12 participants whose read failed
