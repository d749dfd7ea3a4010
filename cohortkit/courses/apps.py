from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "cohortkit.courses"

    def ready(self) -> None:
        from cohortkit.courses import signals

        signals.connect()
