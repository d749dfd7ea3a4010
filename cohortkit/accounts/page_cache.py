"""Pages kept ready: the public pages for anonymous visitors, and a signed-in person's most
read pages for that person.

Public pages (the catalogue, a course page, the login page, a certificate's verification;
`public_page`): a visitor with no session reads the same page as every other such visitor
in their language, so the page is kept as it leaves the middleware, headers included, and
served by `PublicPagesMiddleware` near the top of the stack, before sessions, languages,
the CSRF check or URLs are looked at. It is keyed by what decides it: the address, the
language cookie and the Accept-Language header (LocaleMiddleware reads the interface
language from them; the course content's language follows the header), the settings that
change what it shows, and the public content's version (anonymous visitors always see UTC).

Personal pages (a run's home, its modules, a module, the schedule, the questions, the
dashboard, the progress grid, the applications list and selection; `personal_page`): the
same page for the same person, kept for that person only, keyed by their id, the whole of
their session (so signing in again, a password change or anything a view keeps in the
session reads afresh), the address, language, zone and the version of *all* content. A
person with a message waiting, and htmx requests (fragments), always go to the view.

Everything that differs per request is left out of a kept copy: the CSRF token is put back
for each request (on a public page, masked against the visitor's CSRF cookie, or a new one
set as CsrfViewMiddleware sets it). Access needs no check of its own: a kept
copy is only ever served to the person it was rendered for, and anything that changes what
they may see (a role ended, a withdrawal) is a write, which changes the version.

Versions change on every write to the database, whatever makes it (a model's save, a
queryset's `update()`, a bulk insert, raw SQL, the task worker in its own process): each
connection runs the statements through `_note_writes`, which reads the table a statement
writes. A write to a table the public pages show (each app `watch`es its own models in
`ready()`) changes the public version; a write to any table but the task queue and the
sessions changes the version of everything (which also keeps the signed-in person read
once, `accounts.backends`); a write to the sessions changes theirs (`accounts.sessions`). Both change at once and again when the
transaction commits, so a page rendered meanwhile from the old rows is not served after the
commit. The versions live where every web process sees them: in the cache when it is
shared (Redis), and, with the per-process local-memory cache, in small files in
`COHORTKIT_VAR_DIR` that every process on the machine checks (one `stat` each).

Data many people's pages share (a run's meetings, its weekly groups; a course's published
languages) is kept once for all of them by `shared`, under the versions of exactly the
tables it is read from (`version_tables`): a write to one of those tables, however it is
made, changes its version in the same way, so a sign-up or an application in a rush leaves
a run's schedule kept while an edited meeting is read afresh at the next request.

Pages that change with time (a run's phase, an open application window, a module opening)
say until when they hold (`valid_until`); a personal page is kept at most
`PERSONAL_SECONDS` in any case, so a phrase such as "in 3 hours" is never long out of date.
"""

import os
import re
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial, wraps
from hashlib import sha256
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseBase

# Django's own unmasking: the one way to tell this request's CSRF tokens in a rendered page.
from django.middleware.csrf import (  # type: ignore[attr-defined]
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    _unmask_cipher_token,  # noqa: PLC2701 — Django's own unmasking, said above
    get_token,
)
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

