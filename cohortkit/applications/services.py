"""Every change to applications with consequences: drafts, submission, review, selection,
notification, offers and the waitlist. Each function is one transaction."""

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from cohortkit.accounts.models import User
from cohortkit.applications import selection
from cohortkit.applications.assignment import ReviewApplication, Reviewer, assign_reviewers
from cohortkit.applications.models import (
    Application,
    ApplicationForm,
    ApplicationReview,
    ApplicationState,
    Criterion,
    Decision,
    EligibilityRule,
    Offer,
    OfferState,
    Outcome,
    Question,
    Quota,
    RuleKind,
    Seats,
    Unreviewed,
)
from cohortkit.applications.queries import (
    form_for,
    quota_value_error,
    quota_values,
    quotas_for,
    selection_applicants,
    selection_readiness,
)
from cohortkit.courses.models import Role, Run, RunRole
from cohortkit.notifications.models import MailState, OutboxMessage
from cohortkit.notifications.services import (
    Mail,
    queue_mail,
    queue_mails,
    release_drafts,
    render_mail,
    retry_message,
)
from cohortkit.scheduling.services import queue_welcome_mail, revoke_calendar_token
from cohortkit.translations.mail import mail_texts, mail_titles
from cohortkit.translations.queries import TextLookup
from cohortkit.wiki import queries as wiki_queries
from cohortkit.wiki.queries import Experience
from cohortkit.wiki.tasks import task_read_wiki_figures

BUILT_IN = ("timezone", "languages", "wiki_username", "home_community", "region", "experience")
DECISION_KINDS = {
    Outcome.SELECTED: "application-selected",
    Outcome.WAITLISTED: "application-waitlisted",
    Outcome.NOT_SELECTED: "application-not-selected",
}


class ApplicationError(Exception):
    """A change refused for a reason the person can act on; the message says which."""


class ApplicationClosed(ApplicationError):
    pass


class RunFull(ApplicationError):
    pass


class EmailNotVerified(ApplicationError):
    pass


def _application_for(run: Run, applicant: User) -> Application:
    """The person's application to the run, created as a draft; two tabs get the same row."""
    try:
        with transaction.atomic():
            application, _created = Application.objects.get_or_create(
                run=run,
                applicant=applicant,
                defaults={"contact_email": applicant.email, "timezone": applicant.timezone},
            )
    except IntegrityError:
        application = Application.objects.get(run=run, applicant=applicant)
    return application


def _store(application: Application, data: Mapping[str, Any]) -> None:
    for name in BUILT_IN:
        if name in data:
            setattr(application, name, data[name])
    application.answers = {
        key: value for key, value in data.items() if key.startswith("q") and key[1:].isdigit()
    }


def save_draft(*, run: Run, applicant: User, data: Mapping[str, Any], at: datetime) -> Application:
    """Store what the applicant typed so far, valid or not, on their draft application.

    A submitted application is not touched (its changes go through `submit_application`).
    Drafts are kept even after the window closes: they are the applicant's own notes.
    Nothing is sent.
    """
    with transaction.atomic():
        application = _application_for(run, applicant)
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state != ApplicationState.DRAFT:
            return application
        _store(application, data)
        application.draft_saved_at = at
        application.save()
    return application


def check_eligibility(
    application: Application,
    rules: Iterable[EligibilityRule],
    experience: Experience | None = None,
) -> None:
    """Set `is_eligible` and the reason from the rules (in memory; the caller saves).

    Wiki rules read `experience`, the applicant's stored figures on the run's wikis
    (`wiki.queries.experiences`); without figures (no verified wiki account, or not read
    yet) a wiki rule is not met. An account's age is counted in calendar days up to the
    close of applications in the run's zone, so the verdict does not change while the figures
    stay the same."""
    values = application.attributes()
    reasons = []
    for rule in rules:
        if rule.kind == RuleKind.ANSWER:
            answer = values.get(rule.column, "")
            given = answer if isinstance(answer, frozenset) else {answer}
            met = bool(given & set(rule.allowed))
        elif experience is None:
            met = False
        elif rule.kind == RuleKind.WIKI_EDITS:
            met = experience.edit_count >= (rule.minimum or 0)
        elif rule.kind == RuleKind.WIKI_AGE:
            run = application.run
            age = experience.account_age_days(run.applications_close_at, run.zone)
            met = age is not None and age >= (rule.minimum or 0)
        else:
            met = bool(experience.groups & set(rule.allowed))
        if not met:
            reasons.append(rule.reason)
    application.is_eligible = not reasons
    application.eligibility_reason = "; ".join(reasons)


