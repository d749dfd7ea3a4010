"""The completion rules page, for the run's coordinators (part of the course team's pages)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cohortkit.courses.permissions import require_coordinator, run_for
from cohortkit.learning.forms import CompletionRulesForm
from cohortkit.learning.queries import policy_for
from cohortkit.learning.services.policy import RULE_FIELDS, set_completion_rules


@require_http_methods(["GET", "HEAD", "POST"])
def completion_rules(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    form = CompletionRulesForm(request.POST or None, instance=policy_for(the_run))
    if request.method == "POST" and form.is_valid():
        set_completion_rules(the_run, **{name: form.cleaned_data[name] for name in RULE_FIELDS})
        messages.success(request, _("The completion rules are saved."))
        return redirect("learning:completion_rules", slug=slug, run=run)
    return render(
        request,
        "learning/completion_rules.html",
        {"run": the_run, "course": the_run.course, "form": form},
        status=400 if form.is_bound else 200,
    )
