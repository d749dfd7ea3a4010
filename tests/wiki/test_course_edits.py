"""During the course: facilitators see each sharing participant's edits on the run's wikis,
counted by week of the run and limited to the page prefix, with links; a participant can turn
it off. Edits are made on a real MediaWiki and read by the task."""

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cohortkit.courses.models import Role
from cohortkit.wiki.models import EditSharing, RunWikis, Wiki, WikiEdit, WikiIdentity
from cohortkit.wiki.queries import participant_edits
from cohortkit.wiki.services import read_run_edits
from tests.factories import RunFactory, RunRoleFactory, UserFactory
from tests.payloads import sampled_strings
from tests.queries import page_queries
from tests.wiki.mediawiki import MediaWiki

_names = count(1)
PREFIX = "Partnership Building/"


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _participant(run, name: str, central_id: str | None):
    person = UserFactory(display_name=name)
    RunRoleFactory(run=run, user=person, role=Role.PARTICIPANT)
    if central_id is not None:
        WikiIdentity.objects.create(
            person=person, central_id=central_id, username=name, verified_at=timezone.now()
        )
    return person


def _reading(
    run, *, name: str = "W", api_url: str = "http://127.0.0.1:9/api.php", prefix: str = ""
) -> Wiki:
    """The run reads one wiki (by default one that never answers), limited to `prefix`."""
    wiki = Wiki.objects.create(name=name, api_url=api_url)
    RunWikis.objects.create(run=run, page_prefix=prefix).wikis.add(wiki)
    return wiki


