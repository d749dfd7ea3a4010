from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "cohortkit.wiki"

    def ready(self) -> None:
        from cohortkit.wiki import receivers  # noqa: F401, PLC0415 — connects the signal handlers
