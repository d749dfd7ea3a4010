"""From scores to seats: selection, decisions, messages, offers, the waitlist."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cohortkit.applications import services
from cohortkit.applications.models import (
    ApplicationForm,
    ApplicationReview,
    Decision,
    Offer,
    OfferState,
    Outcome,
    Quota,
    Seats,
)
from cohortkit.courses.models import Role, RunRole
from cohortkit.notifications.models import MailState, OutboxMessage
from tests.factories import RunFactory, RunRoleFactory, UserFactory
from tests.factories.applications import (
    ApplicationFactory,
    ApplicationReviewFactory,
    CriterionFactory,
)

CLOSED = datetime(2021, 1, 16, tzinfo=UTC)


def scored(run, score: float, **kwargs: object):
    application = ApplicationFactory(run=run, **kwargs)
    ApplicationReviewFactory(application=application, score=score, submitted_at=CLOSED)
    return application


@pytest.fixture
def run(db: None):
    run = RunFactory(capacity=2)
    ApplicationForm.objects.create(run=run, offer_days=7, lottery_seed=7)
    return run


def outcomes(run) -> dict[str, tuple[str, int | None]]:
    return {
        d.application.applicant.display_name: (d.outcome, d.waitlist_rank)
        for d in Decision.objects.filter(application__run=run).select_related(
            "application__applicant"
        )
    }


def test_selection_fills_seats_by_score_keeping_quotas_and_ranks_the_rest(run) -> None:
    coordinator = UserFactory()
    scored(run, 5.0, applicant__display_name="A", region="europe")
    scored(run, 4.5, applicant__display_name="B", region="europe")
    scored(run, 3.0, applicant__display_name="C", region="africa")
    scored(run, 2.0, applicant__display_name="D", region="africa")
    scored(run, 4.9, applicant__display_name="E", is_eligible=False)
    Quota.objects.create(run=run, kind="at_least", column="region", value="africa", count=1)
    services.record_selection(run, by=coordinator, at=CLOSED)
    assert outcomes(run) == {
        "A": (Outcome.SELECTED, None),
        "C": (Outcome.SELECTED, None),
        "B": (Outcome.WAITLISTED, 1),
        "D": (Outcome.WAITLISTED, 2),
        "E": (Outcome.NOT_SELECTED, None),
    }
    reasons = {d.application.applicant.display_name: d.reason for d in Decision.objects.all()}
    assert reasons["C"] == "Selected to meet the quota at-least region=africa:1."


def test_infeasible_quotas_are_named_on_the_selection_page(run) -> None:
    coordinator = UserFactory(is_staff=True)
    scored(run, 5.0, region="europe")
    Quota.objects.create(run=run, kind="at_least", column="region", value="africa", count=1)
    client = Client()
    client.force_login(coordinator)
    kwargs = {"slug": run.course.slug, "run": run.slug}
    page = client.get(reverse("applications:selection", kwargs=kwargs)).content.decode()
    assert "These quotas cannot hold together:" in page
    assert "at-least region=africa:1" in page
    response = client.post(reverse("applications:record", kwargs=kwargs), follow=True)
    assert "at-least region=africa:1" in response.content.decode()
    assert not Decision.objects.exists()


def test_what_if_preview_changes_nothing(run) -> None:
    coordinator = UserFactory(is_staff=True)
    for score in (5, 4, 3):
        scored(run, score)
    client = Client()
    client.force_login(coordinator)
    url = reverse("applications:selection", kwargs={"slug": run.course.slug, "run": run.slug})
    page = client.get(url, {"seats": "1", "quotas": "at-most region=europe:0"}).content.decode()
    assert "0 selected" in page
    bad = client.get(url, {"quotas": "at least europe"}).content.decode()
    assert "is not like at-least region=africa:5" in bad
    assert (Decision.objects.count(), Quota.objects.count()) == (0, 0)


def test_override_records_who_and_why(run) -> None:
    coordinator = UserFactory()
    application = scored(run, 1.0)
    services.record_selection(run, by=coordinator, at=CLOSED)
    decision = services.override_decision(
        application,
        outcome=Outcome.SELECTED,
        note="Brings a partner already.",
        by=coordinator,
        at=CLOSED,
    )
    assert (decision.outcome, decision.is_override, decision.reason, decision.decided_by) == (
        Outcome.SELECTED,
        True,
        "Brings a partner already.",
        coordinator,
    )


def test_decision_messages_are_drafts_in_each_language_released_for_the_notification_time(
    run,
) -> None:
    coordinator = UserFactory()
    chosen = scored(run, 5.0, applicant__interface_language="fr")
    scored(run, 4.0, applicant__interface_language="es")
    scored(run, 3.0)
    services.record_selection(run, by=coordinator, at=CLOSED, seats=1)
    assert services.prepare_decision_messages(run) == 3
    assert services.prepare_decision_messages(run) == 0  # idempotent
    drafts = {(m.kind, m.language, m.state, m.send_at) for m in OutboxMessage.objects.all()}
    assert drafts == {
        ("application-selected", "fr", MailState.DRAFT, run.notification_at),
        ("application-waitlisted", "es", MailState.DRAFT, run.notification_at),
        ("application-waitlisted", "en", MailState.DRAFT, run.notification_at),
    }
    french = OutboxMessage.objects.get(language="fr")
    assert "Félicitations" in french.body or "Congratulations" in french.body
    french.body = "Edited by hand."
    french.save()
    with time_machine.travel(CLOSED, tick=False):
        assert services.release_decisions(run, at=CLOSED) == 3
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {MailState.QUEUED}
    assert OutboxMessage.objects.get(pk=french.pk).body == "Edited by hand."
    offer = Offer.objects.get()
    assert (offer.application, offer.offered_at, offer.respond_by) == (
        chosen,
        run.notification_at,
        run.notification_at + timedelta(days=7),
    )


def released(run, *scores: float, quotas: list[Quota] | None = None) -> list:
    applications = [scored(run, s, applicant__display_name=f"S{s}") for s in scores]
    services.record_selection(run, by=UserFactory(), at=CLOSED)
    services.prepare_decision_messages(run)
    services.release_decisions(run, at=CLOSED)
    return applications


def test_confirming_adds_the_participant_and_counts_the_seat(run) -> None:
    first, _second, _third = released(run, 5, 4, 3)
    offer = Offer.objects.get(application=first)
    services.confirm_offer(offer, at=run.notification_at + timedelta(hours=1))
    assert Offer.objects.get(pk=offer.pk).state == OfferState.CONFIRMED
    assert RunRole.objects.filter(run=run, user=first.applicant, role=Role.PARTICIPANT).exists()
    assert Seats.objects.get(run=run).confirmed == 1


def test_confirming_after_the_deadline_is_refused(run) -> None:
    first, *_rest = released(run, 5, 4, 3)
    offer = Offer.objects.get(application=first)
    with pytest.raises(services.ApplicationError):
        services.confirm_offer(offer, at=offer.respond_by)
    assert Seats.objects.get(run=run).confirmed == 0


def test_declining_offers_the_seat_to_the_best_waitlisted_and_mails_them(run) -> None:
    first, _second, third, _fourth = released(run, 5, 4, 3, 2)
    at = run.notification_at + timedelta(hours=2)
    made = services.decline_offer(Offer.objects.get(application=first), at=at)
    assert [offer.application for offer in made] == [third]
    assert Decision.objects.get(application=third).outcome == Outcome.SELECTED
    mail = OutboxMessage.objects.get(kind="application-offer")
    assert (mail.recipient, mail.state) == (third.applicant.email, MailState.QUEUED)


def test_promotion_keeps_the_quotas(run) -> None:
    Quota.objects.create(run=run, kind="at_least", column="region", value="africa", count=1)
    europe = scored(run, 5, region="europe")
    africa = scored(run, 1, region="africa")
    europe_waiting = scored(run, 4, region="europe")
    africa_waiting = scored(run, 0.5, region="africa")
    services.record_selection(run, by=UserFactory(), at=CLOSED)
    services.release_decisions(run, at=CLOSED)
    assert set(Offer.objects.values_list("application", flat=True)) == {europe.pk, africa.pk}
    made = services.decline_offer(Offer.objects.get(application=africa), at=run.notification_at)
    assert [o.application for o in made] == [africa_waiting]
    assert not Offer.objects.filter(application=europe_waiting).exists()


def test_expire_offers_command_frees_overdue_seats_for_the_waitlist(run) -> None:
    first, second, third = released(run, 5, 4, 3)
    services.confirm_offer(Offer.objects.get(application=second), at=run.notification_at)
    deadline = Offer.objects.get(application=first).respond_by
    with time_machine.travel(deadline + timedelta(minutes=1), tick=False):
        call_command("expire_offers", stdout=io.StringIO())
    states = {o.application_id: o.state for o in Offer.objects.all()}
    assert states == {
        first.pk: OfferState.EXPIRED,
        second.pk: OfferState.CONFIRMED,
        third.pk: OfferState.OPEN,
    }


def test_the_run_never_has_more_confirmed_than_seats(run) -> None:
    applications = [scored(run, 5) for _ in range(3)]
    for application in applications:
        Offer.objects.create(
            application=application, offered_at=CLOSED, respond_by=CLOSED + timedelta(days=7)
        )
    at = CLOSED + timedelta(hours=1)
    for offer in Offer.objects.all()[:2]:
        services.confirm_offer(offer, at=at)
    with pytest.raises(services.RunFull):
        services.confirm_offer(Offer.objects.last(), at=at)
    assert Offer.objects.filter(state=OfferState.CONFIRMED).count() == 2
    assert Offer.objects.last().state == OfferState.OPEN


def test_reviewer_sees_others_scores_only_after_submitting(db: None) -> None:
    run = RunFactory()
    criterion = CriterionFactory(run=run)
    alice, bob = UserFactory(), UserFactory()
    for person in (alice, bob):
        RunRoleFactory(run=run, user=person, role=Role.REVIEWER)
    application = ApplicationFactory(run=run)
    ApplicationReviewFactory(
        application=application, reviewer=bob, score=4.0, submitted_at=CLOSED, comment="Bob's view"
    )
    mine = ApplicationReviewFactory(application=application, reviewer=alice)
    client = Client()
    client.force_login(alice)
    url = reverse(
        "applications:review", kwargs={"slug": run.course.slug, "run": run.slug, "pk": mine.pk}
    )
    assert "Bob&#x27;s view" not in client.get(url).content.decode()
    response = client.post(url, {f"score_{criterion.pk}": "3", "comment": "Fine"})
    assert response.status_code == 302
    assert (
        ApplicationReview.objects.get(pk=mine.pk).score,
        ApplicationReview.objects.get(pk=mine.pk).comment,
    ) == (3.0, "Fine")
    assert "Bob&#x27;s view" in client.get(url).content.decode()


def test_rubric_weights_must_add_up_to_one(db: None) -> None:
    run = RunFactory()
    coordinator = UserFactory(is_staff=True)
    client = Client()
    client.force_login(coordinator)
    url = reverse("applications:setup", kwargs={"slug": run.course.slug, "run": run.slug})
    post = {
        "section": "criteria",
        "criteria-TOTAL_FORMS": "2", "criteria-INITIAL_FORMS": "0",
        "criteria-0-name": "Motivation", "criteria-0-weight": "0.5", "criteria-0-position": "1",
        "criteria-1-name": "Fit", "criteria-1-weight": "0.4", "criteria-1-position": "2",
    }  # fmt: skip
    response = client.post(url, post)
    assert response.status_code == 400
    assert "The weights add up to 0.9; they must add up to 1." in response.content.decode()
    assert "Motivation" in response.content.decode()
    post["criteria-1-weight"] = "0.5"
    assert client.post(url, post).status_code == 302
    assert sorted(run.criteria.values_list("name", flat=True)) == ["Fit", "Motivation"]


def test_assignment_gives_two_reviewers_never_self_or_same_community(db: None) -> None:
    run = RunFactory()
    reviewers = [UserFactory(home_community=c) for c in ("North", "South", "East")]
    for person in reviewers:
        RunRoleFactory(run=run, user=person, role=Role.REVIEWER)
    applications = [
        ApplicationFactory(run=run, home_community=c) for c in ("North", "South", "East", "West")
    ]
    ApplicationFactory(run=run, applicant=reviewers[0], home_community="West")
    assert services.assign_application_reviewers(run) == 10
    for application in run.applications.all():
        people = list(application.reviews.values_list("reviewer__home_community", "reviewer"))
        assert len(people) == 2
        assert all(
            c != application.home_community and r != application.applicant_id for c, r in people
        )
    loads = sorted(ApplicationReview.objects.filter(reviewer=r).count() for r in reviewers)
    assert loads[-1] - loads[0] <= 1
    assert len(applications) == 4


def test_a_quota_reads_as_a_sentence_in_the_interface_language() -> None:
    quota = Quota(kind="at_least", column="region", value="africa", count=4)
    assert str(quota) == "at least 4 whose “region” is “africa”"
    with translation.override("es"):
        assert str(quota) == "al menos 4 cuya respuesta a «region» es «africa»"
