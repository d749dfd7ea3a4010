from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "cohortkit.scheduling"

    def ready(self) -> None:
        from cohortkit.accounts import page_cache  # noqa: PLC0415 — models load once the app registry is ready
        from cohortkit.scheduling.models import (  # noqa: PLC0415 — models load once the app registry is ready
            Occurrence,
            Session,
            WeeklyAvailability,
        )

        # A run's meetings and groups are kept once for every schedule (queries.run_meetings).
        page_cache.version_tables(Occurrence, Session, WeeklyAvailability)
