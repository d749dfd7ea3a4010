from django.http import HttpRequest

from cohortkit.courses.models import Role, Run
from cohortkit.courses.permissions import STAFF_ROLES, has_role


def is_staff_in(request: HttpRequest, run: Run) -> bool:
    return has_role(request, run, {*STAFF_ROLES})


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def is_participant_in(request: HttpRequest, run: Run) -> bool:
    return has_role(request, run, {Role.PARTICIPANT})