def _experience(run: Run, person: User, rules: Iterable[EligibilityRule]) -> Experience | None:
    if all(rule.kind == RuleKind.ANSWER for rule in rules):
        return None
    return wiki_queries.experiences(run, [person.pk]).get(person.pk)


def submit_application(
    *, run: Run, applicant: User, data: Mapping[str, Any], at: datetime
) -> Application:
    """Submit (or update) the application with validated answers, if the window is open.

    Records the privacy consent and the answers' purge date, applies the eligibility rules
    and queues one confirmation mail (a second submission sends nothing more: the mail's key
    is the application). After the deadline nothing changes and ApplicationClosed is raised;
    the caller keeps the draft with `save_draft`. An applicant whose e-mail address is not
    verified cannot submit (EmailNotVerified): every later message goes to that address.
    """
    if not applicant.is_email_verified:
        raise EmailNotVerified(_("Please verify your e-mail address first: we write to it."))
    if not run.accepts_applications_at(at):
        raise ApplicationClosed(
            _("Applications closed at the deadline; your draft is kept but was not submitted.")
        )
    with transaction.atomic():
        application = _application_for(run, applicant)
        application = Application.objects.select_for_update().get(pk=application.pk)
        _store(application, data)
        application.contact_email = applicant.email
        if application.state != ApplicationState.SUBMITTED:
            application.submitted_at = at
        application.state = ApplicationState.SUBMITTED
        application.consent_at = application.consent_at or at
        application.purge_on = form_for(run).purge_on()
        application.withdrawn_at = None
        verified = wiki_queries.verified_username(applicant)
        if verified:
            # The wiki account the applicant proved is theirs, not whatever was typed.
            application.wiki_username = verified
        rules = list(run.eligibility_rules.all())
        check_eligibility(application, rules, _experience(run, applicant, rules))
        application.save()
        if verified:
            wiki_ids = list(wiki_queries.run_wiki_ids(run))
            if wiki_ids:
                # Fresh figures for the rules and the reviewers; eligibility is checked again
                # when they are stored (receivers.py).
                transaction.on_commit(
                    lambda: task_read_wiki_figures.enqueue(applicant.pk, wiki_ids)
                )
        language = applicant.mail_language
        subject, body = render_mail(
            "applications/mail/submitted",
            {
                "application": application,
                "run": run,
                **mail_titles(run, mail_texts(run.course, [language], runs=[run])[language]),
                "url": settings.SITE_URL + _apply_url(run),
            },
            language=language,
        )
        queue_mail(
            recipient=applicant.email,
            subject=subject,
            body=body,
            kind="application-submitted",
            language=language,
            user=applicant,
            run=run,
            key=f"application-submitted-{application.pk}",
        )
    return application


def _apply_url(run: Run) -> str:
    return reverse("applications:apply", kwargs={"slug": run.course.slug, "run": run.slug})


def withdraw_application(application: Application, *, at: datetime) -> None:
    """Withdraw the application; an open offer is declined and a confirmed seat given up
    (`give_up_seat`), each seat passed on down the waitlist."""
    with transaction.atomic():
        application.state = ApplicationState.WITHDRAWN
        application.withdrawn_at = at
        application.save(update_fields=["state", "withdrawn_at"])
        offer = Offer.objects.filter(
            application=application, state__in=[OfferState.OPEN, OfferState.CONFIRMED]
        ).first()
        if offer is not None and offer.state == OfferState.OPEN:
            decline_offer(offer, at=at)
        elif offer is not None:
            give_up_seat(offer, at=at)
        renumber_waitlist(application.run)


def give_up_seat(offer: Offer, *, at: datetime) -> list[Offer]:
    """A confirmed seat is given up (the person withdraws): the offer counts as declined,
    the run's seat counter falls by one, the person's participant role and personal calendar
    feed end, and the seat is offered down the waitlist (`promote_from_waitlist`: offers and
    mail). Returns the new offers. Raises ApplicationError when the offer is not confirmed."""
    with transaction.atomic():
        given_up = Offer.objects.filter(pk=offer.pk, state=OfferState.CONFIRMED).update(
            state=OfferState.DECLINED, responded_at=at
        )
        if not given_up:
            raise ApplicationError(_("This seat is not confirmed."))
        offer.state = OfferState.DECLINED
        run = offer.application.run
        person = offer.application.applicant
        Seats.objects.filter(run=run, confirmed__gt=0).update(confirmed=F("confirmed") - 1)
        RunRole.objects.filter(run=run, user=person, role=Role.PARTICIPANT).delete()
        revoke_calendar_token(run, person, at=at)
        return promote_from_waitlist(run, at=at)