# Longest a kept public page lives without any change (a safety net, not the invalidation).
KEPT_SECONDS = 600
# Longest a kept personal page lives: relative times ("in 3 hours") stay near enough.
PERSONAL_SECONDS = 60
PUBLIC = "public"
EVERYTHING = "everything"
SESSIONS = "sessions"
_TOKEN = re.compile(rb"[A-Za-z0-9]{64}")
# Put where the request's CSRF token goes in a kept page; not something HTML contains.
_PLACEHOLDER = b"\x00csrf\x00"
# The table a statement writes (Django quotes table names on SQLite and PostgreSQL alike).
_WRITE = re.compile(
    r'\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"([^"]+)"'
    r"(?:\s+SET\s+(.*?)\s+WHERE\b)?",
    re.IGNORECASE | re.DOTALL,
)
_COLUMN = re.compile(r'"(\w+)"\s*=')
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "TRUNCATE")
# Tables no kept page shows: the task queue; and sessions, which have their own version
# (`accounts.sessions`: a kept personal page is keyed by the session's contents instead).
_QUIET_TABLES = frozenset({"django_tasks_database_dbtaskresult"})
_SESSION_TABLE = "django_session"
# Tables the public pages show, with the columns whose updates change nothing they show.
_PUBLIC_TABLES: dict[str, frozenset[str]] = {}
# Tables with a version of their own (`version_tables`), for data kept by `shared`.
_VERSIONED_TABLES: set[str] = set()
# Longest data kept by `shared` lives without any change (a safety net).
SHARED_SECONDS = 600
# What any write we cannot read a table from changes: every versioned table.
_ALL_TABLES = "*"


def _version_file(kind: str) -> Path:
    return Path(settings.VAR_DIR) / f"{kind}-pages.version"


def _is_local_cache() -> bool:
    return isinstance(caches["default"], LocMemCache)


def content_version(kind: str = PUBLIC) -> str:
    """The version of what `kind` of page shows; changes with every write to it."""
    if _is_local_cache():
        try:
            stat = os.stat(_version_file(kind))
        except FileNotFoundError:
            return "0"
        return f"{stat.st_ino}-{stat.st_mtime_ns}-{stat.st_size}"
    key = f"{kind}-pages:version"
    version = cache.get(key)
    if version is None:
        # Never back to an earlier version (a cache that dropped the key): pages kept
        # under it would be served again. A new one, unless another process set one first.
        cache.add(key, secrets.token_hex(8), None)
        version = cache.get(key)
    return str(version)


def _table_kind(table: str) -> str:
    return f"table-{table}"


def tables_version(tables: Iterable[str]) -> str:
    """One string that changes whenever any of `tables` (each named in `version_tables`)
    is written: read it before the rows it stands for."""
    names = sorted(set(tables))
    unknown = [name for name in names if name not in _VERSIONED_TABLES]
    if unknown:
        raise ValueError(f"tables without a version of their own: {', '.join(unknown)}")
    kinds = [_table_kind(name) for name in names]
    if _is_local_cache():
        return ".".join(content_version(kind) for kind in kinds)
    keys = [f"{kind}-pages:version" for kind in kinds]
    found = cache.get_many(keys)
    return ".".join(
        str(found[key]) if key in found else content_version(kind)
        for key, kind in zip(keys, kinds, strict=True)
    )


def _new_version(kind: str) -> None:
    if _is_local_cache():
        path = _version_file(kind)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        temporary.write_text(secrets.token_hex(8))
        os.replace(temporary, path)  # a new file each time: a new inode, whatever the clock
    else:
        cache.set(f"{kind}-pages:version", secrets.token_hex(8), None)


# One callable per kind, made once: a transaction registers each at most once (by identity).
_AFTER_COMMIT = {kind: partial(_new_version, kind) for kind in (PUBLIC, EVERYTHING, SESSIONS)}


def _changed(kinds: Iterable[str], connection: BaseDatabaseWrapper) -> None:
    """New versions now, and again once the transaction (if any) commits."""
    for kind in kinds:
        _new_version(kind)
        if connection.in_atomic_block:
            after = _AFTER_COMMIT.get(kind)
            if after is None:
                after = _AFTER_COMMIT.setdefault(kind, partial(_new_version, kind))
            if not any(entry[1] is after for entry in connection.run_on_commit):
                transaction.on_commit(after, using=connection.alias)


def _parse_write(sql: str) -> tuple[str, str | None] | None:
    """The table a statement writes and the assignments of an UPDATE; `_ALL_TABLES` for a
    write whose table cannot be told (or a TRUNCATE, which may name several); None for a
    statement that writes nothing."""
    head = sql.lstrip()[:8].upper()
    if not head.startswith(_WRITES):
        return None
    match = None if head.startswith("TRUNCATE") else _WRITE.match(sql)
    if match is None:
        return (_ALL_TABLES, None)
    return (match.group(1), match.group(2))


