"""Coordinators: set up the form, rubric and rules; list, export, review progress, selection."""

import re
from typing import Any

from django.contrib import messages
from django.forms import BaseFormSet, modelformset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cohortkit.accounts import page_cache
from cohortkit.accounts.requests import signed_in_person
from cohortkit.applications import selection, services
from cohortkit.applications.assignment import AssignmentError
from cohortkit.applications.forms import (
    CriterionForm,
    CriterionFormSet,
    DecisionOverrideForm,
    FormSettingsForm,
    ListFilterForm,
    OverrideEligibilityForm,
    QuestionForm,
    QuotaForm,
    RecordOverrideForm,
    RuleForm,
    WhatIfForm,
    columns,
)
from cohortkit.applications.models import (
    Application,
    Criterion,
    EligibilityRule,
    Question,
    Quota,
    Unreviewed,
    reason_text,
)
from cohortkit.applications.queries import (
    answer_rows,
    application_list,
    form_for,
    questions_for,
    quota_values,
    quotas_for,
    review_progress,
    selection_applicants,
    selection_readiness,
)
from cohortkit.courses.models import Run
from cohortkit.courses.permissions import require_coordinator, run_for
from cohortkit.courses.spreadsheets import csv_response
from cohortkit.courses.spreadsheets import safe_cell as safe_cell  # moved; still imported from here
from cohortkit.translations.queries import content_lookup
from cohortkit.wiki.queries import experiences, last_read, run_wiki_ids, verified_username
from cohortkit.wiki.tasks import task_read_wiki_figures

QuestionFormSet = modelformset_factory(Question, form=QuestionForm, extra=1, can_delete=True)
CriteriaFormSet = modelformset_factory(
    Criterion,
    form=CriterionForm,
    formset=CriterionFormSet,
    extra=1,
    can_delete=True,
)
RuleFormSet = modelformset_factory(EligibilityRule, form=RuleForm, extra=1, can_delete=True)
QuotaFormSet = modelformset_factory(Quota, form=QuotaForm, extra=2, can_delete=True)


def _coordinator(request: HttpRequest, slug: str, run: str) -> Run:
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    return the_run


APPLICATIONS_PER_PAGE = 100