def recheck_eligibility(run: Run, *, people: Iterable[int] | None = None) -> int:
    """Apply the run's current rules to every submitted application (or those of `people`),
    with the applicants' stored wiki figures; returns how many were checked."""
    rules = list(run.eligibility_rules.all())
    applications = list(run.applications.submitted().select_related("run"))
    if people is not None:
        wanted = set(people)
        applications = [a for a in applications if a.applicant_id in wanted]
    found = (
        wiki_queries.experiences(run, [a.applicant_id for a in applications])
        if any(rule.kind != RuleKind.ANSWER for rule in rules)
        else {}
    )
    with transaction.atomic():
        for application in applications:
            check_eligibility(application, rules, found.get(application.applicant_id))
        Application.objects.bulk_update(applications, ["is_eligible", "eligibility_reason"])
    return len(applications)


def override_eligibility(
    application: Application, *, eligible: bool | None, reason: str, by: User, at: datetime
) -> None:
    """Record a coordinator's verdict (None goes back to the rules), with who and why."""
    application.eligibility_override = eligible
    application.override_reason = reason if eligible is not None else ""
    application.override_by = by if eligible is not None else None
    application.override_at = at if eligible is not None else None
    application.save(
        update_fields=["eligibility_override", "override_reason", "override_by", "override_at"]
    )


def update_form_settings(form: ApplicationForm, *, values: Mapping[str, Any]) -> None:
    """Store the call's settings (privacy notice, review and offer settings) on the run's
    application form, creating it if the run had none. Sends nothing."""
    with transaction.atomic():
        for name, value in values.items():
            setattr(form, name, value)
        form.full_clean(validate_unique=False)
        form.save()


def _saved_form(run: Run) -> ApplicationForm:
    form = form_for(run)
    if form.pk is None:
        form.save()
    return form


def save_questions(
    run: Run, *, changed: Iterable[Question], deleted: Iterable[Question] = ()
) -> None:
    """Save the coordinator's new and edited questions and delete the removed ones, all at
    once; the run's application form is created if it had none. Sends nothing."""
    with transaction.atomic():
        form = _saved_form(run)
        for question in deleted:
            if question.pk is not None and question.form_id == form.pk:
                question.delete()
        for question in changed:
            question.form = form
            question.save()


def save_criteria(
    run: Run, *, changed: Iterable[Criterion], deleted: Iterable[Criterion] = ()
) -> None:
    """Save the review rubric's new and edited criteria and delete the removed ones at once.

    Refuses (ApplicationError, nothing saved) when the weights of the resulting rubric do
    not add up to 1. Sends nothing."""
    with transaction.atomic():
        for criterion in deleted:
            if criterion.pk is not None and criterion.run_id == run.pk:
                criterion.delete()
        for criterion in changed:
            criterion.run = run
            criterion.save()
        total = sum((c.weight for c in run.criteria.all()), Decimal(0))
        if total and total != Decimal(1):
            raise ApplicationError(
                _("The weights add up to %(total)s; they must add up to 1.") % {"total": total}
            )


def save_eligibility_rules(
    run: Run, *, changed: Iterable[EligibilityRule], deleted: Iterable[EligibilityRule] = ()
) -> int:
    """Save the run's new and edited eligibility rules, delete the removed ones, and apply
    the resulting rules again to every submitted application, in one transaction.
    Returns the number of applications checked. Sends nothing."""
    with transaction.atomic():
        for rule in deleted:
            if rule.pk is not None and rule.run_id == run.pk:
                rule.delete()
        for rule in changed:
            rule.run = run
            rule.save()
        return recheck_eligibility(run)


def save_quotas(run: Run, *, changed: Iterable[Quota], deleted: Iterable[Quota] = ()) -> None:
    """Save the run's new and edited quotas and delete the removed ones, in one transaction.

    Refuses (ApplicationError, nothing saved) a quota whose value is not one of the answers
    its question allows (see `quota_values`), naming the allowed ones. Sends nothing."""
    with transaction.atomic():
        allowed = quota_values(run)
        for quota in deleted:
            if quota.pk is not None and quota.run_id == run.pk:
                quota.delete()
        for quota in changed:
            problem = quota_value_error(quota.column, quota.value, allowed)
            if problem:
                raise ApplicationError(problem)
            quota.run = run
            quota.save()