def test_facilitators_see_edits_by_week_under_the_prefix_and_not_of_those_who_opted_out(
    db: None, mediawiki: MediaWiki
) -> None:
    now = datetime.now(UTC)
    # The run began ten days ago: today is in its second week.
    run = RunFactory(starts_on=(now - timedelta(days=10)).date(), weeks=3)
    _reading(run, name="Test wiki", api_url=mediawiki.api_url, prefix=PREFIX)
    number = next(_names)
    ana, bo, cy = (f"{stem} {number}" for stem in ("Ana", "Bo", "Cy"))
    _participant(run, ana, f"a{number}")
    opted_out = _participant(run, bo, f"b{number}")
    _participant(run, cy, None)
    EditSharing.objects.create(run=run, person=opted_out, is_shared=False, changed_at=now)
    ana_wiki = mediawiki.create_user(ana)
    first = ana_wiki.edit(f"{PREFIX}{ana}/Plan", "Week 2")
    second = ana_wiki.edit(f"{PREFIX}{ana}/Notes", "Week 2 again")
    ana_wiki.edit(f"Sandbox {ana}", "Not the course")
    mediawiki.create_user(bo).edit(f"{PREFIX}{bo}", "Hidden")
    facilitator = UserFactory()
    RunRoleFactory(run=run, user=facilitator, role=Role.FACILITATOR)

    report = read_run_edits(run, at=now + timedelta(minutes=1))

    assert (report.problems, report.read) == ([], [f"Test wiki: {ana}"])
    assert not WikiEdit.objects.filter(person=opted_out).exists()
    rows = {row.person.display_name: row for row in participant_edits(run)}
    assert (rows[ana].weeks, rows[ana].total) == ((0, 2, 0), 2)
    assert [link.title for link in rows[ana].latest] == [
        f"{PREFIX}{ana}/Notes",
        f"{PREFIX}{ana}/Plan",
    ]
    assert rows[ana].latest[0].diff_url == f"{mediawiki.base}/index.php?diff={second}"
    assert (rows[bo].is_shared, rows[bo].total, rows[cy].username) == (False, 0, "")
    page = _client(facilitator).get(
        reverse("wiki:edits", kwargs={"slug": run.course.slug, "run": run.slug})
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<a href="{mediawiki.base}/index.php?diff={first}">diff</a>' in html
    assert ("Not shared" in html, "No verified wiki account" in html) == (True, True)
    assert ("Sandbox" in html, "Hidden" in html) == (False, False)


def test_an_account_the_wiki_does_not_know_is_a_problem_not_zero_edits(
    db: None, mediawiki: MediaWiki
) -> None:
    now = datetime.now(UTC)
    run = RunFactory(starts_on=(now - timedelta(days=3)).date(), weeks=3)
    _reading(run, name="Test wiki", api_url=mediawiki.api_url, prefix=PREFIX)
    number = next(_names)
    quiet, gone = f"Quiet {number}", f"Renamed Away {number}"
    _participant(run, quiet, f"q{number}")
    _participant(run, gone, f"g{number}")
    mediawiki.create_user(quiet)  # an account with no edits yet: read, nothing stored

    report = read_run_edits(run, at=now + timedelta(minutes=1))

    assert (report.read, report.problems) == (
        [f"Test wiki: {quiet}"],
        [f"{mediawiki.api_url} has no account named {gone}."],
    )
    assert not WikiEdit.objects.exists()


def test_a_participant_turns_sharing_off_and_on(db: None) -> None:
    run = RunFactory()
    person = _participant(run, "Dee", "d1")
    url = reverse("wiki:sharing", kwargs={"slug": run.course.slug, "run": run.slug})
    client = _client(person)
    assert 'name="is_shared" id="id_is_shared" checked' in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 302
    assert EditSharing.objects.get(run=run, person=person).is_shared is False
    client.post(url, {"is_shared": "on"})
    assert EditSharing.objects.get(run=run, person=person).is_shared is True


@pytest.mark.parametrize("participants", [1, 12])
def test_the_edits_page_makes_the_same_queries_for_one_or_many(db: None, participants: int) -> None:
    run = RunFactory()
    wiki = _reading(run)
    for number in range(participants):
        person = _participant(run, f"P{number}", f"p{number}")
        for day in range(3):
            WikiEdit.objects.create(
                person=person,
                wiki=wiki,
                revision_id=number * 10 + day,
                title=f"Page {day}",
                at=run.starts_at + timedelta(days=day * 8),
                read_at=run.starts_at,
            )
    facilitator = UserFactory()
    RunRoleFactory(run=run, user=facilitator, role=Role.FACILITATOR)
    url = reverse("wiki:edits", kwargs={"slug": run.course.slug, "run": run.slug})
    assert page_queries(_client(facilitator), url, warm=True) == QUERIES


QUERIES = 15  # the same for 1 and 12 participants with their edits (and the run's last read)


def test_hostile_titles_and_names_are_shown_as_text(db: None) -> None:
    run = RunFactory()
    wiki = _reading(run)
    texts = [text for text in sampled_strings() if text.strip()]
    for number, text in enumerate(texts):
        person = _participant(run, text[:150], f"h{number}")
        WikiEdit.objects.create(
            person=person,
            wiki=wiki,
            revision_id=number,
            title=text[:512],
            at=run.starts_at + timedelta(hours=1),
            read_at=run.starts_at,
        )
    facilitator = UserFactory()
    RunRoleFactory(run=run, user=facilitator, role=Role.FACILITATOR)
    client = _client(facilitator)
    html = client.get(
        reverse("wiki:edits", kwargs={"slug": run.course.slug, "run": run.slug})
    ).content.decode()
    main = html.split("<main", 1)[1]
    assert [tag for tag in ("<script", "<img", "<svg") if tag in main] == []


def test_weeks_not_begun_show_a_dash_and_begun_weeks_a_count(db: None) -> None:
    now = timezone.now()
    run = RunFactory(starts_on=(now - timedelta(days=10)).date(), weeks=4)  # in week 2
    _reading(run)
    _participant(run, "Ana", "a")
    facilitator = UserFactory()
    RunRoleFactory(run=run, user=facilitator, role=Role.FACILITATOR)
    page = _client(facilitator).get(
        reverse("wiki:edits", kwargs={"slug": run.course.slug, "run": run.slug})
    )
    row = page.content.decode().split('<th scope="row">Ana</th>')[1].split("</tr>")[0]
    dash = '<td><span aria-hidden="true">\N{EN DASH}</span><span class="visually-hidden">not begun</span></td>'
    assert row.count("<td>0</td>") == 3  # weeks 1 and 2, and the total
    assert row.count(dash) == 2