@require_http_methods(["GET", "HEAD", "POST"])
def setup(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """The form's settings, questions, rubric and eligibility rules; each saved on its own."""
    the_run = _coordinator(request, slug, run)
    form_settings = form_for(the_run)
    section = request.POST.get("section") if request.method == "POST" else None
    cols = columns(questions_for(the_run), the_run, content_lookup(request, the_run.course).text)
    data = request.POST if request.method == "POST" else None

    def bound(name: str) -> Any:
        return data if section == name else None

    settings_form = FormSettingsForm(bound("settings"), instance=form_settings)
    questions = QuestionFormSet(
        bound("questions"), prefix="questions", queryset=Question.objects.filter(form__run=the_run)
    )
    criteria = CriteriaFormSet(
        bound("criteria"), prefix="criteria", queryset=the_run.criteria.all()
    )
    rules = RuleFormSet(
        bound("rules"),
        prefix="rules",
        queryset=the_run.eligibility_rules.all(),
        form_kwargs={"columns": cols},
    )
    chosen: Any = {
        "settings": settings_form,
        "questions": questions,
        "criteria": criteria,
        "rules": rules,
    }.get(section or "")
    if chosen is not None and chosen.is_valid():
        try:
            _save_section(the_run, section or "", chosen)
        except services.ApplicationError as error:
            _refuse(chosen, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("applications:setup", slug=slug, run=run)
    return render(
        request,
        "applications/form_setup.html",
        {
            "run": the_run,
            "settings_form": settings_form,
            "questions": questions,
            "criteria": criteria,
            "rules": rules,
            "section": section,
        },
        status=400 if chosen is not None else 200,
    )


def _save_section(run: Run, section: str, chosen: Any) -> None:
    """Hand one valid section of the setup page to its service."""
    if section == "settings":
        services.update_form_settings(form_for(run), values=chosen.cleaned_data)
        return
    changed, deleted = chosen.save(commit=False), chosen.deleted_objects
    if section == "questions":
        services.save_questions(run, changed=changed, deleted=deleted)
    elif section == "criteria":
        services.save_criteria(run, changed=changed, deleted=deleted)
    else:
        services.save_eligibility_rules(run, changed=changed, deleted=deleted)


def _refuse(chosen: Any, error: Exception) -> None:
    """Show a service's refusal with the form's or formset's own errors."""
    if isinstance(chosen, BaseFormSet):
        chosen.non_form_errors().append(str(error))
    else:
        chosen.add_error(None, str(error))


@page_cache.personal_page
@require_safe
def application_list_view(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = _coordinator(request, slug, run)
    filters = ListFilterForm(request.GET)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    # A page of rows at a time (a run may have thousands of applicants); one more row than
    # shown says whether there is a next page, without counting them all.
    page = request.GET.get("page", "1")
    number = max(1, int(page)) if page.isdigit() else 1
    start = (number - 1) * APPLICATIONS_PER_PAGE
    rows = list(application_list(the_run, cleaned)[start : start + APPLICATIONS_PER_PAGE + 1])
    # Each row's labels from one dictionary per column: `get_FOO_display` rebuilds the
    # field's choices for every call, three times a row.
    labels = {
        name: dict(Application._meta.get_field(name).flatchoices)  # type: ignore[union-attr]
        for name in ("state", "region", "experience")
    }
    for row in rows:
        row.labels = {  # type: ignore[attr-defined]
            name: labels[name].get(getattr(row, name), getattr(row, name)) for name in labels
        }
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "applications/application_list.html",
        {
            "run": the_run,
            "filters": filters,
            "applications": rows[:APPLICATIONS_PER_PAGE],
            "page_number": number,
            "first_row": start + 1,
            "last_row": start + len(rows[:APPLICATIONS_PER_PAGE]),
            "previous_page": number - 1,
            "next_page": number + 1 if len(rows) > APPLICATIONS_PER_PAGE else None,
            "query": query.urlencode(),
        },
    )


@require_safe
def export_csv(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """The filtered list as CSV (courses.spreadsheets: BOM, formulas shown as text)."""
    the_run = _coordinator(request, slug, run)
    filters = ListFilterForm(request.GET)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    questions = questions_for(the_run)
    header = [
        "id", "name", "email", "state", "region", "experience", "languages", "timezone",
        "home_community", "wiki_username", "eligible", "score", "reviews", "outcome",
        *[q.label for q in questions],
    ]  # fmt: skip
    rows = []
    for application in application_list(the_run, cleaned):
        decision = getattr(application, "decision", None)
        answers = [application.answers.get(q.key, "") for q in questions]
        rows.append(
            [
                application.pk,
                application.applicant.display_name,
                application.contact_email or application.applicant.email,
                application.state,
                application.region,
                application.experience,
                " ".join(application.languages or []),
                application.timezone,
                application.home_community,
                application.wiki_username,
                application.eligible,
                "" if application.mean_score is None else f"{application.mean_score:.2f}",  # type: ignore[attr-defined]
                application.review_count,  # type: ignore[attr-defined]
                decision.outcome if decision else "",
                *[" | ".join(a) if isinstance(a, list) else a for a in answers],
            ]
        )
    return csv_response(f"applications-{the_run.slug}.csv", header, rows)


@require_safe
def application_detail(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = _coordinator(request, slug, run)
    application = get_object_or_404(
        Application.objects.select_related("applicant", "override_by").with_scores(),
        run=the_run,
        pk=pk,
    )
    return _detail(request, the_run, application)


def _detail(
    request: HttpRequest,
    run: Run,
    application: Application,
    *,
    eligibility_form: OverrideEligibilityForm | None = None,
    decision_form: DecisionOverrideForm | None = None,
) -> HttpResponse:
    questions = questions_for(run)
    decision = getattr(application, "decision", None)
    verdict = {None: "rules", True: "eligible", False: "not-eligible"}[
        application.eligibility_override
    ]
    return render(
        request,
        "applications/application_detail.html",
        {
            "run": run,
            "application": application,
            "answers": answer_rows(
                run, questions, application.answers, content_lookup(request, run.course).text
            ),
            "reviews": application.reviews.select_related("reviewer"),
            "experience": experiences(run, [application.applicant_id]).get(
                application.applicant_id
            ),
            "wiki_read": last_read(person=application.applicant),
            "wiki_readable": bool(verified_username(application.applicant))
            and run_wiki_ids(run).exists(),
            "decision": decision,
            "eligibility_form": eligibility_form
            or OverrideEligibilityForm(
                initial={"verdict": verdict, "reason": application.override_reason}
            ),
            "decision_form": decision_form
            or DecisionOverrideForm(initial={"outcome": decision.outcome if decision else ""}),
        },
        status=400 if eligibility_form or decision_form else 200,
    )


@require_POST
def override_eligibility(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = _coordinator(request, slug, run)
    application = get_object_or_404(Application.objects.with_scores(), run=the_run, pk=pk)
    form = OverrideEligibilityForm(request.POST)
    if not form.is_valid():
        return _detail(request, the_run, application, eligibility_form=form)
    services.override_eligibility(
        application,
        eligible=form.eligible,
        reason=form.cleaned_data["reason"],
        by=signed_in_person(request),
        at=timezone.now(),
    )
    messages.success(request, _("Eligibility saved."))
    return redirect("applications:detail", slug=slug, run=run, pk=pk)


@require_POST
def read_wiki(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    """Queue a read of the applicant's figures on the run's wikis (shown once it is done)."""
    the_run = _coordinator(request, slug, run)
    application = get_object_or_404(Application, run=the_run, pk=pk)
    wiki_ids = list(run_wiki_ids(the_run))
    if not wiki_ids:
        messages.error(request, _("This run names no wiki: choose its wikis first."))
    elif not verified_username(application.applicant):
        messages.error(
            request, _("The applicant has not verified a wiki account: there is nothing to read.")
        )
    else:
        task_read_wiki_figures.enqueue(application.applicant_id, wiki_ids)
        messages.success(
            request, _("The wikis will be read in the background; reload this page in a minute.")
        )
    return redirect("applications:detail", slug=slug, run=run, pk=pk)


@require_POST
def override_decision(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = _coordinator(request, slug, run)
    application = get_object_or_404(Application.objects.with_scores(), run=the_run, pk=pk)
    form = DecisionOverrideForm(request.POST)
    if form.is_valid():
        try:
            services.override_decision(
                application,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                by=signed_in_person(request),
                at=timezone.now(),
            )
        except services.ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Decision saved."))
            return redirect("applications:detail", slug=slug, run=run, pk=pk)
    return _detail(request, the_run, application, decision_form=form)


@require_safe
def progress(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """Who reviewed what, and where reviewers disagree most (largest score spread first)."""
    the_run = _coordinator(request, slug, run)
    applications = list(review_progress(the_run))
    done = sum(a.review_count for a in applications)  # type: ignore[attr-defined]
    assigned = sum(a.assigned_count for a in applications)  # type: ignore[attr-defined]
    return render(
        request,
        "applications/review_progress.html",
        {
            "run": the_run,
            "applications": applications,
            "done": done,
            "assigned": assigned,
            "is_blind": form_for(the_run).is_blind_review,
        },
    )


@require_POST
def assign(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = _coordinator(request, slug, run)
    try:
        count = services.assign_application_reviewers(the_run)
    except AssignmentError as error:
        messages.error(request, _("Reviewers could not be assigned: %(error)s") % {"error": error})
    else:
        messages.success(
            request,
            ngettext("%(count)s new review assignment.", "%(count)s new review assignments.", count)
            % {"count": count},
        )
    return redirect("applications:progress", slug=slug, run=run)


@page_cache.personal_page
@require_http_methods(["GET", "HEAD", "POST"])
def selection_page(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """Quotas, a preview of the exact selection with what-ifs (GET), and the decisions."""
    the_run = _coordinator(request, slug, run)
    text = content_lookup(request, the_run.course).text
    quota_kwargs = {
        "columns": columns(questions_for(the_run), the_run, text),
        "values": quota_values(the_run, text),
        "refresh_url": request.path,
    }
    refresh = _quota_value_refresh(request, quota_kwargs)
    if refresh is not None:
        return refresh
    quotas = QuotaFormSet(
        request.POST if request.method == "POST" else None,
        prefix="quotas",
        queryset=the_run.quotas.all(),
        form_kwargs=quota_kwargs,
    )
    if request.method == "POST" and quotas.is_valid():
        try:
            services.save_quotas(
                the_run, changed=quotas.save(commit=False), deleted=quotas.deleted_objects
            )
        except services.ApplicationError as error:
            _refuse(quotas, error)
        else:
            messages.success(request, _("Quotas saved."))
            return redirect("applications:selection", slug=slug, run=run)
    what_if = WhatIfForm(request.GET or None)
    seats = the_run.capacity
    extra: list[selection.Quota] = []
    if what_if.is_valid():
        seats = (
            what_if.cleaned_data["seats"] if what_if.cleaned_data["seats"] is not None else seats
        )
        extra = what_if.cleaned_data["quotas"]
    applicants = selection_applicants(the_run)
    readiness = selection_readiness(the_run, at=timezone.now())
    preview = infeasible = None
    try:
        preview = selection.select_applicants(
            applicants,
            seats=seats,
            quotas=quotas_for(the_run) + extra,
            seed=form_for(the_run).lottery_seed,
        )
    except selection.InfeasibleQuotas as error:
        infeasible = error
    names = {
        str(a.pk): a
        for a in Application.objects.filter(run=the_run).select_related("applicant", "decision")
    }
    rows = []
    if preview is not None:
        for outcome, ids in (("selected", preview.selected), ("waitlisted", preview.waitlist)):
            for position, key in enumerate(ids, start=1):
                reason = preview.reasons[key]
                rows.append((outcome, position, names[key], reason_text(reason.code, reason.quota)))
    scores = {a.id: a.score for a in applicants}
    return render(
        request,
        "applications/selection.html",
        {
            "run": the_run,
            "quotas": quotas,
            "what_if": what_if,
            "seats": seats,
            "preview": preview,
            "rows": [(o, p, a, r, scores[str(a.pk)]) for o, p, a, r in rows],
            "infeasible": infeasible,
            "settings": form_for(the_run),
            "readiness": readiness,
            "override_form": RecordOverrideForm(),
            "decided": sum(1 for a in names.values() if hasattr(a, "decision")),
        },
        status=400 if request.method == "POST" else 200,
    )


QUOTA_COLUMN = re.compile(r"^(quotas-\d{1,4})-column$")


def _quota_value_refresh(request: HttpRequest, kwargs: dict[str, Any]) -> HttpResponse | None:
    """htmx: the value list of one quota row for the question just chosen (GET)."""
    if request.method != "GET" or not request.headers.get("HX-Request"):
        return None
    prefix = next((m[1] for key in request.GET if (m := QUOTA_COLUMN.match(key))), None)
    if prefix is None:
        return None
    # Unbound: a list to choose from, not a form to judge yet.
    form = QuotaForm(prefix=prefix, initial={"column": request.GET[f"{prefix}-column"]}, **kwargs)
    return render(request, "applications/selection.html#quota-value", {"field": form["value"]})


@require_POST
def record(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """Record the decisions; before the window closes or while reviews are missing, only
    through the confirmed override form (the service refuses otherwise)."""
    the_run = _coordinator(request, slug, run)
    override = None
    if "confirm" in request.POST or "unreviewed" in request.POST:
        form = RecordOverrideForm(request.POST)
        if not form.is_valid():
            messages.error(
                request,
                _("Nothing was recorded: confirm the early recording and choose what happens "
                  "to the applicants nobody has reviewed."),
            )  # fmt: skip
            return redirect("applications:selection", slug=slug, run=run)
        override = Unreviewed(form.cleaned_data["unreviewed"])
    try:
        result = services.record_selection(
            the_run, by=signed_in_person(request), at=timezone.now(), override=override
        )
    except selection.InfeasibleQuotas as error:
        names = ", ".join(q.name for q in error.quotas)
        messages.error(
            request, _("These quotas cannot hold together: %(names)s") % {"names": names}
        )
    except (selection.SelectionError, services.ApplicationError) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Decisions recorded: %(selected)s, %(waitlisted)s.")
            % {
                "selected": ngettext(
                    "%(count)s selected", "%(count)s selected", len(result.selected)
                )
                % {"count": len(result.selected)},
                "waitlisted": ngettext(
                    "%(count)s on the waitlist", "%(count)s on the waitlist", len(result.waitlist)
                )
                % {"count": len(result.waitlist)},
            },
        )
    return redirect("applications:selection", slug=slug, run=run)
