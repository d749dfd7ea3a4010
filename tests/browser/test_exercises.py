"""A learner answers the demo's first exercise: with htmx (instant feedback, retry, score),
without JavaScript, with the keyboard only, on a phone in Arabic; the course team's
authoring page and item analysis. No critical or serious axe violations anywhere."""

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from cohortkit.courses.demo import load_demo
from tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-2021"
RUN = "/courses/partnership-building/autumn-2026"
RIGHT = "A live session and the week's modules"  # module 1, question 1
WRONG = "Only the final presentation"


@pytest.fixture
def demo(live_server: object) -> object:
    return load_demo()


def signed_in(browser: Browser, base: str, email: str, **options: object) -> BrowserContext:
    context = browser.new_context(**options)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_have_count(1)
    page.close()
    return context


def first_exercise(page: Page, base: str) -> None:
    page.goto(f"{base}{RUN}/exercises/")
    page.locator("tbody tr").first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your understanding")


def question(page: Page, number: int) -> object:
    return page.locator("li.question").nth(number - 1)


def test_answering_with_htmx_gives_instant_feedback_a_retry_and_the_score(
    browser: Browser, live_server: object, demo: object, csp_violations: list[str], page: Page
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.context.close()
    context = signed_in(browser, base, "participant005@example.org")
    page = context.new_page()
    first_exercise(page, base)
    assert axe_violations(page) == []
    # A mark on the window survives an htmx swap and dies with a page load.
    page.evaluate("window.notReloaded = true")
    one = question(page, 1)
    one.get_by_label(WRONG).check()  # type: ignore[attr-defined]
    one.get_by_role("button", name="Check my answer").click()  # type: ignore[attr-defined]
    expect(one).to_contain_text("Not right.")  # type: ignore[arg-type]
    expect(one).to_contain_text("The presentation comes at the end")  # type: ignore[arg-type]
    expect(one).to_contain_text("Each week combines self-guided modules")  # type: ignore[arg-type]
    assert page.evaluate("window.notReloaded") is True
    two = question(page, 2)
    two.get_by_label("True").check()  # type: ignore[attr-defined]
    two.get_by_role("button", name="Check my answer").click()  # type: ignore[attr-defined]
    # The last answer finishes the attempt: htmx loads the page with the score and a retry.
    expect(page.get_by_text("This attempt scored 50%.")).to_be_visible()
    expect(page.get_by_text("Your score: 50%")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_text("This is attempt 2.")).to_be_visible()
    question(page, 1).get_by_label(RIGHT).check()  # type: ignore[attr-defined]
    question(page, 1).get_by_role("button", name="Check my answer").click()  # type: ignore[attr-defined]
    expect(question(page, 1)).to_contain_text("Right.")  # type: ignore[arg-type]
    question(page, 2).get_by_label("True").check()  # type: ignore[attr-defined]
    question(page, 2).get_by_role("button", name="Check my answer").click()  # type: ignore[attr-defined]
    expect(page.get_by_text("Your score: 100%")).to_be_visible()
    expect(page.get_by_text("✓ passed").first).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "exercise-page")
    assert csp_violations == []
    context.close()


