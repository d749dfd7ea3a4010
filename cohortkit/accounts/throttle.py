"""Throttling of failed sign-ins and of requests that send mail, counted in Django's cache.

The counts live in the default cache (Redis in production through REDIS_URL, so they hold
across web processes; the per-process local-memory cache in development and tests). Each
limit is a fixed window: the first counted event opens it for `window` seconds; once
`attempts` events are counted, the limit refuses until the window ends, and says how long
that is. Identifiers (addresses, client IPs) are hashed before they become cache keys.

Why not django-axes or django-ratelimit: axes keeps attempts in database tables by default,
wraps authentication in its own backend and middleware and answers a lockout with its own
page; ratelimit only counts requests per view. We need both kinds of limits, a message in the
form in the reader's language with the time to wait, and the same cache-based counting for
sign-ins and mail: a hundred lines here, tested, do that without another dependency.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Limit:
    name: str
    attempts: int
    window: int  # seconds


# A person mistyping a password a few times is not slowed; a guesser is, per account whatever
# the address, and per address whatever the accounts tried.
FAILED_LOGINS_PER_ACCOUNT = Limit("login-account", attempts=5, window=15 * 60)
FAILED_LOGINS_PER_CLIENT = Limit("login-client", attempts=30, window=15 * 60)
# Mail-sending requests (password reset, "verify again", sign-up), counted whether or not a
# mail goes out, so the limits reveal nothing about who has an account.
MAILS_PER_ADDRESS = Limit("mail-address", attempts=3, window=60 * 60)
MAILS_PER_CLIENT = Limit("mail-client", attempts=10, window=60 * 60)


def client_address(request: HttpRequest) -> str:
    """The client's IP address: REMOTE_ADDR, or behind a TLS proxy (BEHIND_TLS_PROXY) the
    address the proxy appended last to X-Forwarded-For (earlier entries are the client's
    own claims and could be forged)."""
    if getattr(settings, "BEHIND_TLS_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return str(request.META.get("REMOTE_ADDR", ""))


def _keys(limit: Limit, identifier: str) -> tuple[str, str]:
    digest = hashlib.sha256(identifier.strip().lower().encode()).hexdigest()[:32]
    key = f"cohortkit:throttle:{limit.name}:{digest}"
    return key, f"{key}:until"


def seconds_to_wait(limit: Limit, identifier: str) -> int:
    """0 when the limit allows another event, else the seconds until its window ends."""
    key, until_key = _keys(limit, identifier)
    values = cache.get_many([key, until_key])
    if values.get(key, 0) < limit.attempts:
        return 0
    until = values.get(until_key)
    if until is None:
        return limit.window
    return max(1, math.ceil(until - time.time()))


def count(limit: Limit, identifier: str) -> None:
    """Count one event against the limit (opening its window when none is open)."""
    key, until_key = _keys(limit, identifier)
    if cache.add(key, 1, timeout=limit.window):
        cache.set(until_key, time.time() + limit.window, timeout=limit.window)
        return
    try:
        cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, timeout=limit.window)
        cache.set(until_key, time.time() + limit.window, timeout=limit.window)


def forget(limit: Limit, identifier: str) -> None:
    cache.delete_many(list(_keys(limit, identifier)))


def wait_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many attempts. Please wait %(minutes)d minute and try again.",
        "Too many attempts. Please wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


def login_wait(request: HttpRequest, email: str) -> int:
    """Seconds before this client may try to sign in to this account again (0: now)."""
    return max(
        seconds_to_wait(FAILED_LOGINS_PER_ACCOUNT, email),
        seconds_to_wait(FAILED_LOGINS_PER_CLIENT, client_address(request)),
    )


def count_failed_login(request: HttpRequest, email: str) -> None:
    count(FAILED_LOGINS_PER_ACCOUNT, email)
    count(FAILED_LOGINS_PER_CLIENT, client_address(request))


def forget_failed_logins(email: str) -> None:
    """After a successful sign-in the account's count starts again (the client's does not)."""
    forget(FAILED_LOGINS_PER_ACCOUNT, email)


def mail_request_wait(request: HttpRequest, email: str) -> int:
    """Count a mail-sending request for this address from this client; the seconds to wait
    when a limit is reached already (the request is then refused and not counted)."""
    client = client_address(request)
    wait = max(seconds_to_wait(MAILS_PER_ADDRESS, email), seconds_to_wait(MAILS_PER_CLIENT, client))
    if wait == 0:
        count(MAILS_PER_ADDRESS, email)
        count(MAILS_PER_CLIENT, client)
    return wait
