"""One identity with the wiki, clicked through (issue 16): signing up with a wiki account
against the local OAuth 2.0 provider (tests/wiki/oauth_provider.py), a linked account on the
profile and unlinking it by keyboard, an application's wiki figures and a failed read, the
eligibility rules with a wiki rule, the run's wiki settings and the facilitators' on-wiki
edits, on a desktop and a phone; axe finds nothing critical or serious."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from cohortkit.accounts.models import User
from cohortkit.applications.models import Application, EligibilityRule, RuleKind
from cohortkit.courses.demo import DEMO_PASSWORD, load_demo
from cohortkit.wiki.models import WikiIdentity, WikiRead
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_dashboard import log_in
from tests.wiki.oauth_provider import Provider, wiki_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
OPEN_RUN = "/courses/partnership-building/2027/"
CURRENT_RUN = "/courses/partnership-building/autumn-2026/"


@pytest.fixture
def demo(live_server: object) -> object:
    return load_demo()


@pytest.fixture
def provider(settings: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[Provider]:
    with wiki_sign_in(settings, monkeypatch) as running:
        yield running


def test_signing_up_with_the_wiki_and_unlinking_from_the_profile(
    page: Page, live_server: object, demo: object, provider: Provider, csp_violations: list[str]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.goto(f"{base}/accounts/login/")
    button = page.get_by_role("button", name="Sign in with Test Wiki")
    expect(button).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "wiki-sign-in")

    # The wiki's own login and "Allow" page is played by the provider: it approves at once.
    provider.sign_in_as("Ana Wiki", 4242, email="ana@wiki.example")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    expect(page.get_by_text("You signed in on Test Wiki as Ana Wiki.")).to_be_visible()
    expect(page.get_by_label("E-mail address")).to_have_value("ana@wiki.example")
    page.get_by_label("Time zone").fill("America/Lima")
    assert axe_violations(page) == []
    screenshot(page, "wiki-sign-up")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("Your wiki account Ana Wiki is verified.")).to_be_visible()
    expect(page.get_by_label("Wiki username")).to_be_disabled()

    # Without a password, unlinking would lock her out: she is told to set one first.
    page.get_by_role("link", name="Unlink my wiki account").click()
    expect(
        page.get_by_text("You have no password yet, so you could no longer sign in.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Set a password")).to_be_visible()
    expect(page.get_by_label("Your current password")).to_have_count(0)
    assert axe_violations(page) == []
    assert WikiIdentity.objects.filter(username="Ana Wiki").exists()
    assert csp_violations == []


def test_a_linked_account_on_the_profile_is_unlinked_by_keyboard(
    page: Page, live_server: object, demo: object, csp_violations: list[str]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    person = User.objects.get(email="applicant001@example.org")
    log_in(page, base, person.email)
    page.goto(f"{base}/accounts/profile/")
    expect(
        page.get_by_text(f"Your wiki account {person.wiki_username} is verified.")
    ).to_be_visible()
    expect(page.get_by_label("Wiki username")).to_be_disabled()
    assert axe_violations(page) == []
    screenshot(page, "wiki-profile-linked")

    page.get_by_role("link", name="Unlink my wiki account").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Unlink my wiki account")).to_be_visible()
    page.get_by_label("Your current password").focus()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("checkbox")).to_be_focused()
    page.keyboard.press("Space")
    assert axe_violations(page) == []
    screenshot(page, "wiki-unlink")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Unlink my wiki account")).to_be_focused()
    page.keyboard.press("Enter")

    expect(
        page.get_by_text(f"Your wiki account {person.wiki_username} is no longer linked")
    ).to_be_visible()
    expect(page.get_by_label("Wiki username")).to_be_enabled()
    expect(page.get_by_label("Wiki username")).to_have_value(person.wiki_username)
    assert not WikiIdentity.objects.filter(person=person).exists()
    page.set_viewport_size(PHONE)
    assert axe_violations(page) == []
    screenshot(page, "wiki-profile-unlinked-phone", full_page=False)
    assert csp_violations == []


def test_coordinators_see_figures_failed_reads_and_wiki_rules(
    page: Page, live_server: object, demo: object, csp_violations: list[str]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    failed = WikiRead.objects.exclude(problems=[]).get(person__isnull=False)
    application = Application.objects.get(applicant=failed.person, run__slug="2027")
    log_in(page, base, "coordinator@example.org")

    page.goto(f"{base}{OPEN_RUN}applications/{application.pk}/")
    expect(page.get_by_role("heading", name="Wiki experience")).to_be_visible()
    expect(page.get_by_text("The last read of the wikis went wrong.")).to_be_visible()
    expect(page.get_by_text("did not answer within 10 seconds.")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "wiki-application-figures")
    page.get_by_role("button", name="Read the wikis now").click()
    expect(
        page.get_by_text("The wikis will be read in the background; reload this page in a minute.")
    ).to_be_visible()

    page.goto(f"{base}{OPEN_RUN}applications/setup/")
    rules = page.locator("section", has=page.get_by_role("heading", name="Eligibility rules"))
    new = rules.locator("fieldset").last
    new.locator("select[name$='-kind']").select_option(
        label="A wiki account at least this many days old"
    )
    new.get_by_label("At least:").fill("365")
    new.get_by_label("Reason when not met:").fill("An account at least a year old.")
    rules.get_by_role("button", name="Save rules").click()
    expect(page.get_by_text("An account at least a year old.").first).to_be_attached()
    assert EligibilityRule.objects.filter(run__slug="2027", kind=RuleKind.WIKI_AGE).count() == 1
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 1280, "height": 1300})
    page.locator("#rules-heading").evaluate("heading => heading.scrollIntoView()")
    screenshot(page, "wiki-eligibility-rules", full_page=False)

    page.goto(f"{base}{OPEN_RUN}wiki/")
    expect(page.get_by_text("The course has not begun")).to_be_visible()
    page.goto(f"{base}{CURRENT_RUN}wiki/")
    expect(page.get_by_text("Last read of the wikis, without problems:")).to_be_visible()
    page.get_by_role("button", name="Read the wikis now").click()
    expect(page.get_by_role("heading", name="Wikis of this run")).to_be_visible()
    expect(
        page.get_by_text("The wikis will be read in the background; reload this page in a minute.")
    ).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "wiki-run-settings")
    assert csp_violations == []


def test_facilitators_see_the_participants_edits_by_week(
    page: Page, live_server: object, demo: object, csp_violations: list[str]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "facilitator@example.org")
    page.goto(f"{base}{CURRENT_RUN}")
    page.get_by_role("link", name="Wiki edits of participants").click()
    expect(page.get_by_role("heading", name="Wiki edits of participants")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader", name="W1")).to_be_visible()
    expect(table.get_by_text("Not shared")).to_have_count(1)
    expect(table.get_by_role("link", name="diff").first).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "wiki-edits")
    page.set_viewport_size(PHONE)
    assert axe_violations(page) == []
    screenshot(page, "wiki-edits-phone", full_page=False)
    assert csp_violations == []
