from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "cohortkit.learning"

    def ready(self) -> None:
        from cohortkit.learning import stored_files  # noqa: PLC0415 — models are loaded only once the registry is ready

        # Replaced and deleted uploads leave storage after commit, for every app's models.
        stored_files.connect()
