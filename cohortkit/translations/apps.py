from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    name = "cohortkit.translations"
    verbose_name = _("Translations")

    def ready(self) -> None:
        # The courses app must not import translations, so its content changes reach
        # sync_units through signals (see signals.py).
        from cohortkit.translations import signals  # noqa: PLC0415 — receivers connect once the app registry is ready

        signals.connect()

        from cohortkit.accounts import page_cache  # noqa: PLC0415 — models load once the app registry is ready
        from cohortkit.translations.models import (  # noqa: PLC0415 — models load once the app registry is ready
            LanguageVersion,
            SourceUnit,
            Translation,
        )

        # Public pages show the published translations (kept for visitors: page_cache.py).
        page_cache.watch(LanguageVersion, SourceUnit, Translation)
        # A course's published languages are kept once for every page (queries.py).
        page_cache.version_tables(LanguageVersion)
