"""Peer-review pages: setup in the run's zone, submitting, reviewing, allocation, results."""

import html
import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cohortkit.reviews import services
from cohortkit.reviews.models import Criterion, FinalWork, Review, ReviewStep, WorkState
from tests.factories.reviews import FinalWorkFactory, ReviewFactory
from tests.queries import page_queries
from tests.reviews.conftest import Peer, participants

pytestmark = pytest.mark.django_db


def setup_data(**changes: str) -> dict[str, str]:
    data = {
        "reviews_per_work": "3",
        "submissions_close_at": "2026-11-30T23:59",
        "reviews_due_at": "2026-12-07T23:59",
        "is_anonymous": "on",
        "not_same": ["home_community"],
        "spread": "region",
        "instructions": "Ten minutes.",
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-title": "Partner fit",
        "criteria-0-description": "Aims align.",
        "criteria-0-weight": "3",
        "criteria-0-scale_max": "5",
        "criteria-1-title": "",
        "criteria-1-weight": "1",
        "criteria-1-scale_max": "5",
        "prompts-TOTAL_FORMS": "1",
        "prompts-INITIAL_FORMS": "0",
        "prompts-0-text": "What is strongest?",
        "prompts-0-is_required": "on",
    }
    data.update(changes)
    return data


def test_setup_reads_deadlines_in_the_run_zone_with_a_half_hour_offset(peer: Peer) -> None:
    run = peer.cast.run
    run.timezone = "Asia/Kolkata"
    run.save()
    ReviewStep.objects.all().delete()
    client = peer.cast.client_for("coordinator")
    response = client.post(peer.url("setup"), setup_data())
    assert response.status_code == 302
    step = ReviewStep.objects.get(run=run)
    assert step.submissions_close_at == datetime(2026, 11, 30, 18, 29, tzinfo=UTC)
    assert step.not_same == ["home_community"]
    assert [(c.title, c.weight) for c in step.criteria.all()] == [("Partner fit", 3)]
    # The coordinator, in Lima, sees the deadline in their own zone, named.
    coordinator = peer.cast.coordinator
    coordinator.timezone = "America/Lima"
    coordinator.save()
    html = client.get(peer.url("setup")).content.decode()
    assert "America/Lima (UTC-05:00)" in html
    assert 'value="2026-11-30T23:59"' in html  # the input stays in the run's zone


