from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "cohortkit.exercises"
