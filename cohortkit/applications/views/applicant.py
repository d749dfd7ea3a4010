"""The applicant's side: apply, save drafts as they type, withdraw, answer an offer."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cohortkit.accounts.models import User
from cohortkit.accounts.requests import signed_in_person
from cohortkit.applications import services
from cohortkit.applications.forms import ApplyForm, draft_data
from cohortkit.applications.models import Application, ApplicationState, Offer, OfferState
from cohortkit.applications.queries import form_for, questions_for
from cohortkit.applications.translation_units import form_key
from cohortkit.courses.models import Run
from cohortkit.courses.permissions import run_for
from cohortkit.translations.queries import TextLookup, content_lookup


def _initial(application: Application | None, user: User) -> dict[str, object]:
    if application is None:
        return {
            "timezone": user.timezone,
            "languages": user.languages,
            "wiki_username": user.wiki_username,
            "home_community": user.home_community,
            "region": user.region,
        }
    return {
        "timezone": application.timezone,
        "languages": application.languages,
        "wiki_username": application.wiki_username,
        "home_community": application.home_community,
        "region": application.region,
        "experience": application.experience,
        **application.answers,
        "consent": application.consent_at is not None,
    }


def _context(
    request: HttpRequest,
    run: Run,
    form: ApplyForm,
    application: Application | None,
    texts: TextLookup,
) -> dict[str, object]:
    now = timezone.now()
    settings_form = form_for(run)
    released = settings_form.decisions_released_at is not None and now >= run.notification_at
    return {
        "run": run,
        "course": run.course,
        "form": form,
        "application": application,
        "settings": settings_form,
        "introduction": texts.markdown(
            form_key(run, "introduction"), str(settings_form.introduction)
        ),
        "privacy_notice": texts.markdown(
            form_key(run, "privacy"), str(settings_form.privacy_notice)
        ),
        "is_open": run.accepts_applications_at(now),
        "is_upcoming": now < run.applications_open_at,
        "decision": getattr(application, "decision", None) if released else None,
        "offer": getattr(application, "offer", None) if released else None,
        "now": now,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def apply(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """The application form: submit (or update until the deadline) and see the outcome."""
    the_run = run_for(request, slug, run)
    person = signed_in_person(request)
    settings_form = form_for(the_run)
    questions = questions_for(the_run)
    application = (
        Application.objects.filter(run=the_run, applicant=person)
        .select_related("decision", "offer")
        .first()
    )
    texts = content_lookup(request, the_run.course)
    kwargs = {
        "questions": questions,
        "privacy_notice": texts.markdown(
            form_key(the_run, "privacy"), str(settings_form.privacy_notice)
        ),
        "run": the_run,
        "text": texts.get,
    }
    if request.method == "POST":
        form = ApplyForm(request.POST, **kwargs)  # type: ignore[arg-type]
        if form.is_valid():
            try:
                services.submit_application(
                    run=the_run, applicant=person, data=form.cleaned_data, at=timezone.now()
                )
            except services.EmailNotVerified as error:
                form.add_error(None, str(error))
            except services.ApplicationClosed as error:
                services.save_draft(
                    run=the_run,
                    applicant=person,
                    data=draft_data(request.POST, questions),
                    at=timezone.now(),
                )
                messages.error(request, str(error))
            else:
                messages.success(
                    request, _("Your application is submitted. We sent you a confirmation.")
                )
                return redirect("applications:apply", slug=slug, run=run)
        return render(
            request,
            "applications/application_form.html",
            _context(request, the_run, form, application, texts),
            status=400 if form.errors else 200,
        )
    form = ApplyForm(initial=_initial(application, person), **kwargs)  # type: ignore[arg-type]
    return render(
        request,
        "applications/application_form.html",
        _context(request, the_run, form, application, texts),
    )


@require_POST
def save_draft(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """htmx: keep what the applicant typed, valid or not; answers a 'saved at' line."""
    the_run = run_for(request, slug, run)
    person = signed_in_person(request)
    application = services.save_draft(
        run=the_run,
        applicant=person,
        data=draft_data(request.POST, questions_for(the_run)),
        at=timezone.now(),
    )
    return render(
        request,
        "applications/application_form.html#draft-status",
        {"application": application, "run": the_run},
    )


@require_POST
def withdraw(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    application = Application.objects.filter(
        run=the_run, applicant=signed_in_person(request)
    ).first()
    if application is None or application.state == ApplicationState.WITHDRAWN:
        raise Http404
    had_seat = Offer.objects.filter(application=application, state=OfferState.CONFIRMED).exists()
    services.withdraw_application(application, at=timezone.now())
    if had_seat:
        messages.success(request, _("You gave up your seat; it goes to the next on the waitlist."))
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("applications:apply", slug=slug, run=run)


@require_POST
def respond_offer(request: HttpRequest, slug: str, run: str, answer: str) -> HttpResponse:
    """Confirm or decline the offered seat."""
    the_run = run_for(request, slug, run)
    offer = (
        Offer.objects.filter(
            application__run=the_run, application__applicant=signed_in_person(request)
        )
        .select_related("application__run")
        .first()
    )
    now = timezone.now()
    if offer is None or now < the_run.notification_at or answer not in {"confirm", "decline"}:
        raise Http404
    try:
        if answer == "confirm":
            services.confirm_offer(offer, at=now)
            messages.success(request, _("Your seat is confirmed. Welcome to the course!"))
        else:
            services.decline_offer(offer, at=now)
            messages.success(request, _("You declined the offer. Thank you for telling us."))
    except services.ApplicationError as error:
        messages.error(request, str(error))
    return redirect("applications:apply", slug=slug, run=run)