def edit_draft_message(message: OutboxMessage, *, subject: str, body: str) -> None:
    """Change the subject and body of a decision mail that is still a draft.

    Raises ApplicationError (nothing changes) once the message is queued or sent: what
    applicants receive is only ever what the coordinator saw. Sends nothing."""
    with transaction.atomic():
        updated = OutboxMessage.objects.filter(pk=message.pk, state=MailState.DRAFT).update(
            subject=subject, body=body
        )
        if not updated:
            raise ApplicationError(_("Only drafts can be edited; this message is already queued."))
    message.subject, message.body = subject, body


def assign_application_reviewers(run: Run) -> int:
    """Give every eligible application enough reviewers, keeping existing assignments.

    Uses the balanced assignment (nobody reviews themselves or their own community).
    Creates review rows; sends nothing. Returns the number of new assignments. Raises
    AssignmentError (with the application named) when it cannot be done.
    """
    per_application = form_for(run).reviewers_per_application
    applications = list(run.applications.eligible().select_related("applicant"))
    reviewers = list(
        User.objects.filter(run_roles__run=run, run_roles__role=Role.REVIEWER).distinct()
    )
    existing: dict[str, list[str]] = {}
    for application_id, reviewer_id in ApplicationReview.objects.filter(
        application__run=run
    ).values_list("application_id", "reviewer_id"):
        existing.setdefault(str(application_id), []).append(str(reviewer_id))
    result = assign_reviewers(
        [
            ReviewApplication(
                id=str(a.pk), applicant=str(a.applicant_id), community=a.home_community
            )
            for a in applications
        ],
        [Reviewer(id=str(r.pk), community=r.home_community) for r in reviewers],
        per_application=per_application,
        existing={a: r for a, r in existing.items() if a in {str(x.pk) for x in applications}},
    )
    new = [
        ApplicationReview(application_id=int(application_id), reviewer_id=int(reviewer_id))
        for application_id, chosen in result.reviewers.items()
        for reviewer_id in chosen
        if reviewer_id not in existing.get(application_id, [])
    ]
    with transaction.atomic():
        ApplicationReview.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def weighted_score(scores: Mapping[int, int], criteria: Iterable[Criterion]) -> float:
    """Sum of weight times score over the rubric; weights sum to 1, so the range is 1 to 5."""
    return float(sum(Decimal(scores[c.pk]) * c.weight for c in criteria))


def submit_review(
    review: ApplicationReview, *, scores: Mapping[int, int], comment: str, at: datetime
) -> None:
    """Record the reviewer's scores and comment (may be revised); sends nothing."""
    criteria = list(review.application.run.criteria.all())
    review.scores = {str(key): value for key, value in scores.items()}
    review.score = weighted_score(scores, criteria)
    review.comment = comment
    review.submitted_at = review.submitted_at or at
    review.save(update_fields=["scores", "score", "comment", "submitted_at"])


class SelectionNotReady(ApplicationError):
    """Decisions asked for before the window closed or every review was in, unconfirmed."""