@pytest.mark.parametrize(
    ("local", "message"),
    [
        ("2026-03-29T02:30", "2026-03-29 02:30 does not exist in Europe/Berlin"),
        ("2026-10-25T02:30", "2026-10-25 02:30 happens twice in Europe/Berlin"),
    ],
)
def test_setup_refuses_a_time_the_dst_change_skips_or_repeats_and_keeps_the_input(
    peer: Peer, local: str, message: str
) -> None:
    run = peer.cast.run
    run.timezone = "Europe/Berlin"
    run.save()
    ReviewStep.objects.all().delete()
    response = peer.cast.client_for("coordinator").post(
        peer.url("setup"), setup_data(submissions_close_at=local, reviews_due_at="2026-12-01T10:00")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Partner fit" in html
    assert 'value="2026-12-01T10:00"' in html
    assert ReviewStep.objects.count() == 0


def test_setup_refuses_reviews_due_before_work_and_a_rubric_without_criteria(peer: Peer) -> None:
    client = peer.cast.client_for("coordinator")
    html = client.post(
        peer.url("setup"), setup_data(reviews_due_at="2026-11-01T10:00")
    ).content.decode()
    assert "Reviews must be due after the final work is due." in html
    Criterion.objects.all().delete()
    html = client.post(
        peer.url("setup"),
        setup_data(
            **{"criteria-0-title": "", "criteria-0-description": "", "criteria-0-weight": "1"}
        ),
    ).content.decode()
    assert "Add at least one rubric criterion." in html


def test_setup_names_each_mistake_in_the_one_error_summary_by_its_rubric_line(
    peer: Peer,
) -> None:
    response = peer.cast.client_for("coordinator").post(
        peer.url("setup"),
        setup_data(
            reviews_due_at="2026-11-01T10:00",
            **{"criteria-0-weight": "0", "prompts-0-text": ""},
        ),
    )
    page = html.unescape(response.content.decode())
    start = page.index('<div class="error-summary" role="alert" tabindex="-1" id="error-summary"')
    summary = page[start : page.index("</ul>", start)]
    items = re.findall(r'<li><a href="#([\w-]+)">([^<]*)</a>: ([^<]*)</li>', summary)
    assert (response.status_code, items) == (
        200,
        [
            ("id_reviews_due_at", "Reviews due", "Reviews must be due after the final work is due."),
            ("id_criteria-0-weight", "Criterion 1, Weight",
             "Ensure this value is greater than or equal to 1."),
            ("id_criteria-1-title", "Criterion 2, Criterion", "This field is required."),
            ("id_prompts-0-text", "Question 1, Question for written feedback",
             "This field is required."),
        ],
    )  # fmt: skip
    assert page.count('class="error-summary"') == 1


def test_setup_keeps_criterion_ids_so_scored_reviews_keep_their_keys(peer: Peer) -> None:
    first, second = peer.criteria
    data = setup_data(
        **{
            "criteria-TOTAL_FORMS": "2",
            "criteria-INITIAL_FORMS": "2",
            "criteria-0-id": str(second.pk),
            "criteria-0-title": "Delivery (renamed)",
            "criteria-0-weight": "2",
            "criteria-0-scale_max": "4",
            "criteria-1-id": str(first.pk),
            "criteria-1-title": "Partner fit",
            "criteria-1-weight": "3",
            "criteria-1-scale_max": "5",
            "criteria-1-DELETE": "on",
        }
    )
    assert peer.cast.client_for("coordinator").post(peer.url("setup"), data).status_code == 302
    assert list(Criterion.objects.values_list("pk", "title")) == [(second.pk, "Delivery (renamed)")]


@pytest.mark.parametrize(
    ("now_local", "accepted", "late"),
    [
        (datetime(2026, 11, 30, 23, 58), True, False),
        (datetime(2026, 12, 1, 0, 1), True, True),
        (datetime(2026, 12, 8, 0, 0), False, False),
    ],
)
def test_submission_deadline_holds_in_a_half_hour_zone(
    peer: Peer, now_local: datetime, accepted: bool, late: bool
) -> None:

    zone = ZoneInfo("Asia/Kolkata")
    peer.step.submissions_close_at = datetime(2026, 11, 30, 23, 59, tzinfo=zone)
    peer.step.reviews_due_at = datetime(2026, 12, 7, 23, 59, tzinfo=zone)
    peer.step.save()
    peer.work.delete()
    with time_machine.travel(now_local.replace(tzinfo=zone), tick=False):
        response = peer.cast.client_for("participant").post(
            peer.url("work"), {"title": "Mine", "text": "Plan", "link": "", "action": "submit"}
        )
    work = FinalWork.objects.filter(author=peer.cast.participant).first()
    if accepted:
        assert response.status_code == 302
        assert work is not None
        assert (work.state, work.is_late) == (WorkState.SUBMITTED, late)
    else:
        assert "Reviews are due already" in response.content.decode()
        assert work is None


def test_submitting_empty_work_says_what_is_missing_and_a_draft_keeps_the_text(
    peer: Peer,
) -> None:
    peer.work.delete()
    client = peer.cast.client_for("participant")
    with time_machine.travel(datetime(2021, 3, 1, tzinfo=UTC), tick=False):
        html = client.post(peer.url("work"), {"title": "Only a title", "action": "submit"})
        assert "Add a text, a link or a file before you submit." in html.content.decode()
        assert 'value="Only a title"' in html.content.decode()
        client.post(peer.url("work"), {"title": "T", "text": "Half done", "action": "save"})
    work = FinalWork.objects.get(author=peer.cast.participant)
    assert (work.state, work.text) == (WorkState.DRAFT, "Half done")


def test_reviewer_saves_a_draft_then_submit_requires_every_score(peer: Peer) -> None:
    client = peer.cast.client_for("participant")
    fit, delivery = peer.criteria
    url = peer.url("review", pk=peer.review.pk)
    answer = f"answer-{peer.prompt.pk}"
    client.post(url, {f"score-{fit.pk}": "4", answer: "Clear plan", "action": "save"})
    peer.review.refresh_from_db()
    assert (peer.review.scores, peer.review.answers) == (
        {str(fit.pk): 4},
        {str(peer.prompt.pk): "Clear plan"},
    )
    response = client.post(url, {f"score-{fit.pk}": "4", answer: "Clear plan", "action": "submit"})
    html = response.content.decode()
    assert "Choose a score for this criterion." in html
    assert "Clear plan" in html
    response = client.post(
        url,
        {f"score-{fit.pk}": "4", f"score-{delivery.pk}": "3", answer: "Clear", "action": "submit"},
    )
    assert response.status_code == 302
    peer.review.refresh_from_db()
    assert peer.review.state == "submitted"


def test_autosave_answers_the_status_partial_and_keeps_the_draft(peer: Peer) -> None:
    fit = peer.criteria[0]
    response = peer.cast.client_for("participant").post(
        peer.url("autosave", pk=peer.review.pk), {f"score-{fit.pk}": "2"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Draft saved:" in html
    assert "<html" not in html
    peer.review.refresh_from_db()
    assert peer.review.scores == {str(fit.pk): 2}


def test_allocation_page_names_the_blocking_rule_and_offers_the_least_relaxation(
    peer: Peer,
) -> None:
    for person in [peer.cast.participant, *peer.others]:
        person.home_community = "Lagos"
        person.save()
    for other in peer.others[1:]:
        FinalWorkFactory(run=peer.cast.run, author=other)
    Review.objects.all().delete()
    peer.step.not_same = ["home_community"]
    peer.step.save()
    client = peer.cast.client_for("coordinator")
    html = client.get(peer.url("allocation")).content.decode()
    assert "The rule “never a reviewer with the author&#x27;s home community” blocks" in html
    assert "12 reviews cannot be placed" in html
    assert "Allow reviewers with the author&#x27;s home community." in html
    assert Review.objects.count() == 0
    response = client.post(peer.url("allocate"), {"relax": "on"}, follow=True)
    assert "12 reviews allocated, 3 per work." in response.content.decode()
    assert Review.objects.count() == 12


def test_author_sees_anonymous_reviews_and_aggregates_but_not_open_or_flagged_names(
    peer: Peer,
) -> None:
    fit, delivery = peer.criteria
    at = datetime(2021, 3, 25, tzinfo=UTC)
    scores = [(5, 4), (3, 2), (1, 1)]
    for other, (a, b) in zip(peer.others, scores, strict=True):
        review = ReviewFactory(work=peer.work, reviewer=other)
        services.save_review(
            review, scores={str(fit.pk): a, str(delivery.pk): b}, answers={}, submit=True, at=at
        )
    flagged = Review.objects.get(work=peer.work, reviewer=peer.others[2])
    services.flag_review(flagged, is_flagged=True, note="Unfair")
    html = peer.cast.client_for("participant").get(peer.url("results")).content.decode()
    assert "Reviewer 1" in html
    assert peer.others[0].display_name not in html
    assert "From 2 reviews." in html
    assert "<td>4.00</td><td>4</td>" in html


def test_facilitator_flags_and_reassigns_from_the_work_page(peer: Peer) -> None:
    client = peer.cast.client_for("facilitator")
    peer.review.state = "submitted"
    peer.review.submitted_at = datetime(2021, 3, 25, tzinfo=UTC)
    peer.review.save()
    response = client.post(peer.url("flag", pk=peer.review.pk), {"is_flagged": "on"}, follow=True)
    assert "Say briefly why the review is unfair." in response.content.decode()
    client.post(peer.url("flag", pk=peer.review.pk), {"is_flagged": "on", "note": "Rude"})
    peer.review.refresh_from_db()
    assert (peer.review.is_flagged, peer.review.flag_note) == (True, "Rude")
    open_review = ReviewFactory(work=peer.other_work, reviewer=peer.others[1])
    client.post(peer.url("reassign", pk=open_review.pk), {"reviewer": peer.others[2].pk})
    assert list(
        Review.objects.filter(work=peer.other_work).active().values_list("reviewer_id", flat=True)
    ) == [peer.cast.participant.pk, peer.others[2].pk]
    response = client.post(peer.url("staff_review", pk=peer.other_work.pk))
    own = Review.objects.get(reviewer=peer.cast.facilitator)
    assert response["Location"] == peer.url("review", pk=own.pk)


def test_list_pages_make_the_same_number_of_queries_for_one_or_many_rows(peer: Peer) -> None:
    client_p = peer.cast.client_for("participant")
    client_f = peer.cast.client_for("facilitator")
    client_c = peer.cast.client_for("coordinator")
    peer.step.allocated_at = datetime(2021, 3, 23, tzinfo=UTC)
    peer.step.save()
    urls = [
        (client_p, peer.url("assigned")),
        (client_p, peer.url("results")),
        (client_f, peer.url("overview")),
        (client_c, peer.url("allocation")),
        (client_f, peer.url("work_detail", pk=peer.work.pk)),
    ]
    people = participants(peer.cast.run, 12)
    at = datetime(2021, 3, 25, tzinfo=UTC)

    def add_rows(persons: list[Any]) -> None:
        for person in persons:
            work = FinalWorkFactory(run=peer.cast.run, author=person)
            ReviewFactory(work=work, reviewer=peer.cast.participant)
            review = ReviewFactory(work=peer.work, reviewer=person)
            services.save_review(
                review, scores={str(peer.criteria[0].pk): 3}, answers={"x": "y"}, submit=True, at=at
            )

    add_rows(people[:1])
    one = [page_queries(client, url) for client, url in urls]
    add_rows(people[1:])
    many = [page_queries(client, url) for client, url in urls]
    assert many == one
