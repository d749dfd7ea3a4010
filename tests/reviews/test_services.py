"""Peer review services: allocation and repair, reviewing, reminders, flags and results."""

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cohortkit.courses.models import Role, RunRole
from cohortkit.notifications.models import OutboxMessage
from cohortkit.reviews import services
from cohortkit.reviews.allocation import AllocationInfeasible
from cohortkit.reviews.models import FinalWork, Review, ReviewState, WorkState
from cohortkit.reviews.queries import (
    ReviewStatus,
    results_for_work,
    review_status,
    step_with_rubric,
)
from cohortkit.reviews.tasks import task_allocate_reviews
from tests.factories import RunFactory, UserFactory
from tests.factories.reviews import CriterionFactory, FeedbackPromptFactory, ReviewStepFactory
from tests.reviews.conftest import participants

pytestmark = pytest.mark.django_db

AT = datetime(2021, 3, 23, 9, tzinfo=UTC)


def cohort_with_works(count: int, *, communities: list[str], regions: list[str], **step: object):
    run = RunFactory()
    the_step = ReviewStepFactory(run=run, **step)
    people = participants(run, count)
    for i, person in enumerate(people):
        person.home_community = communities[i % len(communities)]
        person.region = regions[i % len(regions)]
        person.save()
        FinalWork.objects.create(
            run=run, author=person, text="Plan", state=WorkState.SUBMITTED, submitted_at=AT
        )
    return the_step, people


def live_pairs(run: object) -> set[tuple[int, int]]:
    return {
        (r.reviewer_id, r.work.author_id)
        for r in Review.objects.filter(run=run).active().select_related("work")
    }


def test_allocation_gives_every_work_k_reviewers_under_the_rules_and_spreads_regions() -> None:
    step, people = cohort_with_works(
        12,
        communities=["Lagos", "Andes", "Pacific"],
        regions=["africa", "europe", "asia-pacific", "latin-america"],
        not_same=["home_community"],
        spread="region",
    )
    outcome = services.allocate_reviews(step, at=AT)
    pairs = live_pairs(step.run)
    by_id = {p.pk: p for p in people}
    assert outcome.reviews == len(pairs) == 36
    assert Counter(a for _, a in pairs) == dict.fromkeys(by_id, 3)
    assert Counter(r for r, _ in pairs) == dict.fromkeys(by_id, 3)
    assert all(r != a for r, a in pairs)
    assert all(by_id[r].home_community != by_id[a].home_community for r, a in pairs)
    assert outcome.spread_total == outcome.spread_bound
    step.refresh_from_db()
    assert (step.allocated_at, step.allocated_reviews_per_work) == (AT, 3)


def test_allocation_refuses_when_a_rule_blocks_and_saves_nothing_then_relaxes() -> None:
    step, _ = cohort_with_works(
        6, communities=["Lagos", "Lagos", "Lagos", "Lagos", "Andes"], regions=["africa"],
        not_same=["home_community", "region"],
    )  # fmt: skip
    plan = services.plan_allocation(step)
    assert plan.blocking is not None
    assert (plan.blocking.rule, plan.blocking.shortfall) == ("not-same:home_community", 12)
    assert plan.relaxation is not None
    assert plan.relaxation.dropped_not_same == ("home_community", "region")
    with pytest.raises(AllocationInfeasible):
        services.allocate_reviews(step, at=AT)
    assert Review.objects.count() == 0
    step.refresh_from_db()
    assert step.allocated_at is None
    outcome = services.allocate_reviews(step, at=AT, relax=True)
    assert (outcome.reviews, outcome.dropped_not_same) == (18, ("home_community", "region"))
    step.refresh_from_db()
    assert (step.allocated_not_same, step.allocated_reviews_per_work) == ([], 3)


def test_too_few_people_lowers_k_as_the_last_relaxation() -> None:
    step, _ = cohort_with_works(3, communities=[""], regions=[""])
    plan = services.plan_allocation(step)
    assert plan.blocking is not None
    assert plan.blocking.rule == "too-few-people"
    assert plan.relaxation is not None
    assert plan.relaxation.rules.reviews == 2
    outcome = services.allocate_reviews(step, at=AT, relax=True)
    assert (outcome.reviews, outcome.reviews_per_work) == (6, 2)