def record_selection(
    run: Run,
    *,
    by: User,
    at: datetime,
    seats: int | None = None,
    override: Unreviewed | None = None,
) -> selection.Selection:
    """Run the exact selector on the eligible, reviewed applications and store every decision.

    Allowed once the application window has closed and every assigned review is in. Before
    that, only with `override` (the coordinator's confirmed choice): the form records who
    overrode, when, and what was missing, and applicants nobody has reviewed are never
    scored 0: they are left out (not selected) or put at the end of the waitlist, marked
    as not reviewed, as `override` says. Without it SelectionNotReady names what is missing.
    Submitted applications that are not eligible are not selected. Decisions stay
    invisible to applicants until released. Raises InfeasibleQuotas naming the quotas.
    """
    form = form_for(run)
    if form.decisions_released_at is not None:
        raise ApplicationError(_("The decisions were already released."))
    readiness = selection_readiness(run, at=at)
    if not readiness.is_ready and override is None:
        raise SelectionNotReady(
            _("Decisions cannot be recorded yet: %(missing)s.") % {"missing": readiness.missing()}
        )
    result = selection.select_applicants(
        selection_applicants(run),
        seats=run.capacity if seats is None else seats,
        quotas=quotas_for(run),
        seed=form.lottery_seed,
    )
    ranks = {key: rank for rank, key in enumerate(result.waitlist, start=1)}
    scored = {applicant.id for applicant in selection_applicants(run)}
    eligible = {str(pk) for pk in run.applications.eligible().values_list("pk", flat=True)}
    with transaction.atomic():
        if form.pk is None:
            form.save()
        Decision.objects.filter(application__run=run).delete()
        decisions = []
        for application in run.applications.submitted().order_by("pk"):
            key = str(application.pk)
            reason = result.reasons.get(key)
            rank = ranks.get(key)
            code: str
            if key in result.selected:
                outcome, code = Outcome.SELECTED, reason.code if reason else ""
            elif rank is not None:
                outcome, code = Outcome.WAITLISTED, reason.code if reason else ""
            elif key in eligible and key not in scored and override == Unreviewed.WAITLIST:
                ranks[key] = rank = len(ranks) + 1
                outcome, code = Outcome.WAITLISTED, "waitlisted_not_reviewed"
            elif key in eligible and key not in scored:
                outcome, code = Outcome.NOT_SELECTED, "not_reviewed"
            else:
                outcome, code = Outcome.NOT_SELECTED, "not_eligible"
            decisions.append(
                Decision(
                    application=application,
                    outcome=outcome,
                    waitlist_rank=rank,
                    reason_code=code,
                    reason_quota=(reason.quota or "") if reason else "",
                    lottery_seed=result.seed,
                    lottery_rank=result.lottery_ranks.get(key),
                    decided_by=by,
                    decided_at=at,
                )
            )
        Decision.objects.bulk_create(decisions)
        early = not readiness.is_ready
        form.decisions_override_at = at if early else None
        form.decisions_override_by = by if early else None
        form.decisions_override_note = readiness.missing() if early else ""
        form.decisions_unreviewed = (override or "") if early else ""
        form.save(
            update_fields=[
                "decisions_override_at",
                "decisions_override_by",
                "decisions_override_note",
                "decisions_unreviewed",
            ]
        )
    return result


def override_decision(
    application: Application, *, outcome: str, note: str, by: User, at: datetime
) -> Decision:
    """Set one person's outcome by hand, with the coordinator's reason; waitlisted people
    go to the end of the waitlist. Refused once decisions are released."""
    if form_for(application.run).decisions_released_at is not None:
        raise ApplicationError(_("The decisions were already released."))
    with transaction.atomic():
        rank = None
        if outcome == Outcome.WAITLISTED:
            last = (
                Decision.objects.filter(application__run=application.run)
                .exclude(application=application)
                .order_by("-waitlist_rank")
                .values_list("waitlist_rank", flat=True)
                .first()
            )
            rank = (last or 0) + 1
        decision, _created = Decision.objects.update_or_create(
            application=application,
            defaults={
                "outcome": outcome,
                "waitlist_rank": rank,
                "note": note,
                "is_override": True,
                "decided_by": by,
                "decided_at": at,
                "lottery_seed": form_for(application.run).lottery_seed,
            },
        )
    return decision


def _decision_texts(run: Run, decisions: Iterable[Decision]) -> dict[str, TextLookup]:
    """The course's texts in the language of each decision's mail (two queries at most)."""
    languages = {decision.application.applicant.mail_language for decision in decisions}
    return mail_texts(run.course, languages, runs=[run])


def _decision_mail(
    decision: Decision, run: Run, *, respond_by: datetime | None, texts: dict[str, TextLookup]
) -> tuple[str, str, str]:
    """The decision's subject and body, and their language; `texts` has that language's
    lookup (`_decision_texts`)."""
    application = decision.application
    language = application.applicant.mail_language
    template = {
        Outcome.SELECTED: "applications/mail/selected",
        Outcome.WAITLISTED: "applications/mail/waitlisted",
        Outcome.NOT_SELECTED: "applications/mail/not_selected",
    }[Outcome(decision.outcome)]
    subject, body = render_mail(
        template,
        {
            "application": application,
            "run": run,
            **mail_titles(run, texts[language]),
            "decision": decision,
            "respond_by": respond_by,
            "zone": application.timezone or application.applicant.timezone or "UTC",
            "url": settings.SITE_URL + _apply_url(run),
        },
        language=language,
    )
    return subject, body, language


