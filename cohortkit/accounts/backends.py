"""Signing in by e-mail and password (Django's model backend), with the signed-in person
read once per version of the data rather than once per request.

`get_user` is what every request of a signed-in person asks. It keeps the person it read in
the cache under the version of all content (`accounts.page_cache`), which changes with any
write to the database: an edited profile, a deactivated account or a changed password is
read afresh at the next request, in every web process.
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from cohortkit.accounts import page_cache

# What `login(..., backend=BACKEND)` names when a view signs someone in without a password.
BACKEND = "cohortkit.accounts.backends.AccountBackend"
KEPT_SECONDS = 300


class AccountBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        key = f"person:{user_id}:{page_cache.content_version(page_cache.EVERYTHING)}"
        person = cache.get(key)
        if person is None:
            person = super().get_user(user_id)
            if person is not None:
                cache.set(key, person, KEPT_SECONDS)
        return person
