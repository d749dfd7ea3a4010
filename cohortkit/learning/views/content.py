from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cohortkit.accounts import page_cache
from cohortkit.accounts.requests import signed_in_person
from cohortkit.courses.models import Role, Topic
from cohortkit.courses.permissions import (
    require_member,
    require_role,
    require_staff,
    roles_in,
    run_for,
)
from cohortkit.learning.forms import PreviewForm, ThreadForm, ToggleForm, TopicForm, UploadForm
from cohortkit.learning.markdown import render_markdown
from cohortkit.learning.models import Assignment, Attachment, Certificate
from cohortkit.learning.queries import completion, coordinators_of, is_released, progress_for
from cohortkit.learning.services.content import mark_topic, save_topic, store_attachment
from cohortkit.learning.services.support import enrol_self_paced
from cohortkit.learning.translation_units import assignment_key
from cohortkit.learning.views.common import is_htmx, is_participant_in, is_staff_in
from cohortkit.learning.views.talk import module_questions


def _self_paced_open(run: object, at: object) -> bool:
    return bool(run.is_self_paced and at >= run.ends_at)  # type: ignore[attr-defined, operator]


@page_cache.personal_page
@require_safe
def modules(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """The run's modules with the person's progress; an enrol offer for self-paced runs."""
    the_run = run_for(request, slug, run)
    now = timezone.now()
    if not roles_in(request, the_run) and _self_paced_open(the_run, now):
        return render(request, "learning/enrol.html", {"run": the_run, "course": the_run.course})
    require_member(request, the_run)
    certificate = Certificate.objects.filter(run=the_run, user=signed_in_person(request)).first()
    participant = is_participant_in(request, the_run)
    mine = completion(the_run, [signed_in_person(request)])[0] if participant else None
    return render(
        request,
        "learning/module_list.html",
        {
            "run": the_run,
            "course": the_run.course,
            "progress": progress_for(the_run, signed_in_person(request), at=now),
            "is_staff": is_staff_in(request, the_run),
            "is_participant": participant,
            "certificate": certificate,
            "completion": mine,
            "coordinators": coordinators_of(the_run),
            "ask_url": reverse("learning:ask_help", kwargs={"slug": slug, "run": run})
            if participant and not (mine and mine.is_self_paced)
            else "",
        },
    )


@require_POST
def enrol(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    if not _self_paced_open(the_run, timezone.now()):
        raise PermissionDenied
    enrol_self_paced(the_run, user=signed_in_person(request), at=timezone.now())
    messages.success(request, _("You are enrolled. Work through the modules at your own pace."))
    return redirect("learning:modules", slug=slug, run=run)


@page_cache.personal_page
@require_safe
def module_detail(request: HttpRequest, slug: str, run: str, position: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    now = timezone.now()
    staff = is_staff_in(request, the_run)
    progress = progress_for(the_run, signed_in_person(request), at=now)
    # The module from the progress already read (its run is the run above, course and all).
    item = next((m for m in progress.modules if m.module.position == position), None)
    if item is None:
        raise Http404
    module = item.module
    visible = staff or item.is_released
    topics = [(t, t.pk in item.done) for t in item.topics] if visible else []
    return render(
        request,
        "learning/module_detail.html",
        {
            "run": the_run,
            "course": the_run.course,
            "module": module,
            "item": item,
            "topics": topics,
            "visible": visible,
            "is_staff": staff,
            "can_mark": is_participant_in(request, the_run) and item.is_released,
            # Topics link to "#questions" (their talk page): this module's questions and
            # the form to ask one.
            "questions": module_questions(module, viewer=signed_in_person(request), staff=staff)
            if visible
            else [],
            "ask_form": ThreadForm(),
            "assignments": [
                (assignment, assignment_key(assignment, "title"))
                for assignment in Assignment.objects.filter(
                    run=the_run, module=module
                ).select_related("run")
            ]
            if visible
            else [],
        },
    )


@require_POST
def topic_done(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    """Mark a topic done or not done: an htmx toggle, or a plain form post."""
    the_run = run_for(request, slug, run)
    require_role(request, the_run, Role.PARTICIPANT)
    topic = get_object_or_404(
        Topic.objects.select_related("module__run__course"), pk=pk, module__run=the_run
    )
    if not is_released(topic.module, at=timezone.now()):
        raise PermissionDenied
    form = ToggleForm(request.POST)
    form.is_valid()
    done = mark_topic(
        topic,
        user=signed_in_person(request),
        done=form.cleaned_data.get("done", False),
        at=timezone.now(),
    )
    if is_htmx(request):
        return render(
            request,
            "learning/module_detail.html#toggle",
            {"run": the_run, "topic": topic, "done": done},
        )
    return redirect("learning:module", slug=slug, run=run, position=topic.module.position)


@require_http_methods(["GET", "HEAD", "POST"])
def topic_edit(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    topic = get_object_or_404(
        Topic.objects.select_related("module__run__course"), pk=pk, module__run=the_run
    )
    form = TopicForm(request.POST or None, initial={"title": topic.title, "body": topic.body})
    if request.method == "POST" and form.is_valid():
        save_topic(topic, title=form.cleaned_data["title"], body=form.cleaned_data["body"])
        messages.success(request, _("The topic is saved."))
        return redirect("learning:module", slug=slug, run=run, position=topic.module.position)
    return render(
        request,
        "learning/topic_form.html",
        {
            "run": the_run,
            "course": the_run.course,
            "topic": topic,
            "form": form,
            "upload_form": UploadForm(),
            "preview": render_markdown(form["body"].value() or ""),
            "attachments": Attachment.objects.filter(run=the_run).select_related("run__course")[
                :20
            ],
        },
    )


@require_POST
def preview(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """The sanitised HTML of the Markdown posted, for the editor's htmx preview."""
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    form = PreviewForm(request.POST)
    form.is_valid()
    return render(
        request,
        "learning/topic_form.html#preview",
        {"preview": render_markdown(form.cleaned_data.get("body", ""))},
    )


@require_POST
def upload(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    """Upload an image or document while editing a topic; the editor then lists its snippet."""
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    topic = get_object_or_404(Topic.objects.select_related("module"), pk=pk, module__run=the_run)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        attachment = store_attachment(
            the_run,
            upload=form.cleaned_data["file"],
            content_type=form.content_type,
            by=signed_in_person(request),
        )
        messages.success(
            request,
            _("Uploaded. Paste this into the content: %(snippet)s")
            % {"snippet": attachment.markdown()},
        )
        return redirect("learning:topic_edit", slug=slug, run=run, pk=topic.pk)
    return render(
        request,
        "learning/topic_form.html",
        {
            "run": the_run,
            "course": the_run.course,
            "topic": topic,
            "form": TopicForm(initial={"title": topic.title, "body": topic.body}),
            "upload_form": form,
            "preview": render_markdown(topic.body),
            "attachments": Attachment.objects.filter(run=the_run).select_related("run__course")[
                :20
            ],
        },
        status=400,
    )


def attachment_response(file: FieldFile, *, name: str, content_type: str) -> FileResponse:
    """A stored file, always as a download, never sniffed into something else."""
    response = FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=content_type,  # type: ignore[attr-defined]
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
def attachment(request: HttpRequest, slug: str, run: str, public_id: str) -> FileResponse:
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    item = get_object_or_404(Attachment, run=the_run, public_id=public_id)
    return attachment_response(item.file, name=item.original_name, content_type=item.content_type)
