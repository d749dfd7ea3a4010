"""Sessions in the database, read once per version of the session table.

Every request of a signed-in person loads their session. `SessionStore` keeps what it read
in the cache, keyed by the session and the version of the session table
(`accounts.page_cache`), which changes with any write to it: signing in or out, a session
ended by a password change, or one that changed its data is read afresh at the next
request, in every web process. The expiry date is kept beside the data and checked.
"""

from hashlib import sha256
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.cache import cache
from django.utils import timezone

from cohortkit.accounts import page_cache

KEPT_SECONDS = 300


class SessionStore(DatabaseSessionStore):
    def load(self) -> dict[str, Any]:
        if not self.session_key:
            return super().load()
        digest = sha256(self.session_key.encode()).hexdigest()
        key = f"session:{digest}:{page_cache.content_version(page_cache.SESSIONS)}"
        kept = cache.get(key)
        if kept is not None and kept["expires"] > timezone.now():
            return self.decode(kept["data"])
        # The database backend's own read (django-stubs does not declare it).
        stored = self._get_session_from_db()  # type: ignore[attr-defined]
        if stored is None:
            return {}
        cache.set(key, {"data": stored.session_data, "expires": stored.expire_date}, KEPT_SECONDS)
        return self.decode(stored.session_data)
