from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "cohortkit.courses"

    def ready(self) -> None:
        from cohortkit.courses import signals  # noqa: PLC0415 — receivers connect once the app registry is ready

        signals.connect()

        from cohortkit.accounts import page_cache  # noqa: PLC0415 — models load once the app registry is ready
        from cohortkit.courses.models import Course, Module, Run, RunRole, Topic  # noqa: PLC0415 — models load once the app registry is ready

        # The catalogue and course pages show these (kept for visitors: page_cache.py).
        page_cache.watch(Course, Run, Module, Topic, RunRole)
        # A run named in a URL is kept once for every request (permissions.run_named).
        page_cache.version_tables(Course, Run)