def prepare_decision_messages(run: Run) -> int:
    """Render each decided applicant's message, in their language, as an editable draft.

    Drafts whose outcome changed since are rendered again; edited drafts of an unchanged
    outcome are left alone. Nothing is sent: `release_decisions` queues them.
    """
    form = form_for(run)
    respond_by = run.notification_at + timedelta(days=form.offer_days)
    decisions = list(
        Decision.objects.filter(application__run=run).select_related("application__applicant")
    )
    drafts = {
        message.key: message
        for message in OutboxMessage.objects.filter(run=run, kind__in=DECISION_KINDS.values())
    }
    count = 0
    new: list[Mail] = []
    texts = _decision_texts(run, decisions)
    with transaction.atomic():
        for decision in decisions:
            key = f"application-decision-{decision.application_id}"
            kind = DECISION_KINDS[Outcome(decision.outcome)]
            existing = drafts.get(key)
            if existing is not None and (existing.kind == kind or existing.state != "draft"):
                continue
            subject, body, language = _decision_mail(
                decision, run, respond_by=respond_by, texts=texts
            )
            if existing is not None:
                existing.subject, existing.body, existing.kind = subject, body, kind
                existing.save(update_fields=["subject", "body", "kind"])
            else:
                new.append(
                    Mail(
                        recipient=decision.application.contact_email
                        or decision.application.applicant.email,
                        subject=subject,
                        body=body,
                        kind=kind,
                        language=language,
                        send_at=run.notification_at,
                        user=decision.application.applicant,
                        run=run,
                        key=key,
                        draft=True,
                    )
                )
            count += 1
        queue_mails(new)
    return count


def _seats(run: Run) -> Seats:
    seats, _created = Seats.objects.get_or_create(run=run, defaults={"capacity": run.capacity})
    return seats


def release_decisions(run: Run, *, at: datetime) -> int:
    """Make the decisions final: offers for the selected (answer within the form's offer
    days of the notification instant), and the decision drafts queued to be sent at the
    run's notification instant (or now, if that has passed). Returns the mails queued."""
    form = form_for(run)
    if form.pk is None:
        form.save()
    if form.decisions_released_at is not None:
        raise ApplicationError(_("The decisions were already released."))
    offered_at = max(run.notification_at, at)
    with transaction.atomic():
        _seats(run)
        Offer.objects.bulk_create(
            [
                Offer(
                    application_id=decision.application_id,
                    offered_at=offered_at,
                    respond_by=offered_at + timedelta(days=form.offer_days),
                )
                for decision in Decision.objects.filter(
                    application__run=run, outcome=Outcome.SELECTED
                )
            ],
            ignore_conflicts=True,
        )
        form.decisions_released_at = at
        form.save(update_fields=["decisions_released_at"])
        schedule_offer_expiry([offered_at + timedelta(days=form.offer_days)])
        return release_drafts(
            OutboxMessage.objects.filter(run=run, kind__in=DECISION_KINDS.values()),
            send_at=offered_at,
        )


def confirm_offer(offer: Offer, *, at: datetime) -> None:
    """Take the offered seat: the offer is confirmed, the run's seat counter rises, and the
    person becomes a participant. After commit, the welcome mail with the onboarding
    details is queued (`scheduling.services.queue_welcome_mail`). Raises ApplicationError
    when the offer is no longer open and RunFull when every seat is taken (nothing changes
    then)."""
    with transaction.atomic():
        claimed = Offer.objects.filter(
            pk=offer.pk, state=OfferState.OPEN, respond_by__gt=at
        ).update(state=OfferState.CONFIRMED, responded_at=at)
        if not claimed:
            raise ApplicationError(_("This offer is no longer open."))
        run = offer.application.run
        _seats(run)
        taken = Seats.objects.filter(run=run, confirmed__lt=F("capacity")).update(
            confirmed=F("confirmed") + 1
        )
        if not taken:
            transaction.set_rollback(True)
            raise RunFull(_("Sorry: every seat of this run is already taken."))
        applicant = offer.application.applicant
        RunRole.objects.get_or_create(run=run, user=applicant, role=Role.PARTICIPANT)
        transaction.on_commit(lambda: queue_welcome_mail(run, applicant, at=at))
    offer.state = OfferState.CONFIRMED
    offer.responded_at = at


