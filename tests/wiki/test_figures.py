"""Reading figures from a real MediaWiki (Debian's package, served on 127.0.0.1), and the
clear messages and untouched figures when a wiki answers badly."""

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
import requests
from django.utils import timezone

from cohortkit.wiki import client
from cohortkit.wiki.models import Wiki, WikiEdit, WikiFigures, WikiIdentity
from cohortkit.wiki.services import read_wiki_figures
from cohortkit.wiki.tasks import task_read_wiki_figures
from tests.factories import UserFactory
from tests.wiki.bad_wiki import bad_wiki
from tests.wiki.mediawiki import MediaWiki

OPTIONS = {"timeout": 10.0, "user_agent": "cohortkit tests"}
_names = count(1)


def _new_name(stem: str) -> str:
    # One wiki serves the whole session: every test makes its own accounts.
    return f"{stem} {next(_names)}"


def test_read_user_gives_edit_count_registration_and_groups(mediawiki: MediaWiki) -> None:
    before = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    name = _new_name("Ana Q")
    ana = mediawiki.create_user(name)
    for number in range(3):
        ana.edit(f"Partnership Building/{name}/{number}", "Notes")
    mediawiki.add_group(name, "bot")

    facts = client.read_user(mediawiki.api_url, name, **OPTIONS)

    assert (facts.username, facts.edit_count, "bot" in facts.groups, "*" in facts.groups) == (
        name,
        3,
        True,
        False,
    )
    assert facts.registered_at is not None
    assert before <= facts.registered_at <= datetime.now(UTC)


def test_read_contributions_lists_edits_oldest_first_across_continuations(
    mediawiki: MediaWiki,
) -> None:
    name = _new_name("Bo")
    bo = mediawiki.create_user(name)
    start = datetime.now(UTC) - timedelta(minutes=1)
    revisions = [bo.edit(f"Sandbox/{name}/{number}", f"Text {number}") for number in range(4)]

    edits = client.read_contributions(
        mediawiki.api_url,
        name,
        start_at=start,
        end_at=datetime.now(UTC) + timedelta(minutes=1),
        **OPTIONS,
    )
    limited = client.read_contributions(
        mediawiki.api_url,
        name,
        start_at=start,
        end_at=datetime.now(UTC) + timedelta(minutes=1),
        limit=2,
        **OPTIONS,
    )

    assert [e.revision_id for e in edits] == revisions
    assert [e.title for e in edits] == [f"Sandbox/{name}/{n}" for n in range(4)]
    assert [e.revision_id for e in limited] == revisions[:2]


def test_an_unknown_user_is_named(mediawiki: MediaWiki) -> None:
    with pytest.raises(client.UnknownWikiUser) as raised:
        client.read_user(mediawiki.api_url, "Nobody Here 1", **OPTIONS)
    assert str(raised.value) == f"{mediawiki.api_url} has no account named Nobody Here 1."


@pytest.fixture
def verified(db: None, mediawiki: MediaWiki) -> tuple[object, Wiki, str]:
    name = _new_name("Chidi")
    account = mediawiki.create_user(name)
    account.edit(f"Partnership Building/{name}", "Week 1")
    account.edit(f"Talk:Partnership Building/{name}", "Hello")
    person = UserFactory(wiki_username=name)
    WikiIdentity.objects.create(
        person=person, central_id=name, username=name, verified_at=timezone.now()
    )
    wiki = Wiki.objects.create(name="Test wiki", api_url=mediawiki.api_url)
    return person, wiki, name


def test_reading_stores_figures_and_recent_edits_with_the_time_read(
    verified: tuple[object, Wiki, str], django_capture_on_commit_callbacks: object
) -> None:
    person, wiki, name = verified
    at = datetime.now(UTC) + timedelta(seconds=5)

    report = read_wiki_figures(person, [wiki], at=at)  # type: ignore[arg-type]

    figures = WikiFigures.objects.get(person=person, wiki=wiki)
    assert (report.read, report.problems) == (["Test wiki"], [])
    assert (figures.username, figures.edit_count, figures.read_at) == (name, 2, at)
    assert "autoconfirmed" in figures.groups
    assert list(WikiEdit.objects.filter(person=person).values_list("title", flat=True)) == [
        f"Partnership Building/{name}",
        f"Talk:Partnership Building/{name}",
    ]
    again = read_wiki_figures(person, [wiki], at=at + timedelta(minutes=1))  # type: ignore[arg-type]
    assert (again.problems, WikiEdit.objects.filter(person=person).count()) == ([], 2)


def test_the_task_reads_every_wiki_when_none_is_named(
    verified: tuple[object, Wiki, str],
) -> None:
    person, wiki, _name = verified
    result = task_read_wiki_figures.call(person.pk, None)  # type: ignore[attr-defined]
    assert (result, WikiFigures.objects.filter(person=person, wiki=wiki).count()) == ([], 1)


def test_a_person_without_a_verified_account_is_not_read(db: None) -> None:
    person = UserFactory(display_name="Dana", wiki_username="Typed Only")
    wiki = Wiki.objects.create(name="Test wiki", api_url="http://127.0.0.1:9/api.php")
    report = read_wiki_figures(person, [wiki], at=timezone.now())
    assert (report.read, report.problems) == ([], ["Dana has no verified wiki account."])
    assert not WikiFigures.objects.exists()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("error", "{api} answered with HTTP status 500."),
        ("html", "{api} did not answer with JSON; is it a MediaWiki api.php address?"),
        ("list", "{api} gave an answer we cannot read."),
        ("shape", "{api} gave an answer about {name} that we cannot read."),
        ("refused", "{api} refused the request: You need read permission."),
        ("slow", "{api} did not answer within 0.5 seconds."),
        ("missing", "{api} answered with HTTP status 404."),
    ],
)
def test_a_bad_answer_is_named_and_changes_nothing(
    verified: tuple[object, Wiki, str], settings: object, path: str, message: str
) -> None:
    person, wiki, name = verified
    at = datetime(2021, 1, 10, tzinfo=UTC)
    read_wiki_figures(person, [wiki], at=at)  # type: ignore[arg-type]
    stored = list(WikiFigures.objects.values())
    edits = list(WikiEdit.objects.values())
    settings.WIKI_API_TIMEOUT = 0.5  # type: ignore[attr-defined]
    with bad_wiki() as base:
        wiki.api_url = f"{base}/{path}/api.php"
        wiki.save()
        report = read_wiki_figures(person, [wiki], at=at + timedelta(days=1))  # type: ignore[arg-type]

    assert report.problems == [message.format(api=wiki.api_url, name=name)]
    assert (list(WikiFigures.objects.values()), list(WikiEdit.objects.values())) == (stored, edits)


def test_a_wiki_nobody_answers_at_is_named(db: None) -> None:
    with pytest.raises(client.WikiError) as raised:
        client.read_user("http://127.0.0.1:9/api.php", "Ana", **OPTIONS)
    assert str(raised.value) == (
        "http://127.0.0.1:9/api.php could not be reached: it refused the connection."
    )


def test_a_host_name_that_does_not_resolve_is_said_plainly() -> None:
    # As requests words it (a real lookup could leave the machine, which no test does).
    error = requests.ConnectionError(
        "HTTPSConnectionPool(host='wiki.example', port=443): Max retries exceeded with url: "
        '/w/api.php?action=query (Caused by NameResolutionError("HTTPSConnection('
        "host='wiki.example', port=443): Failed to resolve 'wiki.example' ([Errno -2] Name or "
        'service not known)"))'
    )
    assert client._connection_problem(error) == "its host name is not known"
