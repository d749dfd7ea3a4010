"""The run's wiki pages: the wikis it reads (coordinators), participants' edits during the
course (facilitators and coordinators), and a participant's choice to share them. Pages only
show what the background task stored; none asks a wiki."""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cohortkit.accounts.requests import signed_in_person
from cohortkit.courses.models import Role
from cohortkit.courses.permissions import has_role, require_coordinator, require_role, run_for
from cohortkit.wiki import services
from cohortkit.wiki.forms import EditSharingForm, RunWikisForm
from cohortkit.wiki.models import EditSharing, RunWikis, WikiEdit
from cohortkit.wiki.queries import failed_reads, last_read, participant_edits, wikis_of
from cohortkit.wiki.tasks import task_read_run_edits


@require_http_methods(["GET", "HEAD", "POST"])
def run_settings(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    row = RunWikis.objects.filter(run=the_run).first()
    initial = {"wikis": wikis_of(the_run), "page_prefix": row.page_prefix if row else ""}
    form = RunWikisForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_run_wikis(
            the_run, wikis=form.cleaned_data["wikis"], page_prefix=form.cleaned_data["page_prefix"]
        )
        messages.success(request, _("Saved."))
        return redirect("wiki:settings", slug=slug, run=run)
    return render(
        request,
        "wiki/run_settings.html",
        {
            "run": the_run,
            "form": form,
            "has_wikis": bool(initial["wikis"]),
            "has_begun": the_run.starts_at <= timezone.now(),
            "run_read": last_read(run=the_run),
            "failed_reads": failed_reads(the_run),
        },
        status=400 if form.is_bound else 200,
    )


@require_safe
def edits(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_role(request, the_run, Role.FACILITATOR, Role.COORDINATOR)
    row = RunWikis.objects.filter(run=the_run).first()
    read_at = (
        WikiEdit.objects.filter(wiki__in=wikis_of(the_run))
        .order_by("-read_at")
        .values_list("read_at", flat=True)
        .first()
    )
    return render(
        request,
        "wiki/edits.html",
        {
            "run": the_run,
            "wikis": wikis_of(the_run),
            "page_prefix": row.page_prefix if row else "",
            "rows": participant_edits(the_run),
            "weeks": [(week + 1, the_run.week_starts_on(week)) for week in range(the_run.weeks)],
            # Weeks not begun show a dash, not a count of nothing.
            "weeks_begun": sum(
                1
                for week in range(the_run.weeks)
                if the_run.starts_at + timedelta(days=7 * week) <= timezone.now()
            ),
            "read_at": read_at,
            "run_read": last_read(run=the_run),
        },
    )


@require_POST
def read_edits(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """Queue a read of the participants' edits (the page shows it once the task is done)."""
    the_run = run_for(request, slug, run)
    require_role(request, the_run, Role.FACILITATOR, Role.COORDINATOR)
    task_read_run_edits.enqueue(the_run.pk)
    messages.success(
        request, _("The wikis will be read in the background; reload this page in a minute.")
    )
    # From the coordinators' settings page, back there (facilitators cannot open it).
    if request.POST.get("back") == "settings" and has_role(request, the_run, {Role.COORDINATOR}):
        return redirect("wiki:settings", slug=slug, run=run)
    return redirect("wiki:edits", slug=slug, run=run)


@require_http_methods(["GET", "HEAD", "POST"])
def sharing(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_role(request, the_run, Role.PARTICIPANT)
    person = signed_in_person(request)
    row = EditSharing.objects.filter(run=the_run, person=person).first()
    form = EditSharingForm(
        request.POST if request.method == "POST" else None,
        initial={"is_shared": row.is_shared if row else True},
    )
    if request.method == "POST" and form.is_valid():
        services.set_edit_sharing(
            the_run, person, is_shared=form.cleaned_data["is_shared"], at=timezone.now()
        )
        messages.success(request, _("Saved."))
        return redirect("wiki:sharing", slug=slug, run=run)
    has_account = hasattr(person, "wiki_identity")
    return render(
        request,
        "wiki/sharing.html",
        {"run": the_run, "form": form, "has_account": has_account},
    )
