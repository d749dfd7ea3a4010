"""Public pages kept ready for anonymous visitors: the catalogue, a course page, the login
page, a certificate's verification.

A visitor with no session reads the same page as every other such visitor in their
language, so `public_page` keeps the rendered page in the cache, keyed by the address, the
interface language (cookie or Accept-Language), the Accept-Language header itself (the
course content's language follows it), the active time zone, and the content's version.
Everything that differs per visitor is left out of the cached copy: the CSRF token is put
back for each visitor (the cookie is set as usual), and a visitor with a session (signed
in, or who chose a content language or has a message waiting) is never served from it.

The version changes whenever a model whose data a public page shows is saved or deleted
(`watch`, called by each app for its own models in `ready()`), at once and again after the
transaction commits, so no page shows content older than the last edit. Pages that change
with time (a run's phase, an open application window) say until when they hold
(`valid_until`). The version lives where every web process sees it: in the cache when the
cache is shared (Redis), and, with the per-process local-memory cache, in a small file in
`COHORTKIT_VAR_DIR` that every process on the machine checks (one `stat`).
"""

import os
import re
import secrets
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from hashlib import sha256
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseBase

# Django's own unmasking: the one way to tell this request's CSRF tokens in a rendered page.
from django.middleware.csrf import (  # type: ignore[attr-defined]
    _unmask_cipher_token,  # noqa: PLC2701 — Django's own unmasking, said above
    get_token,
)
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.translation import get_language

# Longest a kept page lives without any change (a safety net, not the invalidation).
KEPT_SECONDS = 600
_VERSION_KEY = "public-pages:version"
_TOKEN = re.compile(rb"[A-Za-z0-9]{64}")
# Put where the visitor's CSRF token goes in a kept page; not something HTML contains.
_PLACEHOLDER = b"\x00csrf\x00"


def _version_file() -> Path:
    return Path(settings.VAR_DIR) / "public-pages.version"


def _is_local_cache() -> bool:
    return isinstance(caches["default"], LocMemCache)


def content_version() -> str:
    """The version of what public pages show; changes with every watched save or delete."""
    if _is_local_cache():
        try:
            stat = os.stat(_version_file())
        except FileNotFoundError:
            return "0"
        return f"{stat.st_ino}-{stat.st_mtime_ns}-{stat.st_size}"
    version = cache.get(_VERSION_KEY)
    if version is None:
        # Never back to an earlier version (a cache that dropped the key): pages kept
        # under it would be served again. A new one, unless another process set one first.
        cache.add(_VERSION_KEY, secrets.token_hex(8), None)
        version = cache.get(_VERSION_KEY)
    return str(version)


def _new_version() -> None:
    if _is_local_cache():
        path = _version_file()
        temporary = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        temporary.write_text(secrets.token_hex(8))
        os.replace(temporary, path)  # a new file each time: a new inode, whatever the clock
    else:
        cache.set(_VERSION_KEY, secrets.token_hex(8), None)


def content_changed(**kwargs: Any) -> None:
    """Every kept page is read afresh, in every web process: now, and again once the
    transaction commits (a page rendered meanwhile from the old rows is not kept)."""
    _new_version()
    transaction.on_commit(_new_version)


def watch(*models: type[Model], unless_only: frozenset[str] = frozenset()) -> None:
    """Forget kept public pages whenever one of `models` is saved or deleted. A save that
    updates only fields in `unless_only` (a person's last login) changes nothing shown."""

    def saved(update_fields: frozenset[str] | None = None, **kwargs: Any) -> None:
        if update_fields and unless_only and set(update_fields) <= unless_only:
            return
        content_changed()

    for model in models:
        post_save.connect(
            saved, sender=model, weak=False, dispatch_uid=f"public-{model._meta.label}"
        )
        post_delete.connect(
            content_changed,
            sender=model,
            weak=False,
            dispatch_uid=f"public-del-{model._meta.label}",
        )


def valid_until(request: HttpRequest, instant: datetime | None) -> None:
    """The page, as rendered now, changes at `instant` (a run's window opening, say)."""
    if instant is None:
        return
    current = getattr(request, "_public_page_until", None)
    if current is None or instant < current:
        request._public_page_until = instant  # type: ignore[attr-defined]


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in {"GET", "HEAD"}:
        return False
    allowed = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    return all(name in allowed for name in request.COOKIES)


def _configuration() -> str:
    """The settings that change what a public page shows (the wiki sign-in button): a
    restart with new ones must not serve a copy kept under the old ones."""
    wiki = (
        settings.WIKI_OAUTH_URL,
        settings.WIKI_OAUTH_NAME,
        bool(settings.WIKI_OAUTH_CLIENT_ID and settings.WIKI_OAUTH_CLIENT_SECRET),
    )
    return repr(wiki)


def _key(request: HttpRequest) -> str:
    parts = [
        request.get_full_path(),
        get_language() or "",
        request.headers.get("Accept-Language", "")[:200],
        timezone.get_current_timezone_name(),
        content_version(),
        _configuration(),
    ]
    return "public-page:" + sha256("\n".join(parts).encode()).hexdigest()


def _without_tokens(request: HttpRequest, content: bytes) -> bytes | None:
    """The page with each of this request's CSRF tokens replaced by the placeholder; None
    when the page cannot be kept (it holds the placeholder already)."""
    if _PLACEHOLDER in content:
        return None
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return content

    def replace(match: re.Match[bytes]) -> bytes:
        token = match.group(0)
        return _PLACEHOLDER if _unmask_cipher_token(token.decode()) == secret else token

    return _TOKEN.sub(replace, content)


def public_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Serve `view` to anonymous visitors from the kept copy when there is one (see the
    module's docstring); everyone else, and every other method, goes to the view."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        kept = cache.get(key)
        now = timezone.now()
        if kept is not None and (kept["until"] is None or now < kept["until"]):
            served = HttpResponse(
                kept["content"].replace(_PLACEHOLDER, get_token(request).encode()),
                status=kept["status"],
            )
            for header, value in kept["headers"]:
                served[header] = value
            return served
        response = view(request, *args, **kwargs)
        if isinstance(response, SimpleTemplateResponse):
            response = response.render()
        # A view that sets a cookie of its own is personal; the CSRF cookie (which a view
        # protecting itself sets) is set again for each visitor, as the token is put back.
        personal = set(response.cookies) - {settings.CSRF_COOKIE_NAME}
        if response.status_code != 200 or personal or not isinstance(response, HttpResponse):
            return response
        content = _without_tokens(request, response.content)
        if content is None:
            return response
        until = getattr(request, "_public_page_until", None)
        seconds = KEPT_SECONDS
        if until is not None:
            seconds = min(seconds, max(1, int((until - now).total_seconds())))
        cache.set(
            key,
            {
                "content": content,
                "status": response.status_code,
                "headers": list(response.items()),
                "until": until,
            },
            seconds,
        )
        return response

    return wrapper