def decline_offer(offer: Offer, *, at: datetime) -> list[Offer]:
    """Decline an open offer; the seat goes to the best waitlisted applicant who keeps
    every quota, who gets an offer and a mail. Returns the new offers."""
    with transaction.atomic():
        declined = Offer.objects.filter(pk=offer.pk, state=OfferState.OPEN).update(
            state=OfferState.DECLINED, responded_at=at
        )
        if not declined:
            raise ApplicationError(_("This offer is no longer open."))
        offer.state = OfferState.DECLINED
        return promote_from_waitlist(offer.application.run, at=at)


def schedule_offer_expiry(deadlines: Iterable[datetime]) -> None:
    """After commit, enqueue the expiry task for each distinct reply deadline (run by the
    task worker at that instant). The tasks live in the database queue, so a worker restart
    loses none; `expire_offers` (the command, hourly or `--schedule`) is the safety net."""
    from cohortkit.applications.tasks import task_expire_offers  # noqa: PLC0415 — tasks import this module: a top-level import is a cycle

    instants = sorted(set(deadlines))
    if not instants:
        return

    def enqueue() -> None:
        for instant in instants:
            task_expire_offers.using(run_after=instant).enqueue()

    transaction.on_commit(enqueue)


def expire_offers(*, at: datetime) -> int:
    """Expire open offers past their deadline, mail each person whose offer expired (in
    their language, to the outbox), pass the seats on down the waitlist and renumber it.
    Returns the number expired. Each run is one transaction."""
    expired = 0
    runs = set(
        Offer.objects.filter(state=OfferState.OPEN, respond_by__lte=at).values_list(
            "application__run", flat=True
        )
    )
    for run in Run.objects.filter(pk__in=runs).select_related("course"):
        with transaction.atomic():
            due = list(
                Offer.objects.filter(
                    application__run=run, state=OfferState.OPEN, respond_by__lte=at
                ).select_related("application__applicant")
            )
            Offer.objects.filter(pk__in=[o.pk for o in due], state=OfferState.OPEN).update(
                state=OfferState.EXPIRED, responded_at=at
            )
            expired += len(due)
            _mail_expired(run, due)
            promote_from_waitlist(run, at=at)
            renumber_waitlist(run)
    return expired


def _mail_expired(run: Run, offers: list[Offer]) -> None:
    """Tell each person whose offer expired; one message per offer (its key)."""
    if not offers:
        return
    languages = {offer.application.applicant.mail_language for offer in offers}
    texts = mail_texts(run.course, languages, runs=[run])
    for offer in offers:
        application = offer.application
        applicant = application.applicant
        language = applicant.mail_language
        subject, body = render_mail(
            "applications/mail/offer_expired",
            {
                "application": application,
                "run": run,
                **mail_titles(run, texts[language]),
                "respond_by": offer.respond_by,
                "zone": application.timezone or applicant.timezone or "UTC",
                "url": settings.SITE_URL + _apply_url(run),
            },
            language=language,
        )
        queue_mail(
            recipient=application.contact_email or applicant.email,
            subject=subject,
            body=body,
            kind="application-offer-expired",
            language=language,
            user=applicant,
            run=run,
            key=f"application-offer-expired-{offer.pk}",
        )


MIN_REPLY = timedelta(hours=24)  # a promoted applicant gets at least this long to answer


def promotion_deadline(run: Run, *, at: datetime, offer_days: int) -> datetime | None:
    """The reply deadline of a seat offered at `at`: the form's offer days, but never after
    the run starts; None when less than a day is left before the start (too late to offer)."""
    respond_by = min(at + timedelta(days=offer_days), run.starts_at)
    return respond_by if respond_by - at >= MIN_REPLY else None


def renumber_waitlist(run: Run) -> None:
    """Close the gaps in the run's waitlist ranks (1, 2, 3 ... in the current order), so
    waitlisted applicants see their current position."""
    waiting = list(
        Decision.objects.filter(application__run=run, outcome=Outcome.WAITLISTED)
        .select_related("application")
        .order_by("waitlist_rank", "pk")
    )
    changed = []
    rank = 0
    for decision in waiting:
        if decision.application.state == ApplicationState.SUBMITTED:
            rank += 1
            new: int | None = rank
        else:
            new = None  # withdrawn: off the list
        if decision.waitlist_rank != new:
            decision.waitlist_rank = new
            changed.append(decision)
    Decision.objects.bulk_update(changed, ["waitlist_rank"])


