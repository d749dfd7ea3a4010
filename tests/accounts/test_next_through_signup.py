"""A visitor's way from a course page to where they were going (issue 11 item 13): the open
run's Apply and the self-study run's Study now lead through sign-in or sign-up, and the
`next` address is kept through the sign-up form and the e-mail verification link, checked
at every step so it is never an open redirect."""

import re
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cohortkit.accounts.models import User
from cohortkit.applications.models import ApplicationForm, Question
from cohortkit.courses.models import Run
from cohortkit.notifications.models import OutboxMessage
from tests.factories import PASSWORD, RunFactory, UserFactory, open_run_window

pytestmark = pytest.mark.django_db

NOW = datetime(2021, 1, 5, 12, tzinfo=UTC)  # the 2021 window is open
LATER = datetime(2021, 6, 1, 12, tzinfo=UTC)  # the 2021 run is over
SIGNUP = {
    "display_name": "Wanjiru Example",
    "email": "wanjiru@example.org",
    "timezone": "Africa/Nairobi",
    "password1": "a long enough passphrase 42",
    "password2": "a long enough passphrase 42",
}
HOSTILE_NEXT = [
    "https://evil.example/apply/",
    "//evil.example/apply/",
    "/\\evil.example/apply/",
    "\\\\evil.example",
    "javascript:alert(1)",
    "http://testserver@evil.example/",
    "https:///evil.example/",
    " //evil.example",
    "courses:home",
    "apply/",
]


@pytest.fixture
def open_run(db: None) -> Run:
    run = open_run_window(RunFactory(), NOW)
    form = ApplicationForm.objects.create(run=run)
    Question.objects.create(form=form, label="Why?", kind="long", is_required=True)
    return run


def _url(run: Run, name: str) -> str:
    return reverse(name, kwargs={"slug": run.course.slug, "run": run.slug})


def _mailed_link(pattern: str) -> str:
    body = OutboxMessage.objects.order_by("-pk").first().body  # type: ignore[union-attr]
    match = re.search(r"https?://[^/\s]+(" + pattern + r"[^\s]*)", body)
    assert match, body
    return match.group(1)


def _main(html: str) -> str:
    """The page's main content (the header has its own "Log in" link and language form)."""
    return html[html.index("<main") : html.index("</main>")]


def _links(html: str, text: str) -> list[str]:
    found = re.findall(r'href="([^"]*)"[^>]*>([^<]*)<', _main(html))
    return [href.replace("&amp;", "&") for href, label in found if label == text]


@time_machine.travel(NOW, tick=False)
def test_apply_leads_through_sign_up_and_the_verification_link_back_to_the_form(
    client: Client, open_run: Run
) -> None:
    apply_url = _url(open_run, "applications:apply")
    course_page = client.get(open_run.course.get_absolute_url()).content.decode()
    assert _links(course_page, "Apply") == [apply_url]

    to_login = client.get(apply_url)
    login_url = f"/accounts/login/?next={quote(apply_url)}"
    assert (to_login.status_code, to_login["Location"]) == (302, login_url)

    login_page = client.get(login_url).content.decode()
    signup_url = f"/accounts/signup/?next={quote(apply_url)}"
    assert _links(login_page, "Create an account") == [signup_url, signup_url]

    signup_page = client.get(signup_url).content.decode()
    assert f'<input type="hidden" name="next" value="{apply_url}">' in signup_page
    assert _links(signup_page, "Log in") == [login_url]

    client.post("/accounts/signup/", {**SIGNUP, "next": apply_url})
    link = _mailed_link("/accounts/verify/")
    assert link.endswith(f"/?next={quote(apply_url, safe='')}")

    confirm = client.get(link).content.decode()
    assert f'<input type="hidden" name="next" value="{apply_url}">' in confirm
    landed = client.post(link, {"next": apply_url})
    assert (landed.status_code, landed["Location"]) == (302, apply_url)
    assert User.objects.get().is_email_verified is True
    form = client.get(apply_url)
    assert (form.status_code, "Why?" in form.content.decode()) == (200, True)


@time_machine.travel(NOW, tick=False)
def test_signing_in_from_apply_comes_back_to_the_form(client: Client, open_run: Run) -> None:
    person = UserFactory(email="ada@example.org")
    apply_url = _url(open_run, "applications:apply")
    response = client.post(
        f"/accounts/login/?next={quote(apply_url)}",
        {"username": person.email, "password": PASSWORD, "next": apply_url},
    )
    assert (response.status_code, response["Location"]) == (302, apply_url)


