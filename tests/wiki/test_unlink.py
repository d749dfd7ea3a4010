"""Unlinking a wiki account from the profile: the current password and a tick confirm it;
the identity and what was read for it go, the username stays as unverified editable text,
wiki eligibility rules stop being met; without a password the person is told to set one
first and nothing changes."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cohortkit.accounts.models import User
from cohortkit.applications.models import ApplicationForm, EligibilityRule, RuleKind
from cohortkit.applications.services import recheck_eligibility
from cohortkit.notifications.models import OutboxMessage
from cohortkit.wiki.models import EditSharing, RunWikis, Wiki, WikiEdit, WikiFigures, WikiIdentity
from cohortkit.wiki.services import PasswordNeeded, unlink_identity
from tests.access import snapshot
from tests.factories import RunFactory, UserFactory
from tests.factories.applications import ApplicationFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-2021"
UNLINK = "/wiki/unlink/"


def _linked(*, password: str | None = PASSWORD) -> tuple[User, Wiki]:
    person = UserFactory(wiki_username="Dana W")
    if password is None:
        person.set_unusable_password()
    else:
        person.set_password(password)
    person.save()
    WikiIdentity.objects.create(
        person=person, central_id="99", username="Dana W", verified_at=timezone.now()
    )
    wiki = Wiki.objects.create(name="Test wiki", api_url="http://127.0.0.1:9/api.php")
    WikiFigures.objects.create(
        person=person,
        wiki=wiki,
        username="Dana W",
        edit_count=900,
        registered_at=datetime(2015, 1, 1, tzinfo=UTC),
        groups=["autoconfirmed"],
        read_at=datetime(2021, 1, 10, tzinfo=UTC),
    )
    WikiEdit.objects.create(
        person=person,
        wiki=wiki,
        revision_id=1,
        title="Partnership Building/Dana",
        at=datetime(2021, 1, 9, tzinfo=UTC),
        read_at=datetime(2021, 1, 10, tzinfo=UTC),
    )
    return person, wiki


def _client(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _state() -> dict:
    return snapshot(User, WikiIdentity, WikiFigures, WikiEdit, EditSharing, OutboxMessage)


def test_the_url_is_the_one_the_profile_links_to() -> None:
    person, _wiki = _linked()
    page = _client(person).get(reverse("accounts:profile")).content.decode()
    assert reverse("wiki_accounts:unlink") == UNLINK
    assert f'<a href="{UNLINK}">Unlink my wiki account</a>' in page


def test_unlinking_forgets_the_account_and_its_figures_and_frees_the_username(
    django_capture_on_commit_callbacks,
) -> None:
    person, _wiki = _linked()
    client = _client(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UNLINK, {"password": PASSWORD, "confirm": "on"})

    person.refresh_from_db()
    assert response["Location"] == reverse("accounts:profile")
    assert [str(m) for m in response.wsgi_request._messages] == [
        "Your wiki account Dana W is no longer linked, and what was read from the wikis about "
        "it is deleted. Your wiki username is kept, unverified: you can change it below."
    ]
    assert (
        WikiIdentity.objects.exists(),
        WikiFigures.objects.exists(),
        WikiEdit.objects.exists(),
        person.wiki_username,
    ) == (False, False, False, "Dana W")
    profile = client.get(reverse("accounts:profile"))
    assert profile.context["form"].fields["wiki_username"].disabled is False
    assert "Unlink my wiki account" not in profile.content.decode()
    form = profile.context["form"]
    client.post(
        reverse("accounts:profile"),
        {**{k: v for k, v in form.initial.items() if v is not None}, "wiki_username": "Dana 2"},
    )
    person.refresh_from_db()
    assert person.wiki_username == "Dana 2"


def test_wiki_rules_no_longer_count_once_unlinked(django_capture_on_commit_callbacks) -> None:
    person, wiki = _linked()
    run = RunFactory()
    ApplicationForm.objects.create(run=run)
    RunWikis.objects.create(run=run).wikis.add(wiki)
    EligibilityRule.objects.create(
        run=run, kind=RuleKind.WIKI_EDITS, minimum=500, reason="500 edits"
    )
    application = ApplicationFactory(run=run, applicant=person)
    recheck_eligibility(run)
    application.refresh_from_db()
    assert (application.is_eligible, application.eligibility_reason) == (True, "")

    with django_capture_on_commit_callbacks(execute=True):
        _client(person).post(UNLINK, {"password": PASSWORD, "confirm": "on"})

    application.refresh_from_db()
    assert (application.is_eligible, application.eligibility_reason) == (False, "500 edits")


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"password": PASSWORD},
            {"confirm": ["Tick this box to confirm that you want to unlink it."]},
        ),
        (
            {"password": "wrong", "confirm": "on"},
            {"password": ["That is not your current password."]},
        ),
    ],
)
def test_without_the_tick_or_the_right_password_nothing_changes(data: dict, errors: dict) -> None:
    person, _wiki = _linked()
    client = _client(person)  # signing in sets last_login
    before = _state()
    response = client.post(UNLINK, data)
    assert (response.status_code, dict(response.context["form"].errors)) == (400, errors)
    assert _state() == before


def test_without_a_password_the_person_is_told_to_set_one_and_nothing_changes() -> None:
    person, _wiki = _linked(password=None)
    client = _client(person)
    before = _state()
    page = client.get(UNLINK)
    posted = client.post(UNLINK, {"password": "", "confirm": "on"})
    assert (page.status_code, posted.status_code) == (200, 400)
    for response in (page, posted):
        text = response.content.decode()
        assert "You have no password yet, so you could no longer sign in." in text
        assert f'<a href="{reverse("accounts:password_reset")}">Set a password</a>' in text
        assert 'name="confirm"' not in text
    assert _state() == before


def test_someone_without_a_password_can_get_the_link_to_set_one() -> None:
    person, _wiki = _linked(password=None)
    Client().post(reverse("accounts:password_reset"), {"email": person.email.upper()})
    assert list(OutboxMessage.objects.values_list("kind", "recipient")) == [
        ("password-reset", person.email)
    ]


def test_the_service_refuses_without_a_password() -> None:
    person, _wiki = _linked(password=None)
    before = _state()
    with pytest.raises(PasswordNeeded):
        unlink_identity(person)
    assert _state() == before


def test_someone_without_a_linked_account_is_sent_back_to_the_profile() -> None:
    person = UserFactory()
    client = _client(person)
    for response in (client.get(UNLINK), client.post(UNLINK, {"confirm": "on"})):
        assert (response.status_code, response["Location"]) == (302, reverse("accounts:profile"))


def test_figures_read_while_the_person_unlinks_are_not_stored(
    mediawiki, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wiki answers while the person unlinks in another tab: what it said is dropped."""
    from cohortkit.wiki import client  # noqa: PLC0415 — only this test needs them
    from cohortkit.wiki.models import WikiRead  # noqa: PLC0415 — only this test needs them
    from cohortkit.wiki.services import read_wiki_figures, unlink_identity  # noqa: PLC0415 — only this test needs them

    person, _wiki = _linked()
    WikiFigures.objects.all().delete()
    WikiEdit.objects.all().delete()
    mediawiki.create_user(f"Dana W {person.pk}").edit(f"Sandbox/Dana {person.pk}", "Hi")
    WikiIdentity.objects.filter(person=person).update(username=f"Dana W {person.pk}")
    wiki = Wiki.objects.create(name="Real wiki", api_url=mediawiki.api_url)
    real_read_user = client.read_user

    def unlink_then_read(*args, **kwargs):
        unlink_identity(person)
        return real_read_user(*args, **kwargs)

    monkeypatch.setattr(client, "read_user", unlink_then_read)
    report = read_wiki_figures(person, [wiki], at=timezone.now())

    assert report.problems == [
        f"{person.display_name} unlinked their wiki account while it was read; nothing was stored."
    ]
    assert (WikiFigures.objects.exists(), WikiEdit.objects.exists(), WikiRead.objects.exists()) == (
        False,
        False,
        False,
    )
