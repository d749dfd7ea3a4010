from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cohortkit.accounts import page_cache
from cohortkit.accounts.requests import signed_in_person
from cohortkit.courses.permissions import require_member, require_staff, run_for
from cohortkit.courses.queries import run_participants
from cohortkit.courses.spreadsheets import csv_response
from cohortkit.learning.deadlines import deadlines_for
from cohortkit.learning.forms import AssignmentForm, FeedbackForm, SubmissionForm
from cohortkit.learning.markdown import render_markdown
from cohortkit.learning.models import Assignment, Extension, Submission
from cohortkit.learning.queries import hand_in_counts, progress_grid
from cohortkit.learning.services.assignments import review_submission, save_submission
from cohortkit.learning.translation_units import assignment_key
from cohortkit.learning.views.common import is_participant_in, is_staff_in
from cohortkit.learning.views.content import attachment_response
from cohortkit.translations.queries import content_lookup


@page_cache.personal_page
@require_safe
def grid(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """Participants by modules, 50 people a page."""
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    modules, page, rows = progress_grid(the_run, page=request.GET.get("page", 1))
    return render(
        request,
        "learning/progress_grid.html",
        {"run": the_run, "course": the_run.course, "modules": modules, "page": page, "rows": rows},
    )


@require_safe
def grid_csv(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """The progress grid of every participant as a spreadsheet (one row a person)."""
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    everyone = max(1, run_participants(the_run).count())
    modules, _page, rows = progress_grid(the_run, per_page=everyone)
    header: list[str] = [_("Participant"), _("E-mail")]
    for module in modules:
        header += [
            _("Module %(number)s: topics done") % {"number": module.position},
            _("Module %(number)s: topics") % {"number": module.position},
            _("Module %(number)s: exercise score (%%)") % {"number": module.position},
        ]
    header += [_("Topics done"), _("Topics"), _("Overall (%)")]
    lines = []
    for row in rows:
        line: list[object] = [str(row.person), row.person.email]
        for done, of, score in row.columns:
            line += [done, of, "" if score is None else score]
        lines.append([*line, row.done, row.total, row.percent])
    return csv_response(f"progress-{the_run.course.slug}-{the_run.slug}.csv", header, lines)


@require_safe
def assignment_list(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    assignments = list(
        Assignment.objects.filter(run=the_run).select_related("module__run__course", "run")
    )
    mine = {
        s.assignment_id: s
        for s in Submission.objects.filter(
            assignment__run=the_run, participant=signed_in_person(request)
        )
    }
    due = deadlines_for(the_run, signed_in_person(request), assignments)
    staff = is_staff_in(request, the_run)
    # Staff have no work of their own here: they see how much was handed in, and how much
    # of it waits for their feedback.
    counts = hand_in_counts(the_run) if staff else {}
    rows = [
        (a, mine.get(a.pk), due[a.pk], assignment_key(a, "title"), counts.get(a.pk))
        for a in assignments
    ]
    return render(
        request,
        "learning/assignment_list.html",
        {
            "run": the_run,
            "course": the_run.course,
            "rows": rows,
            "is_staff": staff,
            "participant_count": run_participants(the_run).count() if staff else 0,
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def assignment_edit(
    request: HttpRequest, slug: str, run: str, pk: int | None = None
) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    instance = get_object_or_404(Assignment, run=the_run, pk=pk) if pk else Assignment(run=the_run)
    form = AssignmentForm(
        request.POST or None,
        instance=instance,
        run=the_run,
        texts=content_lookup(request, the_run.course),
    )
    if request.method == "POST" and form.is_valid():
        assignment = form.save()
        messages.success(request, _("The assignment is saved."))
        return redirect("learning:assignment", slug=slug, run=run, pk=assignment.pk)
    return render(
        request,
        "learning/assignment_form.html",
        {"run": the_run, "course": the_run.course, "form": form, "assignment": instance},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def assignment_detail(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    """Instructions; a participant's draft and hand-in; staff see everyone's work."""
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    assignment = get_object_or_404(
        Assignment.objects.select_related("module", "run"), run=the_run, pk=pk
    )
    staff = is_staff_in(request, the_run)
    participant = is_participant_in(request, the_run)
    submission = Submission.objects.filter(
        assignment=assignment, participant=signed_in_person(request)
    ).first()
    extension = Extension.objects.filter(
        assignment=assignment, participant=signed_in_person(request)
    ).first()
    due_at = deadlines_for(the_run, signed_in_person(request), [assignment])[assignment.pk]
    form = SubmissionForm(
        request.POST or None,
        request.FILES or None,
        initial={"text": submission.text, "link": submission.link} if submission else None,
    )
    if request.method == "POST":
        if not participant:
            raise PermissionDenied
        if form.is_valid():
            try:
                save_submission(
                    assignment,
                    participant=signed_in_person(request),
                    text=form.cleaned_data["text"],
                    link=form.cleaned_data["link"],
                    upload=form.cleaned_data["file"],
                    upload_type=form.content_type,
                    submit="submit" in request.POST,
                    at=timezone.now(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if "submit" in request.POST:
                    messages.success(request, _("Your work is handed in."))
                else:
                    messages.success(request, _("Your draft is saved."))
                return redirect("learning:assignment", slug=slug, run=run, pk=pk)
    submissions = (
        Submission.objects.filter(assignment=assignment)
        .exclude(status="draft")
        .select_related("participant")
        .order_by("participant__display_name")
        if staff
        else []
    )
    return render(
        request,
        "learning/assignment_detail.html",
        {
            "run": the_run,
            "course": the_run.course,
            "assignment": assignment,
            "title_key": assignment_key(assignment, "title"),
            "instructions_key": assignment_key(assignment, "instructions"),
            "submission": submission,
            "feedback": render_markdown(submission.feedback) if submission else "",
            "due_at": due_at,
            "extension": extension,
            "versions": list(submission.versions.all()) if submission else [],
            "is_late": timezone.now() > due_at,
            "form": form if participant else None,
            "is_staff": staff,
            "submissions": submissions,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def submission_review(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    submission = get_object_or_404(
        Submission.objects.select_related("assignment__run", "participant"),
        assignment__run=the_run,
        pk=pk,
    )
    form = FeedbackForm(
        request.POST or None,
        initial={"status": submission.status if submission.status in {"accepted", "needs-work"} else None,
                 "feedback": submission.feedback},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        review_submission(
            submission,
            status=form.cleaned_data["status"],
            feedback=form.cleaned_data["feedback"],
            by=signed_in_person(request),
            at=timezone.now(),
        )
        messages.success(request, _("Your feedback is saved and the participant is told."))
        return redirect("learning:assignment", slug=slug, run=run, pk=submission.assignment.pk)
    return render(
        request,
        "learning/submission_review.html",
        {
            "run": the_run,
            "course": the_run.course,
            "submission": submission,
            "title_key": assignment_key(submission.assignment, "title"),
            "text": render_markdown(submission.text),
            "versions": list(submission.versions.all()),
            "form": form,
        },
    )


@require_safe
def submission_file(request: HttpRequest, slug: str, run: str, pk: int) -> FileResponse:
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    submission = get_object_or_404(Submission, assignment__run=the_run, pk=pk)
    if submission.participant_id != signed_in_person(request).pk and not is_staff_in(
        request, the_run
    ):
        raise PermissionDenied
    if not submission.file:
        raise Http404
    return attachment_response(
        submission.file, name=submission.file_name, content_type=submission.file_type
    )