def test_non_submitters_review_only_when_the_step_says_so() -> None:
    step, people = cohort_with_works(4, communities=[""], regions=[""], reviews_per_work=2)
    idle = participants(step.run, 4)
    services.allocate_reviews(step, at=AT)
    assert {r for r, _ in live_pairs(step.run)} == {p.pk for p in people}

    step2, people2 = cohort_with_works(
        4, communities=[""], regions=[""], reviews_per_work=2, include_non_submitters=True
    )
    idle = participants(step2.run, 4)
    services.allocate_reviews(step2, at=AT)
    given = Counter(r for r, _ in live_pairs(step2.run))
    assert given == dict.fromkeys([p.pk for p in people2 + idle], 1)


def test_late_work_is_repaired_into_the_allocation_with_few_changes() -> None:
    step, _people = cohort_with_works(9, communities=[""], regions=[""])
    services.allocate_reviews(step, at=AT)
    before = live_pairs(step.run)
    (late,) = participants(step.run, 1)
    work = services.save_final_work(
        step.run, late, title="Late", text="Sorry", link="", file=None, clear_file=False,
        submit=True, at=AT + timedelta(days=1),
    )  # fmt: skip
    after = live_pairs(step.run)
    assert work.is_late is True
    assert Counter(a for _, a in after)[late.pk] == 3
    assert Counter(r for r, _ in after)[late.pk] == 3
    assert len(before - after) == 3  # three pairs broken to make room, nothing else moves
    assert len(after - before) == 6


def test_withdrawn_work_loses_its_reviews_and_the_rest_stay_valid() -> None:
    step, people = cohort_with_works(8, communities=[""], regions=[""], reviews_per_work=2)
    services.allocate_reviews(step, at=AT)
    work = FinalWork.objects.get(author=people[0])
    services.withdraw_final_work(work, at=AT)
    pairs = live_pairs(step.run)
    assert people[0].pk not in {a for _, a in pairs}
    assert people[0].pk not in {r for r, _ in pairs}
    assert Counter(a for _, a in pairs) == dict.fromkeys([p.pk for p in people[1:]], 2)
    assert Review.objects.filter(state=ReviewState.CANCELLED).count() >= 2


def test_allocation_task_waits_for_the_deadline_then_allocates_once() -> None:
    step, _ = cohort_with_works(5, communities=[""], regions=[""], reviews_per_work=2)
    with time_machine.travel(step.submissions_close_at - timedelta(minutes=1), tick=False):
        assert task_allocate_reviews.call(step.pk) == "nothing to do"
    with time_machine.travel(step.submissions_close_at, tick=False):
        assert task_allocate_reviews.call(step.pk) == "allocated 10 reviews"
        assert task_allocate_reviews.call(step.pk) == "nothing to do"


def test_notices_and_reminders_are_queued_once_per_reviewer_and_per_review() -> None:
    step, people = cohort_with_works(4, communities=[""], regions=[""], reviews_per_work=2)
    services.allocate_reviews(step, at=AT)
    assert services.notify_reviewers(step, review_ids=None, at=AT) == 4 + 8
    assert services.notify_reviewers(step, review_ids=None, at=AT) == 0
    reminders = OutboxMessage.objects.filter(kind="reviews-reminder")
    assert {m.send_at for m in reminders} == {step.reviews_due_at - timedelta(hours=48)}
    review = Review.objects.filter(reviewer=people[0]).first()
    services.save_review(review, scores={}, answers={}, submit=True, at=AT)
    assert not OutboxMessage.objects.filter(key=f"reviews:reminder:{review.pk}").exists()


@pytest.mark.parametrize(
    ("zone", "local_due", "expected_reminder_utc"),
    [
        # Europe/Berlin moves to summer time on 2021-03-28: 48 real hours, not wall hours.
        ("Europe/Berlin", datetime(2021, 3, 29, 12, 0), datetime(2021, 3, 27, 10, 0, tzinfo=UTC)),
        ("Asia/Kolkata", datetime(2021, 3, 29, 23, 59), datetime(2021, 3, 27, 18, 29, tzinfo=UTC)),
    ],
)
def test_reminder_is_48_real_hours_before_the_deadline_across_dst_and_half_hours(
    zone: str, local_due: datetime, expected_reminder_utc: datetime
) -> None:

    step, people = cohort_with_works(3, communities=[""], regions=[""], reviews_per_work=2)
    step.run.timezone = zone
    step.run.save()
    step.reviews_due_at = local_due.replace(tzinfo=ZoneInfo(zone))
    step.save()
    people[0].timezone = zone
    people[0].save()
    services.allocate_reviews(step, at=AT)
    services.notify_reviewers(step, review_ids=None, at=AT)
    reminder = OutboxMessage.objects.filter(kind="reviews-reminder", user=people[0]).first()
    assert reminder is not None
    assert reminder.send_at == expected_reminder_utc
    assert zone in reminder.body


