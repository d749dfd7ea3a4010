"""Turning off a kind of mail from its List-Unsubscribe link: no session needed."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cohortkit.notifications.unsubscribe import OPTIONAL_KINDS, read_token, turn_off


# A mail program's one-click POST (RFC 8058) comes with no session and no CSRF token; the
# signed token in the address is what proves the link came from our own mail.
@csrf_exempt
@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation and changes nothing (link checkers and previews open
    links); POST turns the kind of mail off, as often as it is posted."""
    read = read_token(token)
    if read is None:
        raise Http404
    user_id, kind = read
    done = False
    if request.method == "POST":
        turn_off(user_id, kind)
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {"what": OPTIONAL_KINDS[kind], "done": done},
    )
