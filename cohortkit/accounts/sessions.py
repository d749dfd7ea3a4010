"""Sessions in the database, read once per version of the session table.

Every request of a signed-in person loads their session. `SessionStore` keeps what it read
in the cache, keyed by the session and the version of the session table
(`accounts.page_cache`), which changes with any write to it: signing in or out, a session
ended by a password change, or one that changed its data is read afresh at the next
request, in every web process. The expiry date is kept beside the data and checked.

Sessions signed in before the person was kept (`accounts.backends`) name Django's own
`ModelBackend`, which `AUTHENTICATION_BACKENDS` no longer lists, and Django signs out a
session whose backend is not listed: every signed-in person would have been signed out by
the upgrade (and by any web process still on the earlier code during a deploy). Our backend
is that backend with the person kept, so such a session is read as signed in through it.
"""

from hashlib import sha256
from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.cache import cache
from django.utils import timezone

from cohortkit.accounts import backends, page_cache

KEPT_SECONDS = 300
# What sessions signed in before `accounts.backends` name (Django's default backend).
EARLIER_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _as_signed_in_now(data: dict[str, Any]) -> dict[str, Any]:
    """The session, naming our backend where it names the one it replaced (see above)."""
    if data.get(BACKEND_SESSION_KEY) == EARLIER_BACKEND:
        data[BACKEND_SESSION_KEY] = backends.BACKEND
    return data


class SessionStore(DatabaseSessionStore):
    def load(self) -> dict[str, Any]:
        if not self.session_key:
            return super().load()
        digest = sha256(self.session_key.encode()).hexdigest()
        key = f"session:{digest}:{page_cache.content_version(page_cache.SESSIONS)}"
        kept = cache.get(key)
        if kept is not None and kept["expires"] > timezone.now():
            return _as_signed_in_now(self.decode(kept["data"]))
        # The database backend's own read (django-stubs does not declare it).
        stored = self._get_session_from_db()  # type: ignore[attr-defined]
        if stored is None:
            return {}
        cache.set(key, {"data": stored.session_data, "expires": stored.expire_date}, KEPT_SECONDS)
        return _as_signed_in_now(self.decode(stored.session_data))
