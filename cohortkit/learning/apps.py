from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "cohortkit.learning"

    def ready(self) -> None:
        from cohortkit.learning import stored_files  # noqa: PLC0415 — models are loaded only once the registry is ready

        # Replaced and deleted uploads leave storage after commit, for every app's models.
        stored_files.connect()

        # Imported here too: the receivers import models, which wait for the app registry.
        from cohortkit.exercises.signals import attempt_finished  # noqa: PLC0415 — models load once the app registry is ready
        from cohortkit.learning.receivers import certify_after_exercise  # noqa: PLC0415 — models load once the app registry is ready

        attempt_finished.connect(certify_after_exercise, dispatch_uid="learning-certify-exercise")

        from cohortkit.accounts import page_cache  # noqa: PLC0415 — models load once the app registry is ready
        from cohortkit.learning.models import Certificate, ParticipantStatus  # noqa: PLC0415 — models load once the app registry is ready

        # A certificate's public verification page is kept for visitors (page_cache.py).
        page_cache.watch(Certificate)
        # Who studies a run at their own pace is kept once for every page (study_modes.py).
        page_cache.version_tables(ParticipantStatus)