def test_save_review_keeps_drafts_and_refuses_changes_once_submitted() -> None:
    step, people = cohort_with_works(3, communities=[""], regions=[""], reviews_per_work=2)
    services.allocate_reviews(step, at=AT)
    review = Review.objects.filter(reviewer=people[0]).first()
    services.save_review(
        review, scores={"1": 4, "2": None}, answers={"3": "Good"}, submit=False, at=AT
    )
    review.refresh_from_db()
    assert (review.state, review.scores, review.answers) == ("assigned", {"1": 4}, {"3": "Good"})
    services.save_review(review, scores={"1": 5}, answers={}, submit=True, at=AT)
    with pytest.raises(services.ReviewError):
        services.save_review(review, scores={"1": 1}, answers={}, submit=True, at=AT)


def test_reassigning_cancels_the_old_review_and_never_picks_the_author() -> None:
    step, people = cohort_with_works(4, communities=[""], regions=[""], reviews_per_work=2)
    services.allocate_reviews(step, at=AT)
    review = Review.objects.filter(reviewer=people[0]).select_related("work").first()
    with pytest.raises(services.ReviewError):
        services.reassign_review(review, reviewer=review.work.author, at=AT)
    (helper,) = participants(step.run, 1)
    new = services.reassign_review(review, reviewer=helper, at=AT)
    review.refresh_from_db()
    assert (review.state, new.reviewer, new.work) == ("cancelled", helper, review.work)


def test_results_aggregate_mean_and_median_without_flagged_reviews() -> None:
    step, people = cohort_with_works(5, communities=[""], regions=[""], reviews_per_work=3)
    fit = CriterionFactory(step=step, weight=3, scale_max=5)
    delivery = CriterionFactory(step=step, weight=1, scale_max=4)
    services.allocate_reviews(step, at=AT)
    work = FinalWork.objects.get(author=people[0])
    reviews = list(Review.objects.filter(work=work))
    for review, (a, b) in zip(reviews, [(5, 4), (3, 2), (1, 1)], strict=True):
        services.save_review(
            review, scores={str(fit.pk): a, str(delivery.pk): b}, answers={}, submit=True, at=AT
        )
    services.flag_review(reviews[2], is_flagged=True, note="Scored without reading")
    result = results_for_work(step_with_rubric(step.run), work, include_open=False)
    assert [(c.scores, c.mean, c.median) for c in result.criteria] == [
        ([5, 3], 4.0, 4.0),
        ([4, 2], 3.0, 3.0),
    ]
    assert result.counted == 2
    # (3 * (4-1)/4 + 1 * (3-1)/3) / 4 = (2.25 + 0.6667) / 4
    assert result.overall == pytest.approx(100 * (3 * 0.75 + 2 / 3) / 4)


def test_review_status_counts_given_required_and_received_per_participant() -> None:
    step, people = cohort_with_works(4, communities=[""], regions=[""], reviews_per_work=2)
    (idle,) = participants(step.run, 1)
    services.allocate_reviews(step, at=AT)
    for review in Review.objects.filter(reviewer=people[0]):
        services.save_review(review, scores={}, answers={}, submit=True, at=AT)
    status = review_status(step.run)
    assert status[idle.pk] == ReviewStatus(False, 0, 0, 0, 2)
    assert status[people[0].pk] == ReviewStatus(True, 2, 2, 0, 2)
    received = [status[p.pk].reviews_received for p in people[1:]]
    assert sum(received) == 2
    assert not status[people[0].pk].is_complete


def test_staff_review_is_added_once_and_counts_in_results() -> None:
    step, people = cohort_with_works(3, communities=[""], regions=[""], reviews_per_work=2)
    FeedbackPromptFactory(step=step)
    run = step.run

    facilitator = UserFactory()
    RunRole.objects.create(run=run, user=facilitator, role=Role.FACILITATOR)
    work = FinalWork.objects.get(author=people[0])
    first = services.add_staff_review(work, reviewer=facilitator, at=AT)
    assert services.add_staff_review(work, reviewer=facilitator, at=AT) == first
    assert first.is_by_staff is True
