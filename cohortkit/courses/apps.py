from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "cohortkit.courses"

    def ready(self) -> None:
        from cohortkit.courses import signals  # noqa: PLC0415 — receivers connect once the app registry is ready

        signals.connect()
