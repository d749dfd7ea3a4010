"""Translations are per course; these URLs start at the site root (see cohortkit/urls.py).

They live under translations/<course>/ rather than courses/<course>/…, where a two-part
path would be taken for a run's home page (courses/<course>/<run>/).
"""

from django.urls import path

from cohortkit.translations import views

app_name = "translations"

COURSE = "translations/<slug:slug>/"
LANGUAGE = COURSE + "<str:language>/"

urlpatterns = [
    path("content-language/", views.choose_content_language, name="content_language"),
    path(COURSE, views.overview, name="overview"),
    path(COURSE + "start/", views.start_language, name="start"),
    path(COURSE + "read/", views.course_text, name="course_text"),
    path(LANGUAGE, views.editor, name="editor"),
    path(LANGUAGE + "settings/", views.update_version, name="settings"),
    path(LANGUAGE + "units/<int:unit>/", views.save_unit, name="save"),
    path(LANGUAGE + "units/<int:unit>/review/", views.review_unit, name="review"),
    path(LANGUAGE + "export/", views.export, name="export"),
    path(LANGUAGE + "import/", views.import_file, name="import"),
]