@time_machine.travel(NOW, tick=False)
def test_an_address_with_an_account_gets_a_sign_in_link_that_keeps_next(
    client: Client, open_run: Run
) -> None:
    UserFactory(email="wanjiru@example.org")
    apply_url = _url(open_run, "applications:apply")
    client.post("/accounts/signup/", {**SIGNUP, "next": apply_url})
    assert _mailed_link("/accounts/login/") == f"/accounts/login/?next={quote(apply_url, safe='')}"


@time_machine.travel(NOW, tick=False)
def test_a_new_confirmation_link_keeps_next(client: Client, open_run: Run) -> None:
    UserFactory(email="late@example.org", email_verified_at=None)
    apply_url = _url(open_run, "applications:apply")
    login_page = client.get(f"/accounts/login/?next={quote(apply_url)}").content.decode()
    resend_url = f"/accounts/verify-again/?next={quote(apply_url)}"
    assert _links(login_page, "New confirmation link") == [resend_url]
    client.post(resend_url, {"email": "late@example.org", "next": apply_url})
    assert _mailed_link("/accounts/verify/").endswith(f"?next={quote(apply_url, safe='')}")


@time_machine.travel(LATER, tick=False)
def test_a_run_open_for_self_study_says_study_now_and_leads_to_enrolment(client: Client) -> None:
    run = RunFactory(is_self_paced=True)
    study_url = _url(run, "learning:modules")
    for page in (run.course.get_absolute_url(), _url(run, "courses:run")):
        html = client.get(page).content.decode()
        assert (_links(html, "Study now"), _links(html, "Apply")) == ([study_url], []), page

    to_login = client.get(study_url)
    assert to_login["Location"] == f"/accounts/login/?next={quote(study_url)}"
    client.post("/accounts/signup/", {**SIGNUP, "next": study_url})
    link = _mailed_link("/accounts/verify/")
    landed = client.post(link, {"next": study_url})
    assert landed["Location"] == study_url
    enrol = client.get(study_url).content.decode()
    assert "Enrol" in enrol


@time_machine.travel(LATER, tick=False)
def test_a_completed_run_not_open_for_self_study_offers_neither(client: Client) -> None:
    run = RunFactory(is_self_paced=False)
    html = client.get(run.course.get_absolute_url()).content.decode()
    assert (_links(html, "Study now"), _links(html, "Apply")) == ([], [])
    assert "Applications are closed." in html


@time_machine.travel(NOW, tick=False)
def test_the_run_page_offers_apply_to_visitors_not_to_its_participants(
    client: Client, open_run: Run
) -> None:
    apply_url = _url(open_run, "applications:apply")
    assert _links(client.get(_url(open_run, "courses:run")).content.decode(), "Apply") == [
        apply_url
    ]
    participant = UserFactory()
    open_run.roles.create(user=participant, role="participant")
    client.force_login(participant)
    assert _links(client.get(_url(open_run, "courses:run")).content.decode(), "Apply") == []


@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
@time_machine.travel(NOW, tick=False)
def test_next_is_never_an_open_redirect(client: Client, hostile: str) -> None:
    encoded = quote(hostile, safe="")
    signup_page = client.get(f"/accounts/signup/?next={encoded}").content.decode()
    assert 'name="next"' not in _main(signup_page)
    assert _links(signup_page, "Log in") == ["/accounts/login/"]

    client.post("/accounts/signup/", {**SIGNUP, "next": hostile})
    link = _mailed_link("/accounts/verify/")
    assert "next=" not in link
    verify_page = client.get(f"{link}?next={encoded}").content.decode()
    assert 'name="next"' not in _main(verify_page)
    landed = client.post(f"{link}?next={encoded}", {"next": hostile})
    assert (landed.status_code, landed["Location"]) == (302, "/accounts/profile/")

    # Signed in now: the sign-up page sends them on, but only to this site.
    again = client.get(f"/accounts/signup/?next={encoded}")
    assert again["Location"] == "/accounts/profile/"


def test_a_signed_in_person_on_the_sign_up_page_goes_on_to_next(client: Client) -> None:
    client.force_login(UserFactory())
    response = client.get("/accounts/signup/?next=/courses/")
    assert (response.status_code, response["Location"]) == (302, "/courses/")


def test_a_very_long_next_is_dropped(client: Client) -> None:
    response = client.get("/accounts/signup/?next=/" + "a" * 2100)
    assert 'name="next"' not in _main(response.content.decode())
