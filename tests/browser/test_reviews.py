"""A participant submits a final presentation, reviews two peers, then reads their reviews."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from cohortkit.courses.models import Role
from cohortkit.reviews import services
from cohortkit.reviews.models import FinalWork, Review, ReviewStep, WorkState
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import PASSWORD, RunFactory, RunRoleFactory, UserFactory
from tests.factories.reviews import CriterionFactory, FeedbackPromptFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, object]) -> dict[str, object]:
    return {**browser_context_args, "timezone_id": "Asia/Kolkata", "locale": "en-IN"}


@pytest.fixture
def cohort(live_server: object) -> dict[str, object]:
    now = timezone.now()
    run = RunFactory(title="Autumn", timezone="Asia/Kolkata")
    step = ReviewStep.objects.create(
        run=run,
        reviews_per_work=2,
        submissions_close_at=now + timedelta(days=2),
        reviews_due_at=now + timedelta(days=9),
        is_anonymous=True,
        not_same=["home_community"],
        spread="region",
        instructions="Present a partnership plan in about ten minutes.",
    )
    CriterionFactory(step=step, title="Partner fit", description="Aims align.", scale_max=5)
    CriterionFactory(step=step, title="Plan", description="Concrete first steps.", scale_max=4)
    FeedbackPromptFactory(step=step, text="What is the strongest part of the plan?")
    ada = UserFactory(
        email="ada@example.org", display_name="Ada Example", timezone="Asia/Kolkata",
        home_community="Kathmandu Readers", region="asia-pacific",
    )  # fmt: skip
    RunRoleFactory(run=run, user=ada, role=Role.PARTICIPANT)
    peers = []
    for i, (community, region) in enumerate(
        [("Wiki Club Lagos", "africa"), ("Usuarios Andinos", "latin-america"),
         ("Berlin Archive Friends", "europe"), ("Wiki Club Lagos", "africa")]
    ):  # fmt: skip
        person = UserFactory(display_name=f"Peer {i + 1}", home_community=community, region=region)
        RunRoleFactory(run=run, user=person, role=Role.PARTICIPANT)
        FinalWork.objects.create(
            run=run, author=person, title=f"Partnering with libraries {i + 1}",
            text="We bring volunteers; the library brings archives.\n\nFirst steps: meet.",
            link="https://example.org/slides", state=WorkState.SUBMITTED, submitted_at=now,
        )  # fmt: skip
        peers.append(person)
    coordinator = UserFactory(email="coord@example.org", display_name="Coordinator")
    RunRoleFactory(run=run, user=coordinator, role=Role.COORDINATOR)
    base = f"{live_server.url}/courses/{run.course.slug}/{run.slug}"  # type: ignore[attr-defined]
    return {"run": run, "step": step, "ada": ada, "peers": peers, "base": base}


def log_in(page: Page, url: str, email: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_participant_submits_reviews_peers_and_reads_reviews_received(
    page: Page, browser: Browser, live_server: object, cohort: dict, csp_violations: list[str]
) -> None:
    base, server = cohort["base"], live_server.url  # type: ignore[attr-defined]
    log_in(page, server, "ada@example.org")

    # 1. The final presentation: the deadlines are shown in Ada's zone, named.
    page.goto(f"{base}/")
    page.get_by_role("link", name="Your final presentation", exact=True).click()
    expect(page.get_by_role("heading", name="Your final presentation")).to_be_visible()
    expect(page.locator(".review-deadlines")).to_contain_text("Asia/Kolkata (UTC+05:30)")
    page.get_by_label("Title").fill("A partnership with the Kathmandu city library")
    page.get_by_label("Text").fill("The library has archives; we have editors.\n\nStep one: meet.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("Your draft is saved.")
    expect(page.get_by_label("Text")).to_have_value(
        "The library has archives; we have editors.\n\nStep one: meet."
    )
    page.get_by_role("button", name="Submit final work").click()
    expect(page.locator(".messages")).to_contain_text("Your final work is submitted.")
    assert axe_violations(page) == []
    screenshot(page, "reviews-final-work")

    # 2. The coordinator allocates (in another browser context) and sees the rules hold.
    coordinator = browser.new_context(timezone_id="Africa/Nairobi", locale="en-GB")
    staff_page = coordinator.new_page()
    log_in(staff_page, server, "coord@example.org")
    staff_page.goto(f"{base}/reviews/allocation/")
    expect(staff_page.locator("main")).to_contain_text("Every rule can hold.")
    assert axe_violations(staff_page) == []
    screenshot(staff_page, "reviews-allocation")
    staff_page.get_by_role("button", name="Allocate reviewers").click()
    expect(staff_page.locator(".messages")).to_contain_text("10 reviews allocated, 2 per work.")
    coordinator.close()

    # 3. Ada reviews her two peers: a draft is autosaved, then she submits.
    page.goto(f"{base}/reviews/to-give/")
    cards = page.locator(".review-cards .card")
    expect(cards).to_have_count(2)
    assert axe_violations(page) == []
    screenshot(page, "reviews-to-give")
    for index in range(2):
        page.goto(f"{base}/reviews/to-give/")
        page.locator(".review-cards .card").filter(has_text="To do").first.get_by_role(
            "link"
        ).click()
        expect(page.get_by_role("heading", name="Peer review", exact=True)).to_be_visible()
        page.get_by_role("group", name="Partner fit").get_by_label("4").check()
        page.get_by_label("What is the strongest part of the plan?").fill(
            f"The first steps are concrete ({index + 1})."
        )
        expect(page.locator("#autosave-status")).to_contain_text("Draft saved:")
        if index == 0:
            # Submitting without every score keeps what she wrote and says what is missing.
            page.get_by_role("button", name="Submit review").click()
            expect(page.locator(".error-summary")).to_contain_text("Choose a score")
            expect(page.get_by_label("What is the strongest part of the plan?")).to_have_value(
                "The first steps are concrete (1)."
            )
            assert axe_violations(page) == []
            screenshot(page, "reviews-review-form")
        page.get_by_role("group", name="Plan").get_by_label("3").check()
        page.get_by_role("button", name="Submit review").click()
        expect(page.locator(".messages")).to_contain_text("Your review is submitted.")
    expect(page.locator(".review-cards .badge-good")).to_have_count(2)

    # 4. Her peers review her work; she reads the reviews, anonymous, and the summary.
    step = cohort["step"]
    fit, plan = list(step.criteria.order_by("position"))
    prompt = step.prompts.get()
    for review, (a, b) in zip(
        Review.objects.filter(work__author=cohort["ada"]), [(5, 4), (4, 2)], strict=True
    ):
        services.save_review(
            review,
            scores={str(fit.pk): a, str(plan.pk): b},
            answers={str(prompt.pk): "A clear partner and a realistic first step."},
            submit=True,
            at=timezone.now(),
        )
    page.goto(f"{base}/")
    page.get_by_role("link", name="Reviews of your final presentation").click()
    expect(page.locator("main")).to_contain_text("From 2 reviews.")
    expect(page.locator("table.aggregates tbody tr").first).to_contain_text("4.50")
    expect(page.get_by_role("heading", name="Reviewer 1")).to_be_visible()
    for peer in cohort["peers"]:
        expect(page.locator("main")).not_to_contain_text(peer.display_name)
    assert axe_violations(page) == []
    screenshot(page, "reviews-results")
    assert csp_violations == []


def test_review_and_results_pages_fit_a_phone(
    browser: Browser, live_server: object, cohort: dict
) -> None:
    step, ada = cohort["step"], cohort["ada"]
    FinalWork.objects.create(
        run=cohort["run"], author=ada, title="A long title " * 8, text="Plan " * 200,
        link="https://example.org/" + "a-very-long-path/" * 10,
        state=WorkState.SUBMITTED, submitted_at=timezone.now(),
    )  # fmt: skip
    services.allocate_reviews(step, at=timezone.now())
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, timezone_id="Asia/Kolkata", locale="en-IN"
    )
    page = context.new_page()
    log_in(page, live_server.url, "ada@example.org")  # type: ignore[attr-defined]
    review = Review.objects.filter(reviewer=ada).first()
    page.goto(f"{cohort['base']}/reviews/review/{review.pk}/")
    expect(page.get_by_role("heading", name="Your review")).to_be_visible()
    no_sideways_scroll(page)
    screenshot(page, "reviews-review-form-phone")
    page.goto(f"{cohort['base']}/reviews/my-results/")
    no_sideways_scroll(page)
    screenshot(page, "reviews-results-phone")
    context.close()
