"""Where to send a person after signing in, signing up or confirming their address: the
`next` address they came with, when it is one of this site's (never an open redirect)."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

MAX_LENGTH = 2000


def next_address(request: HttpRequest, value: str | None) -> str:
    """`value` when it is a path on this site (not "//host", not "/\\host", no other
    scheme; Django's `url_has_allowed_host_and_scheme` decides), else ""."""
    if not value or len(value) > MAX_LENGTH or not value.startswith("/"):
        return ""
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return value
