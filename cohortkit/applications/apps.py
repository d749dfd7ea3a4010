from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "cohortkit.applications"

    def ready(self) -> None:
        from cohortkit.applications import receivers  # noqa: F401, PLC0415 — connects the wiki signal handler
