"""The week grid where a participant or facilitator marks when they can attend."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cohortkit.accounts.requests import signed_in_person
from cohortkit.courses.models import Role
from cohortkit.courses.permissions import require_role, run_for
from cohortkit.scheduling import services
from cohortkit.scheduling.availability import SLOTS_PER_DAY, WEEKDAYS, Availability
from cohortkit.scheduling.forms import AvailabilityForm
from cohortkit.scheduling.models import WeeklyAvailability, availability_from_hex
from cohortkit.scheduling.views.common import urlargs, weekday_names


@require_http_methods(["GET", "HEAD", "POST"])
def availability(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """The week grid: click (or drag) the quarter hours you can attend, in your local time."""
    the_run = run_for(request, slug, run)
    require_role(request, the_run, Role.PARTICIPANT, Role.FACILITATOR)
    user = signed_in_person(request)
    stored = WeeklyAvailability.objects.filter(run=the_run, user=user).first()
    if request.method == "POST":
        form = AvailabilityForm(request.POST)
        if form.is_valid():
            services.save_availability(
                the_run,
                user,
                availability=form.cleaned_data["availability"],
                zone=form.cleaned_data["timezone"],
            )
            messages.success(request, _("Your availability is saved."))
            return redirect("scheduling:availability", **urlargs(the_run))
        chosen = {int(value) for value in request.POST.getlist("slot") if value.isdigit()}
    else:
        current = stored.availability if stored else availability_from_hex("")
        form = AvailabilityForm(
            initial={"timezone": stored.timezone if stored else user.timezone or "UTC"}
        )
        chosen = {int(i) for i in current.to_array().nonzero()[0]}
    names = weekday_names()
    rows = [
        {
            "label": f"{slot * 15 // 60:02d}:{slot * 15 % 60:02d}",
            "is_hour": slot % 4 == 0,
            "cells": [
                {
                    "index": day * SLOTS_PER_DAY + slot,
                    "checked": day * SLOTS_PER_DAY + slot in chosen,
                    "label": f"{names[day]} {slot * 15 // 60:02d}:{slot * 15 % 60:02d}",
                }
                for day in range(7)
            ],
        }
        for slot in range(SLOTS_PER_DAY)
    ]
    return render(
        request,
        "scheduling/availability_form.html",
        {
            "run": the_run,
            "course": the_run.course,
            "form": form,
            "rows": rows,
            "weekdays": names,
            "short_weekdays": WEEKDAYS,
            "stored": stored,
            "text": Availability.from_slots(chosen).to_text() if chosen else "",
        },
    )
