"""The run's outbox: decision mail drafts to edit and release, failures to retry."""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cohortkit.applications import services
from cohortkit.applications.forms import MessageForm
from cohortkit.applications.queries import form_for
from cohortkit.applications.views.coordinator import _coordinator
from cohortkit.notifications.models import MailState, OutboxMessage


@require_safe
def outbox(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = _coordinator(request, slug, run)
    mail = OutboxMessage.objects.filter(run=the_run).order_by("state", "send_at", "pk")
    counts = dict(
        OutboxMessage.objects.filter(run=the_run)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return render(
        request,
        "applications/outbox.html",
        {
            "run": the_run,
            "mail": mail,
            "counts": [(label, counts.get(state, 0)) for state, label in MailState.choices],
            "settings": form_for(the_run),
        },
    )


@require_POST
def prepare(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = _coordinator(request, slug, run)
    count = services.prepare_decision_messages(the_run)
    messages.success(
        request,
        ngettext(
            "%(count)s message prepared as a draft.",
            "%(count)s messages prepared as drafts.",
            count,
        )
        % {"count": count},
    )
    return redirect("applications:outbox", slug=slug, run=run)


@require_POST
def release(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = _coordinator(request, slug, run)
    try:
        count = services.release_decisions(the_run, at=timezone.now())
    except services.ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext(
                "Decisions released: %(count)s message will be sent at the notification time.",
                "Decisions released: %(count)s messages will be sent at the notification time.",
                count,
            )
            % {"count": count},
        )
    return redirect("applications:outbox", slug=slug, run=run)


@require_http_methods(["GET", "HEAD", "POST"])
def edit_message(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = _coordinator(request, slug, run)
    message = get_object_or_404(OutboxMessage, run=the_run, pk=pk)
    form = MessageForm(request.POST or None, instance=message)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_draft_message(
                message,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except services.ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Message saved."))
            return redirect("applications:outbox", slug=slug, run=run)
    return render(
        request,
        "applications/message_form.html",
        {"run": the_run, "message": message, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def retry(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = _coordinator(request, slug, run)
    message = get_object_or_404(OutboxMessage, run=the_run, pk=pk)
    try:
        services.retry_run_message(message)
    except services.ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The message is queued again."))
    return redirect("applications:outbox", slug=slug, run=run)