def promote_from_waitlist(run: Run, *, at: datetime) -> list[Offer]:
    """Offer every free seat to the best waitlisted applicant keeping the quotas; each gets
    an offer and a mail (sent now), its reply deadline capped at the run's start, and an
    expiry task after commit. When less than a day is left before the start, nobody is
    promoted (an offer could not be answered in time). The waitlist is renumbered after.
    Serialised per run on the seat counter row."""
    with transaction.atomic():
        _seats(run)
        # Writing the counter row takes its lock (PostgreSQL) so two promotions never
        # offer the same seat twice; on SQLite the IMMEDIATE transaction already does.
        Seats.objects.filter(run=run).update(capacity=F("capacity"))
        form = form_for(run)
        respond_by = promotion_deadline(run, at=at, offer_days=form.offer_days)
        if respond_by is None:
            return []
        quotas = quotas_for(run)
        by_id = {a.id: a for a in selection_applicants(run, include_unreviewed=True)}
        holding_ids = set(
            Offer.objects.filter(
                Q(state=OfferState.CONFIRMED) | Q(state=OfferState.OPEN, respond_by__gt=at),
                application__run=run,
            ).values_list("application_id", flat=True)
        )
        waiting = list(
            Decision.objects.filter(
                application__run=run,
                outcome=Outcome.WAITLISTED,
                application__state=ApplicationState.SUBMITTED,
                application__offer__isnull=True,
            )
            .order_by("waitlist_rank")
            .select_related("application__applicant")
        )
        made: list[Offer] = []
        # Loaded with the first offer, in the language of everyone who was waiting.
        texts: dict[str, TextLookup] = {}
        while True:
            waitlist = [
                by_id[str(d.application_id)] for d in waiting if str(d.application_id) in by_id
            ]
            holding = [by_id.get(str(pk), selection.Applicant(str(pk), 0.0)) for pk in holding_ids]
            chosen = selection.next_offer(waitlist, holding, quotas=quotas, seats=run.capacity)
            if chosen is None:
                renumber_waitlist(run)
                schedule_offer_expiry([offer.respond_by for offer in made])
                return made
            decision = next(d for d in waiting if str(d.application_id) == chosen.id)
            waiting.remove(decision)
            holding_ids.add(decision.application_id)
            decision.outcome = Outcome.SELECTED
            decision.waitlist_rank = None
            decision.reason_code = "promoted"
            decision.note = ""
            decision.decided_at = at
            decision.save()
            offer = Offer.objects.create(
                application_id=decision.application_id,
                offered_at=at,
                respond_by=respond_by,
            )
            made.append(offer)
            texts = texts or _decision_texts(run, [decision, *waiting])
            subject, body, language = _decision_mail(
                decision, run, respond_by=offer.respond_by, texts=texts
            )
            applicant = decision.application.applicant
            queue_mail(
                recipient=decision.application.contact_email or applicant.email,
                subject=subject,
                body=body,
                kind="application-offer",
                language=language,
                user=applicant,
                run=run,
                key=f"application-offer-{decision.application_id}",
            )


def retry_run_message(message: OutboxMessage) -> None:
    """Queue a failed message of the run again, now (see notifications' retry_message)."""
    if message.state != MailState.FAILED:
        raise ApplicationError(_("Only failed messages can be retried."))
    retry_message(message)


def purge_expired_answers(*, at: datetime) -> int:
    """Delete the answers of applications whose purge day has begun in their run's zone.

    What the privacy notice promises: answers serve only this course and go a set time after
    notification. Cleared: the coordinator's questions, the built-in answers (contact address,
    wiki username, home community, languages, region, experience, time zone) and reviewers'
    comments. Kept: that the person applied, the decision and any offer, so seats and the
    waitlist stay explainable. Returns how many applications were purged; nothing is mailed.
    """
    due = [
        application
        for application in Application.objects.filter(
            purge_on__isnull=False, purged_at__isnull=True, purge_on__lte=at.date() + timedelta(1)
        ).select_related("run")
        if application.purge_on is not None
        and at >= datetime.combine(application.purge_on, datetime.min.time(), application.run.zone)
    ]
    ids = [application.pk for application in due]
    with transaction.atomic():
        Application.objects.filter(pk__in=ids).update(
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
        ApplicationReview.objects.filter(application_id__in=ids).update(comment="")
    return len(ids)
