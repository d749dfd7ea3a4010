"""What applications holds about a person: their applications (answers, decisions, offers)
and the scores they gave as a reviewer of applications.

Erasing clears the answers as the keeping-time purge does (services.purge_expired_answers)
and keeps that they applied, the decision and any offer: seat counters, the waitlist and the
run's figures stay right, and a confirmed seat is not freed after the fact (withdrawing is a
separate step, before deleting the account). Scores they gave stay (selections were made with
them); their comments on applicants are cleared."""

from datetime import datetime
from typing import Any

from cohortkit.accounts.models import User
from cohortkit.applications.models import (
    Application,
    ApplicationForm,
    ApplicationReview,
    Decision,
    Offer,
)

COVERS = frozenset(
    {
        "applications.Application",
        "applications.ApplicationForm",
        "applications.ApplicationReview",
        "applications.Decision",
    }
)


def _run(run: Any) -> str:
    return f"{run.course.slug}/{run.slug}"


def _decision(decision: Decision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {
        "outcome": decision.outcome,
        "waitlist_rank": decision.waitlist_rank,
        "decided_at": decision.decided_at,
    }


def _offer(offer: Offer | None) -> dict[str, Any] | None:
    if offer is None:
        return None
    return {
        "state": offer.state,
        "offered_at": offer.offered_at,
        "respond_by": offer.respond_by,
        "responded_at": offer.responded_at,
    }


def export(person: User) -> dict[str, list[dict[str, Any]]]:
    applications = (
        Application.objects.filter(applicant=person)
        .select_related("run__course")
        .select_related("decision", "offer")
        .order_by("pk")
    )
    reviews = (
        ApplicationReview.objects.filter(reviewer=person)
        .select_related("application__run__course")
        .order_by("pk")
    )
    return {
        "applications": [
            {
                "run": _run(item.run),
                "state": item.state,
                "contact_email": item.contact_email,
                "timezone": item.timezone,
                "languages": item.languages,
                "wiki_username": item.wiki_username,
                "home_community": item.home_community,
                "region": item.region,
                "experience": item.experience,
                "answers": item.answers,
                "consent_at": item.consent_at,
                "submitted_at": item.submitted_at,
                "withdrawn_at": item.withdrawn_at,
                "answers_deleted_at": item.purged_at,
                "decision": _decision(getattr(item, "decision", None)),
                "offer": _offer(getattr(item, "offer", None)),
            }
            for item in applications
        ],
        "application_scores_given": [
            {
                "run": _run(review.application.run),
                "application": review.application_id,
                "scores": review.scores,
                "score": review.score,
                "comment": review.comment,
                "submitted_at": review.submitted_at,
            }
            for review in reviews
        ],
        # Decisions recorded early on their word (`decisions_override_by`): a staff record
        # that stays after deletion, naming the tombstone, as `decided_by` does.
        "decision_overrides_made": [
            {
                "run": _run(form.run),
                "at": form.decisions_override_at,
                "note": form.decisions_override_note,
            }
            for form in ApplicationForm.objects.filter(decisions_override_by=person)
            .select_related("run__course")
            .order_by("pk")
        ],
    }


def erase(person: User, *, at: datetime, keep_certificates: bool) -> None:
    mine = Application.objects.filter(applicant=person)
    ApplicationReview.objects.filter(application__in=mine).update(comment="")
    mine.update(
        answers={},
        contact_email="",
        wiki_username="",
        home_community="",
        languages=[],
        region="",
        experience="",
        timezone="",
        purged_at=at,
    )
    ApplicationReview.objects.filter(reviewer=person).update(comment="")
    # Decisions they made (`decided_by`, `override_by`) stay, naming the tombstone.
