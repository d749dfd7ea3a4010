"""Mounted under courses/<slug>/<run>/ (see cohortkit/urls.py)."""

from django.urls import path

from cohortkit.exercises.views import analysis, authoring, learner

app_name = "exercises"

urlpatterns = [
    path("exercises/", learner.exercise_list, name="list"),
    path("exercises/new/", authoring.exercise_edit, name="new"),
    path("exercises/import/", authoring.import_file, name="import"),
    path("exercises/<int:pk>/", learner.exercise_detail, name="exercise"),
    path("exercises/<int:pk>/retry/", learner.retry, name="retry"),
    path("exercises/<int:pk>/questions/<int:question>/answer/", learner.answer, name="answer"),
    path("exercises/<int:pk>/edit/", authoring.exercise_edit, name="edit"),
    path("exercises/<int:pk>/export.gift", authoring.export, name="export"),
    path("exercises/<int:pk>/questions/new/", authoring.question_edit, name="question_new"),
    path(
        "exercises/<int:pk>/questions/<int:question>/edit/",
        authoring.question_edit,
        name="question_edit",
    ),
    path(
        "exercises/<int:pk>/questions/<int:question>/delete/",
        authoring.question_delete,
        name="question_delete",
    ),
    path("exercises/<int:pk>/analysis/", analysis.analysis, name="analysis"),
    path("exercises/<int:pk>/analysis.csv", analysis.analysis_csv, name="analysis_csv"),
    path(
        "exercises/<int:pk>/analysis/<int:question>.svg",
        analysis.analysis_chart,
        name="analysis_chart",
    ),
]
