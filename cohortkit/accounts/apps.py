from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cohortkit.accounts"
    verbose_name = _("People")

    def ready(self) -> None:
        # Kept public pages name people (a course's coordinators, a certificate's holder);
        # signing in touches only the last login, which no page shows.
        from cohortkit.accounts import page_cache  # noqa: PLC0415 — models load once the registry is ready
        from cohortkit.accounts.models import User  # noqa: PLC0415 — models load once the app registry is ready

        page_cache.watch(User, unless_only=frozenset({"last_login", "password"}))
        page_cache.follow_writes()