def test_answering_without_javascript_and_with_the_keyboard_only(
    browser: Browser, live_server: object, demo: object
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    plain = signed_in(browser, base, "participant004@example.org", java_script_enabled=False)
    page = plain.new_page()
    first_exercise(page, base)
    question(page, 1).get_by_label(RIGHT).check()  # type: ignore[attr-defined]
    question(page, 1).get_by_role("button", name="Check my answer").click()  # type: ignore[attr-defined]
    # A plain form post and a redirect back to the question.
    expect(question(page, 1)).to_contain_text("Right.")  # type: ignore[arg-type]
    assert page.url.endswith(f"#{question(page, 1).get_attribute('id')}")  # type: ignore[attr-defined]
    question(page, 2).get_by_role("button", name="Check my answer").click()  # type: ignore[attr-defined]
    expect(question(page, 2)).to_contain_text("Choose an answer.")  # type: ignore[arg-type]
    question(page, 2).get_by_label("False").check()  # type: ignore[attr-defined]
    question(page, 2).get_by_role("button", name="Check my answer").click()  # type: ignore[attr-defined]
    expect(page.get_by_text("This attempt scored 50%.")).to_be_visible()
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_text("This is attempt 2.")).to_be_visible()
    plain.close()

    keyboard = signed_in(browser, base, "participant009@example.org")
    page = keyboard.new_page()
    first_exercise(page, base)

    def tab_to(selector: str) -> None:
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({selector!r})"):
                return
        raise AssertionError(f"the keyboard never reached {selector}")

    tab_to("li.question:nth-child(1) input[type=radio]")
    # Arrow keys move the choice within the group (source order: right first, then wrong).
    page.keyboard.press("Space")
    checked = page.evaluate("document.activeElement.labels[0].innerText")
    if RIGHT not in checked:
        page.keyboard.press("ArrowDown")
    tab_to("li.question:nth-child(1) button")
    page.keyboard.press("Enter")
    expect(question(page, 1)).to_contain_text("Right.")  # type: ignore[arg-type]
    tab_to("li.question:nth-child(2) input[type=radio]")
    page.keyboard.press("Space")
    label = page.evaluate("document.activeElement.labels[0].innerText")
    if "True" not in label:
        page.keyboard.press("ArrowUp")
    tab_to("li.question:nth-child(2) button")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your score: 100%")).to_be_visible()
    tab_to("button.primary")
    assert page.evaluate("document.activeElement.innerText") == "Try again"
    assert axe_violations(page) == []
    keyboard.close()


def test_a_phone_in_arabic_and_the_course_teams_pages(
    browser: Browser, live_server: object, demo: object, csp_violations: list[str], page: Page
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    phone = signed_in(
        browser, base, "participant014@example.org", viewport={"width": 390, "height": 844}
    ).new_page()
    first_exercise(phone, base)
    phone.select_option("#language-select", "ar")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator("html")).to_have_attribute("lang", "ar")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(phone) == []
    question(phone, 1).locator("input[type=radio]").first.check()  # type: ignore[attr-defined]
    question(phone, 1).locator("button").click()  # type: ignore[attr-defined]
    expect(question(phone, 1).locator(".result")).to_be_visible()  # type: ignore[attr-defined]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(phone) == []
    screenshot(phone, "exercise-page-ar-phone")
    phone.context.close()

    page.context.close()
    team = signed_in(browser, base, "facilitator@example.org").new_page()
    team.goto(f"{base}{RUN}/exercises/")
    team.get_by_role("link", name="Edit").first.click()
    expect(team.get_by_role("heading", name="Edit exercise")).to_be_visible()
    assert axe_violations(team) == []
    screenshot(team, "exercise-authoring")
    team.get_by_role("link", name="Add a question").click()
    team.locator("#id_kind").select_option("numeric")
    team.locator("#id_text").fill("How many weeks does the course run?")
    team.locator("#id_choice_1_number").fill("8")
    team.locator("#id_choice_1_tolerance").fill("-1")
    team.get_by_role("button", name="Save").click()
    expect(team.locator(".error-summary")).to_contain_text("Choice 1: tolerance")
    assert team.locator("#id_text").input_value() == ("How many weeks does the course run?")
    assert axe_violations(team) == []
    team.locator("#id_choice_1_tolerance").fill("0")
    team.get_by_role("button", name="Save").click()
    expect(team.get_by_text("The question is saved.")).to_be_visible()

    team.goto(f"{base}{RUN}/exercises/")
    team.get_by_role("link", name="Item analysis").first.click()
    expect(team.get_by_role("heading", level=1)).to_contain_text("Item analysis")
    expect(team.locator("figure.chart img").first).to_be_visible()
    # The SVG chart loads as an image (its own CSP), not a broken one.
    loaded = team.evaluate(
        """async () => {
            const images = [...document.querySelectorAll("figure.chart img")];
            const decoded = await Promise.all(
                images.map((img) => img.decode().then(() => true, () => false))
            );
            return decoded.length > 0 && decoded.every(Boolean);
        }"""
    )
    assert loaded is True
    assert axe_violations(team) == []
    screenshot(team, "exercise-item-analysis")
    assert csp_violations == []
    team.context.close()
