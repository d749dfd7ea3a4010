from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cohortkit.accounts import page_cache
from cohortkit.accounts.models import User
from cohortkit.accounts.requests import signed_in_person
from cohortkit.courses.models import Module
from cohortkit.courses.permissions import require_member, require_staff, run_for
from cohortkit.learning.forms import (
    AnsweredForm,
    HideForm,
    ReplyForm,
    TalkPreferenceForm,
    ThreadFilterForm,
    ThreadForm,
)
from cohortkit.learning.markdown import render_markdown
from cohortkit.learning.models import QuestionMail, Reply, Thread
from cohortkit.learning.services.talk import (
    hide_post,
    mark_answered,
    question_mail_of,
    reply_to_thread,
    set_reply_mail,
    start_thread,
    wants_reply_mail,
)
from cohortkit.learning.views.common import is_staff_in
from cohortkit.translations.queries import content_lookup

ORDERS = {
    "unanswered": ("is_answered", "-last_activity_at", "-pk"),
    "recent": ("-last_activity_at", "-pk"),
    "oldest": ("created_at", "pk"),
}


def module_questions(module: Module, *, viewer: User, staff: bool) -> list[Thread]:
    """The questions about a module, unanswered first, as the viewer may see them (one
    query): the module page's "questions" section, where topics' talk-page links lead."""
    listed = (
        Thread.objects.filter(module=module)
        .select_related("author")
        .order_by(*ORDERS["unanswered"])
    )
    if not staff:
        listed = listed.filter(Q(is_hidden=False) | Q(author=viewer))
    return list(listed.annotate(reply_count=Count("replies", filter=Q(replies__is_hidden=False))))


@page_cache.personal_page
@require_http_methods(["GET", "HEAD", "POST"])
def threads(request: HttpRequest, slug: str, run: str, position: int | None = None) -> HttpResponse:
    """Every question of the run in one list (unanswered first), filtered by module with
    `?module=<position>` (0: general questions) or by the module's own address; and a form
    to ask, about a module or in general. A fixed number of queries however many
    questions and modules."""
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    modules = list(
        Module.objects.filter(run=the_run).select_related("run__course").order_by("position")
    )
    by_position = {module.position: module for module in modules}
    if position is not None and position not in by_position:
        raise Http404
    texts = content_lookup(request, the_run.course)
    filters = ThreadFilterForm(request.GET, modules=modules, texts=texts)
    chosen, order = position, "unanswered"
    if filters.is_valid():
        order = filters.cleaned_data["sort"] or order
        if position is None:
            chosen = filters.cleaned_data["module"]
    module = by_position.get(chosen) if chosen else None
    form = ThreadForm(
        request.POST or None, modules=modules, texts=texts,
        initial={"module": module.position if module else None},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        thread = start_thread(
            the_run,
            # The module page's short form has no choice: it asks about its module.
            module=by_position.get(form.cleaned_data["module"])
            if "module" in request.POST
            else module,
            author=signed_in_person(request),
            at=timezone.now(),
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
        )
        messages.success(request, _("Your question is posted."))
        return redirect("learning:thread", slug=slug, run=run, pk=thread.pk)
    staff = is_staff_in(request, the_run)
    listed = (
        Thread.objects.filter(run=the_run)
        .select_related("author", "module__run__course")
        .annotate(reply_count=Count("replies", filter=Q(replies__is_hidden=False)))
        .order_by(*ORDERS[order])
    )
    if module is not None:
        listed = listed.filter(module=module)
    elif chosen == 0:
        listed = listed.filter(module=None)
    if not staff:
        listed = listed.filter(Q(is_hidden=False) | Q(author=signed_in_person(request)))
    return render(
        request,
        "learning/thread_list.html",
        {"run": the_run, "course": the_run.course, "module": module, "threads": listed,
         "general_only": chosen == 0, "filters": filters, "form": form, "is_staff": staff},
        status=400 if request.method == "POST" else 200,
    )  # fmt: skip


def _visible_thread(request: HttpRequest, the_run: object, pk: int, staff: bool) -> Thread:
    thread = get_object_or_404(
        Thread.objects.select_related("author", "module"), run=the_run, pk=pk
    )
    if thread.is_hidden and not staff and thread.author_id != signed_in_person(request).pk:
        raise PermissionDenied
    return thread


@require_http_methods(["GET", "HEAD", "POST"])
def thread_detail(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    staff = is_staff_in(request, the_run)
    thread = _visible_thread(request, the_run, pk, staff)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reply_to_thread(
            thread,
            author=signed_in_person(request),
            body=form.cleaned_data["body"],
            at=timezone.now(),
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
            "can_mark": staff or thread.author_id == signed_in_person(request).pk,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def thread_answered(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    staff = is_staff_in(request, the_run)
    thread = _visible_thread(request, the_run, pk, staff)
    if not (staff or thread.author_id == signed_in_person(request).pk):
        raise PermissionDenied
    form = AnsweredForm(request.POST)
    form.is_valid()
    mark_answered(thread, answered=form.cleaned_data.get("answered", False))
    return redirect("learning:thread", slug=slug, run=run, pk=pk)


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
        hide_post(post, reason=form.cleaned_data["reason"], by=signed_in_person(request))
        messages.success(request, _("Hidden from participants."))
    else:
        messages.error(request, _("Give a reason for hiding."))
    return redirect("learning:thread", slug=slug, run=run, pk=pk)


@require_http_methods(["GET", "HEAD", "POST"])
def talk_settings(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    staff = is_staff_in(request, the_run)
    form = TalkPreferenceForm(
        request.POST or None,
        staff=staff,
        initial={
            "mail_on_reply": wants_reply_mail(signed_in_person(request)),
            "question_mail": question_mail_of(signed_in_person(request)),
        },
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("question_mail")
        set_reply_mail(
            signed_in_person(request),
            enabled=form.cleaned_data["mail_on_reply"],
            question_mail=QuestionMail(chosen) if chosen else None,
        )
        messages.success(request, _("Your choice is saved."))
        return redirect("learning:talk_settings", slug=slug, run=run)
    return render(
        request,
        "learning/talk_settings.html",
        {"run": the_run, "course": the_run.course, "form": form, "is_staff": staff},
        status=400 if request.method == "POST" else 200,
    )
