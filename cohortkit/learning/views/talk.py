from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cohortkit.courses.models import Module
from cohortkit.courses.permissions import require_member, require_staff, run_for
from cohortkit.learning.forms import (
    AnsweredForm,
    HideForm,
    ReplyForm,
    TalkPreferenceForm,
    ThreadForm,
)
from cohortkit.learning.markdown import render_markdown
from cohortkit.learning.models import Reply, Thread
from cohortkit.learning.services.talk import (
    hide_post,
    mark_answered,
    reply_to_thread,
    set_reply_mail,
    start_thread,
    wants_reply_mail,
)
from cohortkit.learning.views.common import is_staff_in, person


@login_required
@require_http_methods(["GET", "POST"])
def threads(request: HttpRequest, slug: str, run: str, position: int | None = None) -> HttpResponse:
    """A talk page: the run's (no module) or one module's; and a form to ask."""
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    module = (
        get_object_or_404(
            Module.objects.select_related("run__course"), run=the_run, position=position
        )
        if position
        else None
    )
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        thread = start_thread(
            the_run,
            module=module,
            author=person(request),
            at=timezone.now(),
            **form.cleaned_data,
        )
        messages.success(request, _("Your question is posted."))
        return redirect("learning:thread", slug=slug, run=run, pk=thread.pk)
    staff = is_staff_in(request, the_run)
    listed = (
        Thread.objects.filter(run=the_run, module=module)
        .select_related("author")
        .annotate(reply_count=Count("replies", filter=Q(replies__is_hidden=False)))
    )
    if not staff:
        listed = listed.filter(Q(is_hidden=False) | Q(author=person(request)))
    return render(
        request,
        "learning/thread_list.html",
        {"run": the_run, "course": the_run.course, "module": module, "threads": listed,
         "form": form, "is_staff": staff},
        status=400 if request.method == "POST" else 200,
    )  # fmt: skip


def _visible_thread(request: HttpRequest, the_run: object, pk: int, staff: bool) -> Thread:
    thread = get_object_or_404(
        Thread.objects.select_related("author", "module"), run=the_run, pk=pk
    )
    if thread.is_hidden and not staff and thread.author_id != person(request).pk:
        raise PermissionDenied
    return thread


@login_required
@require_http_methods(["GET", "POST"])
def thread_detail(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    staff = is_staff_in(request, the_run)
    thread = _visible_thread(request, the_run, pk, staff)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reply_to_thread(
            thread, author=person(request), body=form.cleaned_data["body"], at=timezone.now()
        )
        messages.success(request, _("Your reply is posted."))
        return redirect("learning:thread", slug=slug, run=run, pk=pk)
    replies = [(r, render_markdown(r.body)) for r in thread.replies.select_related("author")]
    return render(
        request,
        "learning/thread_detail.html",
        {
            "run": the_run,
            "course": the_run.course,
            "thread": thread,
            "body": render_markdown(thread.body),
            "replies": replies,
            "form": form,
            "hide_form": HideForm(),
            "is_staff": staff,
            "can_mark": staff or thread.author_id == person(request).pk,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def thread_answered(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    staff = is_staff_in(request, the_run)
    thread = _visible_thread(request, the_run, pk, staff)
    if not (staff or thread.author_id == person(request).pk):
        raise PermissionDenied
    form = AnsweredForm(request.POST)
    form.is_valid()
    mark_answered(thread, answered=form.cleaned_data.get("answered", False))
    return redirect("learning:thread", slug=slug, run=run, pk=pk)


@login_required
@require_POST
def hide(
    request: HttpRequest, slug: str, run: str, pk: int, reply: int | None = None
) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    thread = get_object_or_404(Thread, run=the_run, pk=pk)
    post: Thread | Reply = get_object_or_404(Reply, thread=thread, pk=reply) if reply else thread
    form = HideForm(request.POST)
    if form.is_valid():
        hide_post(post, reason=form.cleaned_data["reason"], by=person(request))
        messages.success(request, _("Hidden from participants."))
    else:
        messages.error(request, _("Give a reason for hiding."))
    return redirect("learning:thread", slug=slug, run=run, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def talk_settings(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    form = TalkPreferenceForm(
        request.POST or None,
        initial={"mail_on_reply": wants_reply_mail(person(request))},
    )
    if request.method == "POST" and form.is_valid():
        set_reply_mail(person(request), enabled=form.cleaned_data["mail_on_reply"])
        messages.success(request, _("Your choice is saved."))
        return redirect("learning:talk_settings", slug=slug, run=run)
    return render(
        request,
        "learning/talk_settings.html",
        {"run": the_run, "course": the_run.course, "form": form},
    )
