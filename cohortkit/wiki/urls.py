"""The run's wiki pages, under courses/<course>/<run>/wiki/."""

from django.urls import path

from cohortkit.wiki import views

app_name = "wiki"

urlpatterns = [
    path("wiki/", views.run_settings, name="settings"),
    path("wiki/edits/", views.edits, name="edits"),
    path("wiki/edits/read/", views.read_edits, name="read_edits"),
    path("wiki/sharing/", views.sharing, name="sharing"),
]