def _kinds_for(write: tuple[str, str | None] | None) -> tuple[str, ...]:
    """The versions a write changes: the kinds of kept pages, then the written table's own
    version when it has one (`version_tables`)."""
    if write is None:
        return ()
    table, assignments = write
    if table == _ALL_TABLES:  # a write we cannot read: assume it changes everything
        every_table = sorted(_table_kind(name) for name in _VERSIONED_TABLES)
        return (PUBLIC, EVERYTHING, SESSIONS, *every_table)
    own = (_table_kind(table),) if table in _VERSIONED_TABLES else ()
    if table in _QUIET_TABLES:
        return own
    if table == _SESSION_TABLE:
        return (SESSIONS, *own)
    if table not in _PUBLIC_TABLES:
        return (EVERYTHING, *own)
    unseen = _PUBLIC_TABLES[table]
    if assignments and unseen and set(_COLUMN.findall(assignments)) <= unseen:
        return (EVERYTHING, *own)
    return (PUBLIC, EVERYTHING, *own)


def _kinds_written(sql: str) -> tuple[str, ...]:
    """The versions a statement changes (`_kinds_for`)."""
    return _kinds_for(_parse_write(sql))


def _note_writes(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """An execute wrapper (Django's hook around every statement) that changes the versions
    of the kept pages a write touches, once it has run."""
    result = execute(sql, params, many, context)
    kinds = _kinds_written(sql)
    if kinds:
        _changed(kinds, context["connection"])
    return result


def _install(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if _note_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_note_writes)


def follow_writes() -> None:
    """Run every statement of every database connection through `_note_writes` (called
    once, from the accounts app's `ready()`)."""
    connection_created.connect(_install, dispatch_uid="cohortkit-kept-pages")


def watch(*models: type[Model], unless_only: frozenset[str] = frozenset()) -> None:
    """Forget kept public pages whenever a row of one of `models` is written. An update
    that sets only columns in `unless_only` (a person's last login) changes nothing shown."""
    for model in models:
        _PUBLIC_TABLES[model._meta.db_table] = frozenset(unless_only)


def _tables_of(model: type[Model]) -> list[str]:
    """The model's table and those of its many-to-many relations."""
    through = [field.remote_field.through for field in model._meta.local_many_to_many]
    return [model._meta.db_table, *(table._meta.db_table for table in through)]  # type: ignore[union-attr]


def version_tables(*models: type[Model]) -> None:
    """Give the tables of `models` (and of their many-to-many relations) a version of their
    own, for data that `shared` keeps."""
    for model in models:
        _VERSIONED_TABLES.update(_tables_of(model))


def shared[T](key: str, models: Iterable[type[Model]], read: Callable[[], T]) -> T:
    """What `read()` returns, kept for every request and web process until a table of
    `models` or of their many-to-many relations (each given a version by `version_tables`)
    is written. `key` names what is read (with the ids it depends on); `read` must read
    only those tables, and must not depend on who asks or in which language."""
    tables = [table for model in models for table in _tables_of(model)]
    full = f"shared:{key}:{tables_version(tables)}"
    kept = cache.get(full)
    if kept is not None:
        return kept[0]
    value = read()
    cache.set(full, (value,), SHARED_SECONDS)
    return value


def valid_until(request: HttpRequest, instant: datetime | None) -> None:
    """The page, as rendered now, changes at `instant` (a run's window opening, say)."""
    if instant is None:
        return
    current = getattr(request, "_kept_page_until", None)
    if current is None or instant < current:
        request._kept_page_until = instant  # type: ignore[attr-defined]


def _configuration() -> str:
    """The settings that change what a page shows (the wiki sign-in button): a restart
    with new ones must not serve a copy kept under the old ones."""
    wiki = (
        settings.WIKI_OAUTH_URL,
        settings.WIKI_OAUTH_NAME,
        bool(settings.WIKI_OAUTH_CLIENT_ID and settings.WIKI_OAUTH_CLIENT_SECRET),
    )
    return repr(wiki)


def _personal_key(request: HttpRequest, person: str, session: str) -> str:
    """The key of a signed-in person's page (`personal_page`)."""
    parts = [
        request.get_full_path(),
        get_language() or "",
        request.headers.get("Accept-Language", "")[:200],
        timezone.get_current_timezone_name(),
        content_version(EVERYTHING),
        _configuration(),
        person,
        session,
    ]
    return f"{EVERYTHING}-page:" + sha256("\n".join(parts).encode()).hexdigest()


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


def _kept_copy(key: str, now: datetime) -> dict[str, Any] | None:
    """The copy kept under `key` if it still holds at `now`."""
    kept = cache.get(key)
    # (A clock set back, as tests do, does not serve a copy from the future.)
    if kept is not None and kept["at"] <= now and (kept["until"] is None or now < kept["until"]):
        return kept
    return None


def _keep(
    request: HttpRequest, key: str, response: HttpResponseBase, now: datetime, longest: int
) -> None:
    """Keep `response` under `key` when it is an ordinary page (200, no cookie of its own),
    for at most `longest` seconds and no later than the page said it holds (`valid_until`)."""
    # A view that sets a cookie of its own is personal; the CSRF cookie (which a view
    # protecting itself sets) is set again for each request, as the token is put back.
    cookies = set(response.cookies) - {settings.CSRF_COOKIE_NAME}
    if response.status_code != 200 or cookies or not isinstance(response, HttpResponse):
        return
    content = _without_tokens(request, response.content)
    if content is None:
        return
    until = getattr(request, "_kept_page_until", None)
    seconds = longest
    if until is not None:
        seconds = min(seconds, max(1, int((until - now).total_seconds())))
    cache.set(
        key,
        {
            "content": content,
            "status": response.status_code,
            "headers": [(h, v) for h, v in response.items() if h.lower() != "content-length"],
            "sets_csrf_cookie": settings.CSRF_COOKIE_NAME in response.cookies,
            "until": until,
            "at": now,
        },
        seconds,
    )


def _served(kept: dict[str, Any], token: str | None) -> HttpResponse:
    content = kept["content"]
    if token is not None:
        content = content.replace(_PLACEHOLDER, token.encode())
    served = HttpResponse(content, status=kept["status"])
    for header, value in kept["headers"]:
        served[header] = value
    served["Content-Length"] = str(len(content))
    return served


def _serve_or_keep(
    request: HttpRequest,
    key: str,
    longest: int,
    view: Callable[..., HttpResponseBase],
    args: Any,
    kwargs: Any,
) -> HttpResponseBase:
    """The kept copy under `key` if it still holds, else the view's page, kept (`_keep`)."""
    now = timezone.now()
    kept = _kept_copy(key, now)
    if kept is not None:
        return _served(kept, get_token(request))
    response = view(request, *args, **kwargs)
    if isinstance(response, SimpleTemplateResponse):
        response = response.render()
    _keep(request, key, response, now, longest)
    return response


def _anonymous_request(request: HttpRequest) -> bool:
    if request.method not in {"GET", "HEAD"}:
        return False
    allowed = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    return all(name in allowed for name in request.COOKIES)


_CHARS = CSRF_ALLOWED_CHARS
_CHAR_INDEX = {char: index for index, char in enumerate(_CHARS)}
# Random bytes below this map evenly onto the characters (byte % 62); the rest are dropped.
_EVEN_BELOW = 256 - 256 % len(_CHARS)


def _random_chars(count: int) -> str:
    """`count` characters of CSRF_ALLOWED_CHARS from the system's random source (one read,
    where Django's `get_random_string` makes one per character)."""
    chars: list[str] = []
    while len(chars) < count:
        chars.extend(
            _CHARS[byte % len(_CHARS)] for byte in os.urandom(2 * count) if byte < _EVEN_BELOW
        )
    return "".join(chars[:count])


def _masked(secret: str) -> str:
    """A CSRF token for `secret`: a new mask, then the secret shifted by it, as Django's own
    `get_token` makes them (its `_unmask_cipher_token` gives the secret back)."""
    mask = _random_chars(CSRF_SECRET_LENGTH)
    cipher = "".join(
        _CHARS[(_CHAR_INDEX[s] + _CHAR_INDEX[m]) % len(_CHARS)]
        for s, m in zip(secret, mask, strict=True)
    )
    return mask + cipher


def _public_key(request: HttpRequest) -> str | None:
    """The key of the public page an anonymous visitor asks for, or None when the request
    goes through the whole stack (someone signed in, a form sent, an htmx fragment, a CSRF
    cookie Django would replace)."""
    if not settings.KEEP_PAGES or not _anonymous_request(request):
        return None
    if request.headers.get("HX-Request"):
        return None
    secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if secret is not None and (
        len(secret) != CSRF_SECRET_LENGTH or not all(char in _CHAR_INDEX for char in secret)
    ):
        return None
    parts = [
        request.get_full_path(),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
        request.headers.get("Accept-Language", "")[:200],
        content_version(PUBLIC),
        _configuration(),
    ]
    return f"{PUBLIC}-page:" + sha256("\n".join(parts).encode()).hexdigest()


class PublicPagesMiddleware:
    """Serves an anonymous visitor the public page kept for them (see the module's
    docstring) before the rest of the stack; keeps the page when a view marked it
    (`public_page`). Listed after WhiteNoise, so static files never come here, and before
    everything that reads the request, so a kept page skips it all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = _public_key(request)
        if key is None:
            return self.get_response(request)
        now = timezone.now()
        kept = _kept_copy(key, now)
        if kept is None:
            response = self.get_response(request)
            if getattr(response, "_public_page", False):
                _keep(request, key, response, now, KEPT_SECONDS)
            return response
        if not kept["sets_csrf_cookie"]:
            return _served(kept, None)
        secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME) or _random_chars(CSRF_SECRET_LENGTH)
        served = _served(kept, _masked(secret))
        # As CsrfViewMiddleware sets it (`_set_csrf_cookie`), again with every page holding a token.
        served.set_cookie(
            settings.CSRF_COOKIE_NAME,
            secret,
            max_age=settings.CSRF_COOKIE_AGE,
            domain=settings.CSRF_COOKIE_DOMAIN,
            path=settings.CSRF_COOKIE_PATH,
            secure=settings.CSRF_COOKIE_SECURE,
            httponly=settings.CSRF_COOKIE_HTTPONLY,
            samesite=settings.CSRF_COOKIE_SAMESITE,
        )
        patch_vary_headers(served, ("Cookie",))
        return served


def public_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Mark `view`'s pages as the same for every anonymous visitor: `PublicPagesMiddleware`
    keeps them and serves them again (see the module's docstring)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response._public_page = True  # type: ignore[attr-defined]
        return response

    return wrapper


def _session_digest(request: HttpRequest) -> str | None:
    """A digest of the whole session, or None when the request must go to the view."""
    if not settings.KEEP_PAGES:
        return None
    if request.method not in {"GET", "HEAD"} or request.headers.get("HX-Request"):
        return None
    if not request.user.is_authenticated or len(messages.get_messages(request)):
        return None
    session = request.session
    items = sorted((key, repr(value)) for key, value in session.items())
    return sha256(repr((session.session_key, items)).encode()).hexdigest()


def personal_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Serve `view` to a signed-in person from the copy kept for them when there is one
    (see the module's docstring); every other request goes to the view."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        digest = _session_digest(request)
        if digest is None:
            return view(request, *args, **kwargs)
        key = _personal_key(request, str(request.user.pk), digest)
        return _serve_or_keep(request, key, PERSONAL_SECONDS, view, args, kwargs)

    return wrapper
